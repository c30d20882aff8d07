"""Commands on the codebook: check, show, rename, move."""
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qda.cli._app import LangOpt, codebook_app, err, in_project, out, warn_orphans

if TYPE_CHECKING:
    from qda.project import Project


@codebook_app.command("check")
def codebook_check(
    file: Annotated[Path | None, typer.Argument(
        help="Codebook YAML (default: the project's).")] = None,
) -> None:
    """Validate the codebook and its rule patterns; every problem with its file and line.

    \b
    Example: qda codebook check
    """
    from qda.codebook import check
    own = file is None  # the project's codebook: warn about orphaned codings too
    if file is None:
        with in_project() as project:
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
    if own:
        with in_project() as project:
            warn_orphans(project)


@codebook_app.command("show")
def codebook_show(lang: LangOpt = "en") -> None:
    """Draw the code tree with labels and counts of accepted and suggested codings.

    \b
    Example: qda codebook show --lang es
    """
    from qda.export import terminal
    with in_project() as project:
        book = project.codebook
        codings = project.codings_frame()
        warn_orphans(project)
    out.print(terminal.codebook_tree(book, codings.groupby(["code", "status"]).size(), lang))


@codebook_app.command("rename")
def codebook_rename(
    old: Annotated[str, typer.Argument(help="The theme to rename (AXIS/theme).")],
    new: Annotated[str, typer.Argument(help="Its new path (AXIS/theme).")],
) -> None:
    """Rename a theme in the codebook, its pattern files and the project at once; its
    codings and memos follow. Labels stay: edit them in the codebook.

    \b
    Example: qda codebook rename positive_factors/political_will positive_factors/leadership
    """
    from qda.codebook.edit import rename_code
    with in_project() as project:
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

    \b
    Example: qda codebook move positive_factors/political_will positive_factors/leadership
    """
    from qda.codebook.edit import move_code
    with in_project() as project:
        moved = move_code(project, old, new)
        out.print(f"moved {moved.codings} coding(s) and {moved.memos} memo(s) from {old} to "
                  f"{new}" + (f"; {moved.merged} passage(s) had both: the stronger decision "
                              "was kept" if moved.merged else ""), highlight=False)
        _retrain_hint(project)


def _retrain_hint(project: "Project") -> None:
    from qda.coders.training import MODEL_FILE
    if (project.model_dir / MODEL_FILE).exists():
        out.print("run 'qda train' again: the saved model still knows the old code",
                  highlight=False)
