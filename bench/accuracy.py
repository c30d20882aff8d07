"""Benchmark: the rule coder against the hand-made reference coding of the sample corpus.

Prints macro precision, recall, F1 and kappa at axis and theme level.
Target (issue 4): axis-level macro-F1 >= 0.70 for the rule coder alone.

    python bench/accuracy.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qda import init_project  # noqa: E402
from qda.coders import RuleCoder, passages  # noqa: E402
from qda.coders.evaluate import reference_matrix, scores, suggestion_matrix  # noqa: E402
from qda.importing import import_codings, import_paths  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, init_project(Path(tmp) / "sample") as project:
        assert import_paths(project, [REPO / "transcripts"]).ok
        assert import_codings(project, [REPO / "transcripts" / "reference"], "reference").ok
        frame = passages(project)
        suggested = RuleCoder(project.codebook).suggest(frame)
        for level in ("axis", "theme"):
            truth = reference_matrix(project, "reference", level)
            table = scores(truth, suggestion_matrix(suggested, list(truth.index), project, level))
            macro = table.iloc[-1]
            target = " (target >= 0.70)" if level == "axis" else ""
            print(f"rules vs reference, {level}: {len(truth)} passages, macro precision "
                  f"{macro.precision:.2f}, recall {macro.recall:.2f}, F1 {macro.f1:.2f}{target}, "
                  f"kappa {macro.kappa:.2f}")


if __name__ == "__main__":
    main()
