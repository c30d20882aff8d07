"""Which coded passages a findings chapter quotes, which of their sentences, and whether each
still says what the transcript says.

Quotes are chosen to illustrate, not to count: by fit first (the sentences that carry the
code, found with the rule coder's own topic and cue words or the coding's stored evidence),
then spread over countries, roles and interviews, in the chapter's language when there is a
choice. A passage is trimmed to the sentences that carry the code, with […] where words are
cut, and without an opening answer word, connector or back-reference ("Sí,", "Second,",
"como le dije"). No passage is quoted twice, and a passage that says a person's name is never
quoted. Every piece is aligned against its document's text (`qda.text.locate`) as the report is
built; a quote that no longer matches is left out and listed.
"""
from __future__ import annotations

import json
import re
from collections import Counter, namedtuple
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from qda.errors import QdaError
from qda.privacy.redact import HiddenNames
from qda.text.locate import locate

READABLE = (120, 520)  # characters: a quote a reader takes in at once
MAX_CHARS = 700        # a passage without a clear carrying sentence is cut here
MIN_CHARS = 50         # shorter quotes rarely illustrate anything
PER_CODE = (2, 3)      # two quotes, a third only if it adds a country or a role
_TRIM_MAX = 4.0 + 2.0  # the most fit (capped at 4) and length (at most 1, doubled) can add
GAP = " […] "
ELLIPSIS = " […]"
CANDIDATE_COLUMNS = ["segment_id", "document", "document_id", "code", "text", "start", "end",
                     "country", "role", "policy", "status", "codes_on_passage", "language",
                     "evidence"]

_SENTENCE_END = re.compile(r"[.!?…]+[»”\"')\]]*(?=\s+|$)")
# Words that open an answer (followed by a comma or a stop: "Sí, ...", "Poquito. ...") or
# chain it to an earlier one (also before a plain space: "Y la ministra...", "So we..."):
# not the content of a quote.
_ANSWERS = {
    "es": r"s[ií]|no|bueno|claro|mira|mire|este|eh+|ah+|ay|ya|ok|okey|okay|vale|exacto|"
          r"exactamente|correcto|efectivamente|bien|primero|segundo|tercero|la verdad|poquito|"
          r"mucho|muchísimo|totalmente|por supuesto|así es|justamente|a ver|digamos|híjole|"
          r"órale|oiga|oye|fíjese|fíjate|uy|uf|hmm+|mm+|nada|dale|complicado|complicada",
    "en": r"yes|yeah|yep|no|well|right|sure|okay|ok|oh|um+|uh+|first|second|third|firstly|"
          r"secondly|actually|of course|exactly|indeed|absolutely|definitely|honestly|i mean|"
          r"you know|like|hmm+",
}
_CONNECTORS = {
    "es": r"y|e|pero|pues|o sea|entonces|además|también|por otro lado|por otra parte|"
          r"de hecho",
    "en": r"and|but|so|also|then|plus",
}
_BACK_REFERENCES = {
    "es": r"como (?:le|te|les|ya) (?:dije|decía|comenté|comentaba|mencioné|contaba)|"
          r"como (?:ya )?(?:dije|decía|mencioné|comenté)|lo que (?:le|te) (?:decía|comentaba)|"
          r"eso que (?:le|te) (?:dije|decía)|como (?:usted|tú) (?:dijo|dice|decía)",
    "en": r"as i (?:said|mentioned|told you|was saying)|like i (?:said|mentioned)|"
          r"as you (?:said|mentioned)|what i (?:said|mentioned) (?:before|earlier)",
}
_OPENING = {lang: re.compile(rf"^(?:(?:(?:{_ANSWERS[lang]})[,.;:!?…-]+\s*|"
                             rf"(?:{_CONNECTORS[lang]})(?:[,.;:!?…-]+\s*|\s+)|"
                             rf"\[[^\]]{{1,30}}\]\s*|[¡¿]))+", re.IGNORECASE)
            for lang in _ANSWERS}
_BACK = {lang: re.compile(rf"\b(?:{words})\b[,;:]?\s*", re.IGNORECASE)
         for lang, words in _BACK_REFERENCES.items()}


@dataclass(frozen=True)
class Quote:
    """A passage as printed: `pieces` are (start, end) offsets into its document's text, each
    verbatim; `text` is those pieces joined by […]."""

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
    language: str | None = None
    pieces: tuple[tuple[int, int], ...] = ()
    cut_before: bool = False
    cut: bool = False

    def shown(self) -> str:
        """The words as they appear between quotation marks."""
        return ("[…] " if self.cut_before else "") + self.text + (ELLIPSIS if self.cut else "")

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
    """'(Designer and Implementer, Peru)' or '(Persona experta, Perú)'; never a name."""
    from qda.lang.prose import attribution as said
    return said(role, country, lang)


def align(quote: str, document_text: str, start: int, end: int) -> Alignment:
    """Find the quote in the document: at its stored offsets, else nearby or anywhere
    verbatim (offsets drift when a transcript is re-segmented), else the closest fuzzy
    alignment, whose score says how far the text has moved from the quote."""
    found = locate(quote, document_text, start, reach=len(quote), floor=0)
    if found is None:
        return Alignment(False, start, end, 0.0)
    return Alignment(found.exact, found.start, found.end, round(found.score, 1))


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a passage, without surrounding spaces."""
    spans, begin = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((begin, match.end()))
        begin = match.end()
    if begin < len(text):
        spans.append((begin, len(text)))
    out = []
    for a, b in spans:
        piece = text[a:b]
        a += len(piece) - len(piece.lstrip())
        b -= len(piece) - len(piece.rstrip())
        if b > a:
            out.append((a, b))
    return out


def opening(text: str, lang: str | None) -> int:
    """How many characters of answer words, connectors and back-references open `text`
    ('Sí, claro, ', 'Second, ', 'Como le dije, '), stopping before the last word."""
    cut_at = 0
    for _ in range(4):
        rest = text[cut_at:]
        found = 0
        for key in ([lang] if lang in _OPENING else list(_OPENING)):
            match = _OPENING[key].match(rest)
            back = _BACK[key].match(rest)
            found = max(found, match.end() if match else 0, back.end() if back else 0)
        if not found or found >= len(rest.rstrip()) - 1:
            break
        cut_at += found
    return cut_at


def is_filler(text: str, lang: str | None) -> bool:
    """A sentence that is nothing but answer words or a back-reference and a word or two
    ('Poquito.', 'Sí, sí.', 'Bueno, los recursos.'): it opens an answer, it says nothing."""
    rest = text[min(opening(text + " x", lang), len(text)):]
    return len(rest.split()) <= 2


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


class RuleHits:
    """The rule coder's matches in a passage as `Fit` weighs them: (target, kind, start,
    end), and per pattern language its topics with the codes they can take. Loading the
    patterns (lemma tables and lexicons, about a second) is most of the cost, so the report
    does it in another process (`qda.export.background.RulesApart`, which answers the same
    calls)."""

    def __init__(self, codebook):
        from qda.coders.rules import RuleCoder
        try:
            self._coder: Any = RuleCoder(codebook)
        except QdaError:  # broken pattern files: fit falls back to stored evidence
            self._coder = None
        loaded = self._coder.patterns if self._coder is not None else {}
        self.topics: dict[str, dict[str, list[str]]] = {
            lang: pats.topics for lang, pats in loaded.items()}

    def __call__(self, key: str, text: str) -> list[tuple[str, str, int, int]]:
        """Every match in `text` under the patterns of language `key` (one of `topics`):
        those the rule coder finds, token patterns included."""
        return [(target, ev["kind"], ev["start"], ev["end"])
                for target, ev in self._coder.find(text, self._coder.patterns[key])]


class Fit:
    """Where a passage speaks to a code: the rule coder's topic words for the code and cue
    words for its axis (the project's own pattern files), plus the offsets a machine coder
    stored as evidence. Without pattern files every sentence fits equally. `rules`: where
    the matches come from (`RuleHits(codebook)` unless given)."""

    def __init__(self, codebook=None, rules: Any = None):
        if rules is None and codebook is not None:
            rules = RuleHits(codebook)
        self._rules = rules
        self._hits: dict[tuple[int, str], list[tuple[str, str, int, int]]] = {}

    def weights(self, segment_id: int, text: str, code: str, lang: str | None,
                evidence: str | None = None) -> list[tuple[int, int, float]]:
        """(start, end, weight) in the passage of the words that carry `code`."""
        axis = code.split("/")[0]
        out: list[tuple[int, int, float]] = []
        by_lang = self._rules.topics if self._rules is not None else {}
        if by_lang:
            key = lang if lang in by_lang else next(iter(by_lang))
            cache = (segment_id, key)
            if cache not in self._hits:
                self._hits[cache] = self._rules(key, text)
            topics = by_lang[key]
            for target, kind, start, end in self._hits[cache]:
                if kind == "topic" and code in topics.get(target, ()):
                    out.append((start, end, 2.0))
                elif kind == "cue" and target == axis:
                    out.append((start, end, 2.0 if code == axis else 1.0))
                elif kind not in ("veto", "question") and target == code:
                    out.append((start, end, 2.0))
        out.extend(_evidence_spans(evidence, len(text)))
        return out


def _evidence_spans(evidence: str | None, length: int) -> list[tuple[int, int, float]]:
    """Offsets a machine coder stored with its suggestion (rules' words)."""
    if not evidence or not isinstance(evidence, str):
        return []
    try:
        data = json.loads(evidence)
    except ValueError:
        return []
    rules = data.get("rules", []) if isinstance(data, dict) else []
    spans = []
    for rule in rules:
        if isinstance(rule, dict) and rule.get("where", "passage") == "passage" \
                and isinstance(rule.get("start"), int) and isinstance(rule.get("end"), int) \
                and 0 <= rule["start"] < rule["end"] <= length:
            spans.append((rule["start"], rule["end"], 1.5))
    return spans


@dataclass(frozen=True)
class Trimmed:
    """The sentences of a passage kept for a quote: spans relative to the passage."""

    pieces: tuple[tuple[int, int], ...]
    fit: float
    cut_before: bool
    cut_after: bool
    back_reference: bool

    @property
    def length(self) -> int:
        return sum(b - a for a, b in self.pieces) + len(GAP) * (len(self.pieces) - 1)


def trim(text: str, lang: str | None, weights: list[tuple[int, int, float]],
         limit: int = READABLE[1]) -> Trimmed:
    """The sentences of `text` that carry the code (with a short sentence between two of
    them), up to about `limit` characters, without an opening answer word; the opening
    sentences when nothing in particular carries it."""
    spans = sentences(text)
    if not spans:
        return Trimmed(((0, len(text)),), 0.0, False, False, False)
    score = [sum(w for s, e, w in weights if s < b and e > a) for a, b in spans]
    filler = [is_filler(text[a:b], lang) for a, b in spans]
    keep: list[int] = []
    if any(score):
        ranked = sorted(range(len(spans)), key=lambda i: (-score[i], i))
        total = 0
        for i in ranked:
            if score[i] <= 0:
                break
            size = spans[i][1] - spans[i][0]
            if keep and total + size > limit:
                continue
            keep.append(i)
            total += size
        keep.sort()
        # a short sentence between two kept ones stays (no […] for a few words)
        for i in range(len(spans)):
            if 0 < i < len(spans) - 1 and i - 1 in keep and i + 1 in keep and i not in keep \
                    and spans[i][1] - spans[i][0] < 140:
                keep.append(i)
        keep.sort()
        # too short alone: the sentences after it (or before) give it context
        while sum(spans[i][1] - spans[i][0] for i in keep) < READABLE[0]:
            after = keep[-1] + 1
            before = keep[0] - 1
            if after < len(spans) and spans[after][1] - spans[after][0] < limit:
                keep.append(after)
            elif before >= 0 and not filler[before]:
                keep.insert(0, before)
            else:
                break
    else:
        first = next((i for i, f in enumerate(filler) if not f), 0)
        total = 0
        for i in range(first, len(spans)):
            size = spans[i][1] - spans[i][0]
            if keep and total + size > limit:
                break
            keep.append(i)
            total += size
    while len(keep) > 1 and filler[keep[0]]:
        keep.pop(0)
    pieces: list[list[int]] = []
    for i in keep:
        a, b = spans[i]
        if pieces and pieces[-1][2] == i - 1:
            pieces[-1][1], pieces[-1][2] = b, i
        else:
            pieces.append([a, b, i])
    first = pieces[0]
    # opening answer words and connectors are dropped silently (they are not content);
    # […] marks sentences left out
    first[0] += opening(text[first[0]:first[1]], lang)
    cut_before = keep[0] > 0 and any(not filler[i] for i in range(keep[0]))
    cut_after = keep[-1] < len(spans) - 1
    last = pieces[-1]
    if last[1] - last[0] > MAX_CHARS:  # one run-on sentence: cut at a word boundary
        last[1] = last[0] + len(cut(text[last[0]:last[1]]))
        cut_after = True
    kept_text = " ".join(text[a:b] for a, b, _ in pieces)
    back = any(_BACK[k].search(kept_text) for k in ([lang] if lang in _BACK else _BACK))
    fit = sum(score[i] for i in keep)
    return Trimmed(tuple((a, b) for a, b, _ in pieces), fit, cut_before, cut_after, back)


@dataclass
class QuoteChooser:
    """Picks quotes across a whole report, so no passage appears twice.

    `candidates`: one row per passage and code (CANDIDATE_COLUMNS); `text_of(document_id)`
    returns a document's text as stored now; `who`: the names never to print; `fit` finds
    the words that carry a code; `lang`: the chapter's language, preferred for quotes;
    `words(row)`: (text, evidence) of a candidate whose frame leaves them out (None), so a
    study's 100,000 candidates need not sit in memory with their words: only the few
    hundred scored in full are read.
    """

    candidates: pd.DataFrame
    text_of: Callable[[int], str]
    who: HiddenNames
    fit: Fit = field(default_factory=Fit)
    lang: str | None = None
    words: Callable[[Any], tuple[str, str | None]] | None = None
    used: set[int] = field(default_factory=set)
    left_out: list[LeftOut] = field(default_factory=list)
    _bad: dict[int, str] = field(default_factory=dict)
    _texts: dict[int, str] = field(default_factory=dict)
    _quoted: Counter = field(default_factory=Counter)
    _trims: dict[tuple[int, str], Trimmed] = field(default_factory=dict)
    _filled: dict[tuple, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # an accepted coding of a passage outranks a pending suggestion of the same code
        frame = (self.candidates.assign(_pending=self.candidates["status"] != "accepted")
                 .sort_values(["_pending", "segment_id"], kind="stable")
                 .drop_duplicates(["segment_id", "code"]).drop(columns="_pending"))
        self._by_code = {code: part for code, part in frame.groupby("code", sort=False)}

    def available(self, code: str) -> int:
        part = self._by_code.get(code)
        return 0 if part is None else len(part)

    def filled(self, row):
        """The row with its text and evidence (read through `words` when left out)."""
        if self.words is None or row.text is not None:
            return row
        key = (row.segment_id, row.code, row.start, row.end, getattr(row, "coder", None))
        if key not in self._filled:
            text, evidence = self.words(row)
            self._filled[key] = row._replace(text=text, evidence=evidence)
        return self._filled[key]

    def trimmed(self, row) -> Trimmed:
        key = (int(row.segment_id), row.code)
        if key not in self._trims:
            row = self.filled(row)
            weights = self.fit.weights(int(row.segment_id), row.text, row.code, row.language,
                                       getattr(row, "evidence", None))
            self._trims[key] = trim(row.text, row.language, weights)
        return self._trims[key]

    def choose(self, code: str, among: pd.DataFrame | None = None,
               per: tuple[int, int] = PER_CODE, diversity: Iterable[str] = ("country", "role")
               ) -> list[Quote]:
        """Up to `per[1]` quotes for a code (or from the rows `among`), each verified."""
        frame = among if among is not None else self._by_code.get(code)
        if frame is None or frame.empty:
            return []
        keys = tuple(diversity)
        pool = Pool(frame, keys, self._base)
        chosen: list[Quote] = []
        while len(chosen) < per[1] and pool.alive.any():
            fresh = pool.fresh(chosen)  # per key: rows whose value no chosen quote has
            open_ = pool.alive & ~np.isin(pool.segments, [*self.used, *self._bad])
            if len(chosen) >= per[0]:  # beyond the minimum only for variety
                open_ &= np.logical_or.reduce(fresh)
            best = self._best(pool, np.flatnonzero(open_), chosen, keys,
                              self._untrimmed(pool, chosen, fresh))
            if best is None:
                break
            pool.alive[best] = False
            quote = self._verified(pool.row(best))
            if quote is not None:
                chosen.append(quote)
                self.used.add(quote.segment_id)
                self._quoted.update([quote.document, quote.country, quote.role])
        return chosen

    def _best(self, pool: Pool, open_rows: np.ndarray, chosen: list[Quote],
              keys: tuple[str, ...], untrimmed: np.ndarray) -> int | None:
        """Index of the row with the highest score (ties: lowest segment id, then first).

        Trimming a passage is the costly part of its score and adds at most `_TRIM_MAX`, so
        rows are scored best bound first and the search stops at the first bound below the
        best score found: the same choice as scoring every row, in a fraction of the time
        on a study with thousands of candidates.
        """
        known = untrimmed[open_rows]
        best: tuple[float, int, int] | None = None
        for k in np.lexsort((-open_rows, -known)):  # highest first; ties: last row first
            bound, i = float(known[k]), int(open_rows[k])
            if best is not None and bound + _TRIM_MAX + 1e-9 < best[0]:
                break
            row = pool.row(i)
            candidate = (self._score_trimmed(row) + bound, -row.segment_id, i)
            best = candidate if best is None else max(best, candidate)
        return None if best is None else best[2]

    def _score_trimmed(self, row) -> float:
        """The part of a row's score its trimmed quote decides: fit, length, back-reference
        (at most `_TRIM_MAX`)."""
        trimmed = self.trimmed(row)
        score = 4.0 * min(trimmed.fit, 4.0) / 4.0 + 2 * length_score(trimmed.length)
        return score - 1.5 if trimmed.back_reference else score

    def _base(self, codes_on_passage: list[int], status: list[str], language: list[str | None]
              ) -> np.ndarray:
        """The part of each row's score that is its own: status and language."""
        score = 0.5 / np.maximum(1, np.asarray(codes_on_passage, dtype=np.int64))
        score += np.where(np.asarray(status, dtype=object) == "accepted", 0.5, 0.0)
        if self.lang:  # the chapter's language first; another when it fits much better
            other = {value: bool(value) and value != self.lang for value in set(language)}
            score -= np.where([other[value] for value in language], 3.0, 0.0)
        return score

    def _untrimmed(self, pool: Pool, chosen: list[Quote], fresh: list[np.ndarray]
                   ) -> np.ndarray:
        """Every row's score known without trimming it: its own part, then variety (a value
        of `keys` no chosen quote has), no second quote of an interview, and the whole
        report's quotes spread over interviews, countries and roles."""
        score = pool.base
        for weight, new in zip((3.0, 1.5, 1.0), fresh):
            score = np.where(new, score + weight, score)
        same = pool.same("document", [q.document for q in chosen])
        score = np.where(same, score - 4.0, score)
        return (score - 0.4 * pool.counts("document", self._quoted)
                - 0.2 * pool.counts("country", self._quoted)
                - 0.1 * pool.counts("role", self._quoted))

    def _verified(self, row) -> Quote | None:
        """The row as a quote if its words are still the transcript's and name nobody."""
        row = self.filled(row)
        if self.who.named_in(row.text):
            self._leave_out(row, "names")
            return None
        where = self._placed(row, self.trimmed(row))
        if isinstance(where, float):
            self._leave_out(row, "changed", where)
            return None
        return where

    def _placed(self, row, trimmed: Trimmed) -> Quote | float:
        """The trimmed passage as a quote whose pieces sit verbatim in the document now,
        or the best alignment score of a piece that no longer does."""
        if row.document_id not in self._texts:
            self._texts[row.document_id] = self.text_of(row.document_id)
        document = self._texts[row.document_id]
        pieces = []
        for a, b in trimmed.pieces:
            where = align(row.text[a:b], document, int(row.start) + a, int(row.start) + b)
            if not where.ok:
                return where.score
            pieces.append((where.start, where.end))
        return Quote(int(row.segment_id), row.document, row.code,
                     GAP.join(document[a:b] for a, b in pieces), pieces[0][0], pieces[-1][1],
                     row.country, row.role, row.policy, row.status, row.language,
                     tuple(pieces), trimmed.cut_before, trimmed.cut_after)

    def sentences_for(self, row, limit: int = 320) -> Quote | None:
        """A recommendation as a bullet: the passage's sentences that carry its code,
        verified like any quote (not marked as used: a bullet is not a quote)."""
        if int(row.segment_id) in self._bad:
            return None
        row = self.filled(row)
        if self.who.named_in(row.text):
            return None
        weights = self.fit.weights(int(row.segment_id), row.text, row.code, row.language,
                                   getattr(row, "evidence", None))
        placed = self._placed(row, trim(row.text, row.language, weights, limit))
        return None if isinstance(placed, float) else placed

    def _leave_out(self, row, reason: str, score: float | None = None) -> None:
        self._bad[int(row.segment_id)] = reason
        self.left_out.append(LeftOut(int(row.segment_id), row.document, row.code, reason, score))


class Pool:
    """One code's candidate rows as arrays, for scoring them all at once; a row becomes a
    named tuple only when it is scored in full."""

    def __init__(self, frame: pd.DataFrame, keys: tuple[str, ...],
                 base: Callable[[list[int], list[str], list[str | None]], np.ndarray]) -> None:
        self.columns = {c: frame[c].tolist() for c in frame.columns}
        self._make = namedtuple("Row", list(self.columns), rename=True)._make
        self.keys = keys
        self.segments = np.asarray(self.columns["segment_id"], dtype=np.int64)
        self.alive = np.ones(len(frame), dtype=bool)
        self.base = base(self.columns["codes_on_passage"], self.columns["status"],
                         self.columns["language"])
        self._codes: dict[str, tuple[np.ndarray, dict]] = {}

    def row(self, i: int):
        return self._make(values[i] for values in self.columns.values())

    def _factorized(self, column: str) -> tuple[np.ndarray, dict]:
        """The column as codes, and each distinct value's code."""
        if column not in self._codes:
            codes, uniques = pd.factorize(pd.Series(self.columns[column], dtype=object),
                                          use_na_sentinel=False)
            self._codes[column] = (codes, {u: k for k, u in enumerate(uniques)})
        return self._codes[column]

    def same(self, column: str, values: list) -> np.ndarray:
        """Rows whose `column` equals one of `values`."""
        codes, index = self._factorized(column)
        return np.isin(codes, [index[v] for v in values if v == v and v in index])

    def fresh(self, chosen: list) -> list[np.ndarray]:
        """Per diversity key: rows whose value differs from every chosen quote's."""
        return [~self.same(key, [getattr(q, key) for q in chosen]) for key in self.keys]

    def counts(self, column: str, counter: Counter) -> np.ndarray:
        """How often each row's `column` value was quoted (in `counter`)."""
        codes, index = self._factorized(column)
        return np.array([counter[u] for u in index], dtype=float)[codes]
