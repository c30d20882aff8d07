"""How well a coder reproduces a reference coder: per-code precision, recall, F1 and kappa.

Scores are computed per code over the passages the reference coder decided on (for the
learning coders by cross-validation across documents), at axis level (a theme counts for its
axis) or theme level (bare axis codes left out), with macro averages and a majority baseline
beside them so the numbers mean something.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from .. import progress
from ..errors import QdaError
from ..project import Project
from .base import Suggestion, passages
from .model import ModelCoder
from .rules import RuleCoder
from .training import training_set

LEVELS = ("axis", "theme")
CODERS = ("rules", "model", "both")


def to_level(codes: pd.Series, level: str) -> pd.Series:
    """Code paths at the chosen level: their axis, or only the themes."""
    if level == "axis":
        return codes.str.split("/").str[0]
    return codes[codes.str.contains("/", regex=False)]


def reference_matrix(project: Project, reference: str, level: str) -> pd.DataFrame:
    """0/1 table: one row per passage the reference decided on, one column per code."""
    reviews = project.store.reviews_frame()
    units = sorted(reviews.loc[reviews.coder == reference, "segment_id"].unique())
    if not units:
        raise QdaError(f"coder '{reference}' has decided on no passage in this project; "
                       "import their codings with 'qda import-codings'")
    codings = project.codings_frame(status="accepted")
    codings = codings[codings.coder == reference]
    return _matrix(codings.segment_id, to_level(codings.code, level), units, project, level)


def suggestion_matrix(suggestions: list[Suggestion], units: list[int], project: Project,
                      level: str) -> pd.DataFrame:
    frame = pd.DataFrame([(s.segment_id, s.code) for s in suggestions],
                         columns=["segment_id", "code"])
    return _matrix(frame.segment_id, to_level(frame.code, level), units, project, level)


def _matrix(segment_ids: pd.Series, codes: pd.Series, units: list[int], project: Project,
            level: str) -> pd.DataFrame:
    columns = [c.path for c in project.codebook.codes if (c.theme is None) == (level == "axis")]
    table = pd.DataFrame(0, index=pd.Index(units, name="segment_id"), columns=columns)
    pairs = pd.DataFrame({"segment_id": segment_ids.loc[codes.index], "code": codes})
    pairs = pairs[pairs.segment_id.isin(table.index) & pairs.code.isin(columns)]
    for sid, code in pairs.itertuples(index=False):
        table.at[sid, code] = 1
    return table


def scores(truth: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Per-code support, precision, recall, F1, kappa; then macro averages and the baseline."""
    rows = []
    for code in truth.columns:
        y, p = truth[code].to_numpy(), predicted[code].to_numpy()
        prec, rec, f1, _ = precision_recall_fscore_support(y, p, average="binary",
                                                           zero_division=0)
        majority = np.full_like(y, int(y.mean() > 0.5))
        _, _, base_f1, _ = precision_recall_fscore_support(y, majority, average="binary",
                                                           zero_division=0)
        rows.append({"code": code, "support": int(y.sum()), "predicted": int(p.sum()),
                     "precision": prec, "recall": rec, "f1": f1, "kappa": _kappa(y, p),
                     "baseline_f1": base_f1, "baseline_kappa": _kappa(y, majority)})
    table = pd.DataFrame(rows)
    used = table[table.support > 0]
    macro = {"code": "macro average", "support": int(table.support.sum()),
             "predicted": int(table.predicted.sum())}
    for column in ("precision", "recall", "f1", "kappa", "baseline_f1", "baseline_kappa"):
        macro[column] = used[column].mean() if len(used) else 0.0
    return pd.concat([table, pd.DataFrame([macro])], ignore_index=True)


def _kappa(y: np.ndarray, p: np.ndarray) -> float:
    """Cohen's kappa; 1.0 when both agree on a constant column, where it is undefined."""
    if len(set(y)) == 1 and len(set(p)) == 1:
        return 1.0 if y[0] == p[0] else 0.0
    return float(cohen_kappa_score(y, p))


def document_folds(frame: pd.DataFrame, folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test row indices grouped by document: no passage of a test document is ever
    seen in training."""
    documents = frame["document"].nunique()
    if documents < 2:
        raise QdaError("cross-validation needs passages from at least two interviews")
    splitter = GroupKFold(n_splits=max(2, min(folds, documents)))
    return list(splitter.split(frame, groups=frame["document"]))


def evaluate(project: Project, reference: str, coder: str = "rules", level: str = "axis",
             folds: int = 5) -> tuple[pd.DataFrame, int]:
    """Scores of a coder against `reference`, and the passages scored; learners are
    cross-validated by document, each fold trained on the reference's decisions in the
    other documents only."""
    truth = reference_matrix(project, reference, level)
    rules = RuleCoder(project.codebook)
    if coder == "rules":
        frame = passages(project)
        suggested = rules.suggest(frame[frame.segment_id.isin(truth.index)])
    else:
        frame, codes = training_set(project, reference)
        suggested = []
        for train, test in progress.track(document_folds(frame, folds), "cross-validating"):
            learner = ModelCoder(project.codebook, rules, use_rules=(coder == "both"))
            learner.fit(frame.iloc[train], codes.iloc[train])
            suggested += learner.suggest(frame.iloc[test])
    return scores(truth, suggestion_matrix(suggested, list(truth.index), project, level)), \
        len(truth)
