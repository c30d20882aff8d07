"""Shared fixtures: fresh projects, the real `qda` entry point, and a network guard."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import qda
from qda.imports.pipeline import import_codings, import_paths
from qda.project import Project

REPO = Path(__file__).resolve().parents[1]
QDA = Path(sys.executable).parent / "qda"
# Subprocesses get tests/netguard/sitecustomize.py, which refuses network connections too.
SUBPROCESS_ENV = {**os.environ, "CI": "1", "NO_COLOR": "1", "COLUMNS": "200",
                  "PYTHONPATH": str(Path(__file__).parent / "netguard")}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Interviews are sensitive: any attempt to open a network connection fails the test."""
    def refuse(self, address, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"qda tried to open a network connection to {address}")
        return real_connect(self, address, *args, **kwargs)
    real_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def project(tmp_path):
    with qda.init_project(tmp_path / "study") as opened:
        yield opened


@contextmanager
def coded_sample(root: Path) -> Iterator[Project]:
    """A project at `root` of the sample corpus, its reference coding imported (coder
    'reference')."""
    with qda.init_project(root) as project:
        assert import_paths(project, [REPO / "transcripts"]).ok
        assert import_codings(project, [REPO / "transcripts" / "reference"], "reference").ok
        yield project


def run_qda(*args: str, cwd: Path | None = None, check: bool = False
            ) -> subprocess.CompletedProcess:
    """Run the installed `qda` command as a user would, without a terminal."""
    result = subprocess.run([str(QDA), *map(str, args)], cwd=cwd, env=SUBPROCESS_ENV, text=True,
                            capture_output=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"qda {' '.join(map(str, args))} failed:\n{result.stderr}")
    return result


def write_txt(folder: Path, name: str, body: str, **meta: str) -> Path:
    """A transcript with front matter, written as UTF-8."""
    front = "".join(f"{k}: {v}\n" for k, v in meta.items())
    path = folder / name
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path
