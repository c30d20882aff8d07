"""Where people's names sit and what is not a name: the one vocabulary that `privacy`
(keeping names out of reports and exports) and `anonymise` (replacing them with
pseudonyms) both read, so a name one of them finds the other finds too.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .ingest.transcript import label_key
from .project import DEFAULT_INTERVIEWERS

# metadata keys (lower-cased, as stored) that hold people's names, by who they are
PARTICIPANT_KEYS = ("participant", "participants", "participante", "participantes",
                    "interviewee", "interviewees", "entrevistada", "entrevistado",
                    "entrevistadas", "entrevistados", "respondent", "respondents")
INTERVIEWER_KEYS = ("interviewer", "interviewers", "entrevistador", "entrevistadora",
                    "entrevistadores", "entrevistadoras")
OTHER_KEYS = ("name", "names", "nombre", "nombres", "person", "people", "persons",
              "persona", "personas", "mentioned", "mencionados", "mencionadas")
NAME_KEYS = PARTICIPANT_KEYS + INTERVIEWER_KEYS + OTHER_KEYS

# words of address that a name follows: "doña Gloria", "la profe Yaneth", "Sr. Quispe", "Dr Lee"
ADDRESS_WORDS = ("doña", "don", "señora", "señor", "señorita", "doctora", "doctor",
                 "licenciada", "licenciado", "ingeniera", "ingeniero", "profesora", "profesor",
                 "profe", "maestra", "maestro", "compañera", "compañero")
ADDRESS_ABBREVIATIONS = ("sra", "sr", "srta", "dra", "dr", "lic", "ing", "prof", "mtra", "mtro")
ENGLISH_ADDRESS = ("Mrs", "Mr", "Ms", "Miss", "Dr", "Prof")  # capitalised only: "we miss Lima"
# titles are not part of a listed name: "Dr. Mariana Solís" is Mariana Solís
HONORIFICS = {w.casefold() for w in ADDRESS_WORDS + ADDRESS_ABBREVIATIONS + ENGLISH_ADDRESS}
# offices a title may precede, capitalised, without naming anyone: "el señor Presidente"
OFFICES = ("presidente", "presidenta", "president", "ministro", "ministra", "minister",
           "viceministro", "viceministra", "alcalde", "alcaldesa", "mayor", "gobernador",
           "gobernadora", "governor", "director", "directora", "secretario", "secretaria",
           "secretary", "subsecretario", "subsecretaria", "intendente", "intendenta", "rector",
           "rectora", "juez", "jueza", "judge", "diputado", "diputada", "senador", "senadora",
           "senator", "concejal", "concejala", "gerente", "jefe", "jefa")
# the small words inside names ("Solís de la Torre"): never a name on their own
PARTICLES = {"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "das", "di", "van",
             "von", "der", "le"}
# words of a speaker label that stand for a role, not a person ("Participante 3", "ENT2")
ROLE_WORDS = {w.casefold() for w in DEFAULT_INTERVIEWERS} | {
    "participant", "participants", "participante", "participantes", "interviewee",
    "respondent", "respondente", "entrevistada", "entrevistado", "entrevistadoras",
    "interviewer", "interviewers", "speaker", "hablante", "persona", "moderator", "moderador",
    "moderadora", "unknown", "desconocido", "desconocida", "voz", "voice"}
_WORD = re.compile(r"[^\W\d_]+")
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][^\W\d_]+"
# anyone addressed by a title, listed or not: the title, then up to four capitalised words
# ("doña María de la Cruz Quispe"). A full word may not end a sentence before them
# ("gracias, señor. Una vez..." names nobody), and an office is no name: "señora Ministra
# Rosa" names Rosa, "señor Presidente" nobody. Group 1 is the title, group 2 the name.
_OFFICE = r"(?i:%s)(?!\w)" % "|".join(OFFICES)
ADDRESSED = re.compile(
    r"(?<!\w)((?:(?i:%s)[ \t]+|(?i:%s)\.?[ \t]+|(?:%s)\.?[ \t]+)(?:%s[ \t]+)?)(?!%s)"
    r"(%s(?:[- ](?:(?:%s) )*%s){0,3})(?!\w)" % (
        "|".join(ADDRESS_WORDS), "|".join(ADDRESS_ABBREVIATIONS), "|".join(ENGLISH_ADDRESS),
        _OFFICE, _OFFICE, _CAPITALISED, "|".join(sorted(PARTICLES - {"y", "e"})),
        _CAPITALISED))


def values(value: Any) -> list[str]:
    """The names a metadata value holds: a string, "a; b" or a list of them."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [v for item in value for v in values(item)]
    return [part.strip() for part in re.split(r"[;\n]", str(value)) if part.strip()]


def metadata_names(extra: dict[str, Any], keys: Iterable[str] = NAME_KEYS) -> list[str]:
    """The names in an interview's metadata under `keys`, whatever the keys' case."""
    folded = {str(key).casefold(): value for key, value in extra.items()}
    return [name for key in keys for name in values(folded.get(key))]


def is_generic_label(label: str, interviewer_labels: Iterable[str] = ()) -> bool:
    """P1, ENT2, "Participante 3" or a configured interviewer label: a role or a number,
    not a person. A label with any longer word that is not a role word is a name."""
    if label_key(label) in {label_key(x) for x in interviewer_labels}:
        return True
    return all(w.casefold() in ROLE_WORDS or len(w) < 3 for w in _WORD.findall(label))


def addressed_names(text: str) -> list[str]:
    """The names a title introduces in a text ("doña Gloria Amparo" gives "Gloria Amparo")."""
    return list(dict.fromkeys(m.group(2) for m in ADDRESSED.finditer(text)))
