"""Storing one document read from any source: a transcript file, a coded spreadsheet, a
REFI-QDA source, a re-import.

`prepare_document` decides, reading the store but writing nothing, what storing a document
means: its language (declared or detected), whether the project has it already (same id:
unchanged, new attributes, new turns, or edited text to re-anchor; same text under another
id: nothing to add), its passages, and whether it may be stored at all (respondent passages
to code; not an anonymised interview; not another file's id). `write_document` then does it,
joining the caller's transaction when there is one, so an import that must check all its
documents first (a `.qdpx`) prepares them all before writing any. `store_document` is both.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from qda.errors import QdaError
from qda.imports.reanchor import ReanchorReport, reanchor_document
from qda.models import Document, Segment
from qda.privacy import pseudonymise
from qda.project import Project
from qda.text.nlp import detect_language, sentence_spans
from qda.text.segment import Split, segment_document


@dataclass
class ImportReport:
    """What happened to each file; the CLI prints it and exits 1 when anything failed."""

    imported: list[tuple[str, str, int]] = field(default_factory=list)  # path, name, segments
    unchanged: list[tuple[str, str]] = field(default_factory=list)  # path, why nothing was added
    failed: list[QdaError] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # path, what else it brought
    skipped: list[tuple[str, str]] = field(default_factory=list)  # path, what was left and why
    reanchored: list[ReanchorReport] = field(default_factory=list)  # edited transcripts
    speakers: list[tuple[str, str, bool]] = field(default_factory=list)  # name, who asks, sure
    changed: list[tuple[str, str]] = field(default_factory=list)  # path, "CL-03: country A -> B"
    warnings: list[tuple[str, str]] = field(default_factory=list)  # path, what to check

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class Incoming:
    """A document ready to store, and what storing it does (`action`)."""

    doc: Document
    action: str  # add | reanchor (edited text) | resegment (new turns) | attributes | unchanged
    segments: list[Segment] = field(default_factory=list)
    existing: sqlite3.Row | None = None  # the stored document with this id, if any
    changes: list[str] = field(default_factory=list)  # 'country A -> B' of attributes
    why: str = ""  # unchanged: why nothing is added

    @property
    def passages(self) -> int:
        return sum(not s.is_interviewer for s in self.segments)


def store_document(project: Project, doc: Document, report: ImportReport,
                   replace: bool = False, split: Split = sentence_spans) -> int | None:
    """Store one document (see `prepare_document`); its id, None when nothing was added."""
    return write_document(project, prepare_document(project, doc, replace, split), report)


def prepare_document(project: Project, doc: Document, replace: bool = False,
                     split: Split = sentence_spans) -> Incoming:
    """What storing `doc` means, decided without writing; raises QdaError naming the file
    when it must not be stored. `replace`: it may replace an interview imported from
    another file with its id (whose codings are then re-anchored). `split`: how long
    paragraphs are cut into sentences (see `segment_document`)."""
    given = dict(doc.attributes)
    changes: list[str] = []
    lang = doc.attributes.get("language") or detect_language(
        " ".join(doc.text[p.start:p.end] for p in doc.paragraphs if not p.is_interviewer),
        project.settings.language)
    doc.attributes["language"] = lang
    existing = project.store.find_document(doc.name)
    if existing is not None:
        # what the files or options say now wins; what they no longer say is kept
        stored = project.store.document_attributes(existing["id"])
        changes = attribute_changes(stored, given)
        doc.attributes = {**stored, **given}
        doc.attributes.setdefault("language", lang)
        lang = doc.attributes["language"]
    if existing is not None and existing["content_hash"] == doc.content_hash:
        segments = segment_document(doc, lang, split)
        if cuts(segments) != cuts(project.store.segments(existing["id"])):
            # the same text with other turns: interviewer metadata or speaker labels changed
            check_respondents(doc, segments)
            return Incoming(doc, "resegment", segments, existing, changes)
        if changes:
            return Incoming(doc, "attributes", [], existing, changes)
        return Incoming(doc, "unchanged", [], existing, changes,
                        f"already imported as {doc.name}")
    if existing is None:
        twin = project.store.find_document_by_hash(doc.content_hash)
        if twin is not None:
            return Incoming(doc, "unchanged", why=f"same text as {twin['name']}, already imported")
    segments = segment_document(doc, lang, split)
    check_respondents(doc, segments)
    if existing is not None and pseudonymise.is_anonymised(project.store, existing["id"]):
        raise QdaError(f"its text changed since it was imported as {doc.name}, which has "
                       "been anonymised; run 'qda anonymise --reverse --key FILE', import "
                       "it, then anonymise again", doc.source_path)
    if existing is not None and not replace and not same_file(existing["source_path"],
                                                              doc.source_path):
        raise QdaError(f"its id '{doc.name}' is already the id of the interview imported from "
                       f"{existing['source_path']}; give this file another id, or pass "
                       "--replace to replace that interview (its codings are re-anchored)",
                       doc.source_path)
    if existing is not None:  # an edited transcript: carry its coding over to the new text
        return Incoming(doc, "reanchor", segments, existing, changes)
    return Incoming(doc, "add", segments)


def write_document(project: Project, incoming: Incoming, report: ImportReport | None
                   ) -> int | None:
    """Do what `prepare_document` decided, in one transaction (the caller's, if open), and
    say so in `report` (None: the caller reports); the document's id, None when nothing was
    added."""
    report = report if report is not None else ImportReport()
    doc, existing, action = incoming.doc, incoming.existing, incoming.action
    changed = [(doc.source_path, f"{doc.name}: {change}") for change in incoming.changes]
    if action == "add":
        with project.store.transaction():
            document_id = project.store.add_document(doc, incoming.segments)
        report.imported.append((doc.source_path, doc.name, incoming.passages))
        return document_id
    if action == "reanchor":
        report.changed += changed
        moved = reanchor_document(project.store, existing["id"], doc.name, doc,
                                  incoming.segments)
        report.imported.append((doc.source_path, doc.name, incoming.passages))
        report.notes.append((doc.source_path, moved.summary()))
        report.reanchored.append(moved)
        return existing["id"]
    if action == "resegment":
        resegment(project, existing["id"], doc, incoming.segments, report)
    elif action == "attributes":
        with project.store.transaction():
            project.store.update_document_attributes(existing["id"], doc.attributes)
    else:
        report.unchanged.append((doc.source_path, incoming.why))
    report.changed += changed
    return None


def check_respondents(doc: Document, segments: list[Segment]) -> None:
    if not any(not s.is_interviewer for s in segments):
        raise QdaError("has no respondent passages to code (every turn is an interviewer's "
                       "or a note); check the speaker labels and the 'interviewer' metadata",
                       doc.source_path)


def cuts(segments: list[Segment]) -> list[tuple[int, int, bool]]:
    """Where a document's passages are cut and whose they are: equal cuts, same passages."""
    return [(s.start, s.end, bool(s.is_interviewer)) for s in segments]


def resegment(project: Project, document_id: int, doc: Document, segments: list[Segment],
              report: ImportReport) -> None:
    """New segments for a document whose text stayed (its turns changed hands): codings,
    reviews and memos follow their passages' text; a coding whose passage became an
    interviewer turn is kept detached, listed by `qda flagged`."""
    if pseudonymise.is_anonymised(project.store, document_id):
        raise QdaError(f"{doc.name} has been anonymised; run 'qda anonymise --reverse --key "
                       "FILE' first, then anonymise again", doc.source_path)
    moved = reanchor_document(project.store, document_id, doc.name, doc, segments)
    report.imported.append((doc.source_path, doc.name,
                            sum(not s.is_interviewer for s in segments)))
    report.notes.append((doc.source_path, moved.summary().replace("its text changed",
                                                                  "its turns changed")))
    report.reanchored.append(moved)


def attribute_changes(stored: dict, given: dict) -> list[str]:
    """'country Chile -> Peru' for every attribute the files or options now set otherwise."""
    changes = []
    for key, value in given.items():
        if key in ("interviewer", "id"):
            continue
        old = stored.get(key)
        if value not in (None, "") and str(value) != str(old if old is not None else ""):
            changes.append(f"{key} {old if old not in (None, '') else '(none)'} -> {value}")
    return changes


def same_file(stored: str | None, new: str | None) -> bool:
    """Whether a file is the one an interview came from: same name (the project folder may
    have moved since), or no source recorded."""
    return not stored or not new or Path(stored).name == Path(new).name
