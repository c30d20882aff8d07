"""Commands that bring interviews in and look at what came in: init, import, import-coded,
import-codings, speakers, set, segments."""
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qda import progress
from qda.cli._app import JsonOpt, app, err, in_project, listed, out
from qda.errors import UsageError
from qda.vocab import ROLES

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from qda.imports.pipeline import ImportReport


def _report(report: "ImportReport", verb: str) -> None:
    from rich.markup import escape
    lines = _Lines()
    for path, name, count in report.imported:
        lines.add(out, f"{verb} {escape(str(path))} as [bold]{escape(name)}[/] ({count} passages)")
    for path, why in report.unchanged:
        lines.add(out, f"unchanged {path}: {why}")
    for _, note in report.notes:
        lines.add(out, note, markup=False)
    for _, change in report.changed:
        lines.add(out, change, markup=False)
    for name, line, sure in report.speakers:
        if sure:
            lines.add(out, line, markup=False)
        else:
            lines.add(err, f"qda: warning: not sure who the interviewer is: {line}; check with "
                           f"'qda speakers {name}', fix with 'qda speakers {name} --interviewer "
                           "LABEL'", markup=False)
    for _, warning in report.warnings:
        lines.add(err, f"qda: warning: {warning}", markup=False)
    for path, why in report.skipped:
        lines.add(out, f"skipped {path}: {why}", markup=False)
    for problem in report.failed:
        lines.add(err, f"qda: error: {problem}", markup=False)
    summary = (f"{len(report.imported)} {verb}, {len(report.unchanged)} unchanged, "
               + (f"{len(report.changed)} attribute(s) corrected, " if report.changed else "")
               + f"{len(report.failed)} failed")
    lines.add(err if report.failed else out, summary)
    lines.flush()
    if report.failed:
        raise typer.Exit(1)


class _Lines:
    """Lines for stdout and stderr, printed in order with one print per run of lines to the
    same stream: an import of a thousand files reports two thousand lines, and each print
    costs rich a fixed half millisecond. Each line is rendered as its own print would."""

    def __init__(self) -> None:
        self._runs: list[tuple[Console, list[Text]]] = []

    def add(self, console: "Console", line: str, markup: bool = True) -> None:
        text = console.render_str(line, markup=markup, highlight=False)
        if self._runs and self._runs[-1][0] is console:
            self._runs[-1][1].append(text)
        else:
            self._runs.append((console, [text]))

    def flush(self) -> None:
        from rich.text import Text
        for console, texts in self._runs:
            console.print(Text("\n").join(texts), highlight=False)
        self._runs = []


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new project.")],
    language: Annotated[str, typer.Option(help="Default transcript language (es|en).")] = "es",
) -> None:
    """Make a new, empty project with the default five-axis codebook.

    \b
    Example: qda init ~/my-study && cd ~/my-study && qda import transcripts/
    """
    from qda.project import init_project
    with init_project(directory, language=language) as project:
        out.print(f"new qda project in {project.root}\n"
                  f"  put transcripts in {project.root / 'transcripts'} and run "
                  f"'qda import transcripts/'", highlight=False)


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(
        help="Transcript files or folders, or REFI-QDA .qdpx/.qdc files.")],
    country: Annotated[str | None, typer.Option(help="Set the country of every file.")] = None,
    role: Annotated[str | None, typer.Option(
        help=f"Set the role of every file ({', '.join(ROLES)}).")] = None,
    policy: Annotated[str | None, typer.Option(help="Set the policy of every file.")] = None,
    sector: Annotated[str | None, typer.Option(help="Set the sector of every file.")] = None,
    language: Annotated[str | None, typer.Option(help="Set the language (es|en).")] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Let a file replace an interview that another file with the same id "
                          "brought in (its codings are re-anchored).")] = False,
) -> None:
    """Import transcripts (.txt/.md with front matter, .docx, .vtt, .srt) and segment them.

    Attributes come from YAML front matter or from interviews.csv beside the files
    (matched by file name or id); the options override both. Each bad file is reported on
    its own line and the others are still imported (exit 1 if any failed). Importing the same
    file again adds nothing.

    A .qdpx (REFI-QDA project from NVivo, ATLAS.ti, MAXQDA...) brings its sources,
    attributes, codes, codings and notes; a .qdc brings codes only. Foreign codes that
    match the codebook map onto it, the others are added to the codebook file; whatever
    cannot be brought in is listed as 'skipped'.

    \b
    Examples:
      qda import transcripts/
      qda import CL-04.docx --country Chile --role beneficiary
      qda import team-nvivo.qdpx
    """
    overrides = {"country": country, "role": role, "policy": policy, "sector": sector,
                 "language": language}
    from qda.ingest import walk
    from qda.text.nlp import PARALLEL_MIN_DOCUMENTS, Sentences
    with in_project() as project:
        total = sum(1 for _ in walk(paths))
        # the sentence worker starts before the import pipeline's modules load
        with Sentences(parallel=total >= PARALLEL_MIN_DOCUMENTS) as split:
            from qda.imports import pipeline  # the readers: only for commands that import

            with progress.task("importing", total) as step:
                report = pipeline.import_paths(project, paths, overrides,
                                                lambda name: step(1, Path(name).name),
                                                replace, split)
    _report(report, "imported")


@app.command("import-coded")
def import_coded(
    file: Annotated[Path, typer.Argument(help="CSV or JSONL with document, text, codes.")],
    coder: Annotated[str | None, typer.Option(help="Who coded them (default: you).")] = None,
    unreviewed: Annotated[bool, typer.Option(
        "--unreviewed", help="Leave every passage unreviewed, for 'qda autocode' and people "
        "to code (the codes column must then be empty).")] = False,
) -> None:
    """Import ready-cut passages, coded or not, as new documents.

    Columns: document, text, optionally codes (code paths separated by ';', may
    be empty) and country, role, policy, sector, language. Each document's passages are
    joined by a blank line; each passage is one segment; its codes become accepted codings
    and it counts as reviewed. Without a codes column (or with --unreviewed) the passages
    are left unreviewed, so 'qda autocode' suggests codes for them.

    \b
    Example: qda import-coded coded.csv --coder ana
    """
    from qda.imports import pipeline
    with in_project() as project:
        report = pipeline.import_coded(project, file, coder or project.default_coder,
                                        unreviewed)
    _report(report, "imported")


@app.command("import-codings")
def import_codings(
    paths: Annotated[list[Path], typer.Argument(help="CSV/JSONL files or folders of them.")],
    coder: Annotated[str | None, typer.Option(help="Who coded them (default: you).")] = None,
) -> None:
    """Add a coder's codings to documents already imported.

    Columns: document (its id), text (the passage, verbatim) and codes.
    Each passage is found in its document and every respondent segment it covers gets the
    codes as accepted codings; an empty codes field records 'reviewed, no code'.

    \b
    Example: qda import-codings transcripts/reference/ --coder reference
    """
    from qda.imports import pipeline
    with in_project() as project:
        report = pipeline.import_codings(project, paths, coder or project.default_coder)
    _report(report, "coded")


@app.command()
def speakers(
    document: Annotated[str | None, typer.Argument(
        help="One document (its id); all when left out.", show_default=False)] = None,
    interviewer: Annotated[list[str] | None, typer.Option(
        help="Make this label the document's interviewer (repeat for two).",
        show_default=False)] = None,
    json_: JsonOpt = False,
) -> None:
    """Speaker labels of each interview with their turns, passages and role; fix who the
    interviewer is.

    Without interviewer: metadata and with no label of the settings' interviewer_labels,
    'qda import' guesses the interviewer from the turns (questions, who speaks first, shorter
    turns) and says which label it took. --interviewer LABEL corrects it: the document
    is segmented again and its codings follow their passages (a coding on a turn that becomes
    the interviewer's is kept detached and listed by 'qda flagged'); later imports of the
    file keep the choice.

    \b
    Examples: qda speakers  ·  qda speakers US-02  ·
    qda speakers US-02 --interviewer Cynthia
    """
    from qda.imports import pipeline  # spaCy and the readers: only for commands that import
    with in_project() as project:
        if interviewer:
            if document is None:
                raise UsageError("--interviewer needs the document: qda speakers DOC "
                                 "--interviewer LABEL")
            report = pipeline.set_interviewer(project, document, interviewer)
            _report(report, "re-segmented")
            return
        rows = pipeline.speaker_rows(project, document)
    if listed(rows, json_, "no interviews yet; run 'qda import transcripts/'"):
        return
    from qda.export import terminal
    out.print(terminal.speakers(rows))


@app.command("set")
def set_(
    documents: Annotated[list[str], typer.Argument(help="Document ids.")],
    country: Annotated[str | None, typer.Option(help="The country.")] = None,
    role: Annotated[str | None, typer.Option(help=f"The role ({', '.join(ROLES)}).")] = None,
    policy: Annotated[str | None, typer.Option(help="The policy.")] = None,
    sector: Annotated[str | None, typer.Option(help="The sector.")] = None,
    language: Annotated[str | None, typer.Option(help="The language (es|en).")] = None,
) -> None:
    """Correct the case attributes of imported interviews; codings are untouched.

    Re-importing with a corrected front matter, interviews.csv or options does the same.

    \b
    Example: qda set CL-03 CL-04 --country Perú --role expert
    """
    values = {"country": country, "role": role, "policy": policy, "sector": sector,
              "language": language}
    if not any(values.values()):
        raise UsageError("nothing to set: give --country, --role, --policy, --sector or "
                         "--language")
    from qda.imports import pipeline
    with in_project() as project:
        lines = pipeline.set_attributes(project, documents, values)
    for line in lines:
        out.print(line, highlight=False, markup=False)


@app.command()
def segments(
    document: Annotated[str | None, typer.Option(help="Only this document (its id).")] = None,
    country: Annotated[str | None, typer.Option(help="Only this country.")] = None,
    role: Annotated[str | None, typer.Option(help="Only this role.")] = None,
    contains: Annotated[str | None, typer.Option(help="Only passages with this text.")] = None,
    interviewer: Annotated[bool, typer.Option(help="Include interviewer turns.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many rows (0: all).")] = 50,
    json_: JsonOpt = False,
) -> None:
    """List passages, filtered by document, attribute or text.

    \b
    Example: qda segments --country Peru --contains presupuesto
    """
    from qda.ingest.metadata import canonical_country, canonical_role
    with in_project() as project:
        frame = everything = project.segments_frame(include_interviewer=interviewer)
    for column, given, value in (("document", document, document),
                                 ("country", country, country and canonical_country(country)),
                                 ("role", role, role and canonical_role(role))):
        if not value:
            continue
        present = sorted(everything[column].dropna().unique())
        if value.casefold() not in {v.casefold() for v in present}:
            raise UsageError(f"no passages with {column} '{given}'; the project has "
                             f"{', '.join(present) or 'none'}")
        frame = frame[frame[column].str.casefold() == value.casefold()]
    if contains:
        frame = frame[frame["text"].str.contains(contains, case=False, regex=False)]
    total = len(frame)
    if limit:
        frame = frame.head(limit)
    if json_:
        print(frame.to_json(orient="records", force_ascii=False, indent=2))
        return
    from qda.export import terminal
    out.print(terminal.passages(frame, total))
