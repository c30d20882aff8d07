"""Keeping coding when the codebook changes: themes renamed, merged or split.

Researchers rename, merge and split themes as the analysis goes on (the axes stay).
`rename_code` renames a theme in the codebook, its pattern files and the store at once. A
theme renamed or merged by editing the codebook by hand leaves its codings on the old path:
kept, but counted nowhere. `orphans` lists such codes and `move_code` puts their codings on
the theme that replaces them, so no decision is lost. A theme split in two needs a person:
move its codings to one part, then review them.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from qda.errors import QdaError, UsageError
from qda.project import Project
from qda.text.files import write_atomic


@dataclass
class Moved:
    codings: int  # codings now on the new code
    merged: int  # passages where a coder had both codes: the stronger decision was kept
    memos: int


def orphans(project: Project) -> list[dict[str, Any]]:
    """Codes the codebook no longer has that codings or memos still use, with counts."""
    project.codebook  # reading it brings the store's codes up to date
    return project.store.orphan_codes()


def move_code(project: Project, old: str, new: str) -> Moved:
    """Move the codings and memos of code `old` onto `new`, in one transaction."""
    book = project.codebook
    if new not in book:
        raise UsageError(f"'{new}' is not in the codebook; add it there first")
    if old == new:
        raise UsageError("the two codes are the same")
    if old in book and book[old].theme is None:
        raise UsageError(f"'{old}' is an axis; the axes stay, only themes move")
    if old not in book and old not in {o["path"] for o in project.store.orphan_codes()}:
        raise UsageError(f"no codings or memos on '{old}'; 'qda codebook check' lists the "
                         "codes the codebook lost")
    with project.store.transaction():
        return Moved(*project.store.move_codings(old, new))


def rename_code(project: Project, old: str, new: str) -> list[str]:
    """Rename theme `old` to `new` in the codebook, in every pattern file beside it (and
    wherever a definition mentions it) and in the store, so every coding and memo follows.
    Returns the files changed. The files are checked before the store commits; on any
    problem both are left as they were."""
    from qda.codebook.check import codebook_problems, pattern_files

    book = project.codebook
    if old not in book or book[old].theme is None:
        raise UsageError(f"'{old}' is not a theme of the codebook; 'qda codebook show' "
                         "lists them")
    if new in book:
        raise UsageError(f"'{new}' is already in the codebook; to merge the two, delete "
                         f"'{old}' from the codebook and run 'qda codebook move {old} {new}'")
    axis, _, theme = new.partition("/")
    if axis not in book or book[axis].theme is not None or not theme or "/" in theme:
        raise UsageError(f"'{new}' must be AXIS/theme under one of the axes")
    token = re.compile(r"(?<![\w/])%s(?![\w/])" % re.escape(old))
    files = [book.path, *pattern_files(book.path)]
    before = {path: path.read_text(encoding="utf-8") for path in files}
    after = {path: token.sub(new, text) for path, text in before.items()}
    changed = [path for path in files if after[path] != before[path]]
    try:
        with project.store.transaction():
            project.store.rename_code(old, new, axis)
            for path in changed:
                write_atomic(path, after[path].encode("utf-8"))
            found = codebook_problems(book.path)[1]
            if found:
                raise QdaError("the renamed codebook would not be valid:\n" + "\n".join(
                    f"  {p}" for p in found))
    except BaseException:
        for path in changed:
            write_atomic(path, before[path].encode("utf-8"))
        raise
    project.reload_codebook()
    return [str(path) for path in changed]


def add_theme(project: Project, path: str, labels: dict[str, str], definition: str) -> None:
    """Add theme `path` (axis/theme) to the codebook file, after its axis's last theme, with
    its label in each language and a definition (in both, until someone translates it).
    The codebook is checked before it is saved: an invalid result changes nothing."""
    from qda.codebook import model as codebook_mod

    book = project.codebook
    axis, _, theme = path.partition("/")
    if axis not in book or book[axis].theme is not None or not theme or "/" in theme:
        raise UsageError(f"'{path}' must be AXIS/theme under one of the axes")
    if not re.fullmatch(r"[a-z0-9_]+", theme):
        raise UsageError(f"'{theme}': a theme's key is lower-case letters, digits and _")
    if path in book:
        raise UsageError(f"'{path}' is already in the codebook")
    quoted = {k: json.dumps(v.strip(), ensure_ascii=False) for k, v in labels.items()}
    text = json.dumps(definition.strip(), ensure_ascii=False)
    block = (f"  - code: {path}\n    label: {{es: {quoted['es']}, en: {quoted['en']}}}\n"
             f"    definition:\n      es: {text}\n      en: {text}\n")
    before = book.path.read_text(encoding="utf-8")
    lines = before.splitlines(keepends=True)
    last = max((c.line for c in book.codes if c.axis == axis and c.line), default=None)
    after_axis = [c.line for c in book.codes if c.line and last and c.line > last]
    at = (min(after_axis) - 1) if after_axis else len(lines)
    while at > 0 and not lines[at - 1].strip():
        at -= 1  # keep the blank lines and comments before the next axis where they are
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    _save_checked(book.path, before, "".join(lines[:at] + [block] + lines[at:]),
                  codebook_mod)
    project.reload_codebook()


def remove_theme(project: Project, path: str) -> str:
    """Take theme `path` out of the codebook file (its codings stay in the store, on a code
    the codebook lost, until moved); returns the file's text before, for an undo."""
    from qda.codebook import model as codebook_mod

    book = project.codebook
    if path not in book or book[path].theme is None:
        raise UsageError(f"'{path}' is not a theme of the codebook")
    before = book.path.read_text(encoding="utf-8")
    lines = before.splitlines(keepends=True)
    start = book[path].line - 1
    while start > 0 and not lines[start].lstrip().startswith("- "):
        start -= 1  # the entry's first line ("- code: ...", the key may not come first)
    end = start + 1
    while end < len(lines) and not lines[end].lstrip().startswith("- ") and (
            lines[end].startswith("    ") or not lines[end].strip()):
        end += 1
    _save_checked(book.path, before, "".join(lines[:start] + lines[end:]), codebook_mod)
    project.reload_codebook()
    return before


def restore_codebook(project: Project, text: str) -> None:
    """Write back a codebook file's earlier text (undo of add, remove or merge)."""
    write_atomic(project.codebook.path, text.encode("utf-8"))
    project.reload_codebook()


def _save_checked(path: Any, before: str, after: str, codebook_mod: Any) -> None:
    write_atomic(path, after.encode("utf-8"))
    found = codebook_mod.problems(path)
    if found:
        write_atomic(path, before.encode("utf-8"))
        raise QdaError("the changed codebook would not be valid:\n" + "\n".join(
            f"  {p}" for p in found))
