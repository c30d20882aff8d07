"""Transcript readers, one module per format, all returning the same `Document`."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from qda.errors import QdaError
from qda.ingest import docx, subtitles, text
from qda.ingest.metadata import SIDECAR, Sidecars, merge
from qda.ingest.transcript import label_key
from qda.models import Document

Reader = Callable[[Path, set[str]], tuple[Document, dict]]
READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".docx": docx.read,
    ".vtt": subtitles.read_vtt,
    ".srt": subtitles.read_srt,
}
# Files that sit beside transcripts but are not transcripts: metadata, codings, notes.
_SIDECAR_SUFFIXES = {".csv", ".tsv", ".json", ".jsonl", ".yaml", ".yml", ".xlsx", ".xls"}
# Documents qda cannot read: named in a folder, they fail with advice rather than pass.
_CONVERTIBLE = {".pdf", ".rtf", ".odt", ".doc", ".pages"}
EXCHANGE = (".qdpx", ".qdc")  # REFI-QDA projects and codebooks (qda/imports/refi.py)
READABLE = (*READERS, *EXCHANGE)


def walk(paths: list[Path], skipped: list[tuple[Path, str]] | None = None) -> Iterator[Path]:
    """Files to import: named files as given, folders searched recursively in name order.

    Files in a folder that are not transcripts (spreadsheets, codings, images, files with
    no extension) are appended to `skipped` with the reason; `interviews.csv` and files in
    hidden or `_`-prefixed folders are passed over silently."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for child in sorted(path.rglob("*")):
            rel = child.relative_to(path)
            if any(part.startswith((".", "_")) for part in rel.parts) or not child.is_file():
                continue
            why = skip_reason(child)
            if why is None:
                yield child
            elif why and skipped is not None:
                skipped.append((child, why))


def skip_reason(path: Path) -> str | None:
    """Why a file found in a folder is not imported ('' to pass it over unsaid); None
    when it is one to import (or to refuse with advice, like a .pdf)."""
    suffix = path.suffix.lower()
    if path.name == SIDECAR:
        return ""
    if suffix in READERS or suffix in EXCHANGE or suffix in _CONVERTIBLE:
        return "a README, not a transcript" if path.stem.upper() == "README" else None
    if suffix in _SIDECAR_SUFFIXES:
        return ("a table, not a transcript (codings: 'qda import-codings' or "
                "'qda import-coded'; attributes: interviews.csv)")
    kind = f"'{suffix}' files" if suffix else "files without an extension"
    return f"qda does not read {kind} (it reads {', '.join(READABLE)})"


def read_document(path: Path, interviewers: set[str], overrides: dict[str, str] | None = None,
                  sidecar_dirs: tuple[Path, ...] = (), sidecars: Sidecars | None = None
                  ) -> Document:
    """Read one transcript with its attributes; raises QdaError naming the file. Pass one
    `sidecars` for a whole import so each folder's interviews.csv is parsed once."""
    if not path.exists():
        raise QdaError("no such file", path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        advice = ("; save it as .docx or .txt first" if path.suffix.lower() in _CONVERTIBLE
                  else "")
        raise QdaError(f"unknown file type '{path.suffix or '(none)'}'; qda reads "
                       f"{', '.join(READERS)}{advice}", path)
    sidecar = (sidecars or Sidecars()).rows((path.parent, *sidecar_dirs))
    declared = _interviewers_from(sidecar.get(path.name) or sidecar.get(path.stem) or {})
    doc, front = reader(path, {label_key(x) for x in interviewers | declared})
    attributes = merge(path, front, sidecar, overrides or {})
    doc.name = str(attributes.pop("id", None) or doc.name)
    doc.interviewers = [str(x) for x in attributes.pop("interviewer", [])]
    doc.attributes = attributes
    doc.source_path = str(path)
    return doc


def _interviewers_from(row: dict) -> set[str]:
    value = row.get("interviewer") or []
    return {value} if isinstance(value, str) else set(value)
