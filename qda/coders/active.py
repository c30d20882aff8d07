"""Which passage to review next: the learning loop behind `qda next` and the TUI's "next".

With a trained model, the unreviewed passages it is least sure of come first (uncertainty
sampling: the smallest distance between a code's probability and its threshold), because
deciding those teaches it most. Without one, the order is the transcripts' own (document,
then position), which is how a researcher reads.
"""
from __future__ import annotations

import pandas as pd

from qda.coders.base import passages
from qda.coders.training import MODEL_FILE, load
from qda.errors import QdaError
from qda.project import Project


def ranked(project: Project, limit: int | None = None, coder: str | None = None
           ) -> tuple[pd.DataFrame, str]:
    """Unreviewed passages (by anyone, or by `coder`) in review order (segment_id,
    document, text, margin) and how they were ordered ('model' or 'document')."""
    frame = passages(project)
    if coder is None:
        frame = frame[frame.segment_id.isin(project.store.unreviewed_segment_ids())]
    else:
        frame = frame[~frame.segment_id.isin(project.store.reviewed_segment_ids(coder))]
    frame = frame.reset_index(drop=True)
    if frame.empty or not (project.model_dir / MODEL_FILE).exists():
        return _top(frame.assign(margin=float("nan")), limit), "document"
    coder, _ = load(project, "model")  # a model that cannot be read is an error worth seeing
    if not coder.codes_:
        raise QdaError("the saved model has no code it can still speak for; run 'qda train'")
    margin = coder.uncertainty(frame)
    frame = frame.assign(margin=margin.to_numpy()).sort_values("margin", kind="stable")
    return _top(frame, limit), "model"


def next_segments(project: Project, limit: int | None = None, coder: str | None = None
                  ) -> list[int]:
    """Ids of codable passages nobody (or `coder`) has reviewed, in the order worth
    reviewing them."""
    frame, _ = ranked(project, limit, coder)
    return [int(i) for i in frame.segment_id]


def _top(frame: pd.DataFrame, limit: int | None) -> pd.DataFrame:
    columns = ["segment_id", "document", "text", "margin"]
    return (frame if limit is None else frame.head(limit))[columns].reset_index(drop=True)
