"""The coding screen: one interview's transcript, the current passage, and single-key
decisions on it, on the whole passage or on a selected part of it. Every decision goes
through `qda.review.Review`, written at once."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Static

from qda.errors import QdaError
from qda.review import Action, PassageView, StoreGone, view_of
from qda.tui.app_text import translated
from qda.tui.screens.dialogs import NEW, Choice, CodePicker, MemoDialog, Prompt, fold
from qda.tui.widgets.passage_panel import PassagePanel, axis_colour, code_label, excerpt, panel_text
from qda.tui.widgets.transcript import Mark, Transcript
from qda.vocab import AXES, ROLES

if TYPE_CHECKING:
    from qda.tui.app import QdaApp

AXIS_LETTERS = {axis: axis[0].upper() for axis in AXES}  # P C S L R
_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”)\]]*(?=\s|$)")


class CodingScreen(Screen):
    """Review the passages of one interview."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
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
        Binding("i", "interview_memo", "Memo on the interview", show=False),
        Binding("u", "undo", "Undo"),
        Binding("U", "redo", "Redo", show=False),
        Binding("s", "select(1)", "Select next suggestion", show=False),
        *[Binding(str(i), f"pick({i - 1})", f"Select suggestion {i}", show=False)
          for i in range(1, 10)],
        Binding("shift+right", "extend('word', 1)", "Select: one more word", show=False),
        Binding("shift+left", "extend('word', -1)", "Select: one word less", show=False),
        Binding("shift+down", "extend('sentence', 1)", "Select: one more sentence",
                show=False),
        Binding("shift+up", "extend('sentence', -1)", "Select: one sentence less",
                show=False),
        Binding("greater_than_sign", "shift_start(1)", "Select: start a word later",
                key_display=">", show=False),
        Binding("less_than_sign", "shift_start(-1)", "Select: start a word earlier",
                key_display="<", show=False),
        Binding("pageup", "scroll('page_up')", "Scroll up a page", show=False),
        Binding("pagedown", "scroll('page_down')", "Scroll down a page", show=False),
        Binding("home", "scroll('home')", "Scroll to the start", show=False),
        Binding("end", "scroll('end')", "Scroll to the end", show=False),
        Binding("slash", "search", "Search text", show=False),
        Binding("f", "filter", "Filter passages", show=False),
        Binding("v", "compare", "Compare with another coder", show=False),
        Binding("escape", "back", "Back (or clear the selection)", show=False),
    ]

    def __init__(self, document_id: int, segment_id: int | None = None,
                 code_filter: str | None = None) -> None:
        super().__init__()
        translated(self)
        self.document_id = document_id
        self.start_segment = segment_id
        self.filter_name = f"code:{code_filter}" if code_filter else "all"
        self.current: int | None = None
        self.selected = 0
        self.selection: tuple[int, int] | None = None  # part of the current passage
        self.order: list[int] = []
        self.views: dict[int, PassageView] = {}
        self.rows: dict[int, list] = {}
        self.last_search = ""

    @property
    def qda(self) -> QdaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="doc-header")
        with Horizontal(id="body"):
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
        self.document = store.document(document_id)
        segments = store.segments(document_id)
        self.rows = {}
        for row in store.document_codings(document_id):
            self.rows.setdefault(row["segment_id"], []).append(row)
        reviews = store.document_reviews(document_id, me)
        memos = store.document_memos(document_id, me)
        self.order = [s.id for s in segments if not s.is_interviewer]
        self.segments = {s.id: s for s in segments}
        self.texts = {s.id: s.text for s in segments if not s.is_interviewer}
        self.views = {sid: view_of(self.rows.get(sid, []), me, sid, sid in reviews,
                                   memos.get(sid)) for sid in self.order}
        transcript = self.query_one(Transcript)
        transcript.show(segments, {sid: self._mark(v) for sid, v in self.views.items()})
        self.current = None
        target = segment_id if segment_id in self.views else None
        if target is None:
            target = next((s for s in self.order if self._matches(s)), None)
        if target is None and self.order:
            target = self.order[0]
        self._header()
        if target is not None:
            self.go(target)
        else:
            self.query_one(PassagePanel).update(
                self.qda.tr("This interview has no respondent passages."))

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
        d, tr = self.document, self.qda.tr
        role = ROLES.get(d["role"] or "", {}).get(self.qda.lang, d["role"] or "")
        parts = [d["name"], d["country"], role, d["policy"], d["language"]]
        right = tr("coder {coder}", coder=self.qda.review.coder)
        if self.qda.compare:
            right += " · " + tr("beside {who}", who=self.qda.compare)
        if self.filter_name != "all":
            right += " · " + tr("filter {name}", name=self.filter_name)
        memo = self.qda.project.store.note(self.qda.review.coder, "document", self.document_id)
        if memo:
            right += " · " + tr("interview memo")
        # one line high whatever it says (app.tcss): no layout pass for a new header
        self.query_one("#doc-header", Static).update(Text.assemble(
            " · ".join(str(p) for p in parts if p), ("   " + right, "dim")), layout=False)

    # -- the current passage -------------------------------------------------------------------
    def go(self, segment_id: int) -> None:
        if segment_id != self.current:
            self.selected = 0
            self.selection = None
        self.current = segment_id
        self._show()

    def _show(self) -> None:
        sid = self.current
        if sid is None:
            return
        view = self.views[sid]
        self.selected = min(self.selected, max(len(view.suggestions) - 1, 0))
        spans = [span for s in view.suggestions for span in s.spans()]
        base = self.segments[sid].start
        coded = [(s - base, e - base) for parts in view.spans.values() for s, e in parts]
        self.query_one(Transcript).set_current(sid, spans, coded, self.selection)
        other = None
        compare = self.qda.compare
        if compare:
            store = self.qda.project.store
            other = view_of(self.rows.get(sid, []), compare, sid, store.reviewed_by(sid, compare),
                            store.passage_memo(sid, compare))
        selection = self.texts[sid][self.selection[0]:self.selection[1]] \
            if self.selection else None
        self.query_one(PassagePanel).show(view, book=self.qda.codebook, lang=self.qda.lang,
                                          position=self._position(sid), selected=self.selected,
                                          compare=compare, other=other, base=base,
                                          text=self.texts[sid], selection=selection)

    def _position(self, sid: int) -> str:
        segment = self.segments[sid]
        position = self.qda.tr("Passage {n} of {total} · #{id} · {speaker}",
                               n=self.order.index(sid) + 1, total=len(self.order), id=sid,
                               speaker=segment.speaker or "?")
        return position + f" · {segment.time}" if segment.time else position

    def prepare_next(self) -> None:
        """Once a key's answer is on screen, draw the side panels of the passages `j` and
        `k` go to, as `_show` will show them: moving on then finds its panel drawn (a
        panel took 3-9 ms of a key). Not while comparing (that panel reads the store)."""
        if self.current is None or self.qda.compare or not self.is_current:
            return
        panel = self.query_one(PassagePanel)
        i = self.order.index(self.current)
        for step in (1, -1):
            j = i + step
            while 0 <= j < len(self.order) and not self._matches(self.order[j]):
                j += step
            if 0 <= j < len(self.order):
                sid = self.order[j]
                panel.prepare(panel_text(self.views[sid], book=self.qda.codebook,
                                         lang=self.qda.lang, position=self._position(sid),
                                         selected=0, base=self.segments[sid].start,
                                         text=self.texts[sid]))

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
        except StoreGone as exc:
            self.qda.store_gone(exc)
            return None
        except QdaError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            action = None
        self._reload(sid)
        self._show()
        return action

    def _suggestion(self) -> str | None:
        view = self.views.get(self.current) if self.current is not None else None
        if not view or not view.suggestions:
            self.notify(self.qda.tr("no pending suggestion on this passage; c adds a code"),
                        timeout=3)
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
        where = "" if self.filter_name == "all" else " " + self.qda.tr(
            "for filter {name}", name=self.filter_name)
        self.notify(self.qda.tr("first passage" if step < 0 else "last passage") + where,
                    timeout=2)

    def action_next_unreviewed(self) -> None:
        """The next passage I have not reviewed, in this interview or the next ones."""
        target = self.qda.next_unreviewed(self.current)
        if target is None:
            self.notify(self.qda.tr("every passage is reviewed"), timeout=3)
        elif target in self.views:
            self.go(target)
        else:
            segment = self.qda.project.store.segment(target)
            self.load_document(segment.document_id, target)
            self.notify(self.qda.tr("next interview: {name}", name=self.document["name"]),
                        timeout=2)

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

    def action_scroll(self, where: str) -> None:
        transcript = self.query_one(Transcript)
        {"page_up": transcript.scroll_page_up, "page_down": transcript.scroll_page_down,
         "home": transcript.scroll_home, "end": transcript.scroll_end}[where](animate=False)

    # -- selecting part of the passage ---------------------------------------------------------
    def action_extend(self, unit: str, step: int) -> None:
        """Move the selection's end by a word or a sentence (the first press selects the
        first word or sentence of the passage)."""
        if self.current is None:
            return
        text = self.texts[self.current]
        ends = [m.end() for m in _WORD.finditer(text)] if unit == "word" else \
            sorted({m.end() for m in _SENTENCE_END.finditer(text)} | {len(text.rstrip())})
        if not ends:
            return
        if self.selection is None:
            if step < 0:
                return
            start = next((m.start() for m in _WORD.finditer(text)), 0)
            self.selection = (start, next(e for e in ends if e > start))
        else:
            start, end = self.selection
            later = [e for e in ends if e > end] if step > 0 else \
                [e for e in ends if start < e < end]
            if later:
                self.selection = (start, later[0] if step > 0 else later[-1])
            elif step < 0:
                self.selection = None
        self._show()

    def action_shift_start(self, step: int) -> None:
        """Move the selection's start a word later or earlier."""
        if self.current is None or self.selection is None:
            return
        start, end = self.selection
        starts = [m.start() for m in _WORD.finditer(self.texts[self.current])]
        moved = [s for s in starts if start < s < end] if step > 0 else \
            [s for s in starts if s < start]
        if moved:
            self.selection = (moved[0] if step > 0 else moved[-1], end)
            self._show()

    def on_transcript_dragged(self, event: Transcript.Dragged) -> None:
        if event.segment_id == self.current:
            text = self.texts[self.current]
            start, end = event.start, event.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            self.selection = (start, end) if start < end else None
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

    def _seen(self) -> list[str]:
        """The suggestions on screen now: what A and R decide, whatever arrived since."""
        view = self.views.get(self.current)
        return [s.code for s in view.suggestions] if view else []

    def action_accept_all(self) -> None:
        seen = self._seen()
        self._decide(lambda sid: self.qda.review.accept_all(sid, seen))

    def action_reject_all(self) -> None:
        seen = self._seen()
        self._decide(lambda sid: self.qda.review.reject_all(sid, seen))

    def action_add_code(self) -> None:
        """Code the passage, or the selected part of it, with a code from the picker (or a
        new one, when nothing matches)."""
        if self.current is None:
            return
        base = self.segments[self.current].start
        span = (base + self.selection[0], base + self.selection[1]) if self.selection else None

        def done(code: str | None) -> None:
            if code and code.startswith(NEW):
                from qda.tui.screens.codebook import NewCodeDialog
                self.app.push_screen(NewCodeDialog(code[len(NEW):]),
                                     lambda made: made and done(made))
            elif code:
                if self._decide(lambda sid: self.qda.review.add(sid, code, span)):
                    self.selection = None
                    self._show()
        title = "Code the selection" if span else "Add a code"
        self.app.push_screen(CodePicker(self.qda.code_index(), self.qda.lang, title,
                                        create=True), done)

    def action_remove_code(self) -> None:
        """Take one of my codes off the passage, or one part of a code on several parts."""
        view = self.views.get(self.current)
        if not view or not view.codes:
            self.notify(self.qda.tr("this passage has no code of yours to remove"), timeout=3)
            return
        book, lang = self.qda.codebook, self.qda.lang
        base, text = self.segments[self.current].start, self.texts[self.current]
        targets: list[tuple[str, tuple[int, int] | None]] = []
        names: list[str] = []
        for code in view.codes:
            parts = view.spans.get(code, [])
            if len(parts) > 1:
                for start, end in parts:
                    targets.append((code, (start, end)))
                    names.append(f"{code_label(book, code, lang)} «"
                                 f"{excerpt(text[start - base:end - base], 40)}»")
            targets.append((code, None))
            names.append(code_label(book, code, lang) + (
                " " + self.qda.tr("(every part)") if len(parts) > 1 else ""))

        def done(key: str | None) -> None:
            if key:
                code, span = targets[int(key)]
                self._decide(lambda sid: self.qda.review.remove(sid, code, span))
        self.app.push_screen(Choice(self.qda.tr("Remove which code?"),
                                    [(str(i), name) for i, name in enumerate(names)]), done)

    def action_memo(self) -> None:
        view = self.views.get(self.current)
        if view is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self._decide(lambda sid: self.qda.review.memo(sid, text))
        self.app.push_screen(MemoDialog(view.memo or "", self.qda.tr("Memo on this passage"),
                                        self.qda.lang), done)

    def action_interview_memo(self) -> None:
        store, me = self.qda.project.store, self.qda.review.coder
        before = store.note(me, "document", self.document_id)

        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                self.qda.review.note(text, document_id=self.document_id)
            except StoreGone as exc:
                self.qda.store_gone(exc)
                return
            except QdaError as exc:
                self.notify(str(exc), severity="error", timeout=8)
            self._header()
        self.app.push_screen(MemoDialog(before or "", self.qda.tr(
            "Memo on the interview {name}", name=self.document["name"]), self.qda.lang), done)

    def action_undo(self) -> None:
        self._history(self.qda.review.undo, "undone")

    def action_redo(self) -> None:
        self._history(self.qda.review.redo, "redone")

    def _history(self, step: Callable[[], Action | None], verb: str) -> None:
        try:
            action = step()
        except StoreGone as exc:
            self.qda.store_gone(exc)
            return
        except QdaError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        if action is None:
            self.notify(self.qda.tr(f"nothing to be {verb}"), timeout=2)
            return
        sid = action.segment_id
        if sid < 0:  # a memo on an interview or a code
            self._header()
        elif sid in self.views:
            self._reload(sid)
            self.go(sid)
        else:
            self.load_document(self.qda.project.store.segment(sid).document_id, sid)
        self.notify(self.qda.tr(f"{verb}: {{what}}", what=action.label), timeout=2)

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
                self.notify(self.qda.tr("'{query}': {n} passage(s) here; / and Enter for the "
                                        "next", query=query, n=len(hits)), timeout=3)
            else:
                self.notify(self.qda.tr("'{query}' is not in this interview", query=query),
                            timeout=3)
        self.app.push_screen(Prompt(self.qda.tr("Search this interview"), self.last_search,
                                    self.qda.tr("words (accents and case ignored)")), done)

    def action_filter(self) -> None:
        tr = self.qda.tr
        choices = [("all", tr("All passages")), ("unreviewed", tr("Not reviewed by me")),
                   ("pending", tr("With pending suggestions")), ("coded", tr("Coded by me")),
                   ("memo", tr("With my memo")), ("code", tr("With a code…"))]
        if self.qda.compare:
            choices.insert(4, ("disagree", tr("Where {who} and I differ",
                                              who=self.qda.compare)))

        def chosen(name: str | None) -> None:
            if name == "code":
                self.app.push_screen(CodePicker(self.qda.code_index(), self.qda.lang,
                                                "Filter by code"),
                                     lambda code: code and self._set_filter(f"code:{code}"))
            elif name:
                self._set_filter(name)
        self.app.push_screen(Choice(tr("Show which passages?"), choices), chosen)

    def _set_filter(self, name: str) -> None:
        self.filter_name = name
        self._header()
        if self.current is not None and not self._matches(self.current):
            target = next((s for s in self.order if self._matches(s)), None)
            if target is None:
                self.notify(self.qda.tr("no passage here matches {name}", name=name),
                            timeout=3)
            else:
                self.go(target)

    def action_compare(self) -> None:
        self.qda.cycle_compare()
        self._header()
        self._show()

    def action_back(self) -> None:
        if self.selection is not None:
            self.selection = None
            self._show()
            return
        self.app.pop_screen()
