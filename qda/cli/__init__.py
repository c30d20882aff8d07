"""The `qda` command: a thin layer over the Python API, in spaCy's `spacy/cli/` shape.

`_app.py` holds the Typer app, the options several commands share and `main`; each topic
module registers its commands on it. Heavy libraries (spaCy, pandas, scikit-learn, ...)
are imported inside the commands that need them, so `qda --help` starts fast.
"""
from qda.cli import care, codebook, coding, exports, findings, importing  # noqa: F401
from qda.cli._app import app, finish, main

finish()

__all__ = ["app", "main"]
