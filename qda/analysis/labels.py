"""Words people read in analysis tables and charts, in Spanish and English.

Codes take their labels from the codebook and roles from `qda.models.ROLES`; this module
holds the rest (country and sector names, group nouns, headings), so every table and chart
speaks the language asked for with `--lang`.
"""
from __future__ import annotations

from qda.codebook.model import LANGS
from qda.errors import UsageError
from qda.models import ROLES

BY = ("country", "role", "policy", "sector")
NONE = "(none)"  # the group of interviews without a value for the attribute
TOTAL = "Total"

_COUNTRIES_ES = {"Mexico": "México", "Peru": "Perú", "Brazil": "Brasil"}
_SECTORS = {
    "gender": {"en": "Gender and women's affairs", "es": "Género y asuntos de la mujer"},
    "mining_energy": {"en": "Mining and energy", "es": "Minería y energía"},
    "education": {"en": "Education", "es": "Educación"},
    "economy": {"en": "Economy", "es": "Economía"},
    "foreign_trade": {"en": "Foreign relations and trade",
                      "es": "Relaciones exteriores y comercio"},
    "environment": {"en": "Environment", "es": "Medio ambiente"},
}
# (singular, plural, grammatical gender in Spanish) of each grouping attribute
_NOUNS = {
    "country": {"en": ("country", "countries"), "es": ("país", "países", "m")},
    "role": {"en": ("role", "roles"), "es": ("rol", "roles", "m")},
    "policy": {"en": ("policy", "policies"), "es": ("política", "políticas", "f")},
    "sector": {"en": ("sector", "sectors"), "es": ("sector", "sectores", "m")},
}
_NUMBERS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
           "diez"],
}
TEXT = {
    "en": {
        "total": "Total", "none": "(none)", "any": "Any code", "all": "All countries",
        "interviews": "Interviews", "passages": "Passages", "participants": "Participants",
        "policies": "Policies", "suggested": "+Suggested",
        "summary_title": "Interviews raising each axis and theme, by {by}",
        "summary_title_segment": "Passages coded with each axis and theme, by {by}",
        "summary_note_interview": "n (%): interviews raising it (share of that {by}'s "
                                  "interviews); a theme implies its axis; an interview counts "
                                  "once however often it raises a code.",
        "summary_note_segment": "n (%): passages coded with it (share of that {by}'s "
                                "respondent passages); a theme implies its axis.",
        "accepted_only": "Accepted codings only.",
        "with_suggested": "+Suggested: raised only by pending machine suggestions, not "
                          "counted in the other columns.",
        "study_title": "Interviews, participants and policies by country and role",
        "cooccur_title": "Codes that occur together in the same {unit}",
        "cooccur_note": "Jaccard = {unit}s with both codes / {unit}s with either.",
        "passage": "passage", "interview": "interview",
        "differences_title": "Do {plural} differ? Interviews raising each code",
        "saturation_title": "New themes as interviews are added ({order} order)",
        "saturation_x": "Interviews added", "saturation_y": "Distinct themes found",
        "heatmap_title": "Share of interviews raising each theme, by {by}",
        "bars_title": "Interviews raising each theme",
        "bars_x": "Share of all interviews",
        "codebook_themes": "themes in the codebook ({n})",
        "new_themes": "New themes", "themes_found": "Themes found",
        "last_new": "Last new at", "date_col": "Date", "interview_col": "Interview",
        "significance": "* p < {alpha}", "test_used": "p: {tests}",
        "chart_note": "Accepted codings; n = interviews.",
        "date": "date", "import": "import",
        "raised": "raised in {n} of {of} interviews",
        "not_raised": "not raised in any interview",
        "in_all": "in all {k} {plural}", "in_all_two": "in both {plural}",
        "only_in": "only in {group}", "in_some": "in {m} of {k} {plural} ({groups})",
        "mostly": "mostly in {group} ({n} of the {total} interviews that raise it)",
        "significant": "the difference between {plural} is statistically significant "
                       "({detail})",
        "not_significant": "the difference between {plural} is not statistically "
                           "significant ({detail})",
        "no_test": "no test: {why}",
        "small": "small counts",
        "no_variation": "every interview or none raises it",
        "one_group": "fewer than two {plural} with interviews",
    },
    "es": {
        "total": "Total", "none": "(sin dato)", "any": "Cualquier código",
        "all": "Todos los países", "interviews": "Entrevistas", "passages": "Pasajes",
        "participants": "Participantes", "policies": "Políticas", "suggested": "+Sugeridos",
        "summary_title": "Entrevistas que plantean cada eje y tema, por {by}",
        "summary_title_segment": "Pasajes codificados con cada eje y tema, por {by}",
        "summary_note_interview": "n (%): entrevistas que lo plantean (proporción de las "
                                  "entrevistas de ese {by}); un tema implica su eje; una "
                                  "entrevista cuenta una vez aunque lo plantee varias veces.",
        "summary_note_segment": "n (%): pasajes codificados (proporción de los pasajes de las "
                                "personas entrevistadas de ese {by}); un tema implica su eje.",
        "accepted_only": "Solo codificaciones aceptadas.",
        "with_suggested": "+Sugeridos: planteado solo por sugerencias automáticas pendientes, "
                          "no contadas en las demás columnas.",
        "study_title": "Entrevistas, participantes y políticas por país y rol",
        "cooccur_title": "Códigos que aparecen juntos en el mismo {unit}",
        "cooccur_note": "Jaccard = {unit}s con ambos códigos / {unit}s con alguno.",
        "passage": "pasaje", "interview": "entrevista",
        "differences_title": "¿Difieren los {plural}? Entrevistas que plantean cada código",
        "saturation_title": "Temas nuevos a medida que se agregan entrevistas (orden de {order})",
        "saturation_x": "Entrevistas agregadas", "saturation_y": "Temas distintos encontrados",
        "heatmap_title": "Proporción de entrevistas que plantean cada tema, por {by}",
        "bars_title": "Entrevistas que plantean cada tema",
        "bars_x": "Proporción del total de entrevistas",
        "codebook_themes": "temas en el libro de códigos ({n})",
        "new_themes": "Temas nuevos", "themes_found": "Temas encontrados",
        "last_new": "Último nuevo en", "date_col": "Fecha", "interview_col": "Entrevista",
        "significance": "* p < {alpha}", "test_used": "p: {tests}",
        "chart_note": "Codificaciones aceptadas; n = entrevistas.",
        "date": "fecha", "import": "importación",
        "raised": "aparece en {n} de {of} entrevistas",
        "not_raised": "no aparece en ninguna entrevista",
        "in_all": "en {los} {k} {plural}", "in_all_two": "en {ambos} {plural}",
        "only_in": "solo en {group}", "in_some": "en {m} de {k} {plural} ({groups})",
        "mostly": "sobre todo en {group} ({n} de las {total} entrevistas en que aparece)",
        "significant": "la diferencia entre {plural} es estadísticamente significativa "
                       "({detail})",
        "not_significant": "la diferencia entre {plural} no es estadísticamente "
                           "significativa ({detail})",
        "no_test": "sin prueba: {why}",
        "small": "conteos pequeños",
        "no_variation": "lo plantean todas las entrevistas o ninguna",
        "one_group": "menos de dos {plural} con entrevistas",
    },
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"--lang must be one of {', '.join(LANGS)}, not '{lang}'")
    return lang


def check_by(by: str) -> str:
    if by not in BY:
        raise UsageError(f"--by must be one of {', '.join(BY)}, not '{by}'")
    return by


def text(key: str, lang: str, **values: object) -> str:
    return TEXT[lang][key].format(**values)


def group_label(by: str, value: str, lang: str) -> str:
    """How a group (a country, role, policy or sector value) is shown to readers."""
    if value == NONE:
        return TEXT[lang]["none"]
    if value == TOTAL:
        return TEXT[lang]["total"]
    if by == "country":
        return _COUNTRIES_ES.get(value, value) if lang == "es" else value
    if by == "role":
        return ROLES.get(value, {}).get(lang, value)
    if by == "sector":
        known = _SECTORS.get(value)
        return known[lang] if known else value.replace("_", " ").capitalize()
    return value


def group_order(by: str, values: list[str]) -> list[str]:
    """Roles in their fixed order, everything else alphabetically; '(none)' last."""
    present = [v for v in values if v != NONE]
    if by == "role":
        ranked = sorted(present, key=lambda v: (list(ROLES).index(v) if v in ROLES else 99, v))
    else:
        ranked = sorted(present, key=str.casefold)
    return ranked + ([NONE] if NONE in values else [])


def noun(by: str, lang: str, plural: bool = True) -> str:
    return _NOUNS[by][lang][1 if plural else 0]


def number(n: int, lang: str) -> str:
    """Small numbers in words ('four countries'), larger ones in digits."""
    words = _NUMBERS[lang]
    return words[n] if 0 <= n < len(words) else str(n)


def spanish_article(by: str) -> tuple[str, str]:
    """('los', 'ambos') or ('las', 'ambas') for the Spanish noun of `by`."""
    feminine = _NOUNS[by]["es"][2] == "f"
    return ("las", "ambas") if feminine else ("los", "ambos")
