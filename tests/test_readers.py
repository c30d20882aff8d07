"""Each reader returns a Document whose paragraphs point at exactly the right text."""
from __future__ import annotations

import codecs

import docx
import pytest

from qda.errors import QdaError
from qda.ingest import read_document
from qda.models import Document
from qda.text.files import decode

INTERVIEWERS = {"ENT", "Entrevistadora", "Interviewer"}
BODY = ("[00:00:05] ENT: Buenos días, ¿cómo está?\n\n"
        "[00:00:09] P1: Bien, gracias. Trabajé en el diseño del programa de niñas.\n"
        "Esta línea continúa el mismo párrafo.\n\n"
        "Segundo párrafo: la voluntad política fue clave.\n\n"
        "[00:01:30] ENT: ¿Y los desafíos?\n\n"
        "[00:01:35] P1: El presupuesto, año tras año, y la señora Núñez lo sabe.\n")
FRONT = "---\nid: CL-09\ncountry: chile\nrole: Designer and Implementer\nlanguage: es\n---\n"


def respondent(doc: Document) -> list[str]:
    return [doc.text[p.start:p.end] for p in doc.paragraphs if not p.is_interviewer]


def check_offsets(doc: Document) -> None:
    for p in doc.paragraphs:
        assert 0 <= p.start <= p.end <= len(doc.text)


def test_txt_front_matter_turns_and_continuations(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(FRONT + BODY, encoding="utf-8")
    doc = read_document(path, INTERVIEWERS)
    assert doc.name == "CL-09"
    assert doc.attributes["country"] == "Chile"
    assert doc.attributes["role"] == "designer_implementer"
    assert respondent(doc) == [
        "Bien, gracias. Trabajé en el diseño del programa de niñas.\n"
        "Esta línea continúa el mismo párrafo.",
        "Segundo párrafo: la voluntad política fue clave.",
        "El presupuesto, año tras año, y la señora Núñez lo sabe.",
    ]
    assert [p.time for p in doc.paragraphs if not p.is_interviewer] == ["00:00:09", "00:00:09",
                                                                       "00:01:35"]
    assert not doc.text.startswith("---")  # front matter is metadata, not transcript
    check_offsets(doc)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252", "latin-1", "cp850"])
def test_encodings_keep_accents(tmp_path, encoding):
    path = tmp_path / "enc.txt"
    path.write_bytes((FRONT + BODY).encode(encoding))
    doc = read_document(path, INTERVIEWERS)
    assert "Núñez" in doc.text and "diseño" in doc.text and "\ufeff" not in doc.text
    assert respondent(doc)[1] == "Segundo párrafo: la voluntad política fue clave."


@pytest.mark.parametrize("text", ["Perú", "Ñuñoa, Perú", "año"])
def test_a_short_legacy_file_reads_as_the_common_code_page(text):
    """One or two accents read as well in cp850 as in cp1252; cp1252 is far more common."""
    assert decode(text.encode("cp1252"), "x.csv") == text


def test_crlf_and_decomposed_accents_normalised(tmp_path):
    path = tmp_path / "crlf.txt"
    decomposed = (FRONT + BODY).replace("ñ", "n\u0303").replace("\n", "\r\n")
    path.write_bytes(decomposed.encode("utf-8"))
    doc = read_document(path, INTERVIEWERS)
    assert "\r" not in doc.text
    assert "diseño" in doc.text  # NFC: one code point for ñ


def test_markdown_bold_labels(tmp_path):
    path = tmp_path / "m.md"
    path.write_text("**ENT:** Hello, thanks for joining.\n\n**Ana:** Thanks. Political will was "
                    "key.\n\n**ENT:** Why?\n\n**Ana:** Because the minister cared.\n",
                    encoding="utf-8")
    doc = read_document(path, INTERVIEWERS)
    assert respondent(doc) == ["Thanks. Political will was key.", "Because the minister cared."]


def test_label_used_once_without_timestamp_is_not_a_speaker(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("ENT: ¿Qué aprendió?\n\nP1: Mucho.\nLo que aprendimos: escuchar primero.\n\n"
                    "ENT: Gracias.\n\nP1: A usted.\n", encoding="utf-8")
    doc = read_document(path, INTERVIEWERS)
    assert respondent(doc)[0] == "Mucho.\nLo que aprendimos: escuchar primero."


def test_vtt_voice_tags_merge_consecutive_cues(tmp_path):
    path = tmp_path / "call.vtt"
    path.write_text(
        "WEBVTT\n\nNOTE ficticia\n\n"
        "00:00:01.000 --> 00:00:04.000\n<v Entrevistadora>¿Me escucha, sumercé?\n\n"
        "00:00:04.500 --> 00:00:08.000\n<v Luz Marina>Sí, la escucho.\nMuy bien.\n\n"
        "00:00:08.500 --> 00:00:12.000\n<v Luz Marina>La asociación nos ayudó harto.\n\n"
        "00:00:12.500 --> 00:00:14.000\n<v Entrevistadora>¿Y qué más?\n", encoding="utf-8")
    doc = read_document(path, INTERVIEWERS)
    assert respondent(doc) == ["Sí, la escucho. Muy bien. La asociación nos ayudó harto."]
    assert [p.time for p in doc.paragraphs] == ["00:00:01", "00:00:04", "00:00:12"]
    assert "[00:00:04] Luz Marina: Sí, la escucho." in doc.text
    check_offsets(doc)


def test_srt_name_prefixes(tmp_path):
    path = tmp_path / "call.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nEntrevistador: ¿Cómo le fue?\n\n"
        "2\n00:00:03,500 --> 00:00:06,000\nParticipante: Bien nomás,\nla chamba es dura.\n\n"
        "3\n00:00:06,500 --> 00:00:09,000\nParticipante: Pero aprendí harto.\n", encoding="utf-8")
    doc = read_document(path, {"Entrevistador"})
    assert respondent(doc) == ["Bien nomás, la chamba es dura. Pero aprendí harto."]


def test_docx_table_speaker_text(tmp_path):
    path = tmp_path / "t.docx"
    word = docx.Document()
    word.add_paragraph("Entrevista ficticia.")
    table = word.add_table(rows=0, cols=2)
    for speaker, text in [("Hablante", "Texto"), ("Entrevistadora", "¿Cómo empezó?"),
                          ("Carmen", "Con un curso en Temuco."), ("Carmen", "Después, la feria."),
                          ("Entrevistadora", "¿Y el dinero?"), ("Carmen", "No alcanzaba.")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = speaker, text
    word.save(path)
    doc = read_document(path, INTERVIEWERS)
    assert respondent(doc) == ["Con un curso en Temuco.", "Después, la feria.", "No alcanzaba."]
    assert doc.paragraphs[0].speaker is None and doc.paragraphs[0].is_interviewer
    check_offsets(doc)


def test_docx_bold_speaker_names(tmp_path):
    path = tmp_path / "b.docx"
    word = docx.Document()
    for name, text in [("Interviewer", "Welcome."), ("Dr. Ana Ruiz", "Thank you."),
                       (None, "A second paragraph of mine."), ("Interviewer", "Next?")]:
        par = word.add_paragraph()
        if name:
            par.add_run(name).bold = True
            par.add_run(": ")
        par.add_run(text)
    word.save(path)
    doc = read_document(path, INTERVIEWERS)
    assert respondent(doc) == ["Thank you.", "A second paragraph of mine."]
    assert {p.speaker for p in doc.paragraphs} == {"Interviewer", "Dr. Ana Ruiz"}


@pytest.mark.parametrize("delimiter, encoding", [(",", "utf-8"), (";", "cp1252"),
                                                 ("\t", "utf-8-sig")])
def test_sidecar_and_overrides(tmp_path, delimiter, encoding):
    """The sidecar as spreadsheets save it: ';' and cp1252 from Excel in a Spanish locale."""
    (tmp_path / "interviews.csv").write_bytes(delimiter.join(
        ["file", "id", "country", "role", "language", "interviewer\r\ncall.srt", "PE-07",
         "Perú", "beneficiaria", "es", "Entrevistador\r\n"]).encode(encoding))
    path = tmp_path / "call.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:03,000\nEntrevistador: ¿Y?\n\n"
                    "2\n00:00:03,500 --> 00:00:06,000\nParticipante: Todo bien.\n",
                    encoding="utf-8")
    doc = read_document(path, set(), overrides={"policy": "Emprendedoras"})
    assert doc.name == "PE-07"
    assert doc.attributes["country"] == "Peru" and doc.attributes["role"] == "beneficiary"
    assert doc.attributes["policy"] == "Emprendedoras"
    assert respondent(doc) == ["Todo bien."]


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"---\nid: [unclosed\n---\nENT: hola\n", "front matter is not valid YAML"),
    (b"---\nrole: astronaut\n---\nENT: hola\n\nP1: chao\n", "role 'astronaut'"),
])
def test_bad_text_files_say_why(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(QdaError, match=message) as info:
        read_document(path, INTERVIEWERS)
    assert "bad.txt" in str(info.value)


def test_yaml_error_names_the_file_line(tmp_path):
    path = tmp_path / "y.txt"
    path.write_text("---\nid: X\ncountry: Chile\nrole: [unclosed\n---\nP1: hola\n",
                    encoding="utf-8")
    with pytest.raises(QdaError) as info:
        read_document(path, INTERVIEWERS)
    assert info.value.line in (4, 5)
    assert f"y.txt:{info.value.line}:" in str(info.value)


def test_corrupt_docx(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(QdaError, match="not a valid Word"):
        read_document(path, INTERVIEWERS)


def test_utf16_bom_constant_is_detected(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "P1: Año de la niña.".encode("utf-16-le"))
    assert "Año de la niña." in read_document(path, INTERVIEWERS).text


# -- who speaks: one rule in every reader (ingest/transcript.speaker_keys) -----------------
ONCE = ("ENTREVISTADORA: ¿Qué recomendaría?\n\n"
        "P2: Hay que asegurar un presupuesto propio para el programa.\n\n"
        "ENTREVISTADORA: Gracias.\n")


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_label_used_once_opens_a_turn_when_it_looks_like_a_speaker(tmp_path, suffix):
    path = tmp_path / f"once{suffix}"
    path.write_text(ONCE, encoding="utf-8")
    doc = read_document(path, {"entrevistadora"})
    assert respondent(doc) == ["Hay que asegurar un presupuesto propio para el programa."]
    assert [p.speaker for p in doc.paragraphs] == ["ENTREVISTADORA", "P2", "ENTREVISTADORA"]


def test_a_named_speaker_once_is_not_glued_to_the_turn_before(tmp_path):
    path = tmp_path / "oral.txt"
    path.write_text("Interviewer: Where were you born?\n\nJoe Rodriguez: I was born in 1964.\n\n"
                    "Interviewer: And your mother, Entrevistada 3 told me, worked there?\n\n"
                    "Entrevistada 3: She did.\n\nR: So did I.\n", encoding="utf-8")
    doc = read_document(path, INTERVIEWERS)
    assert [p.speaker for p in doc.paragraphs] == ["Interviewer", "Joe Rodriguez", "Interviewer",
                                                   "Entrevistada 3", "R"]
    assert respondent(doc) == ["I was born in 1964.", "She did.", "So did I."]


@pytest.mark.parametrize("line", ["Nota: esto se grabó en 2020.", "Es decir: no había plata.",
                                  "Por ejemplo: las ferias.", "Note: recorded remotely.",
                                  "lo que aprendimos: escuchar primero.", "Fecha: marzo"])
def test_prose_with_a_colon_is_left_in_the_turn(tmp_path, line):
    path = tmp_path / "prose.txt"
    path.write_text(f"ENT: ¿Qué pasó?\n\nP1: Faltó presupuesto.\n{line}\n\nENT: ¿Y?\n\n"
                    "P1: Nada más.\n", encoding="utf-8")
    doc = read_document(path, INTERVIEWERS)
    assert respondent(doc) == [f"Faltó presupuesto.\n{line}", "Nada más."]


def test_docx_paragraphs_single_label_and_bold_prose(tmp_path):
    path = tmp_path / "once.docx"
    word = docx.Document()
    for bold, text in [(None, "ENTREVISTADORA: ¿Qué recomendaría?"),
                       (None, "P2: Hay que asegurar un presupuesto."),
                       ("Nota:", " la grabación se cortó."),
                       (None, "ENTREVISTADORA: Gracias.")]:
        par = word.add_paragraph()
        if bold:
            par.add_run(bold).bold = True
        par.add_run(text)
    word.save(path)
    doc = read_document(path, {"entrevistadora"})
    assert respondent(doc) == ["Hay que asegurar un presupuesto.",
                               "Nota: la grabación se cortó."]


def test_docx_table_rows_of_a_participante_are_kept(tmp_path):
    path = tmp_path / "table.docx"
    word = docx.Document()
    table = word.add_table(rows=0, cols=2)
    for speaker, text in [("Speaker", "Text"), ("Entrevistadora", "¿Cómo empezó?"),
                          ("Participante", "Con un curso en Temuco."),
                          ("Entrevistadora", "¿Y después?"), ("Participante", "La feria.")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = speaker, text
    word.save(path)
    doc = read_document(path, INTERVIEWERS)
    assert respondent(doc) == ["Con un curso en Temuco.", "La feria."]
    assert "Speaker" not in doc.text  # the header row, and only it, is skipped


def test_headings_rules_and_page_footers_are_notes_kept_in_the_text(tmp_path):
    from qda.text.segment import segment_document
    path = tmp_path / "manual.md"
    body = ("## **Manual de Checkpoints para Líderes**\n\n"
            "ENT: ¿Qué funcionó?\n\n"
            "P1: La voluntad política.\nPágina 1 de 3\nY el presupuesto.\n\n"
            "***\n\n"
            "ENT: ¿Y qué faltó?\n\nP1: [risas]\n\nP1: Tiempo [pausa] y personas.\n"
            "Página 2 de 3\n\nENT: Gracias.\n\n(laughs)\n\nPágina 3 de 3\n")
    path.write_text(body, encoding="utf-8")
    doc = read_document(path, INTERVIEWERS)
    passages = [s.text for s in segment_document(doc, "es") if not s.is_interviewer]
    assert passages == ["La voluntad política.", "Y el presupuesto.",
                        "Tiempo [pausa] y personas."]
    assert "Manual de Checkpoints" in doc.text and "Página 2 de 3" in doc.text


def test_docx_headings_are_notes_and_the_turn_goes_on(tmp_path):
    path = tmp_path / "h.docx"
    word = docx.Document()
    word.add_heading("Manual de Checkpoints para Líderes", level=2)
    word.add_paragraph("Entrevistadora: ¿Qué funcionó?")
    word.add_paragraph("P1: La voluntad política.")
    word.add_heading("Segunda parte", level=2)
    word.add_paragraph("Y el presupuesto, después.")
    word.save(path)
    doc = read_document(path, INTERVIEWERS)
    assert respondent(doc) == ["La voluntad política.", "Y el presupuesto, después."]
    assert "Segunda parte" in doc.text
    assert [p.speaker for p in doc.paragraphs if not p.is_interviewer] == ["P1", "P1"]
