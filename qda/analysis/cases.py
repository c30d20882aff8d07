"""The case data every analysis starts from: the interviews with their attributes, and the
codings that count.

Loaded once from a project (or assembled from DataFrames in a notebook), so one command or
notebook reads the store once and every table agrees on what was counted.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from qda.analysis.labels import BY
from qda.codebook.model import Code, Codebook
from qda.project import Project
from qda.vocab import MACHINE_KINDS, NONE

DOCUMENT_COLUMNS = ["document", *BY, "language", "date", "order", "passages", "participants",
                    "participant_ids"]
CODING_COLUMNS = ["document", "segment_id", "code", "status"]


@dataclass
class CaseData:
    """Interviews and the codings analyses count.

    `documents`: one row per interview with its case attributes (a missing country, role,
    policy or sector is '(none)'), `order` (import order), `passages` (respondent passages)
    and `participants`. `codings`: one row per passage and code with status `accepted`, or
    `suggested` for pending machine suggestions when they were asked for. `codes`: the
    codebook's codes in its order, then codes found only in codings.
    """

    documents: pd.DataFrame
    codings: pd.DataFrame
    codes: list[Code]

    @property
    def accepted(self) -> pd.DataFrame:
        return self.codings[self.codings["status"] == "accepted"]

    def label(self, path: str, lang: str) -> str:
        code = self._index.get(path)
        return code.label(lang) if code else path

    def __post_init__(self) -> None:
        self._index = {c.path: c for c in self.codes}

    @classmethod
    def from_frames(cls, documents: pd.DataFrame, codings: pd.DataFrame,
                    codebook: Codebook | None = None, include_suggested: bool = False,
                    coders: Iterable[str] | None = None) -> CaseData:
        """Case data from frames like `Project.documents_frame()` and `codings_frame()`.

        Accepted codings count (only those by, or reviewed by, `coders` when given); pending
        suggestions by the machine coders are kept apart when `include_suggested`; rejected
        codings never count. Documents need `name` or `document`; `passages` and
        `participants` default to unknown and one.
        """
        docs = documents.rename(columns={"name": "document"}).copy()
        for column in BY:
            values = docs[column] if column in docs else pd.Series(None, index=docs.index)
            docs[column] = values.map(_group_value)
        for column, default in (("language", None), ("date", None), ("passages", float("nan"))):
            if column not in docs:
                docs[column] = default
        if "order" not in docs:
            docs["order"] = docs["id"] if "id" in docs else range(len(docs))
        if "participant_ids" not in docs:
            docs["participant_ids"] = [(f"{name}#1",) for name in docs["document"]]
        docs["participants"] = docs["participant_ids"].map(len)
        docs["order"] = docs["order"].rank(method="first").astype(int)
        docs = docs[DOCUMENT_COLUMNS].sort_values("order").reset_index(drop=True)

        status = codings["status"]
        keep = status == "accepted"
        if coders is not None:
            wanted = set(coders)
            by_them = codings["coder"].isin(wanted)
            if "reviewer" in codings:
                by_them |= codings["reviewer"].isin(wanted)
            keep &= by_them
        if include_suggested:
            keep |= (status == "suggested") & codings["kind"].isin(MACHINE_KINDS)
        kept = codings.loc[keep & codings["document"].isin(docs["document"]), CODING_COLUMNS]
        kept = kept.drop_duplicates(["segment_id", "code", "status"]).reset_index(drop=True)

        codes = list(codebook.codes) if codebook else []
        known = {c.path for c in codes}
        extra = sorted(set(kept["code"].unique()) - known, key=_code_sort_key)
        codes += [Code(path, {}) for path in extra]
        return cls(docs, kept, codes)


def load(project: Project, include_suggested: bool = False,
         coders: Iterable[str] | None = None, facts: pd.DataFrame | None = None) -> CaseData:
    """Read the project's interviews and countable codings once (`facts`: the store's
    `coding_facts_frame()`, when the caller has read it for more than counting)."""
    codebook = project.codebook
    documents = project.documents_frame()
    speakers = project.store.speakers_frame()
    passages = speakers.groupby("document")["passages"].sum()
    documents["passages"] = documents["name"].map(passages).fillna(0).astype(int)
    documents["participant_ids"] = [
        participant_ids(row.name, row.extra, speakers_of)
        for row, speakers_of in zip(
            documents.itertuples(),
            documents["name"].map(speakers.groupby("document")["speaker"].agg(list)))]
    documents["order"] = documents["id"]
    codings = project.store.coding_facts_frame() if facts is None else facts
    return CaseData.from_frames(documents, codings, codebook, include_suggested, coders)


def participant_ids(document: str, extra: str | dict | None, speakers: Any
                    ) -> tuple[str, ...]:
    """Who spoke in an interview, as opaque ids (names never leave this function).

    Names given in the metadata (`participant` or `participants`: a name, a list of names,
    or a number) identify people across interviews, so someone interviewed about two
    policies counts once; otherwise each respondent speaker label is one participant of this
    interview, and an interview without labels has one.
    """
    meta = json.loads(extra) if isinstance(extra, str) else (extra or {})
    given = meta.get("participants", meta.get("participant"))
    if isinstance(given, int) and given > 0:
        return tuple(f"{document}#{i}" for i in range(1, given + 1))
    names = [given] if isinstance(given, str) else given if isinstance(given, list) else []
    names = [" ".join(str(n).split()).casefold() for n in names if str(n).strip()]
    if names:
        return tuple(sorted({_opaque(name) for name in names}))
    labels = sorted({str(s) for s in speakers if s}) if isinstance(speakers, list) else []
    return tuple(sorted({_opaque(f"{document}\x1f{label}") for label in labels})) or (
        f"{document}#1",)


def _opaque(key: str) -> str:
    """A stable id that does not reveal the name or speaker label it stands for."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def as_cases(source: Project | CaseData, include_suggested: bool = False,
             coders: Iterable[str] | None = None) -> CaseData:
    """Accept either a project (loaded here with these options) or case data already
    loaded (used as it is)."""
    if isinstance(source, CaseData):
        return source
    return load(source, include_suggested, coders)


def _group_value(value: Any) -> str:
    """An attribute value as a group name; missing or blank is '(none)'."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return NONE
    return str(value).strip() or NONE


def axis_of(code: str) -> str:
    return code.split("/", 1)[0]


def _code_sort_key(path: str) -> tuple[str, int, str]:
    return axis_of(path), path.count("/"), path
