"""The rule coder: bilingual lemma patterns, scored and explained.

Each passage collects evidence: topic words (what it is about), cue wording (what it does:
an enabler, an obstacle, what lasts, a lesson, a suggestion), the interviewer's question it
answers, token patterns, and vetoes. A theme is suggested when its topic is present and its
axis is supported; an axis alone when its support is strong but no theme fits. Every
suggestion keeps the rules and the words, with their offsets in the passage, behind it.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace

import pandas as pd
from spacy.tokens import Doc

from ..codebook import Codebook
from ..models import AXES
from . import patterns as pattern_data
from .base import Suggestion
from .patterns import Patterns, fold

CUE_WEIGHT = 1.0
TOKEN_WEIGHT = 1.0
QUESTION_WEIGHT = 0.8  # the question right before the passage
EARLIER_QUESTION_WEIGHT = 0.7  # the question before a follow-up
THEME_AXIS_SUPPORT = 0.7  # a shared topic needs this much support for an axis
SINGLE_AXIS_SUPPORT = 0.5  # a topic of one axis needs this much, or two of its words
AXIS_ONLY_SUPPORT = 1.5  # a bare axis needs this much


@dataclass
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
        tokens = pattern_data.words(text)
        keys = [pats.token_keys(w) for w, _, _ in tokens]
        hits: list[Hit] = []
        count = len(keys)
        for i, word in enumerate(keys):
            for phrase in word.starts:
                n = len(phrase.keys)
                if i + n > count:
                    continue
                if n > 1:  # most candidates fail on their second word: test it first
                    nxt = keys[i + 1]
                    if nxt.lemma not in phrase.second and nxt.form not in phrase.second and (
                            nxt.slip_of is None or nxt.slip_of not in phrase.second):
                        continue
                fuzzy = False
                for k in range(n):
                    want_lemma, want_form = phrase.keys[k]
                    got = keys[i + k]
                    if got.lemma in (want_lemma, want_form) or got.form in (want_lemma, want_form):
                        continue
                    if got.slip_of and got.slip_of == want_form and phrase.kind == "topic":
                        fuzzy = True
                        continue
                    break
                else:
                    start, end = tokens[i][1], tokens[i + n - 1][2]
                    hits.append(Hit(phrase.rule + (".fuzzy" if fuzzy else ""), phrase.kind,
                                    phrase.target, text[start:end], start, end,
                                    0.8 if fuzzy else 1.0, where))
        hits = _longest(hits)
        if where == "passage" and pats.matcher is not None and (
                pats.triggers is None or not pats.triggers.isdisjoint(
                    [k.lemma for k in keys] + [k.form for k in keys])):
            hits += self._token_hits(text, tokens, keys, pats)
        return hits

    def _token_hits(self, text: str, tokens: list[tuple[str, int, int]], keys: list,
                    pats: Patterns) -> list[Hit]:
        """Token-pattern matches, on a Doc built from the same tokens with their lemmas."""
        doc = Doc(pats.matcher.vocab, words=[w for w, _, _ in tokens],
                  lemmas=[k.lemma for k in keys])
        out = []
        for match_id, s, e in pats.matcher(doc):
            rule = doc.vocab.strings[match_id]
            start, end = tokens[s][1], tokens[e - 1][2]
            out.append(Hit(rule, "token", pats.token_codes[rule], text[start:end], start, end,
                           TOKEN_WEIGHT))
        return out

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
            distinct = {fold(h.words) for h in found}
            codes = [c for c in pats.topics[topic] if c in self.codebook and c not in vetoed
                     and c.split("/")[0] not in vetoed]
            axes = {c.split("/")[0] for c in codes}
            for code in codes:
                axis = code.split("/")[0]
                if len(axes) == 1:
                    # two words of the topic suffice unless another axis is better supported
                    rival = max((v for a, v in support.items() if a != axis), default=0.0)
                    ok = support[axis] >= SINGLE_AXIS_SUPPORT or (
                        len(distinct) >= 2 and support[axis] >= rival)
                else:
                    ok = support[axis] >= THEME_AXIS_SUPPORT
                if ok:
                    score = min(len(distinct), 3) + support[axis]
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
