"""Commands of coding: autocode, explain, evaluate, tui, train, next, agreement."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from qda.cli._app import JsonOpt, LangOpt, app, err, in_project, out, state
from qda.errors import QdaError, UsageError


@app.command()
def autocode(
    coder: Annotated[str, typer.Option(
        help="Which coder suggests codes: rules, model or both (model and both need "
             "'qda train').")] = "rules",
    include_reviewed: Annotated[bool, typer.Option(
        help="Also suggest on passages a person already reviewed.")] = False,
) -> None:
    """Suggest codes for every passage not yet reviewed, and record the run.

    Re-running replaces the coder's earlier unreviewed suggestions (with both, the rules' and
    the model's too); accepted and rejected codings are never touched.

    [b]Example[/]: qda autocode --coder both
    """
    from qda.coders.autocode import CODERS, autocode as run
    if coder not in CODERS:
        raise UsageError(f"--coder must be one of {', '.join(CODERS)}, not '{coder}'")
    with in_project() as project:
        report = run(project, coder, include_reviewed)
    for note in report.notes:
        err.print(f"qda: note: {note}", highlight=False)
    out.print(f"run {report.run_id}: {report.written} suggestions by {coder} on "
              f"{report.passages} passages", highlight=False)


@app.command()
def explain(
    segment: Annotated[int, typer.Argument(help="The passage's segment id (see 'qda segments').")],
    lang: LangOpt = "en",
) -> None:
    """Show a passage with the matched words highlighted and the rule behind each suggestion.

    [b]Example[/]: qda explain 42
    """
    from rich.text import Text
    from qda.coders import RuleCoder, passages
    with in_project() as project:
        frame = passages(project)
        row = frame[frame.segment_id == segment]
        if row.empty:
            raise QdaError(f"no respondent passage with segment id {segment}; list them with "
                           "'qda segments'")
        row = row.iloc[0]
        coder = RuleCoder(project.codebook)
        found = coder.suggest(row.to_frame().T)
        stored = project.store.segment_codings(segment)
        book = project.codebook
    text = Text(row.text)
    for s in found:
        for rule in s.evidence["rules"]:
            if rule["where"] == "passage":
                text.stylize("bold reverse", rule["start"], rule["end"])
    out.print(f"[b]passage {segment}[/] of {row.document}", highlight=False)
    out.print(text)
    if row.question:
        out.print(Text(f"answering: {row.question}", style="dim"))
    if not found:
        out.print("no rule suggests a code for this passage")
    else:  # every suggestion of a passage carries the same ranking of the five axes
        ranking = found[0].evidence.get("axes", {})
        out.print("axes ranked: " + ", ".join(f"{book[a].label(lang)} {v:.2f}"
                                              for a, v in ranking.items()),
                  highlight=False, markup=False)
    for s in sorted(found, key=lambda s: -s.confidence):
        out.print(f"\n[b]{book[s.code].label(lang)}[/] [dim]{s.code}[/]  "
                  f"confidence {s.confidence:.2f}", highlight=False)
        for rule in s.evidence["rules"]:
            where = "" if rule["where"] == "passage" else f" (in the {rule['where']})"
            out.print(f"  {rule['kind']:<8} \"{rule['words']}\"{where}  [dim]{rule['rule']}[/]",
                      highlight=False)
        if s.evidence.get("vetoed"):
            out.print(f"  vetoed here: {', '.join(s.evidence['vetoed'])}", highlight=False)
    if stored:
        out.print("\n[b]recorded codings[/]")
        for c in stored:
            out.print(f"  {c['code']:<40} {c['coder']:<12} {c['status']}", highlight=False)


@app.command()
def evaluate(
    reference: Annotated[Optional[str], typer.Option(
        help="The coder whose codings are the truth.", show_default=False)] = None,
    gold: Annotated[Optional[Path], typer.Option(
        help="A CSV/JSONL of passages with their axis (text, axis; optional theme, alt_axis, "
             "language, id, document, case attributes), coded in a scratch project.",
        show_default=False)] = None,
    coder: Annotated[Optional[str], typer.Option(
        help="The coder to measure: rules, model or both (default: rules with --reference, "
             "both with --gold).", show_default=False)] = None,
    level: Annotated[str, typer.Option(help="axis or theme (with --reference).")] = "axis",
    folds: Annotated[int, typer.Option(
        help="Cross-validation folds for model and both, split by interview.", min=2)] = 5,
    learning_curve: Annotated[bool, typer.Option(
        "--learning-curve", help="Kappa of both (or model) trained on 10, 20, 40 and 80 % of "
        "the interviews, beside the rules, scored on the other interviews.")] = False,
    repeats: Annotated[int, typer.Option(
        help="Random orders of the interviews on the learning curve.", min=1)] = 3,
    json_: JsonOpt = False,
) -> None:
    """Per-code precision, recall, F1 and kappa of a coder against a reference coder,
    with macro averages and a majority baseline. The model and the ensemble are
    cross-validated by interview: no passage of a test interview is seen in training.

    With [b]--gold FILE[/] the file's passages are coded in a scratch project (your
    project's codebook, nothing written to your project) and scored on the top axis, that of
    the most confident suggestion: kappa, accuracy, coverage, per-axis scores, a confusion
    matrix and the majority baseline; a passage's alt_axis also counts as right.

    [b]Examples[/]:
      qda evaluate --reference reference --coder both --folds 5 --level theme
      qda evaluate --gold colleague.csv --coder rules
      qda evaluate --reference reference --learning-curve
    """
    from qda.coders.evaluate import CODERS, LEVELS
    if (reference is None) == (gold is None):
        raise UsageError("give one of --reference NAME or --gold FILE")
    if level not in LEVELS:
        raise UsageError(f"--level must be axis or theme, not '{level}'")
    coder = coder or ("both" if gold else "rules")
    if coder not in CODERS:
        raise UsageError(f"--coder must be one of {', '.join(CODERS)}, not '{coder}'")
    if learning_curve:
        _learning_curve(reference, gold, "model" if coder == "model" else "both", level,
                        repeats, json_)
    elif gold is not None:
        _evaluate_gold(gold, coder, json_)
    else:
        _evaluate_reference(reference, coder, level, folds, json_)


def _evaluate_reference(reference: str, coder: str, level: str, folds: int, json_: bool) -> None:
    from qda.coders.evaluate import evaluate as run
    with in_project() as project:
        table, units = run(project, reference, coder, level, folds)
    if json_:
        print(table.to_json(orient="records", indent=2, force_ascii=False))
        return
    how = f", {folds}-fold by interview" if coder != "rules" else ""
    view = Table(title=f"{coder} against {reference}, {level} level, {units} passages{how}",
                 box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    for column in ("code", "support", "precision", "recall", "f1", "kappa", "baseline_f1"):
        view.add_column("base F1" if column == "baseline_f1" else column,
                        justify="left" if column == "code" else "right")
    for row in table.itertuples():
        cells = [f"{getattr(row, c):.2f}" for c in ("precision", "recall", "f1", "kappa",
                                                     "baseline_f1")]
        view.add_row(row.code, str(row.support), *cells,
                     style="bold" if row.code == "macro average" else None)
    out.print(view)


def _source_project() -> Path | None:
    """The project whose codebook a scratch project borrows: --project, the one around the
    current folder, or none (the packaged codebook)."""
    from qda.project import find_root
    if state["project"] is not None:
        return state["project"]
    try:
        return find_root()
    except QdaError:
        return None


def _evaluate_gold(gold: Path, coder: str, json_: bool) -> None:
    from rich.text import Text

    from qda.coders.evaluate import NONE, evaluate_gold
    found = evaluate_gold(gold, coder, _source_project())
    if json_:
        print(json.dumps({"file": str(gold), "coder": coder, **found.to_dict()}, indent=2,
                         ensure_ascii=False))
        return
    for note in found.notes:
        err.print(f"qda: note: {note}", highlight=False, markup=False, soft_wrap=True)
    out.print(Text(f"{coder} on {gold}: {found.summary()}"), soft_wrap=True)
    base = found.baseline
    out.print(f"majority baseline ({base['axis']} for every passage): accuracy "
              f"{base['accuracy']:.2f}, kappa {base['kappa']:.2f}, macro F1 "
              f"{base['macro_f1']:.2f}", highlight=False, soft_wrap=True)
    if found.languages:
        out.print("languages: " + ", ".join(f"{k} {v}" for k, v in found.languages.items()),
                  highlight=False, markup=False, soft_wrap=True)
    view = Table(title=f"per axis (top axis; macro F1 {found.macro_f1:.2f})",
                 box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    for column in ("axis", "support", "predicted", "precision", "recall", "f1"):
        view.add_column(column, justify="left" if column == "axis" else "right")
    for row in found.axes.itertuples():
        view.add_row(row.axis, str(row.support), str(row.predicted),
                     *(f"{getattr(row, c):.2f}" for c in ("precision", "recall", "f1")))
    out.print(view)
    matrix = Table(title="confusion: gold axis by top axis",
                   box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    matrix.add_column("gold \\ top")
    for column in found.confusion.columns:  # axes by their initial, as in the TUI's margin
        matrix.add_column(column if column == NONE else column[0].upper(), justify="right")
    for axis, row in found.confusion.iterrows():
        matrix.add_row(f"{axis} ({axis[0].upper()})", *(str(n) for n in row))
    out.print(matrix)
    if found.themes is not None:
        themes = Table(title="themes (any suggestion of the theme)", box=box.SIMPLE_HEAD,
                       padding=(0, 1), pad_edge=False)
        for column in ("code", "support", "precision", "recall", "f1", "kappa"):
            themes.add_column(column, justify="left" if column == "code" else "right")
        for row in found.themes.itertuples():
            themes.add_row(row.code, str(row.support),
                           *(f"{getattr(row, c):.2f}" for c in ("precision", "recall", "f1",
                                                                 "kappa")),
                           style="bold" if row.code == "macro average" else None)
        out.print(themes)


def _learning_curve(reference: str | None, gold: Path | None, learner: str, level: str,
                    repeats: int, json_: bool) -> None:
    from qda.coders.evaluate import curve_table, gold_curve, reference_curve
    if gold is not None:
        runs = gold_curve(gold, learner, _source_project(), repeats)
        metric, against = "top-axis kappa", str(gold)
    else:
        with in_project() as project:
            runs = reference_curve(project, reference, learner, level, repeats)
        metric, against = f"mean per-code kappa ({level} level)", reference
    table = curve_table(runs)
    if json_:
        print(json.dumps({"against": against, "learner": learner, "metric": metric,
                          "curve": table.to_dict(orient="records"),
                          "runs": [vars(r) for r in runs]}, indent=2, ensure_ascii=False))
        return
    view = Table(title=f"learning curve against {against}: {metric} on the interviews nobody "
                       f"coded, mean of {repeats} random orders",
                 box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    for column in ("coded by people", "interviews", "passages scored", "rules", learner):
        view.add_column(column, justify="right")
    for row in table.itertuples():
        view.add_row(f"{row.fraction:.0%}", f"{row.coded:.0f}", f"{row.passages:.0f}",
                     f"{row.rules:.2f} ± {row.rules_sd:.2f}",
                     f"{row.learner:.2f} ± {row.learner_sd:.2f}")
    out.print(view)


@app.command()
def tui(
    coder: Annotated[Optional[str], typer.Option(
        help="Whose decisions these are (default: 'coder' in qda.yaml, else your system "
             "user).")] = None,
    lang: Annotated[Optional[str], typer.Option(
        "--lang", help="Code labels in this language (es|en; default: the project's).")] = None,
    compare: Annotated[Optional[str], typer.Option(
        help="Show this coder's decisions beside yours (key v cycles through coders).")]
    = None,
) -> None:
    """Review suggestions and code passages in the terminal, with single keys.

    Every decision is saved the moment you make it, under your name; undo (u) and redo (U)
    work across the session, and another qda (a second coder, an autocode run) may write at
    the same time. Press ? on any screen for its keys.

    [b]Examples[/]:
      qda tui --coder ana --lang es
      qda tui --coder bea --compare ana
    """
    from qda.codebook.model import LANGS
    if lang is not None and lang not in LANGS:
        raise UsageError(f"--lang must be one of {', '.join(LANGS)}, not '{lang}'")
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UsageError("qda tui needs an interactive terminal; for scripts use the Python "
                         "API (qda.review.Review)")
    from qda.tui.app import run
    with in_project() as project:
        run(project, coder or project.default_coder, lang or project.settings.language, compare)


@app.command()
def train(
    coder: Annotated[Optional[str], typer.Option(
        help="Learn from this person's decisions only (default: everyone's).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Fit the model coder on the passages people reviewed and print its cross-validated
    scores per code; codes with too few examples are named and left to the rules.

    Saves .qda/models/model.skops (skops, no pickle) beside model-card.md.

    [b]Example[/]: qda train
    """
    from qda.coders.training import train as run
    with in_project() as project:
        trained = run(project, coder)
    meta = trained.meta
    if json_:
        print(json.dumps(meta, indent=2, ensure_ascii=False))
        return
    out.print(f"trained on {meta['passages']} passages of {meta['documents']} interviews "
              f"({meta['trained_on']}); scores are out-of-fold, by interview", highlight=False)
    for name, learner in meta["learners"].items():
        view = Table(title=f"{name}: " + ("text and rule findings (the ensemble)"
                                          if name == "both" else "text alone"),
                     box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
        for column in ("code", "examples", "precision", "recall", "F1", "threshold"):
            view.add_column(column, justify="left" if column == "code" else "right")
        for code, row in learner["codes"].items():
            view.add_row(code, str(row["positives"]), f"{row['precision']:.2f}",
                         f"{row['recall']:.2f}", f"{row['f1']:.2f}", f"{row['threshold']:.2f}")
        out.print(view)
        if learner["skipped"]:
            out.print("too few examples to learn, left to the rules: " + ", ".join(
                f"{code} ({n})" for code, n in learner["skipped"].items()), highlight=False)
        if learner["ruled"]:
            out.print("left to the rules, which read them better: " + ", ".join(
                learner["ruled"]), highlight=False)
    out.print(f"model saved in {trained.folder}", highlight=False)


@app.command("next")
def next_(
    n: Annotated[int, typer.Option("-n", help="How many passages to list.", min=1)] = 10,
    json_: JsonOpt = False,
) -> None:
    """List the unreviewed passages whose review would teach the model most (those it is
    least sure of); in transcript order when no model has been trained.

    [b]Example[/]: qda next -n 20
    """
    from qda.coders.active import ranked
    with in_project() as project:
        frame, source = ranked(project, n)
        nothing_yet = frame.empty and not project.store.segments(codable_only=True)
    if json_:
        print(frame.assign(margin=frame.margin.round(3).astype(object).where(
            frame.margin.notna(), None)).to_json(orient="records", indent=2, force_ascii=False))
        return
    if frame.empty:
        out.print("nothing to review: " + ("no interviews yet; run 'qda import transcripts/'"
                                           if nothing_yet else "every passage has been reviewed"),
                  highlight=False)
        return
    out.print("least certain first (model)" if source == "model"
              else "in transcript order (no trained model: run 'qda train')", highlight=False)
    # ids are what the user types next ('qda explain ID'): fixed widths, so a narrow
    # terminal shortens the passage (then the document name), never the id
    columns = ["segment", "document", "margin", "passage"]
    if frame.margin.isna().all():
        columns.remove("margin")
    widths = {"segment": max(7, *(len(str(i)) for i in frame.segment_id)), "margin": 6}
    spare = (out.width - widths["segment"] - (6 if "margin" in columns else 0)
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
    out.print(view)


@app.command()
def agreement(
    coder: Annotated[list[str], typer.Option(
        "--coder", help="Two coders: people or machine coders (rules, model, both).")],
    level: Annotated[str, typer.Option(help="axis or theme.")] = "axis",
    unit: Annotated[str, typer.Option(help="segment or document.")] = "segment",
    json_: JsonOpt = False,
) -> None:
    """Per-code Cohen's kappa, percent agreement and Krippendorff's alpha of two coders on
    the passages (or interviews) both coded.

    [b]Example[/]: qda agreement --coder ana --coder bea --level theme
    """
    from qda.analysis.agreement import compare
    if len(coder) != 2:
        raise UsageError("give exactly two coders: --coder A --coder B")
    with in_project() as project:
        result = compare(project, coder[0], coder[1], level, unit)
    table = result.table
    if json_:
        print(json.dumps({"coder_a": result.coder_a, "coder_b": result.coder_b,
                          "level": level, "unit": unit, "units": result.units,
                          "mean_kappa": result.mean_kappa, "alpha": result.alpha,
                          "codes": json.loads(table.to_json(orient="records"))},
                         indent=2, ensure_ascii=False))
        return
    view = Table(title=f"{result.coder_a} and {result.coder_b}: {level} level, "
                       f"{result.units} {unit}s both coded",
                 box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    for column in ("code", result.coder_a, result.coder_b, "both", "agreement", "kappa",
                   "alpha"):
        view.add_column(column, justify="left" if column == "code" else "right")

    def num(value: float | None) -> str:
        return "n/a" if value is None or value != value else f"{value:.2f}"

    for row in table.itertuples():
        view.add_row(row.code, str(row.a), str(row.b), str(row.both),
                     f"{row.percent_agreement:.0%}", num(row.kappa), num(row.alpha))
    view.add_row("overall (mean kappa, pooled alpha)", "", "", "", "", num(result.mean_kappa),
                 num(result.alpha), style="bold")
    out.print(view)
    out.print("n/a: nobody (or everybody) used the code on these units, so chance-corrected "
              "agreement is undefined", style="dim", highlight=False)
