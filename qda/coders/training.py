"""Training the model coder on a project's decisions, and its model file and card.

`qda train` fits two learners on the passages people reviewed: `model` (the text alone) and
`both` (the text plus the rule coder's findings: the ensemble). They are saved with skops,
never pickle, in `.qda/models/` beside a model card (date, codebook hash, examples and
cross-validated scores per code, library versions). Loading accepts only the types skops
trusts by default, and drops, with a message, the codes whose definition changed since.
"""
from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

from qda.codebook.model import Codebook
from qda.coders.base import Suggestion
from qda.coders.base import passages as all_passages
from qda.coders.model import CodeModel, ModelCoder, axis_shares, rule_suggestions
from qda.coders.patterns import patterns_hash
from qda.coders.registry import LEARNERS, new_coder
from qda.coders.rules import RuleCoder
from qda.errors import QdaError
from qda.project import Project
from qda.text.files import write_atomic

WEAK_MIN_CONFIDENCE = 0.3  # a rule decision this sure teaches the model (chosen on data)
HUMAN_WEIGHT = 4.0  # a person's decision counts this many times a rule decision
# rule decisions learnt from at most (a seeded sample beyond): plenty to learn a study's
# vocabulary, and self-training stops growing with the corpus
SELF_TRAINING_MAX = 4_000
MODEL_FILE = "model.skops"
CARD_FILE = "model-card.md"
META_FILE = "model.json"
LIBRARIES = ("qda", "scikit-learn", "skops", "spacy", "numpy", "scipy", "pandas")


@dataclass
class Trained:
    """What `train` produced: both learners, the card's facts and where they were saved."""

    coders: dict[str, ModelCoder]
    meta: dict[str, Any]
    folder: Path


def training_set(project: Project, coder: str | None = None
                 ) -> tuple[pd.DataFrame, pd.Series]:
    """Passages people reviewed (or one person, `coder`) and the codes they accepted there.

    A passage reviewed with nothing accepted is a negative example for every code; a
    rejected suggestion is a negative for its code.
    """
    reviews = project.store.reviews_frame()
    if coder is not None:
        reviews = reviews[reviews.coder == coder]
    reviewed = set(reviews.segment_id.astype(int))
    codings = project.store.codings_frame()
    accepted = codings[(codings.status == "accepted") & codings.segment_id.isin(reviewed)]
    if coder is not None:
        accepted = accepted[(accepted.coder == coder) | (accepted.reviewer == coder)]
    frame = all_passages(project)
    frame = frame[frame.segment_id.isin(reviewed)].reset_index(drop=True)
    by_segment = accepted.groupby("segment_id").code.apply(lambda c: sorted(set(c)))
    codes = frame.segment_id.map(lambda s: by_segment.get(s, []))
    return frame, codes


def train(project: Project, coder: str | None = None) -> Trained:
    """Fit `model` and `both` on the reviewed passages and save them with their card."""
    frame, codes = training_set(project, coder)
    if frame.empty:
        who = f"'{coder}'" if coder else "anyone"
        raise QdaError(f"no passage has been reviewed by {who}: code some passages in "
                       "'qda tui' or import a coding with 'qda import-codings' first")
    if frame.document.nunique() < 2:
        raise QdaError("the model coder needs passages reviewed in at least two interviews "
                       "(its scores are cross-validated by interview)")
    book = project.codebook
    rules = RuleCoder(book)
    coders = {name: new_coder(name, book, rules).fit(frame, codes) for name in LEARNERS}
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    meta = {
        "trained_at": stamp,
        "codebook_hash": book.hash,
        "patterns_hash": patterns_hash(book),
        "code_fingerprints": {c.path: code_fingerprint(book, c.path) for c in book.codes},
        "trained_on": coder or "all reviewers",
        "passages": len(frame),
        "documents": int(frame.document.nunique()),
        "libraries": library_versions(),
        "learners": {name: _learner_meta(c) for name, c in coders.items()},
    }
    folder = project.model_dir
    save(coders, meta, folder)
    for c in coders.values():
        c.version = stamp
    return Trained(coders, meta, folder)


def weak_labels(found: dict[int, list[Suggestion]], frame: pd.DataFrame) -> pd.Series:
    """The rules' confident decisions (`found`: their suggestions by passage), per passage of
    `frame`: the codes suggested with at least WEAK_MIN_CONFIDENCE (None where the rules are
    not that sure of anything)."""
    def sure(segment_id: int) -> list[str] | None:
        codes = sorted(s.code for s in found.get(segment_id, ())
                       if s.confidence >= WEAK_MIN_CONFIDENCE)
        return codes or None
    return frame["segment_id"].map(sure)


def bootstrap(project: Project, frame: pd.DataFrame | None = None, name: str = "both"
              ) -> ModelCoder:
    """The learner `name` ('model' or 'both') fitted now, without waiting for people: on
    the rules' confident decisions over the project's passages (`frame`, all of them by
    default), so it spreads beyond the rule words to the study's own vocabulary, and on every
    decision people made, each weighing HUMAN_WEIGHT rule decisions."""
    book = project.codebook
    rules = RuleCoder(book)
    frame = all_passages(project) if frame is None else frame
    found = rule_suggestions(rules, frame)  # made once: labels, features and fallbacks
    human, human_codes = training_set(project)
    rest = frame[~frame.segment_id.isin(human.segment_id)].reset_index(drop=True)
    weak = weak_labels(found, rest)
    sure = weak[weak.notna()]
    confident = len(sure)
    prior = axis_shares(pd.concat([human_codes, sure], ignore_index=True))
    if confident > SELF_TRAINING_MAX:
        sure = sure.sample(SELF_TRAINING_MAX, random_state=0).sort_index()
    taught = rest.loc[sure.index]
    examples = pd.concat([human, taught], ignore_index=True)
    codes = pd.concat([human_codes, sure], ignore_index=True)
    if examples.empty:  # nothing sure yet: every code is left to the rules
        examples, codes = rest, pd.Series([[]] * len(rest), dtype=object)
    weights = np.r_[np.full(len(human), HUMAN_WEIGHT), np.ones(len(examples) - len(human))]
    coder = new_coder(name, book, rules)
    coder.known_rules = found
    if coder.use_rules:
        coder.defer_to_rules = WEAK_MIN_CONFIDENCE
        coder.prior = prior
    if not examples.empty:
        coder.fit(examples, codes, weights)
    sampled = f" (a sample of {confident})" if confident > len(taught) else ""
    coder.version = (f"self-trained on {len(taught)} rule decisions{sampled} and {len(human)} "
                     "human decisions")
    return coder


def save(coders: dict[str, ModelCoder], meta: dict[str, Any], folder: Path) -> None:
    """Model file, metadata and card, each written whole to a temporary file then renamed,
    so an interrupted save leaves the previous model intact."""
    folder.mkdir(parents=True, exist_ok=True)
    state = {name: _state(c) for name, c in coders.items()}
    write_atomic(folder / MODEL_FILE, sio.dumps(state))
    write_atomic(folder / META_FILE, json.dumps(meta, indent=2, ensure_ascii=False).encode())
    write_atomic(folder / CARD_FILE, card(meta).encode())


def load(project: Project, name: str) -> tuple[ModelCoder, list[str]]:
    """The saved learner `name` ('model' or 'both') and the codes dropped because their
    definition changed since training."""
    folder = project.model_dir
    path, meta_path = folder / MODEL_FILE, folder / META_FILE
    if not path.exists() or not meta_path.exists():
        raise QdaError(f"no trained model in {folder}; run 'qda train' first")
    try:
        state = sio.load(path)  # refuses types skops does not trust (one reading, not two)
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except UntrustedTypesFoundException:
        untrusted = sio.get_untrusted_types(file=path)
        raise QdaError(f"the model file holds types skops does not trust ({', '.join(untrusted)})"
                       "; it was not written by qda: delete it and run 'qda train'", path
                       ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise QdaError(f"cannot read the model ({exc}); run 'qda train' again", path) from None
    book = project.codebook
    coder = _from_state(book, state[name])
    coder.version = meta["trained_at"]
    trained = meta["code_fingerprints"]
    changed = sorted(code for code in coder.codes_
                     if trained.get(code) != code_fingerprint(book, code))
    if changed and len(changed) == len(coder.codes_):
        raise QdaError("the codebook changed for every code the model learnt; run 'qda train' "
                       "again", meta_path)
    for code in changed:
        del coder.codes_[code]
    return coder, changed


def code_fingerprint(book: Codebook, path: str) -> str | None:
    """What a code means (its path, definitions and guidance): if this changes, what the
    model learnt for it no longer applies. Labels and colours may change freely."""
    if path not in book:
        return None
    info = json.dumps({"path": path, "info": book[path].info}, sort_keys=True, default=str)
    return hashlib.sha256(info.encode()).hexdigest()[:16]


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def card(meta: dict[str, Any]) -> str:
    """The model card people read: what the model learnt from, how well, with what."""
    lines = ["# qda model card", "",
             f"- trained: {meta['trained_at']}",
             f"- on: {meta['passages']} passages reviewed by {meta['trained_on']} in "
             f"{meta['documents']} interviews",
             f"- codebook hash: {meta['codebook_hash']} (patterns {meta['patterns_hash']})",
             "- libraries: " + ", ".join(f"{k} {v}" for k, v in meta["libraries"].items()),
             "", "Scores are out-of-fold (cross-validated by interview) on the training passages.",
             "`model` reads the text alone; `both` reads the text and the rule coder's findings.",
             ""]
    for name, learner in meta["learners"].items():
        lines += [f"## {name}", "", "| code | examples | precision | recall | F1 | threshold |",
                  "|---|---|---|---|---|---|"]
        for code, row in learner["codes"].items():
            lines.append(f"| {code} | {row['positives']} | {row['precision']:.2f} | "
                         f"{row['recall']:.2f} | {row['f1']:.2f} | {row['threshold']:.2f} |")
        if learner["skipped"]:
            lines += ["", "Too few examples to learn (left to the rules): " + ", ".join(
                f"{code} ({n})" for code, n in learner["skipped"].items())]
        if learner["ruled"]:
            lines += ["", "Left to the rules, which read them better than the model did "
                      "(model F1 out of fold): " + ", ".join(
                          f"{code} ({f1:.2f})" for code, f1 in learner["ruled"].items())]
        lines.append("")
    return "\n".join(lines)


def _learner_meta(coder: ModelCoder) -> dict[str, Any]:
    return {"codes": {code: {"positives": m.positives, "threshold": round(m.threshold, 3),
                             **m.cv} for code, m in coder.codes_.items()},
            "skipped": dict(coder.skipped_), "ruled": dict(coder.ruled_),
            "examples": coder.examples_}


def _state(coder: ModelCoder) -> dict[str, Any]:
    """The learner as plain scikit-learn objects and numbers, which skops stores safely."""
    return {"use_rules": coder.use_rules, "examples": coder.examples_,
            "skipped": dict(coder.skipped_), "words": coder.words_,
            "questions": coder.questions_, "rule_features": coder.rule_features_,
            "codes": {code: {"classifier": m.classifier, "calibrator": m.calibrator,
                             "threshold": m.threshold, "positives": m.positives, "cv": m.cv}
                      for code, m in coder.codes_.items()}}


def _from_state(book: Codebook, state: dict[str, Any]) -> ModelCoder:
    coder = ModelCoder(book, use_rules=state["use_rules"])
    coder.examples_, coder.skipped_ = state["examples"], dict(state["skipped"])
    coder.words_, coder.questions_ = state["words"], state["questions"]
    coder.rule_features_ = state["rule_features"]
    coder.codes_ = {code: CodeModel(m["classifier"], m["calibrator"], float(m["threshold"]),
                                    int(m["positives"]), dict(m["cv"]))
                    for code, m in state["codes"].items()}
    return coder
