"""Bringing material into a project: transcripts, ready-cut coded passages, reference codings.

Each file is read and segmented outside any transaction, then written in one transaction:
a file that fails leaves nothing in the store, and one bad file never stops the others.
Every document, whatever its source (a transcript file, a coded spreadsheet, a REFI-QDA
source in `refi.py`), is stored by `documents.store_document`; this module dispatches.
"""
from __future__ import annotations

import json
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from pathlib import Path

from qda.errors import QdaError, UsageError
from qda.imports.documents import (
    ImportReport,
    attribute_changes,
    check_respondents,
    cuts,
    prepare_document,
    resegment,
    store_document,
    write_document,
)
from qda.ingest import EXCHANGE, READABLE, coded, read_document, speakers, walk
from qda.ingest.metadata import Sidecars, normalise_attributes
from qda.ingest.transcript import Turn, label_key, render
from qda.models import Coding, Document, Paragraph, Segment
from qda.project import Project
from qda.store import Store
from qda.text.files import content_hash
from qda.text.locate import locate
from qda.text.nlp import PARALLEL_MIN_DOCUMENTS, Sentences, detect_language
from qda.text.segment import long_paragraphs, segment_document
from qda.vocab import CASE_ATTRIBUTES

Progress = Callable[[str], None]
# How long an import's batch of documents holds the store's write lock before it commits
BATCH_SECONDS = 0.5


def import_paths(project: Project, paths: list[Path], overrides: dict[str, str] | None = None,
                 progress: Progress | None = None, replace: bool = False,
                 split: Sentences | None = None) -> ImportReport:
    """Import transcripts (files or folders); `.qdpx` and `.qdc` files as REFI-QDA exchange.
    Every file is read before any is stored, so two files with one id are both refused.
    `replace`: a file may replace an interview imported from another file with its id.
    `split`: the caller's sentence worker (by default, one for a large import)."""
    report = ImportReport()
    skipped: list[tuple[Path, str]] = []
    files = list(walk(paths, skipped))
    report.skipped += _grouped(skipped)
    for folder in paths:
        if folder.is_dir() and not any(f.is_relative_to(folder) for f in files):
            others = sum(f.is_relative_to(folder) for f, _ in skipped)
            report.failed.append(QdaError(
                f"no transcripts here (qda reads {', '.join(READABLE)})"
                + (f"; {others} other file(s) skipped" if others else ""), folder))
    with (Sentences(parallel=len(files) >= PARALLEL_MIN_DOCUMENTS) if split is None
          else nullcontext(split)) as split:
        docs, handed = _read_all(project, files, overrides, report, progress, split)
        _store_all(project, docs, report, progress, replace, split, handed)
    return report


def _read_all(project: Project, files: list[Path], overrides: dict[str, str] | None,
              report: ImportReport, progress: Progress | None, split: Sentences
              ) -> tuple[list[Document], dict[str, tuple[str, str]]]:
    """Read every file (a REFI-QDA file is imported on the spot), handing each transcript's
    long paragraphs to `split` to find their sentences while the next files are read; the
    documents, and by file one paragraph handed over and its language."""
    sidecar_dirs = (project.root / "transcripts",)
    sidecars = Sidecars()  # each folder's interviews.csv parsed once for the whole import
    docs: list[Document] = []
    handed: dict[str, tuple[str, str]] = {}
    for path in files:
        try:
            if path.suffix.lower() in EXCHANGE:
                from qda.imports import refi as refi_import  # lxml and python-docx: only here

                if progress:
                    progress(str(path))
                refi_import.import_file(project, path, report, overrides)
                continue
            doc = read_document(path, project.interviewer_labels, overrides, sidecar_dirs,
                                sidecars)
        except QdaError as exc:
            report.failed.append(exc)
            continue
        docs.append(doc)
        long = long_paragraphs(doc) if split.parallel else []
        if long:
            # the language prepare_document will most likely use: declared, or detected
            # (the speakers are not settled yet); a wrong guess costs only time
            lang = doc.attributes.get("language") or detect_language(
                " ".join(doc.text[p.start:p.end] for p in doc.paragraphs
                         if not p.is_interviewer), project.settings.language)
            split.ahead(long, lang)
            handed[doc.source_path] = (long[0], lang)
    split.flush()  # the rest, while this process settles the speakers
    return docs, handed


def _store_all(project: Project, docs: list[Document], report: ImportReport,
               progress: Progress | None, replace: bool, split: Sentences,
               handed: dict[str, tuple[str, str]]) -> None:
    """Store the documents in order, a few transactions for all of them (`_Batches`)."""
    docs = _one_file_per_id(docs, report)
    # the speakers first, for every document: they need no sentences, which the worker may
    # still be finding
    decisions = [_settle_speakers(project, doc) for doc in docs]
    with _Batches(project.store) as batches:
        for doc, decision in zip(docs, decisions):
            if progress:
                progress(doc.source_path)
            paragraph = handed.get(doc.source_path)
            if paragraph is not None and not split.ready(*paragraph):
                batches.commit()  # no write lock held while the worker finds sentences
            _store_one(project, doc, decision, report, replace, split, batches)


def _store_one(project: Project, doc: Document, decision: speakers.Decision,
               report: ImportReport, replace: bool, split: Sentences, batches: _Batches
               ) -> None:
    try:
        before = len(report.imported) + len(report.changed)
        incoming = prepare_document(project, doc, replace, split)
        if incoming.action == "unchanged":
            write_document(project, incoming, report)  # nothing to write
        else:
            with batches.document():
                write_document(project, incoming, report)
        if len(report.imported) + len(report.changed) > before:
            report.speakers.append((doc.name, decision.message(doc.name), decision.sure))
            missing = [key for key in ("country", "role") if not doc.attributes.get(key)]
            if missing:
                report.warnings.append((doc.source_path, _missing(doc.name, missing)))
    except QdaError as exc:
        report.failed.append(exc)


class _Batches:
    """The documents of an import written in a few transactions, not one each: a commit
    costs more than a document's rows. Each document is a savepoint of its own, so an
    error undoes that document alone, as its own transaction did; a batch is committed
    once it has held the write lock for `BATCH_SECONDS`, so another command (a reviewer
    coding meanwhile) waits no longer than that. An interrupted import keeps every
    document of the batches committed before, each whole."""

    def __init__(self, store: Store):
        self._store = store
        self._open: ExitStack | None = None
        self._since = 0.0

    def __enter__(self) -> _Batches:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._open is not None:
            opened, self._open = self._open, None
            opened.__exit__(*exc)  # committed, or rolled back on an exception

    @contextmanager
    def document(self) -> Iterator[None]:
        """Write one document inside the open batch (opened if need be)."""
        if self._open is None:
            self._open = ExitStack()
            self._open.enter_context(self._store.transaction())
            self._since = time.monotonic()
        with self._store.savepoint():
            yield
        if time.monotonic() - self._since >= BATCH_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self._open is not None:
            opened, self._open = self._open, None
            opened.close()


def _grouped(skipped: list[tuple[Path, str]]) -> list[tuple[str, str]]:
    """One line per folder and reason: a folder of 12 coding sheets is one line, not 12."""
    groups: dict[tuple[Path, str], list[Path]] = {}
    for path, why in skipped:
        groups.setdefault((path.parent, why), []).append(path)
    return [(str(paths[0]) if len(paths) == 1 else
             f"{len(paths)} files in {folder} ({', '.join(p.name for p in paths[:3])}"
             f"{', …' if len(paths) > 3 else ''})", why)
            for (folder, why), paths in groups.items()]


def _settle_speakers(project: Project, doc: Document) -> speakers.Decision:
    """Mark the document's interviewer turns: declared, settled before, configured or
    guessed from the turns (see ingest/speakers.py)."""
    existing = project.store.find_document(doc.name)
    previous = (stored_interviewers(project.store.segments(existing["id"]))
                if existing is not None else None)
    configured = {label_key(x) for x in project.interviewer_labels}
    return speakers.settle(doc, configured, previous)


def stored_interviewers(segments: list[Segment]) -> list[str]:
    """The labels a document's stored segments treat as the interviewer's (most of a
    label's segments are context; a respondent's stage notes are a few)."""
    seen: dict[str, list[int]] = {}
    for seg in segments:
        if seg.speaker:
            counts = seen.setdefault(seg.speaker, [0, 0])
            counts[0] += seg.is_interviewer
            counts[1] += 1
    return [label for label, (context, total) in seen.items() if context * 2 > total]


def _missing(name: str, keys: list[str]) -> str:
    options = " ".join(f"--{key} ..." for key in keys)
    return (f"{name} has no {' and no '.join(keys)}; summaries will count it under "
            f"'(none)': add {' and '.join(keys)} to its front matter or interviews.csv and "
            f"import again, or run 'qda set {name} {options}'")


def _one_file_per_id(docs: list[Document], report: ImportReport) -> list[Document]:
    """The documents whose id no other file of this import has; the others are failures
    naming every file with that id (keeping either would silently drop the other)."""
    files: dict[str, list[str]] = {}
    for doc in docs:
        files.setdefault(doc.name, []).append(doc.source_path)
    for name, paths in files.items():
        if len(paths) > 1:
            report.failed.append(QdaError(
                f"{len(paths)} files have the id '{name}': {', '.join(paths)}; give each "
                "interview its own id (nothing was imported for this id)", paths[0]))
    return [doc for doc in docs if len(files[doc.name]) == 1]


def import_coded(project: Project, path: Path, coder: str, unreviewed: bool = False
                 ) -> ImportReport:
    """Ready-cut passages: each `document` becomes a document, each passage one segment,
    its codes accepted codings by `coder`. A passage without a `codes` field (or every
    passage, with `unreviewed`) is left for the coders: nobody reviewed it. The whole file
    is checked before anything is written."""
    report = ImportReport()
    codebook = project.codebook
    grouped: dict[str, list[tuple[int, dict]]] = {}
    for line, row in coded.rows(path, required=("document", "text")):
        if not row.get("document") or not row.get("text"):
            report.failed.append(QdaError("'document' and 'text' must not be empty", path, line))
            continue
        if unreviewed and row.get("codes"):
            report.failed.append(QdaError("has codes, but the passages were to be imported "
                                          "unreviewed; empty the codes or drop --unreviewed",
                                          path, line))
            continue
        for code in row.get("codes", []):
            if code not in codebook:
                report.failed.append(QdaError(f"unknown code '{code}'; add it to the codebook "
                                              "or fix the path", path, line))
        grouped.setdefault(str(row["document"]), []).append((line, row))
    if report.failed:
        return report
    left = 0
    with project.store.transaction():
        for name, passages in grouped.items():
            pieces = add_coded_document(project, name, [row for _, row in passages], path,
                                        report)
            if pieces is None:
                continue
            decided = [(segments, row) for segments, (_, row) in zip(pieces, passages)
                       if "codes" in row and not unreviewed]
            left += len(passages) - len(decided)
            project.store.upsert_human_codings(
                Coding(seg.id, code, coder, "human", "accepted")
                for segments, row in decided for seg in segments for code in row["codes"])
            project.store.mark_reviewed([seg.id for segments, _ in decided for seg in segments],
                                        coder)
    if left:
        note = f"{left} passages left unreviewed: 'qda autocode' suggests codes for them"
        report.notes.append((str(path), note))
    return report


def add_coded_document(project: Project, name: str, passages: list[dict], path: Path,
                       report: ImportReport) -> list[list[Segment]] | None:
    """Store ready-cut passages as document `name`; the segments of each passage (a long
    one is cut in pieces), or None when the document was already there."""
    doc = _coded_document(name, passages, path)
    before = len(report.imported)
    store_document(project, doc, report)
    if len(report.imported) == before:
        return None
    segments = project.store.segments(project.store.find_document(name)["id"])
    starts = [p.start for p in doc.paragraphs]
    pieces: list[list[Segment]] = [[] for _ in passages]
    for seg in segments:
        pieces[bisect_right(starts, seg.start) - 1].append(seg)
    return pieces


def _coded_document(name: str, passages: list[dict], path: Path) -> Document:
    turn = Turn(None, [" ".join(str(row["text"]).split()) for row in passages])
    doc = render(name, [turn], set())
    attrs: dict = {}
    for row in passages:
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
        codes = row.get("codes", [])
        unknown = [c for c in codes if c not in codebook]
        if unknown:
            problems.append(f"line {line}: unknown code(s) {', '.join(unknown)}")
            continue
        span = locate(str(row["text"]), text, cutoff=95, squeeze=True)
        if span is None:
            problems.append(f"line {line}: passage not found in {name}: "
                            f"'{str(row['text'])[:60]}…'")
            continue
        covered = [s for s in segments if s.start < span.end and span.start < s.end]
        if not covered:
            problems.append(f"line {line}: the passage is in an interviewer turn of {name}")
            continue
        for seg in covered:
            decided = decisions.setdefault(seg.id, [])
            decided.extend(c for c in codes if c not in decided)
    if problems:
        raise QdaError(f"{len(problems)} row(s) could not be placed; nothing from this file "
                       "was written:\n" + "\n".join(f"  {p}" for p in problems), path)
    return decisions


# -- speakers and attributes of documents already imported (qda speakers, qda set) ---------
def _document(project: Project, name: str):
    found = project.store.find_document(name)
    if found is None:
        names = [r["name"] for r in project.store.documents()]
        raise UsageError(f"no document '{name}' in the project; it has "
                         f"{', '.join(names[:20]) or 'none'}{', …' if len(names) > 20 else ''}")
    return found


def speaker_rows(project: Project, name: str | None = None) -> list[dict]:
    """Per document and speaker label: turns, passages to code, and its role."""
    rows = []
    for doc in project.store.documents():
        if name is not None and doc["name"] != name:
            continue
        segments = project.store.segments(doc["id"])
        asks = {label_key(x) for x in stored_interviewers(segments)}
        stats: dict[str, dict] = {}
        last = None
        for seg in segments:
            label = seg.speaker or "(no label)"
            entry = stats.setdefault(label, {
                "document": doc["name"], "speaker": label, "turns": 0, "passages": 0,
                "role": ("interviewer" if label_key(label) in asks else
                         "respondent" if seg.speaker else "context")})
            entry["turns"] += label != last
            entry["passages"] += not seg.is_interviewer
            last = label
        rows += stats.values()
    if name is not None and not rows:
        _document(project, name)
    return rows


def set_interviewer(project: Project, name: str, labels: list[str]) -> ImportReport:
    """Make `labels` the interviewer of an imported document and re-segment it; codings
    follow their passages (those on turns that become the interviewer's are kept detached
    and listed by `qda flagged`)."""
    found = _document(project, name)
    segments = project.store.segments(found["id"])
    present = {label_key(s.speaker): s.speaker for s in segments if s.speaker}
    unknown = [x for x in labels if label_key(x) not in present]
    if unknown:
        raise UsageError(f"{name} has no speaker {', '.join(map(repr, unknown))}; its "
                         f"speakers are {', '.join(present.values())}")
    asks = {label_key(x) for x in stored_interviewers(segments)}
    paragraphs = [Paragraph(s.start, s.end, s.speaker, s.is_interviewer, s.time,
                            is_note=s.speaker is None or (
                                s.is_interviewer and label_key(s.speaker) not in asks))
                  for s in segments]
    speakers.mark(paragraphs, [present[label_key(x)] for x in labels])
    row = next(r for r in project.store.documents() if r["id"] == found["id"])
    doc = Document(name=name, text=project.store.document_text(found["id"]),
                   attributes=project.store.document_attributes(found["id"]),
                   paragraphs=paragraphs, source_path=found["source_path"],
                   content_hash=found["content_hash"],
                   interviewers=json.loads(row["interviewers"] or "[]"))
    new = segment_document(doc, doc.attributes.get("language") or project.settings.language)
    check_respondents(doc, new)
    report = ImportReport()
    if cuts(new) == cuts(segments):
        report.unchanged.append((name, f"{', '.join(labels)} already the interviewer"))
    else:
        resegment(project, found["id"], doc, new, report)
    return report


def set_attributes(project: Project, names: list[str], values: dict[str, str | None]
                   ) -> list[str]:
    """Correct case attributes of imported documents; returns 'CL-03: country A -> B' lines.
    Every name and value is checked before anything is written."""
    found = [_document(project, name) for name in names]
    given = normalise_attributes({k: v for k, v in values.items() if v}, Path("qda set"))
    lines = []
    with project.store.transaction():
        for doc in found:
            stored = project.store.document_attributes(doc["id"])
            changes = attribute_changes(stored, given)
            if changes:
                project.store.update_document_attributes(doc["id"], {**stored, **given})
            lines += [f"{doc['name']}: {change}" for change in changes] or [
                f"{doc['name']}: unchanged"]
    return lines
