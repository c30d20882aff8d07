"""Suggestions for a large corpus, made in two worker processes, evidence encoded there;
and other work of independent pieces (the model's codes, fitted) spread the same way.

The rule coder is pure Python and runs on one core; every laptop has at least two. Workers
are forked, so they share the loaded coder (patterns, lemma tables, the model) instead of
rebuilding it, and each sends back its suggestions with the evidence already encoded as the
JSON the store keeps: rebuilding hundreds of thousands of evidence dicts in the parent would
cost more than the second core saves. Results come back in passage order, so a run writes
exactly what a single process would.
"""
from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import orjson
import pandas as pd
from threadpoolctl import threadpool_limits

from qda import progress
from qda.coders.base import Coder, Suggestion
from qda.text.nlp import can_fork

PROCESSES = 2
PARALLEL_MIN_CHARS = 2_000_000  # about 300k words: below this, forking costs more than it saves
CHUNKS_PER_PROCESS = 16  # small enough to balance the load, large enough to cost little
# Coders safe to fork: pure Python, or scikit-learn linear models on sparse data, whose
# workers are held to one thread each (threadpoolctl) so no thread pool is inherited in use.
FORK_SAFE_KINDS = frozenset({"rules", "model"})
_in_worker = False  # a worker codes its chunk itself: no pool inside a pool

# what forked workers run, and the data they share (set for one run, inherited, not pickled)
_JOB: tuple[Callable[[Any, Any], Any], Any] | None = None
T = TypeVar("T")
R = TypeVar("R")


# A suggestion whose evidence is already the JSON text the store keeps: (segment_id, code,
# confidence, evidence). A plain tuple, because a named one is pickled through a Python call
# each: sending a corpus's suggestions from the workers took ten times as long.
Encoded = tuple[int, str, float, "str | None"]


def suggest_encoded(coder: Coder, passages: pd.DataFrame, processes: int | None = None
                    ) -> Iterator[Encoded]:
    """`coder.suggest(passages)` with encoded evidence; in worker processes for a large
    corpus and a coder that is safe to fork, in this one otherwise.

    Suggestions are yielded chunk by chunk as the workers finish them, so the caller can
    store one chunk while the next is being made."""
    for part in _suggest(coder, passages, processes, encoded=True):
        yield from part


def suggestions(coder: Coder, passages: pd.DataFrame) -> Iterator[Suggestion]:
    """`coder.suggest(passages)`, in worker processes for a large corpus (their evidence
    decoded here); in this process without encoding, where a JSON round trip per
    suggestion would cost a tenth of the coding."""
    for part in _suggest(coder, passages, None, encoded=False):
        if part and not isinstance(part[0], Suggestion):  # from a worker
            part = [Suggestion(segment_id, code, confidence,
                               orjson.loads(evidence) if evidence else {})
                    for segment_id, code, confidence, evidence in part]
        yield from part


def _suggest(coder: Coder, passages: pd.DataFrame, processes: int | None, encoded: bool
             ) -> Iterator[list]:
    """Suggestions chunk by chunk: from worker processes (always encoded), or made here
    (encoded if asked)."""
    if processes is None:
        large = bool(len(passages)) and passages["text"].str.len().sum() >= PARALLEL_MIN_CHARS
        processes = PROCESSES if large and coder.kind in FORK_SAFE_KINDS else 1
    with progress.task(f"coding ({coder.name})", len(passages)) as step:
        if processes < 2 or len(passages) < 2 or _in_worker or not can_fork():
            # in pieces only when a bar shows how far it got
            parts = _chunks(len(passages), CHUNKS_PER_PROCESS) if step.shown else [
                (0, len(passages))]
            for start, end in parts:
                found = coder.suggest(passages.iloc[start:end])
                yield _encode(found) if encoded else found
                step(end - start)
            return
        bounds = _chunks(len(passages), processes * CHUNKS_PER_PROCESS)
        collecting = gc.isenabled()
        gc.disable()  # receiving results makes objects, no cycles: nothing for the collector
        try:
            for (start, end), part in zip(bounds, forked_map(
                    _suggest_chunk, (coder, passages), bounds, processes)):
                yield part
                step(end - start)
        finally:
            if collecting:
                gc.enable()


def forked_map(function: Callable[[Any, T], R], job: Any, items: Sequence[T],
               processes: int = PROCESSES) -> Iterator[R]:
    """`function(job, item)` for every item, in order, computed by forked worker processes
    that share `job` as this process holds it (only items and results are pickled); here,
    one by one, where forking is not safe or inside a worker."""
    if processes < 2 or len(items) < 2 or _in_worker or not can_fork():
        for item in items:
            yield function(job, item)
        return
    global _JOB
    _JOB = (function, job)
    try:
        with multiprocessing.get_context("fork").Pool(processes, _start_worker) as pool:
            yield from pool.imap(_run, items)
    finally:
        _JOB = None


def _start_worker() -> None:
    """A worker lives for one run and makes no reference cycles: the cyclic garbage
    collector would only walk the heap it inherited, again and again."""
    global _in_worker
    _in_worker = True
    gc.disable()
    threadpool_limits(1)  # two processes on two cores: no BLAS or OpenMP threads besides


def _run(item: Any) -> Any:
    function, job = _JOB
    return function(job, item)


def _suggest_chunk(job: tuple[Coder, pd.DataFrame], bounds: tuple[int, int]) -> list[Encoded]:
    coder, passages = job
    return _encode(coder.suggest(passages.iloc[bounds[0]:bounds[1]]))


def _encode(suggestions: list) -> list[Encoded]:
    """Evidence as compact UTF-8 JSON; orjson, because at a corpus's scale the standard
    library's encoder takes a third as long as the matching itself."""
    dumps = orjson.dumps
    like_json = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS  # what json.dumps takes
    return [(s.segment_id, s.code, s.confidence,
             dumps(s.evidence, option=like_json).decode() if s.evidence else None)
            for s in suggestions]


def _chunks(count: int, parts: int) -> list[tuple[int, int]]:
    step = -(-count // parts)
    return [(start, min(start + step, count)) for start in range(0, count, step)]
