"""One person's review of passages: accept, reject, add and remove codes, memos, undo, redo.

The terminal UI calls this module; scripts and tests can too. Every decision is written at
once, in its own short transaction, under the reviewer's name, so nothing waits for a save
and nothing is lost if the terminal closes. Each decision remembers exactly what it changed
(codings, the passage's "reviewed" mark, the memo), so undo restores the previous state and
redo re-applies it; an undo that would overwrite what someone else wrote since is refused.

Whose decision is what, for a reviewer called `me`:
- a machine suggestion (kind rules/model) nobody has decided on yet becomes accepted or
  rejected with `reviewer = me` (it keeps its evidence and confidence);
- a suggestion another person has already decided on stays hers: my own decision becomes a
  human coding by `me` (accepted, or rejected), so two coders can code independently;
- a code added by hand is a human coding by `me`.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from qda.errors import QdaError
from qda.models import Span, join_spans
from qda.project import Project
from qda.vocab import MACHINE_KINDS

LOCK_RETRIES = 5
CodingKey = tuple[int, str, str]  # (segment_id, code, coder)


class StoreGone(QdaError):
    """The project's store file was deleted or replaced while a session had it open."""


def file_identity(path: os.PathLike[str] | str) -> tuple[int, int] | None:
    """(device, inode) of a file, None when it is gone: the same path may now be another
    file, and writing on through an open handle would save into one nobody can read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


@dataclass
class MergedSuggestion:
    """A code the machine coders propose for a passage, merged over rules and model."""

    code: str
    sources: tuple[str, ...]
    confidence: float | None
    evidence: list[dict[str, Any]]

    @property
    def source(self) -> str:
        return "both" if len(self.sources) > 1 else self.sources[0]

    def spans(self) -> list[tuple[int, int]]:
        """Offsets of the evidence words in the passage (rule matches, model words)."""
        out = []
        for ev in self.evidence:
            for rule in ev.get("rules", []):
                if rule.get("where", "passage") == "passage" and "start" in rule:
                    out.append((int(rule["start"]), int(rule["end"])))
            for word in ev.get("words", []):
                if isinstance(word, dict) and "start" in word:
                    out.append((int(word["start"]), int(word["end"])))
        return sorted(set(out))

    def words(self) -> list[str]:
        seen: dict[str, None] = {}
        for ev in self.evidence:
            for rule in ev.get("rules", []):
                seen.setdefault(str(rule.get("words", "")), None)
            for word in ev.get("words", ev.get("features", [])):
                seen.setdefault(str(word.get("word", word) if isinstance(word, dict) else word))
        return [w for w in seen if w]


@dataclass
class PassageView:
    """What one person sees of a passage: her codes, her rejections, what is pending."""

    segment_id: int
    codes: list[str]
    rejected: list[str]
    suggestions: list[MergedSuggestion]
    reviewed: bool
    memo: str | None
    # my codes on parts of the passage: code -> its parts (a code on the whole passage has
    # no entry)
    spans: dict[str, list[Span]] = field(default_factory=dict)


def view_of(rows: list[dict[str, Any]] | list[sqlite3.Row], me: str, segment_id: int,
            reviewed: bool = False, memo: str | None = None) -> PassageView:
    """Split a passage's codings into `me`'s codes, rejections and pending suggestions."""
    decided: dict[str, str] = {}  # code -> my status
    spans: dict[str, list[Span]] = {}
    machine: dict[str, list[Any]] = {}
    for r in rows:
        if r["coder"] == me or (r["kind"] in MACHINE_KINDS and r["reviewer"] == me
                                and r["status"] != "suggested"):
            # a human row of mine wins over a machine row I reviewed (both mean the same)
            if r["coder"] == me or r["code"] not in decided:
                decided[r["code"]] = r["status"]
                parts = _spans_of(r)
                if parts:
                    spans[r["code"]] = parts
                else:
                    spans.pop(r["code"], None)
        if r["kind"] in MACHINE_KINDS and r["coder"] != me:
            machine.setdefault(r["code"], []).append(r)
    suggestions = []
    for code, found in machine.items():
        if code in decided:
            continue
        evidence = [json.loads(r["evidence"]) if r["evidence"] else {} for r in found]
        confidences = [r["confidence"] for r in found if r["confidence"] is not None]
        suggestions.append(MergedSuggestion(code, tuple(sorted({r["coder"] for r in found})),
                                            max(confidences) if confidences else None,
                                            evidence))
    suggestions.sort(key=lambda s: -(s.confidence or 0))
    codes = [c for c, s in decided.items() if s == "accepted"]
    return PassageView(segment_id, codes, [c for c, s in decided.items() if s == "rejected"],
                       suggestions, reviewed, memo, {c: spans[c] for c in codes if c in spans})


def _spans_of(row: Any) -> list[Span]:
    keys = row.keys() if hasattr(row, "keys") else ()
    return [(int(a), int(b)) for a, b in row["spans"]] if "spans" in keys and row["spans"] \
        else []


@dataclass
class Change:
    """One thing a decision changed: a coding, the reviewed mark, or the memo."""

    what: str  # coding | reviewed | note (a memo on a passage, an interview or a code)
    key: tuple
    before: Any
    after: Any


@dataclass
class Action:
    """One decision as the undo stack keeps it."""

    label: str
    segment_id: int
    changes: list[Change] = field(default_factory=list)


class Review:
    """A review session of one person over a project, with an undo/redo history."""

    def __init__(self, project: Project, coder: str):
        if not coder.strip():
            raise QdaError("a review needs a coder name: pass --coder NAME or set 'coder' in "
                           "qda.yaml")
        if coder in MACHINE_KINDS:
            raise QdaError(f"'{coder}' is the name of a machine coder; review under your own "
                           "name (--coder NAME)")
        self.project = project
        self.store = project.store
        self.coder = coder
        self.undo_stack: list[Action] = []
        self.redo_stack: list[Action] = []
        project.codebook  # the codes table must match the codebook before anything is coded
        self.identity = file_identity(self.store.path)

    def check_store(self) -> None:
        """Refuse to go on when the store file was deleted or replaced since the session
        opened it: a decision written now would be lost with the unlinked file."""
        now_ = file_identity(self.store.path)
        if now_ != self.identity or os.path.getsize(self.store.path) == 0:
            what = "deleted" if now_ is None else "replaced by another file"
            raise StoreGone(f"the project store was {what} while this session had it open; "
                            "nothing more can be saved: restore it (qda backup copies in "
                            ".qda/backups/) and start again", self.store.path)

    # -- reading -----------------------------------------------------------------------------
    def passage(self, segment_id: int, coder: str | None = None) -> PassageView:
        """A passage as `coder` (default: the reviewer) has decided it so far."""
        who = coder or self.coder
        return view_of(self.store.coding_states(segment_id), who, segment_id,
                       self.store.reviewed_by(segment_id, who),
                       self.store.passage_memo(segment_id, who))

    # -- decisions -----------------------------------------------------------------------------
    def accept(self, segment_id: int, code: str) -> Action:
        """Accept a pending suggestion (or add the code, if nobody suggested it)."""
        return self._do(f"accept {code}", segment_id, lambda a: self._decide(a, code, "accepted"))

    def add(self, segment_id: int, code: str, span: Span | None = None) -> Action:
        """Give the passage a code, or with `span` (document offsets inside the passage)
        code only that part of it; a pending suggestion of it counts as accepted. A code
        already on other parts of the passage gets this part too (several parts, one
        coding); without `span` the code covers the whole passage again."""
        self._known(code)
        if span is not None:
            segment = self.store.segment(segment_id)
            start, end = span
            if segment is None or not segment.start <= start < end <= segment.end:
                raise QdaError(f"the selection {start}-{end} is not inside passage "
                               f"{segment_id}")
            if (start, end) == (segment.start, segment.end):
                span = None  # the whole passage: coded as the default is
        label = f"add {code}" + (" (part)" if span else "")
        return self._do(label, segment_id,
                        lambda a: self._decide(a, code, "accepted", span=span, whole=not span))

    def reject(self, segment_id: int, code: str) -> Action:
        """Reject a suggestion (or a code of mine)."""
        return self._do(f"reject {code}", segment_id,
                        lambda a: self._decide(a, code, "rejected"))

    def remove(self, segment_id: int, code: str, span: Span | None = None) -> Action:
        """Take a code off the passage: a code I added disappears, a suggestion I accepted
        becomes rejected. With `span`, one of the code's parts: its other parts stay (the
        last part goes as the whole code does)."""
        label = f"remove {code}" + (" (part)" if span else "")
        return self._do(label, segment_id, lambda a: self._remove(a, code, span))

    def accept_all(self, segment_id: int, codes: Sequence[str] | None = None) -> Action:
        """Accept the suggestions `codes` (those the person saw; default: every one pending
        now). Suggestions that arrived since stay pending."""
        def run(action: Action) -> None:
            for code in self._seen(segment_id, codes):
                self._decide(action, code, "accepted")
        return self._do("accept all", segment_id, run)

    def reject_all(self, segment_id: int, codes: Sequence[str] | None = None) -> Action:
        """Reject the suggestions `codes` (those the person saw; default: every one pending
        now) and mark the passage reviewed: with none, this records "nothing to code here".
        Suggestions that arrived since stay pending."""
        def run(action: Action) -> None:
            for code in self._seen(segment_id, codes):
                self._decide(action, code, "rejected")
        return self._do("reject all", segment_id, run, mark="always")

    def memo(self, segment_id: int, text: str) -> Action:
        """Write (or, with blank text, delete) my memo on the passage."""
        text = text.strip() or None

        def run(action: Action) -> None:
            key = (self.coder, "segment", segment_id)
            before = self.store.note(*key)
            if before != text:
                self.store.set_note(*key, text)
                action.changes.append(Change("note", key, before, text))
        return self._do("memo", segment_id, run, mark="never")

    def note(self, text: str, *, document_id: int | None = None, code: str | None = None
             ) -> Action:
        """Write (or, with blank text, delete) my memo on an interview or on a code."""
        if (document_id is None) == (code is None):
            raise QdaError("a memo is on one interview or one code")
        if code is not None:
            self._known(code)
        text = text.strip() or None
        key = ("document", document_id) if document_id is not None else ("code", code)
        action = Action(f"memo on {key[0]} {key[1]}", -1)

        def write() -> None:
            action.changes.clear()
            before = self.store.note(self.coder, *key)
            if before != text:
                self.store.set_note(self.coder, *key, text)
                action.changes.append(Change("note", (self.coder, *key), before, text))
        self._write(write)
        if action.changes:
            self.undo_stack.append(action)
            self.redo_stack.clear()
        return action

    # -- undo and redo -------------------------------------------------------------------------
    def undo(self) -> Action | None:
        """Restore what the last decision changed; None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        action = self.undo_stack[-1]
        self._write(lambda: self._restore(action, forward=False))
        self.redo_stack.append(self.undo_stack.pop())
        return action

    def redo(self) -> Action | None:
        if not self.redo_stack:
            return None
        action = self.redo_stack[-1]
        self._write(lambda: self._restore(action, forward=True))
        self.undo_stack.append(self.redo_stack.pop())
        return action

    # -- internals -----------------------------------------------------------------------------
    def _known(self, code: str) -> None:
        if code not in self.project.codebook:
            raise QdaError(f"'{code}' is not a code of the codebook", self.project.codebook.path)

    def _view(self, segment_id: int) -> PassageView:
        return view_of(self.store.coding_states(segment_id), self.coder, segment_id)

    def _seen(self, segment_id: int, codes: Sequence[str] | None) -> list[str]:
        pending = [s.code for s in self._view(segment_id).suggestions]
        return pending if codes is None else [c for c in dict.fromkeys(codes)]

    def _do(self, label: str, segment_id: int, body: Callable[[Action], None],
            mark: str = "done") -> Action:
        """Run one decision; `mark`: "done" marks the passage reviewed once none of its
        suggestions is left pending for me, "always" marks it anyway, "never" leaves it."""
        if self.store.segment(segment_id) is None:
            raise QdaError(f"no passage with id {segment_id}")
        action = Action(label, segment_id)

        def write() -> None:
            action.changes.clear()
            body(action)
            done = mark == "always" or (mark == "done"
                                        and not self._view(segment_id).suggestions)
            if done and not self.store.reviewed_by(segment_id, self.coder):
                self.store.set_reviewed(segment_id, self.coder, True)
                action.changes.append(Change("reviewed", (segment_id, self.coder), False, True))
        self._write(write)
        if action.changes:
            self.undo_stack.append(action)
            self.redo_stack.clear()
        return action

    def _write(self, fn: Callable[[], None]) -> None:
        """Run `fn` in one transaction, retrying while another process holds the lock."""
        self.check_store()
        for attempt in range(LOCK_RETRIES):
            try:
                with self.store.transaction():
                    fn()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    # e.g. a full disk: the person must know this decision is not saved
                    raise QdaError(f"this decision was not saved ({exc}); free some space "
                                   "or check the project folder, then try it again",
                                   self.store.path) from None
                if attempt == LOCK_RETRIES - 1:
                    raise QdaError("the project store stayed locked by another qda process; "
                                   "this decision was not saved, try it again",
                                   self.store.path) from None
                time.sleep(0.05 * 2 ** attempt)

    def _set(self, action: Action, key: CodingKey, after: dict[str, Any] | None) -> None:
        segment_id, code, coder = key
        before = next((r for r in self.store.coding_states(segment_id)
                       if r["code"] == code and r["coder"] == coder), None)
        if _same(before, after):
            return
        self.store.put_coding_state(segment_id, code, coder, after)
        action.changes.append(Change("coding", key, before, after))

    def _decide(self, action: Action, code: str, status: str, span: Span | None = None,
                whole: bool = False) -> None:
        """Record my decision on `code` (see the module's notes on whose row it goes in);
        with a `span` the coding covers that part of the passage too, with `whole` the whole
        passage; else an accepted coding keeps its parts."""
        segment_id = action.segment_id

        def parts(row: dict[str, Any] | None) -> list[Span]:
            had = _spans_of(row) if row and row["status"] == "accepted" else []
            if status != "accepted" or whole:
                return []  # a rejection is of the code on the passage, not of a part
            if span is None:
                return had
            if row and row["status"] == "accepted" and not had:
                raise QdaError(f"{code} is already on the whole passage {segment_id}; remove "
                               "it first to code only parts of the passage with it")
            return join_spans([*had, span])

        rows = self.store.coding_states(segment_id)
        mine = next((r for r in rows if r["code"] == code and r["coder"] == self.coder), None)
        machine = [r for r in rows if r["code"] == code and r["kind"] in MACHINE_KINDS
                   and r["coder"] != self.coder]
        reviewed_by_me = [r for r in machine if r["reviewer"] == self.coder
                          and r["status"] != "suggested"]
        open_ = [r for r in machine if r["status"] == "suggested"]
        if mine is None and (reviewed_by_me or open_):
            for r in reviewed_by_me + open_:
                self._set(action, (segment_id, code, r["coder"]),
                          {**r, "status": status, "reviewer": self.coder, "spans": parts(r)})
            return
        if mine is None and status == "rejected" and not machine:
            return  # nothing to reject
        evidence = mine["evidence"] if mine else (
            json.dumps({"decided_over": sorted({r["coder"] for r in machine})})
            if machine else None)
        self._set(action, (segment_id, code, self.coder),
                  {"kind": "human", "status": status, "confidence": None,
                   "evidence": evidence, "run_id": None, "reviewer": self.coder,
                   "created_at": mine["created_at"] if mine else None,
                   "spans": parts(mine)})

    def _remove(self, action: Action, code: str, span: Span | None) -> None:
        segment_id = action.segment_id
        for r in self.store.coding_states(segment_id):
            if r["code"] != code or r["status"] != "accepted":
                continue
            mine = r["coder"] == self.coder or (r["kind"] in MACHINE_KINDS
                                                and r["reviewer"] == self.coder)
            if span and tuple(span) not in _spans_of(r):
                continue  # not a part of this coding
            left = [p for p in _spans_of(r) if p != tuple(span)] if span else []
            if mine and left:
                self._set(action, (segment_id, code, r["coder"]), {**r, "spans": left})
            elif r["coder"] == self.coder:
                self._set(action, (segment_id, code, self.coder), None)
            elif mine:
                self._set(action, (segment_id, code, r["coder"]),
                          {**r, "status": "rejected", "spans": []})

    def _restore(self, action: Action, forward: bool) -> None:
        """Apply an action's changes (redo) or revert them (undo), if nobody changed them
        since; otherwise change nothing and say so."""
        changes = action.changes if forward else list(reversed(action.changes))
        for ch in changes:
            expected, target = (ch.before, ch.after) if forward else (ch.after, ch.before)
            if not _same(self._current(ch), expected):
                verb = "redo" if forward else "undo"
                raise QdaError(f"cannot {verb} '{action.label}' on passage {action.segment_id}:"
                               " it was changed since (by another coder or autocode); "
                               "decide it again instead")
            self._apply(ch, target)

    def _current(self, ch: Change) -> Any:
        if ch.what == "coding":
            segment_id, code, coder = ch.key
            return next((r for r in self.store.coding_states(segment_id)
                         if r["code"] == code and r["coder"] == coder), None)
        if ch.what == "reviewed":
            return self.store.reviewed_by(*ch.key)
        return self.store.note(*ch.key)

    def _apply(self, ch: Change, value: Any) -> None:
        if ch.what == "coding":
            self.store.put_coding_state(*ch.key, value)
        elif ch.what == "reviewed":
            self.store.set_reviewed(*ch.key, value)
        else:
            self.store.set_note(*ch.key, value)


_COMPARED = ("kind", "status", "confidence", "evidence", "run_id", "reviewer")


def _same(a: Any, b: Any) -> bool:
    """Two coding states (or marks, or memos) are the same decision."""
    if isinstance(a, dict) or isinstance(b, dict):
        if a is None or b is None:
            return False
        return all(a.get(k) == b.get(k) for k in _COMPARED) and _spans_of(a) == _spans_of(b)
    return a == b
