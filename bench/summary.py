"""Benchmark: `qda summary` over the 1M-word synthetic corpus with 50,000 accepted codings.

Builds the project once (import plus synthetic codings, cached in bench/corpus/) and then
times the summary: the computation through the Python API, and the whole command as a
user runs it (process start, imports, store read, table). Target (issue 7): < 2 s.

    python bench/summary.py [--words 1000000] [--codings 50000] [--rebuild]
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import generate  # noqa: E402
from qda import init_project, open_project  # noqa: E402
from qda.analysis import cooccurrence, differences, frequencies, load, summary_table  # noqa: E402
from qda.imports.pipeline import import_paths  # noqa: E402
from qda.models import Coding  # noqa: E402

HERE = Path(__file__).resolve().parent
QDA = Path(sys.executable).parent / "qda"
SUGGESTIONS = 10_000
TARGET_S = 2.0


def build(words: int, codings: int, rebuild: bool) -> Path:
    """The bench project, reused while its corpus size and coding count are the same."""
    corpus = HERE / "corpus"
    files = generate(corpus, words)
    root = corpus / f".summary-project-{words}"
    stamp = f"{words}:{codings}:{SUGGESTIONS}"
    if not rebuild and (root / "qda.yaml").is_file():
        with open_project(root) as project:
            if project.store.get_meta("bench_summary") == stamp:
                return root
    shutil.rmtree(root, ignore_errors=True)
    start = time.perf_counter()
    with init_project(root) as project:
        report = import_paths(project, files)
        assert report.ok, report.failed[:3]
        segments = [s.id for s in project.store.segments(codable_only=True)]
        codes = [c.path for c in project.codebook.codes]
        # a long-tailed spread: some codes are common, most are rarer, as in real studies
        weights = [1 / (rank + 1) ** 0.7 for rank in range(len(codes))]
        rng = random.Random(7)
        accepted: set[tuple[int, str]] = set()
        while len(accepted) < codings:
            accepted.add((rng.choice(segments), rng.choices(codes, weights)[0]))
        suggested: set[tuple[int, str]] = set()
        while len(suggested) < SUGGESTIONS:
            pair = (rng.choice(segments), rng.choices(codes, weights)[0])
            if pair not in accepted:
                suggested.add(pair)
        by_segment: dict[int, list[str]] = {}
        for segment, code in suggested:
            by_segment.setdefault(segment, []).append(code)
        with project.store.transaction():
            project.store.upsert_human_codings(
                Coding(segment, code, "bench", "human", "accepted") for segment, code in accepted)
            project.store.replace_suggestions("rules", list(by_segment), [
                Coding(segment, code, "rules", "rules", "suggested", 0.6)
                for segment, codes_ in by_segment.items() for code in codes_])
            project.store.set_meta("bench_summary", stamp)
    print(f"summary: built the bench project in {time.perf_counter() - start:.1f} s "
          f"({len(files)} interviews, {len(segments):,} passages)")
    return root


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    """Median wall time of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def command(*args: str) -> float:
    """Median wall time of the `qda` command with these arguments, as a user runs it."""
    env = {**os.environ, "CI": "1", "COLUMNS": "100"}

    def run() -> None:
        subprocess.run([str(QDA), *args], check=True, env=env, stdout=subprocess.DEVNULL)
    return timed(run, 3)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the cached project.")
    args = parser.parse_args()
    root = build(args.words, args.codings, args.rebuild)
    with open_project(root) as project:
        load_s, cases = timed(lambda: load(project, include_suggested=True))
    print(f"summary: {len(cases.documents)} interviews, {len(cases.accepted):,} accepted "
          f"codings, {int((cases.codings.status == 'suggested').sum()):,} suggestions")
    freq_s, freq = timed(lambda: frequencies(cases, "country", include_suggested=True))
    table_s, _ = timed(lambda: summary_table(freq))
    policy_s, _ = timed(lambda: frequencies(cases, "policy"))
    pairs_s, _ = timed(lambda: cooccurrence(cases))
    tests_s, _ = timed(lambda: differences(cases), 3)
    print(f"summary: API load {load_s:.3f} s, frequencies by country {freq_s:.3f} s, "
          f"cross-table {table_s:.3f} s (total {load_s + freq_s + table_s:.3f} s; target < "
          f"{TARGET_S:.0f} s)")
    print(f"summary: by policy {policy_s:.3f} s; cooccur {pairs_s:.3f} s; differences "
          f"{tests_s:.3f} s")
    plain = command("--project", str(root), "summary")
    suggested = command("--project", str(root), "summary", "--include-suggested", "--by",
                        "policy")
    start_up = command("--help")
    print(f"summary: 'qda summary' end to end {plain:.2f} s; with --include-suggested --by "
          f"policy {suggested:.2f} s (target < {TARGET_S:.0f} s); of which the command's "
          f"start-up ('qda --help') {start_up:.2f} s")


if __name__ == "__main__":
    main()
