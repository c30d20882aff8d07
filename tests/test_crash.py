"""Crash safety: real `qda import`, `qda autocode` and reviewer processes are killed with
SIGKILL at random moments; the project must stay consistent and keep every decision that
was committed before the kill. A bounded number of kills (QDA_CRASH_KILLS, default 3 per
writer) keeps the test under half a minute; raise it to hunt for rare interleavings.
`report` and the exports are killed the same way (QDA_OUTPUT_KILLS, default 3 each): the
previous output must stay whole and no temp file may be left."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import qda
from bench.corpus import generate
from qda.coders.autocode import autocode
from qda.imports.pipeline import import_paths
from qda.ingest import read_document
from qda.store import SCHEMA_VERSION, Store
from qda.text.segment import segment_document
from qda.vocab import DEFAULT_INTERVIEWERS

from .conftest import QDA, SUBPROCESS_ENV

KILLS = int(os.environ.get("QDA_CRASH_KILLS", "3"))
WRITERS = Path(__file__).with_name("writers.py")


def start(*args: str | Path) -> subprocess.Popen:
    return subprocess.Popen([str(a) for a in args], env=SUBPROCESS_ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def kill_after(proc: subprocess.Popen, seconds: float) -> tuple[str, str]:
    """SIGKILL the process after `seconds` (unless it ended); return its output so far."""
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    return proc.communicate(timeout=30)


def kill_after_first_line(proc: subprocess.Popen, seconds: float) -> tuple[str, str]:
    """SIGKILL the process `seconds` after it printed its first line (its first committed
    decision): on a loaded machine Python's start-up alone can outlast a fixed delay."""
    lines: list[str] = []
    first = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            lines.append(line)
            first.set()
        first.set()  # ended without a line: nothing to wait for

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    first.wait(timeout=120)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    reader.join(timeout=30)
    return "".join(lines), proc.stderr.read()


def check_consistent(root: Path, expected_segments: dict[str, int]) -> Store:
    """Sound file, no orphans, each document whole, each run finished."""
    store = Store(root / ".qda" / "qda.sqlite3")
    assert store.integrity_problems() == []  # integrity_check and foreign_key_check
    assert store.schema_version() == SCHEMA_VERSION
    for doc in store.documents():
        segments = store.segments(doc["id"])
        assert len(segments) == expected_segments[doc["name"]], doc["name"]
        text = store.document_text(doc["id"])
        assert all(text[s.start:s.end] == s.text for s in segments)
    unfinished = store.db.execute("SELECT COUNT(*) FROM runs WHERE finished_at IS NULL")
    assert unfinished.fetchone()[0] == 0
    stray = store.db.execute("SELECT COUNT(*) FROM codings WHERE run_id IS NOT NULL AND run_id"
                             " NOT IN (SELECT id FROM runs)")
    assert stray.fetchone()[0] == 0
    return store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("corpus")
    files = generate(folder, total_words=8_000, per_interview=1_000, seed=11)
    expected = {}
    for path in files:
        doc = read_document(path, set(DEFAULT_INTERVIEWERS))
        expected[doc.name] = len(segment_document(doc, doc.attributes["language"]))
    return folder, expected


def test_killed_import_and_autocode_leave_a_consistent_project(tmp_path, corpus):
    folder, expected = corpus
    rng = random.Random(int(os.environ.get("QDA_CRASH_SEED", "0")) or None)
    qda.init_project(tmp_path / "p").close()
    root = tmp_path / "p"
    for _ in range(KILLS):
        kill_after(start(QDA, "-p", root, "import", folder), rng.uniform(0.5, 2.5))
        check_consistent(root, expected).close()
    with qda.open_project(root) as project:  # what the kills left undone
        assert import_paths(project, [folder]).ok
    store = check_consistent(root, expected)
    assert {d["name"] for d in store.documents()} == set(expected)
    store.close()
    for _ in range(KILLS):
        kill_after(start(QDA, "-p", root, "autocode"), rng.uniform(0.5, 3.0))
        check_consistent(root, expected).close()


def test_killed_reviewers_keep_every_committed_decision(tmp_path, corpus):
    folder, expected = corpus
    rng = random.Random()
    root = tmp_path / "p"
    with qda.init_project(root) as project:
        assert import_paths(project, [folder]).ok
        autocode(project)
    committed: dict[tuple[int, str, str], str] = {}
    for i in range(KILLS):
        reviewer = start(sys.executable, WRITERS, root, "ana", str(i))
        coder = start(QDA, "-p", root, "autocode") if i % 2 else None
        stdout, stderr = kill_after_first_line(reviewer, rng.uniform(0.0, 1.5))
        if coder is not None:
            kill_after(coder, rng.uniform(0.0, 1.0))
        assert "Traceback" not in stderr
        for line in stdout.splitlines():
            segment_id, code, coder, status = json.loads(line)
            committed[(segment_id, code, coder)] = status
        check_consistent(root, expected).close()
        with qda.open_project(root) as project:
            frame = project.codings_frame()
        now = {(r.segment_id, r.code, r.coder): r.status for r in frame.itertuples()}
        lost = {k: v for k, v in committed.items() if now.get(k) != v}
        assert not lost, f"{len(lost)} committed decisions lost, e.g. {next(iter(lost.items()))}"
    assert committed, "the reviewer never got to commit a decision; kill later"


OUTPUT_KILLS = int(os.environ.get("QDA_OUTPUT_KILLS", "3"))
OUTPUTS = {  # command line (after `qda -p ROOT`) -> the file it writes, relative to ROOT
    "report": (["report", "report/findings.docx", "--include-suggested"],
               "report/findings.docx"),
    "quotes": (["export", "quotes", "quotes/quotes.xlsx", "--include-suggested"],
               "quotes/quotes.xlsx"),
    "codings": (["export", "codings", "codings/codings.csv"], "codings/codings.csv"),
    "qdpx": (["export", "qdpx", "qdpx/study.qdpx", "--include-suggested"], "qdpx/study.qdpx"),
}


def _whole(path: Path) -> bool:
    """A complete output: a zip that reads back (docx, xlsx, qdpx) or a CSV ending its last row."""
    import zipfile
    if path.suffix == ".csv":
        return path.read_bytes().endswith(b"\n")
    with zipfile.ZipFile(path) as archive:
        return archive.testzip() is None


@pytest.fixture(scope="module")
def coded(tmp_path_factory, corpus) -> Path:
    """One imported and autocoded project that the export kill tests share."""
    root = tmp_path_factory.mktemp("exports") / "p"
    with qda.init_project(root) as project:
        assert import_paths(project, [corpus[0]]).ok
        autocode(project)
    return root


@pytest.mark.parametrize("what", sorted(OUTPUTS))
def test_killed_exports_leave_the_previous_file_whole(coded, what):
    """SIGKILL during `report` and the exports: the previous output is intact (or the new one
    is whole, when the command finished first) and no temp file is left beside it."""
    root = coded
    args, target = OUTPUTS[what]
    began = time.monotonic()
    done = subprocess.run([str(QDA), "-p", str(root), *args], env=SUBPROCESS_ENV, cwd=root,
                          capture_output=True, text=True, timeout=300)
    took = time.monotonic() - began
    assert done.returncode == 0, done.stderr
    out = root / target
    previous = out.read_bytes()
    rng = random.Random()
    for _ in range(OUTPUT_KILLS):
        proc = subprocess.Popen([str(QDA), "-p", str(root), *args], env=SUBPROCESS_ENV, cwd=root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        kill_after(proc, rng.uniform(0.3, took))
        assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temp file
        now = out.read_bytes()
        if proc.returncode != -signal.SIGKILL:
            assert proc.returncode == 0
        if now != previous:  # the new file was in place before the kill (or the end)
            assert _whole(out)
            previous = now


# `qda report` whose Word save stops half way through writing the file (the real bytes, cut in
# two), says so on stdout and waits to be killed: a kill at a known moment of the write.
HALF_WRITTEN_REPORT = """
import io, sys, time
import docx.document
from qda.cli import main

real_save = docx.document.Document.save

def save(self, stream):
    whole = io.BytesIO()
    real_save(self, whole)
    stream.write(whole.getvalue()[:len(whole.getvalue()) // 2])
    stream.flush()
    print("half written", flush=True)
    time.sleep(600)

docx.document.Document.save = save
sys.argv = ["qda", *sys.argv[1:]]
main()
"""


def test_report_killed_in_the_middle_of_writing_leaves_the_previous_file(coded):
    """Deterministic: SIGKILL when half of the new .docx is written. The previous report is
    byte for byte intact and nothing is left beside it: the new bytes go to an unnamed
    (O_TMPFILE) file in the same folder, so there is no temp file to clean up afterwards."""
    out = coded / "report" / "findings.docx"
    args = ["-p", str(coded), "report", str(out)]
    assert subprocess.run([str(QDA), *args], env=SUBPROCESS_ENV, capture_output=True,
                          timeout=300).returncode == 0
    previous = out.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", HALF_WRITTEN_REPORT, *args],
                            env=SUBPROCESS_ENV, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == "half written", proc.stderr.read()
        assert os.listdir(out.parent) == [out.name]  # the half-written file has no name
        assert out.read_bytes() == previous
        fds = Path(f"/proc/{proc.pid}/fd")
        held = [os.readlink(fd) for fd in fds.iterdir()] if fds.is_dir() else [str(out.parent)]
        assert any(link.startswith(str(out.parent)) for link in held)  # it is writing there
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == previous and _whole(out)
    assert os.listdir(out.parent) == [out.name]
    again = subprocess.run([str(QDA), *args], env=SUBPROCESS_ENV, capture_output=True,
                           timeout=300)
    assert again.returncode == 0 and _whole(out)


def test_a_failed_write_keeps_the_previous_file_and_removes_its_temp_file(tmp_path,
                                                                          monkeypatch):
    """Where the OS has no unnamed temp files the writer uses a named one beside the target:
    an error while writing leaves the previous file and removes the temp file."""
    from qda.errors import QdaError
    from qda.text import files

    target = tmp_path / "findings.docx"
    target.write_bytes(b"previous")
    monkeypatch.delattr(files.os, "O_TMPFILE", raising=False)
    with pytest.raises(QdaError, match="disk is full"):
        with files.atomic_file(target) as fh:
            fh.write(b"half of the new")
            assert len(list(tmp_path.iterdir())) == 2  # the target and a named temp file
            raise OSError(28, "No space left on device")
    assert target.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [target]
