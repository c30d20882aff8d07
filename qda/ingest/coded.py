"""Rows of ready-cut or reference coding files (CSV or JSONL), each with its line number."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qda.errors import QdaError
from qda.text.files import csv_delimiter, decode, normalise, read_bytes

REQUIRED = ("document", "text", "codes")


def rows(path: Path, required: tuple[str, ...] = REQUIRED
         ) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, row) pairs with the `required` columns; `codes`, where there is one, becomes a
    list of code paths (a row without it says nothing about codes)."""
    if not path.is_file():
        raise QdaError("no such file", path)
    text = normalise(decode(read_bytes(path), path))
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _jsonl(text, path, required)
    elif suffix in (".csv", ".tsv"):
        yield from _csv(text, path, "\t" if suffix == ".tsv" else csv_delimiter(text), required)
    else:
        raise QdaError("passages come as .csv, .tsv or .jsonl", path)


def _csv(text: str, path: Path, delimiter: str, required: tuple[str, ...]
         ) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise QdaError(f"missing column(s) {', '.join(missing)}; the header must include "
                       f"{', '.join(required)}", path, 1)
    for row in reader:
        if None in row:
            raise QdaError("this row has more fields than the header; quote text that holds "
                           f"'{delimiter}'", path, reader.line_num)
        yield reader.line_num, _clean(row)


def _jsonl(text: str, path: Path, required: tuple[str, ...]
           ) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QdaError(f"not valid JSON ({exc.msg})", path, number) from None
        # a JSON line may leave its codes out; what that means is the caller's to say
        needed = [c for c in required if c != "codes"]
        if not isinstance(row, dict) or any(c not in row for c in needed):
            raise QdaError("each line must be a JSON object with "
                           f"{', '.join(repr(c) for c in needed)}", path, number)
        yield number, _clean(row)


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    out = {str(k).strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
    if "codes" not in out:
        return out
    codes = out["codes"] or []
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.split(";")]
    out["codes"] = [str(c).strip() for c in codes if str(c).strip()]
    return out
