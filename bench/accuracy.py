"""Benchmark: the coders against the hand-made reference coding of the sample corpus.

The rule coder needs no training and is scored on every passage; the model coder (text
alone) and the ensemble (`both`: text and the rules' findings) are cross-validated by
interview (5 folds; no passage of a test interview is seen in training). Prints macro
precision, recall, F1 and kappa at axis and theme level, and the majority baseline.
Targets: rules axis macro-F1 >= 0.70 (issue 4); both axis macro-F1 >= 0.80, mean kappa
>= 0.70, and both better than each coder alone (issue 5).

    python bench/accuracy.py [--folds 5]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qda import init_project  # noqa: E402
from qda.coders.evaluate import CODERS, evaluate  # noqa: E402
from qda.importing import import_codings, import_paths  # noqa: E402

TARGETS = {("rules", "axis"): " (target >= 0.70)", ("both", "axis"): " (target >= 0.80)"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, init_project(Path(tmp) / "sample") as project:
        assert import_paths(project, [REPO / "transcripts"]).ok
        assert import_codings(project, [REPO / "transcripts" / "reference"], "reference").ok
        f1 = {}
        for level in ("axis", "theme"):
            for coder in CODERS:
                start = time.perf_counter()
                table, units = evaluate(project, "reference", coder, level, args.folds)
                macro = table.iloc[-1]
                f1[coder, level] = macro.f1
                how = "all passages" if coder == "rules" else f"{args.folds}-fold by interview"
                print(f"{coder:>5} vs reference, {level}: {units} passages ({how}), macro "
                      f"precision {macro.precision:.2f}, recall {macro.recall:.2f}, F1 "
                      f"{macro.f1:.3f}{TARGETS.get((coder, level), '')}, kappa "
                      f"{macro.kappa:.3f}, baseline F1 {macro.baseline_f1:.2f} "
                      f"[{time.perf_counter() - start:.1f} s]")
        for level in ("axis", "theme"):
            better = f1["both", level] > max(f1["rules", level], f1["model", level])
            print(f"both better than rules and model alone at {level} level: "
                  f"{'yes' if better else 'NO'}")


if __name__ == "__main__":
    main()
