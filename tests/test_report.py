"""The findings chapter and the quotes export (issue 8): structure, numbers equal to the
summary's, verbatim quotes attributed by role and country, no participant name anywhere,
and a LibreOffice render."""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pytest

import qda
from qda.analysis import frequencies, load
from qda.analysis.frequencies import TOTAL
from qda.analysis.quotes import align, attribution, cut, opening, trim
from qda.errors import UsageError
from qda.export.quotes import COLUMNS, export_quotes
from qda.export.report import write_report
from qda.imports.pipeline import import_codings, import_paths
from qda.lang import ROLE_PEOPLE
from qda.lang.prose import Phrases, date_span, long_date, percent
from qda.models import Coding
from qda.privacy.redact import HiddenNames, people

from .conftest import coded_sample, run_qda, write_txt

QUOTE = {"en": re.compile(r"^(?:[^“]*: )?“(.+)” (\(.+\))( †)?$", re.S),
         "es": re.compile(r"^(?:[^«]*: )?«(.+)» (\(.+\))( †)?$", re.S)}
COUNTRIES = {"en": ("Chile", "Colombia", "Mexico", "Peru"),
             "es": ("Chile", "Colombia", "México", "Perú")}
CELL = re.compile(r"^(\d+)(?: (?:of|de) \d+| \(\d+ ?%\))?$")
SENTENCE = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÁÉÍÓÚÑ«“\[])")


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample corpus with its reference coding, and its report in both languages."""
    root = tmp_path_factory.mktemp("report")
    with coded_sample(root / "study") as project:
        reports = {lang: write_report(project, root / f"findings_{lang}.docx", lang)
                   for lang in ("en", "es")}
        yield project, reports


NAME = "Rosa Quispe Mamani"
OTHER = "Carmen Soto Lagos"
PASSAGES = {
    "PE-09": [
        ("La voluntad política de la ministra fue clave desde el inicio, porque puso el tema "
         "en la agenda del gabinete y consiguió que todos los sectores se sentaran a la mesa "
         "durante los dos primeros años del plan.", "positive_factors/political_will"),
        ("Faltó presupuesto para los talleres en las provincias, y el equipo era muy pequeño "
         "para cubrir todo el territorio con visitas y seguimiento a las organizaciones de "
         "mujeres.", "challenges/budget"),
        ("Mi jefa siempre me decía: Rosa, sin datos no hay política. Y tenía razón, la falta "
         "de información sobre las mujeres rurales nos complicó muchísimo medir los "
         "resultados del programa.", "challenges/data_gaps"),
        ("Recomiendo que se asegure un presupuesto propio en la ley, para que el programa no "
         "dependa de la voluntad de cada nueva autoridad que llega al ministerio.",
         "recommendations/budget"),
    ],
    "Carmen Soto": [
        ("The minister's political will made the difference: she chaired the board herself "
         "and called every company that sent a junior person to the meetings.",
         "positive_factors/political_will"),
        ("There was never enough money for the regional teams, so the training reached the "
         "capital first and the mining towns only years later, if at all.",
         "challenges/budget"),
        ("We learned that data on women in the sector had to come first: without a baseline "
         "nobody believed the problem existed, and the survey changed the conversation.",
         "lessons_learned/evidence"),
    ],
}


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    """Two interviews whose people are named in the metadata, the speaker labels, the
    interviewers list, a file name, a memo and one passage."""
    root = tmp_path_factory.mktemp("named")
    folder = root / "in"
    folder.mkdir()
    turns = "\n\n".join(f"ROSA QUISPE: {text}" for text, _ in PASSAGES["PE-09"])
    write_txt(folder, "PE-09.txt", f"Ana Torres: Buenos días, Rosa. ¿Qué ayudó?\n\n{turns}\n",
              id="PE-09", country="Peru", role="designer_implementer", policy="Plan Mujer Rural",
              sector="gender", language="es", date="2022-02-01", interviewer="[Ana Torres]",
              participant=NAME)
    turns = "\n\n".join(f"P1: {text}" for text, _ in PASSAGES["Carmen Soto"])
    write_txt(folder, "Carmen Soto.txt", f"ENT: Hello Carmen, what helped?\n\n{turns}\n",
              country="Chile", role="expert", policy="Mesa Minera", sector="mining_energy",
              language="en", date="2022-02-03", interviewer="[ENT]", participant=OTHER)
    codings = root / "codings.csv"
    with codings.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["document", "text", "codes"])
        writer.writerows((doc, text, code) for doc, rows in PASSAGES.items()
                         for text, code in rows)
    with qda.init_project(root / "study") as project:
        assert import_paths(project, [folder]).ok
        assert import_codings(project, [codings], "ana").ok
        segments = project.segments_frame().set_index("text")["segment_id"]
        first = int(segments[PASSAGES["PE-09"][0][0]])
        with project.store.transaction():
            project.store.add_memo_once(f"Rosa Quispe repeats this; compare with {OTHER}.",
                                        "ana", segment_id=first)
            project.store.replace_suggestions("rules", [first], [Coding(
                first, "sustainability/regulation", "rules", "rules", "suggested", 0.7)])
        yield project, root


def docx_text(path: Path) -> str:
    """Every XML part of a .docx (body, tables, headers, footers, properties) as text."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace")
                         for n in archive.namelist() if n.endswith((".xml", ".rels")))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def quotes_of(document, lang: str) -> list[tuple[str, str, bool]]:
    found = []
    for p in document.paragraphs:
        if p.style.name == "Quote":
            match = QUOTE[lang].match(p.text)
            assert match, p.text
            found.append((match.group(1).removeprefix("[…] ").removesuffix(" […]"),
                          match.group(2), bool(match.group(3))))
    return found


def chapter_text(document) -> str:
    """What a reader sees: every paragraph and table cell."""
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def after(document, heading: str) -> list:
    """The paragraphs between a heading and the next heading of the same or a higher level."""
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == heading
                 and p.style.name.startswith("Heading"))
    level = int(paragraphs[start].style.name[-1])
    out = []
    for p in paragraphs[start + 1:]:
        if p.style.name.startswith("Heading") and int(p.style.name[-1]) <= level:
            break
        out.append(p)
    return out


# -- the chapter ---------------------------------------------------------------------------------
def test_structure_styles_fields_and_properties(sample):
    project, reports = sample
    report = reports["en"]
    document = docx.Document(report.path)
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Subtitle", "TOC Heading", "Heading 1", "Heading 2", "Quote",
            "Caption"} <= styles
    axes = [c.label("en") for c in project.codebook.codes if "/" not in c.path]
    assert headings(document, 1) == ["Main findings", "Method", *axes]
    own = [h for h in headings(document, 2) if h.endswith(": other passages")]
    assert len(headings(document, 2)) == report.themes + len(own) + 1  # + by policy
    body = docx_text(report.path)
    # a written table of contents: the headings themselves, no field to update
    assert "TOC \\o" not in body and "<w:updateFields" not in body
    assert "Right-click" not in body
    toc = [(p.style.name, p.text) for p in document.paragraphs
           if p.style.name in ("TOC 1", "TOC 2")]
    assert toc == [(f"TOC {p.style.name[-1]}", p.text) for p in document.paragraphs
                   if p.style.name in ("Heading 1", "Heading 2")]
    assert "SEQ Table" in body and "SEQ Figure" in body
    footer = document.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert all(t.style.name == "Light Grid Accent 1" for t in document.tables)
    assert len(document.inline_shapes) == 1  # the theme-by-country overview, once
    props = document.core_properties
    assert props.author == "qda" and props.last_modified_by == "qda"
    assert "python-docx" not in body
    es = docx.Document(reports["es"].path)
    assert headings(es, 1)[:3] == ["Principales hallazgos", "Método", "Factores positivos"]
    assert es.core_properties.language == "es-419"
    # one language in every title
    assert [p.text for p in es.paragraphs[:2]] == ["Hallazgos",
                                                    "Lo que dicen las entrevistas, eje por eje"]


def test_tables_equal_the_summary(sample):
    project, reports = sample
    freq = frequencies(load(project), "country", "en")
    cell = freq.set_index(["code", "group"])
    by_label = dict(zip(freq["label"], freq["code"]))
    document = docx.Document(reports["en"].path)
    study, policies, *axis_tables = document.tables
    assert [c.text for c in axis_tables[0].rows[0].cells] == [
        "Theme", "Chile (n=3)", "Colombia (n=3)", "Mexico (n=3)", "Peru (n=3)", "Total (n=12)"]
    assert len(policies.rows) == 1 + 12
    checked = 0
    for table in axis_tables:
        groups = ["Chile", "Colombia", "Mexico", "Peru", TOTAL]
        for row in table.rows[1:]:
            label, *cells = [c.text for c in row.cells]
            code = by_label[label]
            for group, text in zip(groups, cells):
                assert int(CELL.match(text).group(1)) == cell.at[(code, group), "interviews"]
                checked += 1
    # every theme, and the axes not raised in every interview of every country
    always = [a for a in project.codebook.codes if "/" not in a.path
              and cell.at[(a.path, TOTAL), "interviews"] == 12]
    assert checked == 5 * (len(project.codebook.codes) - len(always))
    first_rows = {t.rows[1].cells[0].text for t in axis_tables}
    assert always and not first_rows & {a.label("en") for a in always}  # no always-100 % row
    totals = {row.cells[0].text.strip(): row.cells[-1].text for row in study.rows[1:]}
    assert totals["Interviews"] == "12" and totals["Participants"] == "12"
    # the sentences say the same numbers: "... in 10 of the 12 interviews"
    for theme in [h for h in headings(document, 2) if h in by_label]:
        said = after(document, theme)[0].text
        n = cell.at[(by_label[theme], TOTAL), "interviews"]
        assert (f"{n} of the 12 interviews" if n < 12 else "all 12 interviews") in said, said


@pytest.mark.parametrize("lang", ["en", "es"])
def test_quotes_are_verbatim_attributed_and_varied(sample, lang):
    project, reports = sample
    docs = {row["name"]: row for row in project.store.documents()}
    texts = {name: project.store.document_text(row["id"]) for name, row in docs.items()}
    roles = "|".join(re.escape(r[0]) for r in ROLE_PEOPLE[lang].values())
    note = "; (?:original in Spanish|cita original en inglés)"
    shape = re.compile(rf"^\(({roles}), ({'|'.join(COUNTRIES[lang])})(?:{note})?\)$")
    quotes = quotes_of(docx.Document(reports[lang].path), lang)
    assert len(quotes) == len(reports[lang].quotes) >= 2 * reports[lang].themes
    seen = set()
    for text, said, suggested in quotes:
        assert shape.match(said), said
        assert not suggested and text not in seen
        seen.add(text)
        pieces = text.split(" […] ")
        sources = [name for name, body in texts.items() if all(p in body for p in pieces)]
        assert len(sources) == 1, text[:60]
        row = docs[sources[0]]
        assert said.startswith(attribution(row["role"], row["country"], lang)[:-1])
    for quote in reports[lang].quotes:  # offsets point at the words printed, piece by piece
        assert " […] ".join(texts[quote.document][a:b] for a, b in quote.pieces) == quote.text
        assert quote.pieces[0][0] == quote.start and quote.pieces[-1][1] == quote.end
    per_theme = {}
    for quote in reports[lang].quotes:
        per_theme.setdefault(quote.code, []).append(quote)
    themes = [q for q in per_theme.values() if len(q) > 1]
    assert themes and all(len({q.country for q in qs}) > 1 for qs in themes)


def test_no_participant_name_in_the_sample_reports(sample):
    project, reports = sample
    who = people(project)
    assert "Ximena" in who.parts and "Verónica Sepúlveda Lagos" in who.names
    for report in reports.values():
        body = docx_text(report.path)
        for name in who.parts:
            assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", body), name
    assert all(item.reason == "names" for r in reports.values() for item in r.left_out)


def test_no_name_anywhere_in_reports_or_exports(named, tmp_path):
    project, _ = named
    report = write_report(project, tmp_path / "r.docx", "es")
    files = [report.path]
    for suffix in ("csv", "xlsx", "docx"):
        path = tmp_path / f"quotes.{suffix}"
        assert export_quotes(project, path, "es", include_suggested=True) == 8
        files.append(path)
    book = openpyxl.load_workbook(files[2])
    xlsx = "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for v in row if v is not None)
    blobs = {files[0]: docx_text(files[0]), files[1]: files[1].read_text("utf-8"),
             files[2]: xlsx, files[3]: docx_text(files[3])}
    for path, blob in blobs.items():
        for word in ("Rosa", "Quispe", "Mamani", "ROSA", "Carmen", "Soto", "Ana Torres"):
            assert not re.search(rf"(?<!\w){word}(?!\w)", blob), (path.name, word)
    # the passage that says her name is not quoted; it is listed on the terminal and in
    # the appendix when asked, never in the chapter itself
    assert [(i.reason, i.code) for i in report.left_out] == [("names", "challenges/data_gaps")]
    assert "dice el nombre de una persona" not in blobs[files[0]]
    with_appendix = write_report(project, tmp_path / "a.docx", "es", appendix=True)
    assert "dice el nombre de una persona" in docx_text(with_appendix.path)
    # exports blank the name out in the project's language and show the file-named
    # interview by its number
    rows = list(csv.DictReader(files[1].open(encoding="utf-8")))
    assert any(r["text"].startswith("Mi jefa siempre me decía: [nombre], sin datos")
               for r in rows)
    ids = {r["name"]: r["id"] for r in project.store.documents()}
    assert {r["document"] for r in rows} == {"PE-09", f"#{ids['Carmen Soto']}"}
    assert any("[nombre] repeats this" in r["memo"] for r in rows)


def test_export_quotes_columns_order_and_formats(named, tmp_path):
    project, _ = named
    out = tmp_path / "q.csv"
    assert export_quotes(project, out, "en") == 7  # accepted only
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == COLUMNS
    order = [c.path for c in project.codebook.codes]
    keys = [(order.index(r["code"]), r["country"]) for r in rows]
    assert keys == sorted(keys)
    first = rows[0]
    assert first["code"] == "positive_factors/political_will" and first["country"] == "Chile"
    assert first["attribution"] == "(Expert, Chile)" and first["status"] == "accepted"
    assert first["coder"] == "ana" and first["label"] == "Political will"
    assert export_quotes(project, tmp_path / "q.docx", "en") == 7
    document = docx.Document(tmp_path / "q.docx")
    assert len([p for p in document.paragraphs if p.style.name == "Quote"]) == 7
    assert headings(document, 1)[0] == "Positive factors"
    result = run_qda("--project", project.root, "export", "quotes", tmp_path / "q.txt")
    assert result.returncode == 2 and ".csv, .xlsx, .docx" in result.stderr


def test_suggestions_only_when_asked_and_marked(named, tmp_path):
    project, _ = named
    plain = write_report(project, tmp_path / "a.docx", "en")
    assert all(q.status == "accepted" for q in plain.quotes)
    asked = write_report(project, tmp_path / "b.docx", "en", include_suggested=True)
    marked = [q for q in quotes_of(docx.Document(asked.path), "en") if q[2]]
    assert len(marked) == 1 and marked[0][0].startswith("La voluntad política")
    table = docx.Document(asked.path).tables[2]  # the first axis
    assert table.rows[0].cells[-1].text == "+Suggested"


def test_a_quote_that_no_longer_matches_is_left_out(named, tmp_path):
    project, root = named
    copy = tmp_path / "copy"
    shutil.copytree(project.root, copy)
    with qda.open_project(copy) as changed:
        doc = next(r for r in changed.store.documents() if r["name"] == "PE-09")
        text = changed.store.document_text(doc["id"])
        # simulate a transcript corrected after coding: one word of a passage differs
        with changed.store.transaction() as db:
            db.execute("UPDATE documents SET text = ? WHERE id = ?",
                       (text.replace("Faltó presupuesto", "Faltaba presupuesto"), doc["id"]))
        report = write_report(changed, tmp_path / "r.docx", "en", appendix=True)
    changed_ = [i for i in report.left_out if i.reason == "changed"]
    assert [(i.code, i.document) for i in changed_] == [("challenges/budget", "PE-09")]
    assert 90 <= changed_[0].score < 100
    assert all("Faltó" not in q.text for q in report.quotes)
    assert "no longer matches its transcript" in docx_text(tmp_path / "r.docx")


def test_align_and_cut():
    text = "Intro. " + "La voluntad política fue clave. " * 3
    quote = "La voluntad política fue clave."
    assert align(quote, text, 7, 7 + len(quote)).ok
    moved = align(quote, "xx" + text, 7, 7 + len(quote))  # offsets drifted: found again
    assert moved.ok and moved.start == 9
    edited = align(quote, text.replace("clave", "central"), 7, 7 + len(quote))
    assert not edited.ok and 70 < edited.score < 100
    long = " ".join(f"Frase número {i} sobre el presupuesto del programa." for i in range(40))
    short = cut(long)
    assert long.startswith(short) and short.endswith(".") and len(short) <= 700


def test_people_match_whole_names_and_capitalised_parts():
    who = HiddenNames.of(["Luz Marina Rojas", "P1", "Dr. Mariana Solís", "Entrevistadora", "ENT2"])
    assert who.named_in("y doña Luz Marina me dijo") and who.named_in("MARIANA SOLÍS habló")
    assert not who.named_in("banderas rojas y a la luz del día")
    assert not who.named_in("el participante P1 y la Entrevistadora")
    assert who.redact("Rojas dijo: Luz Marina Rojas") == "[name] dijo: [name]"


def test_people_nobody_listed_are_caught_after_a_title():
    """A mayor or a teacher a participant mentions is in no metadata: the title gives her away."""
    who = HiddenNames.of([])
    said = {"la alcaldesa, doña Gloria Amparo, se puso la camiseta": "doña [name],",
            "la profe Yaneth vino casa por casa": "la profe [name] vino",
            "el Sr. Quispe y la Sra. María de la Cruz": "el Sr. [name] y la Sra. [name]",
            "Then Dr Lee called the CEOs": "Then Dr [name] called"}
    for text, redacted in said.items():
        assert who.named_in(text) and redacted in who.redact(text)
    for text in ("Uy, el tiempo, señor. Una mujer se levanta a las cuatro.",
                 "Sí, señorita. Y después", "we miss Lima", "la señora de la feria"):
        assert not who.named_in(text) and who.redact(text) == text


def test_cli_filters_and_errors(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "peru.docx"
    result = run_qda("--project", project.root, "report", out, "--axis", "challenges",
                     "--country", "perú", "--lang", "es")
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "quotes" in result.stdout
    document = docx.Document(out)
    assert headings(document, 1)[:3] == ["Principales hallazgos", "Método",
                                          "Dificultades o desafíos"]
    header = [c.text for c in document.tables[2].rows[0].cells]
    assert header == ["Tema", "Perú (n=3)", "Total (n=3)"]
    freq = frequencies(load(project), "country", "es")
    cells = freq.set_index(["code", "group"])
    labels = dict(zip(freq["label"], freq["code"]))
    for row in document.tables[2].rows[1:]:
        label, peru, _ = [c.text for c in row.cells]
        assert CELL.match(peru) and peru.endswith(" de 3")
        assert int(CELL.match(peru).group(1)) == cells.at[(labels[label], "Peru"), "interviews"]
    assert {q[1].split(";")[0].rstrip(")") + ")" for q in quotes_of(document, "es")} <= {
        f"({r[0]}, Perú)" for r in ROLE_PEOPLE["es"].values()}
    result = run_qda("--project", project.root, "report", out, "--country", "Spain")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no interviews from 'Spain'; the countries are Chile" in result.stderr
    for options, message in (({"out": tmp_path / "x.pdf"}, "must be a .docx"),
                             ({"axes": ["nope"]}, "unknown axis 'nope'"),
                             ({"lang": "fr"}, "--lang must be one of")):
        with pytest.raises(UsageError, match=message):
            write_report(project, **{"out": out, **options})


# -- rendering -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def soffice():
    """LibreOffice's command, installed with the system package manager when missing (as
    root, once per machine); the test is skipped where that is impossible."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=900)
        subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends",
                        "libreoffice-writer"], env=env, capture_output=True, timeout=1800)
        found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice is not installed and cannot be installed here")
    return found


def test_libreoffice_renders_the_report(named, soffice, tmp_path):
    project, _ = named
    report = write_report(project, tmp_path / "small.docx", "en")
    profile = tmp_path / "lo-profile"  # a private profile: runs in parallel do not collide
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(report.path)],
        capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "small.pdf"
    assert pdf.is_file(), result.stderr
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    assert data.startswith(b"%PDF") and pages >= 3


def test_agreement_figures_when_two_people_coded(named, tmp_path):
    from qda.analysis.agreement import compare
    project, root = named
    copy = tmp_path / "copy"
    shutil.copytree(project.root, copy)
    second = tmp_path / "ben.csv"
    with second.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["document", "text", "codes"])
        for index, (text, code) in enumerate(PASSAGES["PE-09"]):
            writer.writerow(["PE-09", text, "" if index == 1 else code])
    with qda.open_project(copy) as both:
        assert import_codings(both, [second], "ben").ok
        report = write_report(both, tmp_path / "r.docx", "en")
        expected = compare(both, "ana", "ben", level="axis")
    document = docx.Document(report.path)
    said = next(p.text for p in document.paragraphs if p.text.startswith("Two people"))
    assert f"coded {expected.units} passages" in said
    assert f"mean Cohen's kappa is {expected.mean_kappa:.2f}" in said
    assert f"Krippendorff's alpha {expected.alpha:.2f}" in said
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Table 3. Agreement between ana and ben per axis" in captions


# -- the chapter reads like the study's own (issue 17) -------------------------------------------
def sentences_of(document) -> list[str]:
    """The generated prose (Normal paragraphs), sentence by sentence."""
    return [s for p in document.paragraphs if p.style.name == "Normal" and p.text.strip()
            for s in SENTENCE.split(p.text) if s.strip()]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_chapter_reads_as_prose_from_the_data(sample, lang):
    project, reports = sample
    report = reports[lang]
    document = docx.Document(report.path)
    labels = {c.path: c.label(lang) for c in project.codebook.codes}
    main = after(document, {"en": "Main findings", "es": "Principales hallazgos"}[lang])
    overview = main[0].text
    assert ("most recurrent themes" if lang == "en" else "temas más recurrentes") in overview
    freq = frequencies(load(project), "country", lang)
    top = freq[(freq["group"] == TOTAL) & (freq["level"] == "theme")]["interviews"].max()
    assert f"({top} of 12)" in overview or f"({top} de 12)" in overview
    # places for the analyst's reading are marked, one per theme and one overall
    marks = [p.text for p in document.paragraphs if p.style.name == "Normal"
             and p.text.startswith("[")]
    assert len(marks) == report.themes + 1 and all(m.endswith(".]") for m in marks)
    # a paragraph per theme that names countries and policies
    policies = set(project.documents_frame()["policy"])
    for theme in [h for h in headings(document, 2) if h in labels.values()]:
        said = after(document, theme)[0]
        assert said.style.name == "Normal"
        assert any(c in said.text for c in COUNTRIES[lang]), said.text
        assert any(p in said.text for p in policies), said.text
    # varied: no generated sentence more than twice
    counts = Counter(sentences_of(document))
    assert max(counts.values()) <= 2, counts.most_common(3)
    # no tool text, no statistics boilerplate
    text = chapter_text(document)
    for tool in ("qda ", "Written by", "Escrito por", "left out", "omitidas", "p = 1",
                 "Freeman-Halton", "(1 interview)", "(1 entrevista)", "Right-click",
                 "Haga clic"):
        assert tool not in text, tool
    # quotes framed by a sentence that names the country, kept on the quote's page
    paragraphs = document.paragraphs
    for index, paragraph in enumerate(paragraphs):
        if paragraph.style.name == "Quote":
            frame = paragraphs[index - 1]
            assert frame.text.endswith(":") and frame.paragraph_format.keep_with_next
            assert any(c in frame.text for c in COUNTRIES[lang])
    # no quote opens with an answer word, a connector or a back-reference
    opener = re.compile(r"^(?:Sí|Si(?=[,.])|Yes|Yeah|Bueno|Well|Second|Segundo|Poquito|Claro|"
                        r"So|Y|And|Pero|But|Como le dije|As I said)\b", re.IGNORECASE)
    assert not [q.text[:30] for q in report.quotes if opener.match(q.text)]


def test_spanish_chapter_speaks_spanish(sample):
    project, reports = sample
    report = reports["es"]
    document = docx.Document(report.path)
    text = chapter_text(document)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)  # no ISO date
    dates = sorted(str(d) for d in project.documents_frame()["date"])
    first, last = date_span(dates[0], dates[-1], "es")
    assert f"entre el {first} y el {last}" in text and " de 2022" in last
    assert "(Persona " in text and "(Implementación" not in text  # roles as people
    # every quote and bullet from an English interview is marked; Spanish ones are not
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    bullets = [p.text for p in document.paragraphs
               if p.style.name == "List Bullet" and p.text.startswith("«")]
    assert len(quotes) == len(report.quotes) and len(bullets) == len(report.recommendations)
    for said, quote in zip(quotes + bullets, report.quotes + report.recommendations):
        assert said.endswith("; cita original en inglés)") == (quote.language == "en"), said
    # Spanish first: fewer English quotes than in the English chapter
    english = [q for q in report.quotes if q.language == "en"]
    in_en = [q for q in reports["en"].quotes if q.language == "en"]
    # (a third of the sample interviews are English; passages naming people are never quoted)
    assert len(english) < len(in_en) and len(english) < len(report.quotes) / 3


def test_language_helpers():
    assert long_date("2022-01-18", "es") == "18 de enero de 2022"
    assert long_date("2022-01-18", "en") == "18 January 2022"
    assert date_span("2022-01-18", "2022-03-03", "es") == ("18 de enero", "3 de marzo de 2022")
    assert percent(2 / 3, "es") == "67 %" and percent(2 / 3, "en") == "67%"
    phrases = Phrases("es")
    said = [phrases.say("where_all", theme="X", theme_l="x", k_words="cuatro",
                        share="las 12 entrevistas") for _ in range(4)]
    assert len(set(said[:3])) == 3 and said[3] == said[0]


def test_recommendations_are_bullets_per_country_and_policy(sample):
    _, reports = sample
    for lang, title in (("en", "Recommendations by country and policy"),
                        ("es", "Recomendaciones por país y política")):
        document = docx.Document(reports[lang].path)
        part = after(document, title)
        assert [p.text for p in part if p.style.name == "Heading 3"] == list(COUNTRIES[lang])
        policies = [i for i, p in enumerate(part) if p.style.name == "Normal" and p.runs
                    and p.runs[0].bold]
        assert len(policies) >= 8
        for i in policies:  # every policy shown has bullets; its name stays with them
            assert part[i + 1].style.name == "List Bullet"
            assert part[i].paragraph_format.keep_with_next
        bullets = [p.text for p in part if p.style.name == "List Bullet"]
        assert bullets and all(QUOTE[lang].match(b) for b in bullets)
        assert not re.search(r"\(\d+ (?:interview|entrevista)", "\n".join(p.text for p in part))


def test_headings_and_captions_keep_with_next(sample):
    _, reports = sample
    document = docx.Document(reports["es"].path)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Caption"):
        assert document.styles[name].paragraph_format.keep_with_next is True
    body = docx_text(reports["es"].path)
    assert "<w:keepNext/>" in body


def test_a_study_coded_at_axis_level_is_quoted(tmp_path):
    """Axis codings are quoted like theme codings."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, rows in PASSAGES.items():
        turns = "\n\n".join(f"P1: {text}" for text, _ in rows)
        write_txt(folder, f"{name.split()[0]}.txt", f"ENT: ¿Qué ayudó?\n\n{turns}\n",
                  id=name.split()[0], country="Peru" if name == "PE-09" else "Chile",
                  role="expert", policy=f"Política {name[:2]}", sector="gender",
                  language="es" if name == "PE-09" else "en", interviewer="[ENT]")
    codings = tmp_path / "axes.csv"
    with codings.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["document", "text", "codes"])
        writer.writerows((name.split()[0], text, code.split("/")[0])
                         for name, rows in PASSAGES.items() for text, code in rows)
    with qda.init_project(tmp_path / "study") as project:
        assert import_paths(project, [folder]).ok
        assert import_codings(project, [codings], "ana").ok
        report = write_report(project, tmp_path / "axes.docx", "es")
    assert {q.code for q in report.quotes} == {"positive_factors", "challenges",
                                              "lessons_learned", "recommendations"}
    assert len(report.quotes) == 6  # every passage that names nobody
    assert len(quotes_of(docx.Document(report.path), "es")) == 6


def test_trim_keeps_the_sentences_that_carry_the_code():
    text = ("Sí, claro. Como le dije, la plata nunca alcanzó para los talleres en las "
            "provincias. " + "Después hablamos del clima de la sierra, que es muy frío en "
            "invierno y complica los viajes de todos, de los técnicos y de las familias. " * 2
            + "Además, el equipo era pequeño y nadie cubría las provincias del sur.")
    spans = [(text.index("plata"), text.index("plata") + 5, 2.0),
             (text.index("equipo"), text.index("equipo") + 6, 2.0)]
    trimmed = trim(text, "es", spans)
    printed = " […] ".join(text[a:b] for a, b in trimmed.pieces)
    assert printed.startswith("la plata nunca") and "clima" not in printed
    assert printed.endswith("del sur.") and len(trimmed.pieces) == 2
    assert not trimmed.cut_before and not trimmed.cut_after  # only answer words went
    later = trim(text, "es", spans[1:])
    assert later.cut_before and text[:later.pieces[-1][1]].endswith("provincias del sur.")
    assert opening("Second, the budget was small.", "en") == len("Second, ")
    assert opening("No había plata.", "es") == 0


def test_quotes_export_speaks_the_projects_language(named, tmp_path):
    project, _ = named
    out = tmp_path / "q.csv"
    result = run_qda("--project", project.root, "export", "quotes", out)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["attribution"] for r in rows} == {"(Persona experta, Chile)",
                                                "(Persona diseñadora e implementadora, Perú)"}
    assert any("[nombre]" in r["text"] for r in rows)
    export_quotes(project, tmp_path / "q.docx", "es")
    lines = [p.text for p in docx.Document(tmp_path / "q.docx").paragraphs]
    assert "PE-09 · Plan Mujer Rural · ana, aceptada" in lines
