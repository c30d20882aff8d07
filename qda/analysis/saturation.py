"""Code saturation: how many distinct themes have been found as interviews are added.

A curve that flattens says later interviews brought no new themes, the usual argument that
enough people were interviewed. It counts themes (axis/theme codes) from accepted codings;
axes are fixed by the interview guide and would saturate at once.
"""
from __future__ import annotations

import pandas as pd

from qda.analysis.cases import CaseData, as_cases
from qda.analysis.labels import group_order
from qda.errors import UsageError
from qda.lang import check_lang, group_label, text
from qda.project import Project

ORDERS = ("date", "import")
ALL = "all"
COLUMNS = ["scope", "scope_label", "position", "document", "date", "country", "new_themes",
           "new_codes", "cumulative", "themes_found"]


def saturation(source: Project | CaseData, order: str = "date", lang: str = "en"
               ) -> pd.DataFrame:
    """One row per interview, first in the whole study (`scope` 'all'), then within each
    country: its position in the order, the themes it raised first (`new_codes`, ';'
    separated), and the distinct themes found so far (`cumulative`) out of all the scope
    raises (`themes_found`).

    `order="date"` sorts by interview date (undated interviews last, in import order);
    `order="import"` keeps the order interviews were imported.
    """
    if order not in ORDERS:
        raise UsageError(f"--order must be one of {', '.join(ORDERS)}, not '{order}'")
    check_lang(lang)
    cases = as_cases(source)
    docs = cases.documents
    if order == "date":
        docs = docs.assign(_undated=docs["date"].isna() | (docs["date"].astype(str) == ""))
        docs = docs.sort_values(["_undated", "date", "order"], kind="stable")
    else:
        docs = docs.sort_values("order", kind="stable")
    accepted = cases.accepted
    themes = accepted[accepted["code"].str.contains("/", regex=False)]
    raised = themes.groupby("document")["code"].agg(set).to_dict()
    code_order = {c.path: i for i, c in enumerate(cases.codes)}

    scopes = [(ALL, text("all", lang), docs)]
    for country in group_order("country", list(docs["country"].unique())):
        scopes.append((country, group_label("country", country, lang),
                       docs[docs["country"] == country]))
    rows = []
    for scope, label, members in scopes:
        seen: set[str] = set()
        start = len(rows)
        for position, doc in enumerate(members.itertuples(), start=1):
            new = sorted(raised.get(doc.document, set()) - seen, key=code_order.get)
            seen.update(new)
            rows.append({"scope": scope, "scope_label": label, "position": position,
                         "document": doc.document, "date": doc.date, "country": doc.country,
                         "new_themes": len(new), "new_codes": ";".join(new),
                         "cumulative": len(seen)})
        for row in rows[start:]:
            row["themes_found"] = len(seen)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.attrs.update(order=order, lang=lang)
    return frame


def saturation_points(curve: pd.DataFrame) -> pd.DataFrame:
    """Per scope: interviews, themes found, and the position of the last interview that
    brought a new theme (the curve is flat after it)."""
    rows = []
    for scope, part in curve.groupby("scope", sort=False):
        adding = part[part["new_themes"] > 0]
        rows.append({"scope": scope, "scope_label": part["scope_label"].iloc[0],
                     "interviews": len(part), "themes_found": int(part["cumulative"].max()),
                     "last_new_at": int(adding["position"].max()) if len(adding) else 0,
                     "new_in_last_third": int(part.loc[part["position"] > len(part) * 2 / 3,
                                                       "new_themes"].sum())})
    return pd.DataFrame(rows, columns=["scope", "scope_label", "interviews", "themes_found",
                                       "last_new_at", "new_in_last_third"])
