"""Backups: `qda backup` copies a store in use consistently; a schema upgrade backs up first."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from qda import store as store_mod
from qda.coders.autocode import autocode
from qda.imports.pipeline import import_paths
from qda.store import Store

from .conftest import SUBPROCESS_ENV, run_qda, write_txt

TURNS = "ENT: ¿Qué funcionó?\n\nP1: La voluntad política de la ministra.\n\n" \
        "P1: Faltó presupuesto para las regiones.\n"


def test_backup_while_a_reviewer_writes(project, tmp_path):
    for i in range(20):
        write_txt(tmp_path, f"t{i}.txt", TURNS.replace("ministra", f"ministra {i}"), id=f"T{i}")
    assert import_paths(project, sorted(tmp_path.glob("t*.txt"))).ok
    autocode(project)
    reviewer = subprocess.Popen([sys.executable, str(Path(__file__).with_name("writers.py")),
                                 str(project.root), "ana", "3"], env=SUBPROCESS_ENV,
                                stdout=subprocess.PIPE, text=True)
    reviewer.stdout.readline()  # it has committed a decision and is going on
    out = tmp_path / "copy.sqlite3"
    result = run_qda("--project", project.root, "backup", out)
    reviewer.communicate(timeout=60)
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(out)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 20
    assert not list(tmp_path.glob(".copy.sqlite3*"))  # no partial file left
    again = run_qda("--project", project.root, "backup", out)
    assert again.returncode == 1 and "--force" in again.stderr
    assert run_qda("--project", project.root, "backup", out, "--force").returncode == 0


def test_a_schema_upgrade_backs_the_store_up_first(project, tmp_path, monkeypatch):
    write_txt(tmp_path, "a.txt", TURNS, id="A1")
    assert import_paths(project, [tmp_path / "a.txt"]).ok
    project.close()
    old = store_mod.SCHEMA_VERSION
    monkeypatch.setattr(store_mod, "MIGRATIONS",
                        [*store_mod.MIGRATIONS, "ALTER TABLE documents ADD COLUMN probe TEXT"])
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", old + 1)
    upgraded = Store(project.store.path)
    assert upgraded.schema_version() == old + 1
    (backup,) = (project.store.path.parent / "backups").glob(f"qda-v{old}-*.sqlite3")
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == \
        (str(old),)
    assert copy.execute("SELECT name FROM documents").fetchall() == [("A1",)]
    assert "probe" not in {r[1] for r in copy.execute("PRAGMA table_info(documents)")}
    upgraded.close()
    Store(project.store.path).close()  # already current: no second backup
    assert len(list((project.store.path.parent / "backups").iterdir())) == 1
