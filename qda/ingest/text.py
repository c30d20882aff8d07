"""Reader for .txt and .md transcripts: YAML front matter, `SPEAKER:` turns, timestamps.

A line starting with `[hh:mm:ss] LABEL:` or with a label that looks like a speaker
(`transcript.speaker_keys`) opens a turn; other lines continue it. Blank lines separate
paragraphs within a turn. Markdown headings, horizontal rules and page headers or footers
repeated down the file stand as paragraphs of their own marked as notes: kept in the
text, never passages.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from qda.errors import QdaError
from qda.ingest.metadata import split_front_matter
from qda.ingest.transcript import TURN_LINE, is_interviewer, label_key, opens_turn, speaker_keys
from qda.models import Document, Paragraph
from qda.text.files import content_hash, read_text

_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_RULE = re.compile(r"^[ \t]*(?:([-*_=])[ \t]*)(?:\1[ \t]*){2,}$")
_RULE_CHARS = ("-", "*", "_", "=")
_DIGITS = re.compile(r"\d+")
REPEATED = 3  # a short line seen this often (numbers aside) is a page header or footer
_FURNITURE_CHARS = 100


def read(path: Path, interviewers: set[str]) -> tuple[Document, dict]:
    """Return the document (body text after the front matter) and the front matter."""
    raw = read_text(path)
    if not raw.strip():
        raise QdaError("is empty; nothing to import", path)
    front, body, _ = split_front_matter(raw, path)
    if not body.strip():
        raise QdaError("has no transcript text after the front matter", path)
    declared = front.get("interviewer") or []
    if isinstance(declared, str):
        declared = [declared]
    interviewers = interviewers | {label_key(str(x)) for x in declared}
    return document(str(front.get("id") or path.stem), body, interviewers), front


def document(name: str, text: str, interviewers: set[str]) -> Document:
    """A transcript given as text (a file's body, another tool's source): its turns, its
    hash; `interviewers` are the label keys of the interviewer's turns."""
    return Document(name=name, text=text, paragraphs=parse_turns(text, interviewers),
                    content_hash=content_hash(text))


def parse_turns(text: str, interviewers: set[str]) -> list[Paragraph]:
    """Paragraph spans of `text` with their speakers."""
    lines = text.split("\n")
    # a line without a colon opens no turn: no need to try the pattern on it
    matches = [TURN_LINE.match(line) if ":" in line else None for line in lines]
    known = speaker_keys((m.group("label") for m in matches if m), interviewers)
    furniture = _page_furniture(lines, matches, known)
    paragraphs: list[Paragraph] = []
    speaker = time = None
    open_para: Paragraph | None = None
    pos = 0
    for line, m in zip(lines, matches):
        line_end = pos + len(line)
        if m is not None:
            m = opens_turn(m, known)
        if m:
            speaker, time = m.group("label").strip(), m.group("time")
            open_para = Paragraph(pos + m.end(), line_end, speaker,
                                  is_interviewer(speaker, interviewers), time)
            paragraphs.append(open_para)
        elif not line or line.isspace():
            open_para = None
        elif _is_note_line(line, furniture):
            paragraphs.append(Paragraph(pos, line_end, speaker, True, time, is_note=True))
            open_para = None
        elif open_para is not None:
            open_para.end = line_end
        else:
            context = speaker is None or is_interviewer(speaker, interviewers)
            open_para = Paragraph(pos, line_end, speaker, context, time)
            paragraphs.append(open_para)
        pos = line_end + 1
    if not any(p.speaker for p in paragraphs):
        # No speaker labels at all: a written testimony; every paragraph is the respondent's.
        for p in paragraphs:
            p.is_interviewer = p.is_note
    return paragraphs


def _is_note_line(line: str, furniture: set[str]) -> bool:
    """A Markdown heading or rule, or page furniture. (The patterns are tried only on a
    line that can match them: a '#' among its first four characters, a rule character
    after its indent.)"""
    return (("#" in line[:4] and bool(_HEADING.match(line)))
            or (line.lstrip(" \t")[:1] in _RULE_CHARS and bool(_RULE.match(line)))
            or bool(furniture) and _key(line) in furniture)


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def _page_furniture(lines: list[str], matches: list[re.Match | None], known: set[str]
                    ) -> set[str]:
    """Short unlabelled lines repeated down the file (page numbers aside), such as
    'Página 3 de 12' or 'Confidencial - Entrevista 4': what a PDF conversion leaves.
    `matches`: each line's `TURN_LINE.match`."""
    counts = Counter(_key(line) for line, m in zip(lines, matches)
                     if line and not line.isspace()
                     and (len(line) <= _FURNITURE_CHARS or len(line.strip()) <= _FURNITURE_CHARS)
                     and not (m and opens_turn(m, known)))
    return {key for key, n in counts.items()
            if n >= REPEATED and ("#" in key or not key.rstrip().endswith((".", "!", "?", "…")))}
