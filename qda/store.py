"""The project store: one SQLite file. All SQL of the project lives in this module.

SQLite runs in WAL mode with foreign keys on; every write happens inside `transaction()`,
so an interrupted command leaves the store as it was. The SQL sticks to what PostgreSQL also
speaks, so a shared server can later stand behind the same methods.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import QdaError
from .models import Coding, Document, Segment

SCHEMA_VERSION = 1

# Each entry upgrades the schema by one version; never edit one that has shipped.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        source_path TEXT,
        content_hash TEXT NOT NULL,
        text TEXT NOT NULL,
        country TEXT, role TEXT, policy TEXT, sector TEXT, language TEXT, date TEXT,
        interviewers TEXT NOT NULL DEFAULT '[]',
        extra TEXT NOT NULL DEFAULT '{}',
        imported_at TEXT NOT NULL
    );
    CREATE INDEX documents_hash ON documents (content_hash);
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        speaker TEXT,
        is_interviewer INTEGER NOT NULL DEFAULT 0,
        time TEXT,
        text TEXT NOT NULL,
        UNIQUE (document_id, position)
    );
    CREATE TABLE codes (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        parent_path TEXT,
        position INTEGER NOT NULL DEFAULT 0,
        label_es TEXT,
        label_en TEXT,
        colour TEXT,
        info TEXT NOT NULL DEFAULT '{}',
        in_codebook INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        coder TEXT NOT NULL,
        kind TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        codebook_hash TEXT,
        model_version TEXT,
        parameters TEXT NOT NULL DEFAULT '{}',
        summary TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE codings (
        id INTEGER PRIMARY KEY,
        segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
        code_id INTEGER NOT NULL REFERENCES codes (id),
        coder TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('human', 'rules', 'model')),
        status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
        confidence REAL,
        evidence TEXT,
        run_id INTEGER REFERENCES runs (id),
        reviewer TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (segment_id, code_id, coder)
    );
    CREATE INDEX codings_segment ON codings (segment_id);
    CREATE INDEX codings_code ON codings (code_id);
    CREATE TABLE reviews (
        segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
        coder TEXT NOT NULL,
        reviewed_at TEXT NOT NULL,
        PRIMARY KEY (segment_id, coder)
    );
    CREATE TABLE memos (
        id INTEGER PRIMARY KEY,
        segment_id INTEGER REFERENCES segments (id) ON DELETE CASCADE,
        document_id INTEGER REFERENCES documents (id) ON DELETE CASCADE,
        code_id INTEGER REFERENCES codes (id),
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
]


def now() -> str:
    """UTC timestamp in ISO 8601, the one time format the store holds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """Access to one project's SQLite file; open it with `Store(path)`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30.0,
                                      check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA busy_timeout=30000")
        except sqlite3.DatabaseError as exc:
            raise QdaError(f"cannot open the project store: {exc}", self.path) from None
        self._depth = 0
        self._migrate()

    def close(self) -> None:
        self.db.close()

    # -- transactions and schema -------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write; nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self.db
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            self._depth = 0

    def schema_version(self) -> int:
        has_meta = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if not has_meta:
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise QdaError(f"the store has schema version {version}, newer than this qda "
                           f"({SCHEMA_VERSION}); upgrade qda", self.path)
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction() as db:
                for statement in MIGRATIONS[target - 1].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(target),))

    # -- documents and segments ---------------------------------------------------------------
    def find_document(self, name: str) -> sqlite3.Row | None:
        cur = self.db.execute("SELECT id, name, content_hash, source_path FROM documents "
                              "WHERE name = ?", (name,))
        return _row(cur)

    def find_document_by_hash(self, content_hash: str) -> sqlite3.Row | None:
        cur = self.db.execute("SELECT id, name, content_hash, source_path FROM documents "
                              "WHERE content_hash = ?", (content_hash,))
        return _row(cur)

    def add_document(self, doc: Document, segments: Sequence[Segment]) -> int:
        """Insert a document and its segments; call inside `transaction()`."""
        attrs = doc.attributes
        extra = {k: v for k, v in attrs.items()
                 if k not in ("country", "role", "policy", "sector", "language", "date")}
        cur = self.db.execute(
            "INSERT INTO documents (name, source_path, content_hash, text, country, role, policy,"
            " sector, language, date, interviewers, extra, imported_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.name, doc.source_path, doc.content_hash, doc.text, attrs.get("country"),
             attrs.get("role"), attrs.get("policy"), attrs.get("sector"), attrs.get("language"),
             _str_or_none(attrs.get("date")), json.dumps(doc.interviewers, ensure_ascii=False),
             json.dumps(extra, ensure_ascii=False, default=str), now()))
        doc_id = int(cur.lastrowid)
        self.db.executemany(
            "INSERT INTO segments (document_id, position, start_offset, end_offset, speaker,"
            " is_interviewer, time, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, i, s.start, s.end, s.speaker, int(s.is_interviewer), s.time, s.text)
             for i, s in enumerate(segments)])
        return doc_id

    def document_text(self, document_id: int) -> str:
        return self.db.execute("SELECT text FROM documents WHERE id = ?",
                               (document_id,)).fetchone()[0]

    def documents(self) -> list[sqlite3.Row]:
        return _rows(self.db.execute(
            "SELECT id, name, source_path, country, role, policy, sector, language, date,"
            " interviewers, extra FROM documents ORDER BY name"))

    def segments(self, document_id: int | None = None, codable_only: bool = False
                 ) -> list[Segment]:
        sql = ("SELECT id, document_id, start_offset, end_offset, text, speaker, is_interviewer,"
               " time FROM segments")
        where, params = [], []
        if document_id is not None:
            where.append("document_id = ?")
            params.append(document_id)
        if codable_only:
            where.append("is_interviewer = 0")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY document_id, position"
        return [Segment(id=r[0], document_id=r[1], start=r[2], end=r[3], text=r[4], speaker=r[5],
                        is_interviewer=bool(r[6]), time=r[7])
                for r in self.db.execute(sql, params)]

    # -- codes --------------------------------------------------------------------------------
    def sync_codes(self, codes: Iterable[dict[str, Any]]) -> None:
        """Make the codes table match the codebook; codes still used by codings are kept."""
        with self.transaction() as db:
            db.execute("UPDATE codes SET in_codebook = 0")
            for position, code in enumerate(codes):
                db.execute(
                    "INSERT INTO codes (path, parent_path, position, label_es, label_en, colour,"
                    " info, in_codebook) VALUES (?, ?, ?, ?, ?, ?, ?, 1)"
                    " ON CONFLICT (path) DO UPDATE SET parent_path = excluded.parent_path,"
                    " position = excluded.position, label_es = excluded.label_es,"
                    " label_en = excluded.label_en, colour = excluded.colour,"
                    " info = excluded.info, in_codebook = 1",
                    (code["path"], code.get("parent"), position, code.get("label_es"),
                     code.get("label_en"), code.get("colour"),
                     json.dumps(code.get("info", {}), ensure_ascii=False)))
            db.execute("DELETE FROM codes WHERE in_codebook = 0 AND id NOT IN "
                       "(SELECT code_id FROM codings) AND id NOT IN "
                       "(SELECT code_id FROM memos WHERE code_id IS NOT NULL)")

    def code_ids(self) -> dict[str, int]:
        return {path: cid for cid, path in
                self.db.execute("SELECT id, path FROM codes WHERE in_codebook = 1")}

    # -- codings and runs ---------------------------------------------------------------------
    def start_run(self, coder: str, kind: str, codebook_hash: str | None = None,
                  model_version: str | None = None, parameters: dict | None = None) -> int:
        cur = self.db.execute(
            "INSERT INTO runs (coder, kind, started_at, codebook_hash, model_version, parameters)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (coder, kind, now(), codebook_hash, model_version,
             json.dumps(parameters or {}, ensure_ascii=False)))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        self.db.execute("UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?",
                        (now(), json.dumps(summary, ensure_ascii=False), run_id))

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key)"
                        " DO UPDATE SET value = excluded.value", (key, value))

    def mark_reviewed(self, segment_ids: Iterable[int], coder: str) -> None:
        """Record that `coder` has decided on these segments (even when she coded nothing)."""
        stamp = now()
        self.db.executemany(
            "INSERT INTO reviews (segment_id, coder, reviewed_at) VALUES (?, ?, ?)"
            " ON CONFLICT (segment_id, coder) DO NOTHING",
            [(sid, coder, stamp) for sid in segment_ids])

    def upsert_human_codings(self, codings: Iterable[Coding]) -> tuple[int, int]:
        """Record human decisions; returns (added, already there). Call inside a transaction."""
        ids = self.code_ids()
        added = same = 0
        stamp = now()
        for c in codings:
            cur = self.db.execute(
                "INSERT INTO codings (segment_id, code_id, coder, kind, status, confidence,"
                " evidence, run_id, reviewer, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (segment_id, code_id, coder) DO NOTHING",
                (c.segment_id, ids[c.code], c.coder, c.kind, c.status, c.confidence,
                 json.dumps(c.evidence, ensure_ascii=False) if c.evidence else None, c.run_id,
                 c.coder if c.kind == "human" else None, stamp, stamp))
            if cur.rowcount:
                added += 1
            else:
                same += 1
        return added, same

    def unreviewed_segment_ids(self) -> set[int]:
        """Codable segments no person has decided on yet."""
        return {sid for (sid,) in self.db.execute(
            "SELECT s.id FROM segments s WHERE s.is_interviewer = 0 AND NOT EXISTS"
            " (SELECT 1 FROM reviews r WHERE r.segment_id = s.id)")}

    def replace_suggestions(self, coder: str, segment_ids: Iterable[int],
                            suggestions: Iterable[Coding]) -> int:
        """Swap `coder`'s unreviewed suggestions on these segments for new ones.

        Accepted or rejected codings are never touched: a new suggestion that collides with
        one of them is dropped. Call inside a transaction; returns suggestions written.
        """
        ids = list(segment_ids)
        self.db.executemany("DELETE FROM codings WHERE coder = ? AND status = 'suggested'"
                            " AND segment_id = ?", [(coder, sid) for sid in ids])
        code_ids = self.code_ids()
        stamp = now()
        before = self.db.total_changes
        self.db.executemany(
            "INSERT INTO codings (segment_id, code_id, coder, kind, status, confidence, evidence,"
            " run_id, created_at, updated_at) VALUES (?, ?, ?, ?, 'suggested', ?, ?, ?, ?, ?)"
            " ON CONFLICT (segment_id, code_id, coder) DO NOTHING",
            [(c.segment_id, code_ids[c.code], c.coder, c.kind, c.confidence,
              json.dumps(c.evidence, ensure_ascii=False) if c.evidence else None, c.run_id,
              stamp, stamp) for c in suggestions])
        return self.db.total_changes - before

    def review_coding(self, segment_id: int, code: str, coder: str, status: str,
                      reviewer: str) -> None:
        """A person accepts or rejects a coding; the segment counts as reviewed by her."""
        with self.transaction():
            cur = self.db.execute(
                "UPDATE codings SET status = ?, reviewer = ?, updated_at = ? WHERE segment_id = ?"
                " AND coder = ? AND code_id = (SELECT id FROM codes WHERE path = ?)",
                (status, reviewer, now(), segment_id, coder, code))
            if not cur.rowcount:
                raise QdaError(f"no coding {code} by {coder} on passage {segment_id}")
            self.mark_reviewed([segment_id], reviewer)

    def segment(self, segment_id: int) -> Segment | None:
        row = self.db.execute(
            "SELECT id, document_id, start_offset, end_offset, text, speaker, is_interviewer, time"
            " FROM segments WHERE id = ?", (segment_id,)).fetchone()
        if row is None:
            return None
        return Segment(id=row[0], document_id=row[1], start=row[2], end=row[3], text=row[4],
                       speaker=row[5], is_interviewer=bool(row[6]), time=row[7])

    def segment_codings(self, segment_id: int) -> list[sqlite3.Row]:
        return _rows(self.db.execute(
            "SELECT c.path AS code, k.coder, k.kind, k.status, k.confidence, k.evidence,"
            " k.reviewer, k.run_id FROM codings k JOIN codes c ON c.id = k.code_id"
            " WHERE k.segment_id = ? ORDER BY c.position, k.coder", (segment_id,)))

    # -- REFI-QDA exchange (qda/export/refi.py, qda/refi_import.py) ---------------------------
    def exchange_codings(self, statuses: Sequence[str]) -> list[sqlite3.Row]:
        """Codings with these statuses and their segments' spans, in document order."""
        marks = ", ".join("?" for _ in statuses)
        return _rows(self.db.execute(
            "SELECT k.segment_id, s.document_id, s.start_offset AS start, s.end_offset AS \"end\","
            " c.path AS code, k.coder, k.kind, k.status, k.reviewer, k.evidence, k.created_at"
            " FROM codings k JOIN segments s ON s.id = k.segment_id"
            " JOIN codes c ON c.id = k.code_id"
            f" WHERE k.status IN ({marks})"
            " ORDER BY s.document_id, s.position, c.position, k.coder", list(statuses)))

    def memo_rows(self) -> list[sqlite3.Row]:
        """Every memo with what it is about: a passage, a document, a code, or the project."""
        return _rows(self.db.execute(
            "SELECT m.id, m.segment_id, d.id AS document_id, d.name AS document,"
            " s.start_offset AS start, s.end_offset AS \"end\", c.path AS code, m.author, m.text,"
            " m.created_at FROM memos m LEFT JOIN segments s ON s.id = m.segment_id"
            " LEFT JOIN documents d ON d.id = COALESCE(s.document_id, m.document_id)"
            " LEFT JOIN codes c ON c.id = m.code_id ORDER BY m.id"))

    def add_memo_once(self, text: str, author: str, segment_id: int | None = None,
                      document_id: int | None = None, code_id: int | None = None,
                      created_at: str | None = None) -> bool:
        """Add a memo unless the same one is there, so re-imports add nothing; call inside a
        transaction. Returns whether it was added."""
        anchors = (segment_id, segment_id, document_id, document_id, code_id, code_id)
        cur = self.db.execute(
            "INSERT INTO memos (segment_id, document_id, code_id, author, text, created_at,"
            " updated_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM memos"
            " WHERE author = ? AND text = ?"
            " AND (segment_id = ? OR (segment_id IS NULL AND ? IS NULL))"
            " AND (document_id = ? OR (document_id IS NULL AND ? IS NULL))"
            " AND (code_id = ? OR (code_id IS NULL AND ? IS NULL)))",
            (segment_id, document_id, code_id, author, text, created_at or now(), now(),
             author, text, *anchors))
        return cur.rowcount > 0

    # -- frames for analysis and export --------------------------------------------------------
    def segments_frame(self) -> pd.DataFrame:
        return pd.read_sql_query(
            "SELECT s.id AS segment_id, d.name AS document, s.position, s.start_offset AS start,"
            " s.end_offset AS \"end\", s.speaker, s.is_interviewer, s.time, s.text,"
            " d.country, d.role, d.policy, d.sector, d.language, d.date"
            " FROM segments s JOIN documents d ON d.id = s.document_id"
            " ORDER BY d.name, s.position", self.db)

    def reviews_frame(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT segment_id, coder, reviewed_at FROM reviews", self.db)

    def codings_frame(self) -> pd.DataFrame:
        return pd.read_sql_query(
            "SELECT d.name AS document, s.id AS segment_id, s.start_offset AS start,"
            " s.end_offset AS \"end\", s.text, c.path AS code, k.coder, k.kind, k.confidence,"
            " k.status, d.country, d.role, d.policy, d.language, d.sector, k.reviewer,"
            " k.evidence, k.run_id, k.updated_at"
            " FROM codings k JOIN segments s ON s.id = k.segment_id"
            " JOIN documents d ON d.id = s.document_id JOIN codes c ON c.id = k.code_id"
            " ORDER BY d.name, s.position, c.position, k.coder", self.db)

    def coding_facts_frame(self) -> pd.DataFrame:
        """Codings that are not rejected, without text or evidence: what counting needs,
        fast on large projects (summaries, co-occurrence, saturation)."""
        return pd.read_sql_query(
            "SELECT d.name AS document, k.segment_id, c.path AS code, k.coder, k.reviewer,"
            " k.kind, k.status FROM codings k JOIN segments s ON s.id = k.segment_id"
            " JOIN documents d ON d.id = s.document_id JOIN codes c ON c.id = k.code_id"
            " WHERE k.status <> 'rejected'", self.db)

    def speakers_frame(self) -> pd.DataFrame:
        """Respondent passages per document and speaker (denominators and participants)."""
        return pd.read_sql_query(
            "SELECT d.name AS document, s.speaker, COUNT(*) AS passages"
            " FROM segments s JOIN documents d ON d.id = s.document_id"
            " WHERE s.is_interviewer = 0 GROUP BY d.name, s.speaker", self.db)

    def counts_by_case(self) -> list[sqlite3.Row]:
        """Documents, policies and codable segments by country and role (the study table)."""
        return _rows(self.db.execute(
            "SELECT d.country, d.role, COUNT(DISTINCT d.id) AS documents,"
            " COUNT(DISTINCT d.policy) AS policies,"
            " SUM(CASE WHEN s.is_interviewer = 0 THEN 1 ELSE 0 END) AS segments"
            " FROM documents d LEFT JOIN segments s ON s.document_id = d.id"
            " GROUP BY d.country, d.role ORDER BY d.country, d.role"))


def _row(cur: sqlite3.Cursor) -> sqlite3.Row | None:
    cur.row_factory = sqlite3.Row
    return cur.fetchone()


def _rows(cur: sqlite3.Cursor) -> list[sqlite3.Row]:
    cur.row_factory = sqlite3.Row
    return cur.fetchall()


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)
