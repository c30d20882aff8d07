"""Which coded passages a findings chapter quotes, and whether each still says what the
transcript says.

Quotes are chosen to illustrate, not to count: for each theme two, and a third only when
it adds a country or a role, preferring readable lengths, other countries, roles and
interviews, and passages that carry few codes. No passage is quoted twice, and a passage
that says a person's name is never quoted. Each pick is aligned against its document's
text (rapidfuzz) as the report is built; one that no longer matches is left out and listed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

import pandas as pd
from rapidfuzz import fuzz

from ..privacy import People
from .labels import NONE, group_label

READABLE = (180, 600)  # characters: a quote a reader takes in at once
MAX_CHARS = 700        # longer passages are cut at a sentence end and marked [...]
MIN_CHARS = 60         # shorter passages rarely illustrate anything
PER_CODE = (2, 3)      # two quotes, a third only if it adds a country or a role
ELLIPSIS = " […]"
CANDIDATE_COLUMNS = ["segment_id", "document", "document_id", "code", "text", "start", "end",
                     "country", "role", "policy", "status", "codes_on_passage"]


@dataclass(frozen=True)
class Quote:
    """A passage as printed: `text` is document_text[start:end], verbatim."""

    segment_id: int
    document: str
    code: str
    text: str
    start: int
    end: int
    country: str
    role: str
    policy: str
    status: str
    cut: bool = False

    def shown(self) -> str:
        """The words as they appear between quotation marks."""
        return self.text + (ELLIPSIS if self.cut else "")

    def attribution(self, lang: str) -> str:
        return attribution(self.role, self.country, lang)


@dataclass(frozen=True)
class LeftOut:
    """A passage the report would have quoted but did not, and why."""

    segment_id: int
    document: str
    code: str
    reason: str  # "changed" (no longer in the transcript) | "names" (says a person's name)
    score: float | None = None


@dataclass(frozen=True)
class Alignment:
    """Where a quote sits in its document now, and how well it matches (100: verbatim)."""

    ok: bool
    start: int
    end: int
    score: float


def attribution(role: str | None, country: str | None, lang: str) -> str:
    """'(Designer and Implementer, Peru)' or '(Diseño e implementación, Perú)'; never a name."""
    parts = [group_label("role", role, lang) if role and role != NONE else
             ("Participant" if lang == "en" else "Participante")]
    if country and country != NONE:
        parts.append(group_label("country", country, lang))
    return f"({', '.join(parts)})"


def align(quote: str, document_text: str, start: int, end: int) -> Alignment:
    """Find the quote in the document: at its stored offsets, else nearby or anywhere
    verbatim (offsets drift when a transcript is re-segmented), else the closest fuzzy
    alignment, whose score says how far the text has moved from the quote."""
    if document_text[start:start + len(quote)] == quote:
        return Alignment(True, start, start + len(quote), 100.0)
    found = document_text.find(quote)
    if found >= 0:
        return Alignment(True, found, found + len(quote), 100.0)
    lo, hi = max(0, start - len(quote)), min(len(document_text), end + len(quote))
    near = fuzz.partial_ratio_alignment(quote, document_text[lo:hi], processor=None)
    best = near
    if near is None or near.score < 90:
        best = fuzz.partial_ratio_alignment(quote, document_text, processor=None)
        lo = 0
    if best is None:
        return Alignment(False, start, end, 0.0)
    return Alignment(False, lo + best.dest_start, lo + best.dest_end, round(best.score, 1))


def cut(text: str, limit: int = MAX_CHARS) -> str:
    """The passage's opening sentences up to `limit` characters (a word boundary if one
    sentence is already longer); the text itself when it fits."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in re.finditer(r"[.!?…][»”\"')\]]*(?=\s)", text[:limit + 1])]
    ends = [e for e in ends if e >= READABLE[0]]
    if ends:
        return text[:ends[-1]]
    space = text.rfind(" ", 0, limit)
    return text[:space if space > 0 else limit].rstrip(" ,;:")


def length_score(n: int) -> float:
    """1 inside the readable range, falling off outside it."""
    low, high = READABLE
    if n < low:
        return max(0.0, (n - MIN_CHARS) / (low - MIN_CHARS))
    if n > high:
        return max(0.1, 1 - (n - high) / (2 * high))
    return 1.0


@dataclass
class QuoteChooser:
    """Picks quotes across a whole report, so no passage appears twice.

    `candidates`: one row per passage and code (CANDIDATE_COLUMNS); `text_of(document_id)`
    returns a document's text as stored now; `who`: the names never to print.
    """

    candidates: pd.DataFrame
    text_of: Callable[[int], str]
    who: People
    used: set[int] = field(default_factory=set)
    left_out: list[LeftOut] = field(default_factory=list)
    _bad: dict[int, str] = field(default_factory=dict)
    _texts: dict[int, str] = field(default_factory=dict)
    _quoted: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        # an accepted coding of a passage outranks a pending suggestion of the same code
        frame = (self.candidates.assign(_pending=self.candidates["status"] != "accepted")
                 .sort_values(["_pending", "segment_id"], kind="stable")
                 .drop_duplicates(["segment_id", "code"]).drop(columns="_pending"))
        self._by_code = {code: part for code, part in frame.groupby("code", sort=False)}

    def available(self, code: str) -> int:
        part = self._by_code.get(code)
        return 0 if part is None else len(part)

    def choose(self, code: str, among: pd.DataFrame | None = None,
               per: tuple[int, int] = PER_CODE, diversity: Iterable[str] = ("country", "role")
               ) -> list[Quote]:
        """Up to `per[1]` quotes for a code (or from the rows `among`), each verified."""
        pool = among if among is not None else self._by_code.get(code)
        if pool is None or pool.empty:
            return []
        rows = [r for r in pool.itertuples(index=False)]
        keys = tuple(diversity)
        chosen: list[Quote] = []
        while len(chosen) < per[1] and rows:
            extra = len(chosen) >= per[0]  # beyond the minimum only for variety
            scored = [(self._score(r, chosen, keys), -r.segment_id, i) for i, r in
                      enumerate(rows) if r.segment_id not in self.used
                      and r.segment_id not in self._bad
                      and not (extra and not self._adds_variety(r, chosen, keys))]
            if not scored:
                break
            row = rows.pop(max(scored)[2])
            quote = self._verified(row)
            if quote is not None:
                chosen.append(quote)
                self.used.add(quote.segment_id)
                self._quoted.update([quote.country, quote.role])
        return chosen

    def _score(self, row, chosen: list[Quote], keys: tuple[str, ...]) -> float:
        shown = min(len(row.text), MAX_CHARS)
        score = 2 * length_score(shown) + 0.5 / max(1, row.codes_on_passage)
        score += 0.5 if row.status == "accepted" else 0.0
        for weight, key in zip((3.0, 1.5, 1.0), keys):
            if all(getattr(q, key) != getattr(row, key) for q in chosen):
                score += weight
        if any(q.document == row.document for q in chosen):
            score -= 4.0
        # spread the whole report's quotes over countries and roles, not only a theme's
        return score - 0.2 * self._quoted[row.country] - 0.1 * self._quoted[row.role]

    @staticmethod
    def _adds_variety(row, chosen: list[Quote], keys: tuple[str, ...]) -> bool:
        return any(all(getattr(q, key) != getattr(row, key) for q in chosen) for key in keys)

    def _verified(self, row) -> Quote | None:
        """The row as a quote if its words are still the transcript's and name nobody."""
        if self.who.named_in(row.text):
            self._leave_out(row, "names")
            return None
        text = cut(row.text)
        if row.document_id not in self._texts:
            self._texts[row.document_id] = self.text_of(row.document_id)
        where = align(text, self._texts[row.document_id], int(row.start), int(row.end))
        if not where.ok:
            self._leave_out(row, "changed", where.score)
            return None
        return Quote(int(row.segment_id), row.document, row.code, text, where.start, where.end,
                     row.country, row.role, row.policy, row.status, cut=len(text) < len(row.text))

    def _leave_out(self, row, reason: str, score: float | None = None) -> None:
        self._bad[int(row.segment_id)] = reason
        self.left_out.append(LeftOut(int(row.segment_id), row.document, row.code, reason, score))
