"""The Textual app behind `qda tui`: screens, app-wide keys, the review session.

Decisions are written by `qda.review.Review` the moment a key is pressed; the app keeps
no unsaved state, so quitting (or a crash) loses nothing.
"""
from __future__ import annotations

import time
from collections import deque
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding

from ..codebook import Codebook
from ..errors import QdaError
from ..project import Project, open_project
from ..review import MACHINE_KINDS, Review
from .screens.codebook import CodebookScreen
from .screens.coding import CodingScreen
from .screens.dialogs import HelpScreen
from .screens.interviews import InterviewsScreen
from .screens.summary import SummaryScreen

LANGS = ("es", "en")


class QdaApp(App):
    """Review and code a project's interviews; `coder` is whose decisions these are."""

    CSS_PATH = "app.tcss"
    TITLE = "qda"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("I", "interviews", "Interviews", show=False),
        Binding("C", "codebook", "Codebook", show=False),
        Binding("S", "summary", "Summary", show=False),
        Binding("q", "quit", "Quit", show=False),
    ]

    def __init__(self, project: Project, coder: str, lang: str = "en",
                 compare: str | None = None, queue: bool = True) -> None:
        super().__init__()
        if lang not in LANGS:
            raise QdaError(f"--lang must be es or en, not '{lang}'")
        self.project = project
        self.review = Review(project, coder)
        self.codebook: Codebook = project.codebook
        self.lang = lang
        self.compare = compare
        self.queue: list[int] | None = None  # passages in `qda next` order, loaded aside
        self.load_queue = queue
        self.key_latencies: deque[float] = deque(maxlen=10_000)  # ms, see run_action

    async def run_action(self, action: str | Any, default_namespace: Any = None) -> bool:
        """Run a key's (or a click's) action, timing it until the screen has been redrawn:
        `key_latencies` is how long a person waits for an answer (bench/tui.py reports it)."""
        start = time.perf_counter()
        done = await super().run_action(action, default_namespace)
        self.call_after_refresh(
            lambda: self.key_latencies.append((time.perf_counter() - start) * 1000))
        return done

    def on_mount(self) -> None:
        self.push_screen(InterviewsScreen())

    # -- the review queue (`qda next` order), read on a thread with its own connection ---------
    @work(thread=True, exclusive=True, group="queue")
    def fill_queue(self) -> None:
        from ..coders.active import next_segments  # here: the model's libraries load aside
        try:
            with open_project(self.project.root) as own:
                order = next_segments(own)
        except QdaError as exc:  # e.g. an unreadable model: review goes on in document order
            self.call_from_thread(self.notify, f"review order: {exc}", severity="warning")
            return
        self.call_from_thread(setattr, self, "queue", order)

    def next_unreviewed(self, exclude: int | None = None) -> int | None:
        """The first passage in the queue this coder has not decided yet."""
        store, me = self.project.store, self.review.coder
        while self.queue:
            candidate = self.queue[0]
            if candidate != exclude and not store.reviewed_by(candidate, me):
                return candidate
            self.queue.pop(0)
        return None

    def reviewed(self, segment_id: int) -> None:
        if self.queue and self.queue[0] == segment_id:
            self.queue.pop(0)

    # -- screens -------------------------------------------------------------------------------
    def open_interview(self, document_id: int, segment_id: int | None = None,
                       code_filter: str | None = None) -> None:
        if self.load_queue and self.queue is None:
            # read while she reads the transcript: at start-up it would slow the first screen
            self.load_queue = False
            self.fill_queue()
        self.push_screen(CodingScreen(document_id, segment_id, code_filter))

    def _switch(self, kind: type) -> None:
        if isinstance(self.screen, kind):
            return
        for i, screen in enumerate(self.screen_stack):
            if isinstance(screen, kind):
                while len(self.screen_stack) > i + 1:
                    self.pop_screen()
                return
        self.push_screen(kind())

    def action_interviews(self) -> None:
        self._switch(InterviewsScreen)

    def action_codebook(self) -> None:
        self._switch(CodebookScreen)

    def action_summary(self) -> None:
        self._switch(SummaryScreen)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        seen: dict[tuple[str, str], list[str]] = {}
        for binding in [*type(self.screen).BINDINGS, *self.BINDINGS]:
            if isinstance(binding, Binding) and binding.description:
                shown = seen.setdefault((binding.action, binding.description), [])
                for key in binding.key.split(","):
                    label = self.get_key_display(Binding(key.strip(), binding.action))
                    if label not in shown:
                        shown.append(label)
        keys = [(" ".join(shown), description) for (_, description), shown in seen.items()]
        name = type(self.screen).__name__.removesuffix("Screen").lower()
        self.push_screen(HelpScreen(name, keys))

    def cycle_compare(self) -> None:
        """Show the next other coder's decisions beside mine (then nobody's)."""
        others = [name for name in self.project.store.decision_makers()
                  if name != self.review.coder and name not in MACHINE_KINDS]
        if not others:
            self.notify("nobody else has coded in this project yet", timeout=3)
            self.compare = None
            return
        ring = [*others, None]
        self.compare = ring[(ring.index(self.compare) + 1) % len(ring)] \
            if self.compare in ring else ring[0]
        self.notify(f"showing {self.compare}'s decisions" if self.compare
                    else "comparison off", timeout=2)


def run(project: Project, coder: str, lang: str, compare: str | None = None) -> None:
    """Run the TUI on a terminal until the user quits."""
    QdaApp(project, coder, lang, compare).run()
