"""Every coded passage, ready to quote: `qda export quotes OUT.docx|.xlsx|.csv`.

One row per coding (passage, code, coder) with the code path and label, the case
attributes, the attribution to print, coder, status and the memos written on the passage,
sorted by code (in codebook order) then country. Accepted codings, plus pending machine
suggestions when asked. Names of participants and interviewers never appear: a passage that
says one has it replaced by `[name]`, and so do memos.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from qda import __version__, progress
from qda.analysis.quotes import attribution
from qda.errors import UsageError
from qda.export import word
from qda.export.background import PeopleScan
from qda.export.cells import write_csv
from qda.export.workbook import write_workbook
from qda.lang import NAME_MARKS, QUOTE_MARKS, check_lang, group_label, words
from qda.lang.prose import long_date
from qda.privacy.redact import HiddenNames, safe_document_name
from qda.project import Project

COLUMNS = ["code", "axis", "theme", "label", "country", "role", "policy", "sector",
           "language", "document", "segment_id", "start", "end", "text", "attribution",
           "coder", "kind", "status", "memo"]
FORMATS = (".csv", ".xlsx", ".docx")


def quotes_frame(project: Project, lang: str = "en", include_suggested: bool = False
                 ) -> pd.DataFrame:
    """The coded passages as a frame with COLUMNS, names already blanked out."""
    check_lang(lang)
    book = project.codebook
    scan = PeopleScan(project)  # names found by another process while the codings are read
    try:
        frame = project.codings_frame(parts=True, evidence=False)  # a quote per coded part
        who = scan.result()
    finally:
        scan.cancel()
    keep = frame["status"] == "accepted"
    if include_suggested:
        keep |= frame["status"] == "suggested"
    frame = frame[keep].copy()
    ids = {row["name"]: row["id"] for row in project.store.documents()}
    # once per interview and per passage, not per coding: a passage has several codings
    frame["document"] = frame["document"].map({name: safe_document_name(name, who, ids.get(name))
                                               for name in frame["document"].unique()})
    frame["text"] = frame["text"].map({text: who.redact(text, lang)
                                       for text in frame["text"].unique()})
    policies = {p: who.redact(p, lang) for p in frame["policy"].unique() if isinstance(p, str)}
    frame["policy"] = frame["policy"].map(lambda p: policies[p] if isinstance(p, str) else p)
    frame["theme"] = frame["theme"].fillna("")
    labels = {c: book[c].label(lang) if c in book else c for c in frame["code"].unique()}
    frame["label"] = frame["code"].map(labels)
    said = {}  # once per role and country
    frame["attribution"] = [said[key] if key in said else said.setdefault(
        key, attribution(*key, lang)) for key in zip(frame["role"], frame["country"])]
    frame["memo"] = _memos(project, frame, who, lang)
    order = {c.path: i for i, c in enumerate(book.codes)}
    frame["_order"] = frame["code"].map(order).fillna(len(order))
    frame = frame.sort_values(["_order", "code", "country", "document", "start", "coder"],
                              na_position="last", kind="stable")
    return frame[COLUMNS].reset_index(drop=True)


def _memos(project: Project, frame: pd.DataFrame, who: HiddenNames, lang: str) -> list[str]:
    """Memos on each row's passage: those about the passage, or about it and this code."""
    notes: dict[tuple[int, str | None], list[str]] = {}
    for memo in project.store.memo_rows():
        if memo["segment_id"] is not None:
            notes.setdefault((memo["segment_id"], memo["code"]), []).append(
                f"{memo['author']}: {who.redact(memo['text'], lang)}")
    return ["\n\n".join(notes.get((s, None), []) + notes.get((s, c), []))
            for s, c in zip(frame["segment_id"], frame["code"])]


def export_quotes(project: Project, out: Path, lang: str = "en",
                  include_suggested: bool = False) -> int:
    """Write the coded passages as CSV, Excel or Word (by the file's suffix); returns the
    number of rows."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"the output must end in {', '.join(FORMATS)}, not "
                         f"'{out.suffix or out.name}'")
    frame = quotes_frame(project, lang, include_suggested)
    if suffix == ".csv":
        write_csv(frame, out)
    elif suffix == ".xlsx":
        write_workbook(out, {"Quotes": frame}, _notes(len(frame), include_suggested, lang))
    else:
        _write_docx(project, frame, out, lang)
    return len(frame)


def _notes(rows: int, include_suggested: bool, lang: str) -> list[str]:
    which = words("quotes_note_suggested" if include_suggested else "quotes_note_accepted",
                  lang)
    return [words("quotes_note_rows", lang, rows=rows, which=which),
            words("quotes_note_names", lang, mark=NAME_MARKS[lang]),
            words("quotes_note_written", lang, version=__version__,
                  date=long_date(datetime.now().date(), lang),
                  time=f"{datetime.now():%H:%M}")]


def _write_docx(project: Project, frame: pd.DataFrame, out: Path, lang: str) -> None:
    """A heading per axis and per code, then each passage in the Quote style with its
    attribution, and a line saying who coded it and how, and its memos."""
    title = words("quotes_title", lang)
    doc = word.document(f"{title}: {project.codebook.name}", lang, subject=title)
    doc.add_paragraph(title, style="Title")
    doc.add_paragraph(project.codebook.name, style="Subtitle")
    word.add_toc(doc, words("contents", lang), words("toc_hint", lang))
    word.add_page_numbers(doc, words("page", lang), words("of", lang))
    opening, closing = QUOTE_MARKS[lang]
    book = project.codebook
    body = word.BodyWriter(doc)  # written as text as it goes: 100,000 quotes stay linear
    statuses = {s: words(f"status_{s}", lang) for s in frame["status"].unique()}
    memo_word = words("memo", lang)
    columns = ("axis", "code", "theme", "label", "text", "attribution", "policy", "document",
               "coder", "status", "memo")
    axis = code = None
    with progress.task("writing quotes", len(frame)) as step:
        for (row_axis, row_code, theme, label, text, said, policy, document, coder, status,
             memo) in zip(*(frame[c].tolist() for c in columns)):
            if row_axis != axis:
                axis = row_axis
                body.text(book[axis].label(lang) if axis in book else axis, "Heading 1")
            if row_code != code:
                code = row_code
                if theme:
                    body.text(label, "Heading 2")
            body.paragraph([(f"{opening}{text}{closing}", None), (f" {said}", False)],
                           "Quote")
            policy = group_label("policy", policy, lang) if isinstance(policy, str) else "—"
            body.text(words("quotes_meta", lang, document=document, policy=policy, coder=coder,
                            status=statuses[status]))
            if memo:
                body.text(f"{memo_word}: {memo}")
            step()
    body.save(out)
