"""The model coder: learns from the team's decisions and suggests codes for the rest.

One calibrated logistic regression per code (axes and themes), over features that work in
Spanish and English alike: folded lemma unigrams and bigrams of the passage, the lemmas of
the question it answers, and where in the interview it falls (guides go through the axes in
order). With `use_rules` (the ensemble, `--coder both`) the rule coder's findings are
features too: the codes it suggested, how sure it was, and which kinds of rule fired.

Accepted codings are positives; every other passage a person reviewed is a negative for that
code, rejected suggestions included. Probabilities are calibrated (Platt scaling) on
out-of-fold scores computed by document, and each code's threshold is the one that maximised
F1 there, so no passage ever scores itself. Codes with too few examples are not learnt:
they are reported, and left to the rules.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import expit
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from qda import progress
from qda.codebook.model import Codebook
from qda.coders import patterns as pattern_data
from qda.coders.base import Suggestion
from qda.coders.rules import RuleCoder
from qda.coders.workers import PROCESSES, forked_map, suggestions
from qda.errors import QdaError
from qda.text.nlp import lemma
from qda.vocab import AXES

MIN_POSITIVES = 6  # fewer accepted examples than this: the code is left to the rules
MIN_DOCUMENTS = 2  # ... and they must come from more than one interview
INNER_FOLDS = 3
POSITION_BINS = 5
POSITION_WEIGHT = 0.5  # scale of the position features against the word features
TOP_FEATURES = 5
PARALLEL_FIT_MIN = 1_000  # passages to learn from: below this, forking costs more than it saves
_WORD = re.compile(r"\w+(?:['’-]\w+)*")  # words as the rule patterns cut them, no punctuation
RULE_MARGIN = 0.03  # rules keep a code when their F1 beats the model's by this much
TOP_AXIS_MIN = 0.1  # a passage with no code over its threshold still gets its likeliest axis
PRIOR_WEIGHT = 1.0  # the study's share of an axis, added to the rules' ranking of a weak passage


@dataclass
class CodeModel:
    """What was learnt for one code."""

    classifier: LogisticRegression
    calibrator: LogisticRegression  # Platt scaling of the classifier's decision value
    threshold: float
    positives: int
    cv: dict[str, float] = field(default_factory=dict)  # out-of-fold precision, recall, f1


@dataclass
class Prepared:
    """Passages made ready for deciding: the rules' findings, features, probabilities."""

    rule_found: list[list[Suggestion]]
    x: sparse.csr_matrix
    probs: pd.DataFrame  # segment x learnt code


class ModelCoder:
    """Suggests codes with per-code classifiers trained on human decisions."""

    kind = "model"

    def __init__(self, codebook: Codebook, rules: RuleCoder | None = None,
                 use_rules: bool = False, min_positives: int = MIN_POSITIVES,
                 inner_folds: int = INNER_FOLDS, c: float = 1.0):
        self.codebook = codebook
        self._rules = rules
        self.use_rules = use_rules
        self.min_positives = min_positives
        self.inner_folds = inner_folds
        self.c = c
        self.name = "both" if use_rules else "model"
        self.version: str | None = None  # set when trained or loaded: the model file's stamp
        self.codes_: dict[str, CodeModel] = {}
        self.skipped_: dict[str, int] = {}  # code -> positives, too few to learn
        self.ruled_: dict[str, float] = {}  # code -> model's F1, below the rules' own
        self.examples_ = 0
        # self-trained on the rules' decisions (see training.bootstrap): the rules' own
        # decisions stand where they are at least this sure, the model decides the rest
        self.defer_to_rules: float | None = None
        # the rules' suggestions by passage, when already made (self-training made them)
        self.known_rules: dict[int, list[Suggestion]] | None = None
        # self-trained: each axis's share of the decisions learnt from (see weigh_prior)
        self.prior: dict[str, float] | None = None

    @property
    def rules(self) -> RuleCoder:
        if self._rules is None:
            self._rules = RuleCoder(self.codebook)
        return self._rules

    # -- learning ---------------------------------------------------------------------------
    def fit(self, passages: pd.DataFrame, codes: pd.Series | None = None,
            weights: np.ndarray | None = None) -> ModelCoder:
        """Learn from `passages` (a `document` column groups them) and `codes`, a Series of
        code-path lists aligned with them (an empty list: reviewed, nothing to code);
        `weights`, per passage, say how much each decision counts (a person's more than the
        rules')."""
        if codes is None or len(codes) != len(passages) or passages.empty:
            raise QdaError("the model coder learns from reviewed passages and their codes; "
                           "code some passages (or import a coding) first")
        passages = passages.reset_index(drop=True)
        labels = label_matrix(codes.reset_index(drop=True), self.codebook)
        groups = passages["document"].to_numpy()
        if passages["document"].nunique() < 2:
            # one document (pasted quotes, one survey file): nothing to hold out by
            # interview, so the passages themselves are the folds
            groups = passages["segment_id"].to_numpy()
        rule_found = self._rule_suggestions(passages)
        x = self._fit_features(passages, rule_found)
        self.examples_ = len(passages)
        self.codes_, self.skipped_, self.ruled_ = {}, {}, {}
        n_groups = len(set(groups))
        folds = list(GroupKFold(n_splits=min(self.inner_folds, n_groups)).split(
            x, groups=groups)) if n_groups >= 2 else []
        learnable = []
        for code in labels.columns:
            y = labels[code].to_numpy()
            positives = int(y.sum())
            if positives < self.min_positives or len(set(groups[y == 1])) < MIN_DOCUMENTS \
                    or positives == len(y) or not folds:  # (no negative: nothing to tell apart)
                self.skipped_[code] = positives
            else:
                learnable.append(code)
        # codes are fitted apart from each other: on a large set, two processes share them
        fitted = forked_map(_fit_one, (self, x, labels, folds, weights), learnable,
                            processes=PROCESSES if len(passages) >= PARALLEL_FIT_MIN else 1)
        said = [{c for s in found for c in (s.code, s.code.split("/")[0])}
                for found in rule_found]
        for code, learnt in zip(learnable, progress.track(
                fitted, f"learning ({self.name})", total=len(learnable))):
            if self.use_rules and rule_f1(said, code, labels[code].to_numpy()) \
                    >= learnt.cv["f1"] + RULE_MARGIN:
                self.ruled_[code] = learnt.cv["f1"]  # the rules read this code better
                continue
            self.codes_[code] = learnt
        return self

    def _fit_code(self, x: sparse.csr_matrix, y: np.ndarray,
                  folds: list[tuple[np.ndarray, np.ndarray]], weights: np.ndarray | None = None
                  ) -> CodeModel:
        """The code's classifier, its calibration and threshold from out-of-fold scores."""
        scores = np.zeros(len(y))
        for train, test in folds:
            if y[train].min() == y[train].max():  # a fold without a positive (or negative)
                scores[test] = 5.0 if y[train].max() else -5.0
                continue
            scores[test] = self._classifier().fit(
                x[train], y[train], sample_weight=None if weights is None else weights[train]
            ).decision_function(x[test])
        calibrator = LogisticRegression(C=1e4).fit(scores.reshape(-1, 1), y,
                                                   sample_weight=weights)
        probs = calibrator.predict_proba(scores.reshape(-1, 1))[:, 1]
        threshold, cv = best_threshold(y, probs)
        return CodeModel(self._classifier().fit(x, y, sample_weight=weights), calibrator,
                         threshold, int(y.sum()), cv)

    def _classifier(self) -> LogisticRegression:
        return LogisticRegression(C=self.c, class_weight="balanced", max_iter=2000,
                                  solver="liblinear")

    # -- features ---------------------------------------------------------------------------
    def _fit_features(self, passages: pd.DataFrame, rule_found: list[list[Suggestion]]
                      ) -> sparse.csr_matrix:
        """Fit the feature blocks on `passages` and return its matrix (what `_features` gives
        after): each text is cut into lemmas and n-grams once, not once more to transform."""
        self.words_, words = _fit_vectorizer(self._lemmas(passages, "text"), ngrams=2)
        self.questions_, questions = _fit_vectorizer(self._lemmas(passages, "question"),
                                                     ngrams=1)
        blocks = [words, questions, sparse.csr_matrix(POSITION_WEIGHT * position_bins(passages))]
        self.rule_features_ = DictVectorizer()
        if self.use_rules:
            blocks.append(self.rule_features_.fit_transform(rule_dicts(rule_found)))
        else:
            self.rule_features_.fit([{}])
        return sparse.hstack(blocks, format="csr")

    def _features(self, passages: pd.DataFrame, rule_found: list[list[Suggestion]]
                  ) -> sparse.csr_matrix:
        blocks = [_transform(self.words_, self._lemmas(passages, "text")),
                  _transform(self.questions_, self._lemmas(passages, "question")),
                  sparse.csr_matrix(POSITION_WEIGHT * position_bins(passages))]
        if self.use_rules:
            blocks.append(self.rule_features_.transform(rule_dicts(rule_found)))
        return sparse.hstack(blocks, format="csr")

    def feature_names(self) -> np.ndarray:
        names = [_names(self.words_),
                 np.array(["asked: " + n for n in _names(self.questions_)], dtype=object),
                 np.array([f"position: {i + 1}/{POSITION_BINS} of the interview"
                           for i in range(POSITION_BINS)])]
        if self.use_rules:
            names.append(self.rule_features_.get_feature_names_out())
        return np.concatenate(names)

    def _lemmas(self, passages: pd.DataFrame, column: str) -> list[str]:
        known = self.rules.patterns
        default = next(iter(known), "es")
        done: dict[tuple[str, str], str] = {}  # questions repeat over their answer's passages
        out = []
        for text, lang in zip(passages[column].fillna("").astype(str),
                              passages["language"].fillna("")):
            lang = lang if lang in known else default
            lemmas = done.get((text, lang))
            if lemmas is None:
                lemmas = done[text, lang] = " ".join(
                    _lemma_key(w, lang) for w in _WORD.findall(text) if w[0].isalnum())
            out.append(lemmas)
        return out

    def _rule_suggestions(self, passages: pd.DataFrame) -> list[list[Suggestion]]:
        """The rule coder's suggestions per passage, in the frame's order: features for the
        ensemble, and the decisions on the codes the model has not learnt."""
        if not self.use_rules:
            return [[] for _ in range(len(passages))]
        ids = passages["segment_id"]
        known = self.known_rules
        if known is None or not ids.isin(known.keys()).all():
            known = rule_suggestions(self.rules, passages)
        return [known.get(sid, []) for sid in ids]

    # -- suggesting -------------------------------------------------------------------------
    def prepare(self, passages: pd.DataFrame) -> Prepared:
        """Rule findings, features and calibrated probabilities of the learnt codes."""
        if not hasattr(self, "words_"):
            raise QdaError("the model coder has not been trained; run 'qda train'")
        passages = passages.reset_index(drop=True)
        rule_found = self._rule_suggestions(passages)
        x = self._features(passages, rule_found)
        models = list(self.codes_.values())
        # every code's decision value in one product, then its Platt scaling: what each
        # model's decision_function and predict_proba give, without their input checks
        # per code and chunk (a tenth of the coding)
        scores = x @ np.column_stack([m.classifier.coef_[0] for m in models]) \
            + np.array([m.classifier.intercept_[0] for m in models]) if models \
            else np.zeros((x.shape[0], 0))
        scaled = scores * np.array([m.calibrator.coef_[0, 0] for m in models]) \
            + np.array([m.calibrator.intercept_[0] for m in models])
        probs = pd.DataFrame(expit(scaled), columns=list(self.codes_),
                             index=pd.Index(passages["segment_id"], name="segment_id"))
        return Prepared(rule_found, x, probs)

    def suggest(self, passages: pd.DataFrame) -> list[Suggestion]:
        """Learnt codes over their thresholds; with rules, the rules' own suggestions for
        the codes the model has not learnt, and both evidences on every suggestion."""
        if passages.empty:  # every passage reviewed: nothing to suggest (and no rows to score)
            return []
        ready = self.prepare(passages)
        columns = list(ready.probs.columns)
        values = ready.probs.to_numpy()
        above = values >= np.array([self.codes_[c].threshold for c in columns])
        names = [str(name) for name in self.feature_names()]  # plain str: looked up per feature
        out: list[Suggestion] = []
        axes = [j for j, c in enumerate(columns) if c in AXES]
        learnt: dict[str, list[tuple[int, dict, float]]] = defaultdict(list)  # to explain
        for i, sid in enumerate(ready.probs.index):
            probs = {columns[j]: values[i, j] for j in np.flatnonzero(above[i])}
            rules = {s.code: s for s in ready.rule_found[i]}
            fallback = [c for c in rules if c not in self.codes_]
            weak = self.defer_to_rules
            if weak is not None and any(s.confidence >= weak for s in ready.rule_found[i]):
                # the model learnt from decisions like these: it would only echo them
                probs, fallback = {}, list(rules)
            elif weak is not None and self.prior and not probs:
                # the rules saw only topic words, or nothing: the study's own share of
                # each axis decides between their weak readings
                out.extend(weigh_prior(int(sid), ready.rule_found[i], self.prior,
                                       self.codebook, weak))
                continue
            chosen = consistent(list(probs), (), fallback) if not probs and fallback \
                else consistent(list(probs), self.codes_, fallback)
            ranked_only = False
            if not chosen and axes:
                # every passage gets its most likely axis when that is likely enough: a
                # low confidence is shown rather than silence
                best = max(axes, key=lambda j: values[i, j])
                if values[i, best] >= TOP_AXIS_MIN:
                    probs[columns[best]] = values[i, best]
                    chosen, ranked_only = [columns[best]], True
            for code in chosen:
                evidence: dict = {"sources": []}
                if ranked_only:  # below its threshold: the likeliest axis, shown as such
                    evidence["ranked_first"] = True
                if code in rules:
                    evidence.update(rules[code].evidence)
                    evidence["sources"].append("rules")
                if code in probs:
                    learnt[code].append((i, evidence, probs[code]))
                    evidence["sources"].append("model")
                confidence = probs[code] if code in probs else rules[code].confidence
                out.append(Suggestion(int(sid), code, round(float(confidence), 3), evidence))
        for code, found in learnt.items():
            rows, evidences, probabilities = zip(*found)
            for evidence, explained in zip(evidences, self.explain(
                    ready.x, list(rows), code, names, probabilities)):
                evidence["model"] = explained
        return out

    def explain(self, x: sparse.csr_matrix, rows: list[int], code: str, names: list[str],
                probabilities: Sequence[float]) -> list[dict]:
        """For each passage of `rows` of `x`, the features that pushed the code up most.
        All rows at once: one call per suggestion cost a fifth of the coding."""
        model = self.codes_[code]
        part = x[rows]
        contrib = part.data * model.classifier.coef_[0][part.indices]
        row_of = np.repeat(np.arange(len(rows)), np.diff(part.indptr))
        pushed = np.flatnonzero(contrib > 0)  # only these are shown: a quarter to sort
        order = pushed[np.lexsort((-contrib[pushed], row_of[pushed]))]  # by row, strongest first
        ranked_rows = row_of[order]
        keep = order[np.arange(len(order)) - np.searchsorted(ranked_rows, ranked_rows)
                     < TOP_FEATURES]
        features: list[list[dict]] = [[] for _ in rows]
        for row, index, weight in zip(row_of[keep].tolist(), part.indices[keep].tolist(),
                                      contrib[keep].tolist()):
            features[row].append({"feature": names[index], "weight": round(weight, 3)})
        threshold = round(model.threshold, 3)
        return [{"probability": round(float(p), 3), "threshold": threshold, "features": f}
                for p, f in zip(probabilities, features)]

    def uncertainty(self, passages: pd.DataFrame) -> pd.Series:
        """How close each passage sits to a decision boundary (0: on one), by segment id;
        reviewing the closest first teaches the model most."""
        ready = self.prepare(passages)
        thresholds = np.array([self.codes_[c].threshold for c in ready.probs.columns])
        margin = np.abs(ready.probs.to_numpy() - thresholds).min(axis=1) if len(thresholds) \
            else np.ones(len(ready.probs))
        return pd.Series(margin, index=ready.probs.index, name="margin")


def _fit_one(job: tuple[ModelCoder, sparse.csr_matrix, pd.DataFrame, list, np.ndarray | None],
             code: str) -> CodeModel:
    """One code's model, fitted on the features and folds of `job` (a worker's share)."""
    coder, x, labels, folds, weights = job
    return coder._fit_code(x, labels[code].to_numpy(), folds, weights)


def rule_suggestions(rules: RuleCoder, passages: pd.DataFrame) -> dict[int, list[Suggestion]]:
    """The rule coder's suggestions by passage (worker processes on a large corpus)."""
    by_segment: dict[int, list[Suggestion]] = {sid: [] for sid in passages["segment_id"]}
    for found in suggestions(rules, passages):
        by_segment[found.segment_id].append(found)
    return by_segment


def weigh_prior(segment_id: int, found: list[Suggestion], prior: dict[str, float],
                codebook: Codebook, weak: float) -> list[Suggestion]:
    """A weak passage's suggestions when the rules were unsure (`found`: their suggestions,
    each below `weak`): their ranking of the axes plus each axis's share of the study's
    confident decisions (`prior`). A topic word alone points at the axis it usually serves
    in any study; when this study mostly speaks of another, the study's own distribution is
    the better guess. The rules' reading stands when it stays on top; otherwise the weighed
    axis is suggested (the same theme under it when the codebook has one), its confidence a
    share of `weak`, so it shows as a guess."""
    ranking = found[0].evidence.get("axes", {}) if found else {}
    weighed = {a: ranking.get(a, 0.0) + PRIOR_WEIGHT * prior.get(a, 0.0) for a in AXES}
    top = max(AXES, key=lambda a: weighed[a])  # ties: the axis first in the codebook
    if any(s.code.split("/")[0] == top for s in found):
        return [Suggestion(s.segment_id, s.code, s.confidence,
                           {**s.evidence, "sources": ["rules"]}) for s in found]
    themes = [s.code.split("/", 1)[1] for s in found if "/" in s.code]
    code = next((f"{top}/{t}" for t in themes if f"{top}/{t}" in codebook), top)
    total = sum(weighed.values())
    return [Suggestion(segment_id, code, round(weak * weighed[top] / total, 3), {
        "sources": ["rules", "prior"] if found else ["prior"], "axes": ranking,
        "prior": {a: round(v, 2) for a, v in prior.items()},
        "rules": [rule for s in found for rule in s.evidence.get("rules", [])]})]


def axis_shares(codes: pd.Series) -> dict[str, float]:
    """Each axis's share of the passages with any code (`codes`: code-path lists)."""
    counts = pd.Series([a for found in codes for a in {c.split("/")[0] for c in found}],
                       dtype=object).value_counts()
    total = int((codes.map(len) > 0).sum())
    return {a: float(counts.get(a, 0)) / total for a in AXES} if total else {}


def consistent(passing: list[str], learnt: Collection[str], fallback: list[str]) -> list[str]:
    """Codes to suggest for one passage, consistent with each other. `passing`: learnt
    codes over their thresholds; `fallback`: codes suggested by the rules that the model has
    not learnt. An axis when it passes (or, for an axis not learnt, when a fallback code is
    in it); a theme only under a chosen axis; a bare axis only when none of its themes is."""
    axes = [a for a in AXES if a in passing
            or (a not in learnt and any(c.split("/")[0] == a for c in fallback))]
    themes = [c for c in passing + fallback if "/" in c and c.split("/")[0] in axes]
    themed = {c.split("/")[0] for c in themes}
    return themes + [a for a in axes if a not in themed]


def label_matrix(codes: pd.Series, codebook: Codebook) -> pd.DataFrame:
    """0/1 per passage and code; a theme implies its axis."""
    columns = [c.path for c in codebook.codes if c.axis in AXES]
    where = {c: j for j, c in enumerate(columns)}
    table = np.zeros((len(codes), len(columns)), dtype=int)
    for i, paths in enumerate(codes):
        for path in paths:
            for key in (path, path.split("/")[0]):
                if key in where:
                    table[i, where[key]] = 1
    return pd.DataFrame(table, columns=columns)


def rule_dicts(rule_found: list[list[Suggestion]]) -> list[dict[str, float]]:
    """The rule coder's findings as features, the same in both languages: the codes it
    suggested (with its confidence; an axis takes its themes' best) and the kinds of rule
    that fired, by target."""
    out = []
    for found in rule_found:
        features: dict[str, float] = {}
        for s in found:
            axis = "rules axis: " + s.code.split("/")[0]
            features["rules: " + s.code] = s.confidence
            features[axis] = max(features.get(axis, 0.0), s.confidence)
            for hit in s.evidence.get("rules", ()):
                features[f"rule {hit['kind']}: {hit['rule'].split('.', 2)[-1]}"] = 1.0
        out.append(features)
    return out


def rule_f1(said: list[set[str]], code: str, y: np.ndarray) -> float:
    """F1 of the rule coder's own suggestions for `code`; `said`: per passage, the codes
    the rules suggested and their axes (a theme counts for its axis)."""
    suggested = np.fromiter((code in codes for codes in said), bool, len(said))
    tp = float((suggested & (y == 1)).sum())
    return 2 * tp / (suggested.sum() + y.sum()) if tp else 0.0


def position_bins(passages: pd.DataFrame) -> np.ndarray:
    """One-hot fifth of its interview each passage falls in (from `place`, see passages())."""
    bins = np.minimum((passages["place"].to_numpy() * POSITION_BINS).astype(int),
                      POSITION_BINS - 1)
    out = np.zeros((len(passages), POSITION_BINS))
    out[np.arange(len(passages)), bins] = 1.0
    return out


def best_threshold(y: np.ndarray, probs: np.ndarray) -> tuple[float, dict[str, float]]:
    """The probability cut that maximises F1 on out-of-fold predictions, with its scores."""
    best = (0.5, {"precision": 0.0, "recall": 0.0, "f1": 0.0})
    positives = y.sum()
    for cut in np.unique(np.round(probs, 3)):
        predicted = probs >= cut
        tp = float((predicted & (y == 1)).sum())
        if tp == 0:
            continue
        precision, recall = tp / predicted.sum(), tp / positives
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best[1]["f1"]:
            best = (float(cut), {"precision": round(float(precision), 3),
                                 "recall": round(float(recall), 3), "f1": round(float(f1), 3)})
    return best


def _fit_vectorizer(texts: list[str], ngrams: int
                    ) -> tuple[TfidfVectorizer | None, sparse.csr_matrix]:
    """A vectorizer fitted on `texts` and their rows; None and no columns when they hold no
    word seen twice (passages without interviewer questions, as imported spreadsheets are)."""
    vectorizer = _lemma_vectorizer(ngrams)
    try:
        return vectorizer, vectorizer.fit_transform(texts)
    except ValueError:  # scikit-learn's "empty vocabulary"
        return None, sparse.csr_matrix((len(texts), 0))


def _transform(vectorizer: TfidfVectorizer | None, texts: list[str]) -> sparse.csr_matrix:
    if vectorizer is None:
        return sparse.csr_matrix((len(texts), 0))
    return vectorizer.transform(texts)


def _names(vectorizer: TfidfVectorizer | None) -> np.ndarray:
    if vectorizer is None:
        return np.array([], dtype=object)
    return vectorizer.get_feature_names_out()


def _lemma_vectorizer(ngrams: int) -> TfidfVectorizer:
    """Tf-idf over text already cut into folded lemmas joined by spaces."""
    return TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, ngrams),
                           min_df=2, sublinear_tf=True)


@lru_cache(maxsize=200_000)
def _lemma_key(word: str, lang: str) -> str:
    return pattern_data.fold(lemma(word, lang))
