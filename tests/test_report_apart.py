"""Work the report hands to other processes (issue 23): the heatmap drawn and the transcripts
scanned for names in forked children give the very document the report writes alone; a
child that fails costs time, not output; names found in the transcripts are remembered in
the project and scanned anew when a text changes, and anonymise forgets them."""
from __future__ import annotations

import json
import os
import signal
import zipfile

import pytest

from qda.analysis.quotes import Fit, RuleHits
from qda.codebook.check import pattern_files
from qda.export import background
from qda.export.background import Job, RulesApart
from qda.export.report import write_report
from qda.imports.pipeline import import_paths
from qda.privacy import redact
from qda.privacy.pseudonymise import anonymise
from qda.privacy.redact import SaidNames, name_texts, people, said_names_path
from qda.text import nlp

from .conftest import coded_sample, write_txt


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("apart")
    with coded_sample(root / "study") as project:
        yield project, root


def _parts(path) -> dict[str, bytes]:
    """The document, its styles and settings and every picture (not the dates)."""
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist()
                if n in ("word/document.xml", "word/styles.xml", "word/settings.xml")
                or n.startswith("word/media/")}


def test_the_report_is_the_same_with_and_without_children(sample, monkeypatch):
    project, root = sample
    forks = []
    real_start = Job._start

    def counted(self):
        forks.append(self._work.__name__)
        real_start(self)
    monkeypatch.setattr(Job, "_start", counted)
    real_rules = RulesApart._start

    def rules_counted(self):
        forks.append("rules")
        real_rules(self)
    monkeypatch.setattr(RulesApart, "_start", rules_counted)
    monkeypatch.setattr(background, "SCAN_APART", 0)  # the samples are small: fork anyway
    said_names_path(project).unlink(missing_ok=True)
    apart = write_report(project, root / "apart.docx", "es", include_suggested=True,
                         appendix=True)
    assert sorted(forks) == ["_heatmap", "names_said", "rules"]
    said_names_path(project).unlink(missing_ok=True)
    monkeypatch.setattr(background, "can_fork", lambda: False)
    forks.clear()
    alone = write_report(project, root / "alone.docx", "es", include_suggested=True,
                         appendix=True)
    assert forks == []
    assert _parts(root / "apart.docx") == _parts(root / "alone.docx")
    assert any(n.startswith("word/media/") for n in _parts(root / "alone.docx"))
    assert [q.segment_id for q in apart.quotes] == [q.segment_id for q in alone.quotes]
    assert apart.left_out == alone.left_out


def test_a_child_that_fails_costs_time_not_the_result():
    parent = os.getpid()

    def work(x: int) -> int:
        if os.getpid() != parent:
            os._exit(3)  # killed, out of memory...
        return x * 2
    job = Job(work, 21)
    assert job.forked
    assert job.result() == 42 and not job.forked

    def broken() -> int:
        raise ValueError("bad input")
    with pytest.raises(ValueError, match="bad input"):  # raised here, as without a child
        Job(broken).result()


def test_no_process_to_spare_means_the_work_is_done_here(monkeypatch):
    def refuse():
        raise BlockingIOError("fork: resource temporarily unavailable")
    monkeypatch.setattr(os, "fork", refuse)
    job = Job(sum, [1, 2, 3])
    assert not job.forked and job.result() == 6


def test_a_cancelled_child_is_ended():
    job = Job(signal.pause)  # would wait for ever
    pid = job._pid
    job.cancel()
    assert not job.forked
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _passages(project) -> list[tuple[int, str, str]]:
    return [(s.id, s.text, "es" if i % 2 else "en")
            for i, s in enumerate(project.store.segments(codable_only=True))]


def test_rule_matches_from_the_child_are_those_found_here(sample):
    project, _ = sample
    here, apart = RuleHits(project.codebook), RulesApart(project.codebook)
    try:
        assert apart.forked
        assert apart.topics == here.topics
        for _, text, lang in _passages(project)[:60]:
            assert apart(lang, text) == here(lang, text)
        assert apart.forked  # every answer came from the child
    finally:
        apart.close()
    assert not apart.forked
    # the quote chooser's weights are the same, code by code
    codes = [c.path for c in project.codebook.codes]
    local, served = Fit(project.codebook), Fit(rules=RulesApart(project.codebook))
    try:
        for segment_id, text, lang in _passages(project)[:40]:
            for code in codes:
                assert served.weights(segment_id, text, code, lang) == \
                    local.weights(segment_id, text, code, lang)
    finally:
        served._rules.close()


def test_a_rules_child_that_dies_leaves_the_matches_to_this_process(sample):
    project, _ = sample
    here = RuleHits(project.codebook)
    apart = RulesApart(project.codebook)
    (_, first, _), (_, second, _) = _passages(project)[:2]
    assert apart("es", first) == here("es", first)
    os.kill(apart._pid, signal.SIGKILL)  # out of memory, killed...
    assert apart("es", second) == here("es", second)
    assert not apart.forked
    apart.close()


def test_broken_pattern_files_leave_the_fit_to_stored_evidence_in_the_child_too(project):
    patterns = pattern_files(project.codebook.path)[0]
    patterns.write_text("language: en\ntopics:\n  budget: {codes: [no/such/code]}\n",
                        encoding="utf-8")
    apart = RulesApart(project.codebook)
    try:
        assert apart.forked and apart.topics == {} == RuleHits(project.codebook).topics
        assert Fit(rules=apart).weights(1, "El presupuesto.", "challenges", "es") == []
    finally:
        apart.close()


def test_names_found_in_texts_are_remembered_until_the_text_changes(project, tmp_path,
                                                                   monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    write_txt(folder, "pe.txt", "ENT: ¿Quién ayudó?\n\nP1: La señora Gloria Paucar nos "
              "apoyó desde el primer día.\n", id="PE-01", country="Peru", role="beneficiary")
    assert import_paths(project, [folder]).ok
    scanned = []
    real = redact.names_said

    def counting(texts):
        scanned.extend(texts)
        return real(texts)
    monkeypatch.setattr(redact, "names_said", counting)
    assert people(project).named_in("Gloria") and scanned
    path = said_names_path(project)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    scanned.clear()
    assert people(project).named_in("Gloria") and scanned == []  # remembered, not scanned
    # the transcript changes (as anonymise or a correction does): scanned again
    [row] = project.store.documents()
    text = project.store.document_text(row["id"]).replace("Gloria Paucar", "Marta Huillca")
    with project.store.transaction():
        project.store.db.execute("UPDATE documents SET text = ? WHERE id = ?",
                                 (text, row["id"]))
    who = people(project)
    assert [t for t, _ in scanned] == [text]
    assert who.named_in("Marta") and not who.named_in("Gloria")
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert "Gloria Paucar" not in json.dumps(saved)  # the old text's names are gone
    # a finder that finds otherwise starts afresh
    monkeypatch.setattr(redact, "FINDER_VERSION", redact.FINDER_VERSION + 1)
    redact._finder.cache_clear()
    assert SaidNames(project).missing(name_texts(project)) == name_texts(project)
    redact._finder.cache_clear()


def test_anonymise_forgets_the_names_found(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_txt(folder, "pe.txt", "ENT: ¿Quién ayudó?\n\nP1: La señora Gloria Paucar.\n",
              id="PE-01", country="Peru", role="beneficiary", participante="Rosa Quispe")
    assert import_paths(project, [folder]).ok
    people(project)
    assert said_names_path(project).exists()
    anonymise(project, tmp_path / "key.json")
    assert not said_names_path(project).exists()


def test_word_lists_read_without_spacy_are_spacys():
    import importlib

    from spacy.util import load_language_data, registry

    for lang in ("en", "es"):
        spacy_stop = importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
        assert nlp.stop_words(lang) == spacy_stop
        tables = registry.lookups.get(lang)
        assert nlp.lookups_table(lang, "lemma_index") == load_language_data(
            tables["lemma_index"])
    assert nlp.lookups_table("en", "lemma_lookup") == load_language_data(
        registry.lookups.get("en")["lemma_lookup"])
