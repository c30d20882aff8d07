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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

T = TypeVar("T")
Step = Callable[..., None]  # step(done=1, note="")
REFRESH_S = 0.1  # a bar redrawn more often only costs time
_enabled: dict[str, bool] = {"on": False}


def enable(on: bool = True) -> None:
    """Let `task` draw bars in this process (the `qda` command does, library use does not)."""
    _enabled["on"] = on


def interactive(stream: TextIO | None = None) -> bool:
    """True when a person is watching `stream` (stderr by default): a terminal, not CI."""
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("CI")


def _silent(done: int = 1, note: str = "") -> None:
    """The step of a task nobody watches."""


@contextmanager
def task(what: str, total: int, stream: TextIO | None = None) -> Iterator[Step]:
    """A bar `what  ━━━━  12/340  0:00:41  note` while the block runs; yields
    `step(done=1, note="")` to call as work completes. Silent unless enabled and a person
    watches `stream` (stderr by default), or when there are fewer than two steps."""
    if not _enabled["on"] or total < 2 or not interactive(stream):
        yield _silent
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeRemainingColumn)
    console: Console = Console(file=stream if stream is not None else sys.stderr)
    with Progress(TextColumn(escape(what)), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), TextColumn("{task.description}", markup=False),
                  console=console, transient=True) as bar:
        job = bar.add_task("", total=total)
        pending = {"done": 0, "at": 0.0}

        def step(done: int = 1, note: str = "") -> None:
            pending["done"] += done
            now = time.monotonic()
            if now - pending["at"] >= REFRESH_S:
                bar.update(job, advance=pending["done"], description=note)
                pending["done"], pending["at"] = 0, now
        yield step


def track(items: Iterable[T], what: str, total: int | None = None) -> Iterator[T]:
    """`items`, one step each, under a bar (`total` defaults to `len(items)`)."""
    size = total if total is not None else len(items)  # type: ignore[arg-type]
    with task(what, size) as step:
        for item in items:
            yield item
            step()
