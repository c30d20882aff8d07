"""The rule coder: bilingual lemma patterns, scored sentence by sentence and explained.

Each passage collects evidence: topic words (what it is about), function wording (cues,
token patterns and sentence openings: what it does, an enabler, an obstacle, what lasts, a
lesson, a proposal), the interviewer's question it answers, and vetoes. The five axes are
ranked for every passage; the top one is suggested from a low score on (a theme of it when a
topic fits), other axes when their support is strong. Every suggestion keeps the rules and
the words, with their offsets in the passage, and the ranking behind it.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from functools import lru_cache
from itertools import compress, islice
from operator import attrgetter, itemgetter, not_
from typing import Any, NamedTuple

import pandas as pd

from qda.codebook.model import Codebook
from qda.coders import patterns as pattern_data
from qda.coders.base import Suggestion
from qda.coders.patterns import Patterns, Phrase, Word, fold
from qda.vocab import AXES

CUE_WEIGHT = 1.0
TOKEN_WEIGHT = 1.0
OPENING_WEIGHT = 1.5  # a sentence that opens with a proposal verb is a proposal
SENTENCE_CAP = 1.5  # one sentence counts at most this much for an axis
FRAMED_WEIGHT = 0.5  # in a sentence that draws a lesson or proposes, the rest is its content
QUESTION_WEIGHT = 1.2  # the question right before the passage
EARLIER_QUESTION_WEIGHT = 1.0  # the question before a follow-up
TOPIC_PRIOR = 0.35  # a topic, alone, points at its most likely axis
TOPIC_PRIOR_CAP = 0.7
MIN_TOP = 0.3  # the top-ranked axis is suggested from this score on
THEME_BONUS = 0.25  # per topic word, up to three: a theme ranks just above its bare axis
THEME_AXIS_SUPPORT = 0.7  # a shared topic needs this much support for an axis
SINGLE_AXIS_SUPPORT = 0.5  # a topic of one axis needs this much, or two of its words
AXIS_ONLY_SUPPORT = 1.5  # a bare axis needs this much
_FUNCTION = {"cue": CUE_WEIGHT, "token": TOKEN_WEIGHT, "opening": OPENING_WEIGHT}
_ENDS = frozenset(".!?…")
# a cue right after a negation ("no", "not", "nunca", "never", "sin", "without")
_NEGATION = re.compile(r"\b(?:no|not|nunca|never|sin|without|n't)\s+(?:\w+\s+)?$", re.I)
_NEGATED = {"positive_factors": "challenges", "challenges": None}


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
        self._axes = {a: i for i, a in enumerate(AXES) if a in codebook}  # in guide order
        self._topics = {lang: {topic: _topic_codes(codebook, codes)
                               for topic, codes in pats.topics.items()}
                        for lang, pats in self.patterns.items()}

    def fit(self, passages: pd.DataFrame, codes: pd.Series | None = None) -> RuleCoder:
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
        scanned = pats.scan(text)
        hits = [h for h in self.find(text, pats, scanned=scanned)
                if h.evidence["kind"] != "question"]
        word_ends, texts = scanned[0], scanned[1]
        # sentence ends (the words that end one), and where each sentence starts
        stops = list(compress(range(len(texts)), map(_ENDS.__contains__, texts)))
        if pats.leads:
            hits += _lead_hits(text, scanned, pats, stops)
        asked = self._asked(question, pats, "question", QUESTION_WEIGHT)
        if not asked:  # a follow-up ("¿y cómo?") leaves the question before it in force
            asked = self._asked(previous_question, pats, "earlier question",
                                EARLIER_QUESTION_WEIGHT)
        ends = [word_ends[i] - 1 for i in stops]  # a sentence's end mark is one character
        return self._score(segment_id, text, hits + asked, pats, ends)

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

    def find(self, text: str, pats: Patterns, where: str = "passage",
             scanned: tuple[list[int], list[str], list[Word]] | None = None) -> list[Hit]:
        """Every phrase and token-pattern match in `text` (`scanned`: its words, if already
        cut); a match inside a longer one is dropped ("alianza" inside "alianza del
        pacífico")."""
        ends, texts, keys = scanned if scanned is not None else pats.scan(text)
        hits: list[Hit] = []
        add = hits.append
        reach = reach_start = -1  # the furthest end of a kept match, and where that one starts
        count = len(keys)
        # Where a match can start: a one-word phrase, or the first word of a longer one with
        # a word after it that can be its second. Most words that begin phrases ("la", "the")
        # begin none in a given place, and C-level loops find the few that do.
        alone_at = compress(range(count), map(_ALONE, keys))
        pair_at = compress(range(count), map(not_, map(
            frozenset.isdisjoint, map(_NEXTS, keys), map(_LOOKUP, islice(keys, 1, None)))))
        for i in sorted({*alone_at, *pair_at}):
            word = keys[i]
            then, alone = word.then, word.alone
            longer = ()
            if then and i + 1 < count:
                # longer phrases: only those whose second word is the next word's are tried
                found = None
                for key in keys[i + 1].lookup:
                    more = then.get(key)
                    if more:
                        found = more if found is None else _merge(found, more)
                if found:
                    longer = _longer(i, keys, found)
            if not longer and not alone:
                continue
            end = ends[i]
            start = end - len(texts[i])
            # matches starting here, longest first: a match ending before the reach of one
            # kept before it lies inside that one
            for n, phrase, fuzzy in longer:
                stop = ends[i + n - 1]
                if stop < reach or (stop == reach and start > reach_start):
                    continue
                if stop > reach:
                    reach, reach_start = stop, start
                target, rule, kind, weight = phrase.head(fuzzy)
                add(_new(Hit, (target, {"rule": rule, "kind": kind, "words": text[start:stop],
                                        "start": start, "end": stop, "weight": weight,
                                        "where": where})))
            if alone and not (end < reach or (end == reach and start > reach_start)):
                if end > reach:
                    reach, reach_start = end, start
                words = texts[i]
                for target, rule, kind, weight in alone:
                    add(_new(Hit, (target, {"rule": rule, "kind": kind, "words": words,
                                            "start": start, "end": end, "weight": weight,
                                            "where": where})))
        if where == "passage" and pats.tokens:
            hits += self._token_hits(text, ends, texts, keys, pats)
        return hits

    def _token_hits(self, text: str, ends: list[int], texts: list[str], keys: list[Word],
                    pats: Patterns) -> list[Hit]:
        """Token-pattern matches in the order they appear in the passage: found in Python
        when the patterns test plain words, else by spaCy's Matcher on Docs built from the
        same tokens with their lemmas.

        Matching is sought only where a match can start (first and second words fit some
        pattern), from such a start to the furthest a match from there can reach, overlapping
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
        matches = pats.token_matches if pats.simple is not None else pats.matcher_matches
        tokens, codes = pats.tokens, pats.token_codes
        out = []
        for first, stop in windows:
            for s, e, index in matches(texts, keys, first, stop):
                rule = tokens[index]["id"]
                start, end = ends[s] - len(texts[s]), ends[e - 1]
                out.append(_hit(codes[rule], rule, "token", text[start:end], start, end,
                                TOKEN_WEIGHT, "passage"))
        return out

    def _score(self, segment_id: int, text: str, hits: list[Hit], pats: Patterns,
               ends: list[int]) -> list[Suggestion]:
        """Rank the five axes, then choose codes.

        Function wording (cues, token patterns, sentence openings) is weighed sentence by
        sentence: each sentence counts at most SENTENCE_CAP for an axis, and in a sentence
        that draws a lesson, or else proposes, the other axes' wording counts half (it is
        what the lesson or proposal is about). The question adds its axis; each topic adds a
        little to its most likely axis. The top axis is suggested whenever its score reaches
        MIN_TOP (a theme of it if a topic fits), others when their own support is strong."""
        if not hits:
            return []
        by_sentence: dict[tuple[int, str], float] = {}  # (sentence, axis) -> its wording
        counted: set[tuple[int, str, str]] = set()
        axis_hits: dict[str, list[Hit]] = defaultdict(list)
        support: dict[str, float] = defaultdict(float)
        asked: dict[str, float] = {}
        vetoed: set[str] = set()
        topic_hits: dict[str, list[Hit]] = defaultdict(list)
        for h in hits:
            target, ev = h
            kind = ev["kind"]
            if kind == "topic":
                topic_hits[target].append(h)
            elif kind in _FUNCTION:
                start = ev["start"]
                if kind == "cue":
                    axis, what = target, fold(ev["words"])
                    if axis in _NEGATED and _NEGATION.search(text, max(0, start - 12), start):
                        # "no funcionó", "not a problem": an enabler denied is an obstacle,
                        # an obstacle denied says nothing
                        axis = _NEGATED[axis]
                        if axis is None:
                            continue
                        h = Hit(axis, {**ev, "rule": ev["rule"] + ".negated"})
                else:
                    axis, what = target.split("/")[0] if kind == "token" else target, kind
                sentence = bisect_right(ends, start) if ends else 0
                key = (sentence, axis, what)
                if key not in counted:  # the same word twice in a sentence counts once
                    counted.add(key)
                    at = (sentence, axis)
                    by_sentence[at] = by_sentence.get(at, 0.0) + ev["weight"] * _FUNCTION[kind]
                    axis_hits[axis].append(h)
            elif kind == "question":
                weight = ev["weight"]
                before = asked.get(target, 0)
                if weight > before:
                    support[target] += weight - before  # one question an axis
                    asked[target] = weight
                    axis_hits[target].append(h)
            elif kind == "veto":
                vetoed.add(target)
        if by_sentence:
            # sentences that draw a lesson, and those that propose
            lessons = {s for s, axis in by_sentence if axis == "lessons_learned"}
            proposals = {s for s, axis in by_sentence if axis == "recommendations"}
            for (sentence, axis), weight in by_sentence.items():
                if weight > SENTENCE_CAP:
                    weight = SENTENCE_CAP
                if sentence in lessons:
                    if axis != "lessons_learned":
                        weight *= FRAMED_WEIGHT
                elif sentence in proposals and axis != "recommendations":
                    weight *= FRAMED_WEIGHT
                support[axis] += weight
        topics = self._topics[pats.lang]
        found_topics: dict[str, tuple[list[tuple[str, str]], bool, int]] = {}
        score = dict(support)
        prior: dict[str, float] = defaultdict(float)
        for topic, found in topic_hits.items():
            distinct = len({fold(h.evidence["words"]) for h in found}) if len(found) > 1 else 1
            codes, one_axis = topics[topic]
            if vetoed:
                codes = [(c, a) for c, a in codes if c not in vetoed and a not in vetoed]
                one_axis = len({a for _, a in codes}) == 1
            if codes:
                found_topics[topic] = (codes, one_axis, distinct)
                prior[codes[0][1]] += TOPIC_PRIOR
        for axis, weight in prior.items():
            score[axis] = score.get(axis, 0.0) + min(weight, TOPIC_PRIOR_CAP)
        axes = self._axes
        ranked = [a for _, _, _, a in sorted(
            (-value, -support.get(a, 0.0), axes[a], a) for a, value in score.items()
            if value > 0 and a in axes and a not in vetoed)]
        top = ranked[0] if ranked and score[ranked[0]] >= MIN_TOP else None
        themes: dict[str, tuple[float, list[Hit]]] = {}
        for topic, (codes, one_axis, distinct) in found_topics.items():
            found = topic_hits[topic]
            for code, axis in codes:
                here = support.get(axis, 0.0)
                if axis == top:
                    ok = True
                elif one_axis:
                    # two words of the topic suffice unless another axis is better supported
                    ok = here >= SINGLE_AXIS_SUPPORT or (distinct >= 2 and here >= max(
                        (v for a, v in support.items() if a != axis), default=0.0))
                else:
                    ok = here >= THEME_AXIS_SUPPORT
                if ok:
                    value = score.get(axis, 0.0) + THEME_BONUS * min(distinct, 3)
                    best = themes.get(code)
                    if best is None or value > best[0]:
                        themes[code] = (value, found + axis_hits[axis])
        ranking = {a: round(score[a], 2) for a in ranked}
        out = [_suggestion(segment_id, code, value, found, vetoed, ranking)
               for code, (value, found) in themes.items()]
        themed_axes = {code.split("/")[0] for code in themes}
        for axis in ranked:
            if axis not in themed_axes and (axis == top or support[axis] >= AXIS_ONLY_SUPPORT):
                out.append(_suggestion(segment_id, axis, score[axis], axis_hits[axis], vetoed,
                                       ranking))
        return out


_ALONE = attrgetter("alone")
_NEXTS = attrgetter("nexts")
_LOOKUP = attrgetter("lookup")
_new = tuple.__new__  # a Hit without the Python-level NamedTuple constructor
_OPENS = attrgetter("opens")


def _hit(target: str, rule: str, kind: str, words: str, start: int, end: int, weight: float,
         where: str) -> Hit:
    return _new(Hit, (target, {"rule": rule, "kind": kind, "words": words, "start": start,
                               "end": end, "weight": weight, "where": where}))


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
            if got.form in (want_lemma, want_form) or (
                    got.lemma in (want_lemma, want_form) and not phrase.exact):
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
    """Candidates found under two keys of a word, once each, in their `then` order."""
    return tuple(sorted({entry[0]: entry for entry in a + b}.values(), key=itemgetter(0)))


def _lead_hits(text: str, scanned: tuple[list[int], list[str], list[Word]],
               pats: Patterns, stops: list[int]) -> list[Hit]:
    """What the opening word of each sentence says ("Fortalecer...", "Strengthen...");
    `stops`: the words that end sentences."""
    ends, texts, keys = scanned
    count = len(keys)
    out: list[Hit] = []
    for i in [0, *(stop + 1 for stop in stops)]:
        while i < count and not texts[i][0].isalpha():  # list marks, quotes, numbers
            if texts[i] in _ENDS:
                break
            i += 1
        if i >= count or texts[i] in _ENDS:
            continue
        after = keys[i + 1] if i + 1 < count else None
        for lead in pats.leads:
            weight = lead.weight(keys[i], after, pats.lang)
            if weight:
                end = ends[i]
                out.append(_hit(lead.axis, f"{pats.lang}.opening.{lead.axis}", "opening",
                                texts[i], end - len(texts[i]), end, weight, "passage"))
    return out


def _suggestion(segment_id: int, code: str, score: float, hits: list[Hit], vetoed: set[str],
                ranking: dict[str, float]) -> Suggestion:
    confidence, shown = _confidence(score)
    evidence = {"score": shown, "axes": ranking, "rules": [h.evidence for h in hits]}
    if vetoed:
        evidence["vetoed"] = sorted(vetoed)
    return Suggestion(segment_id, code, confidence, evidence)


@lru_cache(maxsize=4096)
def _confidence(score: float) -> tuple[float, float]:
    """A score's confidence and its rounded value; scores take few distinct values."""
    return round(1 - math.exp(-score / 2), 3), round(score, 2)
