"""A large import finds sentences in a worker process while it reads files, and the passages
are the same as a one-process import's, cut where spaCy's sentencizer cuts."""
from __future__ import annotations

import pytest

from qda import init_project
from qda.imports.pipeline import import_paths
from qda.text import nlp
from qda.text.nlp import PARALLEL_MIN_DOCUMENTS, Sentences, pipeline, sentence_spans

TRICKY = [
    "Hola. ¿Qué tal? Bien... gracias! El Sr. Pérez llegó a las 3.30 p.m. y dijo: «ya está».",
    "Fin.\n\nOtra parte\nsin punto final",
    "Wait...what?! No. (Really.) \"Yes.\" The U.S.A. and EE.UU. are 2.5 km away, etc. Done",
    "   espacios   al  inicio.   Y   al final.   ",
    "¡¿Cómo?! ¿¡Así!? .... ??? Bueno; vale: sí. http://example.org/a.b?c=d. Listo.",
    "Una frase sin puntos que sigue y sigue",
    "...",
    "",
    "A. B. C. 1. 2. 3. a.m. p.ej. Dr. Lee. Ms. Day.",
    "Primera。Segunda！Tercera？ Cuarta‼ Quinta",
]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_sentences_are_where_spacys_sentencizer_puts_them(lang):
    """sentence_spans follows the sentencizer's rule over the tokenizer's arrays instead of
    running it: the spans must stay exactly those of `doc.sents`."""
    nlp_ = pipeline(lang)
    for text in TRICKY + [" ".join(TRICKY)]:
        with nlp_.select_pipes(enable=["sentencizer"]):
            doc = nlp_(text)
        assert sentence_spans(text, lang) == [(s.start_char, s.end_char) for s in doc.sents]


def test_sentences_found_ahead_match_and_a_wrong_guess_is_split_here():
    with Sentences(parallel=True) as split:
        assert split.parallel
        split.ahead(TRICKY[:3], "es")
        assert [split(t, "es") for t in TRICKY[:3]] == [sentence_spans(t, "es")
                                                        for t in TRICKY[:3]]
        # asked in another language than guessed, or never handed over: found here
        assert split(TRICKY[0], "en") == sentence_spans(TRICKY[0], "en")
        assert split(TRICKY[4], "es") == sentence_spans(TRICKY[4], "es")
    with Sentences(parallel=False) as split:
        assert not split.parallel
        split.ahead(TRICKY[:1], "es")  # nothing to hand over to
        assert split(TRICKY[0], "es") == sentence_spans(TRICKY[0], "es")


def test_a_killed_worker_costs_time_not_sentences():
    """The worker killed before it answers (out of memory): the paragraph is split here."""
    import os
    import signal

    with Sentences(parallel=True) as split:
        for worker in list(split._pool._processes.values()):
            os.kill(worker.pid, signal.SIGKILL)
        split.ahead(TRICKY[:2], "es")
        assert split(TRICKY[0], "es") == sentence_spans(TRICKY[0], "es")
        split.ahead(TRICKY[2:3], "es")  # a broken pool takes nothing more
        assert split(TRICKY[2], "es") == sentence_spans(TRICKY[2], "es")


def _study(root, count: int) -> None:
    """Transcripts each with a respondent paragraph long enough to be cut at sentences."""
    folder = root / "transcripts"
    rows = ["file,id,country,role,language,interviewer"]
    for i in range(count):
        long = " ".join(f"La mesa {i} número {n} apoyó el programa del Sr. Pérez, etc. "
                        f"¿Funcionó? Sí... en parte!" for n in range(30))
        (folder / f"t{i:03d}.txt").write_text(
            f"ENT: ¿Qué funcionó?\n\nP1: {long}\n\nENT: ¿Y después?\n\nP1: Nada más.\n",
            encoding="utf-8")
        rows.append(f"t{i:03d}.txt,T-{i:03d},Chile,expert,{'es' if i % 3 else 'en'},ENT")
    (folder / "interviews.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def _passages(project) -> list[tuple]:
    return [(s.document_id, s.start, s.end, s.text, s.speaker, s.is_interviewer)
            for s in project.store.segments()]


def test_a_large_import_splits_in_a_worker_and_stores_the_same_passages(tmp_path,
                                                                        monkeypatch):
    calls: list[str] = []
    real = nlp.sentence_spans

    def counted(text: str, lang: str) -> list[tuple[int, int]]:
        calls.append(lang)  # in this process only: a forked worker counts in its own copy
        return real(text, lang)

    monkeypatch.setattr(nlp, "sentence_spans", counted)
    count = PARALLEL_MIN_DOCUMENTS + 4
    found = {}
    for mode in ("one process", "worker"):
        root = tmp_path / mode.replace(" ", "-")
        project = init_project(root)
        _study(root, count)
        calls.clear()
        with Sentences(parallel=mode == "worker") as split:
            report = import_paths(project, [root / "transcripts"], split=split)
        assert report.ok and len(report.imported) == count
        found[mode] = (_passages(project), len(calls))
        project.close()
    (alone, here), (shared, there) = found["one process"], found["worker"]
    assert alone == shared
    assert sum(len(text) > 1200 for *_, text, _, _ in alone) == 0  # long ones were cut
    assert here >= count and there == 0  # the worker found every sentence


def _python(code: str, **env: str) -> str:
    """`code` run by a fresh interpreter; its output."""
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_telling_the_language_does_not_import_spacy():
    """Stop words come from spaCy's own lists, read without importing spaCy (a second),
    and tell the same languages."""
    out = _python("import sys; from qda.text import nlp\n"
                  "print(nlp.detect_language('what we learned is that the will was there'),"
                  " nlp.detect_language('lo que aprendimos es que la voluntad estaba'),"
                  " 'spacy' in sys.modules)")
    assert out == "en es False"
    from spacy.lang.en.stop_words import STOP_WORDS as en
    from spacy.lang.es.stop_words import STOP_WORDS as es
    assert nlp.stop_words("es") == es and nlp.stop_words("en") == en


def test_the_worker_loads_spacy_without_its_command_line():
    out = _python("import sys; from qda.text import nlp; nlp._load()\n"
                  "print(sorted(m for m in sys.modules if m.startswith('spacy.cli')),"
                  " nlp.sentence_spans('Hola. ¿Qué tal? Bien.', 'es'))")
    assert out == f"[] {sentence_spans('Hola. ¿Qué tal? Bien.', 'es')}"


def test_a_spacy_that_needs_its_command_line_is_imported_whole(tmp_path):
    """Should a spaCy release need more of `spacy.cli` at import, the stand-in gives way."""
    package = tmp_path / "spacy"
    (package / "cli").mkdir(parents=True)
    (package / "__init__.py").write_text("from .cli.info import info\nfrom .cli import more\n")
    (package / "cli" / "__init__.py").write_text("more = 'whole'\n")
    (package / "cli" / "info.py").write_text("info = 'info'\n")
    out = _python("import sys; from qda.text import nlp; nlp._load(); import spacy\n"
                  "print(spacy.more, spacy.info)", PYTHONPATH=str(tmp_path))
    assert out == "whole info"


def test_paragraphs_go_to_the_worker_in_chunks(monkeypatch):
    """Every hand-over wakes the executor's threads: a language's first paragraphs go at
    once (its pipeline is built early), then CHUNK at a time, the rest when flushed."""
    texts = [f"Frase {i}. Otra frase {i}." for i in range(2 * nlp.CHUNK + 5)]
    with Sentences(parallel=True) as split:
        jobs = []
        real = split._pool.submit
        monkeypatch.setattr(split._pool, "submit",
                            lambda *a: (jobs.append(len(a[1])), real(*a))[1])
        for text in texts:
            split.ahead([text], "es")
        assert jobs == [1, nlp.CHUNK, nlp.CHUNK]
        assert not split.ready(texts[-1], "es")  # gathered, not handed over yet
        split.flush()
        assert jobs == [1, nlp.CHUNK, nlp.CHUNK, 4]
        assert [split(t, "es") for t in texts] == [sentence_spans(t, "es") for t in texts]
        assert all(split.ready(t, "es") for t in texts)
