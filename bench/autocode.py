"""Benchmark: the rule coder over the 1M-word synthetic corpus (segments already stored).

Prints words per second of `autocode --coder rules` (suggest + write, one transaction), the
CPU time it took here and in its worker processes (a large corpus is coded on two cores),
the machine's load and peak memory. The figure is wall-clock time, and a shared machine's
speed drifts by a third from minute to minute, so the run is repeated, each time in a new
process (as `qda autocode` runs) on a fresh copy of the imported project, and the median and
the best are both printed. Target (issue 4): >= 300,000
words/s.

    python bench/autocode.py [--words 1000000] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import generate  # noqa: E402
from qda import init_project, open_project  # noqa: E402
from qda.coders.autocode import autocode  # noqa: E402
from qda.coders.rules import RuleCoder  # noqa: E402
from qda.imports.pipeline import import_paths  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time", type=Path, help=argparse.SUPPRESS)  # one run, in this process
    args = parser.parse_args()
    if args.time:
        print(json.dumps(timed_run(args.time)))
        return
    files = generate(Path(__file__).parent / "corpus", args.words)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        imported = Path(tmp) / "imported"
        with init_project(imported) as project:
            assert import_paths(project, files).ok
            words = int(project.segments_frame().text.str.split().str.len().sum())
        for run in range(args.runs):
            copy = shutil.copytree(imported, Path(tmp) / f"run{run}")
            done = subprocess.run([sys.executable, __file__, "--time", str(copy)], check=True,
                                  capture_output=True, text=True)
            runs.append(json.loads(done.stdout.splitlines()[-1]))
            shutil.rmtree(copy)
            r = runs[-1]
            print(f"autocode rules: run {run + 1}: {r['seconds']:.2f} s, "
                  f"{words / r['seconds']:,.0f} words/s; cpu {r['cpu']:.2f} s here, "
                  f"{r['workers']:.2f} s in worker processes (load average {r['load']:.1f} on "
                  f"{os.cpu_count()} cores), peak memory {r['peak_mb']:,.0f} MB")
    times = [r["seconds"] for r in runs]
    median, best = statistics.median(times), min(times)
    print(f"autocode rules: {runs[0]['passages']:,} passages, {words:,} respondent words, "
          f"{runs[0]['written']:,} suggestions")
    print(f"autocode rules: patterns loaded in {runs[0]['loaded']:.2f} s (start-up, not counted)")
    print(f"autocode rules: median {median:.2f} s, {words / median:,.0f} words/s; best "
          f"{best:.2f} s, {words / best:,.0f} words/s (target >= 300,000)")


def timed_run(path: Path) -> dict:
    """One `autocode rules` on the project at `path`, timed after the patterns are loaded."""
    with open_project(path) as project:
        start = time.perf_counter()
        RuleCoder(project.codebook)  # pattern load: start-up
        loaded = time.perf_counter() - start
        start, cpu, workers = time.perf_counter(), time.process_time(), _children_cpu()
        report = autocode(project, "rules")
        seconds = time.perf_counter() - start
        cpu, workers = time.process_time() - cpu, _children_cpu() - workers
    return {"seconds": seconds, "cpu": cpu, "workers": workers, "loaded": loaded,
            "load": os.getloadavg()[0], "passages": report.passages, "written": report.written,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


if __name__ == "__main__":
    main()
