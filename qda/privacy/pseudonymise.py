"""Pseudonymising the people in a project, reversibly with a key kept outside it.

Names come from the metadata (front matter or `interviews.csv` fields such as `participant`,
`participante`, `name`, `mencionados`, and `interviewer` when it holds a name rather than a
tag; `qda.privacy.names` lists them, the same ones reports keep out of print) and from
speaker labels that are names ("Luz Marina Rojas", "Dr. Mariana Solís"; not "P1", "ENT"
or "Participante"), and from the text itself wherever a title introduces a name ("la profe Yaneth").
Each person gets a pseudonym built from the interview's id (an interview named by no id,
say after its file "Rosa Quispe.txt", is renamed to a neutral `IV001` first), `P-CL-01` for
a participant, `N-CL-01-2` for another person named in the metadata, `I-CL-01` for a named
interviewer;
the same full name gets the same pseudonym everywhere. The full name, its runs of two or
more words and its single words (not particles or honorifics) are replaced as whole words,
so "doña Luz Marina" and "Dr. Solís" are caught.

Document text, segment text, offsets and speaker labels, rule evidence (words and offsets),
memos, re-anchoring notes and detached codings' old passages, document names, source paths
and metadata are rewritten in one transaction. Segment offsets are mapped through every
replacement, so `text[start:end]` still equals each passage and codings stay where they
were. The key file records each replacement by position and every original value, so
`--reverse` restores the exact text. It must lie outside the project folder: a shared
project must not carry its own key.
"""
from __future__ import annotations

import bisect
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qda import progress
from qda.errors import QdaError
from qda.privacy.names import (
    HONORIFICS,
    INTERVIEWER_KEYS,
    OTHER_KEYS,
    PARTICIPANT_KEYS,
    PARTICLES,
    addressed_names,
    first_names,
    full_names,
    is_generic_label,
    metadata_names,
    trie_alternation,
)
from qda.privacy.redact import forget_said_names
from qda.project import Project
from qda.store import Store, now
from qda.text.files import atomic_file, content_hash

KEY_FORMAT = "qda-anonymise-key/1"
ANONYMISED_KEY = "anonymised"  # documents.extra key: the key id of the run that anonymised it


@dataclass
class Person:
    pseudonym: str
    name: str
    forms: list[str] = field(default_factory=list)


@dataclass
class AnonymiseReport:
    documents: int = 0
    people: int = 0
    replacements: int = 0
    memos: int = 0
    skipped: list[str] = field(default_factory=list)  # documents already anonymised
    model_removed: list[Path] = field(default_factory=list)  # the trained model's files
    outputs_before: list[Path] = field(default_factory=list)  # may still hold names


# -- names ------------------------------------------------------------------------------------
def name_forms(name: str) -> list[str]:
    """The ways a name shows up in talk: whole, runs of two or more words, single words."""
    words = name.split()
    bare = [w for w in words if w.rstrip(".").casefold() not in HONORIFICS]
    forms = {name, " ".join(bare)}
    for size in range(2, len(bare)):
        for i in range(len(bare) - size + 1):
            forms.add(" ".join(bare[i:i + size]))
    forms.update(w for w in bare if len(w) >= 3 and w.casefold() not in PARTICLES
                 and w[0].isupper())
    forms |= {f.upper() for f in forms}  # labels are often in capitals: "MILAGROS HUAMÁN:"
    return sorted((f for f in forms if f), key=len, reverse=True)


class Pseudonyms:
    """The run's people: one pseudonym per full name, found per document. A name in
    `scope` (an interview) is only that interview's: two women called Rosa in two
    interviews are two people."""

    def __init__(self) -> None:
        self.by_name: dict[tuple[str, str], Person] = {}

    def get(self, name: str, make: Callable[[], str], scope: str = "") -> Person:
        key = (scope, " ".join(name.split()).casefold())
        if key not in self.by_name:
            self.by_name[key] = Person(make(), name, name_forms(name))
        return self.by_name[key]

    def all(self) -> list[Person]:
        return list(self.by_name.values())


def document_people(people: Pseudonyms, doc_name: str, extra: dict, interviewers: list[str],
                    speakers: Iterable[tuple[str, bool]], generic: Iterable[str], text: str,
                    doc_name_of_file: str | None = None) -> list[Person]:
    """The people of one interview (`doc_name`: its neutral label), participants first
    (the one its file is named after, `doc_name_of_file`, among them), then anyone its text
    or metadata names after a title ("la profe Yaneth") or by given name and surname."""
    counters = {"P": 0, "N": 0, "I": 0}
    found: list[Person] = []

    def make(prefix: str) -> Callable[[], str]:
        def pseudonym() -> str:
            counters[prefix] += 1
            n = counters[prefix]
            return f"{prefix}-{doc_name}" + (f"-{n}" if n > 1 else "")
        return pseudonym

    def add(name: str, prefix: str, scope: str = "") -> None:
        person = people.get(name, make(prefix), scope)
        if person not in found:
            found.append(person)

    def known(name: str) -> bool:
        return any(name.casefold() in {f.casefold() for f in p.forms} for p in found)

    generic = list(generic)
    for name in named_by_file({"name": doc_name_of_file}) if doc_name_of_file else []:
        add(name, "P")
    for keys, prefix in ((PARTICIPANT_KEYS, "P"), (OTHER_KEYS, "N")):
        for name in metadata_names(extra, keys):
            add(name, prefix)
    for name in [*metadata_names(extra, INTERVIEWER_KEYS), *interviewers]:
        if not is_generic_label(name, generic):
            add(name, "I")
    for label, is_interviewer in speakers:
        if label and not is_generic_label(label, generic) and not known(label):
            add(label, "I" if is_interviewer else "P")
    for value in [v for v in extra.values() if isinstance(v, str)]:  # a docx title...
        for name in addressed_names(value) + full_names(value):
            if not known(name):
                add(name, "N")
    for name in addressed_names(text) + full_names(text):
        if not known(name):  # a first name alone is this interview's own
            add(name, "N", "" if " " in name else doc_name)
    return found


def document_label(row: dict, extra: dict, interviewers: list[str]) -> str:
    """What an interview is called after anonymising: its id when it is one ("CL-01"),
    else a neutral number: a name taken from the file ("Rosa Quispe.txt") or any word of a
    person's name never becomes part of a pseudonym."""
    name = str(row["name"])
    people_words = {w.casefold() for n in metadata_names(extra) + interviewers
                    for w in re.findall(r"[^\W\d_]{3,}", n)}
    named = (full_names(name) or addressed_names(name) or name in first_names()
             or any(w.casefold() in people_words for w in re.findall(r"[^\W\d_]{3,}", name)))
    return name if re.search(r"\d", name) and not named else f"IV{row['id']:03d}"


def named_by_file(row: dict) -> list[str]:
    """The person an interview without an id is named after ("Rosa Quispe.txt"): most
    likely its participant."""
    name = str(row["name"])
    if re.search(r"\d", name):
        return []
    return full_names(name) or ([name] if name in first_names() else [])


class Replacer:
    """Whole-word replacement of every form of every person, longest forms first."""

    def __init__(self, persons: Iterable[Person], others: Iterable[Person] = ()):
        """`persons` with all their forms; `others` (people of other interviews) only by
        forms of two or more words, so a shared first name stays with this interview's.

        The others are the whole study, the same for every interview of a run: their forms
        are made into one regex once (`_forms_of`), and each interview adds only its own."""
        self.to: dict[str, str] = {}
        for person in persons:
            for form in person.forms:
                self.to.setdefault(form, person.pseudonym)
        self.own = _pattern(self.to)
        self.others = _forms_of(tuple(others))

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, pseudonym) of each name, as one alternation of this interview's
        forms and the others' multi-word forms would find them, longest first."""
        found: list[tuple[int, int, str]] = []
        pos, own, every = 0, self.own, self.others.pattern
        while True:
            a = own.search(text, pos) if own else None
            b = every.search(text, pos) if every else None
            if a is None and b is None:
                return found
            at = min(m.start() for m in (a, b) if m is not None)
            best = a.group() if a is not None and a.start() == at else ""
            if b is not None and b.start() == at and " " in b.group() \
                    and len(b.group()) > len(best):
                best = b.group()
            if not best:  # only another interview's single word starts here: not a name here
                pos = at + 1
                continue
            found.append((at, at + len(best), self.to.get(best) or self.others.to[best]))
            pos = at + len(best)

    def sub(self, text: str | None) -> str | None:
        if text is None or (self.own is None and self.others.pattern is None):
            return text
        pieces, last = [], 0
        for start, end, pseudonym in self.spans(text):
            pieces += [text[last:start], pseudonym]
            last = end
        return "".join(pieces) + text[last:] if pieces else text

    def sub_json(self, blob: str | None, remap: Callable[[dict], None] | None = None
                 ) -> str | None:
        """Replace names in every string of a JSON value (and fix offsets with `remap`)."""
        if blob is None:
            return None
        value = json.loads(blob)

        def walk(node: Any) -> Any:
            if isinstance(node, str):
                return self.sub(node)
            if isinstance(node, list):
                return [walk(v) for v in node]
            if isinstance(node, dict):
                out = {k: walk(v) for k, v in node.items()}
                if remap:
                    remap(out)
                return out
            return node
        return json.dumps(walk(value), ensure_ascii=False)


@dataclass
class _Forms:
    """Every form of a set of people as one regex; `to`: pseudonyms of the multi-word forms."""

    pattern: re.Pattern | None
    to: dict[str, str]


def _pattern(forms: Iterable[str]) -> re.Pattern | None:
    """Whole-word regex of `forms`, trie-shaped: its cost does not grow with their number."""
    forms = list(forms)
    return re.compile(r"(?<!\w)(?:" + trie_alternation(forms) + r")(?!\w)") if forms else None


_last_forms: list[tuple[tuple[Person, ...], _Forms]] = []  # the run's study-wide forms


def _forms_of(persons: tuple[Person, ...]) -> _Forms:
    """The forms of `persons`, made once for a run that asks for the same people again."""
    if _last_forms and len(_last_forms[0][0]) == len(persons) and all(
            a is b for a, b in zip(_last_forms[0][0], persons)):
        return _last_forms[0][1]
    every: dict[str, str] = {}
    for person in persons:
        for form in person.forms:
            every.setdefault(form, person.pseudonym)
    made = _Forms(_pattern(every), {f: p for f, p in every.items() if " " in f})
    _last_forms[:] = [(persons, made)]
    return made


# -- offsets ----------------------------------------------------------------------------------
class OffsetMap:
    """Old offset -> new offset across replacements (old start, old end, new text)."""

    def __init__(self, edits: list[tuple[int, int, str]]):
        self.old_ends: list[int] = []
        self.deltas: list[int] = []
        self.edits = edits
        delta = 0
        for start, end, new in edits:
            delta += len(new) - (end - start)
            self.old_ends.append(end)
            self.deltas.append(delta)

    def __call__(self, position: int) -> int:
        i = bisect.bisect_right(self.old_ends, position) - 1
        shifted = position + (self.deltas[i] if i >= 0 else 0)
        nxt = i + 1
        if nxt < len(self.edits) and self.edits[nxt][0] < position:  # inside a replaced name
            start, _, new = self.edits[nxt]
            return start + (self.deltas[i] if i >= 0 else 0) + len(new)
        return shifted


def apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    parts, at = [], 0
    for start, end, new in edits:
        parts.append(text[at:start])
        parts.append(new)
        at = end
    parts.append(text[at:])
    return "".join(parts)


def _remap_evidence(offsets: Callable[[int], int], old_start: int, new_start: int
                    ) -> Callable[[dict], None]:
    """Rule evidence offsets count from the passage start: move them with the text."""
    def remap(node: dict) -> None:
        if node.get("where") == "passage" and isinstance(node.get("start"), int) \
                and isinstance(node.get("end"), int):
            node["start"] = offsets(old_start + node["start"]) - new_start
            node["end"] = offsets(old_start + node["end"]) - new_start
    return remap


# -- the key file -----------------------------------------------------------------------------
def check_key_path(project: Project, key: Path) -> Path:
    """The key must not be inside the project (its outputs are shared, so is the folder)."""
    resolved = key.expanduser().resolve()
    if resolved == project.root or project.root in resolved.parents:
        raise QdaError("the key file would be inside the project folder, where exports and "
                       "copies of the project would carry it; keep it elsewhere, e.g. "
                       "--key ~/keys/study-key.json", key)
    return resolved


def _write_key(path: Path, data: dict) -> None:
    """Write the key once, readable by its owner only; never overwrite an existing key."""
    _refuse_existing(path)
    try:
        with atomic_file(path, mode=0o600) as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8")
            json.dump(data, text, ensure_ascii=False, indent=1)
            text.detach()  # flushed; the file itself stays open for the writer to finish
    except QdaError as exc:
        raise QdaError(f"cannot write the key: {exc.message}", path) from None


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise QdaError("a key file is already there; never overwrite a key (it is the only "
                       "way back): choose a new file name", path)


def _read_key(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QdaError("no such key file", path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QdaError(f"is not a readable anonymisation key ({exc})", path) from None
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise QdaError(f"is not a qda anonymisation key (format {KEY_FORMAT})", path)
    return data


def is_anonymised(store: Store, document_id: int) -> bool:
    return ANONYMISED_KEY in store.document_extra(document_id)


# -- anonymise and reverse --------------------------------------------------------------------
def anonymise(project: Project, key: Path) -> AnonymiseReport:
    """Pseudonymise every document not yet anonymised; the key goes to `key` (outside the
    project). Already anonymised documents are left as they are."""
    key = check_key_path(project, key)
    _refuse_existing(key)
    store = project.store
    report = AnonymiseReport()
    key_id = uuid.uuid4().hex
    people = Pseudonyms()
    record: dict[str, Any] = {"format": KEY_FORMAT, "key_id": key_id, "created": now(),
                              "project": str(project.root), "documents": {}, "codings": {},
                              "detached": {}, "memos": {}, "people": {}}
    written_before = earlier_outputs(project)
    store.secure_delete(True)  # pages freed from now on are zeroed, not left with names
    wrote_key = False
    try:
        with store.transaction():
            wrote_key = _anonymise_all(project, store, people, report, key_id, record, key)
    except BaseException:
        if wrote_key:  # the store kept its names: a key for nothing would block a retry
            key.unlink(missing_ok=True)
        raise
    if report.documents:
        store.vacuum()  # rewrite the file so no free page or WAL frame keeps an old text
        report.model_removed = remove_model(project)
        forget_said_names(project)  # the names a report found in the old texts
        report.outputs_before = written_before
    return report


def _anonymise_all(project: Project, store: Store, people: Pseudonyms, report: AnonymiseReport,
                   key_id: str, record: dict[str, Any], key: Path) -> bool:
    """The rewrite itself, inside the caller's transaction; writes the key last (True)."""
    todo = []
    for row in store.documents_full():
        extra = json.loads(row["extra"])
        if ANONYMISED_KEY in extra:
            report.skipped.append(row["name"])
            continue
        segments = store.segments(row["id"])
        interviewers = json.loads(row["interviewers"])
        label = document_label(row, extra, interviewers)
        persons = document_people(people, label, extra, interviewers,
                                  [(s.speaker, s.is_interviewer) for s in segments],
                                  project.interviewer_labels, row["text"],
                                  row["name"] if label != row["name"] else None)
        todo.append((row, extra, segments, persons, label))
    replacers: dict[int, Replacer] = {}
    for row, extra, segments, persons, label in progress.track(todo, "anonymising"):
        replacer = replacers[row["id"]] = Replacer(persons, people.all())
        report.replacements += _anonymise_document(store, row, extra, segments, replacer,
                                                   key_id, record, label)
        report.documents += 1
    everyone = Replacer(people.all())
    for memo in store.memo_texts():
        doc_id = memo["document_id"]
        if doc_id is not None and doc_id not in replacers:
            continue  # a memo of a document anonymised earlier
        replacer = replacers.get(doc_id, everyone)
        text, note = replacer.sub(memo["text"]), replacer.sub_json(memo["anchor_note"])
        if (text, note) != (memo["text"], memo["anchor_note"]):
            record["memos"][str(memo["id"])] = {"text": memo["text"],
                                                "anchor_note": memo["anchor_note"],
                                                "anonymised": text}
            store.rewrite_memo_texts([(text, note, memo["id"])])
            report.memos += 1
    record["people"] = {p.pseudonym: p.name for p in people.all()}
    report.people = len(people.all())
    if report.documents:
        _write_key(key, record)
        return True
    return False


def earlier_outputs(project: Project) -> list[Path]:
    """Files written from the project before anonymising (reports, exports, charts,
    backups of the store): they may still hold the names."""
    folders = [project.root / "outputs", project.store.backup_dir()]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*")
                  if p.is_file() and not p.name.startswith("."))


def remove_model(project: Project) -> list[Path]:
    """Delete the trained model: it learned words of the original texts, names among
    them ("pamela", "solis"), and cannot unlearn them. `qda train` makes a new one."""
    folder = project.model_dir
    removed = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    for path in removed:
        path.unlink()
    return removed


def _anonymise_document(store: Store, row: dict, extra: dict, segments, replacer: Replacer,
                        key_id: str, record: dict, label: str) -> int:
    text = row["text"]
    edits = replacer.spans(text)
    new_text = apply(text, edits)
    offsets = OffsetMap(edits)
    seg_rows, speakers = [], {}
    new_starts = {}
    for s in segments:
        start, end = offsets(s.start), offsets(s.end)
        new_starts[s.id] = (s.start, start)
        speaker = replacer.sub(s.speaker)
        if speaker != s.speaker:
            speakers[str(s.id)] = s.speaker
        seg_rows.append((start, end, new_text[start:end], speaker, s.id))
    for c in store.coding_texts(row["id"]):
        old_start, new_start = new_starts[c["segment_id"]]
        evidence = replacer.sub_json(c["evidence"], _remap_evidence(offsets, old_start, new_start))
        note = replacer.sub_json(c["anchor_note"])
        if (evidence, note) != (c["evidence"], c["anchor_note"]):
            record["codings"][str(c["id"])] = {"evidence": c["evidence"],
                                               "anchor_note": c["anchor_note"]}
            store.rewrite_coding_texts([(evidence, note, c["id"])])
    for d in store.detached_texts(row["id"]):  # old passages of an earlier version
        text_, evidence = replacer.sub(d["old_text"]), replacer.sub_json(d["evidence"])
        if (text_, evidence) != (d["old_text"], d["evidence"]):
            record["detached"][str(d["id"])] = {"old_text": d["old_text"],
                                                "evidence": d["evidence"]}
            store.rewrite_detached_texts([(text_, d["old_start"], d["old_end"], evidence,
                                           d["id"])])
    new_extra = {k: replacer.sub(v) if isinstance(v, str) else
                 json.loads(replacer.sub_json(json.dumps(v, ensure_ascii=False)))
                 for k, v in extra.items()}
    new_extra[ANONYMISED_KEY] = key_id
    interviewers = [replacer.sub(x) for x in json.loads(row["interviewers"])]
    name = label
    source = label + Path(row["source_path"]).suffix if row["source_path"] else None
    record["documents"][str(row["id"])] = {
        "name": row["name"], "source_path": row["source_path"], "extra": row["extra"],
        "interviewers": row["interviewers"], "speakers": speakers,
        "replacements": [[offsets(start), len(new), text[start:end]]
                         for start, end, new in edits],
        "anonymised_hash": content_hash(new_text)}
    store.rewrite_document(row["id"], name, source, new_text,
                           json.dumps(interviewers, ensure_ascii=False),
                           json.dumps(new_extra, ensure_ascii=False), seg_rows)
    store.move_coding_spans(row["id"], offsets)
    return len(edits)


def reverse(project: Project, key: Path) -> AnonymiseReport:
    """Undo an anonymisation with its key: exact texts, offsets, labels, memos, metadata."""
    data = _read_key(key.expanduser())
    store = project.store
    report = AnonymiseReport()
    names = sorted(data.get("people", {}).items(), key=lambda kv: -len(kv[0]))
    back = (re.compile("|".join(re.escape(p) for p, _ in names)) if names else None)
    with store.transaction():
        rows = {str(r["id"]): r for r in store.documents_full()}
        for doc_id, saved in data["documents"].items():
            row = rows.get(doc_id)
            if row is None or json.loads(row["extra"]).get(ANONYMISED_KEY) != data["key_id"]:
                report.skipped.append(saved["name"])
                continue
            if content_hash(row["text"]) != saved["anonymised_hash"]:
                raise QdaError(f"document {row['name']} changed after it was anonymised; "
                               "its names cannot be put back by position", key)
            report.replacements += _reverse_document(store, row, saved, data)
            report.documents += 1
        for memo in store.memo_texts():
            saved = data["memos"].get(str(memo["id"]))
            if saved is None:
                continue
            if memo["text"] == saved["anonymised"]:
                text = saved["text"]
            else:  # edited since: put the names back by pseudonym
                text = back.sub(lambda m: data["people"][m.group()], memo["text"])
            store.rewrite_memo_texts([(text, saved["anchor_note"], memo["id"])])
            report.memos += 1
    if not report.documents and report.skipped:
        raise QdaError("this key does not belong to the anonymisation of this project's "
                       "documents (or it was already reversed)", key)
    return report


def _reverse_document(store: Store, row: dict, saved: dict, data: dict) -> int:
    text = row["text"]
    edits = [(start, start + length, original)
             for start, length, original in saved["replacements"]]
    original = apply(text, edits)
    offsets = OffsetMap(edits)
    seg_rows = []
    for s in store.segments(row["id"]):
        start, end = offsets(s.start), offsets(s.end)
        seg_rows.append((start, end, original[start:end],
                         saved["speakers"].get(str(s.id), s.speaker), s.id))
    mine = {c["id"] for c in store.coding_texts(row["id"])}
    store.rewrite_coding_texts((c["evidence"], c["anchor_note"], int(cid))
                               for cid, c in data["codings"].items() if int(cid) in mine)
    store.rewrite_detached_texts((data["detached"][str(d["id"])]["old_text"], d["old_start"],
                                  d["old_end"], data["detached"][str(d["id"])]["evidence"],
                                  d["id"])
                                 for d in store.detached_texts(row["id"])
                                 if str(d["id"]) in data.get("detached", {}))
    store.rewrite_document(row["id"], saved["name"], saved["source_path"], original,
                           saved["interviewers"], saved["extra"], seg_rows)
    store.move_coding_spans(row["id"], offsets)
    return len(edits)
