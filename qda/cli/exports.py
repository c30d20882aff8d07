"""Files for others: qda export codings|qdpx|qdc|quotes and the findings chapter, qda report."""
from pathlib import Path
from typing import Annotated

import typer

from qda.cli._app import LangOpt, app, err, export_app, in_project, out, warn_orphans
from qda.errors import UsageError
from qda.vocab import MACHINE_KINDS


@export_app.command("codings")
def export_codings_cmd(
    output: Annotated[Path, typer.Argument(help="The file to write: .csv or .xlsx.")],
    status: Annotated[str | None, typer.Option(
        help="Only codings with this status (suggested|accepted|rejected).")] = None,
) -> None:
    """One row per coding: document, segment_id, start, end, text, code, axis, theme, coder,
    kind, confidence, status, country, role, policy, language; as CSV or an Excel workbook,
    by the file's extension.

    \b
    Examples: qda export codings outputs/codings.csv --status accepted  ·
    qda export codings outputs/codings.xlsx
    """
    from qda.export.tables import export_codings  # pandas: only for the commands that write
    if status not in (None, "suggested", "accepted", "rejected"):
        raise UsageError(f"--status must be suggested, accepted or rejected, not '{status}'")
    with in_project() as project:
        count = export_codings(project, output, status)
    out.print(f"wrote {count} codings to {output}", highlight=False)


@export_app.command("qdpx")
def export_qdpx_cmd(
    output: Annotated[Path, typer.Argument(help="The .qdpx file to write.")],
    include_suggested: Annotated[bool, typer.Option(
        "--include-suggested", help="Add machine suggestions, credited to their machine coder "
                                    f"({', '.join(MACHINE_KINDS)}).")] = False,
) -> None:
    """The whole project as a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder...

    Writes users (one per coder), the codebook, a variable per case attribute, a case per
    interview, the documents' text, selections with their accepted codings, and memos as
    notes. Participant names and other metadata are never written. Rejected codings are
    never exported.

    \b
    Examples:
      qda export qdpx outputs/study.qdpx
      qda export qdpx outputs/study-with-suggestions.qdpx --include-suggested
    """
    from qda.refi.writer import write_qdpx
    if output.suffix.lower() != ".qdpx":
        raise UsageError(f"the output must end in .qdpx, not '{output.name}'")
    with in_project() as project:
        done = write_qdpx(project, output, include_suggested)
    out.print(f"wrote {output}: {done.sources} documents, {done.codes} codes, {done.users} "
              f"user(s), {done.codings} codings on {done.selections} selections, {done.memos} "
              "memo(s)", highlight=False, markup=False)
    for code, count in done.retired.items():
        err.print(f"qda: warning: {count} coding(s) of '{code}', no longer in the codebook, "
                  "were not exported", highlight=False, markup=False)


@export_app.command("qdc")
def export_qdc_cmd(
    output: Annotated[Path, typer.Argument(help="The .qdc file to write.")],
    lang: Annotated[str | None, typer.Option(
        help="Language of code names and descriptions (es|en; default: the project's).")
    ] = None,
) -> None:
    """The codebook as a REFI-QDA codebook (.qdc), with stable GUIDs per code.

    Axes are top-level codes with their themes beneath; descriptions carry the definition
    and the coding guidance. Import it elsewhere, or bring another tool's .qdc in with
    'qda import FILE.qdc'.

    \b
    Example: qda export qdc outputs/codebook.qdc --lang en
    """
    from qda.refi.writer import write_qdc
    from qda.vocab import LANGS
    if output.suffix.lower() != ".qdc":
        raise UsageError(f"the output must end in .qdc, not '{output.name}'")
    if lang is not None and lang not in LANGS:
        raise UsageError(f"--lang must be one of {', '.join(LANGS)}, not '{lang}'")
    with in_project() as project:
        count = write_qdc(project, output, lang)
    out.print(f"wrote {count} codes to {output}", highlight=False, markup=False)


@app.command()
def report(
    output: Annotated[Path, typer.Argument(help="The Word file to write (.docx).")],
    lang: LangOpt = "en",
    axis: Annotated[list[str] | None, typer.Option(
        help="Only this axis (e.g. challenges); repeat for several.")] = None,
    country: Annotated[list[str] | None, typer.Option(
        help="Only interviews from this country; repeat for several.")] = None,
    include_suggested: Annotated[bool, typer.Option(
        "--include-suggested", help="Also count and quote pending machine suggestions "
                                    "(marked as such).")] = False,
    appendix: Annotated[bool, typer.Option(
        "--appendix", help="End with an appendix of run details and the quotes left out "
                           "(otherwise only printed here).")] = False,
) -> None:
    """Write the findings chapter to Word: main findings, method (interviews, policies,
    axes, roles, coding), then per axis its themes ranked in words, a theme-by-country
    table, a paragraph per theme on where it came up and two or three framed, trimmed
    verbatim quotes; recommendations also per country and policy, as bullets.

    Numbers are those of 'qda summary' and 'qda differences'. Quotes are accepted codings,
    attributed by role and country only, and checked against the transcripts as the file
    is written: one that no longer matches, or that says a person's name, is left out and
    listed here. Places for the analyst's interpretation are marked in the text.

    \b
    Examples:
      qda report outputs/findings_en.docx
      qda report outputs/hallazgos.docx --lang es --country Peru --country Chile
      qda report outputs/challenges.docx --axis challenges --include-suggested --appendix
    """
    from qda.export.report import write_report
    with in_project() as project:
        done = write_report(project, output, lang, axis, country, include_suggested, appendix)
        warn_orphans(project)
    out.print(f"wrote {output}: {done.interviews} interviews, {len(done.axes)} axes, "
              f"{done.themes} themes, {len(done.quotes)} quotes", highlight=False, markup=False)
    for item in done.left_out:
        why = ("it says a person's name" if item.reason == "names" else
               f"it no longer matches its transcript (best alignment {item.score:.0f}%)")
        err.print(f"qda: warning: passage {item.segment_id} ({item.code}) was not quoted: "
                  f"{why}; see 'qda explain {item.segment_id}'", highlight=False, markup=False)


@export_app.command("quotes")
def export_quotes_cmd(
    output: Annotated[Path, typer.Argument(help="The file to write: .docx, .xlsx or .csv.")],
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Labels in this language (es|en); default: the project's language.",
        show_default=False)] = None,
    include_suggested: Annotated[bool, typer.Option(
        "--include-suggested", help="Add pending machine suggestions.")] = False,
) -> None:
    """Every coded passage with its code path, case attributes, attribution, coder, status
    and memos, sorted by code then country, as Word, Excel or CSV (by the file's suffix).

    Accepted codings only unless asked; labels in the project's language unless --lang
    says otherwise. Participants are never named: quote by the attribution (role and
    country); a name said in a passage or memo reads [name] ([nombre] in Spanish).

    \b
    Examples:
      qda export quotes outputs/quotes.docx --lang es
      qda export quotes outputs/quotes.xlsx --include-suggested
    """
    from qda.export.quotes import export_quotes
    with in_project() as project:
        count = export_quotes(project, output, lang or project.settings.language,
                              include_suggested)
    out.print(f"wrote {count} coded passages to {output}", highlight=False, markup=False)
