"""Benchmark: re-anchoring at least 10,000 human codings after every transcript was edited.

Imports a synthetic corpus, accepts two codes on every respondent passage (human decisions,
which must all survive), then edits every transcript (a word changed in one paragraph in
eight, one paragraph in twenty deleted, a new question and answer every thirty paragraphs)
and re-imports it. Prints the time spent re-anchoring (alignment and store writes, without
reading and segmenting the files), codings per second, and how many stayed, moved or need
review; checks that no decision was lost.

    python bench/reanchor.py [--words 300000]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import generate  # noqa: E402
from qda import init_project  # noqa: E402
from qda.imports import documents  # noqa: E402
from qda.imports.pipeline import import_paths  # noqa: E402
from qda.models import Coding  # noqa: E402

CODES = ("challenges/budget", "positive_factors/political_will")


def edit(text: str, rng: random.Random) -> str:
    """A transcriber's second pass: fixes, cuts and a late addition."""
    head, _, body = text.partition("\n---\n")
    paragraphs = body.split("\n\n")
    out = []
    for i, para in enumerate(paragraphs):
        if i and rng.random() < 0.05:
            continue
        if rng.random() < 0.125:
            para = para.replace(" la ", " la misma ", 1).replace(" the ", " that ", 1)
        out.append(para)
        if i and i % 30 == 0:
            out.append("[00:59:00] ENT: ¿Algo más que agregar?\n\n[00:59:10] P1: Sí, una cosa "
                       "que olvidé: la coordinación con los municipios fue clave.")
    return head + "\n---\n" + "\n\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, init_project(Path(tmp) / "bench") as project:
        files = generate(Path(tmp) / "corpus", args.words, 10_000, seed=3)
        assert import_paths(project, files).ok
        store = project.store
        segments = store.segments(codable_only=True)
        project.codebook  # codes in the store
        with store.transaction():
            store.upsert_human_codings(Coding(s.id, code, "ana", "human", "accepted")
                                       for s in segments for code in CODES)
            store.mark_reviewed([s.id for s in segments], "ana")
        codings = len(segments) * len(CODES)
        rng = random.Random(1)
        edited_dir = Path(tmp) / "edited"
        edited_dir.mkdir()
        edited = []
        for path in files:
            target = edited_dir / path.name
            target.write_text(edit(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
            edited.append(target)
        spent = 0.0
        real = documents.reanchor_document

        def timed(*a, **k):
            nonlocal spent
            start = time.perf_counter()
            try:
                return real(*a, **k)
            finally:
                spent += time.perf_counter() - start
        documents.reanchor_document = timed
        start = time.perf_counter()
        report = import_paths(project, edited)
        whole = time.perf_counter() - start
        documents.reanchor_document = real
        assert report.ok, report.failed
        stayed = sum(r.stayed for r in report.reanchored)
        moved = sum(r.moved for r in report.reanchored)
        review = sum(r.review for r in report.reanchored)
        merged = sum(r.merged for r in report.reanchored)
        gone = [r["old_text"] for r in project.store.flagged()["detached"]]
        texts = " ".join(project.store.document_text(d["id"]) for d in project.store.documents())
        still_there = sum(t in texts for t in gone)
        kept = project.codings_frame()
        kept = kept[kept.coder == "ana"]
        detached = len(project.store.flagged()["detached"])
    print(f"reanchor: {len(files)} edited transcripts, {codings:,} human codings")
    print(f"reanchor: {spent:.2f} s re-anchoring ({codings / spent:,.0f} codings/s); "
          f"{whole:.2f} s for the whole re-import incl. reading and segmenting")
    print(f"reanchor: {stayed:,} stayed, {moved:,} moved, {review:,} need review (detached); "
          f"{len(kept):,} codings on passages after (copies onto split passages included)")
    assert stayed + moved + review == codings and detached == review, "a coding was lost"
    print(f"reanchor: {merged:,} merged (same decision, two old passages now one); "
          f"{still_there:,} detached passages still in the text word for word (in an "
          "interviewer's turn now)")
    assert len(kept) + merged >= stayed + moved, "a placed coding is missing"


if __name__ == "__main__":
    main()
