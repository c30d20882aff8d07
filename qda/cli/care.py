"""Taking care of the project and the people in it: backup, flagged, anonymise."""
from pathlib import Path
from typing import Annotated

import typer

from qda.cli._app import JsonOpt, app, err, in_project, listed, out
from qda.errors import QdaError


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(metavar="OUT",
                                           help="The copy to write (a .sqlite3 file).")],
    force: Annotated[bool, typer.Option(help="Replace OUT if it exists.")] = False,
) -> None:
    """Write a consistent copy of the project store, even while others are coding.

    Uses SQLite's backup API (one snapshot, checked with integrity_check). A backup is also
    taken automatically into .qda/backups/ before any upgrade of the store's schema.

    \b
    Example: qda backup ~/backups/study-2022-03-01.sqlite3
    """
    if target.exists() and not force:
        raise QdaError("already exists; pass --force to replace it", target)
    with in_project() as project:
        written = project.store.backup(target)
    out.print(f"wrote {written} ({written.stat().st_size / 2**20:.1f} MiB)", highlight=False,
              markup=False)


@app.command()
def flagged(
    json_: JsonOpt = False,
    dismiss: Annotated[list[int] | None, typer.Option(
        help="Forget this detached coding (its id), once you have re-coded the new text.",
        show_default=False)] = None,
) -> None:
    """What re-importing edited transcripts left for a person to look at.

    'qda import' re-anchors the codings of a changed transcript by their text. Listed here:
    detached codings, whose passage is gone (kept with their old text, decision and
    the nearest new passage, until dismissed); codings sent back to review because an
    edit merged passages that carried different decisions; memos that lost their
    passage (now on the interview).

    \b
    Examples:
      qda flagged
      qda flagged --json
      qda flagged --dismiss 12
    """
    from qda.imports.reanchor import flagged_rows
    with in_project() as project:
        if dismiss:
            project.store.dismiss_detached_codings(dismiss)
            out.print(f"dismissed {len(dismiss)} detached coding(s)")
            return
        rows = flagged_rows(project.store)
    if listed(rows, json_, "nothing flagged: every coding and memo is on its passage"):
        return
    from qda.export import terminal
    out.print(terminal.flagged(rows))


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

    \b
    Examples:
      qda anonymise --key ~/keys/study-key.json
      qda anonymise --reverse --key ~/keys/study-key.json
    """
    from qda.privacy import pseudonymise
    with in_project() as project:
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
