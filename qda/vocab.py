"""The study's fixed vocabulary, in one place: the axes, the roles, the case attributes and
the spellings accepted for them, the machine coders, the languages and the usual interviewer
labels.

Every layer reads these (readers, codebook, coders, store users, reports, TUI), so this
module imports nothing from qda: it sits below all of them. The sentences around these words,
in each language, live in `qda.lang`.
"""
from __future__ import annotations

# The five analytic axes of the codebook, in the order of the interview guide.
AXES: tuple[str, ...] = (
    "positive_factors",
    "challenges",
    "sustainability",
    "lessons_learned",
    "recommendations",
)

# Participant roles in their fixed order, with their label in each language.
ROLES: dict[str, dict[str, str]] = {
    "designer_implementer": {"en": "Designer and Implementer", "es": "Diseño e implementación"},
    "designer": {"en": "Designer", "es": "Diseño"},
    "implementer": {"en": "Implementer", "es": "Implementación"},
    "expert": {"en": "Expert", "es": "Experta/o"},
    "beneficiary": {"en": "Beneficiary", "es": "Beneficiaria/o"},
}
# The same roles where a column is narrow (the TUI's lists, `qda status`).
SHORT_ROLES: dict[str, dict[str, str]] = {
    "en": {"designer_implementer": "Design+Impl.", "designer": "Designer",
           "implementer": "Implementer", "expert": "Expert", "beneficiary": "Beneficiary"},
    "es": {"designer_implementer": "Diseño+Impl.", "designer": "Diseño",
           "implementer": "Implementación", "expert": "Experta/o",
           "beneficiary": "Beneficiaria/o"},
}
# Role names as metadata writes them (slugged, accents dropped) -> the role key.
ROLE_ALIASES: dict[str, str] = {
    "designer_and_implementer": "designer_implementer",
    "designer_implementer": "designer_implementer",
    "disenador_e_implementador": "designer_implementer",
    "disenadora_e_implementadora": "designer_implementer",
    "disenadora": "designer", "disenador": "designer",
    "implementadora": "implementer", "implementador": "implementer",
    "experta": "expert", "experto": "expert", "specialist": "expert",
    "especialista": "expert",
    "beneficiaria": "beneficiary", "beneficiario": "beneficiary",
}

# Case attributes with a column of their own; anything else in the metadata is kept as extra.
CASE_ATTRIBUTES: tuple[str, ...] = ("country", "role", "policy", "sector", "language", "date")
# Groups of interviews in findings tables: no value for the attribute, and all of them.
NONE = "(none)"
TOTAL = "Total"

# The languages of transcripts, codebook labels and every output.
LANGS: tuple[str, ...] = ("es", "en")
# Language names as metadata writes them (lower-cased, accents dropped) -> the language code.
LANGUAGE_ALIASES: dict[str, str] = {"spanish": "es", "espanol": "es", "castellano": "es",
                                    "english": "en", "ingles": "en"}

# Coder kinds that are machines: their codings are suggestions a person reviews.
MACHINE_KINDS: tuple[str, ...] = ("rules", "model")

# Speaker labels taken as the interviewer unless a project lists its own.
DEFAULT_INTERVIEWERS: tuple[str, ...] = (
    "ENT", "ENT1", "ENT2", "ENT3", "E", "I", "INT", "Entrevistador", "Entrevistadora",
    "Entrevistadores", "Interviewer", "Moderador", "Moderadora", "Moderator")
