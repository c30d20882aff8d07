"""Excel workbooks of analysis tables: numbers stay numbers, shares are formatted as
percentages, and a Notes sheet says what was counted, so the file stands on its own."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qda import progress
from qda.export.cells import guarding, risky
from qda.text.files import atomic_file

MAX_WIDTH = 60


def number_format(column: str) -> str | None:
    """Excel format for a column, from its name."""
    name = str(column)
    if name.endswith("%") or name.endswith("share"):
        return "0%"
    if name.endswith("jaccard"):
        return "0.00"
    if name == "p_value":
        return "0.000"
    return None


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame], notes: list[str]) -> None:
    """One sheet per frame (header row frozen and bold), then a Notes sheet."""
    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in progress.track(frame.itertuples(index=False), f"writing {name}",
                                  len(frame)):
            sheet.append([_cell(v) for v in row])
        if guarding():
            _as_text(sheet)
        for index, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(index)
            fmt = number_format(column)
            if fmt:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = fmt
            longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(500)])
            sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(6, longest + 2))
        sheet.freeze_panes = "A2"
    info = book.create_sheet("Notes")
    for line in notes:
        info.append([line])
    info.column_dimensions["A"].width = 100
    with atomic_file(path) as fh:
        book.save(fh)


def _as_text(sheet: Worksheet) -> None:
    """Cells that would run as formulas (`=...`, and `+ - @` once someone edits them) are
    stored as text, marked so Excel keeps them text (quote prefix)."""
    for row in sheet.iter_rows():
        for cell in row:
            if risky(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def _cell(value: object) -> object:
    """Plain Python values openpyxl accepts; missing values become empty cells."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    if value is pd.NA:
        return None
    return value
