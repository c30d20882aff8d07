"""The names of the people in a study, so reports and exports never print them.

Participants are quoted by role and country only. Their names can still sit in the
metadata (`participant: Verónica Sepúlveda`), in speaker labels (`MILAGROS HUAMÁN:`), in
the interviewers list, and even in a passage ("and she told me: Ximena, first the fair").
`HiddenNames` gathers every such name once per project; reports leave out passages that say
one, and exports blank them out with `[name]`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

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

NAME_MARK = NAME_MARKS["en"]  # a name where no language is asked for
NOT_NAMES = ROLE_WORDS | PARTICLES  # words of a name that alone would hide common talk


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
    names: list[str] = []
    for row in project.store.documents():
        names += values(json.loads(row["interviewers"] or "[]"))
        extra = json.loads(row["extra"] or "{}")
        names += metadata_names(extra)
        lang = row["language"] or None  # as imported: telling it again per string is slow
        for text in [project.store.document_text(row["id"]), row["name"],
                     *(v for v in extra.values() if isinstance(v, str))]:  # a docx title...
            names += addressed_names(text) + full_names(text, lang)
    speakers = project.store.speakers_frame()["speaker"].dropna().unique()
    names += [s for s in speakers if not is_generic_label(s, project.interviewer_labels)]
    return HiddenNames.of(names)


def safe_document_name(name: str, who: HiddenNames, document_id: int | None = None) -> str:
    """An interview's name for print; one built from a person's name becomes its number."""
    if who.named_in(name):
        return f"#{document_id}" if document_id is not None else NAME_MARK
    return name
