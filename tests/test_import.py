"""Importing through the API: batches, duplicates, changed files, coded passages."""
from __future__ import annotations

import zipfile

import pytest

from qda.errors import QdaError
from qda.imports import pipeline
from qda.imports.pipeline import import_coded, import_codings, import_paths
from qda.text.nlp import Sentences

from .conftest import write_txt

TURNS = "ENT: ¿Qué funcionó?\n\nP1: La voluntad política de la ministra.\n\nENT: ¿Y?\n\n" \
        "P1: Faltó presupuesto para las regiones.\n"


def test_bad_input_folder_imports_the_good_files(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_txt(folder, "good1.txt", TURNS, id="G1", country="Chile", role="expert")
    write_txt(folder, "good2.md", TURNS.replace("ministra", "alcaldesa"), id="G2")
    (folder / "corrupt.docx").write_bytes(b"not a zip at all")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / "yaml.txt").write_text("---\nid: [oops\n---\nP1: hola\n", encoding="utf-8")
    write_txt(folder, "two.txt", TURNS, id="G3", policy="[Plan A, Ley B]")
    report = import_paths(project, [folder])
    assert sorted(name for _, name, _ in report.imported) == ["G1", "G2"]
    failed = {e.path.split("/")[-1]: str(e) for e in report.failed}
    assert set(failed) == {"corrupt.docx", "empty.txt", "binary.txt", "notes.pdf", "yaml.txt",
                           "two.txt"}
    assert "unknown file type '.pdf'" in failed["notes.pdf"]
    assert "two.txt:3: 'policy' must be one value, not a list" in failed["two.txt"]
    assert "yaml.txt:2:" in failed["yaml.txt"]
    names = {r["name"] for r in project.store.documents()}
    assert names == {"G1", "G2"}  # nothing of a failed file is in the store
    segs = project.segments_frame()
    assert list(segs[segs.document == "G1"].text) == ["La voluntad política de la ministra.",
                                                     "Faltó presupuesto para las regiones."]


def _folder(tmp_path, count: int):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(count):
        write_txt(folder, f"t{i:02d}.txt", TURNS.replace("ministra", f"ministra {i}"),
                  id=f"T{i:02d}", country="Chile", role="expert", language="es")
    return folder


def test_an_import_writes_its_documents_in_one_transaction(project, tmp_path, monkeypatch):
    """A commit costs more than a document's rows: twenty documents, one BEGIN."""
    begun = []
    real = project.store._begin
    monkeypatch.setattr(project.store, "_begin", lambda: (begun.append(1), real())[1])
    monkeypatch.setattr(pipeline, "BATCH_SECONDS", 60.0)
    with Sentences(parallel=False) as split:
        report = import_paths(project, [_folder(tmp_path, 20)], split=split)
    assert report.ok and len(report.imported) == 20 and len(begun) == 1
    assert len(project.store.documents()) == 20
    again = import_paths(project, [tmp_path / "many"])  # nothing to write: no write lock
    assert len(again.unchanged) == 20 and len(begun) == 1


@pytest.mark.parametrize("seconds", [60.0, 0.0])
def test_a_document_failing_halfway_is_undone_alone(project, tmp_path, monkeypatch, seconds):
    """Each document is a savepoint of the batch: one that fails after writing rows (a
    full disk, a bug) leaves nothing, and the documents around it are all stored."""
    real = project.store.add_document

    def add_then_fail(doc, segments):
        document_id = real(doc, segments)
        if doc.name == "T07":
            raise QdaError("could not be written", doc.source_path)
        return document_id

    monkeypatch.setattr(project.store, "add_document", add_then_fail)
    monkeypatch.setattr(pipeline, "BATCH_SECONDS", seconds)  # one batch, or one each
    report = import_paths(project, [_folder(tmp_path, 12)])
    assert [str(e) for e in report.failed] == [f"{tmp_path}/many/t07.txt: could not be written"]
    names = sorted(r["name"] for r in project.store.documents())
    assert names == [f"T{i:02d}" for i in range(12) if i != 7]
    assert len(project.store.segments()) == 11 * 4
    assert project.store.integrity_problems() == []


def test_an_interrupted_import_leaves_whole_documents(project, tmp_path, monkeypatch):
    """Ctrl-C halfway: the batch being written is rolled back, every stored document is
    whole; with one batch for the whole import, the project is as it was."""
    real = project.store.add_document

    def interrupted(doc, segments):
        if doc.name == "T05":
            raise KeyboardInterrupt
        return real(doc, segments)

    monkeypatch.setattr(project.store, "add_document", interrupted)
    monkeypatch.setattr(pipeline, "BATCH_SECONDS", 60.0)
    with pytest.raises(KeyboardInterrupt):
        import_paths(project, [_folder(tmp_path, 8)])
    assert project.store.documents() == [] and project.store.segments() == []
    assert not project.store.db.in_transaction


def test_same_file_twice_adds_nothing_and_changed_file_is_reimported(project, tmp_path):
    path = write_txt(tmp_path, "a.txt", TURNS, id="A1")
    assert len(import_paths(project, [path]).imported) == 1
    again = import_paths(project, [path])
    assert not again.imported and "already imported" in again.unchanged[0][1]
    write_txt(tmp_path, "a.txt", TURNS + "\nP1: Una frase más.\n", id="A1")
    changed = import_paths(project, [path])  # re-anchoring: tests/test_reanchor.py
    assert changed.ok and "re-imported A1 (its text changed)" in changed.notes[0][1]
    assert len(project.segments_frame()) == 3


def test_docx_archive_bomb_is_refused(project, tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (50 * 2**20))
    report = import_paths(project, [path])
    assert "archive bomb" in str(report.failed[0])


def test_import_coded_csv(project, tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text(
        "document,text,codes,country,role\n"
        "D1,\"La voluntad política fue clave.\",positive_factors/political_will,Peru,expert\n"
        "D1,Sin comentarios.,,,\n"
        "D2,Hay que asegurar presupuesto.,recommendations/budget;challenges/budget,Chile,"
        "beneficiary\n", encoding="utf-8")
    report = import_coded(project, path, "ana")
    assert report.ok and len(report.imported) == 2
    docs = {r["name"]: r for r in project.store.documents()}
    assert docs["D1"]["country"] == "Peru" and docs["D2"]["role"] == "beneficiary"
    text = project.store.document_text(docs["D1"]["id"])
    assert text == "La voluntad política fue clave.\n\nSin comentarios.\n"
    codings = project.codings_frame()
    assert set(codings.code) == {"positive_factors/political_will", "recommendations/budget",
                                 "challenges/budget"}
    assert set(codings.status) == {"accepted"} and set(codings.coder) == {"ana"}
    assert set(codings.kind) == {"human"}
    assert len(project.store.reviews_frame()) == 3  # the empty-codes passage was reviewed too


def test_import_coded_csv_saved_with_semicolons(project, tmp_path):
    """Excel in a Spanish locale writes ';' between fields, and quotes a ';' inside one."""
    path = tmp_path / "coded.csv"
    path.write_bytes("document;text;codes;country\r\n"
                     "D1;Faltó presupuesto, sí.;"
                     "\"recommendations/budget;challenges/budget\";Perú\r\n"
                     .encode("cp1252"))
    assert import_coded(project, path, "ana").ok
    codings = project.codings_frame()
    assert set(codings.code) == {"recommendations/budget", "challenges/budget"}
    assert set(codings.country) == {"Peru"} and set(codings.text) == {"Faltó presupuesto, sí."}


def test_import_coded_jsonl_and_unknown_code_writes_nothing(project, tmp_path):
    path = tmp_path / "coded.jsonl"
    path.write_text('{"document": "D1", "text": "Texto uno.", "codes": ["challenges"]}\n'
                    '{"document": "D1", "text": "Texto dos.", "codes": ["nonsense/code"]}\n',
                    encoding="utf-8")
    report = import_coded(project, path, "ana")
    assert not report.ok and "coded.jsonl:2:" in str(report.failed[0])
    assert project.store.documents() == []


def test_import_codings_places_passages_on_segments(project, tmp_path):
    write_txt(tmp_path, "a.txt", TURNS, id="A1")
    import_paths(project, [tmp_path / "a.txt"])
    ref = tmp_path / "ref.csv"
    ref.write_text("document,text,codes\nA1,La voluntad política de la ministra.,"
                   "positive_factors/political_will\nA1,Faltó presupuesto,challenges/budget\n",
                   encoding="utf-8")
    assert import_codings(project, [ref], "reference").ok
    codings = project.codings_frame()
    assert list(zip(codings.text, codings.code)) == [
        ("La voluntad política de la ministra.", "positive_factors/political_will"),
        ("Faltó presupuesto para las regiones.", "challenges/budget")]
    assert import_codings(project, [ref], "reference").unchanged  # idempotent
    bad = tmp_path / "bad.csv"
    bad.write_text("document,text,codes\nA1,Un texto que no está,challenges\n", encoding="utf-8")
    report = import_codings(project, [bad], "reference")
    assert not report.ok and "passage not found" in str(report.failed[0])


def test_one_pipeline_below_the_dispatch_and_no_cycle():
    """pipeline.py dispatches every import; store_document (documents.py) and the REFI import
    sit below it and never import it back; the REFI writer borrows nothing from the import."""
    import ast

    from .conftest import REPO

    def imported(path):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        return found

    imports = {p.stem: imported(p) for p in (REPO / "qda" / "imports").glob("*.py")}
    assert "qda.imports.pipeline" not in imports["documents"] | imports["refi"] | imports[
        "reanchor"]
    assert "qda.imports.refi" not in imports["documents"] | imports["reanchor"]
    assert "qda.imports.documents" in imports["refi"] and "qda.imports.documents" in imports[
        "pipeline"]
    writer = imported(REPO / "qda" / "refi" / "writer.py")
    assert not any(m.startswith(("qda.refi.codes", "qda.refi.reader", "qda.imports"))
                   for m in writer)
