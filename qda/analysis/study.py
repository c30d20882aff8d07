"""The study table: interviews, participants and policies by country and role.

It is the first table of a findings chapter ("42 participants about 25 policies"), so the
totals are counted, not summed: a policy discussed by an expert and a beneficiary is one
policy, and a person named in two interviews' metadata is one participant.
"""
from __future__ import annotations

import pandas as pd

from qda.project import Project
from qda.analysis.cases import CaseData, as_cases
from qda.analysis.labels import group_order
from qda.lang import check_lang, group_label, text
from qda.vocab import NONE, TOTAL

MEASURES = ("policies", "interviews", "participants")


def study(source: Project | CaseData, lang: str = "en") -> pd.DataFrame:
    """One row per country and role present, per-country and per-role totals (`Total`) and
    the grand total; columns country, role, their labels, interviews, participants,
    policies."""
    check_lang(lang)
    docs = as_cases(source).documents
    countries = group_order("country", list(docs["country"].unique()))
    roles = group_order("role", list(docs["role"].unique()))
    rows = []
    for country in countries + [TOTAL]:
        for role in roles + [TOTAL]:
            cell = docs[((docs["country"] == country) | (country == TOTAL))
                        & ((docs["role"] == role) | (role == TOTAL))]
            if cell.empty and TOTAL not in (country, role):
                continue
            people: set[str] = set().union(*cell["participant_ids"]) if len(cell) else set()
            rows.append({
                "country": country, "role": role,
                "country_label": group_label("country", country, lang),
                "role_label": group_label("role", role, lang),
                "interviews": len(cell), "participants": len(people),
                "policies": cell.loc[cell["policy"] != NONE, "policy"].nunique()})
    frame = pd.DataFrame(rows, columns=["country", "role", "country_label", "role_label",
                                        "interviews", "participants", "policies"])
    frame.attrs.update(lang=lang)
    return frame


def study_table(long: pd.DataFrame) -> pd.DataFrame:
    """The readable layout of the study's report: countries as columns, and for policies,
    interviews and participants a total row followed by one row per role."""
    lang = long.attrs.get("lang", "en")
    countries = list(dict.fromkeys(long["country"]))
    roles = group_order("role", [r for r in long["role"].unique() if r != TOTAL])
    cells = long.set_index(["country", "role"])
    labels = dict(zip(long["country"], long["country_label"]))
    role_labels = dict(zip(long["role"], long["role_label"]))
    rows = []
    for measure in MEASURES:
        for role in [TOTAL] + roles:
            row = {"measure": measure, "role": "" if role == TOTAL else role,
                   "label": text(measure, lang) if role == TOTAL else role_labels[role]}
            for country in countries:
                key = (country, role)
                row[labels[country]] = int(cells.at[key, measure]) if key in cells.index else 0
            rows.append(row)
    return pd.DataFrame(rows)
