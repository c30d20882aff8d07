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
"""
from qda.analysis.cases import CaseData, load
from qda.analysis.cooccurrence import cooccurrence
from qda.analysis.differences import differences, freeman_halton, group_test
from qda.analysis.frequencies import frequencies, ranked_codes, summary_table
from qda.analysis.saturation import saturation, saturation_points
from qda.analysis.study import study, study_table

__all__ = ["CaseData", "cooccurrence", "differences", "freeman_halton", "frequencies",
           "group_test", "load", "ranked_codes", "saturation", "saturation_points", "study",
           "study_table", "summary_table"]
