"""Benchmark: the rule coder over the 1M-word synthetic corpus (segments already stored).

Prints words per second of `autocode --coder rules` (suggest + write, one transaction), the
CPU time it took here and in its worker processes (a large corpus is coded on two cores),
the machine's load (the figure is wall-clock time: other work on the machine slows it) and
peak memory. Target (issue 4): >= 300,000 words/s.

    python bench/autocode.py [--words 1000000]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import generate  # noqa: E402
from qda import init_project  # noqa: E402
from qda.coders.autocode import autocode  # noqa: E402
from qda.coders.rules import RuleCoder  # noqa: E402
from qda.importing import import_paths  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    args = parser.parse_args()
    files = generate(Path(__file__).parent / "corpus", args.words)
    with tempfile.TemporaryDirectory() as tmp, init_project(Path(tmp) / "bench") as project:
        assert import_paths(project, files).ok
        words = int(project.segments_frame().text.str.split().str.len().sum())
        start = time.perf_counter()
        RuleCoder(project.codebook).suggest(project.segments_frame().head(1).assign(
            language="es", question="", previous_question=""))  # pattern load: start-up
        loaded = time.perf_counter() - start
        start, cpu, workers = time.perf_counter(), time.process_time(), _children_cpu()
        report = autocode(project, "rules")
        elapsed = time.perf_counter() - start
        cpu, workers = time.process_time() - cpu, _children_cpu() - workers
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"autocode rules: {report.passages:,} passages, {words:,} respondent words, "
          f"{report.written:,} suggestions")
    print(f"autocode rules: patterns loaded in {loaded:.2f} s (start-up, not counted)")
    print(f"autocode rules: {elapsed:.2f} s, {words / elapsed:,.0f} words/s (target >= 300,000)")
    print(f"autocode rules: cpu {cpu:.2f} s in this process, {workers:.2f} s in worker processes "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"autocode rules: peak memory {peak_mb:,.0f} MB")


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


if __name__ == "__main__":
    main()
