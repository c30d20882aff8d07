"""What every coder shares: the passages it reads, the suggestions it makes, its interface.

Coders follow scikit-learn's shape: parameters are set in `__init__`, `fit(passages, codes)`
learns (or does nothing), `suggest(passages)` returns suggestions with their evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from ..project import Project

PASSAGE_COLUMNS = ["segment_id", "document", "text", "language", "question", "previous_question"]


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

    def fit(self, passages: pd.DataFrame, codes: pd.Series | None = None) -> "Coder": ...

    def suggest(self, passages: pd.DataFrame) -> list[Suggestion]: ...


def passages(project: Project) -> pd.DataFrame:
    """Respondent passages with their language and the interviewer's last two questions.

    The questions are context: an answer usually serves the axis it was asked about, and a
    follow-up ("¿y por qué?") leaves the question before it in force.
    """
    frame = project.store.segments_frame()
    questions: list[str | None] = []
    previous: list[str | None] = []
    last = before = None
    current_doc = None
    for row in frame.itertuples():
        if row.document != current_doc:
            current_doc, last, before = row.document, None, None
        if row.is_interviewer:
            if row.speaker is not None:
                last, before = row.text, last
        questions.append(last)
        previous.append(before)
    frame["question"] = [q or "" for q in questions]  # "" rather than None: no NaN in frames
    frame["previous_question"] = [q or "" for q in previous]
    frame = frame[frame["is_interviewer"] == 0]
    return frame[PASSAGE_COLUMNS].reset_index(drop=True)
