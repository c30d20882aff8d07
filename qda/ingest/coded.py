"""Rows of ready-cut or reference coding files (CSV or JSONL), each with its line number."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import QdaError
from ..textio import csv_delimiter, decode, normalise, read_bytes

REQUIRED = ("document", "text", "codes")


def rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, row) pairs; `codes` becomes a list of code paths."""
    text = normalise(decode(read_bytes(path), path))
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _jsonl(text, path)
    elif suffix in (".csv", ".tsv"):
        yield from _csv(text, path, "\t" if suffix == ".tsv" else csv_delimiter(text))
    else:
        raise QdaError("coded passages come as .csv, .tsv or .jsonl", path)


def _csv(text: str, path: Path, delimiter: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise QdaError(f"missing column(s) {', '.join(missing)}; the header must include "
                       f"{', '.join(REQUIRED)}", path, 1)
    for row in reader:
        if None in row:
            raise QdaError("this row has more fields than the header; quote text that holds "
                           f"'{delimiter}'", path, reader.line_num)
        yield reader.line_num, _clean(row)


def _jsonl(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QdaError(f"not valid JSON ({exc.msg})", path, number) from None
        if not isinstance(row, dict) or any(c not in row for c in REQUIRED[:2]):
            raise QdaError("each line must be an object with 'document', 'text' and 'codes'",
                           path, number)
        yield number, _clean(row)


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    out = {str(k).strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
    codes = out.get("codes") or []
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.split(";")]
    out["codes"] = [str(c).strip() for c in codes if str(c).strip()]
    return out
