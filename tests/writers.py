"""A reviewer process for the crash and concurrency tests, standing in for the TUI.

    python tests/writers.py PROJECT REVIEWER SEED [SHARE OF [LIMIT]]

Accepts or rejects the project's machine suggestions one by one through
`Store.review_coding` (the method the TUI's decisions go through), in a random order, and
prints each decision as a JSON line only after its transaction committed. With SHARE and
OF it takes only the suggestions whose segment id % OF == SHARE, so two reviewers can work
side by side on disjoint passages; with LIMIT it stops after that many decisions.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qda import open_project  # noqa: E402
from qda.errors import QdaError  # noqa: E402


def main(root: str, reviewer: str, seed: int, share: int = 0, of: int = 1,
         limit: int = 0) -> None:
    rng = random.Random(seed)
    with open_project(root) as project:
        frame = project.codings_frame(status="suggested")
        todo = [(int(r.segment_id), r.code, r.coder) for r in frame.itertuples()
                if r.kind != "human" and r.segment_id % of == share]
        rng.shuffle(todo)
        if limit:
            todo = todo[:limit]
        for segment_id, code, coder in todo:
            status = rng.choice(("accepted", "rejected"))
            try:
                project.store.review_coding(segment_id, code, coder, status, reviewer)
            except QdaError:
                continue  # an autocode run replaced that suggestion meanwhile
            print(json.dumps([segment_id, code, coder, status]), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *map(int, sys.argv[3:]))
