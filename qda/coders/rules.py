"""The rule coder: bilingual lemma patterns, scored and explained.

Each passage collects evidence: topic words (what it is about), cue wording (what it does:
an enabler, an obstacle, what lasts, a lesson, a suggestion), the interviewer's question it
answers, token patterns, and vetoes. A theme is suggested when its topic is present and its
axis is supported; an axis alone when its support is strong but no theme fits. Every
suggestion keeps the rules and the words, with their offsets in the passage, behind it.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from itertools import compress
from operator import attrgetter, itemgetter

import pandas as pd
from spacy.tokens import Doc

from ..codebook import Codebook
from ..models import AXES
from . import patterns as pattern_data
from .base import Suggestion
from .patterns import Patterns, Phrase, Word, fold

CUE_WEIGHT = 1.0
TOKEN_WEIGHT = 1.0
QUESTION_WEIGHT = 0.8  # the question right before the passage
EARLIER_QUESTION_WEIGHT = 0.7  # the question before a follow-up
THEME_AXIS_SUPPORT = 0.7  # a shared topic needs this much support for an axis
SINGLE_AXIS_SUPPORT = 0.5  # a topic of one axis needs this much, or two of its words
AXIS_ONLY_SUPPORT = 1.5  # a bare axis needs this much


@dataclass(slots=True)
class Hit:
    rule: str
    kind: str
    target: str
    words: str
    start: int
    end: int
    weight: float
    where: str = "passage"
    _evidence: dict | None = field(default=None, repr=False, compare=False)

    def as_evidence(self) -> dict:
        return {"rule": self.rule, "kind": self.kind, "words": self.words, "start": self.start,
                "end": self.end, "weight": self.weight, "where": self.where}

    @property
    def evidence(self) -> dict:
        """The evidence record, made once however many suggestions cite this match."""
        if self._evidence is None:
            self._evidence = self.as_evidence()
        return self._evidence


class RuleCoder:
    """Suggests codes from pattern evidence; needs no training (`fit` only checks input)."""

    name = "rules"
    kind = "rules"

    def __init__(self, codebook: Codebook, patterns: dict[str, Patterns] | None = None):
        self.codebook = codebook
        self.patterns = patterns if patterns is not None else pattern_data.load(codebook)
        self.version = pattern_data.patterns_hash(codebook)
        self._questions: dict[tuple[str, str, str], list[Hit]] = {}
        self._topics: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def fit(self, passages: pd.DataFrame, codes: pd.Series | None = None) -> "RuleCoder":
        return self

    def suggest(self, passages: pd.DataFrame) -> list[Suggestion]:
        out: list[Suggestion] = []
        for row in passages.itertuples(index=False):
            lang = row.language if row.language in self.patterns else next(iter(self.patterns))
            out.extend(self.suggest_one(row.segment_id, row.text, lang, row.question,
                                        row.previous_question))
        return out

    # -- one passage --------------------------------------------------------------------------
    def suggest_one(self, segment_id: int, text: str, lang: str, question: str | None = None,
                    previous_question: str | None = None) -> list[Suggestion]:
        pats = self.patterns[lang]
        hits = [h for h in self.find(text, pats) if h.kind != "question"]
        asked = self._asked(question, pats, "question", QUESTION_WEIGHT)
        if not asked:  # a follow-up ("¿y cómo?") leaves the question before it in force
            asked = self._asked(previous_question, pats, "earlier question",
                                EARLIER_QUESTION_WEIGHT)
        return self._score(segment_id, hits + asked, pats)

    def _asked(self, question: str | None, pats: Patterns, where: str, weight: float
               ) -> list[Hit]:
        """Axes an interviewer's turn asks about: guide wording, or cue wording in it.
        Cached: every passage of an answer shares its question."""
        if not question:
            return []
        key = (question, pats.lang, where)
        if key not in self._questions:
            self._questions[key] = [
                replace(h, kind="question", weight=weight)
                for h in self.find(question, pats, where) if h.kind in ("question", "cue")]
        return self._questions[key]

    def find(self, text: str, pats: Patterns, where: str = "passage") -> list[Hit]:
        """Every phrase and token-pattern match in `text`; a match inside a longer one is
        dropped."""
        matches, texts, keys = pats.scan(text)
        hits: list[Hit] = []
        count = len(keys)
        for i in compress(range(count), map(_STARTS, keys)):
            word = keys[i]
            for phrase, fuzzy in word.alone:
                at = matches[i]
                hits.append(_hit(phrase, fuzzy, text, at.start(), at.end(), where))
            if not word.then or i + 1 == count:
                continue
            # longer phrases: only those whose second word is the next word's are tried
            found = None
            for key in keys[i + 1].lookup:
                more = word.then.get(key)
                if more:
                    found = more if found is None else _merge(found, more)
            for _, phrase, fuzzy in found or ():
                n = len(phrase.keys)
                if i + n > count:
                    continue
                for k in range(1, n):
                    want_lemma, want_form = phrase.keys[k]
                    got = keys[i + k]
                    if got.lemma in (want_lemma, want_form) or got.form in (want_lemma, want_form):
                        continue
                    if got.slip_of and got.slip_of == want_form and phrase.kind == "topic":
                        fuzzy = True
                        continue
                    break
                else:
                    hits.append(_hit(phrase, fuzzy, text, matches[i].start(),
                                     matches[i + n - 1].end(), where))
        hits = _longest(hits)
        if where == "passage" and pats.matcher is not None:
            hits += self._token_hits(text, matches, texts, keys, pats)
        return hits

    def _token_hits(self, text: str, matches: list[re.Match], texts: list[str], keys: list[Word],
                    pats: Patterns) -> list[Hit]:
        """Token-pattern matches, on a Doc built from the same tokens with their lemmas.

        Building Docs is most of the Matcher's cost, so a Doc is built only where a match can
        start (first and second words fit some pattern), and holds only the words from the
        first such start to the furthest such a match can reach (when patterns test tokens
        one by one, a slice matches as the whole passage would)."""
        first, stop = 0, len(keys)
        if pats.openings is not None:
            starts = [i for i in compress(range(stop), map(_OPENS, keys))
                      if keys[i].opens & pats.loose
                      or (i + 1 < stop and keys[i].opens & keys[i + 1].follows)]
            if not starts:
                return []
            if pats.steps is not None:
                first = starts[0]
                stop = max(pats.match_end(index, i, keys) for i in starts
                           for index in keys[i].opens)
        doc = Doc(pats.matcher.vocab, words=texts[first:stop],
                  lemmas=[k.lemma for k in keys[first:stop]])
        out = []
        for match_id, s, e in pats.matcher(doc):
            rule = doc.vocab.strings[match_id]
            start, end = matches[first + s].start(), matches[first + e - 1].end()
            out.append(Hit(rule, "token", pats.token_codes[rule], text[start:end], start, end,
                           TOKEN_WEIGHT))
        return out

    def _topic_codes(self, pats: Patterns, topic: str) -> list[tuple[str, str]]:
        """(code, its axis) a topic can take in this codebook; worked out once per topic."""
        key = (pats.lang, topic)
        found = self._topics.get(key)
        if found is None:
            found = self._topics[key] = [(c, c.split("/")[0]) for c in pats.topics[topic]
                                         if c in self.codebook]
        return found

    def _score(self, segment_id: int, hits: list[Hit], pats: Patterns) -> list[Suggestion]:
        support: dict[str, float] = defaultdict(float)
        asked: dict[str, float] = {}
        axis_hits: dict[str, list[Hit]] = defaultdict(list)
        cue_words: dict[str, set[str]] = defaultdict(set)
        vetoed: set[str] = set()
        topic_hits: dict[str, list[Hit]] = defaultdict(list)
        for h in hits:
            if h.kind == "veto":
                vetoed.add(h.target)
            elif h.kind == "topic":
                topic_hits[h.target].append(h)
            elif h.kind == "cue":
                if len(cue_words[h.target]) < 2 and fold(h.words) not in cue_words[h.target]:
                    cue_words[h.target].add(fold(h.words))
                    support[h.target] += CUE_WEIGHT * h.weight
                    axis_hits[h.target].append(h)
            elif h.kind == "question" and h.weight > asked.get(h.target, 0):
                support[h.target] += h.weight - asked.get(h.target, 0)  # one question an axis
                asked[h.target] = h.weight
                axis_hits[h.target].append(h)
            elif h.kind == "token":
                axis = h.target.split("/")[0]
                if not any(x.kind == "token" for x in axis_hits[axis]):
                    support[axis] += TOKEN_WEIGHT
                    axis_hits[axis].append(h)
        themes: dict[str, tuple[float, list[Hit]]] = {}
        for topic, found in topic_hits.items():
            distinct = len({fold(h.words) for h in found})
            codes = self._topic_codes(pats, topic)
            if vetoed:
                codes = [(c, a) for c, a in codes if c not in vetoed and a not in vetoed]
            one_axis = len({a for _, a in codes}) == 1
            for code, axis in codes:
                here = support.get(axis, 0.0)
                if one_axis:
                    # two words of the topic suffice unless another axis is better supported
                    ok = here >= SINGLE_AXIS_SUPPORT or (distinct >= 2 and here >= max(
                        (v for a, v in support.items() if a != axis), default=0.0))
                else:
                    ok = here >= THEME_AXIS_SUPPORT
                if ok:
                    score = min(distinct, 3) + here
                    best = themes.get(code)
                    if best is None or score > best[0]:
                        themes[code] = (score, found + axis_hits[axis])
        out = [_suggestion(segment_id, code, score, found, vetoed)
               for code, (score, found) in themes.items()]
        themed_axes = {code.split("/")[0] for code in themes}
        for axis in AXES:
            if axis not in themed_axes and axis not in vetoed and axis in self.codebook \
                    and support[axis] >= AXIS_ONLY_SUPPORT:
                out.append(_suggestion(segment_id, axis, support[axis], axis_hits[axis], vetoed))
        return out


_STARTS = attrgetter("starts")
_OPENS = attrgetter("opens")


def _hit(phrase: Phrase, fuzzy: bool, text: str, start: int, end: int, where: str) -> Hit:
    return Hit(phrase.rule + ".fuzzy" if fuzzy else phrase.rule, phrase.kind, phrase.target,
               text[start:end], start, end, 0.8 if fuzzy else 1.0, where)


def _merge(a: tuple, b: tuple) -> tuple:
    """Candidates found under two keys of a word, once each, in their `starts` order."""
    return tuple(sorted({entry[0]: entry for entry in a + b}.values(), key=itemgetter(0)))


def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop a match that lies inside a longer one ("alianza" inside "alianza del pacífico")."""
    kept: list[Hit] = []
    reach = -1  # the furthest end of a kept match that started earlier or here
    reach_start = -1
    for h in sorted(hits, key=lambda h: (h.start, -h.end)):
        if h.end < reach or (h.end == reach and h.start > reach_start):
            continue
        if h.end > reach:
            reach, reach_start = h.end, h.start
        kept.append(h)
    return kept


def _suggestion(segment_id: int, code: str, score: float, hits: list[Hit], vetoed: set[str]
                ) -> Suggestion:
    confidence = round(1 - math.exp(-score / 2), 3)
    evidence = {"score": round(score, 2), "rules": [h.evidence for h in hits]}
    if vetoed:
        evidence["vetoed"] = sorted(vetoed)
    return Suggestion(segment_id, code, confidence, evidence)
