"""The coding screen: one interview's transcript, the current passage, and single-key
decisions on it. Every decision goes through `qda.review.Review`, written at once."""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...errors import QdaError
from ...models import AXES, ROLES
from ...review import Action, PassageView, view_of
from ..widgets.passage_panel import PassagePanel, axis_colour, code_label
from ..widgets.transcript import Mark, Transcript
from .dialogs import Choice, CodePicker, MemoDialog, Prompt

if TYPE_CHECKING:
    from ..app import QdaApp

AXIS_LETTERS = {axis: axis[0].upper() for axis in AXES}  # P C S L R


def fold(text: str) -> str:
    """Lower case without accents, so a search for "politica" finds "política"."""
    return "".join(ch for ch in unicodedata.normalize("NFD", text.casefold())
                   if not unicodedata.combining(ch))


class CodingScreen(Screen):
    """Review the passages of one interview."""

    BINDINGS = [
        Binding("j,down", "move(1)", "Move", key_display="j/k"),
        Binding("k,up", "move(-1)", "Move back", show=False),
        Binding("n", "next_unreviewed", "Unreviewed"),
        Binding("a", "accept", "Accept"),
        Binding("A", "accept_all", "Accept all", show=False),
        Binding("r", "reject", "Reject"),
        Binding("R", "reject_all", "Reject all (nothing to code)", show=False),
        Binding("c", "add_code", "Code"),
        Binding("d", "remove_code", "Remove a code", show=False),
        Binding("m", "memo", "Memo"),
        Binding("u", "undo", "Undo"),
        Binding("U", "redo", "Redo", show=False),
        Binding("s", "select(1)", "Select next suggestion", show=False),
        *[Binding(str(i), f"pick({i - 1})", f"Select suggestion {i}", show=False)
          for i in range(1, 10)],
        Binding("slash", "search", "Search text", show=False),
        Binding("f", "filter", "Filter passages", show=False),
        Binding("v", "compare", "Compare with another coder", show=False),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, document_id: int, segment_id: int | None = None,
                 code_filter: str | None = None) -> None:
        super().__init__()
        self.document_id = document_id
        self.start_segment = segment_id
        self.filter_name = f"code:{code_filter}" if code_filter else "all"
        self.current: int | None = None
        self.selected = 0
        self.order: list[int] = []
        self.views: dict[int, PassageView] = {}
        self.rows: dict[int, list] = {}
        self.last_search = ""

    @property
    def qda(self) -> "QdaApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="doc-header")
        with Horizontal():
            yield Transcript(id="transcript")
            yield PassagePanel(id="side")
        yield Footer()

    def on_mount(self) -> None:
        self.load_document(self.document_id, self.start_segment)

    # -- loading -----------------------------------------------------------------------------
    def load_document(self, document_id: int, segment_id: int | None = None) -> None:
        """Read one interview's passages, codings, reviews and memos in four queries."""
        store, me = self.qda.project.store, self.qda.review.coder
        self.document_id = document_id
        self.document = next(d for d in store.documents() if d["id"] == document_id)
        segments = store.segments(document_id)
        self.rows = {}
        for row in store.document_codings(document_id):
            self.rows.setdefault(row["segment_id"], []).append(row)
        reviews = store.document_reviews(document_id, me)
        memos = store.document_memos(document_id, me)
        self.order = [s.id for s in segments if not s.is_interviewer]
        self.speakers = {s.id: s.speaker for s in segments}
        self.texts = {s.id: s.text for s in segments if not s.is_interviewer}
        self.views = {sid: view_of(self.rows.get(sid, []), me, sid, sid in reviews,
                                   memos.get(sid)) for sid in self.order}
        transcript = self.query_one(Transcript)
        transcript.show(segments, {sid: self._mark(v) for sid, v in self.views.items()})
        target = segment_id if segment_id in self.views else None
        if target is None:
            target = next((s for s in self.order if self._matches(s)), None)
        if target is None and self.order:
            target = self.order[0]
        self._header()
        if target is not None:
            self.go(target)
        else:
            self.query_one(PassagePanel).update("This interview has no respondent passages.")

    def _mark(self, view: PassageView) -> Mark:
        book = self.qda.codebook
        axes = []
        for code in view.codes:
            axis = code.split("/")[0]
            entry = (AXIS_LETTERS.get(axis, axis[:1].upper()), axis_colour(book, code))
            if entry not in axes:
                axes.append(entry)
        return Mark(axes, pending=bool(view.suggestions) and not view.reviewed,
                    reviewed=view.reviewed)

    def _header(self) -> None:
        d, lang = self.document, self.qda.lang
        role = ROLES.get(d["role"] or "", {}).get(lang, d["role"] or "")
        parts = [d["name"], d["country"], role, d["policy"], d["language"]]
        right = f"coder {self.qda.review.coder}"
        if self.qda.compare:
            right += f" · beside {self.qda.compare}"
        if self.filter_name != "all":
            right += f" · filter {self.filter_name}"
        self.query_one("#doc-header", Static).update(
            " · ".join(p for p in parts if p) + "   [dim]" + right + "[/]")

    # -- the current passage -------------------------------------------------------------------
    def go(self, segment_id: int) -> None:
        if segment_id != self.current:
            self.selected = 0
        self.current = segment_id
        self._show()

    def _show(self) -> None:
        sid = self.current
        if sid is None:
            return
        view = self.views[sid]
        self.selected = min(self.selected, max(len(view.suggestions) - 1, 0))
        spans = [span for s in view.suggestions for span in s.spans()]
        self.query_one(Transcript).set_current(sid, spans)
        other = None
        compare = self.qda.compare
        if compare:
            store = self.qda.project.store
            other = view_of(self.rows.get(sid, []), compare, sid, store.reviewed_by(sid, compare),
                            store.passage_memo(sid, compare))
        speaker = self.speakers.get(sid) or "?"
        position = f"Passage {self.order.index(sid) + 1} of {len(self.order)} · {speaker}"
        self.query_one(PassagePanel).show(view, book=self.qda.codebook, lang=self.qda.lang,
                                          position=position, selected=self.selected,
                                          compare=compare, other=other)

    def _reload(self, segment_id: int) -> None:
        """Re-read one passage after a decision (ours, or an undo)."""
        store, me = self.qda.project.store, self.qda.review.coder
        self.rows[segment_id] = store.coding_states(segment_id)
        view = view_of(self.rows[segment_id], me, segment_id, store.reviewed_by(segment_id, me),
                       store.passage_memo(segment_id, me))
        self.views[segment_id] = view
        self.query_one(Transcript).set_mark(segment_id, self._mark(view))
        if view.reviewed:
            self.qda.reviewed(segment_id)

    def _decide(self, decide: Callable[[int], Action]) -> Action | None:
        if self.current is None:
            return None
        sid = self.current
        try:
            action = decide(sid)
        except QdaError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            action = None
        self._reload(sid)
        self._show()
        return action

    def _suggestion(self) -> str | None:
        view = self.views.get(self.current) if self.current is not None else None
        if not view or not view.suggestions:
            self.notify("no pending suggestion on this passage; c adds a code", timeout=3)
            return None
        return view.suggestions[self.selected].code

    # -- moving --------------------------------------------------------------------------------
    def _matches(self, sid: int) -> bool:
        name, view = self.filter_name, self.views[sid]
        if name == "all":
            return True
        if name == "unreviewed":
            return not view.reviewed
        if name == "pending":
            return bool(view.suggestions)
        if name == "coded":
            return bool(view.codes)
        if name == "memo":
            return bool(view.memo)
        if name == "disagree" and self.qda.compare:
            other = view_of(self.rows.get(sid, []), self.qda.compare, sid)
            return set(other.codes) != set(view.codes)
        if name.startswith("code:"):
            code = name[5:]
            codes = view.codes + [s.code for s in view.suggestions]
            return any(c == code or c.startswith(code + "/") for c in codes)
        return True

    def action_move(self, step: int) -> None:
        if self.current is None:
            return
        i = self.order.index(self.current) + step
        while 0 <= i < len(self.order):
            if self._matches(self.order[i]):
                self.go(self.order[i])
                return
            i += step
        where = "" if self.filter_name == "all" else f" for filter {self.filter_name}"
        self.notify(("first passage" if step < 0 else "last passage") + where, timeout=2)

    def action_next_unreviewed(self) -> None:
        target = self.qda.next_unreviewed(exclude=self.current)
        if target is None:
            # nothing left in the project's queue: the next one I have not decided here
            start = self.order.index(self.current) if self.current in self.order else -1
            ring = self.order[start + 1:] + self.order[:start + 1]
            target = next((s for s in ring if not self.views[s].reviewed), None)
        if target is None:
            self.notify("every passage is reviewed", timeout=3)
        elif target in self.views:
            self.go(target)
        else:
            segment = self.qda.project.store.segment(target)
            self.load_document(segment.document_id, target)

    def action_select(self, step: int) -> None:
        view = self.views.get(self.current)
        if view and view.suggestions:
            self.selected = (self.selected + step) % len(view.suggestions)
            self._show()

    def action_pick(self, index: int) -> None:
        view = self.views.get(self.current)
        if view and index < len(view.suggestions):
            self.selected = index
            self._show()

    # -- decisions -----------------------------------------------------------------------------
    def action_accept(self) -> None:
        code = self._suggestion()
        if code:
            self._decide(lambda sid: self.qda.review.accept(sid, code))

    def action_reject(self) -> None:
        code = self._suggestion()
        if code:
            self._decide(lambda sid: self.qda.review.reject(sid, code))

    def action_accept_all(self) -> None:
        self._decide(self.qda.review.accept_all)

    def action_reject_all(self) -> None:
        self._decide(self.qda.review.reject_all)

    def action_add_code(self) -> None:
        if self.current is None:
            return

        def done(code: str | None) -> None:
            if code:
                self._decide(lambda sid: self.qda.review.add(sid, code))
        self.app.push_screen(CodePicker(self.qda.codebook.codes, self.qda.lang), done)

    def action_remove_code(self) -> None:
        view = self.views.get(self.current)
        if not view or not view.codes:
            self.notify("this passage has no code of yours to remove", timeout=3)
            return
        book, lang = self.qda.codebook, self.qda.lang

        def done(code: str | None) -> None:
            if code:
                self._decide(lambda sid: self.qda.review.remove(sid, code))
        self.app.push_screen(Choice("Remove which code?", [
            (code, code_label(book, code, lang)) for code in view.codes]), done)

    def action_memo(self) -> None:
        view = self.views.get(self.current)
        if view is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self._decide(lambda sid: self.qda.review.memo(sid, text))
        self.app.push_screen(MemoDialog(view.memo or "", "Memo on this passage"), done)

    def action_undo(self) -> None:
        self._history(self.qda.review.undo, "undone")

    def action_redo(self) -> None:
        self._history(self.qda.review.redo, "redone")

    def _history(self, step: Callable[[], Action | None], verb: str) -> None:
        try:
            action = step()
        except QdaError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        if action is None:
            self.notify(f"nothing to be {verb}", timeout=2)
            return
        sid = action.segment_id
        if sid in self.views:
            self._reload(sid)
            self.go(sid)
        else:
            self.load_document(self.qda.project.store.segment(sid).document_id, sid)
        self.notify(f"{verb}: {action.label}", timeout=2)

    # -- finding -------------------------------------------------------------------------------
    def action_search(self) -> None:
        def done(query: str | None) -> None:
            if not query:
                return
            self.last_search = query
            wanted = fold(query)
            start = self.order.index(self.current) if self.current in self.order else -1
            ring = self.order[start + 1:] + self.order[:start + 1]
            hits = [s for s in ring if wanted in fold(self.texts[s])]
            if hits:
                self.go(hits[0])
                self.notify(f"'{query}': {len(hits)} passage(s) here; / and Enter for the "
                            "next", timeout=3)
            else:
                self.notify(f"'{query}' is not in this interview", timeout=3)
        self.app.push_screen(Prompt("Search this interview", self.last_search,
                                    "words (accents and case ignored)"), done)

    def action_filter(self) -> None:
        choices = [("all", "All passages"), ("unreviewed", "Not reviewed by me"),
                   ("pending", "With pending suggestions"), ("coded", "Coded by me"),
                   ("memo", "With my memo"), ("code", "With a code…")]
        if self.qda.compare:
            choices.insert(4, ("disagree", f"Where {self.qda.compare} and I differ"))

        def chosen(name: str | None) -> None:
            if name == "code":
                self.app.push_screen(CodePicker(self.qda.codebook.codes, self.qda.lang,
                                                "Filter by code"),
                                     lambda code: code and self._set_filter(f"code:{code}"))
            elif name:
                self._set_filter(name)
        self.app.push_screen(Choice("Show which passages?", choices), chosen)

    def _set_filter(self, name: str) -> None:
        self.filter_name = name
        self._header()
        if self.current is not None and not self._matches(self.current):
            target = next((s for s in self.order if self._matches(s)), None)
            if target is None:
                self.notify(f"no passage here matches {name}", timeout=3)
            else:
                self.go(target)

    def action_compare(self) -> None:
        self.qda.cycle_compare()
        self._header()
        self._show()

    def action_back(self) -> None:
        self.app.pop_screen()
