"""Progress on long commands: one rich bar on stderr with counts and the time left.

Shown only when a person watches: the command line turns it on (`enable`), and even then
nothing is drawn unless stderr is a terminal and `CI` is unset, so piped output, logs, tests
and notebooks stay clean. Library code marks its long loops with `task` or `track`; with
progress off these cost one function call each.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

T = TypeVar("T")
REFRESH_S = 0.1  # a bar redrawn more often only costs time
_enabled: dict[str, bool] = {"on": False}
_live: list[tuple[Progress, int]] = []  # bars on screen and the process drawing them


class Step:
    """What a task yields: call it as work completes, `step(done=1, note="")`; `shown` says
    whether a bar is on screen (worth cutting work into pieces to report on)."""

    shown = False

    def __call__(self, done: int = 1, note: str = "") -> None:
        """Nobody watches: nothing to do."""


class _Bar(Step):
    shown = True

    def __init__(self, bar: Progress, job: TaskID) -> None:
        self.bar, self.job = bar, job
        self.pending, self.at = 0, 0.0

    def __call__(self, done: int = 1, note: str = "") -> None:
        self.pending += done
        now = time.monotonic()
        if now - self.at >= REFRESH_S:
            self.bar.update(self.job, advance=self.pending, description=note)
            self.pending, self.at = 0, now


def enable(on: bool = True) -> None:
    """Let `task` draw bars in this process (the `qda` command does, library use does not)."""
    _enabled["on"] = on


def interactive(stream: TextIO | None = None) -> bool:
    """True when a person is watching `stream` (stderr by default): a terminal, not CI."""
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("CI")


@contextmanager
def task(what: str, total: int, stream: TextIO | None = None) -> Iterator[Step]:
    """A bar `what  ━━━━  12/340  0:00:41  note` while the block runs; yields a `Step` to
    call as work completes. Silent unless enabled and a person watches `stream` (stderr by
    default), or when there are fewer than two steps."""
    if not _enabled["on"] or total < 2 or not interactive(stream) or (
            _live and _live[-1][1] != os.getpid()):  # a forked worker leaves it to its parent
        yield Step()
        return
    if _live:  # a task inside a task: a second row
        bar = _live[-1][0]
        job = bar.add_task("", total=total, what=what)
        try:
            yield _Bar(bar, job)
        finally:
            bar.remove_task(job)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )
    console = Console(file=stream if stream is not None else sys.stderr)
    with Progress(TextColumn("{task.fields[what]}", markup=False), BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(),
                  TextColumn("{task.description}", markup=False),
                  console=console, transient=True) as bar:
        _live.append((bar, os.getpid()))
        try:
            yield _Bar(bar, bar.add_task("", total=total, what=what))
        finally:
            _live.pop()


def track(items: Iterable[T], what: str, total: int | None = None) -> Iterator[T]:
    """`items`, one step each, under a bar (`total` defaults to `len(items)`)."""
    size = total if total is not None else len(items)  # type: ignore[arg-type]
    with task(what, size) as step:
        for item in items:
            yield item
            step()
