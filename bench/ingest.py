"""Benchmark: import plus segmentation of the synthetic corpus into a fresh store.

Prints words per second end to end and the peak memory of the process.
Targets (issue 2): >= 150,000 words/s and < 1 GB peak for 1M words on 2 cores.

    python bench/ingest.py [--words 1000000]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import generate  # noqa: E402
from qda import init_project  # noqa: E402
from qda.imports.pipeline import import_paths  # noqa: E402
from qda.text.nlp import pipeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    args = parser.parse_args()
    files = generate(Path(__file__).parent / "corpus", args.words)
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    pipeline("es"), pipeline("en")  # model load is start-up, not throughput
    with tempfile.TemporaryDirectory() as tmp, init_project(Path(tmp) / "bench") as project:
        start = time.perf_counter()
        report = import_paths(project, files)
        elapsed = time.perf_counter() - start
        segments = len(project.segments_frame())
    assert report.ok, report.failed[:3]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ingest: {len(files)} interviews, {words:,} words, {segments:,} passages")
    print(f"ingest: {elapsed:.2f} s, {words / elapsed:,.0f} words/s (target >= 150,000)")
    print(f"ingest: peak memory {peak_mb:,.0f} MB (target < 1,024 MB)")


if __name__ == "__main__":
    main()
