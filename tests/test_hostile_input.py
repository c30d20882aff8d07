"""Hostile and broken input: every reader gives a Document or a clear error; huge files are
refused before they are read; a broken codebook never touches the store."""
from __future__ import annotations

import io
import tempfile
import time
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qda
from qda.errors import QdaError
from qda.imports.pipeline import import_codings, import_paths
from qda.ingest import read_document
from qda.text.segment import segment_document

from .conftest import run_qda, write_txt

HOSTILE = st.lists(st.one_of(
    st.text(max_size=20),  # any code point but surrogates
    st.sampled_from(["\x00", "\x07", "\x1b", "\x0c", "\x85", "\u2028", "\u202e", "\ufeff",
                     "\r", "\r\n", "\n", ":", "[00:00:01]", "-->", "<v Ana>", "ENT:", "P1:"]),
), max_size=30).map("".join)
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def outcome(name: str, data: bytes) -> None:
    """A Document whose segments match its text, or a QdaError naming the file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            doc = read_document(path, {"ent"})
        except QdaError as exc:
            assert name in str(exc) and "\n" not in exc.message.strip()
            return
        assert "\x00" not in doc.text
        for s in segment_document(doc, "es"):
            assert doc.text[s.start:s.end] == s.text


def docx_bytes(paragraphs: list[str]) -> bytes:
    word = docx.Document()
    for text in paragraphs:
        word.add_paragraph(text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def poke_docx(data: bytes, raw: bytes) -> bytes:
    """The same .docx with raw bytes (NUL, invalid UTF-8, control bytes) in its body XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = body.replace(b"MARK", raw)
            dst.writestr(info, body)
    return out.getvalue()


@SETTINGS
@given(HOSTILE, st.sampled_from(["utf-8", "utf-16", "utf-32", "cp1252", "latin-1"]))
def test_text_readers_survive_hostile_text(text, encoding):
    for name in ("h.txt", "h.md"):
        outcome(name, text.encode(encoding, errors="replace"))
        outcome(name, ("---\nid: X\n---\nP1: " + text).encode(encoding, errors="replace"))


@SETTINGS
@given(HOSTILE, HOSTILE)
def test_mixed_encodings_in_one_file(first, second):
    data = ("P1: " + first).encode("utf-8", "replace") + b"\n" + \
        ("P1: " + second).encode("cp1252", "replace")
    outcome("mixed.txt", data)
    outcome("mixed.srt", b"1\n00:00:01,000 --> 00:00:02,000\n" + data)


@SETTINGS
@given(st.lists(HOSTILE, max_size=6))
def test_subtitle_readers_survive_hostile_cues(cues):
    vtt = "WEBVTT\n\n" + "".join(f"00:00:0{i % 10}.000 --> 00:00:0{i % 10}.500\n{c}\n\n"
                                  for i, c in enumerate(cues))
    srt = "".join(f"{i + 1}\n00:00:0{i % 10},000 --> 00:00:0{i % 10},500\n{c}\n\n"
                  for i, c in enumerate(cues))
    outcome("h.vtt", vtt.encode("utf-8", "replace"))
    outcome("h.srt", srt.encode("utf-8", "replace"))


@SETTINGS
@given(st.binary(max_size=40))
def test_docx_reader_survives_hostile_bytes_in_its_xml(raw):
    outcome("h.docx", poke_docx(docx_bytes(["Entrevista", "ENT: hola", "P1: MARK y más"]), raw))


def test_one_enormous_line_in_every_format():
    line = "palabra " * 150_000  # 1.2 MB without a full stop or a line break
    outcome("big.txt", ("P1: " + line).encode())
    outcome("big.vtt", f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v P1>{line}\n".encode())
    outcome("big.srt", f"1\n00:00:01,000 --> 00:00:02,000\nP1: {line}\n".encode())
    outcome("big.docx", docx_bytes(["ENT: hola", "P1: " + line]))


@pytest.mark.parametrize("name", ["huge.txt", "huge.md", "huge.vtt", "huge.srt", "huge.docx"])
def test_a_2_gb_file_is_refused_without_reading_it(tmp_path, monkeypatch, name):
    path = tmp_path / name
    with path.open("wb") as fh:
        fh.truncate(2 * 2**30)  # sparse: takes no disk space
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self} whole"))
    started = time.perf_counter()
    with pytest.raises(QdaError) as refused:
        read_document(path, set())
    assert time.perf_counter() - started < 2
    assert name in str(refused.value)
    if not name.endswith(".docx"):
        assert "over the 200 MiB limit" in str(refused.value)


def test_docx_with_too_many_members_is_refused(tmp_path):
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(10_001):
            z.writestr(f"word/m{i}.xml", b"")
    with pytest.raises(QdaError, match="more than a Word"):
        read_document(path, set())


BROKEN_CODEBOOKS = {
    "not yaml": "codes: [\n  - code: challenges\n",
    "duplicate key": "codes:\n  - code: challenges\n    code: recommendations\n",
    "no codes": "name: x\n",
    "unknown axis": "codes:\n  - code: gossip\n    label: {es: a, en: b}\n    definition: x\n",
    "binary": "\x00\x01\x02\xff",
    "empty": "",
}


def test_a_broken_codebook_never_touches_the_store(project, tmp_path):
    write_txt(tmp_path, "a.txt", "ENT: ¿Qué funcionó?\n\nP1: La voluntad política.\n\n"
              "ENT: ¿Y?\n\nP1: Nada más.\n", id="A1")
    assert import_paths(project, [tmp_path / "a.txt"]).ok
    ref = tmp_path / "ref.csv"
    ref.write_text("document,text,codes\nA1,La voluntad política.,"
                   "positive_factors/political_will\n", encoding="utf-8")
    assert import_codings(project, [ref], "ana").ok
    book = project.root / project.settings.codebook
    good = book.read_bytes()
    before = list(project.store.db.iterdump())
    project.close()
    for why, text in BROKEN_CODEBOOKS.items():
        book.write_bytes(text.encode("utf-8", "surrogateescape"))
        with qda.open_project(project.root) as opened, pytest.raises(QdaError):
            opened.codebook
        if why in ("not yaml", "binary"):  # the command line names the file, no traceback
            result = run_qda("--project", project.root, "summary")
            assert result.returncode == 1 and "Traceback" not in result.stderr, why
            assert "codebook.yaml" in result.stderr, why
        with qda.open_project(project.root) as opened:
            assert list(opened.store.db.iterdump()) == before, why
    # a valid codebook without a theme in use: the theme and its codings are kept
    book.write_bytes(good.replace(b"code: positive_factors/political_will",
                                  b"code: positive_factors/political_willpower"))
    with qda.open_project(project.root) as opened:
        assert opened.store.integrity_problems() == []
        frame = opened.codings_frame()
        assert list(frame.code) == ["positive_factors/political_will"]


# -- round 2: YAML, ids and duplicates (issue 22) --------------------------------------------
BODY = "[00:00:01] ENT: ¿Qué funcionó?\n\n[00:00:05] P1: La voluntad política fue clave.\n"


def alias_bomb(levels: int = 9) -> str:
    """A ~1 KB 'billion laughs': each line repeats the one before nine times."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{k}: &a{k} [{','.join([f'*a{k - 1}'] * 9)}]" for k in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_quickly_in_front_matter_and_codebook(project, tmp_path):
    import tracemalloc

    from qda.codebook import model as codebook
    bomb = alias_bomb()
    assert len(bomb.encode()) < 1100
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bomb.txt").write_text(f"---\nid: B-1\n{bomb}---\n{BODY}", encoding="utf-8")
    write_txt(folder, "ok.txt", BODY, id="OK-1", country="Chile")
    book = project.root / "codebook" / "codebook.yaml"
    book.write_text(bomb + book.read_text(encoding="utf-8"), encoding="utf-8")
    tracemalloc.start()
    began = time.monotonic()
    with pytest.raises(QdaError, match="aliases"):
        read_document(folder / "bomb.txt", {"ent"})
    assert "aliases" in str(codebook.problems(book)[0])
    assert time.monotonic() - began < 2
    assert tracemalloc.get_traced_memory()[1] < 100 * 2**20
    tracemalloc.stop()
    report = import_paths(project, [folder])
    assert [d["name"] for d in project.store.documents()] == ["OK-1"]
    assert "aliases" in str(report.failed[0]) and "bomb.txt:3" in str(report.failed[0])
    result = run_qda("--project", project.root, "codebook", "check")
    assert result.returncode == 1 and "aliases" in result.stderr
    assert "Traceback" not in result.stderr


def test_ids_stay_as_written(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_txt(folder, "a.txt", BODY, id="012", country="Chile")
    write_txt(folder, "b.txt", BODY.replace("clave", "decisiva"), id="1:30", country="Peru")
    assert import_paths(project, [folder]).ok
    assert sorted(d["name"] for d in project.store.documents()) == ["012", "1:30"]


def test_two_files_with_one_id_are_an_error_and_nothing_is_written_for_it(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_txt(folder, "a.txt", BODY, id="CL-01", country="Chile")
    write_txt(folder, "b.txt", BODY.replace("clave", "decisiva"), id="CL-01", country="Chile")
    write_txt(folder, "c.txt", BODY.replace("clave", "central"), id="CL-02", country="Chile")
    result = run_qda("--project", project.root, "import", folder)
    assert result.returncode == 1
    assert "a.txt" in result.stderr and "b.txt" in result.stderr and "'CL-01'" in result.stderr
    assert [d["name"] for d in project.store.documents()] == ["CL-02"]
    # a later file with an id already taken by another file replaces nothing
    write_txt(folder, "a.txt", BODY, id="CL-02", country="Chile")
    (folder / "b.txt").unlink()
    again = import_paths(project, [folder / "a.txt"])
    assert "already the id of the interview imported from" in str(again.failed[0])
    assert "central" in project.store.document_text(project.store.documents()[0]["id"])


@pytest.mark.parametrize("front, problem, line", [
    ("id: X-1\ncountry: Chile\ncountry: Peru\n", "duplicate key 'country'", 4),
    ("id: X-1\ndate: 2023-02-30\n", "is not a real date", 3),
])
def test_bad_front_matter_is_one_line_and_the_batch_goes_on(project, tmp_path, front, problem,
                                                             line):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.txt").write_text(f"---\n{front}---\n{BODY}", encoding="utf-8")
    write_txt(folder, "good.txt", BODY.replace("clave", "decisiva"), id="G-1", country="Chile")
    result = run_qda("--project", project.root, "import", folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert problem in result.stderr and f"bad.txt:{line}:" in result.stderr
    assert "1 imported" in result.stdout + result.stderr


def test_duplicate_sidecar_rows_are_an_error_with_the_line(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(BODY, encoding="utf-8")
    (folder / "interviews.csv").write_text("file,country\na.txt,Chile\nb.txt,Peru\na.txt,Peru\n",
                                           encoding="utf-8")
    report = import_paths(project, [folder])
    assert "interviews.csv:4" in str(report.failed[0]) and "'a.txt'" in str(report.failed[0])
    assert project.store.documents() == []
