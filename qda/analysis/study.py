"""The study table: interviews, participants and policies by country and role.

It is the first table of a findings chapter ("42 participants about 25 policies"), so the
totals are counted, not summed: a policy discussed by an expert and a beneficiary is one
policy, and a person named in two interviews' metadata is one participant.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qda.analysis.labels import group_order
from qda.lang import check_lang, group_label, text
from qda.project import Project
from qda.vocab import NONE, ROLES, TOTAL

if TYPE_CHECKING:
    import pandas as pd

    from qda.analysis.cases import CaseData

MEASURES = ("policies", "interviews", "participants")


@dataclass
class Overview:
    """`qda status`: interviews by country (as stored) and role, with policies and passages.

    Counted straight from the store, without pandas, so the command answers at once; like
    `study`, totals are counted, not summed (a policy is one per country however many
    roles discussed it)."""

    rows: list[dict[str, Any]]  # one per country and role: documents, policies, segments
    roles: list[str | None]  # the role columns, in ROLES order; None: interviews without one
    countries: list[dict[str, Any]]  # country, roles (a count per column), interviews, ...
    total: dict[str, Any]  # ... policies and passages; the same keys for the whole study


def overview(project: Project) -> Overview:
    """The counts `qda status` shows and its --json prints."""
    rows = [dict(r) for r in project.store.counts_by_case()]
    policies = {(r["country"], r["policy"]) for r in project.store.policies_by_country()}
    roles: list[str | None] = [r for r in ROLES if any(row["role"] == r for row in rows)]
    if any(row["role"] not in ROLES for row in rows):
        roles.append(None)

    def counts(mine: list[dict[str, Any]], places: set[tuple[str, str]]) -> dict[str, Any]:
        return {"roles": [sum(row["documents"] for row in mine if row["role"] == r)
                          for r in roles],
                "interviews": sum(row["documents"] for row in mine),
                "policies": len(places),
                "passages": sum(row["segments"] or 0 for row in mine)}

    countries = [{"country": country,
                  **counts([row for row in rows if (row["country"] or "") == country],
                           {p for p in policies if (p[0] or "") == country})}
                 for country in sorted({row["country"] or "" for row in rows})]
    total = counts(rows, policies)
    total["interviews"] = sum(total["roles"])  # those of the role columns
    return Overview(rows, roles, countries, total)


def study(source: Project | CaseData, lang: str = "en") -> pd.DataFrame:
    """One row per country and role present, per-country and per-role totals (`Total`) and
    the grand total; columns country, role, their labels, interviews, participants,
    policies."""
    import pandas as pd

    from qda.analysis.cases import as_cases
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
    import pandas as pd
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
