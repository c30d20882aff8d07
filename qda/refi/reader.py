"""Reader of REFI-QDA exchange files from other tools: projects (.qdpx) and codebooks (.qdc).

Pure reading: nothing here touches a project. Tools bend the standard in known ways, so the
reader is lenient where that is harmless (`Sources/` for `sources/`, missing namespaces, BOMs,
`\\r\\n` counted as one character or two, offsets in code points, UTF-16 units or UTF-8 bytes,
`rgb()` colours, NVivo's empty `.txt` beside the real `.docx`) and strict where safety is at
stake (archive paths and sizes, XML entities: see `archives` and `qdaxml`). Whatever cannot
be brought in is listed in `problems`, never dropped silently.

Offsets: one tool wrote the whole file, so one reading of offsets is chosen for all its
sources, the one under which selections fall on whole characters and word boundaries and
agree with their names (many tools name a selection by its first words). A selection whose
offsets still do not fit is re-found by its name's text with rapidfuzz.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph
from rapidfuzz import fuzz

from qda.errors import QdaError
from qda.refi.xml import MACHINE_USER_PREFIX, colour, kid, kids, local, make_guid, parse
from qda.text.archives import open_zip, read_member
from qda.text.files import MAX_FILE_BYTES, decode, normalise, read_bytes
from qda.text.locate import locate
from qda.vocab import MACHINE_KINDS

MAX_XML_BYTES = 256 * 1024 * 1024
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue",
               "DateTimeValue")


# -- what the reader returns ---------------------------------------------------------------------
@dataclass
class ForeignCode:
    guid: str
    name: str
    description: str = ""
    colour: str | None = None
    children: list[ForeignCode] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def walk(self) -> Iterator[ForeignCode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ForeignUser:
    name: str
    machine: str | None = None  # "rules" or "model" for qda's own machine coders


@dataclass
class ForeignCoding:
    code: str  # the code's GUID
    user: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class ForeignSelection:
    guid: str
    name: str
    written: tuple[int, int]  # the offsets as the file gives them
    codings: list[ForeignCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    user: str | None = None
    span: tuple[int, int] | None = None  # in the source's normalised text; None: not placed
    refound: bool = False


@dataclass
class ForeignSource:
    guid: str
    name: str
    text: str  # NFC with `\n` line ends: the text a document stores
    selections: list[ForeignSelection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)  # variable name -> value


@dataclass
class ForeignNote:
    guid: str
    text: str
    user: str | None = None
    created: str | None = None


@dataclass
class RefiCodebook:
    path: Path
    origin: str
    codes: list[ForeignCode]
    problems: list[str] = field(default_factory=list)  # what was not brought in, and why
    remarks: list[str] = field(default_factory=list)  # what was brought in differently

    def all_codes(self) -> Iterator[ForeignCode]:
        for code in self.codes:
            yield from code.walk()


@dataclass
class RefiProject(RefiCodebook):
    creating_user: str | None = None
    users: dict[str, ForeignUser] = field(default_factory=dict)
    sources: list[ForeignSource] = field(default_factory=list)
    notes: dict[str, ForeignNote] = field(default_factory=dict)
    project_notes: list[str] = field(default_factory=list)
    offsets: str = "code points"  # how positions were read


# -- entry points --------------------------------------------------------------------------------
def read_codebook(path: Path) -> RefiCodebook:
    """A `.qdc` codebook (or the codebook of a bare `project.qde`)."""
    if not path.is_file():
        raise QdaError("no such file", path)
    root = parse(read_bytes(path), "the codebook", path)
    if local(root.tag) == "Project":
        root = kid(root, "CodeBook")
        if root is None:
            raise QdaError("is a REFI-QDA project without a codebook", path)
    elif local(root.tag) != "CodeBook":
        raise QdaError(f"holds a <{local(root.tag)}>, not a REFI-QDA <CodeBook>", path)
    problems: list[str] = []
    remarks: list[str] = []
    codes = _codes(root, remarks, path.name)
    sets = kid(root, "Sets")
    if sets is not None and kids(sets, "Set"):
        names = ", ".join(repr(s.get("name") or "?") for s in kids(sets, "Set"))
        problems.append(f"code sets are not kept (qda has none): {names}")
    return RefiCodebook(path, root.get("origin") or "", codes, problems, remarks)


def read_project(path: Path) -> RefiProject:
    """A `.qdpx` project: `project.qde` and the source files beside it."""
    if not path.is_file():
        raise QdaError("no such file", path)
    with open_zip(path, "REFI-QDA project (.qdpx)") as archive:
        return _ProjectReader(path, archive).read()


# -- projects ------------------------------------------------------------------------------------
@dataclass
class _RawSource:
    source: ForeignSource
    raw: str  # decoded text before normalisation, BOM removed
    bom: bool


class _ProjectReader:
    def __init__(self, path: Path, archive: zipfile.ZipFile):
        self.path = path
        self.archive = archive
        self.members = {i.filename.replace("\\", "/").casefold(): i
                        for i in archive.infolist() if not i.is_dir()}
        self.problems: list[str] = []
        self.remarks: list[str] = []
        self.notes: dict[str, ForeignNote] = {}
        self.variables: dict[str, str] = {}  # variable GUID -> name

    def read(self) -> RefiProject:
        qde = self.members.get("project.qde")
        if qde is None:
            raise QdaError("holds no project.qde at its top level, so it is not a REFI-QDA "
                           "project", self.path)
        root = parse(read_member(self.archive, qde, self.path, MAX_XML_BYTES), "project.qde",
                     self.path)
        if local(root.tag) != "Project":
            raise QdaError(f"its project.qde holds a <{local(root.tag)}>, not a <Project>",
                           self.path)
        project = RefiProject(self.path, root.get("origin") or "", [], self.problems,
                              self.remarks, creating_user=_guid(root.get("creatingUserGUID")))
        project.users = self._users(root)
        book = kid(root, "CodeBook")
        if book is not None:
            project.codes = _codes(book, self.remarks, self.path.name)
        self._notes(root)
        attributes = self._case_attributes(root)
        raws = self._sources(root, attributes)
        project.offsets = _place_selections(raws, self.problems)
        project.sources = [r.source for r in raws]
        project.notes = self.notes
        project.project_notes = _note_refs(root)
        description = _text_of(kid(root, "Description"))
        if description:
            note = ForeignNote(make_guid("description", self.path.name), description,
                               project.creating_user)
            self.notes[note.guid] = note
            project.project_notes.append(note.guid)
        for name in ("Links", "Sets", "Graphs"):
            element = kid(root, name)
            if element is not None and len(element):
                self.problems.append(f"{len(element)} {name.lower()} are not kept (qda has no "
                                     f"{name.lower()})")
        return project

    def _users(self, root: Element) -> dict[str, ForeignUser]:
        users: dict[str, ForeignUser] = {}
        for el in _items(root, "Users", "User"):
            guid = _guid(el.get("guid"))
            name = (el.get("name") or el.get("id") or "").strip() or f"user {guid[:8]}"
            tag = el.get("id") or ""
            kind = tag[len(MACHINE_USER_PREFIX):] if tag.startswith(MACHINE_USER_PREFIX) else None
            if guid in users:  # whose codings are whose cannot be told: refuse, never guess
                raise QdaError(f"two users have the GUID {guid} ('{users[guid].name}' and "
                               f"'{name}'); codings could be credited to the wrong person. "
                               "Export the project again from its tool", self.path)
            users[guid] = ForeignUser(name, kind if kind in MACHINE_KINDS else None)
        return users

    def _notes(self, root: Element) -> None:
        for el in _items(root, "Notes", "Note"):
            guid = _guid(el.get("guid"))
            found = self._text(el, f"note '{el.get('name') or guid}'")
            text = (found[0] if found else "").strip()
            name = (el.get("name") or "").strip()
            if name and not _norm(text).startswith(_norm(name.rstrip("…").rstrip("."))):
                text = f"{name}\n\n{text}".strip()
            if not text:
                self.problems.append(f"note '{name or guid}' is empty; not imported")
                continue
            self.notes[guid] = ForeignNote(guid, text, _guid(el.get("creatingUser")),
                                           el.get("creationDateTime"))

    def _case_attributes(self, root: Element) -> dict[str, dict[str, str]]:
        """Attributes per source GUID, from the cases that name it."""
        self.variables = {_guid(v.get("guid")): (v.get("name") or "").strip()
                          for v in _items(root, "Variables", "Variable")}
        per_source: dict[str, dict[str, str]] = {}
        for case in _items(root, "Cases", "Case"):
            label = case.get("name") or _guid(case.get("guid"))
            values = self._values(case, f"case '{label}'")
            refs = [_guid(r.get("targetGUID")) for r in kids(case, "SourceRef")]
            if not refs and values:
                self.problems.append(f"case '{label}' names no source, so its attributes "
                                     "were not kept")
            for ref in refs:
                self._merge(per_source.setdefault(ref, {}), values, f"case '{label}'")
            dropped = len(kids(case, "CodeRef")) + len(kids(case, "SelectionRef"))
            if dropped:
                self.problems.append(f"case '{label}': {dropped} code or selection "
                                     "reference(s) not kept (qda keeps attributes per document)")
        return per_source

    def _values(self, element: Element, what: str) -> dict[str, str]:
        values: dict[str, str] = {}
        for vv in kids(element, "VariableValue"):
            ref = kid(vv, "VariableRef")
            name = self.variables.get(_guid(ref.get("targetGUID"))) if ref is not None else None
            value = next((e.text for e in vv if local(e.tag) in _VALUE_TAGS), None)
            if not name:
                self.problems.append(f"{what}: a value of an undeclared variable was not kept")
            elif value is not None and value.strip():
                values[name] = value.strip()
        return values

    def _merge(self, into: dict[str, str], values: dict[str, str], what: str) -> None:
        for key, value in values.items():
            if key in into and into[key] != value:
                self.problems.append(f"{what} gives {key} = '{value}' but another case gave "
                                     f"'{into[key]}'; kept the first")
            else:
                into[key] = value

    def _sources(self, root: Element, attributes: dict[str, dict[str, str]]) -> list[_RawSource]:
        raws: list[_RawSource] = []
        sources = kid(root, "Sources")
        for el in (list(sources) if sources is not None else []):
            kind = local(el.tag)
            guid = _guid(el.get("guid"))
            label = el.get("name") or guid
            if kind == "TextSource":
                holders = [(el, "PlainTextSelection")]
            elif kind == "PDFSource":
                holders = [(r, "PlainTextSelection") for r in kids(el, "Representation")]
                if kids(el, "PDFSelection"):
                    self.problems.append(f"PDF source '{label}': {len(kids(el, 'PDFSelection'))}"
                                         " selections by page area are not kept")
            elif kind in ("AudioSource", "VideoSource"):
                holders = [(t, "TranscriptSelection") for t in kids(el, "Transcript")]
                media = len(kids(el, f"{kind[:5]}Selection"))
                if media:
                    self.problems.append(f"{kind[:5].lower()} source '{label}': {media} "
                                         "selections by time are not kept")
            else:
                holders = []
            if not holders:
                self.problems.append(f"{kind} '{label}' is not imported (qda imports text, "
                                     "PDF text layers and transcripts)")
                continue
            for i, (holder, selection_tag) in enumerate(holders):
                name = _source_name(el, holder, guid) + (f" ({i + 1})" if i else "")
                raw = self._source(el, holder, selection_tag, name, attributes)
                if raw is not None:
                    raws.append(raw)
        return raws

    def _source(self, el: Element, holder: Element, selection_tag: str, name: str,
                attributes: dict[str, dict[str, str]]) -> _RawSource | None:
        guid = _guid(holder.get("guid") or el.get("guid"))
        selections = [self._selection(s, holder) for s in kids(holder, selection_tag)]
        found = self._text(holder, f"source '{name}'")
        if found is None or not found[0].strip():
            coded = sum(len(s.codings) for s in selections)
            self.problems.append(f"source '{name}' has no text (its plain text is empty or "
                                 f"missing and no rich text holds any); not imported"
                                 + (f", nor its {coded} coding(s)" if coded else ""))
            return None
        raw, bom = found
        whole = len(kids(el, "Coding")) + (len(kids(holder, "Coding")) if holder is not el else 0)
        if whole:
            self.problems.append(f"source '{name}': {whole} coding(s) of the whole source are "
                                 "not kept (qda codes passages)")
        values = dict(attributes.get(_guid(el.get("guid")), {}))
        self._merge(values, self._values(el, f"source '{name}'"), f"source '{name}'")
        notes = _note_refs(el) + ([] if holder is el else _note_refs(holder))
        description = _text_of(kid(el, "Description"))
        if description:
            note = ForeignNote(make_guid("description", guid), description,
                               _guid(el.get("creatingUser")))
            self.notes[note.guid] = note
            notes.append(note.guid)
        source = ForeignSource(guid, name, "", selections, notes, values)
        return _RawSource(source, raw, bom)

    def _selection(self, el: Element, holder: Element) -> ForeignSelection:
        if local(el.tag) == "TranscriptSelection":
            points = {_guid(p.get("guid")): p.get("position") for p in kids(holder, "SyncPoint")}
            start = points.get(_guid(el.get("fromSyncPoint")))
            end = points.get(_guid(el.get("toSyncPoint")))
        else:
            start, end = el.get("startPosition"), el.get("endPosition")
        guid = _guid(el.get("guid"))
        user = _guid(el.get("creatingUser")) or None
        codings = []
        for c in kids(el, "Coding"):
            ref = kid(c, "CodeRef")
            codings.append(ForeignCoding(_guid(ref.get("targetGUID")) if ref is not None else "",
                                         _guid(c.get("creatingUser")) or user, _note_refs(c)))
        notes = _note_refs(el)
        description = _text_of(kid(el, "Description"))
        if description:
            note = ForeignNote(make_guid("description", guid), description, user)
            self.notes[note.guid] = note
            notes.append(note.guid)
        return ForeignSelection(guid, (el.get("name") or "").strip(),
                                (_int(start), _int(end)), codings, notes, user)

    def _text(self, holder: Element, what: str) -> tuple[str, bool] | None:
        """(text, had a BOM) from inline content, the plain text file or the rich text."""
        inline = kid(holder, "PlainTextContent")
        if inline is not None and (inline.text or "").strip():
            return inline.text, False
        found: tuple[str, bool] | None = None
        if holder.get("plainTextPath"):
            data = self._file(holder.get("plainTextPath"), what)
            try:
                # decode() drops a BOM it recognises; a BOM left by a double encoding goes too
                found = None if data is None else (decode(data, what).lstrip("\ufeff"),
                                                   data.startswith(_BOMS))
            except QdaError as exc:
                self.problems.append(f"{what}: its text cannot be read ({exc.message})")
        rich = holder.get("richTextPath")
        if (found is None or not found[0].strip()) and rich:
            data = self._file(rich, what)
            if data is not None and PurePosixPath(rich).suffix.lower() == ".docx":
                text = _docx_text(data, f"{self.path}: {what}", self.problems)
                found = (text, False) if text else found
            elif data is not None:
                self.problems.append(f"{what}: rich text {rich} is not a .docx; not read")
        return found

    def _file(self, reference: str, what: str) -> bytes | None:
        """A file named by a source: `internal://x`, a path under `sources/`, or elsewhere."""
        ref = reference.replace("\\", "/")
        internal = ref.lower().startswith("internal://")
        if internal:
            ref = ref[len("internal://"):]
        elif "://" in ref or re.match(r"^[A-Za-z]:/|^/", ref):
            # an absolute path on the exporting machine: only usable if shipped inside anyway
            ref = PurePosixPath(ref.split("://", 1)[-1]).name
        ref = ref.lstrip("/")
        info = (self.members.get(f"sources/{ref}".casefold())
                or (None if internal else self.members.get(ref.casefold())))
        if info is None:
            base = PurePosixPath(ref).name.casefold()
            hits = [i for name, i in self.members.items()
                    if name.startswith("sources/") and PurePosixPath(name).name == base]
            info = hits[0] if len(hits) == 1 else None
        if info is None:
            self.problems.append(f"{what}: its file {reference} is not in the archive")
            return None
        return read_member(self.archive, info, self.path, MAX_FILE_BYTES)


def _source_name(el: Element, holder: Element, guid: str) -> str:
    name = (el.get("name") or "").strip()
    if not name:
        path = holder.get("plainTextPath") or holder.get("richTextPath") or ""
        name = PurePosixPath(path.replace("\\", "/").split("://")[-1]).stem
    return name or guid


def _docx_text(data: bytes, where: str, problems: list[str]) -> str | None:
    """Plain text of a Word source: paragraphs and table rows, one per line."""
    open_zip(io.BytesIO(data), "Word (.docx)", where).close()
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        problems.append(f"{where}: its .docx cannot be read ({type(exc).__name__})")
        return None
    lines: list[str] = []
    for block in word.iter_inner_content():
        if isinstance(block, DocxParagraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat; keep each once
                    if not cells or cell.text != cells[-1]:
                        cells.append(cell.text)
                lines.append("\t".join(cells))
    text = "\n".join(lines)
    return text if text.strip() else None


# -- codes ---------------------------------------------------------------------------------------
MAX_CODE_DEPTH = 50  # deeper code trees are hostile (and overflow Python's stack)


def _codes(book: Element, notes: list[str], where: str) -> list[ForeignCode]:
    codes_el = kid(book, "Codes")
    if codes_el is None:
        return []
    seen: set[str] = set()

    def read(el: Element, trail: str, depth: int = 1) -> ForeignCode:
        if depth > MAX_CODE_DEPTH:
            raise QdaError(f"its codes are nested over {MAX_CODE_DEPTH} levels deep ("
                           f"under {trail[:80]}...); no codebook needs that: flatten it in the "
                           "tool that wrote the file", where)
        name = " ".join((el.get("name") or "").split())
        guid = _guid(el.get("guid"))
        if not name:
            name = f"unnamed {guid[:8]}" if guid else "unnamed"
            notes.append(f"a code without a name was kept as '{name}'")
        if not guid or guid in seen:
            if guid:
                notes.append(f"code '{name}' repeats GUID {guid}; codings refer to the first")
            guid = make_guid("foreign code", where, trail, name)
        seen.add(guid)
        code = ForeignCode(guid, name, _text_of(kid(el, "Description")),
                           colour(el.get("color")), notes=_note_refs(el))
        code.children = [read(child, f"{trail}/{name}", depth + 1)
                         for child in kids(el, "Code")]
        return code

    return [read(el, "") for el in kids(codes_el, "Code")]


# -- offsets -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Units:
    """One way tools count positions: the unit, `\\r\\n` as one or two, a BOM counted or not."""

    unit: str  # code points | UTF-16 units | UTF-8 bytes
    crlf_as_one: bool
    bom_counted: bool

    def describe(self) -> str:
        text = self.unit
        if self.crlf_as_one:
            text += ", \\r\\n counted as one"
        if self.bom_counted:
            text += ", the BOM counted"
        return text

    def starts(self, raw: str) -> list[int]:
        """Unit offset at which each character of `raw` starts, plus the end."""
        if self.unit == "UTF-16 units":
            widths = [2 if ch > "\uffff" else 1 for ch in raw]
        elif self.unit == "UTF-8 bytes":
            widths = [1 if ch < "\x80" else 2 if ch < "\u0800" else 3 if ch < "\U00010000"
                      else 4 for ch in raw]
        else:
            widths = [1] * len(raw)
        if self.crlf_as_one:
            for m in re.finditer("\r\n", raw):
                widths[m.start()] = 0
        return [0, *accumulate(widths)]

    def for_text(self, raw: str, bom: bool) -> _Units:
        """The simplest reading that gives the same offsets on this text."""
        unit = self.unit
        if (unit == "UTF-16 units" and not any(ch > "\uffff" for ch in raw)) or (
                unit == "UTF-8 bytes" and raw.isascii()):
            unit = "code points"
        return _Units(unit, self.crlf_as_one and "\r\n" in raw, self.bom_counted and bom)

    def shift(self, bom: bool) -> int:
        if not (self.bom_counted and bom):
            return 0
        return 3 if self.unit == "UTF-8 bytes" else 1


UNITS = [_Units(u, crlf, bom) for u in ("code points", "UTF-16 units", "UTF-8 bytes")
         for crlf in (False, True) for bom in (False, True)]


def _to_index(starts: list[int], unit: int | None) -> int | None:
    """Character index of a unit offset; None when it falls inside a character or outside."""
    if unit is None or unit < 0 or unit > starts[-1]:
        return None
    i = bisect_left(starts, unit)
    return i if starts[i] == unit else None


def _place_selections(raws: list[_RawSource], problems: list[str]) -> str:
    """Normalise each source's text and place its selections in it; returns the reading."""
    simple = all(r.raw.isascii() and "\r" not in r.raw and not r.bom for r in raws)
    units = UNITS[0]
    if not simple:
        scores = {u: 0.0 for u in UNITS}
        for r in raws:
            if r.source.selections:
                distinct: dict[_Units, float] = {}
                for u in UNITS:
                    same = u.for_text(r.raw, r.bom)
                    if same not in distinct:
                        distinct[same] = _score(r, same)
                    scores[u] += distinct[same]
        units = max(UNITS, key=lambda u: (scores[u], -UNITS.index(u)))
    for r in raws:
        text, position = _normalise_with_map(r.raw)
        r.source.text = text
        reading = units.for_text(r.raw, r.bom)
        starts, shift = reading.starts(r.raw), reading.shift(r.bom)
        for sel in r.source.selections:
            _place(sel, r.source, text, position, starts, shift, problems)
    return units.describe()


def _score(r: _RawSource, units: _Units) -> float:
    """How well selections fit when offsets are read this way (higher is better)."""
    starts = units.starts(r.raw)
    shift = units.shift(r.bom)
    score = 0.0
    for sel in r.source.selections:
        a, b = (None if w is None else w - shift for w in sel.written)
        a, b = _to_index(starts, a), _to_index(starts, b)
        if a is None or b is None or a >= b:
            continue  # no vote: one stray selection must not flip the reading of all others
        score += 1 + _boundary(r.raw, a) + _boundary(r.raw, b)
        if _names_text(sel.name, r.raw[a:b]):
            score += 3
    return score


def _boundary(text: str, i: int) -> int:
    """1 when position i is not inside a word (people select whole words)."""
    return int(i in (0, len(text)) or not (text[i - 1].isalnum() and text[i].isalnum()))


def _place(sel: ForeignSelection, source: ForeignSource, text: str, position: list[int] | None,
           starts: list[int], shift: int, problems: list[str]) -> None:
    a, b = (None if w is None else w - shift for w in sel.written)
    a, b = _to_index(starts, a), _to_index(starts, b)
    span = None
    if a is not None and b is not None and a < b and position is not None:
        span = (position[a], position[b])
        if span[0] >= span[1]:
            span = None
    if _texty(sel.name) and (span is None or not _names_text(sel.name, text[span[0]:span[1]])):
        near = span[0] if span else (position[a] if a is not None and position else None)
        length = None if None in sel.written else sel.written[1] - sel.written[0]
        found = _refind(sel.name, text, near, length)
        if found is not None:
            span, sel.refound = found, True
    if span is None:
        coded = len(sel.codings)
        problems.append(f"source '{source.name}': selection '{sel.name or sel.guid}' at "
                        f"{sel.written[0]}–{sel.written[1]} does not fit its text "
                        f"({len(text)} characters) as the file's other offsets are read, and "
                        f"could not be re-found by its text; "
                        f"its {coded} coding(s) were not imported")
    sel.span = span


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _texty(name: str) -> bool:
    """A selection name that may be the selected text itself (not `line:6` or `Q1`)."""
    core = name.rstrip("…").rstrip(".").strip()
    return len(core) >= 8 and " " in core


def _names_text(name: str, span_text: str) -> bool:
    """The span starts with (nearly) the text of the selection's name."""
    if not _texty(name):
        return False
    core = _norm(name.rstrip("…").rstrip("."))
    return fuzz.ratio(core, _norm(span_text)[:len(core)]) >= 90


def _refind(name: str, text: str, near: int | None, length: int | None
            ) -> tuple[int, int] | None:
    """Where the selection's name occurs in the text, nearest its old place."""
    core = name.rstrip("…").rstrip(".").strip()
    truncated = core != name.strip()
    found = locate(core, text, near)
    if found is None:
        return None
    start, end = found.start, found.end
    if truncated and length and length > end - start:
        end = min(len(text), start + length)
    return start, end


def _normalise_with_map(raw: str) -> tuple[str, list[int] | None]:
    """`textio.normalise(raw)` plus, for each index of `raw`, its index in the result.

    Mirrors normalise step by step (line ends, BOMs and control characters, then NFC per
    base character and its combining marks); if the two ever disagree the map is None and
    selections are only re-found by their text.
    """
    out: list[str] = []
    position = [0] * (len(raw) + 1)
    n = i = 0
    while i < len(raw):
        ch = raw[i]
        position[i] = n
        if ch == "\r":
            if raw[i + 1:i + 2] == "\n":
                i += 1
                position[i] = n
            out.append("\n")
            n += 1
            i += 1
            continue
        if ch == "\ufeff" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n"):
            i += 1
            continue
        j = i + 1
        while j < len(raw) and unicodedata.combining(raw[j]):
            position[j] = n
            j += 1
        piece = unicodedata.normalize("NFC", raw[i:j])
        out.append(piece)
        n += len(piece)
        i = j
    position[len(raw)] = n
    text = "".join(out)
    expected = normalise(raw)
    return (text, position) if text == expected else (expected, None)


# -- small helpers -------------------------------------------------------------------------------
def _guid(value: str | None) -> str:
    """GUIDs compare without braces and case: tools differ in both."""
    return (value or "").strip().strip("{}").lower()


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _items(root: Element, container: str, item: str) -> list[Element]:
    """`<Users><User/>...` children, or none when the container is absent."""
    found = kid(root, container)
    return kids(found, item) if found is not None else []


def _text_of(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _note_refs(element: Element) -> list[str]:
    return [_guid(r.get("targetGUID")) for r in kids(element, "NoteRef")]
