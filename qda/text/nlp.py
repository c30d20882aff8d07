"""The one place spaCy pipelines are built: blank es/en, sentencizer, lookup lemmas.

No trained pipeline is needed and nothing is downloaded: lemma tables come from the
`spacy-lookups-data` package. Pipelines and tables are built once per language and cached.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import re
import sys
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

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
    _check(lang)
    return lookups_table(lang, "lemma_lookup")


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
# Paragraphs handed to the worker at once: about fifty transcripts' long paragraphs
CHUNK = 64


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
        self._gathered: dict[str, list[str]] = {}  # by language: not handed over yet
        self._languages: set[str] = set()  # those handed over at least once

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
        """Find the sentences of `texts`, which may be asked for later. They are handed to
        the worker `CHUNK` paragraphs at a time (or when `flush`ed or asked for), as each
        hand-over costs this process a wake-up of the executor's threads; a language's
        first paragraphs at once, so that the worker builds its pipeline early."""
        if self._pool is None or not texts or lang not in LANGS:
            return  # an unknown language fails here, when it is asked for, as it would
        gathered = self._gathered.setdefault(lang, [])
        gathered.extend(texts)
        if len(gathered) >= CHUNK or lang not in self._languages:
            self._languages.add(lang)
            self._hand_over(lang)

    def flush(self) -> None:
        """Hand every paragraph gathered so far to the worker."""
        for lang in list(self._gathered):
            self._hand_over(lang)

    def ready(self, text: str, lang: str) -> bool:
        """Whether asking for the sentences of `text` now would not wait for the worker."""
        if text in self._gathered.get(lang, ()):
            return False
        found = self._ahead.get((text, lang))
        return found is None or found[0].done()

    def _hand_over(self, lang: str) -> None:
        texts = self._gathered.pop(lang, [])
        if not texts or self._pool is None:
            return
        try:
            job = self._pool.submit(_spans_of, texts, lang)
        except BrokenProcessPool:
            return
        for i, text in enumerate(texts):
            self._ahead[(text, lang)] = (job, i)

    def __call__(self, text: str, lang: str) -> list[tuple[int, int]]:
        if lang in self._gathered:
            self._hand_over(lang)
        found = self._ahead.get((text, lang))
        if found is not None:
            job, i = found
            try:
                return job.result()[i]
            except BrokenProcessPool:  # the worker died: split here
                pass
        return sentence_spans(text, lang)


def _load() -> None:
    """The worker's first task: spaCy's import, the longest part of its work.

    `spacy/__init__` imports spaCy's command-line package (typer, weasel, httpx: a third
    of the import) only to offer `spacy.info`, which blank pipelines never use: the worker
    imports spaCy with a stand-in for it (the worker lives for one import, and only
    tokenizes). Should a spaCy release need more of it, spaCy is imported whole."""
    stand_in = {name: ModuleType(name) for name in ("spacy.cli", "spacy.cli.info")}
    stand_in["spacy.cli.info"].info = None
    if any(name in sys.modules for name in ("spacy", *stand_in)):
        return
    sys.modules.update(stand_in)
    try:
        import spacy  # noqa: F401
        whole = False
    except ImportError:
        whole = True
    for name, module in stand_in.items():
        if sys.modules.get(name) is module:
            del sys.modules[name]
    if whole:
        import spacy  # noqa: F401, F811


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
    """Spanish or English by counting stop words of each language in the first words.

    An import asks twice for most transcripts (to guess the sentence worker's language,
    then to store the transcript), so answers are remembered by the text's digest."""
    key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), default)
    found = _detected.get(key)
    if found is None:
        found = _detect_language(text, default)
        if len(_detected) >= 100_000:
            _detected.clear()
        _detected[key] = found
    return found


_detected: dict[tuple[bytes, str], str] = {}


def _detect_language(text: str, default: str) -> str:
    only_es, only_en = _distinctive_stop_words()
    counts = Counter(" ".join(_first_words(text, 3000)).lower().split())
    es = sum(counts[word] for word in only_es.intersection(counts))
    en = sum(counts[word] for word in only_en.intersection(counts))
    if es == en:
        return default
    return "es" if es > en else "en"


# ASCII bytes other than letters become spaces; the bytes of other characters stay
_ASCII_NON_LETTERS = bytes(b if chr(b).isascii() and chr(b).isalpha() or b >= 128 else 32
                           for b in range(256))


def _first_words(text: str, limit: int) -> list[str]:
    """The first `limit` matches of `_WORD` (runs of letters), found 3x faster than by the
    pattern: split at ASCII non-letters (bytes.translate), a token of letters alone is one
    word, and only a token with other characters in it (¿, «, —) is searched."""
    if len(text) > 40 * limit:  # a long text: its start is enough (one more word, as the
        words = _first_words(text[:40 * limit], limit + 1)  # last may be cut in two)
        if len(words) > limit:
            return words[:limit]
    tokens = (text.encode("utf-8", "surrogatepass").translate(_ASCII_NON_LETTERS)
              .decode("utf-8", "surrogatepass").split())
    if "".join(tokens[:limit]).isalpha():
        return tokens[:limit]
    found: list[str] = []
    for token in tokens:
        if token.isalpha():
            found.append(token)
        else:
            found += _WORD.findall(token)
        if len(found) >= limit:
            break
    return found[:limit]


@cache
def _distinctive_stop_words() -> tuple[frozenset[str], frozenset[str]]:
    """Stop words of one language only: their counts tell Spanish from English cheaply."""
    es, en = stop_words("es"), stop_words("en")
    return frozenset(es - en), frozenset(en - es)


@cache
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for `lang`, run from their own file (a plain list, no imports):
    importing `spacy.lang.xx` would import all of spaCy first (a second), which telling a
    transcript's language or scanning it for names does not otherwise need."""
    import importlib.util
    import runpy

    spec = importlib.util.find_spec("spacy")  # finds the package, imports nothing
    if spec is not None and spec.submodule_search_locations:
        path = Path(spec.submodule_search_locations[0]) / "lang" / lang / "stop_words.py"
        try:
            return frozenset(runpy.run_path(str(path))["STOP_WORDS"])
        except (OSError, KeyError, ImportError):
            pass  # laid out otherwise: ask spaCy
    return frozenset(importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)


def lookups_table(lang: str, table: str) -> Any:
    """A table of spaCy's lookups data (what `spacy.util.load_language_data` reads for
    spaCy's registry entry of `lang`), read without importing spaCy."""
    import gzip

    import orjson
    import spacy_lookups_data

    path = Path(str(getattr(spacy_lookups_data, lang)[table]))
    if path.exists():
        return orjson.loads(path.read_bytes())
    return orjson.loads(gzip.decompress(path.with_suffix(path.suffix + ".gz").read_bytes()))
