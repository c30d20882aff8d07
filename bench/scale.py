"""Benchmark: every command on studies of 100, 300 and 1,000 interviews, as a user runs them.

Each study is a folder of ~1,000-word synthetic interviews (bench/corpus.py) without front
matter, their attributes (and a made-up participant's name) in `interviews.csv` beside
them, the way a team that keeps a spreadsheet delivers them. Every command runs as its own
`qda` process (CI=1: no progress bars), one after the other as a study goes: import,
autocode, the tables, the report, every export, a reference coder's codings, train,
evaluate, backup, anonymise. Printed per command
and size: seconds, words/s (the study's words over the command's time) and peak memory
(the process's own maximum resident set, from wait4), then the growth exponent between the
sizes: the slope of log(seconds - start-up) over log(interviews), where start-up is the
time of `qda --help`; 1.0 is linear. Last, a bare spaCy pipeline (blank model, sentencizer,
lookup lemmas) over the same text, the yardstick for import.

Targets (issue 23): every exponent <= 1.10; import >= 1.5x the bare spaCy pipeline;
`export quotes` of 28,000 quotes < 15 s; `report` < 5 s and `autocode --coder rules`
>= 300,000 words/s at 1M words; `qda --help` < 0.3 s, `qda status` < 0.6 s; peak < 1 GB.
A shared machine's timings drift: run it when the machine is quiet, and read them as such.

    python bench/scale.py                      # 100, 300 and 1,000 interviews
    python bench/scale.py --sizes 30,100       # a quick run
"""
from __future__ import annotations

import argparse
import csv
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import ROLES, SECTORS, interview  # noqa: E402

QDA = Path(sys.executable).parent / "qda"
WORDS_PER_INTERVIEW = 1_000
SYLLABLES = ["ma", "ri", "lu", "ca", "to", "ne", "sa", "vi", "ro", "da", "gue", "lle", "quin",
             "tal", "mar", "ber", "sol", "fe", "na", "pi"]
# (label, arguments); {out} is a scratch folder outside the project
COMMANDS: list[tuple[str, list[str]]] = [
    ("import transcripts", ["import", "transcripts/"]),
    ("autocode --coder rules", ["autocode", "--coder", "rules"]),
    ("status", ["status"]),
    ("segments --contains", ["segments", "--contains", "presupuesto", "--limit", "20"]),
    ("summary", ["summary"]),
    ("summary --include-suggested", ["summary", "--include-suggested"]),
    ("study", ["study"]),
    ("cooccur", ["cooccur"]),
    ("differences", ["differences"]),
    ("saturation", ["saturation"]),
    ("charts", ["charts", "--out", "{out}/charts"]),
    ("report --include-suggested", ["report", "{out}/report.docx", "--include-suggested"]),
    ("export quotes .docx --include-suggested",
     ["export", "quotes", "{out}/quotes.docx", "--include-suggested"]),
    ("export quotes .xlsx --include-suggested",
     ["export", "quotes", "{out}/quotes.xlsx", "--include-suggested"]),
    ("export codings .csv", ["export", "codings", "{out}/codings.csv"]),
    ("export qdpx --include-suggested",
     ["export", "qdpx", "{out}/study.qdpx", "--include-suggested"]),
    ("import-codings (a reference coder)",
     ["import-codings", "{out}/reference.csv", "--coder", "reference"]),
    ("train", ["train"]),
    ("evaluate --coder rules", ["evaluate", "--reference", "reference", "--coder", "rules"]),
    ("backup", ["backup", "{out}/backup.sqlite3"]),
    ("anonymise", ["anonymise", "--key", "{out}/key.json"]),
]
# what a command needs run before it (import always runs)
NEEDS = {"export codings .csv": "autocode --coder rules",
         "report --include-suggested": "autocode --coder rules",  # suggestions to quote
         "import-codings (a reference coder)": "export codings .csv",
         "train": "import-codings (a reference coder)",
         "evaluate --coder rules": "import-codings (a reference coder)"}
REFERENCE_SHARE = 0.2  # interviews a "person" coded, for import-codings, train and evaluate


def build_study(root: Path, size: int, seed: int = 23) -> int:
    """A project with `size` interviews and interviews.csv in transcripts/; returns words."""
    run([str(QDA), "init", str(root)], Path.cwd())
    folder = root / "transcripts"
    for old in folder.iterdir():  # the new project's own samples, if any
        if old.is_file():
            old.unlink()
    rng = random.Random(seed)
    words = 0
    rows = []
    for i in range(size):
        lang = "en" if i % 3 == 2 else "es"
        text = interview(rng, i, lang, WORDS_PER_INTERVIEW)
        body = text.split("---\n", 2)[2].lstrip("\n")  # the attributes go to interviews.csv
        name = f"int-{i:04d}.txt"
        (folder / name).write_text(body, encoding="utf-8")
        words += count_words(body)
        rows.append({"file": name, "id": f"S-{i:04d}",
                     "country": ["Chile", "Colombia", "Mexico", "Peru"][i % 4],
                     "role": ROLES[i % len(ROLES)], "policy": f"Synthetic policy {i % 25}",
                     "sector": SECTORS[i % len(SECTORS)], "language": lang,
                     "interviewer": "ENT" if lang == "es" else "Interviewer",
                     "participant": _name(rng)})
    with (folder / "interviews.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return words


def count_words(text: str) -> int:
    """Words of a transcript, timestamps left out."""
    return len(re.sub(r"\[\d\d:\d\d:\d\d\]", " ", text).split())


def _name(rng: random.Random) -> str:
    """A made-up person's name (first name and two surnames), so every interview adds
    people that reports and exports must keep out of print, as a real study does."""
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{word()} {word()} {word()}"


def reference_codings(codings: Path, out: Path) -> None:
    """A person's codings of the first fifth of the interviews, made from the rules'
    suggestions (one of them dropped now and then, so the scores are not perfect)."""
    rng = random.Random(5)
    passages: dict[tuple[str, str], list[str]] = {}
    with codings.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    documents = sorted({r["document"] for r in rows})
    kept = set(documents[:max(2, int(len(documents) * REFERENCE_SHARE))])
    for r in rows:
        if r["document"] in kept:
            codes = passages.setdefault((r["document"], r["text"]), [])
            if rng.random() > 0.15:
                codes.append(r["code"])
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "text", "codes"])
        for (document, text), codes in passages.items():
            writer.writerow([document, text, ";".join(codes)])


def run(argv: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run one process to the end; (seconds, CPU seconds of it and the workers it waited
    for, peak resident MB of the largest of them)."""
    env = {**os.environ, "CI": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    problem = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{problem}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def spacy_reference(folder: Path) -> tuple[float, float, float]:
    """Words/s of a bare spaCy pipeline (blank model, sentencizer, lookup lemmas) over the
    study's text, by the clock and by CPU time, and the seconds it took to build it."""
    import spacy

    started = time.perf_counter()
    pipes = {}
    for lang in ("es", "en"):
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        pipes[lang] = nlp
    setup = time.perf_counter() - started
    by_lang: dict[str, list[str]] = {"es": [], "en": []}
    with (folder / "interviews.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_lang[row["language"]].append((folder / row["file"]).read_text(encoding="utf-8"))
    words = sum(count_words(t) for texts in by_lang.values() for t in texts)
    start, cpu = time.perf_counter(), time.process_time()
    for lang, texts in by_lang.items():
        for _ in pipes[lang].pipe(texts, batch_size=64):
            pass
    return (words / (time.perf_counter() - start), words / (time.process_time() - cpu),
            setup)


def _names(word: str, label: str) -> bool:
    """Whether `--only WORD` picks the command `label`: WORD in it, not as the start of a
    longer word (`--only import` is import alone, not import-codings and what it needs)."""
    return re.search(rf"(?<!\w){re.escape(word)}(?![\w-])", label) is not None


def exponent(sizes: list[int], seconds: list[float], startup: float) -> float | None:
    """Least-squares slope of log(seconds - start-up) over log(size)."""
    points = [(math.log(n), math.log(max(s - startup, 1e-3))) for n, s in zip(sizes, seconds)]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    spread = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000",
                        help="interviews per study, comma-separated (default 100,300,1000)")
    parser.add_argument("--only", help="only the commands whose label has one of these "
                                       "comma-separated words (and import, and what they need)")
    parser.add_argument("--reference", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        reference_codings(*args.reference)
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    chosen = {label for label, _ in COMMANDS if not args.only or label == "import transcripts"
              or any(_names(word, label) for word in args.only.split(","))}
    for label in list(chosen):
        while label in NEEDS:
            label = NEEDS[label]
            chosen.add(label)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        helps = [run([str(QDA), "--help"], root) for _ in range(3)]
        help_s, help_cpu = min(h[0] for h in helps), min(h[1] for h in helps)
        print(f"scale: qda --help {help_s:.2f} s, {help_cpu:.2f} s CPU (target < 0.3 s; the "
              "start-up subtracted below)", flush=True)
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            print("scale: PYTHONDONTWRITEBYTECODE is set, so every command compiles qda's own "
                  "modules as it starts (up to 0.15 s more than for a user); unset it to "
                  "measure start-up as installed", flush=True)
        results: dict[str, dict[int, tuple[float, float, float]]] = {}
        words: dict[int, int] = {}
        quotes: dict[int, int] = {}
        for size in sizes:
            study, scratch = root / f"study-{size}", root / f"out-{size}"
            scratch.mkdir()
            words[size] = build_study(study, size)
            print(f"scale: {size} interviews, {words[size]:,} words", flush=True)
            for label, argv in COMMANDS:
                if label not in chosen:
                    continue
                if label.startswith("import-codings"):
                    # made in a child: a command's peak counts this process's memory from
                    # before its exec, so this process must stay small
                    subprocess.run([sys.executable, __file__, "--reference",
                                    str(scratch / "codings.csv"), str(scratch / "reference.csv")],
                                   check=True)
                argv = [a.replace("{out}", str(scratch)) for a in argv]
                seconds, cpu, peak = run([str(QDA), *argv], study)
                results.setdefault(label, {})[size] = (seconds, cpu, peak)
                print(f"  {label:<42} {seconds:7.2f} s {cpu:7.2f} s CPU "
                      f"{words[size] / seconds:>10,.0f} words/s {peak:6.0f} MB", flush=True)
                if label == "export codings .csv":
                    with (scratch / "codings.csv").open(encoding="utf-8") as handle:
                        quotes[size] = sum(1 for r in csv.DictReader(handle)
                                           if r["status"] in ("accepted", "suggested"))
        reference, reference_cpu, setup = spacy_reference(
            root / f"study-{sizes[-1]}" / "transcripts")
    largest = sizes[-1]
    print(f"\nscale: {', '.join(f'{n} interviews ({words[n]:,} words)' for n in sizes)}; "
          f"seconds per size; growth exponent from {sizes[0]} to {largest} of the wall-clock "
          f"time minus {help_s:.2f} s start-up, and of the CPU time minus {help_cpu:.2f} s "
          "(steadier when others share the machine)")
    header = "".join(f"{n:>9}" for n in sizes)
    print(f"{'command':<42}{header}  {'words/s':>10} {'peak MB':>8} {'exp.':>6} {'exp.CPU':>7}")
    for label, by_size in results.items():
        done = [n for n in sizes if n in by_size]
        slope = exponent(done, [by_size[n][0] for n in done], help_s)
        slope_cpu = exponent(done, [by_size[n][1] for n in done], help_cpu)
        top = by_size[largest]
        shown = [f"{s:6.2f}" if s is not None else f"{'-':>6}" for s in (slope, slope_cpu)]
        print(f"{label:<42}" + "".join(f"{by_size[n][0]:9.2f}" for n in done)
              + f"  {words[largest] / top[0]:>10,.0f} {top[2]:8.0f} {shown[0]} {shown[1]:>7}"
              + ("  <- over 1.10" if max(s or 0 for s in (slope, slope_cpu)) > 1.10 else ""))
    print(f"\nscale: bare spaCy (blank, sentencizer, lookup lemmas) over the {largest}-interview "
          f"text: {reference:,.0f} words/s, {reference_cpu:,.0f} words per CPU second "
          f"(pipelines built in {setup:.2f} s, not counted)")
    if "import transcripts" in results:
        seconds, cpu, _ = results["import transcripts"][largest]
        print(f"scale: import, whole process: {words[largest] / seconds:,.0f} words/s = "
              f"{words[largest] / seconds / reference:.2f}x the bare pipeline; by CPU time "
              f"{words[largest] / cpu / reference_cpu:.2f}x (target >= 1.5x)")
    docx = results.get("export quotes .docx --include-suggested", {}).get(largest)
    if docx and largest in quotes:
        print(f"scale: export quotes .docx: {quotes[largest]:,} quotes in {docx[0]:.2f} s, "
              f"{docx[1]:.2f} s CPU (target < 15 s for 28,000)")
    if "status" in results:
        seconds, cpu, _ = results["status"][largest]
        print(f"scale: status {seconds:.2f} s, {cpu:.2f} s CPU (target < 0.6 s)")
    print("scale: timings on a shared machine drift from minute to minute; compare runs made "
          "at the same time")


if __name__ == "__main__":
    main()
