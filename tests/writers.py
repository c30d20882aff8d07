"""A reviewer process for the crash and concurrency tests, standing in for the TUI.

    python tests/writers.py PROJECT REVIEWER SEED [SHARE OF [LIMIT]]

Goes through the passages with machine suggestions in a random order and, like a person in
the TUI, accepts or rejects each pending suggestion through `qda.review.Review` (the class
every TUI decision goes through: one transaction per decision, retried while another
process holds the lock; the passage counts as reviewed once nothing is left pending). After
each decision committed it prints every coding it changed as a JSON line
[segment_id, code, coder, status]. With SHARE and OF it takes only the passages whose
segment id % OF == SHARE, so two reviewers can work side by side on disjoint passages; with
LIMIT it stops after the passage on which it reached that many decisions.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qda import open_project  # noqa: E402
from qda.review import Review  # noqa: E402


def main(root: str, reviewer: str, seed: int, share: int = 0, of: int = 1,
         limit: int = 0) -> None:
    rng = random.Random(seed)
    with open_project(root) as project:
        frame = project.codings_frame(status="suggested")
        passages = sorted({int(r.segment_id) for r in frame.itertuples()
                           if r.kind != "human" and r.segment_id % of == share})
        rng.shuffle(passages)
        review = Review(project, reviewer)
        decisions = 0
        for segment_id in passages:
            for suggestion in review.passage(segment_id).suggestions:
                decide = rng.choice((review.accept, review.reject))
                action = decide(segment_id, suggestion.code)
                decisions += 1
                for change in action.changes:
                    if change.what == "coding" and change.after is not None:
                        print(json.dumps([*change.key, change.after["status"]]), flush=True)
            if limit and decisions >= limit:
                break


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *map(int, sys.argv[3:]))
