"""Benchmark: `qda report` over a project with 2,000 accepted quotes (coded passages).

Builds a throw-away project from a synthetic corpus (bench/corpus.py, 300k words by default)
with 2,000 accepted codings spread over the codebook, then times the findings chapter
through the Python API and as a user runs the command (twice: first with the transcripts
to scan for names, then with their names remembered in the project), and the quotes export
to Word.
Target (issue 8): report in < 5 s.

    python bench/report.py [--words 300000] [--quotes 2000]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import generate  # noqa: E402
from qda import init_project  # noqa: E402
from qda.export.quotes import export_quotes  # noqa: E402
from qda.export.report import write_report  # noqa: E402
from qda.imports.pipeline import import_paths  # noqa: E402
from qda.models import Coding  # noqa: E402
from qda.privacy.redact import said_names_path  # noqa: E402

QDA = Path(sys.executable).parent / "qda"
TARGET_S = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=300_000)
    parser.add_argument("--quotes", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = generate(root / "corpus", args.words)
        with init_project(root / "study") as project:
            assert import_paths(project, files).ok
            segments = [s.id for s in project.store.segments(codable_only=True)]
            codes = [c.path for c in project.codebook.codes if "/" in c.path]
            rng = random.Random(8)
            pairs: set[tuple[int, str]] = set()
            while len(pairs) < args.quotes:
                pairs.add((rng.choice(segments), rng.choice(codes)))
            with project.store.transaction():
                project.store.upsert_human_codings(
                    Coding(s, c, "bench", "human", "accepted") for s, c in pairs)
            print(f"report: {len(files)} interviews, {len(segments):,} passages, "
                  f"{len(pairs):,} accepted quotes")
            times = []
            for _ in range(3):
                start = time.perf_counter()
                done = write_report(project, root / "findings.docx", "en")
                times.append(time.perf_counter() - start)
            api = statistics.median(times)
            start = time.perf_counter()
            rows = export_quotes(project, root / "quotes.docx", "en")
            quotes_s = time.perf_counter() - start
            said_names_path(project).unlink()  # the command's first run scans the texts
        env = {**os.environ, "CI": "1"}
        commands = []
        for _ in range(2):  # the second one finds the transcripts' names remembered
            start = time.perf_counter()
            subprocess.run([str(QDA), "--project", str(root / "study"), "report",
                            str(root / "cli.docx"), "--lang", "es"], check=True, env=env,
                           stdout=subprocess.DEVNULL)
            commands.append(time.perf_counter() - start)
        size = (root / "findings.docx").stat().st_size / 1e6
    print(f"report: {len(done.quotes)} quotes chosen for {done.themes} themes, "
          f"{len(done.left_out)} left out; file {size:.1f} MB")
    print(f"report: write_report {api:.2f} s (median of 3); 'qda report' end to end "
          f"{commands[0]:.2f} s, again (names remembered) {commands[1]:.2f} s "
          f"(target < {TARGET_S:.0f} s)")
    print(f"report: export quotes to Word, {rows:,} passages, {quotes_s:.2f} s")


if __name__ == "__main__":
    main()
