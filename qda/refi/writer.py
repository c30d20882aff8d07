"""REFI-QDA exchange files written from a project: the codebook (.qdc) and the whole project
(.qdpx), valid against the QDA-XML 1.0 schemas, for NVivo, ATLAS.ti, MAXQDA, QualCoder...

What leaves the project: each document's stored text (speaker labels are part of it), the
case attributes of `EXPORTED_ATTRIBUTES`, codes, codings and memos. Other metadata never does
(participant names, notes, file paths): quotes are attributed by role and country only.

GUIDs are derived from what they identify (a code's path, a document's name and text, a
coder's name), so exporting twice gives the same GUIDs and other tools recognise what they
have seen before. Positions count code points of exactly the text written to `sources/`.
"""
from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from qda import __version__, progress
from qda.codebook.model import Code, Codebook
from qda.project import Project
from qda.refi.xml import (
    CODEBOOK_NS,
    DEEPER,
    MACHINE_USER_PREFIX,
    PROJECT_NS,
    code_guid,
    colour,
    make_guid,
)
from qda.text.files import atomic_file, content_hash
from qda.vocab import CASE_ATTRIBUTES, ROLES

ORIGIN = f"qda {__version__}"
EXPORTED_ATTRIBUTES = (*CASE_ATTRIBUTES, "interviewer")
_VARIABLE_NOTES = {
    "role": "One of " + ", ".join(ROLES) + ".",
    "language": "es (Spanish) or en (English).",
    "interviewer": "Speaker labels of the interviewers, separated by '; '; their turns are "
                   "context and not coded.",
}


@dataclass
class QdpxSummary:
    """What an export wrote, for the command's one-line report."""

    sources: int
    codes: int
    users: int
    selections: int
    codings: int
    memos: int
    retired: dict[str, int]  # codings of codes no longer in the codebook: not exported


# -- the codebook --------------------------------------------------------------------------------
def write_qdc(project: Project, out: Path, lang: str | None = None) -> int:
    """Write the codebook as a `.qdc`; returns the number of codes."""
    root = Element("CodeBook", xmlns=CODEBOOK_NS, origin=ORIGIN)
    count = _codes(SubElement(root, "Codes"), project.codebook, lang or project.settings.language,
                   {})
    _save(out, {"": _xml(root)})
    return count


def _codes(parent: Element, codebook: Codebook, lang: str, notes: dict[str, list[str]]) -> int:
    """Axes (and roots kept from other tools) as top-level codes, their themes beneath.

    Every code is codable, axes included: the codebook lets a passage carry a bare axis when
    none of its themes fits (coding rule 3; the reference coding does so), so an axis is a
    code, not a folder, and a non-codable category would strand its codings in other tools.
    """
    children: dict[str | None, list[Code]] = {}
    for code in codebook.codes:
        children.setdefault(_tree_parent(code.path, codebook), []).append(code)

    def add(into: Element, code: Code) -> None:
        element = SubElement(into, "Code", guid=_code_guid(code), name=code.label(lang),
                             isCodable="true")
        shade = colour(code.colour) or colour(codebook[code.axis].colour
                                              if code.axis in codebook else None)
        if shade:
            element.set("color", shade)
        description = _description(code, lang)
        if description:
            SubElement(element, "Description").text = description
        for note in notes.get(code.path, []):
            SubElement(element, "NoteRef", targetGUID=note)
        for child in children.get(code.path, []):
            add(element, child)

    for code in children.get(None, []):
        add(parent, code)
    return len(codebook.codes)


def _tree_parent(path: str, codebook: Codebook) -> str | None:
    """`rq1/a__b` sits under `rq1/a` (a deeper code kept from another tool), else its root."""
    root, _, theme = path.partition("/")
    if not theme:
        return None
    while DEEPER in theme:
        theme = theme.rsplit(DEEPER, 1)[0]
        if f"{root}/{theme}" in codebook:
            return f"{root}/{theme}"
    return root


def _code_guid(code: Code) -> str:
    return str(code.info.get("refi_guid") or code_guid(code.path))


def _description(code: Code, lang: str) -> str:
    """The definition in `lang`, then the coder's guidance, as other tools show one text."""
    parts = [_in_lang(code.info.get("definition"), lang)]
    for key, title in (("use_when", "Use when"), ("not_when", "Not when"),
                       ("example", "Example")):
        text = _in_lang(code.info.get(key), lang)
        if text:
            parts.append(f"{title}: {text}")
    return "\n\n".join(p for p in parts if p)


def _in_lang(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        value = value.get(lang) or value.get("en") or next(iter(value.values()), "")
    return str(value or "").strip()


# -- the project ---------------------------------------------------------------------------------
def write_qdpx(project: Project, out: Path, include_suggested: bool = False) -> QdpxSummary:
    """Write the whole project as a `.qdpx`: accepted codings, or suggestions too.

    Accepted codings are credited to the person who decided (the coder, or the reviewer who
    accepted a machine suggestion). Suggestions are credited to their machine coder, a user
    marked `qda:rules` or `qda:model`, so no tool mistakes them for a person's coding.
    Rejected codings are never exported: other tools have no way to say "not this code".
    """
    codebook = project.codebook
    store = project.store
    statuses = ("accepted", "suggested") if include_suggested else ("accepted",)
    users = _Users()
    documents = store.documents()
    texts = {d["id"]: store.document_text(d["id"]) for d in documents}
    sources = {d["id"]: make_guid("source", d["name"], content_hash(texts[d["id"]]))
               for d in documents}

    selections, coding_of, retired = _selections(store.exchange_codings(statuses), codebook,
                                                 texts, sources, users)
    memos = store.memo_rows()
    notes, code_notes, source_notes, project_notes = _notes(memos, codebook, users, selections,
                                                            coding_of)
    by_document: dict[int, list[dict]] = {}
    for (doc_id, _, _), selection in sorted(selections.items(), key=lambda item: item[0]):
        selection["guid"] = make_guid("selection", sources[doc_id], str(selection["start"]),
                                      str(selection["end"]))
        by_document.setdefault(doc_id, []).append(selection)

    root = Element("Project", xmlns=PROJECT_NS, name=project.root.name, origin=ORIGIN,
                   creationDateTime=_xsd_time(None))
    users_el = SubElement(root, "Users")  # filled last: every part above registers its users
    book = SubElement(SubElement(root, "CodeBook"), "Codes")
    _codes(book, codebook, project.settings.language, code_notes)
    _variables_and_cases(root, documents, sources)
    sources_el = SubElement(root, "Sources") if documents else None  # may not be empty
    for doc in progress.track(documents, "writing sources"):
        _source(sources_el, doc, sources[doc["id"]], texts[doc["id"]],
                by_document.get(doc["id"], []), source_notes.get(doc["id"], []))
    if notes:
        SubElement(root, "Notes").extend(notes)
    for note in project_notes:
        SubElement(root, "NoteRef", targetGUID=note)
    for name, (guid, machine) in users.known.items():
        user = SubElement(users_el, "User", guid=guid, name=name)
        if machine:
            user.set("id", f"{MACHINE_USER_PREFIX}{machine}")
    if not len(users_el):
        root.remove(users_el)

    files = {"project.qde": _xml(root)}
    files.update({f"sources/{sources[d['id']]}.txt": texts[d["id"]].encode("utf-8")
                  for d in documents})
    _save(out, files)
    return QdpxSummary(len(documents), len(codebook.codes), len(users.known), len(selections),
                       sum(len(s["codings"]) for s in selections.values()), len(memos), retired)


def _selections(rows: list, codebook: Codebook, texts: dict[int, str], sources: dict[int, str],
                users: _Users) -> tuple[dict, dict, dict[str, int]]:
    """Selections keyed by (document, start, end), each holding its codings (one per code and
    person); the coding of each (passage, code), for memos; codings of retired codes."""
    selections: dict[tuple[int, int, int], dict] = {}
    coding_of: dict[tuple[int, str], dict] = {}
    retired: dict[str, int] = {}
    for row in rows:
        if row["code"] not in codebook:
            retired[row["code"]] = retired.get(row["code"], 0) + 1
            continue
        user = users.guid(*_credited(row))
        for start, end in _spans(row, len(texts[row["document_id"]])):
            selection = _selection(selections, row["document_id"], start, end)
            coding = selection["codings"].setdefault((row["code"], user), {
                "guid": make_guid("coding", sources[row["document_id"]], str(start), str(end),
                                  row["code"], user),
                "code": codebook[row["code"]], "user": user, "created": row["created_at"],
                "notes": []})
            coding_of.setdefault((row["segment_id"], row["code"]), coding)
    return selections, coding_of, retired


def _notes(memos: list, codebook: Codebook, users: _Users, selections: dict, coding_of: dict
           ) -> tuple[list[Element], dict[str, list[str]], dict[int, list[str]], list[str]]:
    """A note per memo, referred to from what the memo is about: the coding or selection of a
    passage, a source, a code, or the project."""
    notes: list[Element] = []
    code_notes: dict[str, list[str]] = {}
    source_notes: dict[int, list[str]] = {}
    project_notes: list[str] = []
    for memo in memos:
        note = make_guid("memo", str(memo["id"]), memo["author"], memo["created_at"])
        notes.append(_note(note, memo, users.guid(memo["author"])))
        if memo["segment_id"] is not None:
            coding = coding_of.get((memo["segment_id"], memo["code"]))
            target = coding["notes"] if coding else _selection(
                selections, memo["document_id"], memo["start"], memo["end"])["notes"]
            target.append(note)
        elif memo["document_id"] is not None:
            source_notes.setdefault(memo["document_id"], []).append(note)
        elif memo["code"] in codebook:
            code_notes.setdefault(memo["code"], []).append(note)
        else:
            project_notes.append(note)
    return notes, code_notes, source_notes, project_notes


class _Users:
    """One user per person or machine coder, each with a GUID derived from its name."""

    def __init__(self) -> None:
        self.known: dict[str, tuple[str, str | None]] = {}

    def guid(self, name: str, machine: str | None = None) -> str:
        if name not in self.known:
            self.known[name] = (make_guid("user", f"{MACHINE_USER_PREFIX}{machine}" if machine
                                          else "", name), machine)
        return self.known[name][0]


def _credited(row: Any) -> tuple[str, str | None]:
    """(user name, machine kind or None) a coding is credited to."""
    if row["kind"] == "human":
        return row["coder"], None
    if row["status"] == "accepted" and row["reviewer"]:
        return row["reviewer"], None
    return row["coder"], row["kind"]


def _spans(row: Any, length: int) -> list[tuple[int, int]]:
    """The selections a coding came from in another tool, if it had them; else its passage."""
    refi = json.loads(row["evidence"]).get("refi") if row["evidence"] else None
    spans = refi.get("spans") if isinstance(refi, dict) else None
    kept = [(s[0], s[1]) for s in spans or [] if isinstance(s, list) and len(s) == 2
            and all(isinstance(x, int) for x in s) and 0 <= s[0] < s[1] <= length]
    return kept or [(row["start"], row["end"])]


def _selection(selections: dict, document_id: int, start: int, end: int) -> dict:
    return selections.setdefault((document_id, start, end), {
        "start": start, "end": end, "codings": {}, "notes": []})


def _variables_and_cases(root: Element, documents: list, sources: dict[int, str]) -> None:
    values = {d["id"]: _attributes(d) for d in documents}
    names = [n for n in EXPORTED_ATTRIBUTES if any(v.get(n) for v in values.values())]
    if not names:
        return
    types = {n: "Date" if n == "date" and all(_is_date(v.get(n)) for v in values.values())
             else "Text" for n in names}
    variables = SubElement(root, "Variables")
    for name in names:
        variable = SubElement(variables, "Variable", guid=make_guid("variable", name), name=name,
                              typeOfVariable=types[name])
        if name in _VARIABLE_NOTES:
            SubElement(variable, "Description").text = _VARIABLE_NOTES[name]
    cases = SubElement(root, "Cases")
    for doc in documents:
        case = SubElement(cases, "Case", guid=make_guid("case", sources[doc["id"]]),
                          name=doc["name"])
        for name in names:
            value = values[doc["id"]].get(name)
            if value:
                vv = SubElement(case, "VariableValue")
                SubElement(vv, "VariableRef", targetGUID=make_guid("variable", name))
                SubElement(vv, "DateValue" if types[name] == "Date" else "TextValue").text = value
        SubElement(case, "SourceRef", targetGUID=sources[doc["id"]])


def _attributes(doc: Any) -> dict[str, str]:
    """The exported attributes of a document; nothing from `extra` (participant names...)."""
    out = {name: str(doc[name]) for name in CASE_ATTRIBUTES if doc[name]}
    interviewers = json.loads(doc["interviewers"] or "[]")
    if interviewers:
        out["interviewer"] = "; ".join(interviewers)
    return out


def _is_date(value: str | None) -> bool:
    if value is None:
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _source(parent: Element, doc: Any, guid: str, text: str, selections: Iterable[dict],
            notes: list[str]) -> None:
    source = SubElement(parent, "TextSource", guid=guid, name=doc["name"],
                        plainTextPath=f"internal://{guid}.txt")
    for selection in selections:
        codings = list(selection["codings"].values())
        element = SubElement(source, "PlainTextSelection", guid=selection["guid"],
                             name=_title(text[selection["start"]:selection["end"]]),
                             startPosition=str(selection["start"]),
                             endPosition=str(selection["end"]))
        if codings:
            element.set("creatingUser", codings[0]["user"])
            element.set("creationDateTime", _xsd_time(codings[0]["created"]))
        for coding in codings:
            c = SubElement(element, "Coding", guid=coding["guid"], creatingUser=coding["user"],
                           creationDateTime=_xsd_time(coding["created"]))
            SubElement(c, "CodeRef", targetGUID=_code_guid(coding["code"]))
            for note in coding["notes"]:
                SubElement(c, "NoteRef", targetGUID=note)
        for note in selection["notes"]:
            SubElement(element, "NoteRef", targetGUID=note)
    for note in notes:
        SubElement(source, "NoteRef", targetGUID=note)


def _note(guid: str, memo: Any, user: str) -> Element:
    note = Element("Note", guid=guid, name=_title(memo["text"]), creatingUser=user,
                   creationDateTime=_xsd_time(memo["created_at"]))
    SubElement(note, "PlainTextContent").text = memo["text"]
    return note


def _title(text: str, width: int = 60) -> str:
    """A name from the first words, as ATLAS.ti names quotations; `…` when cut."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[:width - 1].rstrip() + "…"


def _xsd_time(stamp: str | None) -> str:
    """An xsd:dateTime in UTC; the store keeps ISO 8601 already."""
    moment = datetime.fromisoformat(stamp) if stamp else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _xml(root: Element) -> bytes:
    indent(root, space=" ")
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _save(out: Path, files: dict[str, bytes]) -> None:
    """Write a .qdc (one file, key "") or a .qdpx (a zip) whole, or not at all."""
    with atomic_file(out) as fh:
        if list(files) == [""]:
            fh.write(files[""])
        else:
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in files.items():
                    archive.writestr(name, data)
