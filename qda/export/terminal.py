"""Rich tables of the analysis frames for the terminal, made to fit 80 columns.

Wide cross-tables (one column per policy, say) are split into several tables that repeat
the label column, rather than squeezed until their numbers wrap.
"""
from __future__ import annotations

import math
import textwrap

import pandas as pd
from rich import box
from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from qda.analysis.frequencies import ANY, TOTAL, ranked_codes
from qda.lang import noun, text

LABEL_MIN = 18
GAP = 2  # the space rich leaves between two columns of these tables
HEADER_MAX = 12  # group names longer than this wrap onto several header lines


def _table(title: str | None = None) -> Table:
    return Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False,
                 collapse_padding=True, show_edge=False, title_justify="left",
                 title_style="bold")


def count(n: float, share: float | None = None) -> str:
    """'5 (42%)', or just '5' when the share is unknown."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return f"{int(n)}"
    return f"{int(n)} ({share:.0%})"


def summary(freq: pd.DataFrame, unit: str, width: int) -> list[RenderableType]:
    """The frequency cross-table: a row per axis and theme, a column per group."""
    lang = freq.attrs.get("lang", "en")
    by = freq.attrs.get("by", "country")
    measure, share, other = (("interviews", "interview_share", "passages")
                             if unit == "interview" else
                             ("passages", "passage_share", "interviews"))
    size_column = "group_" + measure
    codes = ranked_codes(freq, unit)
    cells = freq.set_index(["code", "group"])
    groups = [g for g in dict.fromkeys(freq["group"]) if g != TOTAL]
    firsts = freq.drop_duplicates("group").set_index("group")
    suggested = "suggested_" + measure in freq.columns

    def column(group: str) -> tuple[str, list[str]]:
        values = [count(cells.at[(c, group), measure], cells.at[(c, group), share])
                  for c in codes]
        size = firsts.at[group, size_column]
        name = str(firsts.at[group, "group_label"])
        width = max([HEADER_MAX] + [len(v) for v in values] + [len(w) for w in name.split()])
        header = "\n".join(textwrap.wrap(name, width, break_long_words=False))
        if pd.notna(size):
            header += f"\nn={count(size)}"
        return header, values

    fixed = [column(TOTAL), (text(other, lang), [count(cells.at[(c, TOTAL), other])
                                                 for c in codes])]
    if suggested:
        fixed.append((text("suggested", lang),
                      [f"+{int(cells.at[(c, TOTAL), 'suggested_' + measure])}"
                       if cells.at[(c, TOTAL), "suggested_" + measure] else ""
                       for c in codes]))
    chunks = _chunks([column(g) for g in groups], fixed, width)
    key = "summary_title" if unit == "interview" else "summary_title_segment"
    title = text(key, lang, by=noun(by, lang, plural=False))
    out: list[RenderableType] = []
    for index, chunk in enumerate(chunks):
        suffix = f" ({index + 1}/{len(chunks)})" if len(chunks) > 1 else ""
        table = _table(title + suffix)
        table.add_column("", ratio=1, min_width=LABEL_MIN, overflow="fold")
        for header, _ in chunk + fixed:  # a group name is data ("Programa [piloto]")
            table.add_column(Text(header), justify="right", no_wrap=True)
        for row, code in enumerate(codes):
            level = cells.at[(code, TOTAL), "level"]
            label = cells.at[(code, TOTAL), "label"]
            style = "bold" if level == "axis" else "italic" if code == ANY else ""
            name = Padding(Text(label, style=style), (0, 0, 0, 2 if level == "theme" else 0))
            table.add_row(name, *[values[row] for _, values in chunk + fixed],
                          end_section=code == ANY)
        out.append(table)
    notes = [text("summary_note_" + unit, lang, by=noun(by, lang, plural=False)),
             text("with_suggested", lang) if suggested else text("accepted_only", lang)]
    out.append(Text(" ".join(notes), style="dim"))
    return out


def _chunks(columns: list[tuple[str, list[str]]], fixed: list[tuple[str, list[str]]],
            width: int) -> list[list[tuple[str, list[str]]]]:
    """Split group columns into runs that fit beside the label and the fixed columns."""
    def need(col: tuple[str, list[str]]) -> int:
        header, values = col
        return max([len(line) for line in header.split("\n")] + [len(v) for v in values]) + GAP

    room = width - LABEL_MIN - sum(need(c) for c in fixed)
    chunks: list[list[tuple[str, list[str]]]] = [[]]
    used = 0
    for col in columns:
        if chunks[-1] and used + need(col) > room:
            chunks.append([])
            used = 0
        chunks[-1].append(col)
        used += need(col)
    return chunks


def study(wide: pd.DataFrame, lang: str) -> list[RenderableType]:
    table = _table(text("study_title", lang))
    table.add_column("", min_width=LABEL_MIN, overflow="fold")
    groups = [c for c in wide.columns if c not in ("measure", "role", "label")]
    for group in groups:
        table.add_column(str(group), justify="right", no_wrap=True)
    for row in wide.itertuples(index=False):
        total = row.role == ""
        label = Padding(Text(row.label, style="bold" if total else ""),
                        (0, 0, 0, 0 if total else 2))
        table.add_row(label, *[str(value) for value in row[3:]])
    return [table]


def cooccurrence(frame: pd.DataFrame, unit: str, lang: str, limit: int) -> list[RenderableType]:
    word = text("passage" if unit == "segment" else "interview", lang)
    measure = "passages" if unit == "segment" else "interviews"
    shown = frame[frame[measure] > 0].sort_values(
        [measure, f"{'passage' if unit == 'segment' else 'interview'}_jaccard"],
        ascending=False, kind="stable")
    total = len(shown)
    if limit:
        shown = shown.head(limit)
    table = _table(text("cooccur_title", lang, unit=word))
    table.add_column("A", ratio=1, overflow="fold")
    table.add_column("B", ratio=1, overflow="fold")
    table.add_column(text(measure, lang), justify="right", no_wrap=True)
    table.add_column("Jaccard", justify="right", no_wrap=True)
    prefix = "passage" if unit == "segment" else "interview"
    for row in shown.itertuples():
        table.add_row(row.label_a, row.label_b, str(getattr(row, measure)),
                      f"{getattr(row, prefix + '_jaccard'):.2f}")
    note = text("cooccur_note", lang, unit=word)
    if limit and total > limit:
        note += f" {len(shown)}/{total}."
    return [table, Text(note, style="dim")]


def differences(frame: pd.DataFrame, lang: str) -> list[RenderableType]:
    by = frame.attrs.get("by", "country")
    table = _table(text("differences_title", lang, plural=noun(by, lang)))
    table.add_column("", ratio=2, overflow="fold")
    table.add_column(text("interviews", lang), justify="right", no_wrap=True)
    table.add_column(noun(by, lang).capitalize(), ratio=3, overflow="fold")
    table.add_column("p", justify="right", no_wrap=True)
    for row in frame.itertuples():
        axis = row.level == "axis"
        label = Padding(Text(row.label, style="bold" if axis else ""), (0, 0, 0, 0 if axis else 2))
        where = row.where_raised or text("not_raised", lang)
        p = "" if row.test == "none" else f"{row.p_value:.2f}" + ("*" if row.significant
                                                                   else "")
        if row.small_counts:
            p += "†"
        table.add_row(label, f"{row.interviews}/{row.of}", where, p)
    tests = "; ".join(sorted({r.test_name for r in frame.itertuples() if r.test != "none"}))
    notes = [text("test_used", lang, tests=tests) if tests else "",
             text("significance", lang, alpha=frame.attrs.get("alpha", 0.05)),
             f"† {text('small', lang)}"]
    return [table, Text(". ".join(filter(None, notes)) + ".", style="dim")]


def saturation(curve: pd.DataFrame, points: pd.DataFrame, lang: str) -> list[RenderableType]:
    """The study-wide curve interview by interview, then where each country's flattens."""
    order = curve.attrs.get("order", "date")
    overall = curve[curve["scope"] == curve["scope"].iloc[0]] if len(curve) else curve
    table = _table(text("saturation_title", lang, order=text(order, lang)))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(text("interview_col", lang), no_wrap=True)
    table.add_column(text("date_col", lang), no_wrap=True)
    table.add_column(text("new_themes", lang), justify="right", no_wrap=True)
    table.add_column(text("themes_found", lang), justify="right", no_wrap=True)
    for row in overall.itertuples():
        table.add_row(str(row.position), row.document, "" if pd.isna(row.date) else str(row.date),
                      f"+{row.new_themes}" if row.new_themes else "", str(row.cumulative))
    per_scope = _table()
    per_scope.add_column("", no_wrap=True)
    per_scope.add_column(text("interviews", lang), justify="right")
    per_scope.add_column(text("themes_found", lang), justify="right")
    per_scope.add_column(text("last_new", lang), justify="right")
    for row in points.itertuples():
        per_scope.add_row(row.scope_label, str(row.interviews), str(row.themes_found),
                          f"#{row.last_new_at}" if row.last_new_at else "")
    return [table, per_scope]
