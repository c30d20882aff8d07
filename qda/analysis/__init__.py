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

The tables load on first use, so `qda status` reads the study module without pandas. As
with eager imports, `analysis.study` is the function even once its module `study` loaded.
"""
import sys
from importlib import import_module
from types import ModuleType
from typing import Any

_HOMES = {"CaseData": "cases", "load": "cases", "cooccurrence": "cooccurrence",
          "differences": "differences", "freeman_halton": "differences",
          "group_test": "differences", "frequencies": "frequencies",
          "ranked_codes": "frequencies", "summary_table": "frequencies",
          "saturation": "saturation", "saturation_points": "saturation", "study": "study",
          "study_table": "study"}
__all__ = sorted(_HOMES)


class _Tables(ModuleType):
    """The package, whose table functions are looked up in their modules when asked for
    (the import system sets a loaded module's name on the package: `study` the module would
    hide `study` the function)."""

    def __getattribute__(self, name: str) -> Any:
        home = _HOMES.get(name)
        if home is not None:
            return getattr(import_module(f"qda.analysis.{home}"), name)
        return super().__getattribute__(name)


sys.modules[__name__].__class__ = _Tables
