"""What every reader shares: turns of speakers, speaker labels, and rendering to text.

Formats without a text layout of their own (.docx, .vtt, .srt) are rendered into the same
layout as a .txt transcript, `[time] Speaker: paragraph`, so offsets always count code points
of exactly the text the user sees and that exports write.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Document, Paragraph
from ..textio import content_hash

# `[00:01:02] LABEL: text` at the start of a line; the label is a short name or tag.
TURN_LINE = re.compile(
    r"^[ \t]*(?:\[(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\][ \t]*)?"
    r"(?:\*\*|__)?(?P<label>[^\W\d_][\w.'’\- ]{0,39}?)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?(?:[ \t]+|$)"
)
MAX_LABEL_WORDS = 4


@dataclass
class Turn:
    """One speaker's uninterrupted talk, as a list of paragraphs."""

    speaker: str | None
    paragraphs: list[str] = field(default_factory=list)
    time: str | None = None


def is_interviewer(label: str | None, interviewers: set[str]) -> bool:
    """Speaker labels compare without case, spaces or trailing dots."""
    return label is not None and label_key(label) in interviewers


def label_key(label: str) -> str:
    return re.sub(r"[\s.]+", "", label).casefold()


def match_turn(line: str, known: set[str] | None = None) -> re.Match | None:
    """A line that opens a turn: a timestamped label, or a label that is a known speaker."""
    m = TURN_LINE.match(line)
    if not m or len(m.group("label").split()) > MAX_LABEL_WORDS:
        return None
    if m.group("time") or known is None or label_key(m.group("label")) in known:
        return m
    return None


def render(name: str, turns: list[Turn], interviewers: set[str], preamble: list[str] = ()
           ) -> Document:
    """Lay turns out as transcript text and record each paragraph's span."""
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    pos = 0

    def put(prefix: str, body: str, speaker: str | None, context: bool, time: str | None):
        nonlocal pos
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(prefix)
        pos += len(prefix)
        paragraphs.append(Paragraph(pos, pos + len(body), speaker, context, time))
        parts.append(body)
        pos += len(body)

    for line in preamble:
        put("", line, None, True, None)
    for turn in turns:
        context = turn.speaker is None or is_interviewer(turn.speaker, interviewers)
        for i, body in enumerate(turn.paragraphs):
            prefix = ""
            if i == 0:
                prefix = f"[{turn.time}] " if turn.time else ""
                prefix += f"{turn.speaker}: " if turn.speaker else ""
            put(prefix, body, turn.speaker, context, turn.time)
    if not any(turn.speaker for turn in turns):
        # No speaker labels at all: a written testimony; every paragraph is the respondent's.
        for p in paragraphs:
            p.is_interviewer = False
    text = "".join(parts) + "\n"
    return Document(name=name, text=text, paragraphs=paragraphs, content_hash=content_hash(text))
