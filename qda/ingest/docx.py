"""Reader for Word transcripts: `Speaker:` or bold-name paragraphs, and speaker | text tables.

Transcription services deliver either paragraphs that open with the speaker's name (often
in bold) or a table with a speaker column and a text column (sometimes a time column first).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from qda.errors import QdaError
from qda.ingest.transcript import (
    TURN_LINE,
    Turn,
    is_prose_label,
    label_key,
    match_turn,
    render,
    speaker_keys,
)
from qda.models import Document
from qda.text.archives import open_zip
from qda.text.files import normalise

if TYPE_CHECKING:  # python-docx loads on the first Word file: `qda status` never needs it
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

_HEADER_WORDS = {"hablante", "speaker", "orador", "oradora", "nombre", "name", "interlocutor",
                 "participante", "persona", "tiempo", "time", "hora", "timestamp", "marca"}
_TIME = re.compile(r"^\[?\d{1,2}:\d{2}(:\d{2})?([.,]\d+)?\]?$")


def read(path: Path, interviewers: set[str]) -> tuple[Document, dict]:
    import docx

    open_zip(path, "Word (.docx)").close()
    try:
        word = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        detail = " ".join(str(exc).split())  # parser messages span lines; errors are one
        raise QdaError(f"is not a readable .docx ({type(exc).__name__}: {detail}); open it in "
                       "Word or LibreOffice and save it again", path) from None
    rows = list(_rows(word))
    # Typed labels pass the same rule as a .txt transcript's (speaker_keys); a bold label is
    # a speaker unless it is a prose lead-in ("Nota:"); a table's speaker column is one by
    # its place.
    bold_labels = [label for label, _, _, bold in rows if bold]
    known = speaker_keys([*bold_labels, *(m.group("label") for label, text, _, _ in rows
                                          if label is None and (m := TURN_LINE.match(text)))],
                         interviewers)
    known |= {label_key(label) for label in bold_labels if not is_prose_label(label)}
    turns: list[Turn] = []
    preamble: list[str] = []
    for speaker, text, time, bold in rows:
        if bold is None:  # a heading: a note of its own; the talk after it goes on
            if text.strip():
                turns.append(Turn(None, [text.strip()]))
            continue
        if bold and label_key(speaker) not in known:
            speaker, text = None, f"{speaker}: {text.lstrip()}"
        if speaker is None and (m := match_turn(text, known)):
            speaker, time, text = m.group("label").strip(), m.group("time"), text[m.end():]
        text = text.strip()
        if not text:
            continue
        if speaker is None:
            if turns and turns[-1].speaker is None and len(turns) > 1 and turns[-2].speaker:
                turns.append(Turn(turns[-2].speaker, [text], turns[-2].time))
            elif turns:
                turns[-1].paragraphs.append(text)
            else:
                preamble.append(text)
        elif turns and label_key(turns[-1].speaker or "") == label_key(speaker):
            turns[-1].paragraphs.append(text)
        else:
            turns.append(Turn(speaker, [text], time))
    if not turns and not preamble:
        raise QdaError("has no text", path)
    if not turns:
        turns, preamble = [Turn(None, preamble)], []
    doc = render(path.stem, turns, interviewers, preamble)
    meta = {}
    props = word.core_properties
    if props.title:
        meta["title"] = normalise(props.title)
    return doc, meta


# speaker, text, time, and True for a bold label, None for a heading
Row = tuple[str | None, str, str | None, bool | None]


def _rows(word: docx.document.Document) -> Iterator[Row]:
    """(speaker or None, text, time or None, bold label or heading) for every paragraph and
    table row, in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    for block in word.iter_inner_content():
        if isinstance(block, DocxParagraph):
            yield _paragraph(block)
        elif isinstance(block, Table):
            yield from _table(block)


def _paragraph(par: DocxParagraph) -> Row:
    text = normalise(par.text)
    style = (par.style.name if par.style is not None else "") or ""
    if style.startswith(("Heading", "Title", "Subtitle")):
        return None, text, None, None
    bold = ""
    for run in par.runs:
        if not run.bold:
            break
        bold += run.text
    label = bold.strip().rstrip(":").strip()
    rest = text[len(bold):].lstrip()
    if label and (bold.strip().endswith(":") or rest.startswith(":")) and len(label) <= 40:
        return label, rest.lstrip(":"), None, True
    return None, text, None, False


def _table(table: Table) -> Iterator[Row]:
    for number, row in enumerate(table.rows):
        cells: list[str] = []
        for cell in row.cells:  # merged cells repeat; keep each once
            text = normalise(cell.text).strip()
            if not cells or text != cells[-1]:
                cells.append(text)
        if number == 0 and cells and cells[0].rstrip(":").strip().casefold() in _HEADER_WORDS:
            continue  # a header row, 'Speaker | Text'; later rows are people ("Participante")
        time = None
        if len(cells) >= 3 and _TIME.match(cells[0]):
            time, cells = cells[0].strip("[]"), cells[1:]
        if len(cells) < 2:
            yield None, cells[0] if cells else "", None, False
            continue
        speaker, text = cells[0].rstrip(":").strip(), "\n".join(cells[1:])
        for para in (p for p in text.split("\n") if p.strip()):
            yield speaker or None, para, time, False
