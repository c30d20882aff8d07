"""Benchmark: training the model coder and `autocode --coder both` on the 1M-word corpus.

First `autocode --coder both` runs in the fresh project, with no saved model: the ensemble
fits itself on the rules' confident decisions over the corpus, then codes it (issue 16).
Then 5,000 passages are given decisions (the rule coder's suggestions, accepted as if a
person had reviewed them: the synthetic corpus has no human coding, and timing does not
depend on who decided), `train` fits both learners and `autocode --coder both` codes
every other passage. Prints the times, words per second and peak memory.
Targets (issue 5): train on 5,000 coded passages < 30 s; autocode both >= 100,000 words/s.

    python bench/model.py [--words 1000000] [--coded 5000]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import generate  # noqa: E402
from qda import init_project  # noqa: E402
from qda.coders import RuleCoder, passages  # noqa: E402
from qda.coders.autocode import autocode  # noqa: E402
from qda.coders.training import train  # noqa: E402
from qda.imports.pipeline import import_paths  # noqa: E402
from qda.models import Coding  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--coded", type=int, default=5_000)
    args = parser.parse_args()
    files = generate(Path(__file__).parent / "corpus", args.words)
    with tempfile.TemporaryDirectory() as tmp, init_project(Path(tmp) / "bench") as project:
        assert import_paths(project, files).ok
        frame = passages(project)
        all_words = int(frame.text.str.split().str.len().sum())
        start = time.perf_counter()
        zero_shot = autocode(project, "both")
        zero_shot_in = time.perf_counter() - start
        # every fifth passage, so the decisions spread over all interviews
        coded = frame.iloc[::max(1, len(frame) // args.coded)].head(args.coded)
        found = RuleCoder(project.codebook).suggest(coded)
        with project.store.transaction():
            project.store.upsert_human_codings(
                Coding(s.segment_id, s.code, "bench", "human", "accepted") for s in found)
            project.store.mark_reviewed(coded.segment_id.tolist(), "bench")
        start = time.perf_counter()
        trained = train(project)
        trained_in = time.perf_counter() - start
        rest = frame[~frame.segment_id.isin(coded.segment_id)]
        words = int(rest.text.str.split().str.len().sum())
        start = time.perf_counter()
        report = autocode(project, "both")
        elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    learnt = len(trained.coders["both"].codes_)
    print(f"autocode both, no saved model (self-trained on the rules' decisions): "
          f"{zero_shot.passages:,} passages, {all_words:,} words, {zero_shot_in:.2f} s, "
          f"{all_words / zero_shot_in:,.0f} words/s")
    print(f"train: {len(coded):,} coded passages, {learnt} codes learnt, {trained_in:.1f} s "
          "(target < 30 s)")
    print(f"autocode both: {report.passages:,} passages, {words:,} respondent words, "
          f"{report.written:,} suggestions")
    print(f"autocode both: {elapsed:.2f} s, {words / elapsed:,.0f} words/s (target >= 100,000)")
    print(f"model bench: peak memory {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
