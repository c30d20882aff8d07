"""Bringing REFI-QDA files from other tools into a project: a `.qdc` codebook or a `.qdpx`.

Order of work, so a refused file leaves nothing behind: the file is read and checked whole
(`refi.reader`), its codes are planned onto the codebook (`refi.codes`), its sources are
prepared as every imported document is (`documents.prepare_document`: language, passages,
respondents to code), and only then are the new codes appended to the codebook file and
documents (`documents.write_document`), codings and memos written in one transaction (the
codebook file is restored if that fails).

Sources become documents segmented like any transcript (respondent paragraphs; interviewer
turns are context). A selection is recorded on every respondent passage it covers; when it
is not exactly one passage, its span is kept in the coding's evidence (`{"refi": {"file",
"spans": [[start, end], ...]}}`, several when several selections of one code fall on one
passage), so a later export gives other tools back the very selections they made. Codings
are accepted human codings by the user the file names (suggestions, when the user is one of
qda's machine coders). A source whose text is already in the project gets the codings;
nothing is doubled.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from qda.errors import QdaError
from qda.imports.documents import (
    ImportReport,
    Incoming,
    prepare_document,
    same_file,
    write_document,
)
from qda.ingest import text as text_reader
from qda.ingest.metadata import normalise_attributes
from qda.ingest.transcript import label_key
from qda.models import Coding, Segment, join_spans
from qda.project import Project
from qda.refi import codes as refi_codes
from qda.refi import reader
from qda.text.files import content_hash, write_atomic
from qda.vocab import MACHINE_KINDS

# Variable names other tools use for qda's case attributes (compared as plain words).
_ATTRIBUTES = {
    "country": "country", "pais": "country",
    "role": "role", "rol": "role", "participant role": "role",
    "policy": "policy", "politica": "policy",
    "sector": "sector",
    "language": "language", "idioma": "language", "lengua": "language",
    "date": "date", "fecha": "date", "interview date": "date", "fecha de entrevista": "date",
    "interviewer": "interviewer", "interviewers": "interviewer", "entrevistador": "interviewer",
    "entrevistadora": "interviewer", "entrevistadores": "interviewer",
}


@dataclass
class RefiImport:
    """What one REFI-QDA file brought in, and what it could not."""

    path: Path
    origin: str = ""
    documents: list[tuple[str, int]] = field(default_factory=list)  # name, passages
    reimported: list[str] = field(default_factory=list)  # of which edited, re-anchored
    existing: list[tuple[str, str]] = field(default_factory=list)  # source, document it matched
    codes_added: list[str] = field(default_factory=list)
    codes_matched: list[tuple[str, str, str]] = field(default_factory=list)  # name, path, how
    selections: int = 0  # placed on passages
    refound: int = 0  # of which re-found by their text
    codings_read: int = 0  # the file's codings brought in
    codings_added: int = 0  # passage codings written
    codings_existing: int = 0  # passage codings already there
    memos_added: int = 0
    coders: list[str] = field(default_factory=list)
    offsets: str = "code points"
    skipped: list[str] = field(default_factory=list)  # what could not be brought in, and why
    notes: list[str] = field(default_factory=list)  # what was brought in differently, and how

    def summary(self, codebook: str) -> str:
        """One line for the command's report."""
        added = (f"{len(self.codes_added)} added to {codebook}" if self.codes_added
                 else "none added")
        parts = [f"{len(self.codes_added) + len(self.codes_matched)} codes "
                 f"({len(self.codes_matched)} matched the codebook, {added})"]
        if self.path.suffix.lower() == ".qdpx":
            parts.append(f"{len(self.documents) - len(self.reimported)} new documents"
                         + (f", {len(self.reimported)} re-imported with their text edited"
                            if self.reimported else ""))
            parts.append("no codings" if not self.codings_read else
                         f"{self.codings_read} codings by {', '.join(self.coders)} "
                         f"on {self.selections} selections"
                         + (f" ({self.refound} re-found by their text)" if self.refound else "")
                         + f" -> {self.codings_added} passage codings added"
                         + (f", {self.codings_existing} already there"
                            if self.codings_existing else ""))
            parts.append(f"{self.memos_added} memos added")
            if self.offsets != reader.UNITS[0].describe():
                parts.append(f"offsets read as {self.offsets}")
        return f"{self.path.name}: " + "; ".join(parts)


def import_file(project: Project, path: Path, report: ImportReport,
                overrides: dict[str, str | None] | None = None) -> RefiImport:
    """Import a `.qdpx` or `.qdc` and record the outcome in the command's report."""
    if path.suffix.lower() == ".qdc":
        result = import_codebook(project, path)
    else:
        result = import_project(project, path, overrides)
    report.imported.extend((str(path), name, count) for name, count in result.documents)
    report.unchanged.extend((str(path), f"source '{source}' is already in the project as "
                                        f"{document}") for source, document in result.existing)
    report.notes.append((str(path), result.summary(project.settings.codebook)))
    report.notes.extend((str(path), f"{path.name}: {note}") for note in result.notes)
    report.skipped.extend((str(path), why) for why in result.skipped)
    return result


def import_codebook(project: Project, path: Path) -> RefiImport:
    """Codes of another tool's `.qdc`: matched onto the codebook or appended to its file."""
    book = reader.read_codebook(path)
    result = RefiImport(path, book.origin)
    plan = refi_codes.plan(project.codebook, book.codes, path.name)
    _record_plan(result, plan, book)
    if refi_codes.append(project.root / project.settings.codebook, plan.entries, path.name,
                            book.origin):
        project.reload_codebook()
    return result


def import_project(project: Project, path: Path,
                   overrides: dict[str, str | None] | None = None) -> RefiImport:
    """A `.qdpx`: codes, then sources as documents with their attributes, codings and memos.
    `overrides` (country, role...) replace the attributes the file gives every source."""
    qdpx = reader.read_project(path)
    given = normalise_attributes({k: v for k, v in (overrides or {}).items() if v}, path)
    result = RefiImport(path, qdpx.origin, offsets=qdpx.offsets)
    plan = refi_codes.plan(project.codebook, qdpx.codes, path.name)
    _record_plan(result, plan, qdpx)
    coders = _Coders(qdpx, path, result)
    prepared: list[_Prepared] = []
    for source in qdpx.sources:
        earlier = next((p for p in prepared if p.source.text == source.text), None)
        if earlier is not None:
            result.existing.append((source.name, earlier.source.name))
            prepared.append(_Prepared(source, None, None, [], twin=earlier))
        elif (ready := _prepare(project, path, source, given, result)) is not None:
            prepared.append(ready)
    codebook_file = project.root / project.settings.codebook
    before = codebook_file.read_bytes()
    try:
        if refi_codes.append(codebook_file, plan.entries, path.name, qdpx.origin):
            project.reload_codebook()
        with project.store.transaction():
            _write(project, qdpx, plan, prepared, coders, result)
    except BaseException:
        if codebook_file.read_bytes() != before:
            write_atomic(codebook_file, before)
            project.reload_codebook()
        raise
    result.coders = sorted(coders.used)
    return result


def _record_plan(result: RefiImport, plan: refi_codes.CodePlan, read: reader.RefiCodebook
                 ) -> None:
    result.codes_added = [e["code"] for e in plan.entries]
    result.codes_matched = plan.matched
    result.skipped.extend(read.problems)
    result.notes.extend(read.remarks + plan.notes)


# -- sources -------------------------------------------------------------------------------------
@dataclass
class _Prepared:
    source: reader.ForeignSource
    incoming: Incoming | None  # None when the text is already a document
    document_id: int | None
    segments: list[Segment]
    twin: _Prepared | None = None  # an earlier source of this file with the same text


def _prepare(project: Project, path: Path, source: reader.ForeignSource, given: dict[str, str],
             result: RefiImport) -> _Prepared | None:
    """The document a source becomes (or already is), segmented; None if it cannot be.

    A source whose text the project already holds, under any name, is that document (its
    codings go there). A source imported before from a file of this name, its text edited
    since, is re-imported as an edited transcript is: its codings re-anchored. A new text
    whose name the project (or an earlier source of this file) already uses is imported as
    'name (file)': another tool's project names its sources freely, so a clash with another
    file's document is not taken as a re-import of it."""
    what = f"source '{source.name}'"
    attributes, interviewers = _attributes(source, path, result)
    attributes.update(given)
    twin = project.store.find_document_by_hash(content_hash(source.text))
    if twin is not None:
        result.existing.append((source.name, twin["name"]))
        return _Prepared(source, None, twin["id"], project.store.segments(twin["id"]))
    name, source_path = source.name, f"{path}#{source.name}"
    taken = {n for n, _ in result.documents}
    stored = project.store.find_document(name)
    if name in taken or (stored is not None
                         and not same_file(stored["source_path"], source_path)):
        name = f"{source.name} ({path.stem})"
        if project.store.find_document(name) is not None or name in taken:
            result.skipped.append(f"{what}: the project already has a different document "
                                  f"named '{source.name}' and one named '{name}'; not imported")
            return None
        result.notes.append(f"{what}: the project already has a different document named "
                            f"'{source.name}'; imported as '{name}'")
    labels = {label_key(x) for x in project.interviewer_labels | set(interviewers)}
    doc = text_reader.document(name, source.text, labels)
    doc.attributes, doc.interviewers = attributes, interviewers
    doc.source_path = source_path
    try:
        incoming = prepare_document(project, doc)
    except QdaError as exc:
        result.skipped.append(f"{what}: {exc.message}; not imported")
        return None
    result.documents.append((name, incoming.passages))
    if incoming.action == "reanchor":
        result.reimported.append(name)
    return _Prepared(source, incoming, None, incoming.segments)


def _attributes(source: reader.ForeignSource, path: Path, result: RefiImport
                ) -> tuple[dict[str, str], list[str]]:
    """qda's case attributes from the source's variables; others kept under their own name."""
    attributes: dict[str, str] = {}
    interviewers: list[str] = []
    for name, value in source.attributes.items():
        key = _ATTRIBUTES.get(refi_codes.name_key(name))
        if key == "interviewer":
            interviewers = [x.strip() for x in value.split(";") if x.strip()]
        elif key is None:
            attributes[name] = value
        else:
            try:
                attributes.update(normalise_attributes({key: value}, path))
            except QdaError as exc:
                attributes[f"refi_{key}"] = value
                result.notes.append(f"source '{source.name}': {exc.message}; kept as "
                                    f"attribute 'refi_{key}'")
    return attributes, interviewers


# -- users ---------------------------------------------------------------------------------------
class _Coders:
    """Coder name and kind for each user of the file."""

    def __init__(self, qdpx: reader.RefiProject, path: Path, result: RefiImport):
        self.by_guid: dict[str, tuple[str, str]] = {}
        for guid, user in qdpx.users.items():
            if user.machine:
                self.by_guid[guid] = (user.name, user.machine)
            elif user.name in MACHINE_KINDS:
                renamed = f"{user.name} ({path.stem})"
                result.notes.append(f"user '{user.name}' has the name of a qda machine coder; "
                                    f"their codings are recorded as coder '{renamed}'")
                self.by_guid[guid] = (renamed, "human")
            else:
                self.by_guid[guid] = (user.name, "human")
        humans = [g for g, (_, kind) in self.by_guid.items() if kind == "human"]
        fallback = qdpx.creating_user if qdpx.creating_user in self.by_guid else (
            humans[0] if len(humans) == 1 else None)
        self.fallback = self.by_guid[fallback] if fallback else (f"{path.stem} (no user)",
                                                                 "human")
        self.unnamed = 0
        self.used: set[str] = set()

    def __call__(self, guid: str | None) -> tuple[str, str]:
        found = self.by_guid.get(guid or "")
        if found is None:
            self.unnamed += 1
            found = self.fallback
        self.used.add(found[0])
        return found

    def name(self, guid: str | None) -> str:
        """The author of a note (not counted among the coders)."""
        return self.by_guid.get(guid or "", self.fallback)[0]


# -- writing -------------------------------------------------------------------------------------
def _write(project: Project, qdpx: reader.RefiProject, plan: refi_codes.CodePlan,
           prepared: list[_Prepared], coders: _Coders, result: RefiImport) -> None:
    """Documents, codings and memos; call inside a transaction."""
    store = project.store
    codings: dict[tuple[int, str, str], Coding] = {}
    reviewed: dict[str, set[int]] = {}
    memos: list[tuple[str, int | None, int | None, str | None]] = []  # note, seg, doc, code
    for p in prepared:
        if p.incoming is not None:
            written = ImportReport()
            p.document_id = write_document(project, p.incoming, written)
            p.segments = store.segments(p.document_id)
            result.notes += [note for _, note in written.changed + written.notes]
        document_id, segments = (p.twin or p).document_id, (p.twin or p).segments
        memos += [(n, None, document_id, None) for n in p.source.notes]
        for sel in p.source.selections:
            if sel.span is None:  # already listed by the reader
                memos += [(n, None, document_id, None) for n in _all_notes(sel)]
                continue
            touched = _overlapping(p.source.text, sel.span, segments)
            covered = [s for s in touched if not s.is_interviewer]
            if not covered:
                result.skipped.append(
                    f"source '{p.source.name}': selection '{sel.name or sel.guid}' "
                    + _outside(touched) + f"; its {len(sel.codings)} coding(s) were not imported"
                    + ("; its notes were kept on the document" if _all_notes(sel) else ""))
                memos += [(n, None, document_id, None) for n in _all_notes(sel)]
                continue
            result.selections += 1
            result.refound += sel.refound
            whole = _is_passage(p.source.text, sel.span, covered)
            memos += [(n, covered[0].id, None, None) for n in sel.notes]  # passage memos
            for coding in sel.codings:
                code = plan.targets.get(coding.code)
                if code is None:
                    result.skipped.append(f"source '{p.source.name}': a coding of selection "
                                          f"'{sel.name or sel.guid}' refers to code "
                                          f"{coding.code or '(none)'}, which the file's "
                                          "codebook does not hold; not imported")
                    continue
                coder, kind = coders(coding.user)
                result.codings_read += 1
                memos += [(n, covered[0].id, None, code) for n in coding.notes]
                for seg in covered:
                    _merge(codings, Coding(seg.id, code, coder, kind,
                                           "accepted" if kind == "human" else "suggested"),
                           None if whole else (result.path.name, sel.span),
                           _part(p.source.text, sel.span, seg))
                    if kind == "human":
                        reviewed.setdefault(coder, set()).add(seg.id)
    if coders.unnamed:
        result.notes.append(f"{coders.unnamed} coding(s) name no known user; recorded as "
                            f"coder '{coders.fallback[0]}'")
    result.codings_added, result.codings_existing = store.upsert_human_codings(codings.values())
    for coder, segment_ids in reviewed.items():
        store.mark_reviewed(segment_ids, coder)
    memos += [(n, None, None, plan.targets[c.guid]) for c in qdpx.all_codes() for n in c.notes]
    memos += [(n, None, None, None) for n in qdpx.project_notes]
    _write_memos(project, qdpx, memos, coders, result)


def _write_memos(project: Project, qdpx: reader.RefiProject,
                 memos: list[tuple[str, int | None, int | None, str | None]], coders: _Coders,
                 result: RefiImport) -> None:
    code_ids = project.store.code_ids()
    placed: set[str] = set()
    for guid, segment_id, document_id, code in memos:
        note = qdpx.notes.get(guid)
        if note is None:
            if guid:
                result.skipped.append(f"a reference to note {guid}, which the file does not "
                                      "hold, was ignored")
            continue
        placed.add(guid)
        author = coders.name(note.user)
        result.memos_added += project.store.add_memo_once(
            note.text, author, segment_id, document_id, code_ids.get(code) if code else None,
            _stamp(note.created))
    for guid, note in qdpx.notes.items():  # notes nothing refers to: keep them on the project
        if guid not in placed:
            result.memos_added += project.store.add_memo_once(
                note.text, coders.name(note.user), created_at=_stamp(note.created))


def _stamp(value: str | None) -> str | None:
    """An xsd:dateTime as the store writes times (UTC, ISO 8601); None when unreadable."""
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _all_notes(sel: reader.ForeignSelection) -> list[str]:
    return sel.notes + [n for c in sel.codings for n in c.notes]


def _merge(codings: dict[tuple[int, str, str], Coding], coding: Coding,
           span: tuple[str, tuple[int, int]] | None, part: tuple[int, int] | None) -> None:
    """One coding per passage, code and coder, keeping every selection span it came from
    and, as the coding's parts, what of the passage each selected (`part`; None: all of it);
    a selection of the whole passage (span None) makes the spans moot."""
    key = (coding.segment_id, coding.code, coding.coder)
    if key not in codings:
        if span is not None:
            coding.evidence = {"refi": {"file": span[0], "spans": [list(span[1])]}}
        coding.spans = (part,) if part else ()
        codings[key] = coding
        return
    kept = codings[key]
    if kept.spans and part:
        kept.spans = tuple(join_spans([*kept.spans, part]))
    else:
        kept.spans = ()  # one of its selections is the whole passage
    if kept.evidence is None:
        return
    if span is None:
        kept.evidence = None
    elif list(span[1]) not in kept.evidence["refi"]["spans"]:
        kept.evidence["refi"]["spans"].append(list(span[1]))


def _part(text: str, span: tuple[int, int], seg: Segment) -> tuple[int, int] | None:
    """What of passage `seg` the selection covers, as the other tool selected it; None when
    it is the whole passage, give or take white space (a coding of the passage, as people
    code most often)."""
    a, b = max(span[0], seg.start), min(span[1], seg.end)
    return None if text[a:b].strip() == seg.text.strip() else (a, b)


def _overlapping(text: str, span: tuple[int, int], segments: Sequence[Segment]
                 ) -> list[Segment]:
    """Passages sharing more than white space with the span."""
    a, b = span
    return [s for s in segments if text[max(a, s.start):min(b, s.end)].strip()]


def _outside(touched: list[Segment]) -> str:
    """Why a selection covers no respondent passage, and what to do about it."""
    labels = sorted({s.speaker for s in touched if s.speaker})
    if not labels:
        return "covers no passage (only speaker labels or blank lines)"
    return (f"lies in the turns of {', '.join(labels)}, which qda keeps as interviewer "
            "context, never coded (see 'interviewer_labels' in qda.yaml)")


def _is_passage(text: str, span: tuple[int, int], covered: list[Segment]) -> bool:
    """The span is exactly one passage, give or take white space at its ends."""
    a, b = span
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return len(covered) == 1 and (covered[0].start, covered[0].end) == (a, b)
