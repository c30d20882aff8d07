"""qda: code interview transcripts against a thematic codebook, offline and explainably.

The Python API notebooks use is the same the command line uses:

    >>> import qda
    >>> project = qda.open_project(".")
    >>> project.codings_frame().groupby(["axis", "country"]).size()
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qda.errors import QdaError

if TYPE_CHECKING:
    from qda.project import Project, init_project, open_project

__all__ = ["Project", "QdaError", "init_project", "open_project"]
__version__ = "0.1.0"
_FROM_PROJECT = ("Project", "init_project", "open_project")


def __getattr__(name: str) -> Any:
    """`qda.open_project` and the rest load `qda.project` (the store, YAML, the codebook) on
    first use (PEP 562), so `qda --help` and the commands that never open a project skip it."""
    if name in _FROM_PROJECT:
        from qda import project
        return getattr(project, name)
    raise AttributeError(f"module 'qda' has no attribute {name!r}")
