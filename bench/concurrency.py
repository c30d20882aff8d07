"""Benchmark: concurrent writers on one project, in separate processes, without errors.

Reviewers (each on its own share of the passages, as two coders splitting a study) accept
or reject suggestions through `Store.review_coding`, the TUI's path, as fast as they can,
while another process runs `autocode` over and over. Prints decisions per second, decision
latency (median, 99th percentile, worst), autocode runs finished, errors (must be 0) and
checks that every decision is in the store at the end (no lost update).

    python bench/concurrency.py [--reviewers 2] [--seconds 10] [--words 60000]
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import generate  # noqa: E402
from qda import init_project, open_project  # noqa: E402
from qda.coders.autocode import autocode  # noqa: E402
from qda.errors import QdaError  # noqa: E402
from qda.imports.pipeline import import_paths  # noqa: E402


def reviewer(root: str, share: int, of: int, seconds: float, queue: mp.Queue) -> None:
    rng = random.Random(share)
    decided: dict[tuple[int, str, str], str] = {}
    latencies: list[float] = []
    errors: list[str] = []
    with open_project(root) as project:
        frame = project.codings_frame()
        todo = [(int(r.segment_id), r.code, r.coder) for r in frame.itertuples()
                if r.kind != "human" and r.segment_id % of == share]
        stop = time.perf_counter() + seconds
        while time.perf_counter() < stop:
            key = rng.choice(todo)
            status = rng.choice(("accepted", "rejected"))
            started = time.perf_counter()
            try:
                project.store.review_coding(*key, status, f"coder{share}")
            except QdaError as exc:
                if "no coding" not in str(exc):
                    errors.append(str(exc))
                continue
            except Exception as exc:  # a crash is what this benchmark looks for
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append(time.perf_counter() - started)
            decided[key] = status
    queue.put(("reviewer", decided, latencies, errors))


def coder(root: str, seconds: float, queue: mp.Queue) -> None:
    runs, errors = 0, []
    with open_project(root) as project:
        stop = time.perf_counter() + seconds
        while time.perf_counter() < stop:
            try:
                autocode(project)
                runs += 1
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
    queue.put(("coder", runs, [], errors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviewers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--words", type=int, default=60_000)
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bench"
        with init_project(root) as project:
            assert import_paths(project, generate(Path(tmp) / "corpus", args.words, 5_000)).ok
            autocode(project)
        queue: mp.Queue = ctx.Queue()
        procs = [ctx.Process(target=reviewer, args=(str(root), i, args.reviewers, args.seconds,
                                                    queue)) for i in range(args.reviewers)]
        procs.append(ctx.Process(target=coder, args=(str(root), args.seconds, queue)))
        for p in procs:
            p.start()
        results = [queue.get(timeout=args.seconds + 300) for _ in procs]
        for p in procs:
            p.join()
        decided: dict = {}
        latencies: list[float] = []
        errors: list[str] = []
        runs = 0
        for kind, payload, lat, errs in results:
            errors += errs
            if kind == "reviewer":
                decided.update(payload)
                latencies += lat
            else:
                runs = payload
        with open_project(root) as project:
            frame = project.codings_frame()
            problems = project.store.integrity_problems()
    now = {(int(r.segment_id), r.code, r.coder): r.status for r in frame.itertuples()}
    lost = sum(now.get(k) != v for k, v in decided.items())
    latencies.sort()
    print(f"concurrency: {args.reviewers} reviewer processes + 1 autocode process for "
          f"{args.seconds:.0f} s on {args.words:,} words")
    print(f"concurrency: {len(latencies):,} decisions, {len(latencies) / args.seconds:,.0f} "
          f"decisions/s; {runs} autocode runs finished meanwhile")
    if latencies:
        print(f"concurrency: decision latency median {statistics.median(latencies) * 1000:.2f} "
              f"ms, p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms, worst "
              f"{latencies[-1] * 1000:.0f} ms")
    print(f"concurrency: {len(errors)} errors, {lost} lost updates, integrity "
          f"{'ok' if not problems else problems}")
    for e in errors[:5]:
        print(f"  error: {e}")
    assert not errors and not lost and not problems


if __name__ == "__main__":
    main()
