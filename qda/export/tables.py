"""Tabular exports (CSV or Excel, by the file's extension) with fixed, documented columns."""
from __future__ import annotations

from pathlib import Path

from qda.errors import UsageError
from qda.export.cells import write_csv
from qda.project import Project

CODING_COLUMNS = ["document", "segment_id", "start", "end", "text", "code", "axis", "theme",
                  "coder", "kind", "confidence", "status", "country", "role", "policy",
                  "language"]
FORMATS = (".csv", ".xlsx")


def export_codings(project: Project, out: Path, status: str | None = None) -> int:
    """Write one row per coding (per coded part, when a coding covers several parts of its
    passage: start, end and text are the part's) with the fixed columns of DESIGN.md, as CSV
    or as a real Excel workbook; returns the row count. Another extension is a usage error,
    so no file with a misleading name is written."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"{out}: cannot tell the format from '{out.suffix or '(none)'}'; "
                         f"name the file .csv or .xlsx")
    frame = project.codings_frame(status=status, parts=True)[CODING_COLUMNS]
    if suffix == ".xlsx":
        from qda.export.workbook import write_workbook
        write_workbook(out, {"Codings": frame}, [
            f"One row per coded part{f' with status {status}' if status else ''}: "
            f"{len(frame)} rows. start and end are character offsets into the transcript."])
        return len(frame)
    write_csv(frame, out)
    return len(frame)
