"""Transcript readers, one module per format, all returning the same `Document`."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import QdaError
from ..models import Document
from . import docx, subtitles, text
from .metadata import SIDECAR, Sidecars, merge
from .transcript import label_key

Reader = Callable[[Path, set[str]], tuple[Document, dict]]
READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".docx": docx.read,
    ".vtt": subtitles.read_vtt,
    ".srt": subtitles.read_srt,
}
# Files that sit beside transcripts but are not transcripts: metadata, codings, notes.
_SIDECAR_SUFFIXES = {".csv", ".tsv", ".json", ".jsonl", ".yaml", ".yml", ".xlsx"}


def walk(paths: list[Path]) -> Iterator[Path]:
    """Files to import: named files as given, folders searched recursively in name order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith((".", "_")) for part in rel.parts):
                    continue
                if child.is_file() and not _is_sidecar(child):
                    yield child
        else:
            yield path


def _is_sidecar(path: Path) -> bool:
    return (path.suffix.lower() in _SIDECAR_SUFFIXES or path.name == SIDECAR
            or path.stem.upper() == "README")


def read_document(path: Path, interviewers: set[str], overrides: dict[str, str] | None = None,
                  sidecar_dirs: tuple[Path, ...] = (), sidecars: Sidecars | None = None
                  ) -> Document:
    """Read one transcript with its attributes; raises QdaError naming the file. Pass one
    `sidecars` for a whole import so each folder's interviews.csv is parsed once."""
    if not path.exists():
        raise QdaError("no such file", path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise QdaError(f"unknown file type '{path.suffix or '(none)'}'; qda reads "
                       f"{', '.join(READERS)}", path)
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
