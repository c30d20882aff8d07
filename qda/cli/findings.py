"""The findings tables and charts: status, summary, study, cooccur, differences, saturation,
charts. pandas and the analysis load inside each command, so `qda --help` starts fast."""
import sys
from pathlib import Path
from typing import Annotated

import typer

from qda.cli._app import JsonOpt, LangOpt, app, in_project, listed, out, warn_orphans
from qda.errors import UsageError


@app.command()
def status(json_: JsonOpt = False) -> None:
    """Interviews, policies and passages by country and role (the study table).

    \b
    Examples: qda status  ·  qda status --json > study.json
    """
    from qda.analysis.study import overview  # no pandas: starts fast
    from qda.export import terminal
    with in_project() as project:
        view = overview(project)
    if listed(view.rows, json_, "no interviews yet; run 'qda import transcripts/'"):
        return
    for shown in terminal.status(view):
        out.print(shown)


FORMATS = ("table", "csv", "xlsx", "json")


FormatOpt = Annotated[str | None, typer.Option(
    "--format", "-f", help="table | csv | xlsx | json (default: from the -o file's suffix, "
                           "else table).", show_default=False)]


OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write to this file (needed for xlsx).", show_default=False)]


def _format(format_: str | None, json_: bool, output: Path | None) -> str:
    """The output format: --json, then --format, then the output file's suffix."""
    if json_:
        return "json"
    if format_ is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        format_ = suffix if suffix in FORMATS[1:] else "table"
    if format_ not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not '{format_}'")
    if format_ == "xlsx" and output is None:
        raise UsageError("--format xlsx needs -o/--output FILE.xlsx")
    if format_ == "table" and output is not None:
        raise UsageError("-o/--output writes csv, xlsx or json: add --format, or name the "
                         "file .csv, .xlsx or .json")
    return format_


def _emit(format_: str, output: Path | None, tidy, sheets: dict, notes: list[str],
          renderables: list) -> None:
    """Print the rich tables, or write/print the tidy rows (csv, json) or a workbook."""
    if format_ == "table":
        for renderable in renderables:
            out.print(renderable)
        return
    if format_ == "xlsx":
        from qda.export.workbook import write_workbook
        write_workbook(output, {**sheets, "Data": tidy}, notes)
    else:
        from qda.export.cells import csv_text, write_text_file
        body = (csv_text(tidy) if format_ == "csv" else
                tidy.to_json(orient="records", force_ascii=False, indent=2) + "\n")
        if output is None:
            sys.stdout.write(body)
            return
        write_text_file(body, output)
    out.print(f"wrote {len(tidy)} rows to {output}", highlight=False, markup=False)


def _notes(command: str, cases, **options: object) -> list[str]:
    """What a written table holds, for the Notes sheet of a workbook."""
    from datetime import datetime

    from qda import __version__
    shown = ", ".join(f"{k}={v}" for k, v in options.items() if v not in (None, False, ()))
    return [f"qda {command}" + (f" ({shown})" if shown else ""),
            f"{len(cases.documents)} interviews, {len(cases.accepted)} accepted codings "
            "(passage and code pairs); rejected codings never count.",
            f"Written by qda {__version__} on {datetime.now():%Y-%m-%d %H:%M}."]


def _no_interviews(cases, format_: str) -> bool:
    if cases.documents.empty and format_ == "table":
        out.print("no interviews yet; run 'qda import transcripts/'")
        return True
    return False


@app.command()
def summary(
    by: Annotated[str, typer.Option(help="Split by country | role | policy | sector.")]
    = "country",
    unit: Annotated[str, typer.Option(
        help="interview (interviews raising a code) | segment (passages coded).")]
    = "interview",
    format_: FormatOpt = None,
    output: OutputOpt = None,
    lang: LangOpt = "en",
    include_suggested: Annotated[bool, typer.Option(
        "--include-suggested", help="Show what pending machine suggestions would add, in "
                                    "columns of their own.")] = False,
    coder: Annotated[list[str] | None, typer.Option(
        help="Only codings by (or accepted by) this person; repeat for several.")] = None,
    json_: JsonOpt = False,
) -> None:
    """How many interviews raise each axis and theme, split by country, role, policy or
    sector, with shares of each group's interviews, passages and totals.

    Accepted codings count; a theme implies its axis; an interview counts once however
    often it raises a code. The table ranks themes within each axis. csv and json give one
    row per code and group with every measure; xlsx adds the cross-table.

    \b
    Examples:
      qda summary
      qda summary --by role --lang es
      qda summary --unit segment --include-suggested
      qda summary --by policy -o outputs/summary.xlsx
    """
    from qda.analysis.cases import load
    from qda.analysis.frequencies import UNITS, frequencies, summary_table
    from qda.export import terminal
    fmt = _format(format_, json_, output)
    if unit not in UNITS:
        raise UsageError(f"--unit must be one of {', '.join(UNITS)}, not '{unit}'")
    with in_project() as project:
        cases = load(project, include_suggested, coder)
        warn_orphans(project)
    freq = frequencies(cases, by, lang, include_suggested)
    if _no_interviews(cases, fmt):
        return
    _emit(fmt, output, freq, {"Summary": summary_table(freq, unit)},
          _notes("summary", cases, by=by, unit=unit, lang=lang,
                 include_suggested=include_suggested, coder=tuple(coder or ())),
          terminal.summary(freq, unit, out.width))


@app.command("study")
def study_cmd(format_: FormatOpt = None, output: OutputOpt = None, lang: LangOpt = "en",
              json_: JsonOpt = False) -> None:
    """Interviews, participants and policies by country and role (the study table).

    Totals are counted, not summed: a policy discussed in two roles is one policy. People
    are told apart by the participant names in the metadata (never printed), else by
    speaker labels within an interview.

    \b
    Example: qda study --lang es -o outputs/study.xlsx
    """
    from qda.analysis.cases import load
    from qda.analysis.study import study, study_table
    from qda.export import terminal
    fmt = _format(format_, json_, output)
    with in_project() as project:
        cases = load(project)
    long = study(cases, lang)
    if _no_interviews(cases, fmt):
        return
    wide = study_table(long)
    _emit(fmt, output, long, {"Study": wide},
          _notes("study", cases, lang=lang), terminal.study(wide, lang))


@app.command()
def cooccur(
    level: Annotated[str, typer.Option(
        help="code (themes, and axes coded bare) | axis (every coding lifted to its axis).")]
    = "code",
    unit: Annotated[str, typer.Option(
        help="Rank by segment (same passage) | interview (same interview).")] = "segment",
    limit: Annotated[int, typer.Option(help="Pairs shown in the table (0: all).")] = 20,
    format_: FormatOpt = None,
    output: OutputOpt = None,
    lang: LangOpt = "en",
    json_: JsonOpt = False,
) -> None:
    """Codes that occur together in the same passage and in the same interview: counts
    and the Jaccard coefficient (units with both / units with either). Accepted codings.

    \b
    Examples:
      qda cooccur
      qda cooccur --unit interview --level axis
      qda cooccur -o outputs/cooccurrence.csv
    """
    from qda.analysis.cases import load
    from qda.analysis.cooccurrence import cooccurrence
    from qda.analysis.frequencies import UNITS
    from qda.export import terminal
    fmt = _format(format_, json_, output)
    if unit not in UNITS:
        raise UsageError(f"--unit must be one of {', '.join(UNITS)}, not '{unit}'")
    with in_project() as project:
        cases = load(project)
    pairs = cooccurrence(cases, level, lang)
    if _no_interviews(cases, fmt):
        return
    _emit(fmt, output, pairs, {}, _notes("cooccur", cases, level=level, lang=lang),
          terminal.cooccurrence(pairs, unit, lang, limit))


@app.command("differences")
def differences_cmd(
    by: Annotated[str, typer.Option(help="Compare countries | roles | policies | sectors "
                                         "(country, role, policy, sector).")] = "country",
    alpha: Annotated[float, typer.Option(help="Significance level.")] = 0.05,
    format_: FormatOpt = None,
    output: OutputOpt = None,
    lang: LangOpt = "en",
    json_: JsonOpt = False,
) -> None:
    """Whether each axis and theme is raised more in some countries than others, and the
    words to say so honestly ("in all four countries", "mostly in Peru").

    Exact tests where counts are small (Fisher's for two groups, Freeman-Halton for more),
    chi-square only when every expected count is at least 5; each row names its test.

    \b
    Examples:
      qda differences
      qda differences --by role --lang es --json
    """
    from qda.analysis.cases import load
    from qda.analysis.differences import differences
    from qda.export import terminal
    fmt = _format(format_, json_, output)
    if not 0 < alpha < 1:
        raise UsageError(f"--alpha must be between 0 and 1, not {alpha}")
    with in_project() as project:
        cases = load(project)
    frame = differences(cases, by, lang, alpha)
    if _no_interviews(cases, fmt):
        return
    _emit(fmt, output, frame, {}, _notes("differences", cases, by=by, alpha=alpha, lang=lang),
          terminal.differences(frame, lang))


@app.command("saturation")
def saturation_cmd(
    order: Annotated[str, typer.Option(help="Add interviews in date | import order.")]
    = "date",
    format_: FormatOpt = None,
    output: OutputOpt = None,
    lang: LangOpt = "en",
    json_: JsonOpt = False,
) -> None:
    """Code saturation: distinct themes found as interviews are added, overall and per
    country, and the interview after which no new theme appeared.

    \b
    Example: qda saturation --order import
    """
    from qda.analysis.cases import load
    from qda.analysis.saturation import saturation, saturation_points
    from qda.export import terminal
    fmt = _format(format_, json_, output)
    with in_project() as project:
        cases = load(project)
    curve = saturation(cases, order, lang)
    if _no_interviews(cases, fmt):
        return
    points = saturation_points(curve)
    _emit(fmt, output, curve, {"Saturation": points},
          _notes("saturation", cases, order=order, lang=lang),
          terminal.saturation(curve, points, lang))


@app.command()
def charts(
    lang: LangOpt = "en",
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Folder for the charts (default: the project's outputs/).",
        show_default=False)] = None,
    order: Annotated[str, typer.Option(help="Saturation order: date | import.")] = "date",
) -> None:
    """Write the charts as PNG and SVG: themes by country (heatmap of shares), themes per
    axis (bars) and the saturation curve; readable in greyscale and by colour-blind
    readers. Files are named like themes_by_country_en.png.

    \b
    Examples:
      qda charts
      qda charts --lang es --out outputs/
    """
    from qda.export.charts import write_charts
    with in_project() as project:
        written = write_charts(project, out_dir or project.root / "outputs", lang, order)
    for path in written:
        out.print(f"wrote {path}", highlight=False, markup=False)
