"""Inter-coder agreement: how far two coders (two people, or a person and a machine) agree.

A person's coding of a passage is what she accepted: her own codes and the machine
suggestions she accepted; the passages she reviewed are her units, including those she left
without a code. A machine coder's coding is everything it suggested, whatever became of it,
and its units are the passages of the documents it ran on. Agreement is measured on the
units both coded, per code as a yes/no judgement: Cohen's kappa, percent agreement and
Krippendorff's alpha (nominal, from the `krippendorff` package), plus alpha pooled over all
codes.
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from qda.errors import QdaError, UsageError
from qda.project import Project

LEVELS = ("axis", "theme")
UNITS = ("segment", "document")


@dataclass
class Coded:
    """One coder's judgements: the units she decided on and the (unit, code) pairs she gave."""

    units: set[Hashable]  # segment ids, or document names
    pairs: set[tuple[Hashable, str]]


@dataclass
class Agreement:
    """Per-code agreement of two coders, and the summary figures."""

    coder_a: str
    coder_b: str
    level: str
    unit: str
    units: int          # units both coders decided on
    table: pd.DataFrame  # code, a, b, both, neither, percent_agreement, kappa, alpha
    mean_kappa: float | None
    alpha: float | None  # pooled over codes


def human_coders(project: Project) -> list[str]:
    """People who have decided on passages (the reviews table), most active first."""
    reviews = project.store.reviews_frame()
    return reviews.coder.value_counts().index.tolist()


def coded_by(project: Project, coder: str, level: str = "axis") -> Coded:
    """What `coder` decided, at axis or theme level, on segments."""
    codings = project.store.codings_frame()
    reviews = project.store.reviews_frame()
    reviewed = set(reviews.loc[reviews.coder == coder, "segment_id"].astype(int))
    if reviewed:
        mine = codings[(codings.status == "accepted")
                       & ((codings.coder == coder) | (codings.reviewer == coder))]
        units = reviewed
    else:
        mine = codings[codings.coder == coder]
        if mine.empty:
            raise QdaError(f"coder '{coder}' has no codings and has reviewed no passage; "
                           "known coders: " + ", ".join(known_coders(project)))
        segments = project.store.segments_frame()
        documents = set(mine.document)
        units = set(segments.loc[(segments.is_interviewer == 0)
                                 & segments.document.isin(documents), "segment_id"].astype(int))
    codes = _at_level(mine.code, level)
    pairs = {(int(s), c) for s, c in zip(mine.segment_id.loc[codes.index], codes)}
    return Coded(units, pairs)


def known_coders(project: Project) -> list[str]:
    codings = project.store.codings_frame()
    return sorted(set(codings.coder) | set(codings.reviewer.dropna()) | set(human_coders(project)))


def compare(project: Project, coder_a: str, coder_b: str, level: str = "axis",
            unit: str = "segment") -> Agreement:
    """Agreement of two coders on the units both decided on."""
    if level not in LEVELS:
        raise UsageError(f"--level must be one of {', '.join(LEVELS)}, not '{level}'")
    if unit not in UNITS:
        raise UsageError(f"--unit must be one of {', '.join(UNITS)}, not '{unit}'")
    if coder_a == coder_b:
        raise UsageError("give two different coders")
    a, b = coded_by(project, coder_a, level), coded_by(project, coder_b, level)
    if unit == "document":
        segments = project.store.segments_frame()
        document_of = dict(zip(segments.segment_id.astype(int), segments.document))
        a, b = _by_document(a, document_of), _by_document(b, document_of)
    units = sorted(a.units & b.units)
    if not units:
        raise QdaError(f"'{coder_a}' and '{coder_b}' have no {unit} in common to compare")
    codes = [c.path for c in project.codebook.codes if (c.theme is None) == (level == "axis")]
    return agreement_of(_matrix(a, units, codes), _matrix(b, units, codes), coder_a,
                        coder_b, level, unit)


def agreement_of(a: pd.DataFrame, b: pd.DataFrame, coder_a: str = "A", coder_b: str = "B",
                 level: str = "axis", unit: str = "segment") -> Agreement:
    """Agreement of two 0/1 tables with the same units (rows) and codes (columns)."""
    rows = []
    for code in a.columns:
        x, y = a[code].to_numpy(), b[code].to_numpy()
        rows.append({"code": code, "a": int(x.sum()), "b": int(y.sum()),
                     "both": int((x & y).sum()), "neither": int(((1 - x) & (1 - y)).sum()),
                     "percent_agreement": float((x == y).mean()),
                     "kappa": cohen_kappa(x, y), "alpha": nominal_alpha(x, y)})
    table = pd.DataFrame(rows)
    kappas = table.kappa.dropna()
    pooled = nominal_alpha(a.to_numpy().ravel(), b.to_numpy().ravel())
    return Agreement(coder_a, coder_b, level, unit, len(a), table,
                     float(kappas.mean()) if len(kappas) else None, pooled)


def cohen_kappa(x: np.ndarray, y: np.ndarray) -> float | None:
    """Cohen's kappa, or None where it is undefined (both coders constant and equal:
    agreement by chance is then total, so there is nothing to correct for)."""
    if len(set(x) | set(y)) < 2:
        return None
    from sklearn.metrics import cohen_kappa_score  # seconds to import: only when compared
    return float(cohen_kappa_score(x, y))


def nominal_alpha(x: np.ndarray, y: np.ndarray) -> float | None:
    """Krippendorff's alpha for two coders on yes/no data; None where only one value occurs."""
    if len(set(x) | set(y)) < 2:
        return None
    import krippendorff
    return float(krippendorff.alpha(reliability_data=np.vstack([x, y]).astype(float),
                                    level_of_measurement="nominal"))


def _at_level(codes: pd.Series, level: str) -> pd.Series:
    if level == "axis":
        return codes.str.split("/").str[0]
    return codes[codes.str.contains("/", regex=False)]


def _by_document(coded: Coded, document_of: dict[int, str]) -> Coded:
    """A code is in a document when any of its passages carries it."""
    return Coded({document_of[u] for u in coded.units},
                 {(document_of[s], c) for s, c in coded.pairs})


def _matrix(coded: Coded, units: list[Hashable], codes: list[str]) -> pd.DataFrame:
    table = pd.DataFrame(0, index=pd.Index(units, name="unit"), columns=codes)
    for unit_id, code in coded.pairs:
        if unit_id in table.index and code in table.columns:
            table.at[unit_id, code] = 1
    return table
