"""The names of the people in a study, so reports and exports never print them.

Participants are quoted by role and country only. Their names can still sit in the
metadata (`participant: Verónica Sepúlveda`), in speaker labels (`MILAGROS HUAMÁN:`), in
the interviewers list, and even in a passage ("and she told me: Ximena, first the fair").
`HiddenNames` gathers every such name once per project; reports leave out passages that say
one, and exports blank them out with `[name]`.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from qda.lang import NAME_MARKS
from qda.privacy.names import (
    HONORIFICS,
    PARTICLES,
    ROLE_WORDS,
    addressed_names,
    addressed_spans,
    full_names,
    is_generic_label,
    metadata_names,
    trie_alternation,
    values,
)
from qda.project import Project
from qda.text.files import write_atomic

NAME_MARK = NAME_MARKS["en"]  # a name where no language is asked for
NOT_NAMES = ROLE_WORDS | PARTICLES  # words of a name that alone would hide common talk
# one up whenever `names_said` would find other names in a text: remembered ones are dropped
FINDER_VERSION = 1


@dataclass(frozen=True)
class HiddenNames:
    """The names to keep out of print: whole names and the parts of each, and any name a
    title introduces ("doña Gloria", "Dr. Lee"), since people a participant mentions are
    in no list.

    A whole name (without "Dr.", "Sra."...) matches in any case; a part matches as a
    capitalised or upper-case word only, so the surname Rojas hides "Rojas" and "ROJAS" but
    not "banderas rojas".
    """

    names: tuple[str, ...]
    parts: tuple[str, ...]

    @classmethod
    def of(cls, names: Iterable[str]) -> HiddenNames:
        whole: set[str] = set()
        parts: set[str] = set()
        for name in names:
            tokens = [t for t in str(name).split()
                      if t.rstrip(".").casefold() not in HONORIFICS]
            words = [w for w in re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", " ".join(tokens))
                     if len(w) >= 3 and w.casefold() not in NOT_NAMES]
            if not words:
                continue
            if len(words) > 1:
                whole.add(" ".join(tokens))
            parts.update(form for w in words for form in (w[0].upper() + w[1:].lower(),
                                                          w.upper()))
        return cls(tuple(sorted(whole, key=len, reverse=True)),
                   tuple(sorted(parts, key=len, reverse=True)))

    def __post_init__(self) -> None:
        whole = re.compile(r"(?<!\w)(?:%s)(?!\w)" % trie_alternation(
            {n.lower() for n in self.names}), re.IGNORECASE) if self.names else None
        parts = re.compile(r"(?<!\w)(?:%s)(?!\w)" % trie_alternation(self.parts)
                           ) if self.parts else None
        object.__setattr__(self, "_patterns", [p for p in (whole, parts) if p])

    def named_in(self, text: str | None) -> bool:
        """Whether the text says one of the names, a name after a title, or a given name
        and a surname nobody listed."""
        return bool(text) and bool(self.spans(text))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the text names someone, merged and in order: the known names and their
        parts, names after a title, given name + surname sequences, and every bare
        repetition of a name this text itself reveals ("señorita Pamela" ... "la Pamela")."""
        found = addressed_spans(text)
        own = [*dict.fromkeys(text[s:e] for s, e in found), *full_names(text)]
        for who in (self, HiddenNames.of(own) if own else None):
            for pattern in who._patterns if who else ():
                found += [m.span() for m in pattern.finditer(text)]
        merged: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def redact(self, text: str | None, lang: str = "en") -> str:
        """The text with every name replaced by `[name]` (`[nombre]` in Spanish); a title
        stays: "doña [nombre]"."""
        if not text:
            return text or ""
        mark = NAME_MARKS.get(lang, NAME_MARK)
        parts, at = [], 0
        for start, end in self.spans(text):
            parts += [text[at:start], mark]
            at = end
        return "".join(parts) + text[at:]


def people(project: Project) -> HiddenNames:
    """Everyone named in the project: participants, interviewers and others in the
    metadata, every speaker label that is not a role word like P1 or Entrevistadora, and
    whoever a transcript names after a title or by given name and surname, so that a bare
    "la Pamela" elsewhere is caught too."""
    finder = PeopleFinder(project)
    return finder.hidden(names_said(finder.todo))


class PeopleFinder:
    """`people(project)` in two steps, so the scan of the texts (`names_said(todo)`) may run
    elsewhere meanwhile (a report's child process): the texts not scanned before, then
    everyone named once their names are found."""

    def __init__(self, project: Project):
        self.project = project
        self.texts = name_texts(project)
        self.said = SaidNames(project)
        self.todo = self.said.missing(self.texts)

    def hidden(self, found: list[list[str]]) -> HiddenNames:
        """Everyone named, `found` being what `names_said(self.todo)` gives."""
        self.said.add(self.todo, found)
        return HiddenNames.of(listed_names(self.project) + self.said.names(self.texts))


def listed_names(project: Project) -> list[str]:
    """The names the project lists: interviewers, people in the metadata, and speaker
    labels that are no role."""
    names: list[str] = []
    for row in project.store.documents():
        names += values(json.loads(row["interviewers"] or "[]"))
        names += metadata_names(json.loads(row["extra"] or "{}"))
    speakers = project.store.speakers_frame()["speaker"].dropna().unique()
    return names + [s for s in speakers if not is_generic_label(s, project.interviewer_labels)]


def name_texts(project: Project) -> list[tuple[str, str | None]]:
    """The texts a name may be said in, with their language: transcripts, interview names
    and metadata strings (a docx title...)."""
    texts: list[tuple[str, str | None]] = []
    for row in project.store.documents():
        extra = json.loads(row["extra"] or "{}")
        lang = row["language"] or None  # as imported: telling it again per string is slow
        texts += [(text, lang) for text in [project.store.document_text(row["id"]), row["name"],
                                            *(v for v in extra.values() if isinstance(v, str))]]
    return texts


def names_said(texts: list[tuple[str, str | None]]) -> list[list[str]]:
    """The names each text says: after a title, or as given name and surname (the scan of
    every transcript: 1.2 s for a million words, which a report runs in another process)."""
    return [addressed_names(text) + full_names(text, lang) for text, lang in texts]


class SaidNames:
    """The names each text says, remembered in the project (`names.json` beside the store,
    readable by its owner only, removed by `qda anonymise`) under a hash of the text and its
    language, so a second report or export does not scan a million words again. A text that
    changed has another hash and is scanned anew; a new version of the finder or of its word
    lists (Faker's names, spaCy's stop words and lemmas) starts the memory afresh."""

    def __init__(self, project: Project):
        self.path = said_names_path(project)
        self.writable = not project.store.readonly
        self._known: dict[str, list[str]] = {}
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict) and data.get("finder") == _finder() \
                and isinstance(data.get("texts"), dict):
            self._known = data["texts"]
        self._stale = False

    def missing(self, texts: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        """The texts not scanned yet (each once)."""
        return list(dict.fromkeys(t for t in texts if _key(*t) not in self._known))

    def add(self, texts: list[tuple[str, str | None]], found: list[list[str]]) -> None:
        """Remember what a scan of `texts` found."""
        for (text, lang), names in zip(texts, found, strict=True):
            self._known[_key(text, lang)] = names
            self._stale = True

    def names(self, texts: list[tuple[str, str | None]]) -> list[str]:
        """The names the texts say (every one scanned, see `missing`); the memory is saved
        with the texts of the project now only, so what a deleted interview said goes."""
        keys = [_key(*t) for t in texts]
        if self.writable and (self._stale or len(set(keys)) != len(self._known)):
            kept = {k: self._known[k] for k in keys}
            try:
                write_atomic(self.path, json.dumps({"finder": _finder(), "texts": kept},
                                                   ensure_ascii=False).encode("utf-8"), 0o600)
            except OSError:  # a read-only folder: scanned again next time, nothing lost
                pass
        return [name for k in keys for name in self._known[k]]


def said_names_path(project: Project) -> Path:
    """Beside the store, as the trained model is."""
    return project.store.path.parent / "names.json"


def forget_said_names(project: Project) -> None:
    """Delete the remembered names (anonymise: no name may stay behind in the project)."""
    said_names_path(project).unlink(missing_ok=True)


def _key(text: str, lang: str | None) -> str:
    return hashlib.sha1(f"{lang or ''}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


@cache
def _finder() -> str:
    """The finder's version and those of the word lists it reads."""
    from importlib.metadata import version

    return ";".join([str(FINDER_VERSION), *(version(p) for p in ("faker", "spacy",
                                                                   "spacy-lookups-data"))])


def safe_document_name(name: str, who: HiddenNames, document_id: int | None = None) -> str:
    """An interview's name for print; one built from a person's name becomes its number."""
    if who.named_in(name):
        return f"#{document_id}" if document_id is not None else NAME_MARK
    return name
