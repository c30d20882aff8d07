"""The `qda` command: a thin layer over the Python API.

Errors print one line naming the file (and line) with exit status 1; usage errors exit 2.
"""
from __future__ import annotations

import inspect
import json
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterator, Optional

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from qda import progress
from qda.errors import QdaError, UsageError
from qda.store import store_problem
from qda.text.files import os_problem
from qda.export.tables import export_codings
from qda.vocab import ROLES, SHORT_ROLES
from qda.project import Project, init_project, open_project

if TYPE_CHECKING:
    from qda.imports.pipeline import ImportReport

app = typer.Typer(
    name="qda",
    help="Code interview transcripts against a thematic codebook, offline.\n\n"
         "Run inside a project folder (made with 'qda init'), or pass --project DIR.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
export_app = typer.Typer(help="Write codings, reports and exchange files.", no_args_is_help=True)
app.add_typer(export_app, name="export")

out = Console()
err = Console(stderr=True)

ProjectOpt = Annotated[Optional[Path], typer.Option(
    "--project", "-p", help="Project folder (default: found from the current folder).",
    show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]

_state: dict[str, Path | None] = {"project": None}


@app.callback()
def _main(project: ProjectOpt = None,
          no_formula_guard: Annotated[bool, typer.Option(
              "--no-formula-guard", help="Write cells starting with = + - @ as they are in CSV "
              "and xlsx (by default they are kept as text so spreadsheets never run them).")
          ] = False) -> None:
    from qda.export.cells import set_formula_guard
    _state["project"] = project
    set_formula_guard(not no_formula_guard)
    progress.enable()  # bars on stderr, drawn only on a terminal and outside CI


@contextmanager
def _open(project: Path | None = None) -> Iterator[Project]:
    with open_project(project or _state["project"]) as opened:
        yield opened


def _report(report: ImportReport, verb: str) -> None:
    for path, name, count in report.imported:
        out.print(f"{verb} {escape(str(path))} as [bold]{escape(name)}[/] ({count} passages)",
                  highlight=False)
    for path, why in report.unchanged:
        out.print(f"unchanged {path}: {why}", highlight=False)
    for _, note in report.notes:
        out.print(note, highlight=False, markup=False)
    for _, change in report.changed:
        out.print(change, highlight=False, markup=False)
    for name, line, sure in report.speakers:
        if sure:
            out.print(line, highlight=False, markup=False)
        else:
            err.print(f"qda: warning: not sure who the interviewer is: {line}; check with "
                      f"'qda speakers {name}', fix with 'qda speakers {name} --interviewer "
                      "LABEL'", highlight=False, markup=False)
    for _, warning in report.warnings:
        err.print(f"qda: warning: {warning}", highlight=False, markup=False)
    for path, why in report.skipped:
        out.print(f"skipped {path}: {why}", highlight=False, markup=False)
    for problem in report.failed:
        err.print(f"qda: error: {problem}", highlight=False, markup=False)
    summary = (f"{len(report.imported)} {verb}, {len(report.unchanged)} unchanged, "
               + (f"{len(report.changed)} attribute(s) corrected, " if report.changed else "")
               + f"{len(report.failed)} failed")
    (err if report.failed else out).print(summary, highlight=False)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new project.")],
    language: Annotated[str, typer.Option(help="Default transcript language (es|en).")] = "es",
) -> None:
    """Make a new, empty project with the default five-axis codebook.

    [b]Example[/]: qda init ~/my-study && cd ~/my-study && qda import transcripts/
    """
    with init_project(directory, language=language) as project:
        out.print(f"new qda project in {project.root}\n"
                  f"  put transcripts in {project.root / 'transcripts'} and run "
                  f"'qda import transcripts/'", highlight=False)


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(
        help="Transcript files or folders, or REFI-QDA .qdpx/.qdc files.")],
    country: Annotated[Optional[str], typer.Option(help="Set the country of every file.")] = None,
    role: Annotated[Optional[str], typer.Option(
        help=f"Set the role of every file ({', '.join(ROLES)}).")] = None,
    policy: Annotated[Optional[str], typer.Option(help="Set the policy of every file.")] = None,
    sector: Annotated[Optional[str], typer.Option(help="Set the sector of every file.")] = None,
    language: Annotated[Optional[str], typer.Option(help="Set the language (es|en).")] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Let a file replace an interview that another file with the same id "
                          "brought in (its codings are re-anchored).")] = False,
) -> None:
    """Import transcripts (.txt/.md with front matter, .docx, .vtt, .srt) and segment them.

    Attributes come from YAML front matter or from [b]interviews.csv[/] beside the files
    (matched by file name or id); the options override both. Each bad file is reported on
    its own line and the others are still imported (exit 1 if any failed). Importing the same
    file again adds nothing.

    A [b].qdpx[/] (REFI-QDA project from NVivo, ATLAS.ti, MAXQDA...) brings its sources,
    attributes, codes, codings and notes; a [b].qdc[/] brings codes only. Foreign codes that
    match the codebook map onto it, the others are added to the codebook file; whatever
    cannot be brought in is listed as 'skipped'.

    [b]Examples[/]:
      qda import transcripts/
      qda import CL-04.docx --country Chile --role beneficiary
      qda import team-nvivo.qdpx
    """
    overrides = {"country": country, "role": role, "policy": policy, "sector": sector,
                 "language": language}
    from qda.imports import pipeline  # spaCy and the readers: only for commands that import
    from qda.ingest import walk
    with _open() as project:
        total = sum(1 for _ in walk(paths))
        with progress.task("importing", total) as step:
            report = pipeline.import_paths(project, paths, overrides,
                                            lambda name: step(1, Path(name).name),
                                            replace)
    _report(report, "imported")


@app.command("import-coded")
def import_coded(
    file: Annotated[Path, typer.Argument(help="CSV or JSONL with document, text, codes.")],
    coder: Annotated[Optional[str], typer.Option(help="Who coded them (default: you).")] = None,
    unreviewed: Annotated[bool, typer.Option(
        "--unreviewed", help="Leave every passage unreviewed, for 'qda autocode' and people "
        "to code (the codes column must then be empty).")] = False,
) -> None:
    """Import ready-cut passages, coded or not, as new documents.

    Columns: [b]document, text[/], optionally [b]codes[/] (code paths separated by ';', may
    be empty) and country, role, policy, sector, language. Each document's passages are
    joined by a blank line; each passage is one segment; its codes become accepted codings
    and it counts as reviewed. Without a codes column (or with --unreviewed) the passages
    are left unreviewed, so 'qda autocode' suggests codes for them.

    [b]Example[/]: qda import-coded coded.csv --coder ana
    """
    from qda.imports import pipeline
    with _open() as project:
        report = pipeline.import_coded(project, file, coder or project.default_coder,
                                        unreviewed)
    _report(report, "imported")


@app.command("import-codings")
def import_codings(
    paths: Annotated[list[Path], typer.Argument(help="CSV/JSONL files or folders of them.")],
    coder: Annotated[Optional[str], typer.Option(help="Who coded them (default: you).")] = None,
) -> None:
    """Add a coder's codings to documents already imported.

    Columns: [b]document[/] (its id), [b]text[/] (the passage, verbatim) and [b]codes[/].
    Each passage is found in its document and every respondent segment it covers gets the
    codes as accepted codings; an empty codes field records 'reviewed, no code'.

    [b]Example[/]: qda import-codings transcripts/reference/ --coder reference
    """
    from qda.imports import pipeline
    with _open() as project:
        report = pipeline.import_codings(project, paths, coder or project.default_coder)
    _report(report, "coded")


@app.command()
def speakers(
    document: Annotated[Optional[str], typer.Argument(
        help="One document (its id); all when left out.", show_default=False)] = None,
    interviewer: Annotated[Optional[list[str]], typer.Option(
        help="Make this label the document's interviewer (repeat for two).",
        show_default=False)] = None,
    json_: JsonOpt = False,
) -> None:
    """Speaker labels of each interview with their turns, passages and role; fix who the
    interviewer is.

    Without [b]interviewer:[/] metadata and with no label of the settings' interviewer_labels,
    'qda import' guesses the interviewer from the turns (questions, who speaks first, shorter
    turns) and says which label it took. [b]--interviewer LABEL[/] corrects it: the document
    is segmented again and its codings follow their passages (a coding on a turn that becomes
    the interviewer's is kept detached and listed by 'qda flagged'); later imports of the
    file keep the choice.

    [b]Examples[/]: qda speakers  ·  qda speakers US-02  ·
    qda speakers US-02 --interviewer Cynthia
    """
    from qda.imports import pipeline  # spaCy and the readers: only for commands that import
    with _open() as project:
        if interviewer:
            if document is None:
                raise UsageError("--interviewer needs the document: qda speakers DOC "
                                 "--interviewer LABEL")
            report = pipeline.set_interviewer(project, document, interviewer)
            _report(report, "re-segmented")
            return
        rows = pipeline.speaker_rows(project, document)
    if json_:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        out.print("no interviews yet; run 'qda import transcripts/'")
        return
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    for column in ("document", "speaker", "turns", "passages", "role"):
        table.add_column(column, justify="right" if column in ("turns", "passages") else "left",
                         no_wrap=column != "speaker")
    for row in rows:
        table.add_row(Text(row["document"]), Text(row["speaker"]), str(row["turns"]),
                      str(row["passages"]), row["role"])
    out.print(table)


@app.command("set")
def set_(
    documents: Annotated[list[str], typer.Argument(help="Document ids.")],
    country: Annotated[Optional[str], typer.Option(help="The country.")] = None,
    role: Annotated[Optional[str], typer.Option(help=f"The role ({', '.join(ROLES)}).")] = None,
    policy: Annotated[Optional[str], typer.Option(help="The policy.")] = None,
    sector: Annotated[Optional[str], typer.Option(help="The sector.")] = None,
    language: Annotated[Optional[str], typer.Option(help="The language (es|en).")] = None,
) -> None:
    """Correct the case attributes of imported interviews; codings are untouched.

    Re-importing with a corrected front matter, interviews.csv or options does the same.

    [b]Example[/]: qda set CL-03 CL-04 --country Perú --role expert
    """
    values = {"country": country, "role": role, "policy": policy, "sector": sector,
              "language": language}
    if not any(values.values()):
        raise UsageError("nothing to set: give --country, --role, --policy, --sector or "
                         "--language")
    from qda.imports import pipeline
    with _open() as project:
        lines = pipeline.set_attributes(project, documents, values)
    for line in lines:
        out.print(line, highlight=False, markup=False)


_SHORT_ROLES = SHORT_ROLES["en"]


@app.command()
def status(json_: JsonOpt = False) -> None:
    """Interviews, policies and passages by country and role (the study table).

    [b]Examples[/]: qda status  ·  qda status --json > study.json
    """
    with _open() as project:
        rows = [dict(r) for r in project.store.counts_by_case()]
        policies = [{"country": r["country"], "policy": r["policy"]}  # no pandas: starts fast
                    for r in project.store.documents()]
    if json_:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        out.print("no interviews yet; run 'qda import transcripts/'")
        return
    roles = [r for r in ROLES if any(row["role"] == r for row in rows)]
    if any(row["role"] not in ROLES for row in rows):
        roles.append(None)
    table = Table(title="Interviews by country and role", show_footer=True, box=box.SIMPLE_HEAD,
                  padding=(0, 1), pad_edge=False, collapse_padding=True)
    table.add_column("Country", footer="Total")
    totals = {r: sum(row["documents"] for row in rows if row["role"] == r) for r in roles}
    for r in roles:
        table.add_column(_SHORT_ROLES.get(r, r) if r else "(none)", justify="right",
                         footer=str(totals[r]))
    table.add_column("Total", justify="right", footer=str(sum(totals.values())))
    table.add_column("Policies", justify="right",
                     footer=str(len({(row["country"], row["policy"]) for row in policies
                                     if row["policy"]})))
    table.add_column("Passages", justify="right",
                     footer=str(sum(row["segments"] or 0 for row in rows)))
    for country in sorted({row["country"] or "" for row in rows}):
        mine = [row for row in rows if (row["country"] or "") == country]
        cells = [str(sum(row["documents"] for row in mine if row["role"] == r) or "")
                 for r in roles]
        table.add_row(country or "(no country)", *cells,
                      str(sum(row["documents"] for row in mine)),
                      str(len({row["policy"] for row in policies
                               if row["policy"] and (row["country"] or "") == country})),
                      str(sum(row["segments"] or 0 for row in mine)))
    out.print(table)
    out.print("Design+Impl.: designer and implementer; Passages: respondent passages to code.",
              style="dim", highlight=False)


@app.command()
def segments(
    document: Annotated[Optional[str], typer.Option(help="Only this document (its id).")] = None,
    country: Annotated[Optional[str], typer.Option(help="Only this country.")] = None,
    role: Annotated[Optional[str], typer.Option(help="Only this role.")] = None,
    contains: Annotated[Optional[str], typer.Option(help="Only passages with this text.")] = None,
    interviewer: Annotated[bool, typer.Option(help="Include interviewer turns.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many rows (0: all).")] = 50,
    json_: JsonOpt = False,
) -> None:
    """List passages, filtered by document, attribute or text.

    [b]Example[/]: qda segments --country Peru --contains presupuesto
    """
    from qda.ingest.metadata import canonical_country, canonical_role
    with _open() as project:
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
    table = Table(title=f"{min(total, len(frame))} of {total} passages")
    for column in ("segment_id", "document", "country", "role", "text"):
        table.add_column(column, overflow="fold", ratio=4 if column == "text" else None)
    for row in frame.itertuples():
        text = row.text if len(row.text) <= 160 else row.text[:157] + "…"
        table.add_row(str(row.segment_id), row.document, row.country or "", row.role or "", text)
    out.print(table)


@export_app.command("codings")
def export_codings_cmd(
    output: Annotated[Path, typer.Argument(help="The file to write: .csv or .xlsx.")],
    status: Annotated[Optional[str], typer.Option(
        help="Only codings with this status (suggested|accepted|rejected).")] = None,
) -> None:
    """One row per coding: document, segment_id, start, end, text, code, axis, theme, coder,
    kind, confidence, status, country, role, policy, language; as CSV or an Excel workbook,
    by the file's extension.

    [b]Examples[/]: qda export codings outputs/codings.csv --status accepted  ·
    qda export codings outputs/codings.xlsx
    """
    if status not in (None, "suggested", "accepted", "rejected"):
        raise UsageError(f"--status must be suggested, accepted or rejected, not '{status}'")
    with _open() as project:
        count = export_codings(project, output, status)
    out.print(f"wrote {count} codings to {output}", highlight=False)


codebook_app = typer.Typer(help="Check and show the codebook; move codings after renaming or "
                                "merging themes.",
                           no_args_is_help=True)
app.add_typer(codebook_app, name="codebook")
LangOpt = Annotated[str, typer.Option("--lang", help="Labels in this language (es|en).")]


@codebook_app.command("check")
def codebook_check(
    file: Annotated[Optional[Path], typer.Argument(
        help="Codebook YAML (default: the project's).")] = None,
) -> None:
    """Validate the codebook and its rule patterns; every problem with its file and line.

    [b]Example[/]: qda codebook check
    """
    from qda.codebook import check
    in_project = file is None
    if file is None:
        with _open() as project:
            file = project.root / project.settings.codebook
    book, found = check.codebook_problems(file)
    for problem in found:
        err.print(f"qda: error: {problem}", highlight=False, markup=False)
    if found:
        err.print(f"{len(found)} problem(s)", highlight=False)
        raise typer.Exit(1)
    out.print(f"{file}: {len(book.codes)} codes, patterns for "
              f"{', '.join(p.stem for p in check.pattern_files(file)) or 'no language'}: ok",
              highlight=False)
    if in_project:
        with _open() as project:
            _warn_orphans(project)


def _warn_orphans(project: Project) -> None:
    """Codings left on codes the codebook lost (a theme renamed or merged in the file): the
    findings would silently leave them out."""
    from qda.codebook.edit import orphans
    for code in orphans(project):
        err.print(f"qda: warning: {code['codings']} coding(s) ({code['accepted']} accepted) and "
                  f"{code['memos']} memo(s) are on '{code['path']}', which the codebook no "
                  f"longer has, and count nowhere; move them with 'qda codebook move "
                  f"{code['path']} NEW'", highlight=False, markup=False, soft_wrap=True)


@codebook_app.command("show")
def codebook_show(lang: LangOpt = "en") -> None:
    """Draw the code tree with labels and counts of accepted and suggested codings.

    [b]Example[/]: qda codebook show --lang es
    """
    from rich.tree import Tree
    with _open() as project:
        book = project.codebook
        codings = project.codings_frame()
        _warn_orphans(project)
    counts = codings.groupby(["code", "status"]).size()
    tree = Tree(f"[b]{book.name}[/]")
    branches = {}
    for code in book.codes:
        accepted = int(counts.get((code.path, "accepted"), 0))
        suggested = int(counts.get((code.path, "suggested"), 0))
        label = (f"{code.label(lang)} [dim]{code.path}[/]  "
                 f"[green]{accepted} accepted[/] [yellow]{suggested} suggested[/]")
        if code.theme is None:
            branches[code.path] = tree.add(f"[b]{label}[/]")
        else:
            branches[code.axis].add(label)
    out.print(tree)


@codebook_app.command("rename")
def codebook_rename(
    old: Annotated[str, typer.Argument(help="The theme to rename (AXIS/theme).")],
    new: Annotated[str, typer.Argument(help="Its new path (AXIS/theme).")],
) -> None:
    """Rename a theme in the codebook, its pattern files and the project at once; its
    codings and memos follow. Labels stay: edit them in the codebook.

    [b]Example[/]: qda codebook rename positive_factors/political_will positive_factors/leadership
    """
    from qda.codebook.edit import rename_code
    with _open() as project:
        changed = rename_code(project, old, new)
        out.print(f"renamed {old} to {new} in {', '.join(changed)} and in the project",
                  highlight=False)
        _retrain_hint(project)


@codebook_app.command("move")
def codebook_move(
    old: Annotated[str, typer.Argument(help="The code whose codings move (e.g. one renamed "
                                            "or merged away in the codebook).")],
    new: Annotated[str, typer.Argument(help="The codebook's code that takes them.")],
) -> None:
    """Move a code's codings and memos onto another code, after renaming or merging themes.

    Edit the codebook first (rename the theme, or delete the one merged away); 'qda codebook
    check' then names the codes whose codings count nowhere. Where a coder has both codes on
    one passage, the stronger decision is kept (accepted, then rejected, then suggested).
    A theme split in two: move its codings to one part, then review them.

    [b]Example[/]: qda codebook move positive_factors/political_will positive_factors/leadership
    """
    from qda.codebook.edit import move_code
    with _open() as project:
        moved = move_code(project, old, new)
        out.print(f"moved {moved.codings} coding(s) and {moved.memos} memo(s) from {old} to "
                  f"{new}" + (f"; {moved.merged} passage(s) had both: the stronger decision "
                              "was kept" if moved.merged else ""), highlight=False)
        _retrain_hint(project)


def _retrain_hint(project: Project) -> None:
    from qda.coders.training import MODEL_FILE
    if (project.model_dir / MODEL_FILE).exists():
        out.print("run 'qda train' again: the saved model still knows the old code",
                  highlight=False)


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
    with _open() as project:
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
    with _open() as project:
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
    with _open() as project:
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
    if _state["project"] is not None:
        return _state["project"]
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
        with _open() as project:
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


# -- REFI-QDA exchange (.qdpx projects, .qdc codebooks); `qda import` reads both -------------
@export_app.command("qdpx")
def export_qdpx_cmd(
    output: Annotated[Path, typer.Argument(help="The .qdpx file to write.")],
    include_suggested: Annotated[bool, typer.Option(
        "--include-suggested", help="Add machine suggestions, credited to their machine coder "
                                    "(rules, model).")] = False,
) -> None:
    """The whole project as a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder...

    Writes users (one per coder), the codebook, a variable per case attribute, a case per
    interview, the documents' text, selections with their accepted codings, and memos as
    notes. Participant names and other metadata are never written. Rejected codings are
    never exported.

    [b]Examples[/]:
      qda export qdpx outputs/study.qdpx
      qda export qdpx outputs/study-with-suggestions.qdpx --include-suggested
    """
    from qda.refi.writer import write_qdpx
    if output.suffix.lower() != ".qdpx":
        raise UsageError(f"the output must end in .qdpx, not '{output.name}'")
    with _open() as project:
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
    lang: Annotated[Optional[str], typer.Option(
        help="Language of code names and descriptions (es|en; default: the project's).")
    ] = None,
) -> None:
    """The codebook as a REFI-QDA codebook (.qdc), with stable GUIDs per code.

    Axes are top-level codes with their themes beneath; descriptions carry the definition
    and the coding guidance. Import it elsewhere, or bring another tool's .qdc in with
    'qda import FILE.qdc'.

    [b]Example[/]: qda export qdc outputs/codebook.qdc --lang en
    """
    from qda.vocab import LANGS
    from qda.refi.writer import write_qdc
    if output.suffix.lower() != ".qdc":
        raise UsageError(f"the output must end in .qdc, not '{output.name}'")
    if lang is not None and lang not in LANGS:
        raise UsageError(f"--lang must be one of {', '.join(LANGS)}, not '{lang}'")
    with _open() as project:
        count = write_qdc(project, output, lang)
    out.print(f"wrote {count} codes to {output}", highlight=False, markup=False)


# -- findings tables and charts (qda.analysis); heavy libraries load inside each command ----
FORMATS = ("table", "csv", "xlsx", "json")
FormatOpt = Annotated[Optional[str], typer.Option(
    "--format", "-f", help="table | csv | xlsx | json (default: from the -o file's suffix, "
                           "else table).", show_default=False)]
OutputOpt = Annotated[Optional[Path], typer.Option(
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
    coder: Annotated[Optional[list[str]], typer.Option(
        help="Only codings by (or accepted by) this person; repeat for several.")] = None,
    json_: JsonOpt = False,
) -> None:
    """How many interviews raise each axis and theme, split by country, role, policy or
    sector, with shares of each group's interviews, passages and totals.

    Accepted codings count; a theme implies its axis; an interview counts once however
    often it raises a code. The table ranks themes within each axis. csv and json give one
    row per code and group with every measure; xlsx adds the cross-table.

    [b]Examples[/]:
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
    with _open() as project:
        cases = load(project, include_suggested, coder)
        _warn_orphans(project)
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

    [b]Example[/]: qda study --lang es -o outputs/study.xlsx
    """
    from qda.analysis.cases import load
    from qda.analysis.study import study, study_table
    from qda.export import terminal
    fmt = _format(format_, json_, output)
    with _open() as project:
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

    [b]Examples[/]:
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
    with _open() as project:
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

    [b]Examples[/]:
      qda differences
      qda differences --by role --lang es --json
    """
    from qda.analysis.cases import load
    from qda.analysis.differences import differences
    from qda.export import terminal
    fmt = _format(format_, json_, output)
    if not 0 < alpha < 1:
        raise UsageError(f"--alpha must be between 0 and 1, not {alpha}")
    with _open() as project:
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

    [b]Example[/]: qda saturation --order import
    """
    from qda.analysis.cases import load
    from qda.analysis.saturation import saturation, saturation_points
    from qda.export import terminal
    fmt = _format(format_, json_, output)
    with _open() as project:
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
    out_dir: Annotated[Optional[Path], typer.Option(
        "--out", help="Folder for the charts (default: the project's outputs/).",
        show_default=False)] = None,
    order: Annotated[str, typer.Option(help="Saturation order: date | import.")] = "date",
) -> None:
    """Write the charts as PNG and SVG: themes by country (heatmap of shares), themes per
    axis (bars) and the saturation curve; readable in greyscale and by colour-blind
    readers. Files are named like themes_by_country_en.png.

    [b]Examples[/]:
      qda charts
      qda charts --lang es --out outputs/
    """
    from qda.export.charts import write_charts
    with _open() as project:
        written = write_charts(project, out_dir or project.root / "outputs", lang, order)
    for path in written:
        out.print(f"wrote {path}", highlight=False, markup=False)


def main() -> None:
    """Entry point: run the app, turning QdaErrors into one-line messages."""
    try:
        app()
    except UsageError as exc:
        err.print(f"qda: usage error: {exc}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(2)
    except QdaError as exc:
        err.print(f"qda: error: {exc}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("qda: interrupted; the project is as it was before this command's "
                  "unfinished step")
        sys.exit(130)
    except sqlite3.Error as exc:
        err.print(f"qda: error: {store_problem(exc)}", highlight=False, markup=False)
        sys.exit(1)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"qda: error: {where}{os_problem(exc)}", highlight=False, markup=False)
        sys.exit(1)
    except RecursionError:
        err.print("qda: error: the input is nested too deeply to read; check the file it names "
                  "or simplify it", highlight=False, markup=False)
        sys.exit(1)



# -- the terminal UI (qda/tui/, decisions through qda/review.py) -----------------------------
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
    from qda.vocab import LANGS
    if lang is not None and lang not in LANGS:
        raise UsageError(f"--lang must be one of {', '.join(LANGS)}, not '{lang}'")
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UsageError("qda tui needs an interactive terminal; for scripts use the Python "
                         "API (qda.review.Review)")
    from qda.tui.app import run
    with _open() as project:
        run(project, coder or project.default_coder, lang or project.settings.language, compare)


# -- reliability and privacy (qda/store.py backup, qda/imports/reanchor.py, qda/privacy/pseudonymise.py) --------
@app.command()
def backup(
    target: Annotated[Path, typer.Argument(metavar="OUT",
                                           help="The copy to write (a .sqlite3 file).")],
    force: Annotated[bool, typer.Option(help="Replace OUT if it exists.")] = False,
) -> None:
    """Write a consistent copy of the project store, even while others are coding.

    Uses SQLite's backup API (one snapshot, checked with integrity_check). A backup is also
    taken automatically into .qda/backups/ before any upgrade of the store's schema.

    [b]Example[/]: qda backup ~/backups/study-2022-03-01.sqlite3
    """
    if target.exists() and not force:
        raise QdaError("already exists; pass --force to replace it", target)
    with _open() as project:
        written = project.store.backup(target)
    out.print(f"wrote {written} ({written.stat().st_size / 2**20:.1f} MiB)", highlight=False,
              markup=False)


@app.command()
def flagged(
    json_: JsonOpt = False,
    dismiss: Annotated[Optional[list[int]], typer.Option(
        help="Forget this detached coding (its id), once you have re-coded the new text.",
        show_default=False)] = None,
) -> None:
    """What re-importing edited transcripts left for a person to look at.

    'qda import' re-anchors the codings of a changed transcript by their text. Listed here:
    [b]detached[/] codings, whose passage is gone (kept with their old text, decision and
    the nearest new passage, until dismissed); codings sent back to [b]review[/] because an
    edit merged passages that carried different decisions; [b]memos[/] that lost their
    passage (now on the interview).

    [b]Examples[/]:
      qda flagged
      qda flagged --json
      qda flagged --dismiss 12
    """
    from qda.imports.reanchor import flagged_rows
    with _open() as project:
        if dismiss:
            with project.store.transaction():
                missing = [i for i in dismiss if not project.store.dismiss_detached(i)]
                if missing:
                    raise QdaError(f"no detached coding with id {', '.join(map(str, missing))};"
                                   " see 'qda flagged'")
            out.print(f"dismissed {len(dismiss)} detached coding(s)")
            return
        rows = flagged_rows(project.store)
    if json_:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        out.print("nothing flagged: every coding and memo is on its passage")
        return
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(rows)} flagged after transcript edits")
    for column in ("id", "what", "document", "passage", "code", "by", "was"):
        table.add_column(column)
    table.add_column("old passage", no_wrap=True, overflow="ellipsis", max_width=60)
    for r in rows:
        table.add_row(str(r["id"]), r["what"], r["document"], str(r["segment_id"] or "-"),
                      r["code"] or "-", r["coder"], r["old_status"] or "-", r["old_text"] or "")
    out.print(table)


@app.command()
def anonymise(
    key: Annotated[Path, typer.Option(
        "--key", help="Key file that reverses it; must be outside the project folder.",
        show_default=False)],
    reverse: Annotated[bool, typer.Option("--reverse", help="Put the names back.")] = False,
) -> None:
    """Replace participants' and other listed people's names with pseudonyms everywhere.

    Names come from the metadata (participant, interviewee, name, names; interviewer when
    it is a name) and from speaker labels that are names. Texts, passages, speaker labels,
    memos and metadata are rewritten in one transaction with passage offsets kept exact;
    the key file (outside the project, never overwritten) reverses it. Transcript files in
    transcripts/ are not touched: remove them from a copy you share.

    [b]Examples[/]:
      qda anonymise --key ~/keys/study-key.json
      qda anonymise --reverse --key ~/keys/study-key.json
    """
    from qda.privacy import pseudonymise
    with _open() as project:
        if reverse:
            report = pseudonymise.reverse(project, key)
        else:
            report = pseudonymise.anonymise(project, key)
    verb = "restored" if reverse else "anonymised"
    if not reverse and not report.documents:
        out.print("nothing to anonymise (every document already is); no key written")
        return
    out.print(f"{verb} {report.documents} document(s): {report.replacements} name(s) in the "
              f"texts, {report.memos} memo(s)" + ("" if reverse else
              f", {report.people} people; key written to {key}"), highlight=False, markup=False)
    if report.skipped:
        out.print(f"left as they were: {', '.join(report.skipped)}"
                  + (" (not anonymised with this key)" if reverse else " (already anonymised)"),
                  highlight=False, markup=False)
    if report.model_removed:
        out.print("deleted the trained model (it learned words of the original texts, names "
                  "among them); run 'qda train' to make a new one", highlight=False, markup=False)
    if report.outputs_before:
        err.print(f"qda: warning: {len(report.outputs_before)} file(s) written before may still "
                  "hold names; delete them or write them again: "
                  + ", ".join(str(p) for p in report.outputs_before), highlight=False,
                  markup=False)



# -- findings chapter and quotes in Word (qda/export/report.py, qda/export/quotes.py) --------
@app.command()
def report(
    output: Annotated[Path, typer.Argument(help="The Word file to write (.docx).")],
    lang: LangOpt = "en",
    axis: Annotated[Optional[list[str]], typer.Option(
        help="Only this axis (e.g. challenges); repeat for several.")] = None,
    country: Annotated[Optional[list[str]], typer.Option(
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

    [b]Examples[/]:
      qda report outputs/findings_en.docx
      qda report outputs/hallazgos.docx --lang es --country Peru --country Chile
      qda report outputs/challenges.docx --axis challenges --include-suggested --appendix
    """
    from qda.export.report import write_report
    with _open() as project:
        done = write_report(project, output, lang, axis, country, include_suggested, appendix)
        _warn_orphans(project)
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
    lang: Annotated[Optional[str], typer.Option(
        "--lang", help="Labels in this language (es|en); default: the project's language.",
        show_default=False)] = None,
    include_suggested: Annotated[bool, typer.Option(
        "--include-suggested", help="Add pending machine suggestions.")] = False,
) -> None:
    """Every coded passage with its code path, case attributes, attribution, coder, status
    and memos, sorted by code then country, as Word, Excel or CSV (by the file's suffix).

    Accepted codings only unless asked; labels in the project's language unless --lang
    says otherwise. Participants are never named: quote by the attribution (role and
    country); a name said in a passage or memo reads \\[name] (\\[nombre] in Spanish).

    [b]Examples[/]:
      qda export quotes outputs/quotes.docx --lang es
      qda export quotes outputs/quotes.xlsx --include-suggested
    """
    from qda.export.quotes import export_quotes
    with _open() as project:
        count = export_quotes(project, output, lang or project.settings.language,
                              include_suggested)
    out.print(f"wrote {count} coded passages to {output}", highlight=False, markup=False)


# -- the model coder and agreement (qda/coders/model.py, training.py, active.py; analysis/) --
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
    with _open() as project:
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
    with _open() as project:
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
    with _open() as project:
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


def _one_line_briefs(*groups: typer.Typer) -> None:
    """Command lists show each command's first paragraph; in rich markup mode Typer keeps the
    docstring's line breaks there, which cut sentences in two, so join them."""
    for group in groups:
        for info in group.registered_commands:
            first = (inspect.getdoc(info.callback) or "").split("\n\n")[0]
            info.short_help = info.short_help or " ".join(first.split())


_one_line_briefs(app, export_app, codebook_app)

if __name__ == "__main__":
    main()
