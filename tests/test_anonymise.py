"""`qda anonymise`: names out of every text, offsets intact, exactly reversible by key."""
from __future__ import annotations

import json
import os

import pytest

from qda.coders.autocode import autocode
from qda.errors import QdaError
from qda.imports.pipeline import import_paths
from qda.models import Coding
from qda.privacy.pseudonymise import anonymise, name_forms, reverse
from qda.privacy.redact import people
from qda.project import open_project as qda_open

from .conftest import run_qda, write_txt

NAMES = ["Verónica", "Sepúlveda", "Lagos", "Juan Pérez", "Pérez", "Luz Marina", "Rojas",
         "MILAGROS", "Huamán"]

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Entrevistadora>Buenas tardes, doña Luz Marina. ¿Qué funcionó en el programa?

00:00:05.000 --> 00:00:09.000
<v Luz Marina Rojas>La voluntad política del alcalde y la red de mujeres, señorita.

00:00:10.000 --> 00:00:14.000
<v Entrevistadora>¿Y qué faltó?

00:00:15.000 --> 00:00:19.000
<v Luz Marina Rojas>Faltó presupuesto. Hay que asegurar recursos permanentes.
"""


CL = ("ENT: Hola, Verónica. ¿Qué funcionó?\n\n"
      "[00:00:10] MILAGROS HUAMÁN: Perdón, me colé. Soy Milagros.\n\n"
      "P1: La voluntad política de la ministra y Juan Pérez, que nos apoyó mucho. "
      "Pérez conocía a todos.\n\n"
      "ENT: ¿Y las dificultades, señora Sepúlveda?\n\n"
      "P1: Faltó presupuesto para las regiones; hay que asegurar recursos.\n")
META = dict(id="CL-01", country="Chile", role="expert", interviewer="[ENT]",
            participant="Verónica Sepúlveda Lagos", names="[Juan Pérez, Milagros Huamán]")


def build(project, tmp_path, suggest: bool = True):
    """Two interviews with names in metadata, labels, text, memos, and a coding detached
    from a passage (naming Juan Pérez) that a later edit of the transcript removed."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_txt(folder, "cl.txt", CL, **META)
    (folder / "co.vtt").write_text(VTT, encoding="utf-8")
    assert import_paths(project, [folder]).ok
    store = project.store
    project.codebook
    seg = next(s for s in store.segments(codable_only=True) if "Juan Pérez" in s.text)
    with store.transaction():
        store.upsert_human_codings([Coding(seg.id, "positive_factors", "ana", "human",
                                           "accepted")])
        store.add_memo_once("Verónica Sepúlveda insiste en Juan Pérez", "ana",
                            segment_id=seg.id)
    write_txt(folder, "cl.txt", CL.replace(seg.text, "Eso lo prefiero no comentar."), **META)
    assert import_paths(project, [folder / "cl.txt"]).reanchored[0].review == 1
    if suggest:
        autocode(project)
    with store.transaction():
        store.add_memo_once("Comparar con Luz Marina Rojas (CO)", "ana")
    return store


def dump(store) -> list[str]:
    return list(store.db.iterdump())


def evidence_slices(project) -> set[tuple[int, str, str]]:
    """Every rule hit's words as the passage text at its offsets."""
    found = set()
    for r in project.codings_frame().itertuples():
        evidence = json.loads(r.evidence) if isinstance(r.evidence, str) else {}
        for hit in evidence.get("rules", []):
            if hit.get("where") == "passage":
                found.add((r.segment_id, hit["rule"], r.text[hit["start"]:hit["end"]]))
    return found


def test_anonymise_removes_every_name_and_reverses_exactly(project, tmp_path):
    store = build(project, tmp_path)
    from qda.review import Review
    funds = next(s for s in store.segments(codable_only=True) if "asegurar recursos." in s.text)
    at = funds.start + funds.text.index("asegurar recursos")
    Review(project, "ana").add(funds.id, "recommendations", (at, at + 17))  # after a name
    before, slices = dump(store), evidence_slices(project)
    assert slices and all(name in "\n".join(before) for name in NAMES)
    assert "Juan Pérez" in store.flagged()["detached"][0]["old_text"]
    report = anonymise(project, tmp_path / "keys" / "key.json")
    assert report.documents == 2 and report.memos == 2
    after = "\n".join(dump(store))
    assert [name for name in NAMES if name in after] == []
    assert "P-CL-01" in after and "P-IV002" in after and "N-CL-01" in after
    assert "'co'" not in after  # the file-named interview is renamed: no name from files
    for doc in store.documents():
        text = store.document_text(doc["id"])
        assert all(text[s.start:s.end] == s.text for s in store.segments(doc["id"]))
    assert evidence_slices(project) == slices  # rule evidence still points at its words
    parts = project.codings_frame(parts=True).query("code == 'recommendations'")
    assert list(parts.text) == ["asegurar recursos"]  # a coded part stays on its words
    assert len(project.codings_frame()) == sum('INSERT INTO "codings"' in x for x in before)
    speakers = set(project.segments_frame(include_interviewer=True).speaker.dropna())
    assert speakers == {"ENT", "P1", "N-CL-01-2", "Entrevistadora", "P-IV002"}
    key = tmp_path / "keys" / "key.json"
    assert os.stat(key).st_mode & 0o777 == 0o600

    # the original file again changes nothing; an edited one is refused while anonymised
    assert not import_paths(project, [tmp_path / "in" / "cl.txt"]).imported
    assert not import_paths(project, [tmp_path / "in" / "co.vtt"]).imported
    edited = write_txt(tmp_path / "in", "cl.txt", CL.replace("Faltó", "Faltó mucho"), **META)
    refused = import_paths(project, [edited])
    assert "has been anonymised" in str(refused.failed[0])

    assert reverse(project, key).documents == 2
    assert dump(store) == before
    with pytest.raises(QdaError, match="already reversed"):
        reverse(project, key)


def test_the_key_stays_outside_the_project_and_is_never_overwritten(project, tmp_path):
    build(project, tmp_path, suggest=False)
    for inside in (project.root / "outputs" / "key.json", project.root / "key.json"):
        with pytest.raises(QdaError, match="inside the project folder"):
            anonymise(project, inside)
    taken = tmp_path / "taken.json"
    taken.write_text("{}")
    with pytest.raises(QdaError, match="never overwrite a key"):
        anonymise(project, taken)
    result = run_qda("--project", project.root, "anonymise", "--key", tmp_path / "k.json")
    assert result.returncode == 0 and "anonymised 2 document(s)" in result.stdout
    assert run_qda("--project", project.root, "anonymise", "--key",
                   project.root / "outputs" / "k.json").returncode == 1
    back = run_qda("--project", project.root, "anonymise", "--reverse", "--key",
                   tmp_path / "k.json")
    assert back.returncode == 0 and "restored 2 document(s)" in back.stdout


def test_name_forms_cover_how_people_are_addressed():
    forms = name_forms("Dr. Mariana Solís de la Torre")
    assert {"Dr. Mariana Solís de la Torre", "Mariana Solís", "Solís", "Torre",
            "MARIANA SOLÍS"} <= set(forms)
    assert not {"de", "la", "Dr."} & set(forms)


def test_reports_and_anonymise_find_the_same_names(project, tmp_path):
    """Spanish metadata keys, a "; " list and a configured interviewer label: every name
    reports keep out of print is a name anonymise replaces, and no role label is."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_txt(folder, "pe.txt", "MOD: ¿Qué funcionó, Rosa?\n\nP1: Tomás Lazo nos apoyó.\n\n"
              "MOD: ¿Y después?\n\nP1: Carmen Ríos, y Inés Vargas lo sabe. La profe "
              "Yaneth Mora también; Yaneth iba casa por casa, con la señorita Elena.\n",
              id="PE-02", country="Perú", role="beneficiary", participante="Rosa Quispe",
              entrevistadora="Inés Vargas", mencionados="Tomás Lazo; Carmen Ríos")
    write_txt(folder, "co.txt", "MOD: ¿Quién ayudó?\n\nP1: La señorita Elena.\n\nMOD: ¿Y?\n\n"
              "P1: Nada más.\n", id="CO-09", country="Colombia", role="beneficiary")
    project.settings.interviewer_labels.append("MOD")
    assert import_paths(project, [folder]).ok
    who = people(project)
    names = ["Rosa Quispe", "Inés Vargas", "Tomás Lazo", "Carmen Ríos"]
    assert all(who.named_in(name) for name in names)
    assert not who.named_in("MOD") and not who.named_in("P1")
    assert who.named_in("la profe Yaneth Mora") and not who.named_in("la profe de inglés")
    before = dump(project.store)
    anonymise(project, tmp_path / "key.json")
    after = "\n".join(dump(project.store))
    key = json.loads((tmp_path / "key.json").read_text(encoding="utf-8"))
    elenas = sorted(p for p, name in key["people"].items() if name == "Elena")
    # one first name, two interviews: two people
    assert elenas == ["N-CO-09", "N-PE-02-4"], key["people"]
    assert [part for name in names + ["Yaneth Mora"] for part in name.split()
            if part in after] == []
    assert "P-PE-02" in after and "I-PE-02" in after and "N-PE-02" in after
    assert "La profe N-PE-02-3 también; N-PE-02-3 iba" in after  # nobody listed her
    speakers = set(project.segments_frame(include_interviewer=True).speaker.dropna())
    assert speakers == {"MOD", "P1"}
    reverse(project, tmp_path / "key.json")
    assert dump(project.store) == before


FILE_NAMED = ("ENT: ¿Qué funcionó en el programa?\n\n"
              "P1: Yo soy Rosa, y la Carmen me ayudó con las cuentas del comité.\n\n"
              "ENT: ¿Y qué faltó?\n\n"
              "P1: Faltó presupuesto; la señora Ríos lo dijo en la asamblea.\n")


def _store_bytes(project) -> str:
    """Every byte of the store's files (database, WAL, shared memory), as lower-case text."""
    path = project.store.path
    blobs = [p.read_bytes() for p in (path, path.with_name(path.name + "-wal"),
                                      path.with_name(path.name + "-shm")) if p.exists()]
    return b"".join(blobs).decode("utf-8", "replace").casefold()


def test_a_file_named_after_its_participant_leaves_no_name_anywhere(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_txt(folder, "Rosa Quispe.txt", FILE_NAMED, country="Peru", role="beneficiary",
              title="Entrevista a Rosa Quispe Mamani", mencionados="Carmen Ríos")
    assert import_paths(project, [folder]).ok
    model = project.store.path.parent / "models"
    model.mkdir()
    (model / "model.skops").write_bytes(b"vocabulary: rosa quispe carmen rios")
    (project.root / "outputs" / "quotes.csv").write_text("Rosa Quispe said", encoding="utf-8")
    result = run_qda("--project", project.root, "anonymise", "--key", tmp_path / "k.json")
    assert result.returncode == 0, result.stderr
    assert "deleted the trained model" in result.stdout and not model.joinpath(
        "model.skops").exists()
    assert "quotes.csv" in result.stderr and "may still hold names" in result.stderr
    project.store.close()
    raw = _store_bytes(project)
    for word in ("rosa", "quispe", "mamani", "carmen", "ríos"):
        assert word not in raw, word
    with qda_open(project.root) as again:
        [doc] = again.store.documents()
        assert doc["name"] == "IV001" and "P-IV001" in again.store.document_text(doc["id"])
        assert not any(w in json.dumps(dict(doc), ensure_ascii=False).casefold()
                       for w in ("rosa", "quispe"))


def test_a_failed_anonymise_leaves_no_key_behind(project, tmp_path, monkeypatch):
    build(project, tmp_path, suggest=False)
    before = dump(project.store)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("qda.privacy.pseudonymise.json.dump", full)
    with pytest.raises(QdaError, match="disk is full"):
        anonymise(project, tmp_path / "k.json")
    assert not (tmp_path / "k.json").exists() and not list(tmp_path.glob(".k.json*"))
    assert dump(project.store) == before
    monkeypatch.undo()
    assert anonymise(project, tmp_path / "k.json").documents == 2  # a retry is not refused
