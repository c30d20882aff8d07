"""Running a coder over a project: suggestions written in one transaction, the run recorded."""
from __future__ import annotations

from dataclasses import dataclass

from ..models import Coding
from ..project import Project
from . import patterns
from .base import passages
from .rules import RuleCoder

CODERS = ("rules",)


@dataclass
class RunReport:
    run_id: int
    passages: int
    suggestions: int
    written: int


def make_coder(project: Project, name: str) -> RuleCoder:
    return RuleCoder(project.codebook)


def autocode(project: Project, coder_name: str = "rules", include_reviewed: bool = False
             ) -> RunReport:
    """Suggest codes for passages nobody has reviewed (or all, with include_reviewed).

    Earlier unreviewed suggestions of the same coder on those passages are replaced;
    accepted and rejected codings are never touched.
    """
    coder = make_coder(project, coder_name)
    frame = passages(project)
    if not include_reviewed:
        frame = frame[frame.segment_id.isin(project.store.unreviewed_segment_ids())]
    suggestions = coder.suggest(frame)
    store = project.store
    with store.transaction():
        run_id = store.start_run(coder.name, coder.kind,
                                 codebook_hash=patterns.patterns_hash(project.codebook),
                                 model_version=coder.version,
                                 parameters={"include_reviewed": include_reviewed})
        written = store.replace_suggestions(
            coder.name, frame.segment_id.tolist(),
            [Coding(s.segment_id, s.code, coder.name, coder.kind, "suggested", s.confidence,
                    s.evidence, run_id) for s in suggestions])
        summary = {"passages": len(frame), "suggestions": len(suggestions), "written": written}
        store.finish_run(run_id, summary)
    return RunReport(run_id, len(frame), len(suggestions), written)
