"""qda: code interview transcripts against a thematic codebook, offline and explainably.

The Python API notebooks use is the same the command line uses:

    >>> import qda
    >>> project = qda.open_project(".")
    >>> project.codings_frame().groupby(["axis", "country"]).size()
"""
from qda.errors import QdaError
from qda.project import Project, init_project, open_project

__all__ = ["Project", "QdaError", "init_project", "open_project"]
__version__ = "0.1.0"
