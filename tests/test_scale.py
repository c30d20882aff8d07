"""A big study stays linear and quiet: the sidecar is parsed once per folder, and progress
bars appear only for a person at a terminal. Timings live in bench/scale.py, not here."""
from __future__ import annotations

import io
import os
import subprocess

from qda import progress
from qda.imports.pipeline import import_paths
from qda.ingest import metadata

from .conftest import QDA, SUBPROCESS_ENV, run_qda

BODY = "[00:00:01] ENT: ¿Qué funcionó?\n\n[00:00:04] P1: La voluntad política {i}.\n"


def _folder(folder, count: int, country: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["file,id,country,role,language,interviewer"]
    for i in range(count):
        (folder / f"t{i:03d}.txt").write_text(BODY.format(i=f"{country} {i}"),
                                               encoding="utf-8")
        rows.append(f"t{i:03d}.txt,{country[:2].upper()}-{i:03d},{country},expert,es,ENT")
    (folder / "interviews.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_the_sidecar_is_read_once_per_folder(project, tmp_path, monkeypatch):
    """200 files beside one interviews.csv: one read of it, not one (or two) per file."""
    _folder(project.root / "transcripts", 200, "Peru")
    _folder(tmp_path / "elsewhere", 3, "Chile")
    reads: list[str] = []
    real = metadata.read_bytes

    def counting(path, *args, **kwargs):
        reads.append(str(path.parent.resolve()))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(metadata, "read_bytes", counting)
    report = import_paths(project, [project.root / "transcripts", tmp_path / "elsewhere"])
    assert report.ok and len(report.imported) == 203
    assert sorted(reads) == sorted([str((project.root / "transcripts").resolve()),
                                    str((tmp_path / "elsewhere").resolve())])
    documents = {r["name"]: r for r in project.store.documents()}
    assert documents["PE-199"]["country"] == "Peru" and documents["CH-002"]["country"] == "Chile"
    assert documents["CH-002"]["role"] == "expert"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_silent_unless_a_person_watches_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress, "REFRESH_S", 0.0)
    progress.enable()

    def draw(stream) -> str:
        with progress.task("coding", 5, stream=stream) as step:
            for _ in range(5):
                step(1, "a passage")
        return stream.getvalue()
    try:
        assert "coding" in draw(_Terminal())  # the bar is drawn on a terminal...
        assert draw(io.StringIO()) == ""  # ...never into a pipe or a file
        monkeypatch.setenv("CI", "1")
        assert draw(_Terminal()) == ""  # nor in CI
        monkeypatch.delenv("CI")
        progress.enable(False)
        assert draw(_Terminal()) == ""  # nor from library code the command line did not run
    finally:
        progress.enable(False)


def test_commands_print_no_progress_when_piped(tmp_path):
    """Outside CI, with stderr a pipe, long commands write only their own messages."""
    root = tmp_path / "study"
    run_qda("init", root, check=True)
    _folder(root / "transcripts", 4, "Peru")
    env = {k: v for k, v in SUBPROCESS_ENV.items() if k != "CI"}
    for args in (["import", "transcripts/"], ["autocode"],
                 ["export", "quotes", str(tmp_path / "q.docx"), "--include-suggested"]):
        done = subprocess.run([str(QDA), *args], cwd=root, env=env, text=True,
                              capture_output=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert "━" not in done.stderr and "\x1b" not in done.stderr, done.stderr
        assert "━" not in done.stdout and "\x1b" not in done.stdout
    assert os.path.getsize(tmp_path / "q.docx") > 0
