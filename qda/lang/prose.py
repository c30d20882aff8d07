"""Sentences of the findings chapter and the quotes export built from the words of
`qda.lang`: varied wording, lists, numbers, percentages, dates and attributions, in
English and Spanish."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from qda.lang import LANGUAGES, group_label, patterns, words
from qda.vocab import NONE

LARGE_GROUP = 20  # interviews: percentages only from this group size on


class Phrases:
    """Varied wording: each call for a key takes its next pattern, so consecutive themes or
    quotes are not introduced by the same sentence."""

    def __init__(self, lang: str):
        self.lang = lang
        self._next: dict[str, int] = defaultdict(int)
        self._said: Counter = Counter()

    def say(self, key: str, *more: str, **values: object) -> str:
        """The key's next pattern, or a later one when that sentence was already said
        twice; then the patterns of the `more` keys, if any."""
        for name in (key, *more):
            said = patterns(name, self.lang)
            start = self._next[name]
            options = [capital(said[(start + i) % len(said)].format(**values))
                       for i in range(len(said))]
            best = min(range(len(options)), key=lambda i: (self._said[options[i]], i))
            if self._said[options[best]] < 2 or name == (key, *more)[-1]:
                break
        self._next[name] = start + best + 1
        self._said[options[best]] += 1
        return options[best]


def capital(text: str) -> str:
    """The first letter upper-cased (a sentence may start with a lower-cased label)."""
    return text[:1].upper() + text[1:] if text else text


def lower(label: str) -> str:
    """A label as it reads inside a sentence: 'Voluntad política' -> 'voluntad política',
    but 'ONU Mujeres' stays."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def listing(items: list[str], lang: str, conjunction: str = "and") -> str:
    """'a, b and c' / 'a, b y c' ('e' before an i- sound, 'u' before an o- sound)."""
    if len(items) < 2:
        return "".join(items)
    word = words(conjunction, lang)
    last = items[-1]
    if lang == "es":
        folded = last.lower()
        if word == "y" and folded.startswith(("i", "hi")) and not folded.startswith(("hie",
                                                                                     "ia", "io")):
            word = "e"
        elif word == "o" and folded.startswith(("o", "ho")):
            word = "u"
    return f"{', '.join(items[:-1])} {word} {last}"


def decimal(value: float, lang: str, places: int = 2) -> str:
    """0.83 in English, 0,83 in Spanish."""
    shown = f"{value:.{places}f}"
    return shown.replace(".", ",") if lang == "es" else shown


def percent(share: float, lang: str) -> str:
    """'67%' / '67 %' (Spanish puts a space before the sign)."""
    return f"{share:.0%}".replace("%", " %") if lang == "es" else f"{share:.0%}"


def count(k: int, n: int, lang: str) -> str:
    """A cell of a table: '2 of 3' for small groups, '15 (63%)' for large ones."""
    if n >= LARGE_GROUP:
        return f"{k} ({percent(k / n, lang)})"
    return words("of_n", lang, k=k, n=n)


def number_word(n: int, lang: str, feminine: bool = True) -> str:
    """'three', 'tres'; Spanish 'una'/'un' and 'ninguna'/'ningún' by gender."""
    if not 0 <= n < len(LANGUAGES[lang].NUMBER_WORDS):
        return str(n)
    said = LANGUAGES[lang].NUMBER_WORDS[n]
    if lang == "es" and not feminine:
        said = {"una": "un", "ninguna": "ningún"}.get(said, said)
    return said


def long_date(value: object, lang: str) -> str:
    """'18 January 2022' / '18 de enero de 2022'; the text itself if it is not a date."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return str(value)
    month = LANGUAGES[lang].MONTHS[day.month - 1]
    return f"{day.day} de {month} de {day.year}" if lang == "es" else \
        f"{day.day} {month} {day.year}"


def date_span(first: object, last: object, lang: str) -> tuple[str, str]:
    """The two ends of a span, the first shortened when month or year repeat:
    ('18 de enero', '3 de marzo de 2022')."""
    a, b = long_date(first, lang), long_date(last, lang)
    year = f" de {str(last)[:4]}" if lang == "es" else f" {str(last)[:4]}"
    if str(first)[:4] == str(last)[:4] and a.endswith(year):
        a = a[:-len(year)]
    return a, b


def person(role: str | None, lang: str, form: int = 0) -> str:
    """A participant's role as a person: 0 'Persona experta', 1 'personas expertas',
    2 'Una persona experta', 3 its definition."""
    known = LANGUAGES[lang].ROLE_PEOPLE.get(role or "")
    if known:
        return known[form]
    if form == 3:
        return ""
    label = group_label("role", role, lang) if role and role != NONE else \
        words("participant", lang)
    return label if form == 0 else lower(label) if form == 1 else label


def attribution(role: str | None, country: str | None, lang: str, note: str = "") -> str:
    """'(Designer and Implementer, Peru)' / '(Persona experta, México)'; never a name."""
    parts = [person(role, lang)]
    if country and country != NONE:
        parts.append(group_label("country", country, lang))
    return f"({', '.join(parts)}{'; ' + note if note else ''})"
