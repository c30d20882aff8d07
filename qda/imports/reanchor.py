"""Re-importing an edited transcript without losing the coding done on it.

When a transcript's text changes (a typo fixed, a turn added, a passage re-transcribed),
the document keeps its id and gets the new text and new segments; every coding, review and
memo on the old segments is then re-anchored by its passage's text: first the exact text
nearest its old place (shifted by how far the passages before it moved), then the best
fuzzy alignment (rapidfuzz `partial_ratio_alignment`) near there, then anywhere
(`qda.text.locate`).

- A coding whose passage is found is put on the new passage(s) covering that text: it
  *stayed* when the passage is there word for word (wherever it now is), else it *moved*
  (its passage was edited, or cut differently).
- A coding whose passage cannot be found is never dropped, and never pushed onto another
  passage (where it could collide with, or pass for, a decision made there): it is kept in
  `detached_codings` with its old text, offsets, decision and the nearest new passage, and
  `qda flagged` lists it until a person has re-coded the new text and dismissed it.
- When an edit merges passages that carried different decisions on the same code, the
  coding goes back to `suggested` with an `anchor_note` saying so, for a new decision.
- A coding of parts of its passage (a selection) keeps its parts: each is found again by
  its own words inside the new passage(s), so it stays on those words wherever they moved.
  A part whose words cannot be found is never widened to the whole passage: it is kept in
  `detached_codings` (its words, offsets and decision) and listed by `qda flagged`.
- A passage memo that cannot be placed stays on the document with such a note.
- Machine suggestions nobody reviewed are dropped: they were about the old text, and
  `qda autocode` makes new ones. Accepted and rejected codings (human decisions) are kept.
"""
from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from qda.models import Document, Segment
from qda.store import Store, now
from qda.text.locate import Span, locate

MIN_FUZZY_CHARS = 20  # shorter passages are placed only by their exact text
MIN_FUZZY_PART = 8  # shorter coded parts (a word or two) are found only by their exact words


@dataclass
class ReanchorReport:
    """What happened to one document's codings and memos; the import report prints it."""

    document: str
    stayed: int = 0
    moved: int = 0
    review: int = 0
    merged: int = 0  # the same decision from two old passages now on one
    dropped: int = 0  # unreviewed machine suggestions on the old text
    memos_placed: int = 0
    memos_review: int = 0
    flagged: list[str] = field(default_factory=list)  # one line per coding or memo to review

    def summary(self) -> str:
        parts = [f"re-imported {self.document} (its text changed): codings {self.stayed} "
                 f"stayed, {self.moved} moved, {self.review} need review"]
        if self.memos_placed or self.memos_review:
            parts.append(f"memos {self.memos_placed} placed, {self.memos_review} need review")
        if self.dropped:
            parts.append(f"{self.dropped} unreviewed machine suggestions dropped (run "
                         "'qda autocode' again)")
        text = "; ".join(parts)
        if self.flagged:
            text += " — listed by 'qda flagged':\n" + "\n".join(f"  {f}" for f in self.flagged)
        return text


def reanchor_document(store: Store, document_id: int, name: str, doc: Document,
                      segments: Sequence[Segment]) -> ReanchorReport:
    """Replace a document's text and segments and carry its coding over; everything is read
    and written in one transaction, so a concurrent decision is never lost in between."""
    report = ReanchorReport(name)
    with store.transaction():
        old_segments = store.segments(document_id)
        codings = store.anchored_codings(document_id)
        reviews = store.anchored_reviews(document_id)
        memos = store.anchored_memos(document_id)
        new_segments = store.replace_document(document_id, doc, segments)
        places = _place_segments(old_segments, new_segments, doc.text)
        _restore_codings(store, codings, places, report)
        store.restore_reviews(
            (target.id, r["coder"], r["reviewed_at"])
            for r in reviews
            for target in places[r["segment_id"]][0])
        for memo in memos:
            targets, _, old = places[memo["segment_id"]]
            if targets:
                store.place_memo(memo["id"], targets[0].id, None)
                report.memos_placed += 1
            else:
                note = _note("passage not found in the edited transcript", old)
                store.place_memo(memo["id"], None, note)
                report.memos_review += 1
                report.flagged.append(f"memo by {memo['author']}: '{_clip(memo['text'])}' "
                                      f"(its passage was '{_clip(old.text)}')")
    return report


# old segment id -> (new segments it maps to, whether it stayed, the old segment)
Places = dict[int, tuple[list[Segment], bool, Segment]]


def _place_segments(old: list[Segment], new: list[Segment], text: str) -> Places:
    """Map each old segment onto the new codable segments covering its text."""
    codable = [s for s in new if not s.is_interviewer]
    starts = [s.start for s in codable]
    places: Places = {}
    shift = 0
    for seg in old:
        found = locate(seg.text, text, max(0, seg.start + shift), min_fuzzy=MIN_FUZZY_CHARS)
        targets: list[Segment] = []
        if found is not None:
            shift = found.start - seg.start
            targets = _covering(codable, starts, found)
        stayed = (found is not None and found.score == 100.0 and len(targets) == 1
                  and targets[0].text == seg.text)
        places[seg.id] = (targets, stayed, seg)
    return places


def _covering(codable: list[Segment], starts: list[int], span: Span) -> list[Segment]:
    """Codable segments holding most of the span, or most of themselves inside it."""
    i = max(0, bisect.bisect_right(starts, span.start) - 1)
    overlaps = []
    while i < len(codable) and codable[i].start < span.end:
        seg = codable[i]
        inside = min(seg.end, span.end) - max(seg.start, span.start)
        if inside > 0:
            overlaps.append((inside, seg))
        i += 1
    if not overlaps:
        return []
    length = span.end - span.start
    chosen = [seg for inside, seg in overlaps
              if inside * 2 >= length or inside * 2 >= seg.end - seg.start]
    return chosen or [max(overlaps, key=lambda o: o[0])[1]]


def _nearest(codable: list[Segment], position: int) -> Segment | None:
    return min(codable, key=lambda s: abs(s.start - position), default=None)


def _restore_codings(store: Store, codings: list[dict], places: Places,
                     report: ReanchorReport) -> None:
    restored: list[dict] = []
    pending_review: list[tuple[dict, Segment]] = []
    parts_lost: list[tuple[dict, Segment, tuple[int, int], Segment]] = []
    text: str | None = None  # the new text, read when a coding has parts
    for c in codings:
        if c["status"] == "suggested" and c["kind"] != "human" and not c["anchor_note"]:
            report.dropped += 1
            continue
        targets, stayed, old = places[c["segment_id"]]
        if targets and c["spans"]:
            if text is None:
                text = store.document_text(old.document_id)
            placed, lost = _reanchor_spans(c["spans"], targets, old, text)
            parts_lost += [(c, old, span, targets[0]) for span in lost]
            if placed:
                report.stayed += stayed and not lost
                report.moved += not (stayed and not lost)
            for n, target in enumerate(t for t in targets if t.id in placed):
                restored.append({**c, "id": c["id"] if n == 0 else None,
                                 "segment_id": target.id, "spans": placed[target.id]})
        elif targets:
            report.stayed += stayed
            report.moved += not stayed
            for n, target in enumerate(targets):
                restored.append({**c, "id": c["id"] if n == 0 else None,
                                 "segment_id": target.id})
        else:
            pending_review.append((c, old))
    for c in store.restore_codings(restored):  # two old passages merged into one
        if store.coding_status(c["segment_id"], c["code_id"], c["coder"]) == c["status"]:
            store.join_coding_spans(c["segment_id"], c["code_id"], c["coder"], c["spans"])
            report.merged += 1
        else:
            store.flag_coding(c["segment_id"], c["code_id"], c["coder"], _note(
                "passages merged by the edit carried different decisions", None,
                c["status"], c["reviewer"]))
            report.flagged.append(f"{c['code']} by {c['coder']} on passage {c['segment_id']}: "
                                  "merged passages disagreed; decide again")
    detached = _detach_lost_parts(parts_lost, report)
    if not pending_review:
        store.detach_codings(detached)
        return
    document_id = next(iter(places.values()))[2].document_id
    codable = store.segments(document_id, codable_only=True)
    shift_to = _shift_estimator(places)
    for c, old in pending_review:
        near = _nearest(codable, shift_to(old.start))
        # a coding of parts keeps each part's own words and offsets, one row per part
        for start, end in c["spans"] or [(old.start, old.end)]:
            detached.append({**c, "document_id": document_id,
                             "near_segment_id": near.id if near else None,
                             "old_text": old.text[start - old.start:end - old.start],
                             "old_start": start, "old_end": end,
                             "reason": "passage not found in the edited transcript"})
        report.review += 1
        report.flagged.append(f"{c['code']} by {c['coder']} ({c['status']}) detached; its "
                              f"passage was '{_clip(old.text)}'"
                              + (f", near passage {near.id} now" if near else ""))
    store.detach_codings(detached)


def _reanchor_spans(spans: list[tuple[int, int]], targets: list[Segment], old: Segment,
                    text: str) -> tuple[dict[int, list[tuple[int, int]]], list[tuple[int, int]]]:
    """Find each coded part of a coding by its words inside the new passage(s) its passage
    became: (new passage id -> the parts on it, new offsets), and the old parts not found.
    A part is never stretched to its passage: a person chose those words."""
    lo, hi = min(t.start for t in targets), max(t.end for t in targets)
    placed: dict[int, list[tuple[int, int]]] = {}
    lost: list[tuple[int, int]] = []
    for start, end in spans:
        words = old.text[start - old.start:end - old.start].strip()
        found = locate_part(words, text, lo, hi, lo + start - old.start) \
            if old.start <= start < end <= old.end and words else None
        target = next((t for t in targets if found and t.start <= found[0]
                       and found[1] <= t.end), None)
        if target is None:
            lost.append((start, end))
        else:
            placed.setdefault(target.id, []).append(found)
    return placed, lost


def locate_part(words: str, text: str, lo: int, hi: int, expected: int
                ) -> tuple[int, int] | None:
    """Where the words of a coded part are in `text[lo:hi]` (its passage now): the exact
    occurrence nearest `expected`, else (for a part of MIN_FUZZY_PART characters or more) the
    best fuzzy alignment; None when they are not there."""
    found = locate(words, text[lo:hi], expected - lo, min_fuzzy=MIN_FUZZY_PART)
    return None if found is None else (lo + found.start, lo + found.end)


def _detach_lost_parts(lost: list[tuple[dict, Segment, tuple[int, int], Segment]],
                       report: ReanchorReport) -> list[dict]:
    """Coded parts whose words are gone from their edited passage, kept as detached codings
    (the words, offsets and decision) for a person, with the passage they were in."""
    rows = []
    for c, old, (start, end), near in lost:
        words = old.text[start - old.start:end - old.start]
        rows.append({**c, "document_id": old.document_id, "near_segment_id": near.id,
                     "old_text": words, "old_start": start, "old_end": end,
                     "reason": "coded part not found in the edited passage"})
        report.review += 1
        report.flagged.append(f"{c['code']} by {c['coder']} ({c['status']}): the coded part "
                              f"'{_clip(words)}' is not in passage {near.id} any more; "
                              "code it again there")
    return rows


def _shift_estimator(places: Places):
    """Old offset -> new offset, from the nearest placed passage before it."""
    anchors = sorted((old.start, targets[0].start - old.start)
                     for targets, _, old in places.values() if targets)
    keys = [a for a, _ in anchors]

    def shift(position: int) -> int:
        i = bisect.bisect_right(keys, position) - 1
        return position + (anchors[i][1] if i >= 0 else 0)
    return shift


def _note(reason: str, old: Segment | None, status: str | None = None,
          reviewer: str | None = None) -> str:
    note: dict = {"reason": reason, "at": now()}
    if old is not None:
        note.update(old_text=old.text, old_start=old.start, old_end=old.end)
    if status is not None:
        note.update(old_status=status, old_reviewer=reviewer)
    return json.dumps(note, ensure_ascii=False)


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def flagged_rows(store: Store) -> list[dict]:
    """One plain record per flagged item (the `qda flagged` listing and its --json)."""
    found = store.flagged()
    rows = [{"what": "detached", "id": r["id"], "document": r["document"],
             "segment_id": r["near_segment_id"], "code": r["code"], "coder": r["coder"],
             "old_status": r["status"], "old_reviewer": r["reviewer"],
             "old_text": r["old_text"], "reason": r["reason"]} for r in found["detached"]]
    for r in found["review"]:
        note = json.loads(r["anchor_note"])
        rows.append({"what": "review", "id": r["id"], "document": r["document"],
                     "segment_id": r["segment_id"], "code": r["code"], "coder": r["coder"],
                     "old_status": note.get("old_status"),
                     "old_reviewer": note.get("old_reviewer"),
                     "old_text": note.get("old_text"), "reason": note["reason"]})
    for r in found["memos"]:
        note = json.loads(r["anchor_note"])
        rows.append({"what": "memo", "id": r["id"], "document": r["document"], "segment_id": None,
                     "code": None, "coder": r["author"], "old_status": None,
                     "old_reviewer": None, "old_text": note.get("old_text"),
                     "reason": note["reason"], "memo": r["text"]})
    return rows
