"""Codes that occur together, in the same passage and in the same interview.

Counts say how often; the Jaccard coefficient (units with both codes / units with either)
says how strongly, independent of how common each code is, so a pair of rare codes that
always come together stands out beside a pair of common ones that meet by chance.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from qda.analysis.cases import CaseData, as_cases, axis_of
from qda.errors import UsageError
from qda.lang import check_lang
from qda.project import Project

LEVELS = ("code", "axis")
COLUMNS = ["code_a", "code_b", "label_a", "label_b", "passages", "passages_a", "passages_b",
           "passage_jaccard", "interviews", "interviews_a", "interviews_b",
           "interview_jaccard"]


def cooccurrence(source: Project | CaseData, level: str = "code", lang: str = "en"
                 ) -> pd.DataFrame:
    """One row per pair of codes raised together in at least one interview.

    `level="code"` pairs codes as coded (themes, and axes coded without a theme);
    `level="axis"` first lifts every coding to its axis. Accepted codings only. Rows are
    sorted by passages together, then interviews together.
    """
    if level not in LEVELS:
        raise UsageError(f"--level must be one of {', '.join(LEVELS)}, not '{level}'")
    check_lang(lang)
    cases = as_cases(source)
    codings = cases.accepted[["document", "segment_id", "code"]]
    if level == "axis":
        codings = codings.assign(code=codings["code"].map(axis_of))
    order = [c.path for c in cases.codes]
    if level == "axis":
        order = list(dict.fromkeys(axis_of(c) for c in order))
    present = set(codings["code"].unique())
    codes = [c for c in order if c in present]
    if len(codes) < 2:
        return pd.DataFrame(columns=COLUMNS)
    position = {c: i for i, c in enumerate(codes)}
    together_p, alone_p = _together(codings, "segment_id", position)
    together_i, alone_i = _together(codings, "document", position)
    a, b = np.nonzero(np.triu(together_i, k=1))
    frame = pd.DataFrame({
        "code_a": [codes[i] for i in a], "code_b": [codes[j] for j in b],
        "passages": together_p[a, b], "passages_a": alone_p[a], "passages_b": alone_p[b],
        "interviews": together_i[a, b], "interviews_a": alone_i[a], "interviews_b": alone_i[b],
    })
    frame["label_a"] = frame["code_a"].map(lambda c: cases.label(c, lang))
    frame["label_b"] = frame["code_b"].map(lambda c: cases.label(c, lang))
    for unit in ("passage", "interview"):
        both = frame[f"{unit}s"]
        either = frame[f"{unit}s_a"] + frame[f"{unit}s_b"] - both
        frame[f"{unit}_jaccard"] = both / either
    frame = frame.sort_values(["passages", "interviews", "passage_jaccard"], ascending=False,
                              kind="stable")
    return frame[COLUMNS].reset_index(drop=True)


def _together(codings: pd.DataFrame, unit: str, position: dict[str, int]
              ) -> tuple[np.ndarray, np.ndarray]:
    """(units holding both codes as a code x code matrix, units holding each code)."""
    from scipy import sparse  # imported here so that `qda summary` starts faster
    unit_index, units = pd.factorize(codings[unit])
    code_index = codings["code"].map(position).to_numpy()
    incidence = sparse.csr_matrix(
        (np.ones(len(codings), dtype=np.int64), (unit_index, code_index)),
        shape=(len(units), len(position)))
    incidence.data[:] = 1  # duplicates were summed: a unit holds a code or not
    both = (incidence.T @ incidence).toarray()
    return both, np.diag(both).copy()
