"""Keeping coding when the codebook changes: themes renamed, merged or split.

Researchers rename, merge and split themes as the analysis goes on (the axes stay) by
editing the codebook. A theme renamed or merged there leaves its codings on the old path:
kept, but counted nowhere. `orphans` lists such codes and `move_code` puts their codings on
the theme that replaces them, so no decision is lost. A theme split in two needs a person:
move its codings to one part, then review them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import UsageError
from .project import Project


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
