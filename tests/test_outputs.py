"""Outputs, round 2 (issue 22): one atomic writer for every output (whole or not at all,
temp files cleaned, the usual file mode), formula-safe cells, one-line errors for a full
disk or a folder one may not write to, and a store never recreated behind a person's back."""
from __future__ import annotations

import csv
import errno
import os
import stat

import openpyxl
import pytest

import qda
from qda.errors import QdaError
from qda.export.cells import csv_safe, set_formula_guard
from qda.export.tables import export_codings
from qda.export.workbook import write_workbook
from qda.imports.pipeline import import_paths
from qda.models import Coding
from qda.text.files import atomic_file, write_atomic

from .conftest import run_qda, write_txt

HOSTILE = "=HYPERLINK(\"http://x\",\"clic\")"


@pytest.fixture
def coded(project, tmp_path):
    """An interview whose id, policy and passage start with formula characters."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_txt(folder, "a.txt", "[00:00:01] ENT: ¿Qué?\n\n[00:00:05] P1: -1 voto, +2 votos, "
              "la voluntad política fue clave.\n", id='"@CL-01"', country="Chile",
              role="expert", policy='"=1+1"')
    assert import_paths(project, [folder]).ok
    project.codebook
    [seg] = project.store.segments(codable_only=True)
    with project.store.transaction():
        project.store.upsert_human_codings([Coding(seg.id, "positive_factors", "ana", "human",
                                                   "accepted")])
    return project


def test_csv_cells_that_would_run_get_an_apostrophe_and_the_switch_turns_it_off(coded,
                                                                               tmp_path):
    out = tmp_path / "codings.csv"
    export_codings(coded, out)
    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["document"] == "'@CL-01" and row["policy"] == "'=1+1"
    assert row["text"].startswith("'-1 voto")
    result = run_qda("--project", coded.root, "--no-formula-guard", "export", "codings",
                     tmp_path / "raw.csv")
    assert result.returncode == 0, result.stderr
    [raw] = list(csv.DictReader((tmp_path / "raw.csv").open(encoding="utf-8")))
    assert raw["document"] == "@CL-01" and raw["policy"] == "=1+1"


def test_xlsx_cells_are_text_never_formulas(coded, tmp_path):
    out = tmp_path / "quotes.xlsx"
    result = run_qda("--project", coded.root, "export", "quotes", out)
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == "=1+1" and c.data_type == "s" and c.quotePrefix for c in cells)
    import pandas as pd
    frame = pd.DataFrame({"group": [HOSTILE, "+x", "plain"], "n": [-1, 2, 3]})
    write_workbook(tmp_path / "t.xlsx", {"T": frame}, ["notes"])
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["T"]
    assert sheet["A2"].value == HOSTILE and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -1  # numbers stay numbers
    set_formula_guard(False)
    try:
        assert csv_safe(frame)["group"][0] == HOSTILE
    finally:
        set_formula_guard(True)
    assert csv_safe(frame)["group"].tolist() == ["'" + HOSTILE, "'+x", "plain"]


def test_the_atomic_writer_keeps_the_old_file_on_any_error(tmp_path):
    out = tmp_path / "out" / "report.docx"
    write_atomic(out, b"old")
    with pytest.raises(RuntimeError):
        with atomic_file(out) as fh:
            fh.write(b"half a new")
            raise RuntimeError("killed")
    assert out.read_bytes() == b"old" and os.listdir(out.parent) == ["report.docx"]
    write_atomic(out, b"new")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_a_full_disk_is_one_line_and_leaves_the_previous_output(coded, tmp_path, monkeypatch):
    out = tmp_path / "codings.csv"
    export_codings(coded, out)
    before = out.read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(QdaError, match="the disk is full") as caught:
        export_codings(coded, out)
    assert "\n" not in str(caught.value) and str(out) in str(caught.value)
    assert out.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["codings.csv", "in", "study"]


def test_a_folder_one_may_not_write_is_one_line(coded, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    for args in (["export", "codings", blocked / "c.csv"], ["export", "quotes", blocked / "q.xlsx"],
                 ["report", blocked / "r.docx"], ["export", "qdpx", blocked / "s.qdpx"]):
        result = run_qda("--project", coded.root, *args)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) <= 3  # one message (terminal-wrapped)


def test_a_deleted_or_emptied_store_is_never_recreated(project):
    root = project.root
    path = project.store.path
    project.close()
    path.unlink()
    for extra in ("-wal", "-shm"):
        path.with_name(path.name + extra).unlink(missing_ok=True)
    result = run_qda("--project", root, "status")
    assert result.returncode == 1 and "missing or empty" in result.stderr
    assert not path.exists()
    path.write_bytes(b"")
    assert run_qda("--project", root, "status").returncode == 1
    assert path.stat().st_size == 0
    (root / ".qda" / "store-created").unlink()  # the person really wants to start over
    assert run_qda("--project", root, "status").returncode == 0


def test_a_read_only_project_opens_read_only(coded, tmp_path, monkeypatch):
    root = coded.root
    coded.close()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK
                        else real(p, mode, **kw))
    with qda.open_project(root) as project:
        assert project.store.readonly
        assert len(project.codings_frame()) == 1
        copy = project.store.backup(tmp_path / "copy.sqlite3")
        assert copy.stat().st_size > 0
    assert not (tmp_path / "copy.sqlite3-wal").exists()


def test_damaged_text_in_the_store_is_one_line_that_prints_no_transcript(coded, tmp_path):
    with coded.store.transaction() as db:  # a damaged page: bytes that are no UTF-8 text
        for table in ("segments", "documents"):
            db.execute(f"UPDATE {table} SET text = CAST(x'ff4c6120766f6c756e746164fe' AS TEXT)")
    coded.close()
    for args in (["report", tmp_path / "r.docx"], ["export", "qdpx", tmp_path / "s.qdpx"],
                 ["export", "quotes", tmp_path / "q.csv"]):
        result = run_qda("--project", coded.root, *args)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "damaged" in result.stderr and "volunt" not in result.stderr


def test_a_streamed_word_body_is_the_document_python_docx_writes(tmp_path):
    """word.BodyWriter writes paragraphs as text to a file: the saved document is exactly
    the one built element by element (styles, italic runs, spaces kept, escaped characters,
    tabs and line breaks as elements, empty runs and paragraphs)."""
    import io
    import random
    import zipfile

    from qda.export import word

    rng = random.Random(4)
    alphabet = [*"abc AZ ñé«»&<>\"'\t\n\r\xa0—🙂[]", "  ", "&amp;", "]]>"]
    paragraphs = [([("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))),
                     rng.choice([None, False, True])) for _ in range(rng.randint(0, 3))],
                   rng.choice([None, "Quote", "Heading 1", "Normal", "List Bullet"]))
                  for _ in range(400)]

    def parts(streamed: bool) -> dict[str, bytes]:
        doc = word.document("t", "en")
        doc.add_paragraph("before", style="Title")
        path = tmp_path / f"{streamed}.docx"
        if streamed:
            body = word.BodyWriter(doc)
            for runs, style in paragraphs:
                body.paragraph(runs, style)
            body.save(path)
        else:
            appender = word.Appender(doc)
            for runs, style in paragraphs:
                paragraph = appender.paragraph(style=style)
                for text, italic in runs:
                    word.add_run(paragraph, text, italic)
            word.save(doc, path)
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
            return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}

    built, streamed = parts(False), parts(True)
    assert list(streamed) == list(built)
    assert streamed == built
    assert b"<w:tab/>" in streamed["word/document.xml"]
