"""Running a coder over a project: suggestions written in one transaction, the run recorded."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qda.coders import patterns
from qda.coders.base import passages
from qda.coders.registry import CODERS, new_coder
from qda.coders.rules import RuleCoder
from qda.coders.workers import suggest_encoded
from qda.project import Project

if TYPE_CHECKING:
    from qda.coders.model import ModelCoder



@dataclass
class RunReport:
    run_id: int
    passages: int
    suggestions: int
    written: int
    notes: list[str] = field(default_factory=list)


def make_coder(project: Project, name: str) -> tuple[RuleCoder | ModelCoder, list[str]]:
    """The coder to run, and notes on it (codes a saved model may no longer speak for)."""
    if not CODERS[name].learns:
        return new_coder(name, project.codebook), []
    # scikit-learn and skops take a second to import: not for rules
    from qda.coders.training import MODEL_FILE, bootstrap, load
    if not (project.model_dir / MODEL_FILE).exists():
        # nobody ran 'qda train': the model learns now from the rules' confident decisions
        # over this project's passages (and any decisions people made)
        coder = bootstrap(project, name=name)
        return coder, [f"no trained model: {name} was {coder.version} in this project "
                       "('qda train' saves one trained on people's decisions)"]
    coder, changed = load(project, name)
    notes = [f"the codebook changed for {', '.join(changed)} since 'qda train': the model's "
             "suggestions for these are withheld (the rules still suggest them with "
             "--coder both); run 'qda train' again"] if changed else []
    return coder, notes


def autocode(project: Project, coder_name: str = "rules", include_reviewed: bool = False
             ) -> RunReport:
    """Suggest codes for passages nobody has reviewed (or all, with include_reviewed).

    Earlier unreviewed suggestions of the same coder on those passages are replaced (with
    `both`, those of the rules and the model too: one suggestion per passage and code);
    accepted and rejected codings are never touched.
    """
    coder, notes = make_coder(project, coder_name)
    frame = passages(project)
    if not include_reviewed:
        frame = frame[frame.segment_id.isin(project.store.unreviewed_segment_ids())]
    store = project.store
    # no lock yet: each chunk is staged as the worker processes hand it over, and the
    # transaction below copies them all at once
    store.stage_suggestions(suggest_encoded(coder, frame))
    with store.transaction():
        # Checked again under the write lock: since the suggestions were made a person may
        # have decided on a passage, or an import replaced an edited transcript's passages.
        still = (store.unreviewed_segment_ids() if not include_reviewed
                 else {s.id for s in store.segments(codable_only=True)})
        frame = frame[frame.segment_id.isin(still)]
        run_id = store.start_run(coder.name, coder.kind,
                                 codebook_hash=patterns.patterns_hash(project.codebook),
                                 model_version=coder.version,
                                 parameters={"include_reviewed": include_reviewed})
        ids = frame.segment_id.tolist()
        for other in CODERS[coder.name].replaces:
            if other != coder.name:
                store.replace_suggestions(other, ids, [])
        made, written = store.replace_suggestions_staged(coder.name, coder.kind, run_id, ids)
        summary = {"passages": len(frame), "suggestions": made, "written": written}
        store.finish_run(run_id, summary)
    return RunReport(run_id, len(frame), made, written, notes)
