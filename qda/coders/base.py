"""What every coder shares: the passages it reads, the suggestions it makes, its interface.

Coders follow scikit-learn's shape: parameters are set in `__init__`, `fit(passages, codes)`
learns (or does nothing), `suggest(passages)` returns suggestions with their evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from qda.project import Project

PASSAGE_COLUMNS = ["segment_id", "document", "text", "language", "question", "previous_question",
                   "place"]


@dataclass
class Suggestion:
    """One code a coder proposes for one passage, with how sure it is and why."""

    segment_id: int
    code: str
    confidence: float
    evidence: dict[str, Any] = field(default_factory=dict)


class Coder(Protocol):
    """The small interface the rule coder, the model coder and their ensemble share."""

    name: str
    kind: str

    def fit(self, passages: pd.DataFrame, codes: pd.Series | None = None) -> Coder: ...

    def suggest(self, passages: pd.DataFrame) -> list[Suggestion]: ...


def passages(project: Project) -> pd.DataFrame:
    """Respondent passages with their language and the interviewer's last two questions.

    The questions are context: an answer usually serves the axis it was asked about, and a
    follow-up ("¿y por qué?") leaves the question before it in force.
    """
    frame = project.store.turns_frame()  # in document order
    asked = frame["is_interviewer"].astype(bool) & frame["speaker"].notna()
    by_document = frame["document"]
    last = frame["text"].where(asked).groupby(by_document).ffill()
    # at each question, the question before it in the same interview; carried forward
    before = frame["text"][asked].groupby(by_document[asked]).shift(1)
    before = before.reindex(frame.index).groupby(by_document).ffill()
    frame["question"] = last.fillna("")  # "" rather than None: no NaN in frames
    frame["previous_question"] = before.fillna("")
    frame = frame[frame["is_interviewer"] == 0].copy()
    # how far into its interview a passage falls (0 first .. <1 last): guides go through the
    # axes in order; kept with the passage so any subset of passages knows its place
    by_document = frame.groupby("document")
    frame["place"] = by_document.cumcount() / by_document["document"].transform("size")
    return frame[PASSAGE_COLUMNS].reset_index(drop=True)
