"""Quote choice: the bounded search over scores computed as arrays picks exactly what scoring
every candidate one by one would pick, and reading the words of candidates only when they
are scored changes nothing; the rule matches it weighs passages by are the rule coder's,
found without spaCy's Matcher."""
from __future__ import annotations

import random

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from qda.analysis.quotes import CANDIDATE_COLUMNS, QuoteChooser, token_hits
from qda.coders.patterns import _compile
from qda.privacy.redact import HiddenNames

from .test_rules import EXTRA_PATTERNS, TOKEN_PATTERNS, TOKEN_WORDS

WORDS = ("el presupuesto del programa no alcanzó para las regiones y la voluntad política "
         "fue clave durante la implementación porque las mujeres participaron en cada mesa "
         "de trabajo con el ministerio aunque faltaron datos").split()
CODES = ("challenges/budget", "positive_factors/political_will")


def _untrimmed(chooser: QuoteChooser, row, chosen, keys) -> float:
    """A row's score before trimming, written out row by row."""
    score = 0.5 / max(1, row.codes_on_passage)
    score += 0.5 if row.status == "accepted" else 0.0
    if chooser.lang and row.language and row.language != chooser.lang:
        score -= 3.0
    for weight, key in zip((3.0, 1.5, 1.0), keys):
        if all(getattr(q, key) != getattr(row, key) for q in chosen):
            score += weight
    if any(q.document == row.document for q in chosen):
        score -= 4.0
    quoted = chooser._quoted
    return (score - 0.4 * quoted[row.document] - 0.2 * quoted[row.country]
            - 0.1 * quoted[row.role])


class Exhaustive(QuoteChooser):
    """The same chooser scoring every open row one by one, as it did before the bound."""

    def _best(self, pool, open_rows, chosen, keys, untrimmed):
        scored = []
        for i in map(int, open_rows):
            row = pool.row(i)
            bound = _untrimmed(self, row, chosen, keys)
            assert untrimmed[i] == bound  # the arrays say exactly what the rows say
            scored.append((self._score_trimmed(row) + bound, -row.segment_id, i))
        return max(scored)[2] if scored else None


def _candidates(seed: int, n: int = 120) -> tuple[pd.DataFrame, dict[int, str]]:
    rng = random.Random(seed)
    rows, texts = [], {}
    for i in range(n):
        sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30))).capitalize()
                     + "." for _ in range(rng.randint(1, 6))]
        text = " ".join(sentences)
        texts[i] = text
        rows.append({"segment_id": i + 1, "document": f"D{i % 17}", "document_id": i,
                     "code": rng.choice(CODES),
                     "text": text, "start": 0, "end": len(text),
                     "country": rng.choice(["Chile", "Peru", "Mexico", "Colombia"]),
                     "role": rng.choice(["expert", "implementer", "beneficiary"]),
                     "policy": "P", "status": rng.choice(["accepted", "suggested"]),
                     "codes_on_passage": rng.randint(1, 3),
                     "language": rng.choice(["es", "es", "en"]), "evidence": None})
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS), texts


def _picks(chooser: QuoteChooser) -> list[list[int]]:
    return [[q.segment_id for q in chooser.choose(code)] for code in CODES]


def test_bounded_choice_equals_scoring_every_candidate() -> None:
    for seed in range(6):
        frame, texts = _candidates(seed)
        picks = [_picks(kind(frame, texts.__getitem__, HiddenNames.of([]), lang="es"))
                 for kind in (QuoteChooser, Exhaustive)]
        assert picks[0] == picks[1], seed
        assert all(len(p) >= 2 for p in picks[0])


def test_words_read_only_for_the_candidates_scored_in_full() -> None:
    frame, texts = _candidates(7, n=400)
    whole = QuoteChooser(frame, texts.__getitem__, HiddenNames.of([]), lang="es")
    read: list[int] = []

    def words(row):
        read.append(row.segment_id)
        return texts[row.document_id], None
    lean = QuoteChooser(frame.assign(text=None), texts.__getitem__, HiddenNames.of([]),
                        lang="es", words=words)
    assert _picks(lean) == _picks(whole)
    assert [q.text for q in lean.choose("challenges/budget")] == \
        [q.text for q in whole.choose("challenges/budget")]
    assert read and set(read) == {segment for segment, _ in lean._trims}  # no other


@given(st.lists(st.sampled_from(TOKEN_WORDS), max_size=30), st.sampled_from(list(EXTRA_PATTERNS)))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_token_patterns_found_without_the_matcher_are_the_matchers(words, extra):
    """Loaded for the quote chooser (`matcher=False`), token patterns are matched in Python:
    every match spaCy's Matcher finds on the whole passage, and no other; a pattern Python
    cannot match (sentence starts) keeps the Matcher."""
    data = {"language": "en", "tokens": TOKEN_PATTERNS + EXTRA_PATTERNS[extra]}
    light, full = _compile(data, matcher=False), _compile(data)
    assert (light.matcher is None) == (light.simple is not None)
    if light.matcher is not None:
        return
    text = " ".join(words)
    matches, texts, keys = scanned = light.scan(text)
    doc = Doc(full.matcher.vocab, words=texts, lemmas=[k.lemma for k in keys])
    whole = [(full.token_codes[doc.vocab.strings[m]], "token", matches[s].start(),
              matches[e - 1].end()) for m, s, e in full.matcher(doc)]
    assert sorted(token_hits(light, scanned)) == sorted(whole)
