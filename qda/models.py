"""Plain records that flow between readers, the segmenter, coders and the store."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Paragraph:
    """A span of document text said by one speaker: the raw material of segments."""

    start: int
    end: int
    speaker: str | None
    is_interviewer: bool
    time: str | None = None
    is_note: bool = False  # a heading, rule or page header: kept in the text, never a passage


@dataclass
class Document:
    """One interview as a reader returns it: normalised text, attributes and its paragraphs."""

    name: str
    text: str
    attributes: dict[str, Any] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    source_path: str | None = None
    content_hash: str = ""
    interviewers: list[str] = field(default_factory=list)


@dataclass
class Segment:
    """A codable (or context) passage; `text == document.text[start:end]`."""

    start: int
    end: int
    text: str
    speaker: str | None
    is_interviewer: bool
    time: str | None = None
    id: int | None = None
    document_id: int | None = None


Span = tuple[int, int]  # start and end of a coded part, as offsets in the document's text


@dataclass
class Coding:
    """A code on a segment: who made it, how sure, why, and whether a person accepted it."""

    segment_id: int
    code: str
    coder: str
    kind: str  # human | rules | model
    status: str = "suggested"  # suggested | accepted | rejected
    confidence: float | None = None
    evidence: dict[str, Any] | None = None
    run_id: int | None = None
    spans: tuple[Span, ...] = ()  # the parts of the passage it covers; (): all of it


def join_spans(spans: Iterable[Span]) -> list[Span]:
    """Parts that overlap or touch as one, in order: coding words already coded with the
    same code again widens that part, it never makes two copies (and the transcript view
    highlights words two suggestions cite once, never drawing them twice)."""
    out: list[Span] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
