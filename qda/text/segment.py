"""Documents to segments: one respondent paragraph per segment.

A segment is a paragraph of one speaker's turn. Paragraphs longer than `MAX_CHARS` are
split at sentence boundaries into pieces of at most about `TARGET_CHARS` (a run-on sentence
with no full stop is cut at spaces), so a passage stays short enough to read and code.
Interviewer turns are kept as context segments (`is_interviewer`) and never coded; so are
notes (headings, rules, page furniture the reader marked, and paragraphs that are only stage
notes such as "[risas]"): inside a passage they stay verbatim. For every segment
`text[start:end] == segment.text`.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from qda.models import Document, Segment
from qda.text.nlp import sentence_spans

# (text, lang) -> sentence spans: `sentence_spans`, or one that found them ahead of time
Split = Callable[[str, str], list[tuple[int, int]]]

MAX_CHARS = 1200
TARGET_CHARS = 800
# A paragraph that is only stage notes: "[risas]", "(laughs)", "[inaudible 00:12:03] [pausa]".
_NOTE = r"(?:\[[^\[\]\n]*\]|\([^()\n]{1,80}\))"
STAGE_NOTE = re.compile(rf"^\W*{_NOTE}(?:[\s.,;:…-]*{_NOTE})*[\s.,;:…-]*$")


def is_note(text: str) -> bool:
    """Bracketed or parenthesised stage notes alone: kept in the text, never a passage."""
    return bool(STAGE_NOTE.match(text))


def segment_document(doc: Document, lang: str, split: Split = sentence_spans
                     ) -> list[Segment]:
    """Cut a document's paragraphs into segments, trimming white space at both ends.
    `split` finds the sentences of a long paragraph (see `long_paragraphs`)."""
    segments: list[Segment] = []
    for para in doc.paragraphs:
        start, end = _trim(doc.text, para.start, para.end)
        if start >= end:
            continue
        context = para.is_interviewer or para.is_note or is_note(doc.text[start:end])
        pieces = [(start, end)]
        if end - start > MAX_CHARS and not context:
            pieces = _split_long(doc.text, start, end, lang, split)
        for s, e in pieces:
            segments.append(Segment(start=s, end=e, text=doc.text[s:e], speaker=para.speaker,
                                    is_interviewer=context, time=para.time))
    return segments


def long_paragraphs(doc: Document) -> list[str]:
    """The paragraphs `segment_document` may cut into sentences, whoever turns out to be the
    interviewer: their sentences can be found before the speakers are settled."""
    found = []
    for para in doc.paragraphs:
        start, end = _trim(doc.text, para.start, para.end)
        if end - start > MAX_CHARS and not para.is_note and not is_note(doc.text[start:end]):
            found.append(doc.text[start:end])
    return found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long(text: str, start: int, end: int, lang: str, split: Split
                ) -> list[tuple[int, int]]:
    """Group whole sentences greedily into pieces of about TARGET_CHARS."""
    pieces: list[tuple[int, int]] = []
    piece_start = piece_end = None
    for s, e in split(text[start:end], lang):
        s, e = start + s, start + e
        if piece_start is None:
            piece_start, piece_end = s, e
        elif e - piece_start > TARGET_CHARS:
            pieces.append(_trim(text, piece_start, piece_end))
            piece_start, piece_end = s, e
        else:
            piece_end = e
    if piece_start is not None:
        pieces.append(_trim(text, piece_start, piece_end))
    return [cut for s, e in pieces if s < e for cut in _cut_at_spaces(text, s, e)]


def _cut_at_spaces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A 'sentence' longer than MAX_CHARS (a transcript with no full stops) is cut at the
    last space before TARGET_CHARS, so no passage is too long to read."""
    cuts = []
    while end - start > MAX_CHARS:
        space = text.rfind(" ", start + 1, start + TARGET_CHARS)
        stop = space if space > start else start + TARGET_CHARS
        cuts.append(_trim(text, start, stop))
        start = _trim(text, stop, end)[0]
    cuts.append((start, end))
    return [c for c in cuts if c[0] < c[1]]
