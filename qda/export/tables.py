"""Tabular exports (CSV) with fixed, documented columns."""
from __future__ import annotations

from pathlib import Path

from ..project import Project
from .cells import write_csv

CODING_COLUMNS = ["document", "segment_id", "start", "end", "text", "code", "axis", "theme",
                  "coder", "kind", "confidence", "status", "country", "role", "policy",
                  "language"]


def export_codings(project: Project, out: Path, status: str | None = None) -> int:
    """Write one row per coding with the fixed columns of DESIGN.md; returns the row count."""
    frame = project.codings_frame(status=status)[CODING_COLUMNS]
    write_csv(frame, out)
    return len(frame)
