"""Every table qda draws in a terminal, for the command line and the TUI alike.

The findings tables are made to fit 80 columns: wide cross-tables (one column per policy,
say) are split into several tables that repeat the label column, rather than squeezed until
their numbers wrap. Below them, the command's own listings (speakers, status, passages,
flagged items, training and evaluation scores, a passage explained, the code tree).

Text from people and files (names, passages, labels) goes into rich as `Text`, never as
markup. pandas is imported by the functions that take a DataFrame (their caller has loaded
it already), so `qda status` and `qda flagged` draw without it.
"""
from __future__ import annotations

import json
import math
import textwrap
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from qda.lang import noun, text
from qda.vocab import SHORT_ROLES

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from qda.analysis.agreement import Agreement
    from qda.analysis.study import Overview
    from qda.codebook.model import Codebook
    from qda.coders.evaluate import GoldScores
    from qda.coders.explain import Explanation

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
    import pandas as pd

    from qda.analysis.frequencies import ANY, TOTAL, ranked_codes
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
        table.add_column(Text(str(group)), justify="right", no_wrap=True)
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
        table.add_row(Text(row.label_a), Text(row.label_b), str(getattr(row, measure)),
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
        table.add_row(label, f"{row.interviews}/{row.of}", Text(where), p)
    tests = "; ".join(sorted({r.test_name for r in frame.itertuples() if r.test != "none"}))
    notes = [text("test_used", lang, tests=tests) if tests else "",
             text("significance", lang, alpha=frame.attrs.get("alpha", 0.05)),
             f"† {text('small', lang)}"]
    return [table, Text(". ".join(filter(None, notes)) + ".", style="dim")]


def saturation(curve: pd.DataFrame, points: pd.DataFrame, lang: str) -> list[RenderableType]:
    """The study-wide curve interview by interview, then where each country's flattens."""
    import pandas as pd
    order = curve.attrs.get("order", "date")
    overall = curve[curve["scope"] == curve["scope"].iloc[0]] if len(curve) else curve
    table = _table(text("saturation_title", lang, order=text(order, lang)))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(text("interview_col", lang), no_wrap=True)
    table.add_column(text("date_col", lang), no_wrap=True)
    table.add_column(text("new_themes", lang), justify="right", no_wrap=True)
    table.add_column(text("themes_found", lang), justify="right", no_wrap=True)
    for row in overall.itertuples():
        table.add_row(str(row.position), Text(row.document),
                      "" if pd.isna(row.date) else str(row.date),
                      f"+{row.new_themes}" if row.new_themes else "", str(row.cumulative))
    per_scope = _table()
    per_scope.add_column("", no_wrap=True)
    per_scope.add_column(text("interviews", lang), justify="right")
    per_scope.add_column(text("themes_found", lang), justify="right")
    per_scope.add_column(text("last_new", lang), justify="right")
    for row in points.itertuples():
        per_scope.add_row(Text(row.scope_label), str(row.interviews), str(row.themes_found),
                          f"#{row.last_new_at}" if row.last_new_at else "")
    return [table, per_scope]


# -- the command's own listings --------------------------------------------------------------
def _scores(title: str | None = None) -> Table:
    """The plain table of scores and listings: a rule under the header, no outer edge; the
    title (which may name coders and codes) is data, in the table's title style."""
    return Table(title=Text(title, style="table.title") if title else None,
                 box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)


def _num(value: float | None) -> str:
    return "n/a" if value is None or value != value else f"{value:.2f}"


def speakers(rows: list[dict[str, Any]]) -> Table:
    """`qda speakers`: each label of each interview with its turns, passages and role."""
    table = _scores()
    for column in ("document", "speaker", "turns", "passages", "role"):
        table.add_column(column, justify="right" if column in ("turns", "passages") else "left",
                         no_wrap=column != "speaker")
    for row in rows:
        table.add_row(Text(row["document"]), Text(row["speaker"]), str(row["turns"]),
                      str(row["passages"]), Text(row["role"]))
    return table


def status(view: Overview) -> list[RenderableType]:
    """`qda status`: interviews by country and role with policies and passages, and a key to
    the shortened role names."""
    table = Table(title="Interviews by country and role", show_footer=True, box=box.SIMPLE_HEAD,
                  padding=(0, 1), pad_edge=False, collapse_padding=True)
    total = view.total
    table.add_column("Country", footer="Total")
    for role, count_ in zip(view.roles, total["roles"]):
        table.add_column(Text(SHORT_ROLES["en"].get(role, role) if role else "(none)"),
                         justify="right", footer=str(count_))
    table.add_column("Total", justify="right", footer=str(total["interviews"]))
    table.add_column("Policies", justify="right", footer=str(total["policies"]))
    table.add_column("Passages", justify="right", footer=str(total["passages"]))
    for row in view.countries:
        table.add_row(Text(row["country"] or "(no country)"),
                      *[str(n or "") for n in row["roles"]],
                      str(row["interviews"]), str(row["policies"]), str(row["passages"]))
    return [table, Text("Design+Impl.: designer and implementer; Passages: respondent "
                        "passages to code.", style="dim")]


def passages(frame: pd.DataFrame, total: int) -> Table:
    """`qda segments`: passages with their document and case attributes, long ones cut."""
    table = Table(title=f"{min(total, len(frame))} of {total} passages")
    for column in ("segment_id", "document", "country", "role", "text"):
        table.add_column(column, overflow="fold", ratio=4 if column == "text" else None)
    for row in frame.itertuples():
        body = row.text if len(row.text) <= 160 else row.text[:157] + "…"
        table.add_row(str(row.segment_id), Text(row.document), Text(row.country or ""),
                      Text(row.role or ""), Text(body))
    return table


def flagged(rows: list[dict[str, Any]]) -> Table:
    """`qda flagged`: what re-importing edited transcripts left for a person."""
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(rows)} flagged after transcript edits")
    for column in ("id", "what", "document", "passage", "code", "by", "was"):
        table.add_column(column)
    table.add_column("old passage", no_wrap=True, overflow="ellipsis", max_width=60)
    for r in rows:
        table.add_row(str(r["id"]), r["what"], Text(r["document"]),
                      str(r["segment_id"] or "-"), Text(r["code"] or "-"), Text(r["coder"]),
                      Text(r["old_status"] or "-"), Text(r["old_text"] or ""))
    return table


def codebook_tree(book: Codebook, counts: pd.Series, lang: str) -> Tree:
    """`qda codebook show`: axes and themes with labels and counts of accepted and
    suggested codings (`counts` by code path and status)."""
    tree = Tree(Text(book.name, style="bold"))
    branches = {}
    for code in book.codes:
        accepted = int(counts.get((code.path, "accepted"), 0))
        suggested = int(counts.get((code.path, "suggested"), 0))
        label = Text.assemble(code.label(lang), " ", (code.path, "dim"), "  ",
                              (f"{accepted} accepted", "green"), " ",
                              (f"{suggested} suggested", "yellow"))
        if code.theme is None:
            label.stylize("bold")
            branches[code.path] = tree.add(label)
        else:
            branches[code.axis].add(label)
    return tree


def training(meta: dict[str, Any]) -> list[RenderableType]:
    """`qda train`: what the learners learned from, and their out-of-fold scores per code."""
    shown: list[RenderableType] = [Text(
        f"trained on {meta['passages']} passages of {meta['documents']} interviews "
        f"({meta['trained_on']}); scores are out-of-fold, by interview")]
    for name, learner in meta["learners"].items():
        view = _scores(f"{name}: " + ("text and rule findings (the ensemble)"
                                      if name == "both" else "text alone"))
        for column in ("code", "examples", "precision", "recall", "F1", "threshold"):
            view.add_column(column, justify="left" if column == "code" else "right")
        for code, row in learner["codes"].items():
            view.add_row(Text(code), str(row["positives"]), f"{row['precision']:.2f}",
                         f"{row['recall']:.2f}", f"{row['f1']:.2f}", f"{row['threshold']:.2f}")
        shown.append(view)
        if learner["skipped"]:
            shown.append(Text("too few examples to learn, left to the rules: " + ", ".join(
                f"{code} ({n})" for code, n in learner["skipped"].items())))
        if learner["ruled"]:
            shown.append(Text("left to the rules, which read them better: "
                              + ", ".join(learner["ruled"])))
    return shown


def to_review(frame: pd.DataFrame, source: str, width: int) -> list[RenderableType]:
    """`qda next`: the passages to review next. Ids are what the user types next ('qda
    explain ID'): fixed widths, so a narrow terminal shortens the passage (then the
    document name), never the id."""
    columns = ["segment", "document", "margin", "passage"]
    if frame.margin.isna().all():
        columns.remove("margin")
    widths = {"segment": max(7, *(len(str(i)) for i in frame.segment_id)), "margin": 6}
    spare = (width - widths["segment"] - (6 if "margin" in columns else 0)
             - 2 * len(columns) + 1)  # two spaces between columns, one at the right edge
    widths["document"] = min(max(8, *(len(str(d)) for d in frame.document)), max(8, spare - 12))
    widths["passage"] = max(8, min(120, spare - widths["document"]))
    view = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, collapse_padding=True)
    for column in columns:
        view.add_column(column, justify="right" if column in ("segment", "margin") else "left",
                        overflow="ellipsis", no_wrap=True, width=widths[column])
    for row in frame.itertuples():
        margin = "" if row.margin != row.margin else f"{row.margin:.2f}"
        cells = [str(row.segment_id), Text(row.document), margin,
                 Text(" ".join(row.text.split())[:120])]
        view.add_row(*(cell for cell, column in zip(cells, ["segment", "document", "margin",
                                                             "passage"]) if column in columns))
    return [Text("least certain first (model)" if source == "model"
                 else "in transcript order (no trained model: run 'qda train')"), view]


def agreement(result: Agreement, level: str, unit: str) -> list[RenderableType]:
    """`qda agreement`: per-code agreement of two coders, the overall figures in bold."""
    view = _scores(f"{result.coder_a} and {result.coder_b}: {level} level, "
                   f"{result.units} {unit}s both coded")
    for column in ("code", result.coder_a, result.coder_b, "both", "agreement", "kappa",
                   "alpha"):
        view.add_column(Text(column), justify="left" if column == "code" else "right")
    for row in result.table.itertuples():
        view.add_row(Text(row.code), str(row.a), str(row.b), str(row.both),
                     f"{row.percent_agreement:.0%}", _num(row.kappa), _num(row.alpha))
    view.add_row("overall (mean kappa, pooled alpha)", "", "", "", "", _num(result.mean_kappa),
                 _num(result.alpha), style="bold")
    return [view, Text("n/a: nobody (or everybody) used the code on these units, so "
                       "chance-corrected agreement is undefined", style="dim")]


def evaluation(table: pd.DataFrame, title: str) -> Table:
    """`qda evaluate --reference`: per-code scores, the macro average in bold."""
    view = _scores(title)
    for column in ("code", "support", "precision", "recall", "f1", "kappa", "baseline_f1"):
        view.add_column("base F1" if column == "baseline_f1" else column,
                        justify="left" if column == "code" else "right")
    for row in table.itertuples():
        cells = [f"{getattr(row, c):.2f}" for c in ("precision", "recall", "f1", "kappa",
                                                     "baseline_f1")]
        view.add_row(Text(row.code), str(row.support), *cells,
                     style="bold" if row.code == "macro average" else None)
    return view


def gold_lines(found: GoldScores, coder: str, gold: Path) -> list[Text]:
    """`qda evaluate --gold`: the headline figures and the baseline, one line each (printed
    unwrapped, so they copy whole)."""
    base = found.baseline
    lines = [Text(f"{coder} on {gold}: {found.summary()}"),
             Text(f"majority baseline ({base['axis']} for every passage): accuracy "
                  f"{base['accuracy']:.2f}, kappa {base['kappa']:.2f}, macro F1 "
                  f"{base['macro_f1']:.2f}")]
    if found.languages:
        lines.append(Text("languages: " + ", ".join(f"{k} {v}"
                                                    for k, v in found.languages.items())))
    return lines


def gold_tables(found: GoldScores, none: str) -> list[Table]:
    """`qda evaluate --gold`: scores per axis, the confusion matrix (axes by their initial,
    as in the TUI's margin; `none` is the column of passages without suggestion) and, when
    the file has themes, the theme scores."""
    view = _scores(f"per axis (top axis; macro F1 {found.macro_f1:.2f})")
    for column in ("axis", "support", "predicted", "precision", "recall", "f1"):
        view.add_column(column, justify="left" if column == "axis" else "right")
    for row in found.axes.itertuples():
        view.add_row(Text(row.axis), str(row.support), str(row.predicted),
                     *(f"{getattr(row, c):.2f}" for c in ("precision", "recall", "f1")))
    matrix = _scores("confusion: gold axis by top axis")
    matrix.add_column("gold \\ top")
    for column in found.confusion.columns:
        matrix.add_column(Text(column if column == none else column[0].upper()),
                          justify="right")
    for axis, row in found.confusion.iterrows():
        matrix.add_row(Text(f"{axis} ({axis[0].upper()})"), *(str(n) for n in row))
    tables = [view, matrix]
    if found.themes is not None:
        themes = _scores("themes (any suggestion of the theme)")
        for column in ("code", "support", "precision", "recall", "f1", "kappa"):
            themes.add_column(column, justify="left" if column == "code" else "right")
        for row in found.themes.itertuples():
            themes.add_row(Text(row.code), str(row.support),
                           *(f"{getattr(row, c):.2f}" for c in ("precision", "recall", "f1",
                                                                 "kappa")),
                           style="bold" if row.code == "macro average" else None)
        tables.append(themes)
    return tables


def learning_curve(table: pd.DataFrame, title: str, learner: str) -> Table:
    """`qda evaluate --learning-curve`: the rules and the learner, mean ± sd per share."""
    view = _scores(title)
    for column in ("coded by people", "interviews", "passages scored", "rules", learner):
        view.add_column(column, justify="right")
    for row in table.itertuples():
        view.add_row(f"{row.fraction:.0%}", f"{row.coded:.0f}", f"{row.passages:.0f}",
                     f"{row.rules:.2f} ± {row.rules_sd:.2f}",
                     f"{row.learner:.2f} ± {row.learner_sd:.2f}")
    return view


def explanation(found: Explanation, book: Codebook, lang: str) -> list[RenderableType]:
    """`qda explain`: the passage with the matched words highlighted, the axes ranked, the
    rules behind each suggestion and the codings recorded."""
    passage = Text(found.text)
    for start, end in found.matched:
        passage.stylize("bold reverse", start, end)
    shown: list[RenderableType] = [
        Text.assemble((f"passage {found.segment_id}", "bold"), " of ", found.document),
        passage]
    if found.question:
        shown.append(Text(f"answering: {found.question}", style="dim"))
    if not found.suggestions:
        shown.append(Text("no rule suggests a code for this passage"))
    else:
        shown.append(Text("axes ranked: " + ", ".join(f"{book[a].label(lang)} {v:.2f}"
                                                      for a, v in found.ranking.items())))
    for s in found.suggestions:
        shown.append(Text.assemble("\n", (book[s.code].label(lang), "bold"), " ",
                                   (s.code, "dim"), f"  confidence {s.confidence:.2f}"))
        for rule in s.evidence["rules"]:
            where = "" if rule["where"] == "passage" else f" (in the {rule['where']})"
            shown.append(Text.assemble(f"  {rule['kind']:<8} \"{rule['words']}\"{where}  ",
                                       (rule["rule"], "dim")))
        if s.evidence.get("vetoed"):
            shown.append(Text(f"  vetoed here: {', '.join(s.evidence['vetoed'])}"))
    if found.recorded:
        shown.append(Text.assemble("\n", ("recorded codings", "bold")))
        for c in found.recorded:
            shown.append(Text(f"  {c['code']:<40} {c['coder']:<12} {c['status']}"))
            evidence = json.loads(c["evidence"]) if c["evidence"] else {}
            shown.extend(Text(f"    {line}", style="dim") for line in _learnt(evidence, book, lang))
    return shown


def _learnt(evidence: dict[str, Any], book: Codebook, lang: str) -> list[str]:
    """Why the model (or the study's shares) made a recorded suggestion: the rules' part is
    shown above, from the rules run again."""
    lines = []
    model = evidence.get("model")
    if model:
        words = ", ".join(f["feature"] for f in model["features"]) or "none"
        lines.append(f"model: probability {model['probability']:.2f} (threshold "
                     f"{model['threshold']:.2f}); words that pushed it: {words}")
    if evidence.get("ranked_first"):
        lines.append("below its threshold: the likeliest axis, shown as a guess")
    if evidence.get("prior"):
        shares = ", ".join(f"{book[a].label(lang)} {v:.2f}" for a, v in evidence["prior"].items()
                           if a in book and v > 0)
        lines.append("the rules were unsure; the study's share of each axis among the "
                     f"decisions learnt from tipped it: {shares}")
    return lines
