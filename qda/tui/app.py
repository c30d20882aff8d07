"""The Textual app behind `qda tui`: screens, app-wide keys, the review session.

Decisions are written by `qda.review.Review` the moment a key is pressed; the app keeps
no unsaved state, so quitting (or a crash) loses nothing. Every word of the interface goes
through `tr` (the Spanish table is `qda.lang.es`), and every piece of user text is shown
as plain text, never read as markup.
"""
from __future__ import annotations

import gc
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding

from qda.codebook.model import Codebook
from qda.errors import QdaError
from qda.lang import ui
from qda.project import Project, open_project
from qda.review import Review, StoreGone
from qda.tui.app_text import translate_bindings
from qda.tui.screens.interviews import InterviewsScreen
from qda.vocab import LANGS, MACHINE_KINDS

if TYPE_CHECKING:
    from qda.tui.screens.dialogs import CodeIndex

# The first screen is the interview list: the other screens (and the widgets and Textual
# modules they use) are imported when first shown, so start-up does not wait for them.

STORE_CHECK_S = 2.0  # how often the store file is checked to still be the project's


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
        Binding("M", "memos", "Memos", show=False),
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
        translate_bindings(self, lang)
        self.compare = compare
        self.queue: list[int] | None = None  # passages in `qda next` order for me, read aside
        self.load_queue = queue
        self.key_latencies: deque[float] = deque(maxlen=10_000)  # ms, see run_action
        self.key_cpu: deque[float] = deque(maxlen=10_000)  # the same keys' CPU ms (this thread)
        self.gone: str | None = None  # why the session stopped: its store file went away
        self._code_index: CodeIndex | None = None
        self._collector_held = False  # gc disabled by a key until its screen is drawn

    def code_index(self) -> CodeIndex:
        """The picker's index of the codebook, built when first needed."""
        if self._code_index is None:
            from qda.tui.screens.dialogs import CodeIndex, topic_words
            self._code_index = CodeIndex(self.codebook.codes, topic_words(self.codebook.path))
        return self._code_index

    def codebook_changed(self) -> None:
        """Read the codebook again after a code was created, renamed or merged."""
        self.codebook = self.project.reload_codebook()
        self._code_index = None

    def tr(self, text: str, **values: object) -> str:
        """`text` in the interface's language."""
        return ui(text, self.lang, **values)

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Notifications carry user text (queries, code labels): never read as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    async def run_action(self, action: str | Any, default_namespace: Any = None) -> bool:
        """Run a key's (or a click's) action, timing it until the screen has been redrawn:
        `key_latencies` is how long a person waits for an answer, `key_cpu` the part of it this
        process worked (on a busy machine the rest is waiting for a core; bench/tui.py reports
        both). The garbage collector waits until the screen shows the answer (see
        `_hold_collector`)."""
        start, cpu = time.perf_counter(), time.thread_time()
        self._hold_collector()
        try:
            done = await super().run_action(action, default_namespace)
        finally:
            self.call_after_refresh(self._answered, start, cpu)
        return done

    def _hold_collector(self) -> None:
        """Keep the garbage collector from running between a key and its redrawn screen: the
        objects a key makes (lines, styles, rows) set off collections in the middle of it,
        1-10 ms each and 50-80 ms for a full one, a third of the slowest keys' time. They
        run instead as soon as the screen is drawn (`_answered`), while she reads it."""
        if not self._collector_held and gc.isenabled():
            gc.disable()
            self._collector_held = True

    def _release_collector(self) -> None:
        if self._collector_held:
            self._collector_held = False
            gc.enable()

    def _answered(self, start: float, cpu: float) -> None:
        """The key's answer is on screen: time it, let the collector run, and let the screen
        get ready for the next key (`prepare_next`) while she reads."""
        self.key_latencies.append((time.perf_counter() - start) * 1000)
        self.key_cpu.append((time.thread_time() - cpu) * 1000)
        self._release_collector()
        prepare = getattr(self.screen, "prepare_next", None)
        if prepare is not None:
            self.call_later(prepare)

    def on_mount(self) -> None:
        self.push_screen(InterviewsScreen())
        self.set_interval(STORE_CHECK_S, self.check_store)

    # -- the store must stay the project's file ----------------------------------------------
    def check_store(self) -> bool:
        """Stop the session (exit status 1, with the reason) if the store file was deleted
        or replaced: every later decision would be written into a file nobody can open."""
        try:
            self.review.check_store()
        except StoreGone as exc:
            self.store_gone(exc)
            return False
        return True

    def store_gone(self, exc: StoreGone) -> None:
        if self.gone is None:
            self.gone = str(exc)
            self.exit(return_code=1)

    # -- the review queue (`qda next` order for me), read on a thread with its own connection
    @work(thread=True, exclusive=True, group="queue")
    def fill_queue(self) -> None:
        from qda.coders.active import next_segments  # here: the model's libraries load aside
        try:
            with open_project(self.project.root) as own:
                order = next_segments(own, coder=self.review.coder)
        except QdaError as exc:  # e.g. an unreadable model: review goes on in document order
            self.call_from_thread(self.notify, self.tr("review order: {why}", why=str(exc)),
                                  severity="warning")
            return
        self.call_from_thread(self._queue_read, order)

    def _queue_read(self, order: list[int]) -> None:
        self.queue = order
        self.settle()  # the model's libraries were loaded for it: many objects, long-lived

    def settle(self) -> None:
        """Leave what is loaded so far (Textual, the interview list, the model's libraries)
        out of the garbage collector's full passes: each walked every one of those objects,
        a pause of 0.2-0.4 s in the middle of a key press every hundred keys. Called once
        at start-up and once when the review queue is read, so what it keeps from ever being
        collected (cycles already dead at that moment) stays bounded."""
        gc.freeze()

    def on_unmount(self) -> None:
        """The session is over: what was frozen can be collected again (a library use of the
        app, or the tests, go on in the same process)."""
        self._release_collector()
        gc.unfreeze()

    def next_unreviewed(self, current: int | None = None) -> int | None:
        """The next passage I have not reviewed, across interviews: in the `qda next` order
        once it is read, else in transcript order after `current`."""
        store, me = self.project.store, self.review.coder
        if self.queue is not None:
            while self.queue and store.reviewed_by(self.queue[0], me):
                self.queue.pop(0)  # reviewed since the queue was read
            for candidate in self.queue:
                if candidate != current and not store.reviewed_by(candidate, me):
                    return candidate
        return store.next_unreviewed(current, me)


    def reviewed(self, segment_id: int) -> None:
        if self.queue and self.queue[0] == segment_id:
            self.queue.pop(0)

    # -- screens -------------------------------------------------------------------------------
    def open_interview(self, document_id: int, segment_id: int | None = None,
                       code_filter: str | None = None) -> None:
        from qda.tui.screens.coding import CodingScreen
        if self.load_queue and self.queue is None:
            # read while she reads the transcript: at start-up it would slow the first screen
            self.load_queue = False
            self.fill_queue()
        for screen in self.screen_stack:
            if isinstance(screen, CodingScreen):  # one coding screen: reuse it
                while self.screen is not screen:
                    self.pop_screen()
                screen.filter_name = f"code:{code_filter}" if code_filter else "all"
                screen.load_document(document_id, segment_id)
                return
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
        from qda.tui.screens.codebook import CodebookScreen
        self._switch(CodebookScreen)

    def action_summary(self) -> None:
        from qda.tui.screens.summary import SummaryScreen
        self._switch(SummaryScreen)

    def action_memos(self) -> None:
        from qda.tui.screens.memos import MemosScreen
        self._switch(MemosScreen)

    def action_help(self) -> None:
        from qda.tui.screens.dialogs import HelpScreen
        if isinstance(self.screen, HelpScreen):
            return
        seen: dict[tuple[str, str], list[str]] = {}
        for node in (self.screen, self):
            own = {b.action for b in type(node).BINDINGS if isinstance(b, Binding)}
            for key, bindings in node._bindings.key_to_bindings.items():
                for binding in bindings:  # qda's keys, not Textual's focus and copy keys
                    if binding.description and binding.action in own:
                        shown = seen.setdefault((binding.action, binding.description), [])
                        label = self.get_key_display(Binding(key, binding.action))
                        if label not in shown:
                            shown.append(label)
        keys = [(" ".join(shown), description) for (_, description), shown in seen.items()]
        name = self.tr(type(self.screen).__name__.removesuffix("Screen").lower())
        self.push_screen(HelpScreen(name, keys, self.lang))

    def cycle_compare(self) -> None:
        """Show the next other coder's decisions beside mine (then nobody's)."""
        others = [name for name in self.project.store.decision_makers()
                  if name != self.review.coder and name not in MACHINE_KINDS]
        if not others:
            self.notify(self.tr("nobody else has coded in this project yet"), timeout=3)
            self.compare = None
            return
        ring = [*others, None]
        self.compare = ring[(ring.index(self.compare) + 1) % len(ring)] \
            if self.compare in ring else ring[0]
        self.notify(self.tr("showing {who}'s decisions", who=self.compare) if self.compare
                    else self.tr("comparison off"), timeout=2)


def run(project: Project, coder: str, lang: str, compare: str | None = None) -> None:
    """Run the TUI on a terminal until the user quits; a store that went away while it ran
    is an error (exit status 1), never a silent success."""
    app = QdaApp(project, coder, lang, compare)
    app.run()
    if app.gone:
        raise QdaError(app.gone)
