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
from functools import lru_cache
from itertools import compress
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

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


class Hit(NamedTuple):
    """One match: the topic, axis or code it speaks for, and its evidence record (rule, kind,
    words, offsets, weight, where), made once however many suggestions cite it."""

    target: str
    evidence: dict[str, Any]

    @property
    def rule(self) -> str:
        return self.evidence["rule"]

    @property
    def kind(self) -> str:
        return self.evidence["kind"]

    @property
    def start(self) -> int:
        return self.evidence["start"]

    @property
    def end(self) -> int:
        return self.evidence["end"]


class RuleCoder:
    """Suggests codes from pattern evidence; needs no training (`fit` only checks input)."""

    name = "rules"
    kind = "rules"

    def __init__(self, codebook: Codebook, patterns: dict[str, Patterns] | None = None):
        self.codebook = codebook
        self.patterns = patterns if patterns is not None else pattern_data.load(codebook)
        self.version = pattern_data.patterns_hash(codebook)
        self._questions: dict[tuple[str, str, str], list[Hit]] = {}
        # per language and topic: (code, its axis) the topic can take in this codebook, and
        # whether they are all of one axis
        self._topics = {lang: {topic: _topic_codes(codebook, codes)
                               for topic, codes in pats.topics.items()}
                        for lang, pats in self.patterns.items()}

    def fit(self, passages: pd.DataFrame, codes: pd.Series | None = None) -> "RuleCoder":
        return self

    def suggest(self, passages: pd.DataFrame) -> list[Suggestion]:
        out: list[Suggestion] = []
        fallback = next(iter(self.patterns))
        columns = ("segment_id", "text", "language", "question", "previous_question")
        for segment_id, text, lang, question, previous in zip(
                *(passages[c].tolist() for c in columns)):
            out.extend(self.suggest_one(segment_id, text, lang if lang in self.patterns
                                        else fallback, question, previous))
        return out

    # -- one passage --------------------------------------------------------------------------
    def suggest_one(self, segment_id: int, text: str, lang: str, question: str | None = None,
                    previous_question: str | None = None) -> list[Suggestion]:
        pats = self.patterns[lang]
        hits = [h for h in self.find(text, pats) if h.evidence["kind"] != "question"]
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
                Hit(h.target, {**h.evidence, "kind": "question", "weight": weight})
                for h in self.find(question, pats, where) if h.kind in ("question", "cue")]
        return self._questions[key]

    def find(self, text: str, pats: Patterns, where: str = "passage") -> list[Hit]:
        """Every phrase and token-pattern match in `text`; a match inside a longer one is
        dropped ("alianza" inside "alianza del pacífico")."""
        matches, texts, keys = pats.scan(text)
        hits: list[Hit] = []
        reach = reach_start = -1  # the furthest end of a kept match, and where that one starts
        count = len(keys)
        for i in compress(range(count), map(_STARTS, keys)):
            word = keys[i]
            longer = ()
            if word.then and i + 1 < count:
                # longer phrases: only those whose second word is the next word's are tried
                found = None
                for key in keys[i + 1].lookup:
                    more = word.then.get(key)
                    if more:
                        found = more if found is None else _merge(found, more)
                if found:
                    longer = _longer(i, keys, found)
            if not longer and not word.alone:
                continue
            start, end = matches[i].span()
            # matches starting here, longest first: a match ending before the reach of one
            # kept before it lies inside that one
            for n, phrase, fuzzy in longer:
                stop = matches[i + n - 1].end()
                if stop < reach or (stop == reach and start > reach_start):
                    continue
                if stop > reach:
                    reach, reach_start = stop, start
                target, rule, kind, weight = phrase.head(fuzzy)
                hits.append(_hit(target, rule, kind, text[start:stop], start, stop, weight, where))
            if word.alone and not (end < reach or (end == reach and start > reach_start)):
                if end > reach:
                    reach, reach_start = end, start
                words = texts[i]
                for target, rule, kind, weight in word.alone:
                    hits.append(_hit(target, rule, kind, words, start, end, weight, where))
        if where == "passage" and pats.matcher is not None:
            hits += self._token_hits(text, matches, texts, keys, pats)
        return hits

    def _token_hits(self, text: str, matches: list[re.Match], texts: list[str], keys: list[Word],
                    pats: Patterns) -> list[Hit]:
        """Token-pattern matches, on Docs built from the same tokens with their lemmas.

        Building and walking Docs is most of the Matcher's cost, so Docs are built only where
        a match can start (first and second words fit some pattern), each holding only the
        words from such a start to the furthest a match from there can reach, overlapping
        windows joined (when patterns test tokens one by one, a window matches as the whole
        passage would)."""
        count = len(keys)
        windows = [(0, count)]
        if pats.openings is not None:
            starts = [i for i in compress(range(count), map(_OPENS, keys))
                      if keys[i].opens & pats.loose
                      or (i + 1 < count and keys[i].opens & keys[i + 1].follows)]
            if not starts:
                return []
            if pats.steps is not None:
                windows = []
                for i in starts:
                    end = max(pats.match_end(index, i, keys) for index in keys[i].opens)
                    if windows and i < windows[-1][1]:
                        windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
                    else:
                        windows.append((i, end))
        out = []
        vocab, matcher, strings = pats.matcher.vocab, pats.matcher, pats.matcher.vocab.strings
        for first, stop in windows:
            doc = Doc(vocab, words=texts[first:stop], lemmas=[k.lemma for k in keys[first:stop]])
            for match_id, s, e in matcher(doc):
                rule = strings[match_id]
                start, end = matches[first + s].start(), matches[first + e - 1].end()
                out.append(_hit(pats.token_codes[rule], rule, "token", text[start:end], start,
                                end, TOKEN_WEIGHT, "passage"))
        return out

    def _score(self, segment_id: int, hits: list[Hit], pats: Patterns) -> list[Suggestion]:
        support: dict[str, float] = defaultdict(float)
        asked: dict[str, float] = {}
        axis_hits: dict[str, list[Hit]] = defaultdict(list)
        cue_words: dict[str, set[str]] = defaultdict(set)
        vetoed: set[str] = set()
        topic_hits: dict[str, list[Hit]] = defaultdict(list)
        for h in hits:
            target, ev = h
            kind = ev["kind"]
            if kind == "topic":
                topic_hits[target].append(h)
            elif kind == "cue":
                seen = cue_words[target]
                if len(seen) < 2 and (word := fold(ev["words"])) not in seen:
                    seen.add(word)
                    support[target] += CUE_WEIGHT * ev["weight"]
                    axis_hits[target].append(h)
            elif kind == "question":
                weight = ev["weight"]
                before = asked.get(target, 0)
                if weight > before:
                    support[target] += weight - before  # one question an axis
                    asked[target] = weight
                    axis_hits[target].append(h)
            elif kind == "veto":
                vetoed.add(target)
            elif kind == "token":
                axis = target.split("/")[0]
                if not any(x.kind == "token" for x in axis_hits[axis]):
                    support[axis] += TOKEN_WEIGHT
                    axis_hits[axis].append(h)
        themes: dict[str, tuple[float, list[Hit]]] = {}
        topics = self._topics[pats.lang]
        for topic, found in topic_hits.items():
            distinct = len({fold(h.evidence["words"]) for h in found}) if len(found) > 1 else 1
            codes, one_axis = topics[topic]
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


def _hit(target: str, rule: str, kind: str, words: str, start: int, end: int, weight: float,
         where: str) -> Hit:
    return Hit(target, {"rule": rule, "kind": kind, "words": words, "start": start, "end": end,
                        "weight": weight, "where": where})


def _topic_codes(codebook: Codebook, codes: list[str]) -> tuple[list[tuple[str, str]], bool]:
    found = [(c, c.split("/")[0]) for c in codes if c in codebook]
    return found, len({a for _, a in found}) == 1


def _longer(i: int, keys: list[Word], found: tuple[tuple[int, Phrase, bool], ...]
            ) -> list[tuple[int, Phrase, bool]]:
    """Of the candidate phrases found at word i, those whose every word matches, longest
    first, as (words, phrase, fuzzy)."""
    count = len(keys)
    out = []
    for _, phrase, fuzzy in found:
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
            out.append((n, phrase, fuzzy))
    if len(out) > 1:
        out.sort(key=itemgetter(0), reverse=True)  # stable: ties keep their order
    return out


def _merge(a: tuple, b: tuple) -> tuple:
    """Candidates found under two keys of a word, once each, in their `starts` order."""
    return tuple(sorted({entry[0]: entry for entry in a + b}.values(), key=itemgetter(0)))


def _suggestion(segment_id: int, code: str, score: float, hits: list[Hit], vetoed: set[str]
                ) -> Suggestion:
    confidence, shown = _confidence(score)
    evidence = {"score": shown, "rules": [h.evidence for h in hits]}
    if vetoed:
        evidence["vetoed"] = sorted(vetoed)
    return Suggestion(segment_id, code, confidence, evidence)


@lru_cache(maxsize=4096)
def _confidence(score: float) -> tuple[float, float]:
    """A score's confidence and its rounded value; scores take few distinct values."""
    return round(1 - math.exp(-score / 2), 3), round(score, 2)
