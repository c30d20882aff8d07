"""Concurrency: writers in separate processes at once never lose an update and never fail
on a locked database (busy timeout, then BEGIN IMMEDIATE tried again)."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import qda
from bench.corpus import generate
from qda.coders.autocode import autocode
from qda.errors import QdaError
from qda.imports.pipeline import import_paths
from qda.store import Store

from .conftest import QDA, SUBPROCESS_ENV

WRITERS = Path(__file__).with_name("writers.py")


def start(*args: str | Path) -> subprocess.Popen:
    return subprocess.Popen([str(a) for a in args], env=SUBPROCESS_ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_reviewers_and_autocode_at_once_lose_nothing(tmp_path):
    root = tmp_path / "p"
    with qda.init_project(root) as project:
        assert import_paths(project, generate(tmp_path / "c", 6_000, 1_000, seed=5)).ok
        autocode(project)
    ana = start(sys.executable, WRITERS, root, "ana", "1", "0", "2", "150")
    bea = start(sys.executable, WRITERS, root, "bea", "2", "1", "2", "150")
    coders = [start(QDA, "-p", root, "autocode") for _ in range(2)]
    decided: dict[tuple[int, str, str], str] = {}
    for proc in (ana, bea, *coders):
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        assert "locked" not in stderr and "Traceback" not in stderr
        if proc in (ana, bea):
            assert stdout, "each reviewer decided something"
            for line in stdout.splitlines():
                segment_id, code, coder, status = json.loads(line)
                decided[(segment_id, code, coder)] = status
    with qda.open_project(root) as project:
        assert project.store.integrity_problems() == []
        frame = project.codings_frame()
        reviewed = set(project.store.reviews_frame().segment_id)
    now = {(r.segment_id, r.code, r.coder): r.status for r in frame.itertuples()}
    assert {k: now.get(k) for k in decided} == decided
    assert {segment_id for segment_id, _, _ in decided} <= reviewed


HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


def hold_lock(path: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_transaction_waits_and_tries_again_while_another_holds_the_lock(project,
                                                                          monkeypatch):
    path = project.store.path
    monkeypatch.setattr(Store, "busy_timeout", 0.2)
    monkeypatch.setattr(Store, "busy_retries", 10)
    store = Store(path)
    holder = hold_lock(path, 1.0)
    started = time.perf_counter()
    with store.transaction():
        store.set_meta("probe", "written")
    assert time.perf_counter() - started > 0.5  # it waited for the other writer
    assert holder.wait(timeout=10) == 0
    assert store.get_meta("probe") == "written"

    monkeypatch.setattr(Store, "busy_retries", 1)
    impatient = Store(path)
    holder = hold_lock(path, 3.0)
    with pytest.raises(QdaError, match="kept the project store locked"):
        with impatient.transaction():
            impatient.set_meta("probe", "lost")
    holder.wait(timeout=10)
    assert store.get_meta("probe") == "written"
    store.close()
    impatient.close()
