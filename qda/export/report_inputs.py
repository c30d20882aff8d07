"""What the findings chapter reads and picks before writing: the axes and countries asked
for, the passages it may quote (without their words, read for the few scored in full), and the
filters named in its appendix."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from qda.analysis.cases import CaseData
from qda.analysis.labels import group_order
from qda.analysis.quotes import CANDIDATE_COLUMNS
from qda.errors import UsageError
from qda.lang import group_label, words
from qda.lang.prose import listing
from qda.store import Store
from qda.vocab import NONE

FACT_COLUMNS = ["document", "segment_id", "code", "coder", "reviewer", "kind", "status"]


def read_codings(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The codings not rejected, read once (the codings table is most of a large store):
    as the store's `coding_facts_frame()` gives them (one row per coding, in id order), and
    one row per coded part as `quote_candidates_frame()` gives them."""
    parts = store.quote_candidates_frame()
    facts = parts.drop_duplicates("coding_id").sort_values("coding_id", kind="stable")
    return facts[FACT_COLUMNS].reset_index(drop=True), parts


def candidates(parts: pd.DataFrame, cases: CaseData, include_suggested: bool) -> pd.DataFrame:
    """Passages that may be quoted: the counted codings (accepted, and pending machine
    suggestions when asked) with their offsets, coder and case attributes, from `parts`
    (`read_codings`: a candidate quote per coded part); their text and evidence are read by
    `candidate_words` for the few the chooser scores in full."""
    counted = cases.codings[["segment_id", "code", "status"]].drop_duplicates()
    frame = parts.merge(counted, on=["segment_id", "code", "status"])
    docs = cases.documents.set_index("document")
    for column in ("country", "role", "policy", "language"):
        frame[column] = frame["document"].map(docs[column])
    frame["codes_on_passage"] = frame.groupby("segment_id")["code"].transform("nunique")
    if not include_suggested:
        frame = frame[frame["status"] == "accepted"]
    frame["text"] = frame["evidence"] = None
    return frame[[*CANDIDATE_COLUMNS, "coder"]].reset_index(drop=True)


def candidate_words(store: Store) -> Callable[[Any], tuple[str, str | None]]:
    """(text, evidence) of a candidate: its part of the passage as stored, and its coding's
    evidence."""
    def words(row) -> tuple[str, str | None]:
        segment = store.segment(int(row.segment_id))
        text = segment.text[int(row.start) - segment.start:int(row.end) - segment.start]
        evidence = next((c["evidence"] for c in store.segment_codings(int(row.segment_id))
                         if c["code"] == row.code and c["coder"] == row.coder), None)
        return text, evidence
    return words


def check_axes(cases: CaseData, axes: Iterable[str] | None) -> list[str]:
    known = [c.path for c in cases.codes if "/" not in c.path]
    if not axes:
        return known
    chosen = [a.strip() for a in axes if a.strip()]
    unknown = [a for a in chosen if a not in known]
    if unknown:
        raise UsageError(f"unknown axis '{unknown[0]}'; the axes are {', '.join(known)}")
    return [a for a in known if a in chosen]


def only_countries(cases: CaseData, countries: Iterable[str] | None
                    ) -> tuple[CaseData, list[str]]:
    """The interviews of these countries (matched in any case, English or Spanish name)."""
    wanted = [c.strip() for c in countries or () if c.strip()]
    if not wanted:
        return cases, []
    docs = cases.documents
    present = [c for c in group_order("country", list(docs["country"].unique())) if c != NONE]
    names = {n.casefold(): c for c in present
             for n in (c, group_label("country", c, "es"), group_label("country", c, "en"))}
    missing = [c for c in wanted if c.casefold() not in names]
    if missing:
        raise UsageError(f"no interviews from '{missing[0]}'; the countries are "
                         f"{', '.join(present) or 'none'}")
    keep = {names[c.casefold()] for c in wanted}
    mine = docs[docs["country"].isin(keep)].reset_index(drop=True)
    codings = cases.codings[cases.codings["document"].isin(mine["document"])]
    return CaseData(mine, codings.reset_index(drop=True), cases.codes), sorted(keep)


def filters(axes: list[str], countries: list[str], cases: CaseData, lang: str) -> str:
    what = []
    all_axes = [c.path for c in cases.codes if "/" not in c.path]
    if axes != all_axes:
        what.append(words("filter_axes", lang, axes=listing(
            [cases.label(a, lang) for a in axes], lang)))
    if countries:
        what.append(words("filter_countries", lang, countries=listing(
            [group_label("country", c, lang) for c in countries], lang)))
    return words("filters", lang, what=listing(what, lang)) if what else ""
