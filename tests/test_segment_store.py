"""Segmentation keeps offsets exact; the store is transactional and keeps its schema."""
from __future__ import annotations

import sqlite3

import pytest

from qda.models import Document, Paragraph, Segment
from qda.text.nlp import detect_language, lemma
from qda.text.segment import MAX_CHARS, segment_document
from qda.store import SCHEMA_VERSION, Store


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


def test_store_pragmas_and_schema(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.schema_version() == SCHEMA_VERSION
    store.close()
    assert Store(tmp_path / "s.sqlite3").schema_version() == SCHEMA_VERSION  # reopen: no re-run


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
