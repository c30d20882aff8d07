"""What the TUI's retrieve screen shows for a code, written to outputs/ as .xlsx or .docx.

People's names are replaced as in every export; the interview is named only when its name
names nobody.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from qda.privacy.redact import people, safe_document_name
from qda.project import Project
from qda.text.files import write_atomic

COLUMNS = ["segment_id", "interview", "country", "role", "policy", "coder", "status", "start",
           "end", "text"]


def export_retrieved(project: Project, shown: list[dict[str, Any]], code: str, kind: str
                     ) -> Path:
    """Write the retrieved rows (`kind`: xlsx or docx) and return where."""
    who = people(project)
    rows = [{"segment_id": r["segment_id"],
             "interview": safe_document_name(r["document"], who, r["document_id"]),
             "country": r["country"] or "", "role": r["role_label"],
             "policy": who.redact(r["policy"] or ""), "coder": r["coder"],
             "status": r["status"], "start": r["start"], "end": r["end"],
             "text": who.redact(r["text"])} for r in shown]
    out = project.root / "outputs" / f"retrieve-{code.replace('/', '-')}.{kind}"
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, _xlsx(rows) if kind == "xlsx" else _docx(rows, code))
    return out


def _xlsx(rows: list[dict[str, Any]]) -> bytes:
    """One row per coding; every cell is text (a passage starting with "=" is no formula)."""
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _docx(rows: list[dict[str, Any]], code: str) -> bytes:
    from docx import Document
    document = Document()
    document.add_heading(code, level=1)
    for row in rows:
        document.add_paragraph(row["text"], style="Quote")
        where = ", ".join(v for v in (row["interview"], row["country"], row["role"],
                                      row["coder"], row["status"]) if v)
        document.add_paragraph(f"({where}; #{row['segment_id']})")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
