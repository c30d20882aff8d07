"""The one place spaCy pipelines are built: blank es/en, sentencizer, lookup lemmas.

No trained pipeline is needed and nothing is downloaded: lemma tables come from the
`spacy-lookups-data` package. Pipelines and tables are built once per language and cached.
"""
from __future__ import annotations

import multiprocessing
import re
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from typing import TYPE_CHECKING

from qda.vocab import LANGS

if TYPE_CHECKING:
    from spacy.language import Language

# spaCy is imported on first use, so commands that never touch text start fast.
_WORD = re.compile(r"[^\W\d_]+")


@cache
def pipeline(lang: str) -> Language:
    """Blank pipeline for `lang` with sentence boundaries (its vocab serves the Matcher)."""
    import spacy

    _check(lang)
    nlp = spacy.blank(lang)
    nlp.max_length = 50_000_000  # no parser or NER here: long texts cost little memory
    nlp.add_pipe("sentencizer")
    return nlp


@cache
def lemma_table(lang: str) -> dict[str, str]:
    """Word form -> lemma, the table spaCy's lookup lemmatizer reads.

    Read as a plain dict: lemmas are only ever looked up by word here, and a lemmatizer
    component would hash the 490,000 Spanish forms into a spaCy table first (1 s at start-up).
    """
    from spacy.util import load_language_data, registry

    _check(lang)
    return load_language_data(registry.lookups.get(lang)["lemma_lookup"])


def _check(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGS)}")


def lemma(word: str, lang: str) -> str:
    """Lower-cased lemma of a word; the lookup table is case-sensitive, so try both forms."""
    table = lemma_table(lang)
    found = table.get(word)
    if found is None:
        lower = word.lower()
        found = table.get(lower, lower)
    return found.lower()


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text` (offsets into `text`): exactly the
    pipeline's sentencizer's `doc.sents`, by its rule, over the tokenizer's arrays.

    Running the sentencizer itself makes a Python object of every token twice (once to
    decide, once for `doc.sents`), which was most of an import's time in spaCy. Its rule:
    a sentence starts at the first token that is neither punctuation nor a sentence-final
    character after a sentence-final character."""
    nlp = pipeline(lang)
    doc = nlp.make_doc(text)
    if not len(doc):
        return []
    orths, puncts, starts, lengths = doc.to_array(["ORTH", "IS_PUNCT", "IDX", "LENGTH"]
                                                  ).T.tolist()
    finals = _sentence_finals(lang)
    firsts = [0]
    seen_final = False
    for i, (orth, punct) in enumerate(zip(orths, puncts)):
        if orth in finals:
            seen_final = True
        elif seen_final and not punct:
            firsts.append(i)
            seen_final = False
    lasts = [first - 1 for first in firsts[1:]] + [len(orths) - 1]
    return [(starts[a], starts[b] + lengths[b]) for a, b in zip(firsts, lasts)]


# Below this many transcripts there is too little reading to do while a worker loads spaCy:
# no worker is forked
PARALLEL_MIN_DOCUMENTS = 16


class Sentences:
    """`sentence_spans` of paragraphs handed over ahead (`ahead`), found in a forked worker
    process while this one goes on reading files; any other paragraph is split here.

    Loading spaCy takes longer than an import of a thousand transcripts spends on their
    sentences: in a worker, the second core loads it while the first reads, and this
    process never loads it at all. The spans are the same wherever they are found; a worker
    that dies (out of memory) costs time, not sentences."""

    def __init__(self, parallel: bool = True):
        self._pool: ProcessPoolExecutor | None = None
        if parallel and can_fork():
            self._pool = ProcessPoolExecutor(1, multiprocessing.get_context("fork"))
            self._pool.submit(_load)  # forked now, loading spaCy while this process reads
        self._ahead: dict[tuple[str, str], tuple[Future, int]] = {}

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def __enter__(self) -> Sentences:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            # paragraphs found ahead but never asked for, spaCy still loading: no need
            # (the executor has no public way to end its workers before Python 3.14)
            for worker in list(self._pool._processes.values()):
                worker.terminate()
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def ahead(self, texts: list[str], lang: str) -> None:
        """Start finding the sentences of `texts`, which may be asked for later."""
        if self._pool is None or not texts or lang not in LANGS:
            return  # an unknown language fails here, when it is asked for, as it would
        try:
            job = self._pool.submit(_spans_of, texts, lang)
        except BrokenProcessPool:
            return
        for i, text in enumerate(texts):
            self._ahead[(text, lang)] = (job, i)

    def __call__(self, text: str, lang: str) -> list[tuple[int, int]]:
        found = self._ahead.get((text, lang))
        if found is not None:
            job, i = found
            try:
                return job.result()[i]
            except BrokenProcessPool:  # the worker died: split here
                pass
        return sentence_spans(text, lang)


def _load() -> None:
    """The worker's first task: spaCy's import, the longest part of its work."""
    import spacy  # noqa: F401


def _spans_of(texts: list[str], lang: str) -> list[list[tuple[int, int]]]:
    return [sentence_spans(text, lang) for text in texts]


def can_fork() -> bool:
    """Fork is safe on Linux; macOS frameworks and Windows do not survive it."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


@cache
def _sentence_finals(lang: str) -> frozenset[int]:
    """Hashes of the characters the pipeline's sentencizer ends sentences with."""
    nlp = pipeline(lang)
    return frozenset(nlp.vocab.strings.add(c) for c in nlp.get_pipe("sentencizer").punct_chars)


def detect_language(text: str, default: str = "es") -> str:
    """Spanish or English by counting stop words of each language in the first words."""
    only_es, only_en = _distinctive_stop_words()
    es = en = 0
    for i, match in enumerate(_WORD.finditer(text)):
        if i >= 3000:
            break
        word = match.group().lower()
        es += word in only_es
        en += word in only_en
    if es == en:
        return default
    return "es" if es > en else "en"


@cache
def _distinctive_stop_words() -> tuple[frozenset[str], frozenset[str]]:
    """Stop words of one language only: their counts tell Spanish from English cheaply."""
    from spacy.lang.en.stop_words import STOP_WORDS as en
    from spacy.lang.es.stop_words import STOP_WORDS as es

    return frozenset(es - en), frozenset(en - es)
