"""The findings tables as pandas DataFrames, for the command line and for notebooks.

Every function takes an open `Project` (or `CaseData` loaded once with `load()`, so several
tables share one read of the store) and returns a DataFrame:

    >>> import qda
    >>> from qda import analysis
    >>> project = qda.open_project(".")
    >>> cases = analysis.load(project)
    >>> freq = analysis.frequencies(cases, by="country", lang="es")
    >>> analysis.summary_table(freq)            # themes x countries, counts and shares
    >>> analysis.differences(cases)             # exact tests and wording per theme
    >>> analysis.cooccurrence(cases)            # pairs of codes, counts and Jaccard
    >>> analysis.saturation(cases)              # distinct themes as interviews are added
    >>> analysis.study_table(analysis.study(cases))

Accepted codings count; pending machine suggestions only with `include_suggested`, and
then in columns of their own.

The tables load on first use (PEP 562): `qda status` reads the study module without
pandas, and `import qda.analysis` stays cheap.
"""
from importlib import import_module
from typing import Any

_HOMES = {"CaseData": "cases", "load": "cases", "cooccurrence": "cooccurrence",
          "differences": "differences", "freeman_halton": "differences",
          "group_test": "differences", "frequencies": "frequencies",
          "ranked_codes": "frequencies", "summary_table": "frequencies",
          "saturation": "saturation", "saturation_points": "saturation", "study": "study",
          "study_table": "study"}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f"qda.analysis.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'qda.analysis' has no attribute '{name}'")
