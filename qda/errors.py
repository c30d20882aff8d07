"""User-facing errors: every one names the file (and line) and says what to do."""
from __future__ import annotations

from pathlib import Path


class QdaError(Exception):
    """An error the user can act on; the CLI prints it on one line and exits 1."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message


class UsageError(QdaError):
    """Wrong use of a command (exit status 2)."""
