"""Segmentation keeps offsets exact; the store is transactional and keeps its schema."""
from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qda.models import Document, Paragraph, Segment
from qda.store import PAGE_SIZE, SCHEMA_VERSION, Store
from qda.text import nlp
from qda.text.nlp import detect_language, lemma
from qda.text.segment import MAX_CHARS, segment_document


def test_long_paragraph_splits_at_sentences_and_offsets_hold():
    sentence = "La voluntad política del ministerio fue decisiva para avanzar con el plan. "
    long_para = sentence * 40
    text = "ENT: ¿Qué pasó?\n\nP1: " + long_para + "\n"
    start = text.index("La voluntad")
    doc = Document("X", text, paragraphs=[Paragraph(0, 15, "ENT", True),
                                          Paragraph(start, start + len(long_para), "P1", False)])
    segments = segment_document(doc, "es")
    coded = [s for s in segments if not s.is_interviewer]
    assert len(coded) > 1 and len(long_para) > MAX_CHARS
    for s in segments:
        assert text[s.start:s.end] == s.text
        assert s.text == s.text.strip()
    assert all(s.text.endswith(".") for s in coded)  # cut between sentences, not inside
    assert " ".join(s.text for s in coded) == long_para.strip()


def test_language_detection_and_lemmas():
    assert detect_language("Bueno, lo que aprendimos es que la voluntad política es clave") == "es"
    assert detect_language("Well, what we learned is that political will was the key") == "en"
    assert lemma("Voluntades", "es") == "voluntad"  # case-sensitive table: lower-case fallback
    assert lemma("learned", "en") == "learn"


WORDY = st.lists(st.sampled_from(list("aZñÉß ,.;¿?«»_1²½\u00a0\u2003\t\n'’-ǅİΣσςК中\u0301\x00")
                                  + ["the ", "que ", "\ud800"]), max_size=100).map("".join)


@settings(max_examples=300, deadline=None)
@given(WORDY, st.integers(1, 40))
def test_words_for_the_language_are_the_patterns_runs_of_letters(text, limit):
    """Words are found by splitting at ASCII non-letters first: the same as the pattern."""
    assert nlp._first_words(text, limit) == nlp._WORD.findall(text)[:limit]
    long = text * 50  # longer than 40 characters a word: only its start is looked at
    assert nlp._first_words(long, limit) == nlp._WORD.findall(long)[:limit]


def test_a_language_told_once_is_remembered_by_its_text():
    text = "Bueno, lo que aprendimos en la región es que la voluntad estaba"
    assert detect_language(text) == "es" == detect_language(text)
    assert detect_language(text.replace("Bueno", "Bien")) == "es"
    digests = [key for key in nlp._detected if key[1] == "es"]
    assert len(digests) >= 2 and detect_language("", "en") == "en"


def test_store_pragmas_and_schema(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.schema_version() == SCHEMA_VERSION
    assert store.db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE == 65_536
    store.close()
    assert Store(tmp_path / "s.sqlite3").schema_version() == SCHEMA_VERSION  # reopen: no re-run


def test_a_store_made_in_small_pages_keeps_them_and_its_data(tmp_path):
    """Projects made before the larger pages open as they are: no rewrite, nothing lost."""
    old = sqlite3.connect(tmp_path / "s.sqlite3")
    old.execute("PRAGMA page_size=4096")
    old.execute("CREATE TABLE t (x)")
    old.close()
    store = Store(tmp_path / "s.sqlite3")
    assert store.db.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert store.schema_version() == SCHEMA_VERSION
    assert store.db.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_single_spans_of_version_4_become_coding_parts_intact(tmp_path, monkeypatch):
    import qda.store as store_mod
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", 4)
    monkeypatch.setattr(store_mod, "MIGRATIONS", store_mod.MIGRATIONS[:4])
    old = Store(tmp_path / "s.sqlite3")
    doc = Document("D1", "P1: hola mundo y adiós\n", paragraphs=[], content_hash="h")
    with old.transaction() as db:
        old.add_document(doc, [Segment(4, 22, "hola mundo y adiós", "P1", False)])
        db.execute("INSERT INTO codes (path) VALUES ('a'), ('b')")
        for code, span in ((1, (9, 14)), (2, (None, None))):
            db.execute("INSERT INTO codings (segment_id, code_id, coder, kind, status,"
                       " reviewer, created_at, updated_at, span_start, span_end)"
                       " VALUES (1, ?, 'ana', 'human', 'accepted', 'ana', 't', 't', ?, ?)",
                       (code, *span))
    before = old.db.execute("SELECT id, segment_id, code_id, coder, status, created_at"
                            " FROM codings ORDER BY id").fetchall()
    old.close()
    monkeypatch.undo()
    new = Store(tmp_path / "s.sqlite3")
    assert new.schema_version() == SCHEMA_VERSION
    assert new.db.execute("SELECT id, segment_id, code_id, coder, status, created_at"
                          " FROM codings ORDER BY id").fetchall() == before
    columns = {r[1] for r in new.db.execute("PRAGMA table_info(codings)")}
    assert "span_start" not in columns  # one place for parts: coding_spans
    states = {r["code"]: r["spans"] for r in new.coding_states(1)}
    assert states == {"a": [(9, 14)], "b": []}  # b: the whole passage, as before
    frame = new.codings_frame(parts=True)
    assert sorted(zip(frame.code, frame.start, frame.end, frame.text)) == [
        ("a", 9, 14, "mundo"), ("b", 4, 22, "hola mundo y adiós")]
    assert list(new.backup_dir().glob("s-v4-*.sqlite3"))  # the old store backed up first
    new.close()


def test_failed_transaction_leaves_nothing(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    doc = Document("D1", "P1: hola\n", paragraphs=[], content_hash="h")
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add_document(doc, [Segment(4, 8, "hola", "P1", False)])
            raise RuntimeError("interrupted")
    assert store.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    assert store.db.execute("SELECT COUNT(*) FROM segments").fetchone()[0] == 0


def test_foreign_keys_refuse_orphan_codings(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction() as db:
            db.execute("INSERT INTO codings (segment_id, code_id, coder, kind, status, created_at,"
                       " updated_at) VALUES (999, 999, 'x', 'human', 'accepted', 'now', 'now')")
