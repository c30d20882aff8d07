"""Quote choice: the bounded search picks exactly what scoring every candidate would pick."""
from __future__ import annotations

import random

import pandas as pd

from qda.analysis.quotes import CANDIDATE_COLUMNS, QuoteChooser
from qda.privacy.redact import HiddenNames

WORDS = ("el presupuesto del programa no alcanzó para las regiones y la voluntad política "
         "fue clave durante la implementación porque las mujeres participaron en cada mesa "
         "de trabajo con el ministerio aunque faltaron datos").split()


class Exhaustive(QuoteChooser):
    """The same chooser scoring every open row, as it did before the bound."""

    def _best(self, rows, open_rows, chosen, keys):
        scored = [(self._score(rows[i], chosen, keys), -rows[i].segment_id, i) for i in open_rows]
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
                     "code": rng.choice(["challenges/budget", "positive_factors/political_will"]),
                     "text": text, "start": 0, "end": len(text),
                     "country": rng.choice(["Chile", "Peru", "Mexico", "Colombia"]),
                     "role": rng.choice(["expert", "implementer", "beneficiary"]),
                     "policy": "P", "status": rng.choice(["accepted", "suggested"]),
                     "codes_on_passage": rng.randint(1, 3),
                     "language": rng.choice(["es", "es", "en"]), "evidence": None})
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS), texts


def test_bounded_choice_equals_scoring_every_candidate() -> None:
    for seed in range(6):
        frame, texts = _candidates(seed)
        picks = []
        for kind in (QuoteChooser, Exhaustive):
            chooser = kind(frame, texts.__getitem__, HiddenNames.of([]), lang="es")
            picks.append([[q.segment_id for q in chooser.choose(code)]
                          for code in ("challenges/budget", "positive_factors/political_will")])
        assert picks[0] == picks[1], seed
        assert all(len(p) >= 2 for p in picks[0])
