"""Commands of coding: autocode, explain, evaluate, tui, train, next, agreement."""
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from qda.cli._app import JsonOpt, LangOpt, app, err, in_project, out, state
from qda.coders.registry import CODERS, LEARNERS, choices
from qda.errors import QdaError, UsageError


@app.command()
def autocode(
    coder: Annotated[str, typer.Option(
        help=f"Which coder suggests codes: {choices()} ({choices(LEARNERS, 'and')} need "
             "'qda train').")] = "rules",
    include_reviewed: Annotated[bool, typer.Option(
        help="Also suggest on passages a person already reviewed.")] = False,
) -> None:
    """Suggest codes for every passage not yet reviewed, and record the run.

    Re-running replaces the coder's earlier unreviewed suggestions (with both, the rules' and
    the model's too); accepted and rejected codings are never touched.

    \b
    Example: qda autocode --coder both
    """
    from qda.coders.autocode import autocode as run
    _check_coder(coder)
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

    \b
    Example: qda explain 42
    """
    from qda.coders.explain import explain as run
    from qda.export import terminal
    with in_project() as project:
        found = run(project, segment)
        book = project.codebook
    for line in terminal.explanation(found, book, lang):
        out.print(line)


@app.command()
def evaluate(
    reference: Annotated[str | None, typer.Option(
        help="The coder whose codings are the truth.", show_default=False)] = None,
    gold: Annotated[Path | None, typer.Option(
        help="A CSV/JSONL of passages with their axis (text, axis; optional theme, alt_axis, "
             "language, id, document, case attributes), coded in a scratch project.",
        show_default=False)] = None,
    coder: Annotated[str | None, typer.Option(
        help=f"The coder to measure: {choices()} (default: rules with --reference, "
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

    With --gold FILE the file's passages are coded in a scratch project (your
    project's codebook, nothing written to your project) and scored on the top axis, that of
    the most confident suggestion: kappa, accuracy, coverage, per-axis scores, a confusion
    matrix and the majority baseline; a passage's alt_axis also counts as right.

    \b
    Examples:
      qda evaluate --reference reference --coder both --folds 5 --level theme
      qda evaluate --gold colleague.csv --coder rules
      qda evaluate --reference reference --learning-curve
    """
    from qda.coders.evaluate import LEVELS
    if (reference is None) == (gold is None):
        raise UsageError("give one of --reference NAME or --gold FILE")
    if level not in LEVELS:
        raise UsageError(f"--level must be axis or theme, not '{level}'")
    coder = coder or ("both" if gold else "rules")
    _check_coder(coder)
    if learning_curve:
        _learning_curve(reference, gold, coder if CODERS[coder].learns else "both", level,
                        repeats, json_)
    elif gold is not None:
        _evaluate_gold(gold, coder, json_)
    else:
        _evaluate_reference(reference, coder, level, folds, json_)


def _check_coder(name: str) -> None:
    if name not in CODERS:
        raise UsageError(f"--coder must be one of {', '.join(CODERS)}, not '{name}'")


def _evaluate_reference(reference: str, coder: str, level: str, folds: int, json_: bool) -> None:
    from qda.coders.evaluate import evaluate as run
    from qda.export import terminal
    with in_project() as project:
        table, units = run(project, reference, coder, level, folds)
    if json_:
        print(table.to_json(orient="records", indent=2, force_ascii=False))
        return
    how = f", {folds}-fold by interview" if CODERS[coder].learns else ""
    out.print(terminal.evaluation(
        table, f"{coder} against {reference}, {level} level, {units} passages{how}"))


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
    from qda.coders.evaluate import NONE, evaluate_gold
    from qda.export import terminal
    found = evaluate_gold(gold, coder, _source_project())
    if json_:
        print(json.dumps({"file": str(gold), "coder": coder, **found.to_dict()}, indent=2,
                         ensure_ascii=False))
        return
    for note in found.notes:
        err.print(f"qda: note: {note}", highlight=False, markup=False, soft_wrap=True)
    for line in terminal.gold_lines(found, coder, gold):
        out.print(line, soft_wrap=True)
    for table in terminal.gold_tables(found, NONE):
        out.print(table)


def _learning_curve(reference: str | None, gold: Path | None, learner: str, level: str,
                    repeats: int, json_: bool) -> None:
    from qda.coders.evaluate import curve_table, gold_curve, reference_curve
    from qda.export import terminal
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
    out.print(terminal.learning_curve(
        table, f"learning curve against {against}: {metric} on the interviews nobody coded, "
               f"mean of {repeats} random orders", learner))


@app.command()
def tui(
    coder: Annotated[str | None, typer.Option(
        help="Whose decisions these are (default: 'coder' in qda.yaml, else your system "
             "user).")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Code labels in this language (es|en; default: the project's).")] = None,
    compare: Annotated[str | None, typer.Option(
        help="Show this coder's decisions beside yours (key v cycles through coders).")]
    = None,
) -> None:
    """Review suggestions and code passages in the terminal, with single keys.

    Every decision is saved the moment you make it, under your name; undo (u) and redo (U)
    work across the session, and another qda (a second coder, an autocode run) may write at
    the same time. Press ? on any screen for its keys.

    \b
    Examples:
      qda tui --coder ana --lang es
      qda tui --coder bea --compare ana
    """
    from qda.vocab import LANGS
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
    coder: Annotated[str | None, typer.Option(
        help="Learn from this person's decisions only (default: everyone's).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Fit the model coder on the passages people reviewed and print its cross-validated
    scores per code; codes with too few examples are named and left to the rules.

    Saves .qda/models/model.skops (skops, no pickle) beside model-card.md.

    \b
    Example: qda train
    """
    from qda.coders.training import train as run
    from qda.export import terminal
    with in_project() as project:
        trained = run(project, coder)
    if json_:
        print(json.dumps(trained.meta, indent=2, ensure_ascii=False))
        return
    for shown in terminal.training(trained.meta):
        out.print(shown)
    out.print(f"model saved in {trained.folder}", highlight=False, markup=False)


@app.command("next")
def next_(
    n: Annotated[int, typer.Option("-n", help="How many passages to list.", min=1)] = 10,
    json_: JsonOpt = False,
) -> None:
    """List the unreviewed passages whose review would teach the model most (those it is
    least sure of); in transcript order when no model has been trained.

    \b
    Example: qda next -n 20
    """
    from qda.coders.active import ranked
    from qda.export import terminal
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
    for shown in terminal.to_review(frame, source, out.width):
        out.print(shown)


@app.command()
def agreement(
    coder: Annotated[list[str], typer.Option(
        "--coder", help=f"Two coders: people or machine coders ({', '.join(CODERS)}).")],
    level: Annotated[str, typer.Option(help="axis or theme.")] = "axis",
    unit: Annotated[str, typer.Option(help="segment or document.")] = "segment",
    json_: JsonOpt = False,
) -> None:
    """Per-code Cohen's kappa, percent agreement and Krippendorff's alpha of two coders on
    the passages (or interviews) both coded.

    \b
    Example: qda agreement --coder ana --coder bea --level theme
    """
    from qda.analysis.agreement import compare
    from qda.export import terminal
    if len(coder) != 2:
        raise UsageError("give exactly two coders: --coder A --coder B")
    with in_project() as project:
        result = compare(project, coder[0], coder[1], level, unit)
    if json_:
        print(json.dumps({"coder_a": result.coder_a, "coder_b": result.coder_b,
                          "level": level, "unit": unit, "units": result.units,
                          "mean_kappa": result.mean_kappa, "alpha": result.alpha,
                          "codes": json.loads(result.table.to_json(orient="records"))},
                         indent=2, ensure_ascii=False))
        return
    for shown in terminal.agreement(result, level, unit):
        out.print(shown)
