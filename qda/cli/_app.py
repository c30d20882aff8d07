"""The Typer app of the `qda` command, its options shared by several commands, and `main`.

The commands live in modules by topic (importing, codebook, coding, findings, exports, care),
each a thin layer over the library; `qda/cli/__init__.py` gathers them. Errors print one line
naming the file (and line) with exit status 1; usage errors exit 2.
"""
import inspect
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from qda import progress
from qda.errors import QdaError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from qda.project import Project

app = typer.Typer(
    name="qda",
    help="Code interview transcripts against a thematic codebook, offline.\n\n"
         "Run inside a project folder (made with 'qda init'), or pass --project DIR.",
    no_args_is_help=True,
    # plain help, as click writes it: typer's rich help renderer (panels, markdown, pygments)
    # cost more start-up than everything else `qda --help` does (issue 23: < 0.3 s); so help
    # texts carry no rich markup, and example paragraphs start with \b (kept as written)
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
export_app = typer.Typer(help="Write codings, reports and exchange files.", no_args_is_help=True)
app.add_typer(export_app, name="export")
codebook_app = typer.Typer(help="Check and show the codebook; move codings after renaming or "
                                "merging themes.",
                           no_args_is_help=True)
app.add_typer(codebook_app, name="codebook")


class _LazyConsole:
    """A rich Console made on first use: rich.console is a sixth of `qda --help`'s start-up,
    and the help never prints through it."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console
            self._console = Console(**self._options)
        return getattr(self._console, name)


out: "Console" = _LazyConsole()  # type: ignore[assignment]
err: "Console" = _LazyConsole(stderr=True)  # type: ignore[assignment]

ProjectOpt = Annotated[Path | None, typer.Option(
    "--project", "-p", help="Project folder (default: found from the current folder).",
    show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Labels in this language (es|en).")]

state: dict[str, Path | None] = {"project": None}

# The order of `qda --help`: a study's course, from setting up to sharing the findings.
ORDER = ("init", "import", "import-coded", "import-codings", "speakers", "set", "status",
         "segments", "autocode", "explain", "evaluate", "summary", "study", "cooccur",
         "differences", "saturation", "charts", "tui", "backup", "flagged", "anonymise",
         "report", "train", "next", "agreement")
EXPORT_ORDER = ("codings", "qdpx", "qdc", "quotes")


@app.callback()
def _main(project: ProjectOpt = None,
          no_formula_guard: Annotated[bool, typer.Option(
              "--no-formula-guard", help="Write cells starting with = + - @ as they are in CSV "
              "and xlsx (by default they are kept as text so spreadsheets never run them).")
          ] = False) -> None:
    from qda.export.cells import set_formula_guard
    state["project"] = project
    set_formula_guard(not no_formula_guard)
    progress.enable()  # bars on stderr, drawn only on a terminal and outside CI


def listed(rows: list[dict[str, Any]], json_: bool, empty: str) -> bool:
    """Print `rows` as JSON with --json, or say `empty` when there are none: True when that
    was all (the command draws its table otherwise)."""
    if json_:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return True
    if not rows:
        out.print(empty)
        return True
    return False


@contextmanager
def in_project(project: Path | None = None) -> Iterator["Project"]:
    """The project of --project, else the one around the current folder. The project's
    modules (store, YAML, codebook) load here, not at start-up: `qda --help` never needs
    them."""
    from qda.project import open_project
    with open_project(project or state["project"]) as opened:
        yield opened


def warn_orphans(project: "Project") -> None:
    """Codings left on codes the codebook lost (a theme renamed or merged in the file): the
    findings would silently leave them out."""
    from qda.codebook.edit import orphans
    for code in orphans(project):
        err.print(f"qda: warning: {code['codings']} coding(s) ({code['accepted']} accepted) and "
                  f"{code['memos']} memo(s) are on '{code['path']}', which the codebook no "
                  f"longer has, and count nowhere; move them with 'qda codebook move "
                  f"{code['path']} NEW'", highlight=False, markup=False, soft_wrap=True)


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
        from qda.store import store_problem
        err.print(f"qda: error: {store_problem(exc)}", highlight=False, markup=False)
        sys.exit(1)
    except OSError as exc:
        from qda.text.files import os_problem
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"qda: error: {where}{os_problem(exc)}", highlight=False, markup=False)
        sys.exit(1)
    except RecursionError:
        err.print("qda: error: the input is nested too deeply to read; check the file it names "
                  "or simplify it", highlight=False, markup=False)
        sys.exit(1)


def finish() -> None:
    """Once every topic module has registered its commands: list them in ORDER and give
    each a one-line brief."""
    for group, order in ((app, ORDER), (export_app, EXPORT_ORDER)):
        group.registered_commands.sort(key=lambda info: order.index(_name(info)))
    _one_line_briefs(app, export_app, codebook_app)


def _name(info: typer.models.CommandInfo) -> str:
    return info.name or info.callback.__name__.replace("_", "-")


def _one_line_briefs(*groups: typer.Typer) -> None:
    """Command lists show each command's whole first paragraph on one line (unwrapped from
    the docstring); without a short help, click would cut it after 45 characters."""
    for group in groups:
        for info in group.registered_commands:
            first = (inspect.getdoc(info.callback) or "").split("\n\n")[0]
            info.short_help = info.short_help or " ".join(first.split())
        for sub in group.registered_groups:  # export, codebook
            sub.short_help = sub.short_help or sub.typer_instance.info.help
