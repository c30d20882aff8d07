"""Bringing material into a project: transcripts, ready-cut coded passages, reference codings.

Each file is read and segmented outside any transaction, then written in one transaction:
a file that fails leaves nothing in the store, and one bad file never stops the others.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from . import anonymise, refi_import
from .errors import QdaError
from .ingest import coded, read_document, walk
from .ingest.metadata import Sidecars, normalise_attributes
from .ingest.transcript import Turn, render
from .models import CASE_ATTRIBUTES, Coding, Document
from .nlp import detect_language
from .project import Project
from .reanchor import ReanchorReport, reanchor_document
from .segment import segment_document
from .textio import content_hash


@dataclass
class ImportReport:
    """What happened to each file; the CLI prints it and exits 1 when anything failed."""

    imported: list[tuple[str, str, int]] = field(default_factory=list)  # path, name, segments
    unchanged: list[tuple[str, str]] = field(default_factory=list)  # path, why nothing was added
    failed: list[QdaError] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # path, what else it brought
    skipped: list[tuple[str, str]] = field(default_factory=list)  # path, what was left and why
    reanchored: list[ReanchorReport] = field(default_factory=list)  # edited transcripts

    @property
    def ok(self) -> bool:
        return not self.failed


Progress = Callable[[str], None]


def import_paths(project: Project, paths: list[Path], overrides: dict[str, str] | None = None,
                 progress: Progress | None = None) -> ImportReport:
    """Import transcripts (files or folders); `.qdpx` and `.qdc` files as REFI-QDA exchange."""
    report = ImportReport()
    files = list(walk(paths))
    sidecar_dirs = (project.root / "transcripts",)
    sidecars = Sidecars()  # each folder's interviews.csv parsed once for the whole import
    for path in files:
        if progress:
            progress(str(path))
        try:
            if path.suffix.lower() in refi_import.SUFFIXES:
                refi_import.import_file(project, path, report, overrides)
                continue
            doc = read_document(path, project.interviewer_labels, overrides, sidecar_dirs,
                                sidecars)
            _store_document(project, doc, report)
        except QdaError as exc:
            report.failed.append(exc)
    return report


def _store_document(project: Project, doc: Document, report: ImportReport) -> None:
    lang = doc.attributes.get("language") or detect_language(
        " ".join(doc.text[p.start:p.end] for p in doc.paragraphs if not p.is_interviewer),
        project.settings.language)
    doc.attributes["language"] = lang
    existing = project.store.find_document(doc.name)
    if existing is not None and existing["content_hash"] == doc.content_hash:
        report.unchanged.append((doc.source_path, f"already imported as {doc.name}"))
        return
    if existing is None:
        twin = project.store.find_document_by_hash(doc.content_hash)
        if twin is not None:
            report.unchanged.append((doc.source_path,
                                     f"same text as {twin['name']}, already imported"))
            return
    segments = segment_document(doc, lang)
    if not any(not s.is_interviewer for s in segments):
        raise QdaError("has no respondent passages to code (every turn is an interviewer's); "
                       "check the speaker labels and the 'interviewer' metadata",
                       doc.source_path)
    if existing is not None:  # an edited transcript: carry its coding over to the new text
        if anonymise.is_anonymised(project.store, existing["id"]):
            raise QdaError(f"its text changed since it was imported as {doc.name}, which has "
                           "been anonymised; run 'qda anonymise --reverse --key FILE', import "
                           "it, then anonymise again", doc.source_path)
        moved = reanchor_document(project.store, existing["id"], doc.name, doc, segments)
        report.imported.append((doc.source_path, doc.name,
                                sum(not s.is_interviewer for s in segments)))
        report.notes.append((doc.source_path, moved.summary()))
        report.reanchored.append(moved)
        return
    with project.store.transaction():
        project.store.add_document(doc, segments)
    report.imported.append((doc.source_path, doc.name, sum(not s.is_interviewer for s in segments)))


def import_coded(project: Project, path: Path, coder: str) -> ImportReport:
    """Ready-cut passages: each `document` becomes a document, each passage one segment,
    its codes accepted codings by `coder`. The whole file is checked before anything is
    written."""
    report = ImportReport()
    codebook = project.codebook
    grouped: dict[str, list[tuple[int, dict]]] = {}
    for line, row in coded.rows(path):
        if not row.get("document") or not row.get("text"):
            report.failed.append(QdaError("'document' and 'text' must not be empty", path, line))
            continue
        for code in row["codes"]:
            if code not in codebook:
                report.failed.append(QdaError(f"unknown code '{code}'; add it to the codebook "
                                              "or fix the path", path, line))
        grouped.setdefault(str(row["document"]), []).append((line, row))
    if report.failed:
        return report
    with project.store.transaction():
        for name, passages in grouped.items():
            doc = _coded_document(name, passages, path)
            doc.attributes.setdefault("language", detect_language(doc.text,
                                                                  project.settings.language))
            before = len(report.imported)
            _store_document(project, doc, report)
            if len(report.imported) == before:
                continue
            segments = project.store.segments(project.store.find_document(name)["id"])
            project.store.upsert_human_codings(
                Coding(seg.id, code, coder, "human", "accepted")
                for seg, (_, row) in zip(segments, passages) for code in row["codes"])
            project.store.mark_reviewed([s.id for s in segments], coder)
    return report


def _coded_document(name: str, passages: list[tuple[int, dict]], path: Path) -> Document:
    turn = Turn(None, [" ".join(str(row["text"]).split()) for _, row in passages])
    doc = render(name, [turn], set())
    attrs: dict = {}
    for _, row in passages:
        for key in CASE_ATTRIBUTES:
            if row.get(key) and key not in attrs:
                attrs[key] = row[key]
    doc.attributes = normalise_attributes(attrs, path)
    doc.source_path = str(path)
    doc.content_hash = content_hash(doc.text)
    return doc


def import_codings(project: Project, paths: list[Path], coder: str) -> ImportReport:
    """Codings of passages of documents already imported (a reference or a second coder's
    spreadsheet): each `text` is found in its document, and every respondent segment it
    covers gets its codes as accepted codings by `coder`. One transaction per file."""
    report = ImportReport()
    codebook = project.codebook
    files = [p for path in paths
             for p in (sorted(path.rglob("*")) if path.is_dir() else [path])
             if p.suffix.lower() in (".csv", ".tsv", ".jsonl")]
    if not files:
        report.failed.append(QdaError("no .csv, .tsv or .jsonl coding files here",
                                      ", ".join(map(str, paths))))
    for path in files:
        try:
            decisions = _locate_codings(project, path, codebook)
        except QdaError as exc:
            report.failed.append(exc)
            continue
        with project.store.transaction():
            added, same = project.store.upsert_human_codings(
                Coding(sid, code, coder, "human", "accepted")
                for sid, codes in decisions.items() for code in codes)
            project.store.mark_reviewed(decisions, coder)
        if added:
            report.imported.append((str(path), coder, len(decisions)))
        else:
            report.unchanged.append((str(path), f"all {same} codings were already there"))
    return report


def _locate_codings(project: Project, path: Path, codebook) -> dict[int, list[str]]:
    """segment id -> codes for every row of one file; raises listing every bad row."""
    problems: list[str] = []
    decisions: dict[int, list[str]] = {}
    cache: dict[str, tuple[str, list]] = {}
    for line, row in coded.rows(path):
        name = str(row.get("document") or "")
        if name not in cache:
            found = project.store.find_document(name)
            if found is None:
                problems.append(f"line {line}: no document '{name}' in the project")
                continue
            cache[name] = (project.store.document_text(found["id"]),
                           project.store.segments(found["id"], codable_only=True))
        text, segments = cache[name]
        unknown = [c for c in row["codes"] if c not in codebook]
        if unknown:
            problems.append(f"line {line}: unknown code(s) {', '.join(unknown)}")
            continue
        span = _find(text, str(row["text"]))
        if span is None:
            problems.append(f"line {line}: passage not found in {name}: "
                            f"'{str(row['text'])[:60]}…'")
            continue
        covered = [s for s in segments if s.start < span[1] and span[0] < s.end]
        if not covered:
            problems.append(f"line {line}: the passage is in an interviewer turn of {name}")
            continue
        for seg in covered:
            codes = decisions.setdefault(seg.id, [])
            codes.extend(c for c in row["codes"] if c not in codes)
    if problems:
        raise QdaError(f"{len(problems)} row(s) could not be placed; nothing from this file "
                       "was written:\n" + "\n".join(f"  {p}" for p in problems), path)
    return decisions


def _find(text: str, passage: str) -> tuple[int, int] | None:
    """Exact position of a passage, else its best alignment if nearly identical."""
    at = text.find(passage)
    if at >= 0:
        return at, at + len(passage)
    squeezed = " ".join(passage.split())
    if not squeezed:
        return None
    match = fuzz.partial_ratio_alignment(squeezed, text, score_cutoff=95)
    return (match.dest_start, match.dest_end) if match else None
