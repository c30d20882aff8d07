"""Spreadsheet cells that cannot turn into formulas (CSV and formula injection, OWASP).

A passage, an id or a policy that starts with `=`, `+`, `-`, `@` (or a tab or carriage
return) is run as a formula by Excel and LibreOffice when a CSV is opened, and `=` becomes
a live formula in an xlsx written by openpyxl. Every CSV and workbook qda writes goes
through here: in CSV such a cell gets a leading apostrophe (OWASP's advice; spreadsheets show
the text without it), in xlsx it is stored as text. `qda --no-formula-guard ...` turns this
off for people who feed the files to programs that want the raw text.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from qda.text.files import atomic_file

if TYPE_CHECKING:  # every command sets the guard: pandas loads only for those that write
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_guard = {"on": True}


def set_formula_guard(on: bool) -> None:
    """Turn the guard on or off for every writer in this process."""
    _guard["on"] = on


def guarding() -> bool:
    return _guard["on"]


def risky(value: Any) -> bool:
    """A text cell a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every risky text cell prefixed by an apostrophe (when guarding)."""
    from pandas.api.types import is_string_dtype
    if not guarding():
        return frame
    text = [c for c in frame.columns if frame[c].dtype == object or is_string_dtype(frame[c])]
    if not text:
        return frame
    frame = frame.copy()
    for column in text:
        frame[column] = frame[column].map(lambda v: "'" + v if risky(v) else v)
    return frame


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text, formula-safe."""
    return csv_safe(frame).to_csv(index=False)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write the frame as a UTF-8 CSV, formula-safe and atomically."""
    with atomic_file(path) as fh:
        fh.write(csv_text(frame).encode("utf-8"))


def write_text_file(text: str, path: Path) -> None:
    """Write text output (JSON, CSV already made safe) atomically."""
    with atomic_file(path) as fh:
        fh.write(text.encode("utf-8"))
