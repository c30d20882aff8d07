"""Benchmark: `qda tui` on the 1M-word synthetic corpus (100 interviews, 50,000 codings).

Prints the time to open the project to a usable interviews screen and the p95 latency of
key actions on the coding screen (moving, accepting, rejecting, undo, redo, next
unreviewed), measured inside the app: from the start of the key's action until the screen
has been redrawn (`QdaApp.key_latencies`). Also printed, as an upper bound: the time from
the test pilot's key press until it sees the app idle, which includes the pilot's own
polling (the time an unbound key takes). Targets (issue 6): open < 1.5 s, key p95 < 50 ms.

    python bench/tui.py [--words 1000000] [--keys 300]
"""
from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.summary import build  # noqa: E402
from qda import open_project  # noqa: E402
from qda.tui.app import QdaApp  # noqa: E402

OPEN_TARGET_S = 1.5
KEY_TARGET_MS = 50
# a reviewing rhythm: read on, accept or reject, sometimes undo, redo, jump to the next
RHYTHM = ["j", "a", "j", "r", "j", "j", "u", "U", "k", "n", "2", "A", "j", "R", "j", "s"]


async def measure(root: Path, keys: int
                  ) -> tuple[float, int, list[float], list[float], list[float], int]:
    start = time.perf_counter()
    project = open_project(root)
    app = QdaApp(project, "ana", "en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        opened = time.perf_counter() - start
        rows = app.screen.query_one("DataTable").row_count
        await pilot.press("enter")  # the first interview
        await app.workers.wait_for_complete()  # the review queue, read on a thread
        await pilot.pause()
        passages = len(app.screen.order)
        app.key_latencies.clear()
        latencies, idle = [], []
        for i in range(keys):
            for key, into in ((RHYTHM[i % len(RHYTHM)], latencies), ("x", idle)):
                t0 = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                into.append((time.perf_counter() - t0) * 1000)
        inside = list(app.key_latencies)
        await pilot.press("q")
    project.close()
    return opened, rows, inside, latencies, idle, passages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--keys", type=int, default=320)
    args = parser.parse_args()
    source = build(args.words, 50_000, rebuild=False)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(source, root)  # the review writes; the cached project stays as built
        opened, rows, inside, latencies, idle, passages = asyncio.run(measure(root, args.keys))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import qda.tui.app"], check=True)
    imports = time.perf_counter() - start
    p95 = statistics.quantiles(inside, n=20)[-1]
    outer = statistics.quantiles(latencies, n=20)[-1]
    print(f"tui: {rows} interviews; opened to the interviews screen in {opened:.2f} s "
          f"(target < {OPEN_TARGET_S} s); interpreter start and imports {imports:.2f} s more")
    print(f"tui: {len(inside)} key actions on an interview of {passages} passages, action to "
          f"redrawn screen: median {statistics.median(inside):.1f} ms, p95 {p95:.1f} ms, max "
          f"{max(inside):.1f} ms (target p95 < {KEY_TARGET_MS} ms)")
    print(f"tui: seen from the test pilot (upper bound): median "
          f"{statistics.median(latencies):.1f} ms, p95 {outer:.1f} ms; its own wait per key "
          f"(an unbound key): median {statistics.median(idle):.1f} ms")


if __name__ == "__main__":
    main()
