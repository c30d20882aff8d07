"""REFI-QDA exchange: .qdpx/.qdc export and import (issue 9, issue 4 item 5).

The schemas and the other tools' sample files are read from ../shared/refi-qda/ (never
copied here); every foreign file with a trap or an attack is built by the test itself.
"""
from __future__ import annotations

import io
import json
import random
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
import xmlschema

import qda
from qda.codebook import model as codebook
from qda.errors import QdaError
from qda.imports.pipeline import import_paths
from qda.imports.refi import import_codebook, import_project
from qda.models import Coding
from qda.refi.writer import write_qdc, write_qdpx
from qda.text import archives

from .conftest import REPO, coded_sample, run_qda

SHARED = REPO.parent / "shared" / "refi-qda"
SAMPLES = SHARED / "samples"
NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture(scope="module")
def shared():
    if not (SHARED / "Project.xsd").is_file():
        pytest.skip(f"the REFI-QDA schemas and samples are not in {SHARED}")
    return {"project": xmlschema.XMLSchema(str(SHARED / "Project.xsd")),
            "codebook": xmlschema.XMLSchema(str(SHARED / "Codebook.xsd"))}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The sample corpus with its reference coding, memos of every kind, a machine
    suggestion and a rejected coding."""
    root = tmp_path_factory.mktemp("demo") / "study"
    with coded_sample(root) as project:
        store = project.store
        coded = project.codings_frame().iloc[0]
        uncoded = [s for s in store.segments(codable_only=True)
                   if s.id not in set(project.codings_frame().segment_id)]
        ids = store.code_ids()
        with store.transaction():
            store.add_memo_once("Passage memo:\nshe contradicts CL-02 here.", "ana",
                                segment_id=int(coded.segment_id))
            store.add_memo_once("Why this code here", "ana", segment_id=int(coded.segment_id),
                                code_id=ids[coded.code])
            store.add_memo_once("Document memo", "luis", document_id=uncoded[0].document_id)
            store.add_memo_once("Code memo: merge with coordination?", "luis",
                                code_id=ids["challenges/budget"])
            store.add_memo_once("Project memo", "luis")
            store.replace_suggestions("rules", [uncoded[0].id], [Coding(
                uncoded[0].id, "challenges/budget", "rules", "rules", confidence=0.8,
                evidence={"rules": []})])
            store.upsert_human_codings([Coding(uncoded[1].id, "sustainability", "ana", "human",
                                               "rejected")])
        yield project


def qde_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def make_qdpx(path: Path, qde: str | bytes, files: dict[str, bytes] | None = None) -> Path:
    """A .qdpx as another tool (or an attacker) would write it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def project_xml(body: str, users: str = '<User guid="{ana}" name="Ana"/>') -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS["q"]}" name="t" '
            f'origin="Other tool 1.0"><Users>{users}</Users>{body}</Project>'
            ).replace("{ana}", ANA)


ANA = "20000000-0000-0000-0000-000000000000"


def guid(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012d}"


# -- export --------------------------------------------------------------------------------------
def test_qdpx_export_is_valid_exact_and_private(demo, shared, tmp_path):
    out = tmp_path / "study.qdpx"
    summary = write_qdpx(demo, out)
    qde = qde_of(out)
    shared["project"].validate(qde.decode("utf-8"))
    root = ElementTree.fromstring(qde)
    docs = {d["name"]: d for d in demo.store.documents()}
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert sorted(s.get("name") for s in sources) == sorted(docs) and summary.sources == 12
    codings = demo.codings_frame(status="accepted")
    with zipfile.ZipFile(out) as archive:
        for source in sources:
            data = archive.read("sources/" + source.get("plainTextPath").split("://")[1])
            assert not data.startswith(b"\xef\xbb\xbf")
            text = data.decode("utf-8")
            assert text == demo.store.document_text(docs[source.get("name")]["id"])
            mine = codings[codings.document == source.get("name")]
            for sel in source.findall("q:PlainTextSelection", NS):
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                passage = text[start:end]
                assert passage in set(mine.text)  # positions count code points of this text
        blob = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8")
    for doc in docs.values():  # participant names and other metadata never leave
        extra = json.loads(doc["extra"])
        if extra.get("participant"):
            assert extra["participant"] not in blob
        for key in ("note", "title"):
            if extra.get(key):
                assert extra[key] not in qde.decode("utf-8")
    assert {u.get("name") for u in root.findall("q:Users/q:User", NS)} == {
        "reference", "ana", "luis"}
    assert summary.codings == len(codings) == len(root.findall(".//q:Coding", NS))
    assert {v.get("name") for v in root.findall("q:Variables/q:Variable", NS)} == {
        "country", "role", "policy", "sector", "language", "date", "interviewer"}
    cases = root.findall("q:Cases/q:Case", NS)
    assert len(cases) == 12 and all(len(c.findall("q:VariableValue", NS)) == 7 for c in cases)
    assert len(root.findall("q:Notes/q:Note", NS)) == 5 and root.find("q:NoteRef", NS) is not None
    assert "rules" not in blob.split("<Users>")[1].split("</Users>")[0]


def test_suggestions_only_on_request_and_marked_as_machine(demo, shared, tmp_path):
    out = tmp_path / "with.qdpx"
    write_qdpx(demo, out, include_suggested=True)
    shared["project"].validate(qde_of(out).decode("utf-8"))
    root = ElementTree.fromstring(qde_of(out))
    rules = [u for u in root.findall("q:Users/q:User", NS) if u.get("name") == "rules"]
    assert len(rules) == 1 and rules[0].get("id") == "qda:rules"
    by_rules = root.findall(f".//q:Coding[@creatingUser='{rules[0].get('guid')}']", NS)
    assert len(by_rules) == 1
    status = demo.codings_frame().status
    assert (status == "rejected").sum() == 1  # rejected codings are never exported
    assert len(root.findall(".//q:Coding", NS)) == (status != "rejected").sum()
    with qda.init_project(tmp_path / "back") as back:
        import_project(back, out)
        suggested = back.codings_frame(status="suggested")
        assert list(zip(suggested.coder, suggested.kind, suggested.code)) == [
            ("rules", "rules", "challenges/budget")]
        assert back.codings_frame(status="accepted").coder.unique().tolist() == ["reference"]


def test_qdc_export_validates_with_stable_guids_and_reimports_to_the_same_tree(
        demo, shared, tmp_path):
    first, second = tmp_path / "a.qdc", tmp_path / "b.qdc"
    assert write_qdc(demo, first, "en") == 32
    write_qdc(demo, second, "en")
    shared["codebook"].validate(str(first))
    root = ElementTree.fromstring(first.read_bytes())
    axes = root.findall("{urn:QDA-XML:codebook:1.0}Codes/{urn:QDA-XML:codebook:1.0}Code")
    assert [a.get("name") for a in axes][:2] == ["Positive factors", "Difficulties or challenges"]
    assert all(a.get("isCodable") == "true" and a.get("color") for a in axes)
    assert "Commitment of authorities" in first.read_text(encoding="utf-8")
    guids = re.findall(r'guid="([^"]+)"', first.read_text(encoding="utf-8"))
    assert guids == re.findall(r'guid="([^"]+)"', second.read_text(encoding="utf-8"))
    assert len(set(guids)) == 32
    with qda.init_project(tmp_path / "fresh") as fresh:
        before = (fresh.root / "codebook" / "codebook.yaml").read_bytes()
        result = import_codebook(fresh, first)
        assert not result.codes_added and len(result.codes_matched) == 32
        assert (fresh.root / "codebook" / "codebook.yaml").read_bytes() == before


def test_foreign_tree_survives_qdc_round_trip(shared, tmp_path):
    """Codes kept from another tool (deep, flagged roots) export and re-import unchanged."""
    with qda.init_project(tmp_path / "a") as a:
        import_codebook(a, foreign_qdc(tmp_path / "foreign.qdc"))
        out = tmp_path / "a.qdc"
        write_qdc(a, out)
        shared["codebook"].validate(str(out))
        tree = [(c.path, c.labels, c.colour) for c in a.codebook.codes]
    text = out.read_text(encoding="utf-8")
    nested = (r'name="Misc"[^>]*>\s*<Description>[^<]*</Description>\s*<Code [^>]*'
              r'name="Level two"[^>]*>\s*<Description>[^<]*</Description>\s*<Code [^>]*'
              r'name="Level three"')
    assert re.search(nested, text)
    with qda.init_project(tmp_path / "b") as b:
        import_codebook(b, out)
        assert [(c.path, c.labels, c.colour) for c in b.codebook.codes] == tree


# -- codebook import -----------------------------------------------------------------------------
def foreign_qdc(path: Path) -> Path:
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo 14">
 <Codes>
  <Code guid="{guid(1)}" name="Political Will" isCodable="true"/>
  <Code guid="{guid(2)}" name="Dificultades o desafíos" isCodable="false">
   <Code guid="{guid(3)}" name="Budget" isCodable="true"/>
   <Code guid="{guid(4)}" name="Burocracia" isCodable="true"><Description>Red tape.</Description>
    <Code guid="{guid(5)}" name="Permisos" isCodable="true"/>
   </Code>
  </Code>
  <Code guid="{guid(6)}" name="Participation" isCodable="true"/>
  <Code guid="{guid(7)}" name="Sustainabilty" isCodable="true"/>
  <Code guid="{guid(8)}" name="Misc" isCodable="true" color="rgb(255, 0, 10)">
   <Code guid="{guid(9)}" name="Level two" isCodable="true">
    <Code guid="{guid(10)}" name="Level three" isCodable="true"/>
   </Code>
   <Code guid="{guid(11)}" name="2023" isCodable="true"/>
  </Code>
 </Codes>
 <Sets><Set guid="{guid(12)}" name="Favourites"><MemberCode guid="{guid(1)}"/></Set></Sets>
</CodeBook>""", encoding="utf-8")
    return path


def test_qdc_import_maps_appends_and_lists_what_it_skips(project, tmp_path):
    book = project.root / "codebook" / "codebook.yaml"
    before = book.read_text(encoding="utf-8")
    result = import_codebook(project, foreign_qdc(tmp_path / "foreign.qdc"))
    matched = {name: path for name, path, _ in result.codes_matched}
    assert matched == {"Political Will": "positive_factors/political_will",
                       "Dificultades o desafíos": "challenges", "Budget": "challenges/budget",
                       "Sustainabilty": "sustainability"}
    assert result.codes_added == ["challenges/burocracia", "challenges/burocracia__permisos",
                                  "participation", "misc", "misc/level_two",
                                  "misc/level_two__level_three", "misc/c_2023"]
    assert any("'Participation' could be any of" in s for s in result.notes)
    assert any("sets are not kept" in s and "Favourites" in s for s in result.skipped)
    after = book.read_text(encoding="utf-8")
    assert after.startswith(before)  # appended: comments and layout above are untouched
    assert "# ---" in after[len(before):] and "origin: refi" in after[len(before):]
    assert codebook.problems(book) == []
    loaded = project.codebook
    assert loaded["misc"].colour == "#FF000A" and loaded["misc"].info["origin"] == "refi"
    assert loaded["challenges/burocracia"].info["definition"]["en"] == "Red tape."
    assert loaded["misc/level_two"].labels == {"es": "Level two", "en": "Level two"}
    assert "misc/level_two" in project.store.code_ids()  # synced into the store
    again = import_codebook(project, tmp_path / "foreign.qdc")  # by GUID: nothing twice
    assert not again.codes_added and book.read_text(encoding="utf-8") == after


def test_codebook_accepts_unknown_roots_only_when_flagged(tmp_path):
    base = (REPO / "qda" / "data" / "codebook" / "codebook.yaml").read_text(encoding="utf-8")
    path = tmp_path / "codebook.yaml"

    def check(addition: str) -> list[str]:
        path.write_text(base + addition, encoding="utf-8")
        return [p.message for p in codebook.problems(path)]

    entry = ('  - code: {code}\n{flag}    label: {{es: "x", en: "x"}}\n'
             '    definition: "x"\n')
    flagged = entry.format(code="misc", flag="    origin: refi\n")
    assert check(flagged) == []
    assert check(flagged + entry.format(code="misc/sub", flag="    origin: refi\n")) == []
    assert any("theme under no axis" in p for p in check(entry.format(code="misc", flag="")))
    assert any("unknown parent 'other'" in p
               for p in check(entry.format(code="other/sub", flag="    origin: refi\n")))
    assert any("unknown origin 'nvivo'" in p
               for p in check(entry.format(code="misc", flag="    origin: nvivo\n")))


# -- the samples of other tools ------------------------------------------------------------------
def expected_counts(path: Path) -> dict:
    """Counts read straight from the file, independently of qda's reader."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("project.qde"))
        members = {n.casefold(): n for n in archive.namelist()}
        with_text = []
        for source in root.iter(f"{{{NS['q']}}}TextSource"):
            plain = source.get("plainTextPath", "").split("://")[-1]
            text = archive.read(members[f"sources/{plain}".casefold()]).decode("utf-8-sig")
            rich = source.get("richTextPath", "").split("://")[-1]
            if not text.strip() and rich:
                word = docx.Document(io.BytesIO(archive.read(members[f"sources/{rich}"])))
                text = "\n".join(p.text for p in word.paragraphs)
            if text.strip():
                with_text.append(source)
    selections = {s.get("name"): len(s.findall("q:Coding", NS))
                  for s in root.iter(f"{{{NS['q']}}}PlainTextSelection")}
    return {"codes": len(list(root.iter(f"{{{NS['q']}}}Code"))),
            "users": {u.get("name") for u in root.iter(f"{{{NS['q']}}}User")},
            "sources": len(list(root.iter(f"{{{NS['q']}}}TextSource"))),
            "documents": len(with_text), "selections": selections,
            "codings": sum(selections.values())}


@pytest.mark.parametrize("sample, documents, codes", [
    ("atlasti-small.qdpx", 0, 3), ("nvivo-small.qdpx", 0, 262), ("qc-demo.qdpx", 2, 262)])
def test_samples_import_with_their_counts(shared, tmp_path, sample, documents, codes):
    path = SAMPLES / sample
    expected = expected_counts(path)
    assert (expected["documents"], expected["codes"]) == (documents, codes)
    with qda.init_project(tmp_path / "p") as project:
        result = import_project(project, path)
        assert len(result.codes_added) + len(result.codes_matched) == expected["codes"]
        assert codebook.problems(project.root / "codebook" / "codebook.yaml") == []
        assert len(result.documents) == len(project.store.documents()) == documents
        empty = expected["sources"] - documents
        assert sum("has no text" in s for s in result.skipped) == empty
        assert set(result.coders) <= expected["users"]
        # every selection and coding is either brought in or listed with its reason
        listed = {m.group(1) for s in result.skipped
                  if (m := re.search(r"selection '([^']+)'", s))}
        assert result.selections + len(listed) == len(expected["selections"])
        assert result.codings_read + sum(expected["selections"][n] for n in listed) == \
            expected["codings"]
        assert result.codings_added == len(project.codings_frame())
        if sample == "qc-demo.qdpx":
            # board members who speak once ("John:", "Speaker 3:") open turns of their own,
            # so their selections are no longer inside the Moderator's turns
            assert (result.selections, result.codings_read) == (149, 192)
            assert all("turns of Moderator" in s for s in result.skipped if "selection" in s)
            board = project.store.find_document("board_2017")
            text = project.store.document_text(board["id"])
            raw = zipfile.ZipFile(path).read("sources/board_2017.txt").decode("utf-8")
            assert text == raw
            first = project.codings_frame().iloc[0]
            assert json.loads(first.evidence)["refi"]["spans"] == [[320, 400]]
            assert text[320:400].strip() in first.text
            assert first.coder == "cp" and first.status == "accepted" and first.kind == "human"
            assert "positive_factors/political_will" in {c for _, c, _ in result.codes_matched}
        again = import_project(project, path)  # the same file twice adds nothing
        assert not again.documents and not again.codes_added and again.codings_added == 0


# -- traps of other tools ------------------------------------------------------------------------
# decomposed accents (e + U+0301) before the quotes: stored NFC, so offsets must be mapped
TRAP_TEXT = ("ENT: ¿Que\u0301 funciono\u0301? 😀\r\n\r\nP1: La voluntad política de la "
             "alcaldesa fue clave 👍🏽 para todo.\r\n\r\nENT: ¿Y las dificultades?\r\n\r\n"
             "P1: Faltó presupuesto y la rotación de personal nos golpeó fuerte.\r\n")
QUOTES = ("La voluntad política de la alcaldesa fue clave", "Faltó presupuesto y la rotación")


def units(text: str, unit: str, crlf_as_one: bool) -> int:
    if crlf_as_one:
        text = text.replace("\r\n", "\n")
    return {"code points": len(text), "UTF-16 units": len(text.encode("utf-16-le")) // 2,
            "UTF-8 bytes": len(text.encode("utf-8"))}[unit]


def trap_project(path: Path, unit: str, crlf_as_one: bool, bom: bool, folder: str,
                 extra_selections: str = "") -> Path:
    selections = ""
    for i, quote in enumerate(QUOTES):
        a = TRAP_TEXT.index(quote)
        start = units(TRAP_TEXT[:a], unit, crlf_as_one)
        end = units(TRAP_TEXT[:a + len(quote)], unit, crlf_as_one)
        selections += (f'<PlainTextSelection guid="{guid(100 + i)}" name="{quote[:24]}…" '
                       f'startPosition="{start}" endPosition="{end}">'
                       f'<Coding guid="{guid(200 + i)}" creatingUser="{ANA}">'
                       f'<CodeRef targetGUID="{guid(300 + i)}"/><NoteRef targetGUID="{guid(500)}"/>'
                       '</Coding></PlainTextSelection>')
    body = (f'<CodeBook><Codes><Code guid="{guid(300)}" name="Voluntad política" '
            f'isCodable="true"/><Code guid="{guid(301)}" name="Budget cuts" isCodable="true" '
            f'color="rgb(10, 20, 30)"/></Codes></CodeBook>'
            f'<Variables><Variable guid="{guid(400)}" name="País" typeOfVariable="Text"/>'
            f'<Variable guid="{guid(401)}" name="Rol" typeOfVariable="Text"/>'
            f'<Variable guid="{guid(402)}" name="Fecha" typeOfVariable="Date"/>'
            f'<Variable guid="{guid(403)}" name="Edad" typeOfVariable="Integer"/></Variables>'
            f'<Cases><Case guid="{guid(410)}" name="Caso 1">'
            + "".join(f'<VariableValue><VariableRef targetGUID="{guid(400 + k)}"/><{t}>{v}</{t}>'
                      '</VariableValue>' for k, t, v in [(0, "TextValue", "perú"),
                                                         (1, "TextValue", "Experta"),
                                                         (2, "DateValue", "2022-02-01"),
                                                         (3, "IntegerValue", "47")])
            + f'<SourceRef targetGUID="{guid(600)}"/></Case></Cases>'
            f'<Sources><TextSource guid="{guid(600)}" name="Entrevista 1" '
            f'plainTextPath="internal://{guid(600)}.txt">{selections}{extra_selections}'
            f'</TextSource></Sources>'
            f'<Notes><Note guid="{guid(500)}" name="Ojo" creatingUser="{ANA}" '
            f'creationDateTime="2023-05-01T10:00:00Z"><PlainTextContent>Ojo: contrastar con '
            f'la entrevista 2.</PlainTextContent></Note></Notes>')
    data = (b"\xef\xbb\xbf" if bom else b"") + TRAP_TEXT.encode("utf-8")
    return make_qdpx(path, project_xml(body), {f"{folder}/{guid(600)}.txt": data})


@pytest.mark.parametrize("unit, crlf_as_one, bom, folder", [
    ("code points", False, True, "sources"),
    ("code points", True, False, "Sources"),
    ("UTF-16 units", False, True, "Sources"),
    ("UTF-16 units", True, True, "sources"),
    ("UTF-8 bytes", False, False, "sources"),
    ("UTF-8 bytes", True, True, "Sources")])
def test_offsets_boms_line_ends_and_folder_case(project, tmp_path, unit, crlf_as_one, bom,
                                                folder):
    path = trap_project(tmp_path / "trap.qdpx", unit, crlf_as_one, bom, folder)
    result = import_project(project, path)
    assert result.skipped == [] and result.refound == 0
    assert result.offsets.startswith(unit) and ("counted as one" in result.offsets) == crlf_as_one
    doc = project.store.find_document("Entrevista 1")
    text = project.store.document_text(doc["id"])
    assert "\r" not in text and not text.startswith("\ufeff")
    assert "¿Qué funcionó? 😀" in text
    codings = project.codings_frame()
    spans = [json.loads(e)["refi"]["spans"][0] for e in codings.evidence]
    assert [text[a:b] for a, b in spans] == list(QUOTES)
    assert list(codings.code) == ["positive_factors/political_will", "budget_cuts"]
    assert set(codings.coder) == {"Ana"} and set(codings.status) == {"accepted"}
    assert project.codebook["budget_cuts"].colour == "#0A141E"
    row = project.documents_frame().iloc[0]
    assert (row.country, row.role, row.date) == ("Peru", "expert", "2022-02-01")
    assert json.loads(row.extra) == {"Edad": "47"}
    memos = project.store.memo_rows()
    assert [(m["code"], m["author"], m["text"]) for m in memos] == [
        ("positive_factors/political_will", "Ana", "Ojo: contrastar con la entrevista 2."),
        ("budget_cuts", "Ana", "Ojo: contrastar con la entrevista 2.")]


def test_command_line_attributes_override_the_file(project, tmp_path):
    path = trap_project(tmp_path / "trap.qdpx", "code points", False, False, "sources")
    report = import_paths(project, [path], {"country": "chile", "policy": "Plan X",
                                            "role": None})
    assert report.ok and [name for _, name, _ in report.imported] == ["Entrevista 1"]
    row = project.documents_frame().iloc[0]
    assert (row.country, row.policy, row.role) == ("Chile", "Plan X", "expert")


def test_selections_that_do_not_fit_are_refound_or_listed(project, tmp_path):
    lost = (f'<PlainTextSelection guid="{guid(700)}" name="Faltó presupuesto y la rotación de '
            f'personal" startPosition="9000" endPosition="9040"><Coding guid="{guid(701)}" '
            f'creatingUser="{ANA}"><CodeRef targetGUID="{guid(301)}"/></Coding>'
            f'</PlainTextSelection><PlainTextSelection guid="{guid(702)}" name="Q7" '
            f'startPosition="9100" endPosition="9200"><Coding guid="{guid(703)}" '
            f'creatingUser="{ANA}"><CodeRef targetGUID="{guid(300)}"/></Coding>'
            f'</PlainTextSelection><PlainTextSelection guid="{guid(704)}" name="on the ENT" '
            f'startPosition="2" endPosition="19"><Coding guid="{guid(705)}" '
            f'creatingUser="{ANA}"><CodeRef targetGUID="{guid(300)}"/></Coding>'
            f'</PlainTextSelection>')
    path = trap_project(tmp_path / "t.qdpx", "code points", False, False, "sources", lost)
    result = import_project(project, path)
    assert result.refound == 1 and result.selections == 3 and result.codings_read == 3
    assert any("selection 'Q7' at 9100–9200 does not fit" in s and "1 coding(s)" in s
               for s in result.skipped)
    assert any("selection 'on the ENT' lies in the turns of ENT" in s for s in result.skipped)
    text = project.store.document_text(project.store.find_document("Entrevista 1")["id"])
    spans = [json.loads(e)["refi"]["spans"] for e in project.codings_frame().evidence]
    refound = [s for s in spans if len(s) == 2]  # the lost one joined the budget coding
    assert [text[a:b] for a, b in refound[0]] == [QUOTES[1], "Faltó presupuesto y la rotación de "
                                                             "personal"]


def test_nvivo_text_comes_from_the_docx_when_the_txt_is_near_empty(project, tmp_path):
    word = docx.Document()
    for line in ("ENT: ¿Qué aprendieron?", "P1: Aprendimos a medir desde el inicio.",
                 "ENT: ¿Algo más?", "P1: Que sin línea de base nadie te cree."):
        word.add_paragraph(line)
    buffer = io.BytesIO()
    word.save(buffer)
    quote = "Aprendimos a medir desde el inicio."
    body = (f'<CodeBook><Codes><Code guid="{guid(1)}" name="Medir desde el inicio" '
            f'isCodable="true"/></Codes></CodeBook><Sources><TextSource guid="{guid(2)}" '
            f'name="Entrevista 9" plainTextPath="internal://{guid(2)}.txt" '
            f'richTextPath="internal://{guid(2)}.docx"><PlainTextSelection guid="{guid(3)}" '
            f'name="{quote}" startPosition="27" endPosition="62"><Coding guid="{guid(4)}" '
            f'creatingUser="{ANA}"><CodeRef targetGUID="{guid(1)}"/></Coding>'
            f'</PlainTextSelection></TextSource></Sources>')
    path = make_qdpx(tmp_path / "nvivo.qdpx", project_xml(body),
                     {f"sources/{guid(2)}.txt": b"\n",
                      f"sources/{guid(2)}.docx": buffer.getvalue()})
    result = import_project(project, path)
    assert result.documents == [("Entrevista 9", 2)] and result.selections == 1
    codings = project.codings_frame()
    assert list(zip(codings.code, codings.text)) == [("lessons_learned/evidence", quote)]


def test_sources_are_stored_like_any_transcript(project, tmp_path):
    """A source goes through the import pipeline: one without respondent passages is refused
    as a transcript file would be (listed, nothing written); the others are segmented."""
    body = (f'<Sources><TextSource guid="{guid(2)}" name="Solo preguntas" '
            f'plainTextPath="internal://{guid(2)}.txt"/><TextSource guid="{guid(3)}" '
            f'name="Entrevista 3" plainTextPath="internal://{guid(3)}.txt"/></Sources>')
    path = make_qdpx(tmp_path / "q.qdpx", project_xml(body), {
        f"sources/{guid(2)}.txt": "ENT: ¿Qué funcionó?\n\nENT: ¿Y qué no?\n".encode(),
        f"sources/{guid(3)}.txt": "ENT: ¿Qué funcionó?\n\nP1: La voluntad política.\n".encode()})
    result = import_project(project, path)
    assert result.documents == [("Entrevista 3", 1)]
    assert [d["name"] for d in project.store.documents()] == ["Entrevista 3"]
    assert result.skipped == ["source 'Solo preguntas': has no respondent passages to code "
                              "(every turn is an interviewer's or a note); check the speaker "
                              "labels and the 'interviewer' metadata; not imported"]
    row = project.documents_frame().iloc[0]
    assert row.language == "es"


def one_source(path: Path, text: str, quote: str) -> Path:
    """A .qdpx with one source, 'Entrevista 1', and one coded selection of `quote`."""
    a = text.index(quote)
    body = (f'<CodeBook><Codes><Code guid="{guid(300)}" name="Voluntad política" '
            f'isCodable="true"/></Codes></CodeBook><Sources><TextSource guid="{guid(600)}" '
            f'name="Entrevista 1" plainTextPath="internal://{guid(600)}.txt">'
            f'<PlainTextSelection guid="{guid(100)}" name="{quote[:24]}…" startPosition="{a}" '
            f'endPosition="{a + len(quote)}"><Coding guid="{guid(200)}" creatingUser="{ANA}">'
            f'<CodeRef targetGUID="{guid(300)}"/></Coding></PlainTextSelection></TextSource>'
            '</Sources>')
    return make_qdpx(path, project_xml(body), {f"sources/{guid(600)}.txt": text.encode()})


def test_an_edited_source_of_the_same_file_is_reanchored_like_a_transcript(project, tmp_path):
    text = ("ENT: ¿Qué funcionó?\n\nP1: La voluntad política de la alcaldesa fue clave para "
            "todo.\n\nENT: ¿Y qué no?\n\nP1: Faltó presupuesto y la rotación de personal nos "
            "golpeó fuerte.\n")
    first = import_project(project, one_source(tmp_path / "s.qdpx", text, QUOTES[0]))
    assert first.documents == [("Entrevista 1", 2)]
    budget = next(s for s in project.store.segments(codable_only=True) if "Faltó" in s.text)
    with project.store.transaction():
        project.store.upsert_human_codings(
            [Coding(budget.id, "challenges/budget", "bea", "human", "accepted")])
    edited = text.replace("nos golpeó fuerte", "nos golpeó muy fuerte")
    again = import_project(project, one_source(tmp_path / "s.qdpx", edited, QUOTES[0]))
    (doc,) = project.store.documents()
    assert doc["name"] == "Entrevista 1" and project.store.document_text(doc["id"]) == edited
    assert again.reimported == ["Entrevista 1"] and "0 new documents, 1 re-imported" in \
        again.summary("codebook.yaml")
    assert any(n.startswith("re-imported Entrevista 1 (its text changed): codings 1 stayed, "
                            "1 moved, 0 need review") for n in again.notes)
    codings = project.codings_frame()
    assert sorted(zip(codings.coder, codings.text)) == [
        ("Ana", "La voluntad política de la alcaldesa fue clave para todo."),
        ("bea", "Faltó presupuesto y la rotación de personal nos golpeó muy fuerte.")]
    assert again.codings_added == 0 and again.codings_existing == 1
    # the same source name from another file is another document, under a new name
    other = import_project(project, one_source(tmp_path / "other.qdpx", text, QUOTES[0]))
    assert other.documents == [("Entrevista 1 (other)", 2)] and not other.reimported


# -- round trip ----------------------------------------------------------------------------------
def test_round_trip_gives_the_same_project(demo, tmp_path):
    out = tmp_path / "study.qdpx"
    write_qdpx(demo, out)
    with qda.init_project(tmp_path / "copy") as copy:
        result = import_project(copy, out)
        assert result.skipped == result.notes == [] and not result.codes_added

        def documents(p):
            return [(d["name"], p.store.document_text(d["id"]), *(d[k] for k in (
                "country", "role", "policy", "sector", "language", "date", "interviewers")))
                    for d in p.store.documents()]

        def segments(p):
            cols = ["document", "start", "end", "speaker", "is_interviewer", "text"]
            return p.segments_frame(include_interviewer=True)[cols].values.tolist()

        def codings(p):
            cols = ["document", "start", "end", "code", "coder", "kind", "status"]
            return sorted(map(tuple, p.codings_frame(status="accepted")[cols].values.tolist()))

        def memos(p):
            return sorted((m["document"] or "", m["start"] or 0, m["code"] or "", m["author"],
                           m["text"], m["created_at"]) for m in p.store.memo_rows())

        assert documents(copy) == documents(demo)
        assert segments(copy) == segments(demo)
        assert [(c.path, c.labels) for c in copy.codebook.codes] == [
            (c.path, c.labels) for c in demo.codebook.codes]
        assert codings(copy) == codings(demo) and len(codings(copy)) > 300
        assert memos(copy) == memos(demo) and len(memos(copy)) == 5
        assert import_project(copy, out).codings_added == 0  # again: nothing doubled
        assert len(copy.store.memo_rows()) == 5


# -- hostile files -------------------------------------------------------------------------------
BOMB_XML = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
                      for i in range(1, 10))
            + ']><Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>')
XXE_XML = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>')


def hostile(path: Path, kind: str) -> Path:
    plain = project_xml("")
    if kind == "escape":
        return make_qdpx(path, plain, {"sources/../../evil.txt": b"x"})
    if kind == "absolute":
        return make_qdpx(path, plain, {"/etc/cron.d/evil": b"x"})
    if kind == "bomb":
        return make_qdpx(path, plain, {"sources/a.txt": b"\0" * 5_000_000})
    if kind == "too-big":
        return make_qdpx(path, plain, {"sources/a.txt": random.Random(1).randbytes(2_000_000)})
    if kind == "twice":
        return make_qdpx(path, plain, {"PROJECT.QDE": plain.encode()})
    if kind == "entities":
        return make_qdpx(path, BOMB_XML)
    if kind == "external":
        return make_qdpx(path, XXE_XML)
    if kind == "unparsable":
        return make_qdpx(path, plain[:-12])
    if kind == "no-qde":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("sources/a.txt", "x")
        return path
    path.write_bytes(b"not a zip at all")
    return path


@pytest.mark.parametrize("kind, message", [
    ("escape", "escapes the archive"), ("absolute", "escapes the archive"),
    ("bomb", "an archive bomb"), ("too-big", "MiB limit"), ("twice", "twice"),
    ("entities", "entity expansion"), ("external", "external entity 'xxe'"),
    ("unparsable", "not well-formed XML"), ("no-qde", "holds no project.qde"),
    ("not-zip", "not a zip archive")])
def test_hostile_files_are_refused_and_nothing_is_written(project, tmp_path, monkeypatch, kind,
                                                          message):
    monkeypatch.setattr(archives, "MAX_UNCOMPRESSED", 2**20)  # a small limit to reach
    book = (project.root / "codebook" / "codebook.yaml").read_bytes()
    path = hostile(tmp_path / f"{kind}.qdpx", kind)
    report = import_paths(project, [path])
    assert [str(e) for e in report.failed] == [f"{path}: {e.message}" for e in report.failed]
    assert len(report.failed) == 1 and message in str(report.failed[0])
    assert (project.root / "codebook" / "codebook.yaml").read_bytes() == book
    assert project.store.documents() == [] and len(project.store.code_ids()) == 32


def test_entities_in_a_qdc_are_refused(project, tmp_path):
    path = tmp_path / "bomb.qdc"
    path.write_text(BOMB_XML.replace("Project", "CodeBook"), encoding="utf-8")
    with pytest.raises(QdaError, match="entity expansion"):
        import_codebook(project, path)


def test_a_failure_while_writing_restores_the_codebook(project, tmp_path, monkeypatch):
    book = project.root / "codebook" / "codebook.yaml"
    before = book.read_bytes()
    path = trap_project(tmp_path / "t.qdpx", "code points", False, False, "sources")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(project.store, "upsert_human_codings", broken)
    with pytest.raises(RuntimeError):
        import_project(project, path)
    assert book.read_bytes() == before
    assert project.store.documents() == [] and "budget_cuts" not in project.codebook


# -- the command ---------------------------------------------------------------------------------
def test_commands(shared, tmp_path):
    root = tmp_path / "study"
    qda.init_project(root).close()
    assert run_qda("export", "qdpx", "out.zip", cwd=root).returncode == 2
    done = run_qda("export", "qdc", "out.qdc", "--lang", "en", cwd=root, check=True)
    assert "wrote 32 codes to out.qdc" in done.stdout
    shared["codebook"].validate(str(root / "out.qdc"))
    result = run_qda("import", SAMPLES / "nvivo-small.qdpx", cwd=root, check=True)
    assert "nvivo-small.qdpx: 262 codes (1 matched the codebook, 261 added to " in result.stdout
    assert result.stdout.count("has no text") == 2 and "0 imported, 0 unchanged, 0 failed" \
        in result.stdout
    bad = run_qda("import", hostile(tmp_path / "evil.qdpx", "external"), cwd=root)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.splitlines()[0].startswith(f"qda: error: {tmp_path / 'evil.qdpx'}: ")
    done = run_qda("export", "qdpx", "out.qdpx", cwd=root, check=True)
    assert "wrote out.qdpx: 0 documents, 293 codes" in done.stdout
    shared["project"].validate(qde_of(root / "out.qdpx").decode("utf-8"))


def test_coded_parts_round_trip_through_qdpx(tmp_path):
    """Two parts of one passage coded with one code leave as two selections and come back
    as the same two parts, not as the whole passage; a whole-passage coding stays whole."""
    from qda.review import Review

    def parts(project) -> list[tuple]:
        frame = project.codings_frame(parts=True)
        return sorted(zip(frame.code, frame.coder, frame.start, frame.end, frame.text))

    with qda.init_project(tmp_path / "a") as project:
        import_paths(project, [REPO / "transcripts" / "CL-01.txt"])
        first, second = [s for s in project.store.segments(codable_only=True)
                         if len(s.text) > 120][:2]
        review = Review(project, "ana")
        code = "challenges/budget"
        review.add(first.id, code, (first.start, first.start + 40))
        review.add(first.id, code, (first.start + 60, first.start + 110))
        review.add(second.id, code)
        before = parts(project)
        write_qdpx(project, tmp_path / "a.qdpx")
    assert [(s, e) for *_, s, e, _ in before if s == first.start or s == first.start + 60]
    with qda.init_project(tmp_path / "b") as other:
        import_paths(other, [tmp_path / "a.qdpx"])
        after = parts(other)
    assert after == before
    assert len(after) == 3 and after[-1][2:4] != after[0][2:4]
