"""Bringing a real study in: interviewers found and fixed, attributes corrected, every file
accounted for, outputs by extension, ids always shown."""
from __future__ import annotations

import json

import openpyxl
from rich.console import Console

from qda.cli import _app, coding
from qda.imports.pipeline import import_paths, set_attributes, speaker_rows
from qda.ingest import read_document
from qda.ingest.speakers import settle
from qda.models import Coding

from .conftest import run_qda, write_txt

PODCAST = ("Cynthia: Welcome back to the show. How did the program start?\n\n"
           "Joe: It started in 2015 when the ministry funded girls' schooling in the valley, "
           "after years of pushing from the teachers' union and the mothers.\n\n"
           "Cynthia: What was hardest?\n\n"
           "Joe: The budget. Every year we had to fight for the same money again, and the "
           "regions never saw it on time.\n\n"
           "Cynthia: Why do you think that was?\n\n"
           "Joe: Nobody owned the program after the election; it had no line of its own.\n\n"
           "Cynthia: What would you recommend?\n\n"
           "Joe: A multi-year budget and local teams trained before the launch.\n")
QA = ("Q: ¿Cómo empezó el programa?\n\nA: Con un curso para las monitoras en Temuco y una "
      "feria cada mes.\n\nQ: ¿Qué faltó?\n\nA: Presupuesto para las regiones, siempre "
      "tarde.\n\nQ: ¿Y qué recomendaría?\n\nA: Un presupuesto plurianual.\n")


def _doc(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return read_document(path, {"ent", "entrevistadora", "interviewer"})


def test_named_interviewer_is_guessed_from_the_turns(tmp_path):
    doc = _doc(tmp_path, "pod.txt", PODCAST)
    decision = settle(doc, {"ent", "interviewer"})
    assert decision.labels == ["Cynthia"] and decision.how == "guessed" and decision.sure
    asked = {doc.text[p.start:p.end] for p in doc.paragraphs if p.is_interviewer}
    assert "What was hardest?" in asked and len(asked) == 4
    assert "Cynthia" in decision.message("US-01") and "guessed" in decision.message("US-01")


def test_q_and_a_transcript(tmp_path):
    doc = _doc(tmp_path, "qa.txt", QA)
    decision = settle(doc, {"ent"})
    assert decision.labels == ["Q"] and decision.sure
    assert [doc.text[p.start:p.end] for p in doc.paragraphs if not p.is_interviewer][-1] == \
        "Un presupuesto plurianual."


def test_two_interviewers_are_both_found(tmp_path):
    doc = _doc(tmp_path, "two.txt", "Ana: ¿Cómo empezó?\n\nCarmen: Con un curso en Temuco, "
               "hace años, cuando nadie creía en la feria.\n\nBea: ¿Y quién lo pagó?\n\n"
               "Carmen: La municipalidad, con fondos propios y mucho esfuerzo del equipo.\n\n"
               "Ana: ¿Qué faltó?\n\nCarmen: Plata para las regiones, siempre tarde y poca.\n\n"
               "Bea: ¿Qué recomendaría?\n\nCarmen: Un presupuesto de varios años.\n")
    assert sorted(settle(doc, set()).labels) == ["Ana", "Bea"]


def test_a_guess_the_turns_do_not_support_is_unsure(tmp_path):
    doc = _doc(tmp_path, "flat.txt", "Ana: Fue difícil.\n\nBea: Sí, muy difícil.\n\n"
                                     "Ana: Faltó plata.\n\nBea: Y tiempo.\n")
    assert not settle(doc, set()).sure


def test_metadata_and_settings_labels_win_over_a_guess(tmp_path):
    doc = _doc(tmp_path, "ent.txt", "ENT: Hola.\n\nP1: ¿Cómo dice?\n\nENT: Que hola.\n\n"
                                    "P1: ¿Por qué?\n")
    assert settle(doc, {"ent"}).labels == ["ENT"]
    doc.interviewers = ["P1"]
    assert settle(doc, {"ent"}).how == "metadata"


def test_import_says_who_the_interviewer_is_and_speakers_fixes_it(project, tmp_path):
    folder = project.root / "transcripts"
    write_txt(folder, "pod.txt", PODCAST, id="US-01", country="USA", role="expert")
    result = run_qda("import", "transcripts", cwd=project.root, check=True)
    assert "US-01: interviewer Cynthia (guessed" in result.stdout
    rows = {r["speaker"]: r for r in json.loads(
        run_qda("speakers", "US-01", "--json", cwd=project.root, check=True).stdout)}
    assert rows["Cynthia"]["role"] == "interviewer" and rows["Cynthia"]["turns"] == 4
    assert rows["Joe"]["role"] == "respondent" and rows["Joe"]["passages"] == 4
    # a person's decisions on Joe's passages survive two fixes of who the interviewer is
    joe = [s for s in project.store.segments(codable_only=True)]
    with project.store.transaction():
        project.store.upsert_human_codings([Coding(joe[1].id, "challenges", "ana", "human",
                                                   "accepted")])
    fixed = run_qda("speakers", "US-01", "--interviewer", "Joe", cwd=project.root)
    assert fixed.returncode == 0 and "need review" in fixed.stdout
    assert {r["speaker"]: r["role"] for r in speaker_rows(project, "US-01")} == {
        "Cynthia": "respondent", "Joe": "interviewer"}
    assert len(project.store.flagged()["detached"]) == 1  # kept, not lost
    run_qda("speakers", "US-01", "--interviewer", "Cynthia", cwd=project.root, check=True)
    again = run_qda("import", "transcripts", cwd=project.root, check=True)
    assert "unchanged" in again.stdout  # the choice holds on the next import
    bad = run_qda("speakers", "US-01", "--interviewer", "Zed", cwd=project.root)
    assert bad.returncode == 2 and "its speakers are Cynthia, Joe" in bad.stderr


def test_unsure_guess_warns(project, tmp_path):
    write_txt(tmp_path, "flat.txt", "Ana: Fue difícil.\n\nBea: Sí, muy difícil.\n\n"
                                    "Ana: Faltó plata.\n\nBea: Y tiempo.\n",
              id="X1", country="Chile", role="expert")
    result = run_qda("import", str(tmp_path / "flat.txt"), cwd=project.root, check=True)
    assert "warning: not sure who the interviewer is" in result.stderr
    assert "qda speakers X1 --interviewer LABEL" in " ".join(result.stderr.split())


def test_attributes_corrected_on_reimport_and_by_set_keep_codings(project, tmp_path):
    path = write_txt(tmp_path, "cl3.txt", QA, id="CL-03")
    first = import_paths(project, [path])
    assert [w for _, w in first.warnings] and "no country and no role" in first.warnings[0][1]
    seg = project.store.segments(codable_only=True)[0]
    with project.store.transaction():
        project.store.upsert_human_codings([Coding(seg.id, "challenges", "ana", "human",
                                                   "accepted")])
    (tmp_path / "interviews.csv").write_text("file,country,role\ncl3.txt,Chile,expert\n",
                                             encoding="utf-8")
    again = import_paths(project, [path])
    assert {c for _, c in again.changed} == {"CL-03: country (none) -> Chile",
                                             "CL-03: role (none) -> expert"}
    write_txt(tmp_path, "cl3.txt", QA, id="CL-03", country="Perú")
    assert [c for _, c in import_paths(project, [path]).changed] == [
        "CL-03: country Chile -> Peru"]
    assert set_attributes(project, ["CL-03"], {"role": "beneficiaria", "country": None}) == [
        "CL-03: role expert -> beneficiary"]
    row = project.store.documents()[0]
    assert (row["country"], row["role"]) == ("Peru", "beneficiary")
    assert len(project.codings_frame(status="accepted")) == 1  # the coding is still there
    cli_set = run_qda("set", "CL-03", "--country", "Chile", cwd=project.root, check=True)
    assert "CL-03: country Peru -> Chile" in cli_set.stdout
    assert run_qda("set", "CL-03", cwd=project.root).returncode == 2


def test_every_file_accounted_for(project, tmp_path):
    folder = tmp_path / "incoming"
    (folder / "codings").mkdir(parents=True)
    write_txt(folder, "a.txt", QA, id="A1", country="Chile", role="expert")
    for name in ("data.json", "sheet.xlsx", "NOTES", "codings/one.csv", "codings/two.csv"):
        (folder / name).write_text("x", encoding="utf-8")
    report = import_paths(project, [folder])
    skipped = dict(report.skipped)
    assert "qda does not read files without an extension" in skipped[str(folder / "NOTES")]
    # one line per folder and reason
    assert "not a transcript" in skipped[f"2 files in {folder} (data.json, sheet.xlsx)"]
    assert "not a transcript" in skipped[f"2 files in {folder / 'codings'} (one.csv, two.csv)"]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_qda("import", str(empty), cwd=project.root)
    assert result.returncode == 1 and "no transcripts here" in result.stderr


def test_export_codings_by_extension(project, tmp_path):
    path = write_txt(tmp_path, "a.txt", QA, id="A1", country="Chile", role="expert")
    import_paths(project, [path])
    seg = project.store.segments(codable_only=True)[0]
    with project.store.transaction():
        project.store.upsert_human_codings([Coding(seg.id, "challenges", "ana", "human",
                                                   "accepted")])
    run_qda("export", "codings", "out.xlsx", cwd=project.root, check=True)
    sheet = openpyxl.load_workbook(project.root / "out.xlsx")["Codings"]
    assert sheet["A1"].value == "document" and sheet["A2"].value == "A1"
    assert sheet.max_row == 2
    bad = run_qda("export", "codings", "out.txt", cwd=project.root)
    assert bad.returncode == 2 and not (project.root / "out.txt").exists()


def test_next_shows_ids_on_a_narrow_terminal(project, tmp_path, monkeypatch):
    path = write_txt(tmp_path, "a.txt", QA, id="LONG-DOCUMENT-07", country="Chile",
                     role="expert")
    import_paths(project, [path])
    narrow = Console(width=40, record=True)
    monkeypatch.setattr(coding, "out", narrow)
    monkeypatch.setattr(_app, "state", {"project": project.root})
    coding.next_(n=3, json_=False)
    shown = narrow.export_text()
    for seg in project.store.segments(codable_only=True):
        assert f" {seg.id} " in shown
    assert "LONG-DOCUMENT-07" in shown


def test_python_dash_m_and_the_codebook_as_real_package_data():
    import subprocess
    import sys
    from importlib import metadata

    import qda
    from qda.project import default_codebook_dir
    folder = default_codebook_dir()
    assert not folder.is_symlink() and (folder / "codebook.yaml").is_file()
    assert all(not p.is_symlink() for p in folder.rglob("*"))
    assert qda.__version__ == metadata.version("qda")  # one version
    shown = subprocess.run([sys.executable, "-m", "qda", "--help"], capture_output=True,
                           text=True, timeout=120)
    assert shown.returncode == 0 and "speakers" in shown.stdout
