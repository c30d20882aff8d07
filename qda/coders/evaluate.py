"""How well a coder reproduces a reference coder: per-code precision, recall, F1 and kappa.

Scores are computed per code over the passages the reference coder decided on (for the
learning coders by cross-validation across documents), at axis level (a theme counts for its
axis) or theme level (bare axis codes left out), with macro averages and a majority baseline
beside them so the numbers mean something.

A gold file (`gold.py`) is scored on the top axis: the axis of the coder's most confident
suggestion, the one a person naming a passage's axis would give, with coverage beside it.
The learning curve trains a learner on the documents a fraction of the study's people coded
and scores it, beside the rules, on the other documents only.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from qda import progress
from qda.coders.autocode import autocode
from qda.coders.base import Coder, Suggestion, passages
from qda.coders.gold import GOLD_CODER, GoldPassage, load_gold, read_gold, scratch_project
from qda.coders.registry import CODERS, new_coder
from qda.coders.rules import RuleCoder
from qda.coders.training import training_set
from qda.errors import QdaError
from qda.project import Project
from qda.vocab import AXES

LEVELS = ("axis", "theme")
NONE = "none"  # the top axis of a passage without any suggestion: wrong, and not covered
FRACTIONS = (0.1, 0.2, 0.4, 0.8)  # of the documents coded by people, on the learning curve


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
    if not CODERS[coder].learns:
        frame = passages(project)
        coded = new_coder(coder, project.codebook, rules)
        suggested = coded.suggest(frame[frame.segment_id.isin(truth.index)])
    else:
        frame, codes = training_set(project, reference)
        suggested = []
        for train, test in progress.track(document_folds(frame, folds), "cross-validating"):
            learner = new_coder(coder, project.codebook, rules)
            learner.fit(frame.iloc[train], codes.iloc[train])
            suggested += learner.suggest(frame.iloc[test])
    return scores(truth, suggestion_matrix(suggested, list(truth.index), project, level)), \
        len(truth)


# -- gold files: the top axis --------------------------------------------------------------
@dataclass
class GoldScores:
    """How a coder's top axis agrees with a gold file's."""

    passages: int
    kappa: float
    accuracy: float
    coverage: float  # share of passages with any suggestion
    axes: pd.DataFrame  # per axis: support, predicted, precision, recall, f1
    macro_f1: float
    confusion: pd.DataFrame  # gold axis (rows) by top axis (columns, "none" last)
    baseline: dict[str, float | str]  # the majority axis given to every passage
    themes: pd.DataFrame | None = None  # `scores` at theme level, when the file has themes
    languages: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"top-axis kappa {self.kappa:.2f}, accuracy {self.accuracy:.2f}, coverage "
                f"{self.coverage:.2f} ({self.passages} passages)")

    def to_dict(self) -> dict:
        return {"passages": self.passages, "kappa": self.kappa, "accuracy": self.accuracy,
                "coverage": self.coverage, "macro_f1": self.macro_f1,
                "axes": self.axes.to_dict(orient="records"),
                "confusion": self.confusion.to_dict(orient="index"), "baseline": self.baseline,
                "themes": None if self.themes is None else self.themes.to_dict(orient="records"),
                "languages": self.languages, "notes": self.notes}


def top_axes(suggestions: pd.DataFrame, segments: list[list[int]]) -> list[str]:
    """Each passage's top axis: that of its most confident suggestion over its segments (a
    theme counts for its axis; ties go to the axis first in the codebook), else NONE."""
    order = {axis: i for i, axis in enumerate(AXES)}
    best: dict[int, tuple[float, int, str]] = {}
    for sid, code, confidence in suggestions[["segment_id", "code", "confidence"]].itertuples(
            index=False):
        axis = code.split("/")[0]
        key = (-float(confidence), order.get(axis, len(order)), axis)
        if sid not in best or key < best[sid]:
            best[sid] = key
    tops = []
    for ids in segments:
        found = [best[sid] for sid in ids if sid in best]
        tops.append(min(found)[2] if found else NONE)
    return tops


def gold_scores(gold: list[GoldPassage], predicted: list[str],
                themes: pd.DataFrame | None = None) -> GoldScores:
    """Top-axis agreement: a prediction equal to a passage's alt_axis counts as right."""
    truth = [g.alt_axis if g.alt_axis and p == g.alt_axis else g.axis
             for g, p in zip(gold, predicted)]
    right = np.array([t == p for t, p in zip(truth, predicted)])
    axes = _axis_table(truth, predicted)
    majority = pd.Series([g.axis for g in gold]).value_counts().index[0]
    base_truth = [g.alt_axis if g.alt_axis == majority else g.axis for g in gold]
    base = [majority] * len(gold)
    baseline = {"axis": majority,
                "accuracy": float(np.mean([t == majority for t in base_truth])),
                "kappa": _kappa(np.array(base_truth), np.array(base)),
                "macro_f1": _macro_f1(_axis_table(base_truth, base))}
    labels = [a for a in AXES if a in set(truth) | set(predicted)] + [NONE]
    confusion = pd.crosstab(pd.Series(truth, name="gold"), pd.Series(predicted, name="top"))
    confusion = confusion.reindex(index=labels[:-1], columns=labels, fill_value=0)
    confusion = confusion.loc[confusion.sum(axis=1) > 0]
    return GoldScores(len(gold), _kappa(np.array(truth), np.array(predicted)),
                      float(right.mean()), float(np.mean([p != NONE for p in predicted])),
                      axes, _macro_f1(axes), confusion, baseline, themes)


def _axis_table(truth: list[str], predicted: list[str]) -> pd.DataFrame:
    prec, rec, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=list(AXES), zero_division=0)
    return pd.DataFrame({"axis": AXES, "support": support.astype(int),
                         "predicted": [int(sum(p == a for p in predicted)) for a in AXES],
                         "precision": prec, "recall": rec, "f1": f1})


def _macro_f1(axes: pd.DataFrame) -> float:
    used = axes[axes.support > 0]
    return float(used.f1.mean()) if len(used) else 0.0


def evaluate_gold(path: Path, coder: str = "both", source: Path | None = None) -> GoldScores:
    """Code a gold file's passages with `coder` in a scratch project (with the codebook of
    the project at `source`, else the packaged one) and score its top axis."""
    with scratch_project(source) as project:
        gold = read_gold(path, project.codebook)
        segments = load_gold(project, gold, path)
        try:
            run = autocode(project, coder)
        except QdaError as exc:
            if "qda train" not in exc.message:
                raise
            raise QdaError(f"--coder {coder} needs a trained model, and a gold file is coded "
                           "in a scratch project where nobody coded anything to train one on; "
                           "use --coder rules", path) from None
        codings = project.codings_frame()
        suggested = codings[codings.status == "suggested"]
        themes = None
        if any(g.theme for g in gold):
            units = list(range(len(gold)))
            truth = _matrix(pd.Series(units), pd.Series([g.code for g in gold]), units, project,
                            "theme")
            by_segment = suggested.groupby("segment_id").code.apply(list)
            pairs = pd.DataFrame([(i, code) for i, ids in enumerate(segments) for sid in ids
                                  for code in by_segment.get(sid, [])], columns=["row", "code"])
            made = _matrix(pairs.row, pairs.code, units, project, "theme")
            themes = scores(truth, made)
        found = gold_scores(gold, top_axes(suggested, segments), themes)
        found.notes = run.notes
        language = passages(project).set_index("segment_id").language
        found.languages = {str(k): int(v) for k, v in pd.Series(
            [language[ids[0]] for ids in segments]).value_counts().items()}
    return found


# -- the learning curve --------------------------------------------------------------------
@dataclass
class CurveRun:
    """One point of one repeat: a learner trained on `train` documents, scored beside the
    rules on the `test` documents only."""

    fraction: float
    repeat: int
    train: list[str]
    test: list[str]
    passages: int  # test passages scored
    rules: float
    learner: float


Score = Callable[[list[Suggestion], pd.DataFrame], float]


def learning_curve(project: Project, reference: str, score: Score, learner: str = "both",
                   fractions: tuple[float, ...] = FRACTIONS, repeats: int = 3, seed: int = 0,
                   make_learner: Callable[[], Coder] | None = None) -> list[CurveRun]:
    """Score `learner` trained on the reference's decisions in a growing share of the
    documents (in `repeats` seeded random orders), beside the rules, on the other documents:
    no passage of a scored document is ever seen in training. `score(suggestions, passages)`
    measures suggestions on those passages."""
    frame, codes = training_set(project, reference)
    documents = sorted(frame.document.unique())
    if len(documents) < 2:
        raise QdaError(f"a learning curve needs passages '{reference}' decided on in at least "
                       "two documents")
    rules = RuleCoder(project.codebook)
    ruled = rules.suggest(frame)
    if make_learner is None:
        def make_learner() -> Coder:
            return new_coder(learner, project.codebook, rules)
    rng = np.random.default_rng(seed)
    runs = []
    for repeat in range(repeats):
        order = [str(d) for d in rng.permutation(documents)]
        for fraction in fractions:
            coded = set(order[:min(len(documents) - 1, max(1, round(fraction * len(documents))))])
            train = frame.document.isin(coded).to_numpy()
            test = frame[~train]
            fitted = make_learner().fit(frame[train], codes[train])
            ids = set(test.segment_id)
            runs.append(CurveRun(fraction, repeat, sorted(coded), sorted(set(test.document)),
                                 len(test), score([s for s in ruled if s.segment_id in ids], test),
                                 score(fitted.suggest(test), test)))
    return runs


def curve_table(runs: list[CurveRun]) -> pd.DataFrame:
    """Per fraction: documents coded, passages scored, and the mean and spread of both
    scores over the repeats."""
    frame = pd.DataFrame([{"fraction": r.fraction, "coded": len(r.train),
                           "passages": r.passages, "rules": r.rules, "learner": r.learner}
                          for r in runs])
    table = frame.groupby("fraction").agg(
        coded=("coded", "mean"), passages=("passages", "mean"), rules=("rules", "mean"),
        rules_sd=("rules", "std"), learner=("learner", "mean"), learner_sd=("learner", "std"))
    return table.fillna(0.0).reset_index()


def reference_curve(project: Project, reference: str, learner: str = "both",
                    level: str = "axis", repeats: int = 3) -> list[CurveRun]:
    """The learning curve against a reference coder: mean per-code kappa at `level`."""
    truth = reference_matrix(project, reference, level)

    def score(suggested: list[Suggestion], test: pd.DataFrame) -> float:
        units = list(test.segment_id)
        made = suggestion_matrix(suggested, units, project, level)
        return float(scores(truth.loc[units], made).iloc[-1].kappa)
    return learning_curve(project, reference, score, learner, repeats=repeats)


def gold_curve(path: Path, learner: str = "both", source: Path | None = None,
               repeats: int = 3, make_learner: Callable[[], Coder] | None = None
               ) -> list[CurveRun]:
    """The learning curve on a gold file, its labels taken as people's coding: top-axis
    kappa. Passages are grouped by their `document` (else each is its own)."""
    with scratch_project(source) as project:
        gold = read_gold(path, project.codebook)
        segments = load_gold(project, gold, path, labelled=True)

        def score(suggested: list[Suggestion], test: pd.DataFrame) -> float:
            ids = set(test.segment_id)
            rows = [i for i, found in enumerate(segments) if found[0] in ids]
            frame = pd.DataFrame([(s.segment_id, s.code, s.confidence) for s in suggested],
                                 columns=["segment_id", "code", "confidence"])
            tops = top_axes(frame, [segments[i] for i in rows])
            return gold_scores([gold[i] for i in rows], tops).kappa
        return learning_curve(project, GOLD_CODER, score, learner, repeats=repeats,
                              make_learner=make_learner)
