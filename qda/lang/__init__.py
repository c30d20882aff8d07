"""Every label and sentence qda shows people, in Spanish and English: one table per language
(`es.py`, `en.py`, data only, after spaCy's `lang/` packages) and the lookups below, used by
the CLI, the findings tables, charts and report, and the TUI.

Below everything but `qda.vocab` and `qda.errors`: no codebook, store or pandas, so the TUI
starts fast. Code labels come from the codebook (`qda.analysis`); sentence building for the
report (varied wording, lists, dates, attributions) is `qda.lang.prose`.
"""
from __future__ import annotations

from types import ModuleType

from qda.errors import UsageError
from qda.lang import en, es
from qda.vocab import LANGS, NONE, ROLES, TOTAL

LANGUAGES: dict[str, ModuleType] = {"en": en, "es": es}
QUOTE_MARKS = {code: table.QUOTE_MARKS for code, table in LANGUAGES.items()}
ROLE_PEOPLE = {code: table.ROLE_PEOPLE for code, table in LANGUAGES.items()}
NAME_MARKS = {code: table.NAME_MARK for code, table in LANGUAGES.items()}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"--lang must be one of {', '.join(LANGS)}, not '{lang}'")
    return lang


def ui(text: str, lang: str, **values: object) -> str:
    """`text` of the interface in `lang` (es or en), with `{name}` fields filled from
    `values`; a text without a translation shows in English rather than breaking."""
    shown = LANGUAGES[lang].UI.get(text, text) if lang in LANGUAGES else text
    return shown.format(**values) if values else shown


def text(key: str, lang: str, **values: object) -> str:
    """A heading or note of a findings table or chart, filled in."""
    return LANGUAGES[lang].TABLES[key].format(**values)


def patterns(key: str, lang: str) -> tuple[str, ...]:
    """Every wording the report has for `key`."""
    found = LANGUAGES[lang].REPORT[key]
    return (found,) if isinstance(found, str) else found


def words(key: str, lang: str, **values: object) -> str:
    """The (first) pattern of a report sentence, filled in."""
    return patterns(key, lang)[0].format(**values)


def integer(n: int, lang: str) -> str:
    """9,999 in English, 9.999 in Spanish."""
    return f"{n:,}".replace(",", LANGUAGES[lang].THOUSANDS)


def group_label(by: str, value: str, lang: str) -> str:
    """How a group (a country, role, policy or sector value) is shown to readers."""
    table = LANGUAGES[lang]
    if value == NONE:
        return table.TABLES["none"]
    if value == TOTAL:
        return table.TABLES["total"]
    if by == "country":
        return table.COUNTRIES.get(value, value)
    if by == "role":
        return ROLES.get(value, {}).get(lang, value)
    if by == "sector":
        return table.SECTORS.get(value) or value.replace("_", " ").capitalize()
    return value


def noun(by: str, lang: str, plural: bool = True) -> str:
    return LANGUAGES[lang].NOUNS[by][1 if plural else 0]


def number(n: int, lang: str) -> str:
    """Small numbers in words ('four countries'), larger ones in digits."""
    said = LANGUAGES[lang].SMALL_NUMBERS
    return said[n] if 0 <= n < len(said) else str(n)


def spanish_article(by: str) -> tuple[str, str]:
    """('los', 'ambos') or ('las', 'ambas') for the Spanish noun of `by`."""
    feminine = es.NOUNS[by][2] == "f"
    return ("las", "ambas") if feminine else ("los", "ambos")
