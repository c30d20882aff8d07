"""Why the rules suggest what they do for one passage: the data `qda explain` shows.

The rule coder is run again on the passage (its suggestions carry their evidence: the rules
that fired, the words they matched, the axes ranked); the stored codings come beside it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qda.coders.base import Suggestion, passages
from qda.coders.rules import RuleCoder
from qda.errors import QdaError
from qda.project import Project


@dataclass
class Explanation:
    """One passage, the rules' suggestions for it and the codings recorded on it."""

    segment_id: int
    document: str
    text: str
    question: Any  # the interviewer's question it answers, when there is one
    suggestions: list[Suggestion]  # most confident first
    recorded: list[dict[str, Any]]  # the store's codings: code, coder, status, ...

    @property
    def matched(self) -> list[tuple[int, int]]:
        """Offsets in the passage of the words a rule matched (not those in the question)."""
        return [(rule["start"], rule["end"]) for s in self.suggestions
                for rule in s.evidence["rules"] if rule["where"] == "passage"]

    @property
    def ranking(self) -> dict[str, float]:
        """The five axes as the rules ranked them; every suggestion carries the same."""
        return self.suggestions[0].evidence.get("axes", {}) if self.suggestions else {}


def explain(project: Project, segment_id: int) -> Explanation:
    """The rule coder's reading of one respondent passage; QdaError when there is none."""
    frame = passages(project)
    row = frame[frame.segment_id == segment_id]
    if row.empty:
        raise QdaError(f"no respondent passage with segment id {segment_id}; list them with "
                       "'qda segments'")
    first = row.iloc[0]
    found = RuleCoder(project.codebook).suggest(first.to_frame().T)
    return Explanation(segment_id, first.document, first.text, first.question,
                       sorted(found, key=lambda s: -s.confidence),
                       [dict(r) for r in project.store.segment_codings(segment_id)])
