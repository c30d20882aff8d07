"""The project store: one SQLite file. All SQL of the project lives in this module.

SQLite runs in WAL mode with foreign keys on; every write happens inside `transaction()`,
so an interrupted command leaves the store as it was. The SQL sticks to what PostgreSQL also
speaks, so a shared server can later stand behind the same methods.
"""
from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qda.errors import QdaError
from qda.models import Coding, Document, Segment
from qda.text.files import atomic_path
from qda.vocab import CASE_ATTRIBUTES

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 5
# Pages of a new store. A corpus's suggestions are a hundred megabytes of evidence written at
# once: in 64 KiB pages a run's write and its checkpoint take half the time they take in
# SQLite's 4 KiB, while a person's one decision still commits in about a millisecond.
PAGE_SIZE = 65_536

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
    # 2: edited transcripts (qda/imports/reanchor.py). A coding whose passage is gone is kept in
    # detached_codings with its old text until a person has dealt with it; a coding sent
    # back to review or a memo that lost its passage keeps a note (JSON: why, old text).
    """
    ALTER TABLE codings ADD COLUMN anchor_note TEXT;
    ALTER TABLE memos ADD COLUMN anchor_note TEXT;
    CREATE TABLE detached_codings (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        near_segment_id INTEGER REFERENCES segments (id) ON DELETE SET NULL,
        code TEXT NOT NULL,
        coder TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        confidence REAL,
        evidence TEXT,
        run_id INTEGER,
        reviewer TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        old_text TEXT NOT NULL,
        old_start INTEGER NOT NULL,
        old_end INTEGER NOT NULL,
        reason TEXT NOT NULL,
        detached_at TEXT NOT NULL
    );
    CREATE INDEX detached_codings_document ON detached_codings (document_id)
    """,
    # 3: codings_segment repeats the first column of UNIQUE (segment_id, code_id, coder),
    # whose index serves the same look-ups; keeping both slowed every write of suggestions.
    """
    DROP INDEX IF EXISTS codings_segment
    """,
    # 4: a coding may cover part of its passage (a selection in the TUI): its start and end
    # in the document's text; NULL is the whole passage, as before.
    """
    ALTER TABLE codings ADD COLUMN span_start INTEGER;
    ALTER TABLE codings ADD COLUMN span_end INTEGER
    """,
    # 5: a coding may cover several parts of its passage (two parts of one answer, one code,
    # one coder, as other QDA tools allow): one row per part in coding_spans, offsets in the
    # document's text; a coding without parts covers the whole passage. The one span of
    # version 4 moves there, and its columns go.
    """
    CREATE TABLE coding_spans (
        coding_id INTEGER NOT NULL REFERENCES codings (id) ON DELETE CASCADE,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        PRIMARY KEY (coding_id, start_offset, end_offset)
    );
    INSERT INTO coding_spans (coding_id, start_offset, end_offset)
    SELECT id, span_start, span_end FROM codings
    WHERE span_start IS NOT NULL AND span_end IS NOT NULL AND span_start < span_end;
    ALTER TABLE codings DROP COLUMN span_start;
    ALTER TABLE codings DROP COLUMN span_end
    """,
]

# The parts of its passage a coding covers: one row per part (alias p) when it has parts
# inside its passage, else one row for the whole passage (a part left outside its passage,
# e.g. by an anonymisation, is not shown as some other text).
_PARTS = (" LEFT JOIN coding_spans p ON p.coding_id = k.id AND p.start_offset >= s.start_offset"
          " AND p.end_offset <= s.end_offset AND p.start_offset < p.end_offset")
_CODED_START = "COALESCE(p.start_offset, s.start_offset)"
_CODED_END = "COALESCE(p.end_offset, s.end_offset)"
_CODED_TEXT = ("CASE WHEN p.coding_id IS NULL THEN s.text ELSE substr(s.text, p.start_offset"
               " - s.start_offset + 1, p.end_offset - p.start_offset) END")


def now() -> str:
    """UTC timestamp in ISO 8601, the one time format the store holds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """Access to one project's SQLite file; open it with `Store(path)`."""

    # Seconds SQLite waits for another writer, then how many more times a transaction tries
    # to start: two people (or the TUI and autocode) share one file.
    busy_timeout: float = 30.0
    busy_retries: int = 4

    def __init__(self, path: str | Path, readonly: bool | None = None):
        """Open (or create) the store. `readonly`: open it only to read, as commands that
        only read must on a project folder they may not write (a shared, read-only copy);
        by default, when the file or its folder is not writable."""
        self.path = Path(path)
        if readonly is None:
            readonly = self.path.exists() and not (os.access(self.path, os.W_OK)
                                                   and os.access(self.path.parent, os.W_OK))
        self.readonly = readonly
        if readonly:
            self.db = self._open_readonly()
            self._depth = 0
            if self.schema_version() != SCHEMA_VERSION:
                raise QdaError(f"the store has schema version {self.schema_version()} and "
                               f"needs an upgrade to {SCHEMA_VERSION}, but the project is "
                               "read-only here; run qda once where it can write", self.path)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=self.busy_timeout,
                                      check_same_thread=False)
            self.db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new file's only: WAL fixes it
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA temp_store=MEMORY")  # staged suggestions: no temp file
            self.db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
        except sqlite3.DatabaseError as exc:
            raise QdaError(f"cannot open the project store: {exc}", self.path) from None
        self._depth = 0
        self._migrate()

    def _open_readonly(self) -> sqlite3.Connection:
        """Read-only: through the WAL when its shared-memory file can be made or is there,
        else as an immutable file (no one can be writing to a folder nobody may write)."""
        uri = self.path.resolve().as_uri()
        for mode in ("mode=ro", "immutable=1"):
            try:
                db = sqlite3.connect(f"{uri}?{mode}", uri=True, isolation_level=None,
                                     timeout=self.busy_timeout, check_same_thread=False)
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return db
            except sqlite3.Error as exc:
                problem = exc
        raise QdaError(f"cannot open the project store to read it: {problem}", self.path)

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
        self._begin()
        self._depth = 1
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:  # SQLite rolls back by itself on a full disk
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise
        finally:
            self._depth = 0

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, tried again while another process holds the write lock.

        In WAL mode only taking the write lock can meet SQLITE_BUSY; once BEGIN IMMEDIATE
        succeeds the transaction's statements and COMMIT cannot, so retrying BEGIN retries
        the whole transaction before any of its work is done.
        """
        for attempt in range(self.busy_retries + 1):
            try:
                self.db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise
                if attempt == self.busy_retries:
                    waited = self.busy_timeout * (self.busy_retries + 1)
                    raise QdaError(f"another qda command has kept the project store locked "
                                   f"for over {waited:.0f} s; try again when it has finished",
                                   self.path) from None
                time.sleep(random.uniform(0.05, 0.25) * (attempt + 1))

    def schema_version(self) -> int:
        has_meta = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if not has_meta:
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        """Bring the schema up to date, after a backup of a store that holds data.

        The version is read again under the write lock: two commands opening an old store at
        once must not both migrate it. (The backup API cannot copy from a connection inside a
        transaction, so the backup comes just before.)
        """
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise QdaError(f"the store has schema version {version}, newer than this qda "
                           f"({SCHEMA_VERSION}); upgrade qda", self.path)
        if 0 < version < SCHEMA_VERSION:
            self.backup(self.backup_dir() / f"{self.path.stem}-v{version}-"
                        f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.sqlite3")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction() as db:
                if self.schema_version() >= target:
                    continue
                for statement in MIGRATIONS[target - 1].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(target),))

    def backup_dir(self) -> Path:
        """Where automatic backups go: `.qda/backups/` beside the store file."""
        return self.path.parent / "backups"

    def backup(self, out: str | Path) -> Path:
        """A consistent copy of the store while others may be writing (SQLite's backup API
        copies one snapshot); written beside `out` and renamed, so `out` is never half a file.
        """
        out = Path(out)
        if out.resolve() == self.path.resolve():
            raise QdaError("a backup cannot overwrite the store it copies; choose another file",
                           out)
        try:
            with atomic_path(out) as partial:
                target = sqlite3.connect(partial)
                try:
                    self.db.backup(target)
                    target.execute("PRAGMA journal_mode=DELETE")
                    ok = target.execute("PRAGMA integrity_check").fetchone()[0]
                finally:
                    target.close()
                if ok != "ok":
                    raise QdaError(f"the copy failed its integrity check ({ok}); the store "
                                   "itself may be damaged: keep it and earlier backups",
                                   self.path)
        except sqlite3.Error as exc:
            raise QdaError(f"cannot write the backup ({exc})", out) from None
        return out

    def secure_delete(self, on: bool) -> None:
        """Zero the pages SQLite frees from now on (builds without SECURE_DELETE, upstream's
        default, leave deleted text readable in the file)."""
        self.db.execute(f"PRAGMA secure_delete={'ON' if on else 'OFF'}")

    def vacuum(self) -> None:
        """Rewrite the file without free pages, then empty the WAL into it: after
        anonymising, no old text is left anywhere in the store's files."""
        self.db.execute("VACUUM")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_problems(self) -> list[str]:
        """What `PRAGMA integrity_check` and `foreign_key_check` find; empty when sound."""
        found = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        found += [f"{r[0]} row {r[1]} points to a missing {r[2]} row"
                  for r in self.db.execute("PRAGMA foreign_key_check")]
        return found

    # -- documents and segments ---------------------------------------------------------------
    def find_document(self, name: str) -> sqlite3.Row | None:
        cur = self.db.execute("SELECT id, name, content_hash, source_path FROM documents "
                              "WHERE name = ?", (name,))
        return _row(cur)

    def find_document_by_hash(self, content_hash: str) -> sqlite3.Row | None:
        cur = self.db.execute("SELECT id, name, content_hash, source_path FROM documents "
                              "WHERE content_hash = ?", (content_hash,))
        return _row(cur)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the open transaction that an error undoes alone, the rest of the
        transaction kept: one document of an import that writes many in one transaction.
        Outside a transaction it is one of its own (staged suggestions)."""
        self.db.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            if self.db.in_transaction:  # SQLite may have rolled it all back by itself
                self.db.execute("ROLLBACK TO part")
                self.db.execute("RELEASE part")
            raise
        self.db.execute("RELEASE part")

    def add_document(self, doc: Document, segments: Sequence[Segment]) -> int:
        """Insert a document and its segments; call inside `transaction()`."""
        attrs = doc.attributes
        extra = {k: v for k, v in attrs.items()
                 if k not in CASE_ATTRIBUTES}
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

    def document_attributes(self, document_id: int) -> dict[str, Any]:
        """A document's case attributes and extra metadata, without empty values."""
        row = _row(self.db.execute("SELECT country, role, policy, sector, language, date, extra"
                                   " FROM documents WHERE id = ?", (document_id,)))
        attrs = {**json.loads(row["extra"] or "{}"), **dict(row)}
        attrs.pop("extra")
        return {k: v for k, v in attrs.items() if v is not None and v != ""}

    def update_document_attributes(self, document_id: int, attrs: dict[str, Any]) -> None:
        """Correct a document's case attributes (text and segments stay); in a transaction."""
        extra = {k: v for k, v in attrs.items()
                 if k not in CASE_ATTRIBUTES}
        self.db.execute(
            "UPDATE documents SET country = ?, role = ?, policy = ?, sector = ?, language = ?,"
            " date = ?, extra = ? WHERE id = ?",
            (attrs.get("country"), attrs.get("role"), attrs.get("policy"), attrs.get("sector"),
             attrs.get("language"), _str_or_none(attrs.get("date")),
             json.dumps(extra, ensure_ascii=False, default=str), document_id))

    def document_text(self, document_id: int) -> str:
        return self.db.execute("SELECT text FROM documents WHERE id = ?",
                               (document_id,)).fetchone()[0]

    def documents(self) -> list[sqlite3.Row]:
        return _rows(self.db.execute(
            "SELECT id, name, source_path, country, role, policy, sector, language, date,"
            " interviewers, extra FROM documents ORDER BY name"))

    def document(self, document_id: int) -> sqlite3.Row | None:
        """One document's row as `documents()` gives it (the TUI opens one of 1,000)."""
        return _row(self.db.execute(
            "SELECT id, name, source_path, country, role, policy, sector, language, date,"
            " interviewers, extra FROM documents WHERE id = ?", (document_id,)))

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

    def orphan_codes(self) -> list[dict[str, Any]]:
        """Codes gone from the codebook that codings or memos still use, with their counts."""
        return [dict(r) for r in _rows(self.db.execute(
            "SELECT c.path, COUNT(k.id) AS codings,"
            " COALESCE(SUM(k.status = 'accepted'), 0) AS accepted,"
            " (SELECT COUNT(*) FROM memos m WHERE m.code_id = c.id) AS memos"
            " FROM codes c LEFT JOIN codings k ON k.code_id = c.id"
            " WHERE c.in_codebook = 0 GROUP BY c.id ORDER BY c.path"))]

    def rename_code(self, old: str, new: str, parent: str) -> None:
        """Give code `old` the path `new`: its codings and memos follow. Call inside a
        transaction."""
        self.db.execute("UPDATE codes SET path = ?, parent_path = ? WHERE path = ?",
                        (new, parent, old))
        self.db.execute("UPDATE detached_codings SET code = ? WHERE code = ?", (new, old))

    def move_codings(self, old: str, new: str) -> tuple[int, int, int]:
        """Put the codings, memos and detached codings of code `old` on code `new` (which must
        be in the codebook), then forget `old` if the codebook no longer has it. Where a coder
        has both codes on one passage, one coding is kept: the stronger decision (accepted,
        then rejected, then suggested; then the higher confidence).
        Returns (codings moved, pairs merged, memos moved). Call inside a transaction."""
        ids = dict(self.db.execute("SELECT path, id FROM codes WHERE path IN (?, ?)", (old, new)))
        old_id, new_id = ids[old], ids[new]
        # the decision, then the confidence (0 to 1) within it, as one number
        strength = ("(CASE {0}.status WHEN 'accepted' THEN 3 WHEN 'rejected' THEN 2 ELSE 1 END"
                    " + COALESCE({0}.confidence, 0) / 2)")
        pairs = self.db.execute(
            f"SELECT o.id, n.id, {strength.format('o')} > {strength.format('n')},"
            " o.status = 'accepted' AND n.status = 'accepted'"
            " FROM codings o JOIN codings n ON n.segment_id = o.segment_id"
            " AND n.coder = o.coder AND n.code_id = ? WHERE o.code_id = ?",
            (new_id, old_id)).fetchall()
        for o, n, old_wins, both_accepted in pairs:
            if both_accepted:  # the kept coding covers what both covered
                self._join_spans(*((o, n) if old_wins else (n, o)))
        self.db.executemany("DELETE FROM codings WHERE id = ?",
                            [(n if old_wins else o,) for o, n, old_wins, _ in pairs])
        moved = self.db.execute("UPDATE codings SET code_id = ?, updated_at = ? WHERE code_id = ?",
                                (new_id, now(), old_id)).rowcount
        memos = self.db.execute("UPDATE memos SET code_id = ? WHERE code_id = ?",
                                (new_id, old_id)).rowcount
        self.db.execute("UPDATE detached_codings SET code = ? WHERE code = ?", (new, old))
        self.db.execute("DELETE FROM codes WHERE id = ? AND in_codebook = 0", (old_id,))
        return moved, len(pairs), memos

    def _join_spans(self, keep: int, drop: int) -> None:
        """Give coding `keep` the parts of `drop` too (the whole passage if either had it)."""
        counts = dict(self.db.execute("SELECT coding_id, COUNT(*) FROM coding_spans"
                                      " WHERE coding_id IN (?, ?) GROUP BY coding_id",
                                      (keep, drop)))
        if not counts.get(keep) or not counts.get(drop):
            self.db.execute("DELETE FROM coding_spans WHERE coding_id = ?", (keep,))
        else:
            self.db.execute("INSERT INTO coding_spans (coding_id, start_offset, end_offset)"
                            " SELECT ?, start_offset, end_offset FROM coding_spans"
                            " WHERE coding_id = ? ON CONFLICT DO NOTHING", (keep, drop))

    def code_snapshot(self, paths: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Every coding and memo on these codes, as they are now: what undoing a merge of
        codes puts back."""
        marks = ", ".join("?" for _ in paths)
        codings = [dict(r) for r in _rows(self.db.execute(
            "SELECT k.*, c.path FROM codings k JOIN codes c ON c.id = k.code_id"
            f" WHERE c.path IN ({marks})", list(paths)))]
        parts = self._coding_spans(
            f"k.code_id IN (SELECT id FROM codes WHERE path IN ({marks}))", list(paths))
        for row in codings:
            row["spans"] = parts.get(row["id"], [])
        memos = [dict(r) for r in _rows(self.db.execute(
            "SELECT m.id, c.path FROM memos m JOIN codes c ON c.id = m.code_id"
            f" WHERE c.path IN ({marks})", list(paths)))]
        return {"codings": codings, "memos": memos}

    def restore_code_snapshot(self, paths: Sequence[str],
                              snapshot: dict[str, list[dict[str, Any]]]) -> None:
        """Put the codings and memos of these codes back as `code_snapshot` saw them (the
        codes must be in the codes table again); call inside a transaction."""
        ids = dict(self.db.execute(
            f"SELECT path, id FROM codes WHERE path IN ({', '.join('?' for _ in paths)})",
            list(paths)))
        self.db.execute(f"DELETE FROM codings WHERE code_id IN ({', '.join('?' for _ in ids)})",
                        list(ids.values()))
        for row in snapshot["codings"]:
            values = {k: v for k, v in row.items() if k not in ("path", "spans")}
            values["code_id"] = ids[row["path"]]
            columns = ", ".join(values)
            self.db.execute(f"INSERT INTO codings ({columns}) VALUES "
                            f"({', '.join('?' for _ in values)})", list(values.values()))
            self._put_spans(row["id"], row.get("spans") or [])
        self.db.executemany("UPDATE memos SET code_id = ? WHERE id = ?",
                            [(ids[m["path"]], m["id"]) for m in snapshot["memos"]])

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
        """Record human decisions, with the parts of the passage each covers; returns (added,
        already there: kept as it is). Call inside a transaction."""
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
                if c.spans:
                    self._put_spans(cur.lastrowid, c.spans)
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
        for at in range(0, len(ids), 500):  # one statement per 500 passages, not one each
            batch = ids[at:at + 500]
            self.db.execute("DELETE FROM codings WHERE coder = ? AND status = 'suggested'"
                            f" AND segment_id IN ({', '.join('?' * len(batch))})", [coder, *batch])
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

    # -- REFI-QDA exchange (qda/refi/writer.py, qda/imports/refi.py) ---------------------------
    def exchange_codings(self, statuses: Sequence[str]) -> list[sqlite3.Row]:
        """Codings with these statuses, one row per part of its passage a coding covers
        (its whole passage when it has no parts), in document order."""
        marks = ", ".join("?" for _ in statuses)
        return _rows(self.db.execute(
            f"SELECT k.segment_id, s.document_id, {_CODED_START} AS start,"
            f" {_CODED_END} AS \"end\","
            " c.path AS code, k.coder, k.kind, k.status, k.reviewer, k.evidence, k.created_at"
            f" FROM codings k JOIN segments s ON s.id = k.segment_id{_PARTS}"
            " JOIN codes c ON c.id = k.code_id"
            f" WHERE k.status IN ({marks})"
            " ORDER BY s.document_id, s.position, c.position, k.coder, p.start_offset",
            list(statuses)))

    def memo_rows(self) -> list[sqlite3.Row]:
        """Every memo with what it is about: a passage, a document, a code, or the project."""
        return _rows(self.db.execute(
            "SELECT m.id, m.segment_id, d.id AS document_id, d.name AS document,"
            " s.start_offset AS start, s.end_offset AS \"end\", c.path AS code, m.author, m.text,"
            " m.created_at, m.updated_at FROM memos m LEFT JOIN segments s ON s.id = m.segment_id"
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
        return _read_sql(
            "SELECT s.id AS segment_id, d.name AS document, s.position, s.start_offset AS start,"
            " s.end_offset AS \"end\", s.speaker, s.is_interviewer, s.time, s.text,"
            " d.country, d.role, d.policy, d.sector, d.language, d.date"
            " FROM segments s JOIN documents d ON d.id = s.document_id"
            " ORDER BY d.name, s.position", self.db)

    def turns_frame(self) -> pd.DataFrame:
        """Every turn in document order with only what coders read: a coding run reads a
        whole corpus, and the other columns would double the time it takes."""
        return _read_sql(
            "SELECT s.id AS segment_id, d.name AS document, s.speaker, s.is_interviewer, s.text,"
            " d.language FROM segments s JOIN documents d ON d.id = s.document_id"
            " ORDER BY d.name, s.position", self.db)

    def reviews_frame(self) -> pd.DataFrame:
        return _read_sql("SELECT segment_id, coder, reviewed_at FROM reviews", self.db)

    def codings_frame(self, parts: bool = False, evidence: bool = True) -> pd.DataFrame:
        """One row per coding with its passage's start, end and text; with `parts`, one row
        per part of its passage a coding covers, with the part's own (what exports and
        quotes show: a coding may cover two parts of one passage). Without `evidence`, the
        evidence, run and update time are left out: a large study's evidence is most of
        the frame."""
        start, end, text, join, order = (
            (_CODED_START, _CODED_END, _CODED_TEXT, _PARTS, ", p.start_offset") if parts else
            ("s.start_offset", "s.end_offset", "s.text", "", ""))
        return _read_sql(
            f"SELECT d.name AS document, s.id AS segment_id, {start} AS start,"
            f" {end} AS \"end\", {text} AS text, c.path AS code, k.coder,"
            " k.kind, k.confidence,"
            " k.status, d.country, d.role, d.policy, d.language, d.sector, k.reviewer"
            + (", k.evidence, k.run_id, k.updated_at" if evidence else "") +
            f" FROM codings k JOIN segments s ON s.id = k.segment_id{join}"
            " JOIN documents d ON d.id = s.document_id JOIN codes c ON c.id = k.code_id"
            f" ORDER BY d.name, s.position, c.position, k.coder{order}", self.db)

    def coding_facts_frame(self) -> pd.DataFrame:
        """Codings that are not rejected, without text or evidence: what counting needs,
        fast on large projects (summaries, co-occurrence, saturation)."""
        return _read_sql(
            "SELECT d.name AS document, k.segment_id, c.path AS code, k.coder, k.reviewer,"
            " k.kind, k.status FROM codings k JOIN segments s ON s.id = k.segment_id"
            " JOIN documents d ON d.id = s.document_id JOIN codes c ON c.id = k.code_id"
            " WHERE k.status <> 'rejected'", self.db)

    def quote_candidates_frame(self) -> pd.DataFrame:
        """Codings that are not rejected as `codings_frame(parts=True)` rows and order, but
        without text or evidence: what choosing quotes among a study's 100,000 codings needs
        (`segment` and `segment_codings` give the words of the few hundred quoted). With
        `coding_id`, `reviewer` and `kind`, it holds `coding_facts_frame()` too, so the
        report reads the codings table (most of a large store) once. Built from the rows
        directly: `read_sql_query`'s column conversions took a third of the time, for the
        same frame (these columns are never dates, nor numbers mixed with nulls)."""
        import pandas as pd
        cursor = self.db.execute(
            f"SELECT d.name AS document, s.id AS segment_id, d.id AS document_id,"
            f" {_CODED_START} AS start, {_CODED_END} AS \"end\", c.path AS code, k.coder,"
            f" k.status, k.id AS coding_id, k.reviewer, k.kind"
            f" FROM codings k JOIN segments s ON s.id = k.segment_id{_PARTS}"
            " JOIN documents d ON d.id = s.document_id JOIN codes c ON c.id = k.code_id"
            " WHERE k.status <> 'rejected'"
            " ORDER BY d.name, s.position, c.position, k.coder, p.start_offset")
        return pd.DataFrame.from_records(cursor.fetchall(),
                                         columns=[c[0] for c in cursor.description])

    def speakers_frame(self) -> pd.DataFrame:
        """Respondent passages per document and speaker (denominators and participants)."""
        return _read_sql(
            "SELECT d.name AS document, s.speaker, COUNT(*) AS passages"
            " FROM segments s JOIN documents d ON d.id = s.document_id"
            " WHERE s.is_interviewer = 0 GROUP BY d.name, s.speaker", self.db)

    def counts_by_case(self) -> list[sqlite3.Row]:
        """Documents, policies and codable segments by country and role (the study table).
        Segments are counted per document first: joining every segment to its document and
        counting distinct documents took three times as long on 1,000 interviews."""
        return _rows(self.db.execute(
            "SELECT d.country, d.role, COUNT(*) AS documents,"
            " COUNT(DISTINCT d.policy) AS policies, SUM(s.codable) AS segments"
            " FROM documents d LEFT JOIN (SELECT document_id, SUM(is_interviewer = 0) AS codable"
            " FROM segments GROUP BY document_id) s ON s.document_id = d.id"
            " GROUP BY d.country, d.role ORDER BY d.country, d.role"))

    def policies_by_country(self) -> list[sqlite3.Row]:
        """Each distinct (country, policy) pair of the documents that name a policy."""
        return _rows(self.db.execute(
            "SELECT DISTINCT country, policy FROM documents WHERE policy IS NOT NULL"
            " AND policy != ''"))

    # -- review (qda/review.py and the TUI: one person's decisions, passage by passage) --------
    def coding_states(self, segment_id: int) -> list[dict[str, Any]]:
        """Every coding on a passage as a plain dict, with what undo needs to restore it:
        `spans`, the parts it covers ([] for the whole passage)."""
        rows = [dict(r) for r in _rows(self.db.execute(
            "SELECT k.id, c.path AS code, k.coder, k.kind, k.status, k.confidence, k.evidence,"
            " k.run_id, k.reviewer, k.created_at FROM codings k JOIN codes c ON c.id = k.code_id"
            " WHERE k.segment_id = ? ORDER BY c.position, k.coder", (segment_id,)))]
        parts = self._coding_spans("k.segment_id = ?", (segment_id,))
        for r in rows:
            r["spans"] = parts.get(r.pop("id"), [])
        return rows

    def _coding_spans(self, where: str, params: Sequence[Any]) -> dict[int, list[tuple[int, int]]]:
        """coding id -> its parts in document order, for the codings (k) that `where` picks
        (it may use their passage, s)."""
        out: dict[int, list[tuple[int, int]]] = {}
        for coding_id, start, end in self.db.execute(
                "SELECT p.coding_id, p.start_offset, p.end_offset FROM coding_spans p"
                " JOIN codings k ON k.id = p.coding_id JOIN segments s ON s.id = k.segment_id"
                f" WHERE {where} ORDER BY p.coding_id, p.start_offset, p.end_offset", params):
            out.setdefault(coding_id, []).append((start, end))
        return out

    def _put_spans(self, coding_id: int, spans: Iterable[Sequence[int]]) -> None:
        """Make a coding's parts exactly `spans`; in a transaction."""
        self.db.execute("DELETE FROM coding_spans WHERE coding_id = ?", (coding_id,))
        self.db.executemany("INSERT INTO coding_spans (coding_id, start_offset, end_offset)"
                            " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                            [(coding_id, int(a), int(b)) for a, b in spans])

    def put_coding_state(self, segment_id: int, code: str, coder: str,
                         state: dict[str, Any] | None) -> None:
        """Make one coding exactly `state` (None deletes it); call inside a transaction."""
        if state is None:
            self.db.execute("DELETE FROM codings WHERE segment_id = ? AND coder = ? AND code_id ="
                            " (SELECT id FROM codes WHERE path = ?)", (segment_id, coder, code))
            return
        code_id = self.db.execute("SELECT id FROM codes WHERE path = ?", (code,)).fetchone()
        if code_id is None:
            raise QdaError(f"the code '{code}' is not in the codebook; add it to the codebook "
                           "file or pick another")
        stamp = now()
        coding_id = self.db.execute(
            "INSERT INTO codings (segment_id, code_id, coder, kind, status, confidence, evidence,"
            " run_id, reviewer, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (segment_id, code_id, coder) DO UPDATE SET kind = excluded.kind,"
            " status = excluded.status, confidence = excluded.confidence,"
            " evidence = excluded.evidence, run_id = excluded.run_id,"
            " reviewer = excluded.reviewer, updated_at = excluded.updated_at RETURNING id",
            (segment_id, code_id[0], coder, state["kind"], state["status"],
             state.get("confidence"), state.get("evidence"), state.get("run_id"),
             state.get("reviewer"), state.get("created_at") or stamp, stamp)).fetchone()[0]
        self._put_spans(coding_id, state.get("spans") or [])

    def reviewed_by(self, segment_id: int, coder: str) -> bool:
        return self.db.execute("SELECT 1 FROM reviews WHERE segment_id = ? AND coder = ?",
                               (segment_id, coder)).fetchone() is not None

    def set_reviewed(self, segment_id: int, coder: str, reviewed: bool) -> None:
        """Mark or unmark a passage as decided by `coder` (undo unmarks); in a transaction."""
        if reviewed:
            self.mark_reviewed([segment_id], coder)
        else:
            self.db.execute("DELETE FROM reviews WHERE segment_id = ? AND coder = ?",
                            (segment_id, coder))

    def passage_memo(self, segment_id: int, author: str) -> str | None:
        """`author`'s memo on a passage (her latest, if an import left several)."""
        return self.note(author, "segment", segment_id)

    def document_progress(self, coder: str) -> list[sqlite3.Row]:
        """Per interview: attributes, respondent passages and how many `coder` reviewed."""
        return _rows(self.db.execute(
            "SELECT d.id, d.name, d.country, d.role, d.policy, d.sector, d.language,"
            " COUNT(s.id) AS passages, COUNT(r.segment_id) AS reviewed"
            " FROM documents d LEFT JOIN segments s ON s.document_id = d.id"
            " AND s.is_interviewer = 0 LEFT JOIN reviews r ON r.segment_id = s.id"
            " AND r.coder = ? GROUP BY d.id ORDER BY d.name", (coder,)))

    def document_codings(self, document_id: int) -> list[dict[str, Any]]:
        """Every coding in one interview (for its transcript marks and side panel), with
        its parts (`spans`, [] for the whole passage)."""
        rows = [dict(r) for r in _rows(self.db.execute(
            "SELECT k.id, k.segment_id, c.path AS code, k.coder, k.kind, k.status, k.confidence,"
            " k.evidence, k.reviewer FROM codings k JOIN segments s ON s.id = k.segment_id"
            " JOIN codes c ON c.id = k.code_id WHERE s.document_id = ?"
            " ORDER BY s.position, c.position, k.coder", (document_id,)))]
        parts = self._coding_spans("s.document_id = ?", (document_id,))
        for r in rows:
            r["spans"] = parts.get(r.pop("id"), [])
        return rows

    def document_reviews(self, document_id: int, coder: str) -> set[int]:
        return {sid for (sid,) in self.db.execute(
            "SELECT r.segment_id FROM reviews r JOIN segments s ON s.id = r.segment_id"
            " WHERE s.document_id = ? AND r.coder = ?", (document_id, coder))}

    def document_memos(self, document_id: int, author: str) -> dict[int, str]:
        return {sid: text for sid, text in self.db.execute(
            "SELECT m.segment_id, m.text FROM memos m JOIN segments s ON s.id = m.segment_id"
            " WHERE s.document_id = ? AND m.author = ? ORDER BY m.id", (document_id, author))}

    def reviewed_segment_ids(self, coder: str) -> set[int]:
        return {sid for (sid,) in self.db.execute(
            "SELECT segment_id FROM reviews WHERE coder = ?", (coder,))}

    def decision_makers(self) -> list[str]:
        """People who have decided on passages: the coders a review can be compared with."""
        return [name for (name,) in self.db.execute(
            "SELECT coder FROM reviews UNION SELECT coder FROM codings WHERE kind = 'human'"
            " UNION SELECT reviewer FROM codings WHERE reviewer IS NOT NULL ORDER BY 1")]

    def code_status_counts(self) -> dict[tuple[str, str], int]:
        """Codings per (code, status): the codebook screen's counts."""
        return {(code, status): n for code, status, n in self.db.execute(
            "SELECT c.path, k.status, COUNT(*) FROM codings k JOIN codes c ON c.id = k.code_id"
            " GROUP BY c.path, k.status")}

    def coded_passages(self, code: str, limit: int, offset: int = 0) -> list[sqlite3.Row]:
        """Passages with an accepted coding of `code` or one of its themes, in transcript
        order, one page at a time (a common code can hold tens of thousands)."""
        return _rows(self.db.execute(
            "SELECT s.id AS segment_id, d.id AS document_id, d.name AS document, d.country,"
            " d.role, s.text FROM segments s JOIN documents d ON d.id = s.document_id"
            " WHERE s.id IN (SELECT k.segment_id FROM codings k JOIN codes c ON c.id = k.code_id"
            " WHERE k.status = 'accepted' AND (c.path = ? OR c.path LIKE ?))"
            " ORDER BY d.name, s.position LIMIT ? OFFSET ?",
            (code, code + "/%", limit, offset)))

    def count_coded_passages(self, code: str) -> int:
        return self.db.execute(
            "SELECT COUNT(DISTINCT k.segment_id) FROM codings k JOIN codes c ON c.id = k.code_id"
            " WHERE k.status = 'accepted' AND (c.path = ? OR c.path LIKE ?)",
            (code, code + "/%")).fetchone()[0]

    def note(self, author: str, on: str, key: int | str | None) -> str | None:
        """`author`'s memo on a passage (`on` "segment", key its id), an interview
        ("document", key its id) or a code ("code", key its path)."""
        row = self.db.execute(*self._note_where("SELECT text", author, on, key)).fetchone()
        return row[0] if row else None

    def set_note(self, author: str, on: str, key: int | str | None, text: str | None) -> None:
        """Write, replace or (with None) delete `author`'s memo on a passage, an interview
        or a code (as `note`); in a transaction."""
        row = self.db.execute(*self._note_where("SELECT id", author, on, key)).fetchone()
        if text is None:
            if row:
                self.db.execute("DELETE FROM memos WHERE id = ?", (row[0],))
        elif row:
            self.db.execute("UPDATE memos SET text = ?, updated_at = ? WHERE id = ?",
                            (text, now(), row[0]))
        elif on == "code":
            self.db.execute("INSERT INTO memos (code_id, author, text, created_at, updated_at)"
                            " SELECT id, ?, ?, ?, ? FROM codes WHERE path = ?",
                            (author, text, now(), now(), key))
        else:
            column = "segment_id" if on == "segment" else "document_id"
            self.db.execute(f"INSERT INTO memos ({column}, author, text, created_at,"
                            " updated_at) VALUES (?, ?, ?, ?, ?)",
                            (key, author, text, now(), now()))

    @staticmethod
    def _note_where(select: str, author: str, on: str, key: int | str | None
                    ) -> tuple[str, tuple[Any, ...]]:
        if on == "segment":
            return (f"{select} FROM memos WHERE segment_id = ? AND author = ?"
                    " ORDER BY id DESC LIMIT 1", (key, author))
        if on == "document":
            return (f"{select} FROM memos WHERE segment_id IS NULL AND document_id = ?"
                    " AND author = ? ORDER BY id DESC LIMIT 1", (key, author))
        return (f"{select} FROM memos WHERE segment_id IS NULL AND document_id IS NULL"
                " AND code_id = (SELECT id FROM codes WHERE path = ?) AND author = ?"
                " ORDER BY id DESC LIMIT 1", (key, author))


    def retrieve(self, code: str) -> list[sqlite3.Row]:
        """Every coding of `code` or its themes, not rejected, one row per part of the
        passage it covers (id: the coding's), with its interview's attributes, its coder and
        status (the retrieve screen)."""
        return _rows(self.db.execute(
            f"SELECT k.id, s.id AS segment_id, d.id AS document_id, d.name AS document,"
            f" d.country, d.role, d.policy, c.path AS code, k.coder, k.kind, k.reviewer,"
            f" k.status, {_CODED_START} AS start, {_CODED_END} AS \"end\","
            f" {_CODED_TEXT} AS text, s.time"
            f" FROM codings k JOIN segments s ON s.id = k.segment_id{_PARTS}"
            " JOIN documents d ON d.id = s.document_id JOIN codes c ON c.id = k.code_id"
            " WHERE k.status <> 'rejected' AND (c.path = ? OR c.path LIKE ?)"
            " ORDER BY d.name, s.position, c.position, k.coder, p.start_offset",
            (code, code + "/%")))

    def next_unreviewed(self, after: int | None, coder: str) -> int | None:
        """The first respondent passage `coder` has not reviewed after passage `after` in
        transcript order (interviews by name), else from the first one; never `after`. It
        walks the name and position indexes and stops at the first found: ordering every
        passage of a 1,000-interview study took a tenth of a second per key."""
        pick = ("SELECT s.id FROM documents d JOIN segments s ON s.document_id = d.id"
                " WHERE s.is_interviewer = 0 AND s.id IS NOT ?1 AND NOT EXISTS (SELECT 1"
                " FROM reviews r WHERE r.segment_id = s.id AND r.coder = ?2){}"
                " ORDER BY d.name, s.position LIMIT 1")
        later = (" AND (d.name, s.position) > (SELECT d2.name, s2.position FROM segments s2"
                 " JOIN documents d2 ON d2.id = s2.document_id WHERE s2.id = ?1"
                 " AND s2.is_interviewer = 0)")
        for where in (later, ""):
            row = self.db.execute(pick.format(where), (after, coder)).fetchone()
            if row:
                return row[0]
        return None

    # -- re-anchoring edited transcripts (qda/imports/reanchor.py) -----------------------------
    def anchored_codings(self, document_id: int) -> list[dict[str, Any]]:
        """Every coding in a document, in order, with its parts (`spans`: document
        offsets, [] for the whole passage)."""
        rows = [dict(r) for r in _rows(self.db.execute(
            "SELECT k.id, k.segment_id, k.code_id, k.coder, k.kind, k.status, k.confidence,"
            " k.evidence, k.run_id, k.reviewer, k.created_at, k.updated_at, k.anchor_note,"
            " c.path AS code FROM codings k JOIN segments s ON s.id = k.segment_id"
            " JOIN codes c ON c.id = k.code_id WHERE s.document_id = ?"
            " ORDER BY s.position, k.id", (document_id,)))]
        parts = self._coding_spans("s.document_id = ?", (document_id,))
        for r in rows:
            r["spans"] = parts.get(r["id"], [])
        return rows

    def anchored_reviews(self, document_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in _rows(self.db.execute(
            "SELECT r.segment_id, r.coder, r.reviewed_at FROM reviews r"
            " JOIN segments s ON s.id = r.segment_id WHERE s.document_id = ?", (document_id,)))]

    def anchored_memos(self, document_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in _rows(self.db.execute(
            "SELECT m.id, m.segment_id, m.author, m.text, m.anchor_note FROM memos m"
            " JOIN segments s ON s.id = m.segment_id WHERE s.document_id = ?"
            " ORDER BY m.id", (document_id,)))]

    def replace_document(self, document_id: int, doc: Document, segments: Sequence[Segment]
                         ) -> list[Segment]:
        """Give a document new text and segments, keeping its id; in a transaction.

        Passage memos are first moved onto the document, so only codings and reviews go with
        the old segments: read them before (`anchored_*`) and put them back after.
        """
        self.db.execute("UPDATE memos SET document_id = ?, segment_id = NULL WHERE segment_id IN"
                        " (SELECT id FROM segments WHERE document_id = ?)",
                        (document_id, document_id))
        attrs = doc.attributes
        extra = {k: v for k, v in attrs.items()
                 if k not in CASE_ATTRIBUTES}
        self.db.execute(
            "UPDATE documents SET source_path = ?, content_hash = ?, text = ?, country = ?,"
            " role = ?, policy = ?, sector = ?, language = ?, date = ?, interviewers = ?,"
            " extra = ?, imported_at = ? WHERE id = ?",
            (doc.source_path, doc.content_hash, doc.text, attrs.get("country"),
             attrs.get("role"), attrs.get("policy"), attrs.get("sector"), attrs.get("language"),
             _str_or_none(attrs.get("date")), json.dumps(doc.interviewers, ensure_ascii=False),
             json.dumps(extra, ensure_ascii=False, default=str), now(), document_id))
        # New passages get ids never used before, so a stale id held by another session
        # (a TUI, an autocode run) can never land on a different passage.
        top = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM segments").fetchone()[0]
        self.db.execute("DELETE FROM segments WHERE document_id = ?", (document_id,))
        self.db.executemany(
            "INSERT INTO segments (id, document_id, position, start_offset, end_offset, speaker,"
            " is_interviewer, time, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(top + 1 + i, document_id, i, s.start, s.end, s.speaker, int(s.is_interviewer),
              s.time, s.text) for i, s in enumerate(segments)])
        return self.segments(document_id)

    def restore_codings(self, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Put codings back (with their ids and parts, `spans`, when given); returns those
        that collided with a coding already on the same passage, code and coder. Call inside
        a transaction."""
        collided = []
        for r in rows:
            made = self.db.execute(
                "INSERT INTO codings (id, segment_id, code_id, coder, kind, status, confidence,"
                " evidence, run_id, reviewer, created_at, updated_at, anchor_note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (segment_id, code_id, coder) DO NOTHING RETURNING id",
                (r.get("id"), r["segment_id"], r["code_id"], r["coder"], r["kind"], r["status"],
                 r["confidence"], r["evidence"], r["run_id"], r["reviewer"], r["created_at"],
                 r["updated_at"], r["anchor_note"])).fetchone()
            if made is None:
                collided.append(r)
            elif r.get("spans"):
                self._put_spans(made[0], r["spans"])
        return collided

    def join_coding_spans(self, segment_id: int, code_id: int, coder: str,
                          spans: Sequence[Sequence[int]] | None) -> None:
        """Give a coding these parts too (two passages carrying the same decision became
        one): it covers the whole passage if it did or if `spans` is empty; in a
        transaction."""
        row = self.db.execute("SELECT id FROM codings WHERE segment_id = ? AND code_id = ?"
                              " AND coder = ?", (segment_id, code_id, coder)).fetchone()
        if row is None:
            return
        had = self.db.execute("SELECT 1 FROM coding_spans WHERE coding_id = ? LIMIT 1",
                              (row[0],)).fetchone()
        if not had or not spans:
            self.db.execute("DELETE FROM coding_spans WHERE coding_id = ?", (row[0],))
        else:
            self.db.executemany("INSERT INTO coding_spans (coding_id, start_offset, end_offset)"
                                " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                [(row[0], int(a), int(b)) for a, b in spans])

    def coding_status(self, segment_id: int, code_id: int, coder: str) -> str | None:
        row = self.db.execute("SELECT status FROM codings WHERE segment_id = ? AND code_id = ?"
                              " AND coder = ?", (segment_id, code_id, coder)).fetchone()
        return row[0] if row else None

    def flag_coding(self, segment_id: int, code_id: int, coder: str, note: str) -> None:
        """Send a coding back to review with a note saying why; in a transaction."""
        self.db.execute("UPDATE codings SET status = 'suggested', anchor_note = ?, updated_at = ?"
                        " WHERE segment_id = ? AND code_id = ? AND coder = ?",
                        (note, now(), segment_id, code_id, coder))

    def restore_reviews(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """(segment id, coder, reviewed at) rows back after re-anchoring; in a transaction."""
        self.db.executemany("INSERT INTO reviews (segment_id, coder, reviewed_at) VALUES (?, ?, ?)"
                            " ON CONFLICT (segment_id, coder) DO NOTHING", list(rows))

    def place_memo(self, memo_id: int, segment_id: int | None, note: str | None) -> None:
        """Anchor a memo on a passage (or leave it on its document, with a note)."""
        self.db.execute("UPDATE memos SET segment_id = ?, anchor_note = COALESCE(?, anchor_note)"
                        " WHERE id = ?", (segment_id, note, memo_id))

    def detach_codings(self, rows: Iterable[dict[str, Any]]) -> None:
        """Keep codings whose passage is gone, with its old text; in a transaction."""
        self.db.executemany(
            "INSERT INTO detached_codings (document_id, near_segment_id, code, coder, kind,"
            " status, confidence, evidence, run_id, reviewer, created_at, updated_at, old_text,"
            " old_start, old_end, reason, detached_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(r["document_id"], r["near_segment_id"], r["code"], r["coder"], r["kind"],
              r["status"], r["confidence"], r["evidence"], r["run_id"], r["reviewer"],
              r["created_at"], r["updated_at"], r["old_text"], r["old_start"], r["old_end"],
              r["reason"], now()) for r in rows])

    def dismiss_detached(self, detached_id: int) -> bool:
        """Forget a detached coding a person has dealt with; in a transaction."""
        return self.db.execute("DELETE FROM detached_codings WHERE id = ?",
                               (detached_id,)).rowcount > 0

    def dismiss_detached_codings(self, ids: Sequence[int]) -> None:
        """Forget the detached codings a person has dealt with (`qda flagged --dismiss`), all
        or none: an id that names no detached coding raises and nothing is forgotten."""
        with self.transaction():
            missing = [i for i in ids if not self.dismiss_detached(i)]
            if missing:
                raise QdaError(f"no detached coding with id {', '.join(map(str, missing))};"
                               " see 'qda flagged'")

    def flagged(self) -> dict[str, list[sqlite3.Row]]:
        """What re-anchoring left for a person: codings detached from a passage that is gone,
        codings sent back to review, memos that lost their passage; each with its document."""
        detached = _rows(self.db.execute(
            "SELECT k.id, d.name AS document, k.near_segment_id, k.code, k.coder, k.kind,"
            " k.status, k.reviewer, k.old_text, k.old_start, k.reason, k.detached_at"
            " FROM detached_codings k JOIN documents d ON d.id = k.document_id"
            " ORDER BY d.name, k.old_start, k.id"))
        codings = _rows(self.db.execute(
            "SELECT k.id, d.name AS document, k.segment_id, c.path AS code, k.coder, k.kind,"
            " k.anchor_note FROM codings k JOIN segments s ON s.id = k.segment_id"
            " JOIN documents d ON d.id = s.document_id JOIN codes c ON c.id = k.code_id"
            " WHERE k.anchor_note IS NOT NULL AND k.status = 'suggested'"
            " ORDER BY d.name, s.position, c.position"))
        memos = _rows(self.db.execute(
            "SELECT m.id, d.name AS document, m.segment_id, m.author, m.text, m.anchor_note"
            " FROM memos m JOIN documents d ON d.id = m.document_id"
            " WHERE m.anchor_note IS NOT NULL AND m.segment_id IS NULL ORDER BY d.name, m.id"))
        return {"detached": detached, "review": codings, "memos": memos}

    # -- anonymisation (qda/privacy/pseudonymise.py) -------------------------------------------
    def documents_full(self) -> list[dict[str, Any]]:
        """Every document with its text and raw metadata columns, in id order."""
        return [dict(r) for r in _rows(self.db.execute(
            "SELECT id, name, source_path, content_hash, text, interviewers, extra"
            " FROM documents ORDER BY id"))]

    def document_extra(self, document_id: int) -> dict[str, Any]:
        row = self.db.execute("SELECT extra FROM documents WHERE id = ?",
                              (document_id,)).fetchone()
        return json.loads(row[0]) if row else {}

    def coding_texts(self, document_id: int) -> list[dict[str, Any]]:
        """Codings' free text (evidence, anchor notes) with their passage, for rewriting."""
        return [dict(r) for r in _rows(self.db.execute(
            "SELECT k.id, k.segment_id, k.evidence, k.anchor_note FROM codings k"
            " JOIN segments s ON s.id = k.segment_id WHERE s.document_id = ?"
            " AND (k.evidence IS NOT NULL OR k.anchor_note IS NOT NULL)", (document_id,)))]

    def memo_texts(self) -> list[dict[str, Any]]:
        """Every memo with the document it belongs to (None for project and code memos)."""
        return [dict(r) for r in _rows(self.db.execute(
            "SELECT m.id, COALESCE(s.document_id, m.document_id) AS document_id, m.text,"
            " m.anchor_note FROM memos m LEFT JOIN segments s ON s.id = m.segment_id"
            " ORDER BY m.id"))]

    def rewrite_document(self, document_id: int, name: str, source_path: str | None, text: str,
                         interviewers: str, extra: str,
                         segments: Iterable[tuple[int, int, str, str | None, int]]) -> None:
        """New text, names and metadata for a document and its segments' offsets, text and
        speakers (rows of start, end, text, speaker, id); in a transaction."""
        self.db.execute("UPDATE documents SET name = ?, source_path = ?, text = ?,"
                        " interviewers = ?, extra = ? WHERE id = ?",
                        (name, source_path, text, interviewers, extra, document_id))
        self.db.executemany("UPDATE segments SET start_offset = ?, end_offset = ?, text = ?,"
                            " speaker = ? WHERE id = ?", list(segments))

    def move_coding_spans(self, document_id: int, offsets: Callable[[int], int]) -> None:
        """Carry the coded parts in a document over to its rewritten text (`offsets` maps an
        old offset to the new one), so each still covers its words; in a transaction."""
        parts = self._coding_spans("s.document_id = ?", (document_id,))
        for coding_id, spans in parts.items():
            self._put_spans(coding_id, [(offsets(a), offsets(b)) for a, b in spans])

    def rewrite_coding_texts(self, rows: Iterable[tuple[str | None, str | None, int]]) -> None:
        """(evidence, anchor_note, id) rows; in a transaction."""
        self.db.executemany("UPDATE codings SET evidence = ?, anchor_note = ? WHERE id = ?",
                            list(rows))

    def detached_texts(self, document_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in _rows(self.db.execute(
            "SELECT id, old_text, old_start, old_end, evidence FROM detached_codings"
            " WHERE document_id = ?", (document_id,)))]

    def rewrite_detached_texts(self, rows: Iterable[tuple[str, int, int, str | None, int]]
                               ) -> None:
        """(old text, old start, old end, evidence, id) rows; in a transaction."""
        self.db.executemany("UPDATE detached_codings SET old_text = ?, old_start = ?,"
                            " old_end = ?, evidence = ? WHERE id = ?", list(rows))

    def rewrite_memo_texts(self, rows: Iterable[tuple[str, str | None, int]]) -> None:
        """(text, anchor_note, id) rows; in a transaction."""
        self.db.executemany("UPDATE memos SET text = ?, anchor_note = ? WHERE id = ?",
                            list(rows))

    # -- staged suggestions (qda/coders/autocode.py: a large run's write) ---------------------
    def stage_suggestions(self, rows: Iterable[tuple[int, str, float | None, str | None]]
                          ) -> None:
        """Put (segment_id, code, confidence, evidence JSON) rows in a temporary table of this
        connection, in place of any left there. Staging takes no lock, and
        `replace_suggestions_staged` then writes them in one statement: the write lock is
        held for a third of the time a row-by-row insert takes."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS staged_suggestions (segment_id INTEGER,"
                        " code TEXT, confidence REAL, evidence TEXT)")
        # one transaction of the temporary database, not one per row: half the time, and
        # no lock on the project's own database
        with self.savepoint():
            self.db.execute("DELETE FROM staged_suggestions")
            self.db.executemany("INSERT INTO staged_suggestions VALUES (?, ?, ?, ?)", rows)

    def replace_suggestions_staged(self, coder: str, kind: str, run_id: int,
                                   segment_ids: Iterable[int]) -> tuple[int, int]:
        """`replace_suggestions` with the staged rows of these segments (rows of others are
        left out: a passage someone reviewed meanwhile). Call inside a transaction; returns
        the staged suggestions for these segments, and those written (a suggestion that
        collides with a person's decision is not). The stage is left as it is, to be
        replaced by the next `stage_suggestions` or to go with the connection: emptying a
        million words' suggestions row by row held the write lock a fifth as long again."""
        ids = list(segment_ids)
        self.replace_suggestions(coder, ids, [])
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS staged_segments (id INTEGER PRIMARY KEY)")
        self.db.execute("DELETE FROM staged_segments")
        self.db.executemany("INSERT OR IGNORE INTO staged_segments VALUES (?)", [(i,) for i in ids])
        made = self.db.execute("SELECT count(*) FROM staged_suggestions WHERE segment_id IN"
                               " (SELECT id FROM staged_segments)").fetchone()[0]
        stamp = now()
        before = self.db.total_changes
        self.db.execute(
            "INSERT INTO codings (segment_id, code_id, coder, kind, status, confidence, evidence,"
            " run_id, created_at, updated_at) SELECT s.segment_id, c.id, ?, ?, 'suggested',"
            " s.confidence, s.evidence, ?, ?, ? FROM staged_suggestions s"
            " JOIN codes c ON c.path = s.code"
            " WHERE s.segment_id IN (SELECT id FROM staged_segments) ORDER BY s.rowid"
            " ON CONFLICT (segment_id, code_id, coder) DO NOTHING",
            (coder, kind, run_id, stamp, stamp))
        written = self.db.total_changes - before
        self.db.execute("DELETE FROM staged_segments")
        return made, written


def store_problem(exc: sqlite3.Error) -> str:
    """What a database error means for the person, and what to do, on one line."""
    text = str(exc)
    if "disk is full" in text or "SQLITE_FULL" in text:
        return ("the disk is full; free some space and run the command again (the project is "
                "as it was before this command's unfinished step)")
    if "readonly" in text or "read-only" in text:
        return ("the project is read-only here; commands that only read (status, backup, "
                "summary...) work, to change it run qda where you may write")
    if "malformed" in text or "not a database" in text or "corrupt" in text or (
            "decode" in text):  # never print the damaged text: it is a transcript's
        return ("the project store is damaged; restore the latest copy from .qda/backups/ or "
                "a 'qda backup' file")
    if "unable to open" in text:
        return "cannot open the project store; check that its folder exists and may be read"
    return f"the project store failed ({text})"


def is_busy(exc: sqlite3.Error) -> bool:
    """Whether an error means another connection holds the lock (worth trying again)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _read_sql(sql: str, db: sqlite3.Connection, **options: Any) -> pd.DataFrame:
    """A query as a DataFrame; pandas loads on first use, so the TUI and quick commands
    start without it."""
    import pandas as pd
    return pd.read_sql_query(sql, db, **options)


def _row(cur: sqlite3.Cursor) -> sqlite3.Row | None:
    cur.row_factory = sqlite3.Row
    return cur.fetchone()


def _rows(cur: sqlite3.Cursor) -> list[sqlite3.Row]:
    cur.row_factory = sqlite3.Row
    return cur.fetchall()


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)
