"""The terminal UI driven by Textual's pilot, with the store checked after every step, and
snapshots of each screen at 80x24 and 120x40 (tests/__snapshots__/test_tui/)."""
from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

import pytest

from qda import open_project
from qda.imports.pipeline import import_paths
from qda.models import Coding
from qda.tui.app import QdaApp
from qda.tui.screens.coding import CodingScreen
from qda.tui.screens.dialogs import CodePicker, HelpScreen, rank_codes
from qda.tui.screens.interviews import InterviewsScreen, matches

from .conftest import write_txt

CL = ("[00:00:01] ENT: ¿Qué factores ayudaron a que el plan funcionara?\n\n"
      "[00:00:04] P1: La voluntad política de la ministra fue clave, sin ella no habríamos "
      "llegado a las regiones.\n\n"
      "[00:00:09] P1: Faltó presupuesto para las regiones, teníamos una sola coordinadora.\n\n"
      "[00:00:12] ENT: ¿Qué recomendaría a otros países?\n\n"
      "[00:00:15] P1: Hay que dejarlo en la ley, porque los gobiernos cambian.\n")
PE = ("[00:00:01] Interviewer: What helped?\n\n"
      "[00:00:03] P1: The network of women's organisations carried the programme.\n\n"
      "[00:00:08] P1: Staff turnover was constant; every new minister started over.\n")


@pytest.fixture
def study(project):
    """Two interviews with rule suggestions (evidence offsets included) on three passages."""
    folder = project.root / "transcripts"
    write_txt(folder, "cl.txt", CL, id="CL-01", country="Chile", role="designer_implementer",
              policy="Plan de Igualdad", language="es")
    write_txt(folder, "pe.txt", PE, id="PE-01", country="Peru", role="beneficiary",
              policy="Women in Trade", language="en")
    assert import_paths(project, [folder]).ok
    cl = [s.id for s in project.store.segments(codable_only=True)
          if s.document_id == project.store.find_document("CL-01")["id"]]
    will = {"rules": [{"rule": "topic.political_will", "kind": "topic",
                       "words": "voluntad política", "start": 3, "end": 20, "where": "passage"}]}
    money = {"rules": [{"rule": "topic.budget", "kind": "topic", "words": "presupuesto",
                        "start": 6, "end": 17, "where": "passage"}]}
    with project.store.transaction():
        project.store.replace_suggestions("rules", cl, [
            Coding(cl[0], "positive_factors/political_will", "rules", "rules", "suggested",
                   0.82, will),
            Coding(cl[1], "challenges/budget", "rules", "rules", "suggested", 0.74, money),
            Coding(cl[1], "sustainability/budget", "rules", "rules", "suggested", 0.41, money),
            Coding(cl[2], "recommendations/regulation", "rules", "rules", "suggested", 0.66)])
    return project, cl


def codings(project, segment_id):
    return {(r["code"], r["coder"]): (r["status"], r["reviewer"])
            for r in project.store.coding_states(segment_id)}


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_whole_review_session_is_saved_step_by_step(study):
    project, (will, money, law) = study

    async def session() -> None:
        app = QdaApp(project, "ana", "es")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, InterviewsScreen)
            await pilot.press("enter")  # CL-01 is the first row
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CodingScreen) and screen.current == will
            await pilot.press("a")  # accept "voluntad política"
            assert codings(project, will)[("positive_factors/political_will", "rules")] == (
                "accepted", "ana")
            assert project.store.reviewed_by(will, "ana")
            await pilot.press("j")
            assert screen.current == money
            await pilot.press("2", "r")  # reject the second suggestion
            assert codings(project, money)[("sustainability/budget", "rules")] == (
                "rejected", "ana")
            assert codings(project, money)[("challenges/budget", "rules")] == (
                "suggested", None)
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, CodePicker)
            await pilot.press(*"rotacion personal", "enter")  # Spanish label, no accents
            await pilot.pause()
            assert codings(project, money)[("sustainability/staff_turnover", "ana")] == (
                "accepted", "ana")
            await pilot.press("m", *"falta plata", "ctrl+s")
            await pilot.pause()
            assert project.store.passage_memo(money, "ana") == "falta plata"
            await pilot.press("u")  # undo the memo
            assert project.store.passage_memo(money, "ana") is None
            await pilot.press("u")  # undo the added code
            assert ("sustainability/staff_turnover", "ana") not in codings(project, money)
            await pilot.press("U")  # redo it
            assert codings(project, money)[("sustainability/staff_turnover", "ana")] == (
                "accepted", "ana")
            await pilot.press("n")  # next unreviewed: the law passage
            assert screen.current == law
            await pilot.press("slash", *"organisations", "enter")
            await pilot.pause()
            assert screen.current == law, "search stays in this interview"
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            keys = app.screen.keys  # in Spanish, as the session asked
            assert ("A", "Aceptar todo") in keys and ("u", "Deshacer") in keys
            assert ("shift+→", "Selección: una palabra más") in keys, keys
            await pilot.press("escape", "escape")
            await pilot.pause()
            assert isinstance(app.screen, InterviewsScreen)
            await pilot.press("q")
        assert not app.is_running

    asyncio.run(session())
    # reopening shows exactly what was decided
    with open_project(project.root) as again:
        reopened = QdaApp(again, "ana", "en", queue=False)

        async def check() -> None:
            async with reopened.run_test(size=(100, 30)) as pilot:
                await settle(pilot)
                table = reopened.screen.query_one("DataTable")
                # 1 of 3 CL-01 passages: the second still has a suggestion pending
                assert str(table.get_row_at(0)[-1]) == "33%"
                await pilot.press("enter", "j")
                await pilot.pause()
                view = reopened.screen.views[money]
                assert view.codes == ["sustainability/staff_turnover"]
                assert view.rejected == ["sustainability/budget"]
                assert [s.code for s in view.suggestions] == ["challenges/budget"]
                assert view.memo is None and not view.reviewed
        asyncio.run(check())


AUTOCODE = textwrap.dedent("""
    import sys
    from qda import open_project
    from qda.review import Review
    with open_project(sys.argv[1]) as project:
        bea = Review(project, "bea")
        for sid in map(int, sys.argv[2].split(",")):
            for _ in range(20):
                bea.add(sid, "lessons_learned")
                bea.undo()
            bea.add(sid, "lessons_learned")
""")


def test_tui_and_a_second_writer_keep_both_sides(study):
    project, ids = study

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            other = subprocess.Popen([sys.executable, "-c", AUTOCODE, str(project.root),
                                      ",".join(map(str, ids))])
            for _ in ids:
                await pilot.press("A", "c", *"lessons", "enter")
                await pilot.pause()
                await pilot.press("j")
            assert other.wait(timeout=60) == 0
            await pilot.press("v")  # show bea's decisions beside ana's
            await pilot.pause()
            assert app.compare == "bea"
    asyncio.run(session())
    for sid in ids:
        rows = codings(project, sid)
        assert rows[("lessons_learned", "bea")] == ("accepted", "bea")
        assert rows[("lessons_learned", "ana")] == ("accepted", "ana")


def test_fuzzy_picker_and_interview_filter(study):
    project, _ = study
    codes = project.codebook.codes
    assert rank_codes(codes, "voluntad")[0].path == "positive_factors/political_will"
    assert rank_codes(codes, "political will")[0].path == "positive_factors/political_will"
    assert rank_codes(codes, "staff_turnover")[0].path == "sustainability/staff_turnover"
    assert len(rank_codes(codes, "")) == len(codes)
    row = {"name": "PE-01", "country": "Peru", "role": "beneficiary", "policy": "Women in Trade",
           "language": "en", "sector": None, "role_label": "Beneficiary"}
    assert matches(row, "peru") and matches(row, "country:per role:benef")
    assert not matches(row, "country:chile") and not matches(row, "expert")


def test_without_colour_marks_remain(study, monkeypatch):
    project, (will, *_) = study
    monkeypatch.setenv("NO_COLOR", "1")

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.no_color
            await pilot.press("enter", "a")
            await pilot.pause()
            transcript = app.screen.query_one("Transcript")
            lines = ["".join(seg.text for seg in transcript.render_line(y)) for y in range(8)]
            current = next(line for line in lines if line.startswith("▶"))
            assert current.startswith("▶P"), current  # marker and axis letter, no colour
    asyncio.run(session())


SCREENS = {"interviews": [], "coding": ["enter", "j"], "codebook": ["C", "down"],
           "summary": ["S"]}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshots(study, snap_compare, screen, size):
    project, _ = study
    app = QdaApp(project, "ana", "en", queue=False)
    assert snap_compare(app, press=SCREENS[screen], terminal_size=size)


# -- issue 18: exact text, span coding, retrieval, the picker, the flow ---------------------
def screen_text(app) -> str:
    """What the terminal shows, row by row, read back from the app's screenshot."""
    import html
    import re
    rows: dict[float, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)" textLength="[\d.]+"'
                         r' clip-path="[^"]*">(.*?)</text>', app.export_screenshot()):
        rows.setdefault(float(m.group(2)), []).append(
            (float(m.group(1)), html.unescape(m.group(3)).replace("\xa0", " ")))
    lines = []
    for y in sorted(rows):
        line = ""
        for x, piece in sorted(rows[y]):
            line = line.ljust(round(x / 12.2)) + piece
        lines.append(line)
    return "\n".join(lines)


BRACKETS = ("[00:00:01] ENT: ¿Y los recursos [pausa larga]?\n\n"
            "[00:00:04] P1: Los recursos no alcanzaban [risas], la ministra [sic] dijo que "
            "no [/b] había [/] plata para nada.\n\n"
            "[00:00:09] P1: Y la ministra dijo que sí, y cumplió con todo lo prometido.\n")


@pytest.fixture
def brackets(project):
    """An interview whose words, policy, memos and codes hold square brackets, with two
    suggestions citing the same words."""
    folder = project.root / "transcripts"
    write_txt(folder, "br.txt", BRACKETS, id="BR-01", country="Peru", role="expert",
              policy="Programa [piloto] 2020", language="es")
    write_txt(folder, "pe.txt", PE, id="PE-01", country="Peru", role="beneficiary",
              policy="Women in Trade", language="en")
    assert import_paths(project, [folder]).ok
    doc = project.store.find_document("BR-01")["id"]
    first, second = [s.id for s in project.store.segments(doc, codable_only=True)]
    words = {"rules": [{"rule": "topic.budget", "kind": "topic", "words": "recursos",
                        "start": 4, "end": 12, "where": "passage"},
                       {"rule": "topic.budget2", "kind": "topic", "words": "recursos no",
                        "start": 4, "end": 15, "where": "passage"}]}
    with project.store.transaction():
        project.store.replace_suggestions("rules", [first, second], [
            Coding(first, "challenges/budget", "rules", "rules", "suggested", 0.8, words),
            Coding(first, "sustainability/budget", "rules", "rules", "suggested", 0.5, words),
            Coding(second, "positive_factors/political_will", "rules", "rules", "suggested",
                   0.7)])
    from qda.codebook.edit import add_theme
    add_theme(project, "challenges/water", {"es": "Agua [sic]", "en": "Water [sic]"},
              "Falta de agua [risas].")
    return project, first, second


def test_brackets_are_shown_verbatim_on_every_screen(brackets):
    project, first, second = brackets
    passage = project.store.segment(first).text

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(200, 50)) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"[/b]")  # a markup closing tag as a filter
            await pilot.pause()
            assert "(filter: [/b])" in screen_text(app)
            await pilot.press("escape", "enter")
            await settle(pilot)
            shown = screen_text(app)
            assert "Programa [piloto] 2020" in shown
            # the highlighted passage is the passage, word for word: nothing doubled
            flat = " ".join(shown.split())
            assert "Los recursos no alcanzaban [risas], la ministra [sic] dijo que no [/b] " \
                   "había [/] plata para nada." in flat, shown
            assert "recursosrecursos" not in flat and "[pausa larga]" in flat
            await pilot.press("m", *"[pausa larga] memo", "ctrl+s")
            await pilot.pause()
            assert "[pausa larga] memo" in screen_text(app)
            await pilot.press("A")  # accept both: the passage with "[/]" is now retrievable
            await pilot.press("c", *"water", "enter")
            await pilot.pause()
            assert "Water [sic]" in screen_text(app)
            await pilot.press("i", *"about [this] interview", "ctrl+s")
            await pilot.pause()
            await pilot.press("C")
            await pilot.pause()
            assert "Water [sic]" in screen_text(app)
            app.screen.fill("challenges/budget")
            await pilot.press("enter")  # the retrieve list of the code
            await pilot.pause()
            shown = " ".join(screen_text(app).split())
            assert "no [/b] había [/] plata" in shown and "[risas]" in shown
            await pilot.press("slash", *"[/]")
            await pilot.pause()
            assert "1 codings on 1 passages" in screen_text(app)
            await pilot.press("enter", "M")  # the memo list
            await pilot.pause()
            shown = screen_text(app)
            assert "[pausa larga] memo" in shown and "about [this] interview" in shown
            await pilot.press("S", "g", "g")  # the summary, by policy
            await pilot.pause()
            assert "Programa [piloto]" in " ".join(screen_text(app).split())  # wrapped
            app.screen.notify("[risas] and [/]")  # a notification is plain text too
            await pilot.pause()
            shown = list(app._notifications)[-1]
            assert shown.message == "[risas] and [/]" and not shown.markup
        assert app.return_code in (0, None)
    asyncio.run(session())
    assert passage.count("[/]") == 1


PICKS = {"crisis": "positive_factors/crisis_opportunity",
         "rotacion": "sustainability/staff_turnover",
         "realidades": "challenges/women_realities",
         "decisions": "recommendations/participation",
         "scarce": "challenges/budget",
         "ley": "sustainability/regulation",
         "datos": "challenges/data_gaps",
         "law": "sustainability/regulation"}


def test_picker_finds_the_sensible_code_first(project):
    from qda.tui.screens.dialogs import CodeIndex, topic_words
    book = project.codebook
    index = CodeIndex(book.codes, topic_words(book.path))
    for query, code in PICKS.items():
        found = [c.path for c in index.rank(query)]
        assert found and found[0] == code, (query, found[:3])
    assert [c.path for c in index.rank("LEY")][:2] == ["sustainability/regulation",
                                                       "recommendations/regulation"]
    assert index.rank("Rotación")[0].path == "sustainability/staff_turnover"
    assert index.rank("no such thing at all") == []


def test_picker_enter_takes_the_row_shown_for_what_was_typed(study):
    project, (will, *_) = study

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("c", *"crisis", "enter")
            await pilot.pause()
            assert codings(project, will)[("positive_factors/crisis_opportunity", "ana")] == (
                "accepted", "ana")
            await pilot.press("c")
            await pilot.pause()
            picker = app.screen
            assert isinstance(picker, CodePicker)
            # Enter arrives for a query whose list is not on screen yet: it shows the list
            submitted = type("Submitted", (), {"value": "datos"})()
            picker.on_input_submitted(submitted)
            assert app.screen is picker and picker.shown[0].path == "challenges/data_gaps"
            picker.on_input_submitted(submitted)  # the second Enter takes the row shown
            await pilot.pause()
            assert codings(project, will)[("challenges/data_gaps", "ana")] == (
                "accepted", "ana")
    asyncio.run(session())


def test_accept_and_reject_all_decide_what_was_on_screen(study):
    project, (will, money, law) = study

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter", "j")
            await settle(pilot)
            assert app.screen.current == money
            with project.store.transaction():  # autocode adds a suggestion meanwhile
                project.store.replace_suggestions("model", [money, law], [
                    Coding(money, "lessons_learned/gradualism", "model", "model",
                           "suggested", 0.9),
                    Coding(law, "lessons_learned/evidence", "model", "model", "suggested",
                           0.9)])
            await pilot.press("A")
            rows = codings(project, money)
            assert rows[("challenges/budget", "rules")] == ("accepted", "ana")
            assert rows[("sustainability/budget", "rules")] == ("accepted", "ana")
            assert rows[("lessons_learned/gradualism", "model")] == ("suggested", None)
            assert not project.store.reviewed_by(money, "ana"), "one is still pending"
            assert [s.code for s in app.screen.views[money].suggestions] == [
                "lessons_learned/gradualism"]
            await pilot.press("j")
            assert app.screen.current == law
            await pilot.press("R")
            rows = codings(project, law)
            assert rows[("recommendations/regulation", "rules")] == ("rejected", "ana")
            assert rows[("lessons_learned/evidence", "model")] == ("suggested", None)
    asyncio.run(session())


def test_the_tui_stops_when_its_store_file_is_deleted_or_replaced(study, tmp_path):
    project, _ = study
    path = project.store.path

    async def session(replace: bool) -> QdaApp:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("enter")
            await settle(pilot)
            if replace:
                copy = tmp_path / "other.sqlite3"
                copy.write_bytes(path.read_bytes())
                copy.replace(path)
            else:
                path.unlink()
            await pilot.press("a")
            await pilot.pause()
        return app

    saved = path.read_bytes()
    app = asyncio.run(session(replace=False))
    assert app.return_code == 1 and "deleted" in app.gone
    path.write_bytes(saved)
    with open_project(project.root) as again:
        project = again
        app = asyncio.run(session(replace=True))
    assert app.return_code == 1 and "replaced" in app.gone


def test_a_selection_is_coded_and_exported_as_its_span(study, tmp_path):
    import zipfile
    from xml.etree import ElementTree

    from qda.export.tables import export_codings
    from qda.refi.writer import write_qdpx
    project, (will, *_) = study
    segment = project.store.segment(will)

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("shift+right", "shift+right", "shift+right")  # three words
            await pilot.press("greater_than_sign")  # start a word later
            assert app.screen.selection == (3, 20)
            assert "«voluntad política»" in screen_text(app)
            await pilot.press("c", *"voluntad", "enter")
            await pilot.pause()
            assert app.screen.selection is None
            view = app.screen.views[will]
            assert view.spans == {"positive_factors/political_will":
                                  [(segment.start + 3, segment.start + 20)]}
            await pilot.press("shift+down")  # a sentence: the whole first sentence
            assert app.screen.selection == (0, len(segment.text))
            await pilot.press("escape")  # Esc clears the selection before it leaves
            assert app.screen.selection is None and isinstance(app.screen, CodingScreen)
            # a mouse drag over the words selects them, trimmed of spaces
            transcript = app.screen.query_one("Transcript")
            block = transcript._blocks[transcript._index[will]]
            y = block.top - transcript.scroll_offset.y
            label = len(block.label)
            assert transcript.offset_at(5 + label + 3, y) == (will, 3)
            transcript.post_message(transcript.Dragged(will, 2, 21))
            await pilot.pause()
            assert app.screen.selection == (3, 20)
            # a second part of the same passage, with the same code: both are kept
            transcript.post_message(transcript.Dragged(will, minister, minister + 8))
            await pilot.pause()
            await pilot.press("c", *"voluntad", "enter")
            await pilot.pause()
            assert app.screen.views[will].spans == {"positive_factors/political_will": parts}
            shown = screen_text(app)
            assert "«voluntad política»" in shown and "«ministra»" in shown
            assert transcript.coded == [(3, 20), (minister, minister + 8)]
            # d offers each part, and the code with every part; one part off, then undone
            await pilot.press("d")
            await pilot.pause()
            assert "«ministra»" in screen_text(app) and "(every part)" in screen_text(app)
            await pilot.press("down", "enter")
            await pilot.pause()
            assert app.screen.views[will].spans == {"positive_factors/political_will":
                                                    parts[:1]}
            await pilot.press("u")
            await pilot.pause()
            assert app.screen.views[will].spans == {"positive_factors/political_will": parts}
    minister = segment.text.index("ministra")
    parts = [(segment.start + 3, segment.start + 20),
             (segment.start + minister, segment.start + minister + 8)]
    asyncio.run(session())
    # the suggestion itself was accepted on the span: one coding, not two
    rows = codings(project, will)
    assert rows[("positive_factors/political_will", "rules")] == ("accepted", "ana")
    out = tmp_path / "codings.csv"
    export_codings(project, out)
    import csv
    rows = [r for r in csv.DictReader(out.open(encoding="utf-8"))
            if r["code"] == "positive_factors/political_will"]  # a row per coded part
    assert [(int(r["start"]), int(r["end"]), r["text"]) for r in rows] == [
        (*parts[0], "voluntad política"), (*parts[1], "ministra")]
    qdpx = tmp_path / "study.qdpx"
    write_qdpx(project, qdpx)
    with zipfile.ZipFile(qdpx) as archive:
        root = ElementTree.fromstring(archive.read("project.qde"))
    starts = {(int(s.get("startPosition")), int(s.get("endPosition")))
              for s in root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")}
    assert set(parts) <= starts  # a PlainTextSelection per coded part
    from qda.export.quotes import quotes_frame  # the quote export and the report's quotes
    quotes = quotes_frame(project)
    assert {"voluntad política", "ministra"} <= set(quotes.text)


def test_next_goes_across_interviews_in_my_order(study):
    from qda.review import Review
    project, (will, money, law) = study
    pe = [s.id for s in project.store.segments(codable_only=True) if s.id not in (will, money,
                                                                                 law)]
    bea = Review(project, "bea")
    for sid in pe:  # bea reviewed everything in PE-01: not a reason to skip it for ana
        bea.reject_all(sid)
    ana = Review(project, "ana")
    for sid in (will, money, law):
        ana.reject_all(sid)

    async def session() -> None:
        app = QdaApp(project, "ana", "en")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen.document["name"] == "CL-01"
            await pilot.press("n")
            await settle(pilot)
            assert app.screen.document["name"] == "PE-01" and app.screen.current == pe[0]
    asyncio.run(session())


def test_next_unreviewed_without_the_queue_goes_round_in_transcript_order(study):
    """Before the review queue is read, `n` takes the next passage I have not reviewed in
    transcript order (interviews by name), going round to the first, never the current one:
    one query that stops at the first found (store.next_unreviewed)."""
    from qda.review import Review
    project, _ = study
    store = project.store
    order = [s.id for d in sorted(store.documents(), key=lambda d: d["name"])
             for s in store.segments(d["id"]) if not s.is_interviewer]
    assert len(order) >= 4
    ana = Review(project, "ana")
    for done in ([], order[1:3], order[:-1], order):
        for sid in done:
            ana.reject_all(sid)
        for current in (None, *order):
            start = order.index(current) + 1 if current in order else 0
            expected = next((s for s in order[start:] + order[:start]
                             if s not in done and s != current), None)
            assert store.next_unreviewed(current, "ana") == expected, (done, current)


def test_back_from_an_interview_only_its_progress_is_redrawn(study):
    """Returning to the list after reviewing updates the progress cells in place: filling
    the table again took a quarter of a second on 1,000 interviews."""
    project, _ = study

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            listing = app.screen
            table = listing.query_one("DataTable")
            assert [str(table.get_row_at(i)[-1]) for i in range(2)] == ["0%", "0%"]
            untouched = table.get_row_at(1)[0]
            await pilot.press("enter", "R", "I")  # CL-01's first passage: nothing to code
            await settle(pilot)
            assert app.screen is listing
            assert [str(table.get_row_at(i)[-1]) for i in range(2)] == ["33%", "0%"]
            assert table.get_row_at(1)[0] is untouched  # not filled again
            assert "1 of " in str(listing.query_one("#title").render())
    asyncio.run(session())


def test_a_long_interview_list_is_filtered_once_the_typing_pauses(study, monkeypatch):
    """Filling the table for each key typed into the filter cost a fifth of a second on
    1,000 interviews: past FILTER_AT_ONCE rows the list is filtered when the typing pauses,
    and at once on Enter."""
    from qda.tui.screens import interviews
    project, _ = study
    monkeypatch.setattr(interviews, "FILTER_AT_ONCE", 1)  # the study's two interviews: long
    monkeypatch.setattr(interviews, "FILTER_PAUSE_S", 60.0)

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("DataTable")
            await pilot.press("slash", *"peru")
            await pilot.pause()
            assert table.row_count == 2  # still typing
            await pilot.press("enter")
            await pilot.pause()
            assert table.row_count == 1 and str(table.get_row_at(0)[0]) == "PE-01"
            monkeypatch.setattr(interviews, "FILTER_PAUSE_S", 0.01)
            await pilot.press("slash", "x")
            await pilot.pause(0.3)  # the typing paused
            assert table.row_count == 0
    asyncio.run(session())


def tui_words() -> set[str]:
    """Every literal the TUI passes to `tr`/`ui` or uses as a key's description."""
    import ast
    from pathlib import Path
    found: set[str] = set()
    for path in (Path(__file__).resolve().parents[1] / "qda" / "tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", getattr(func, "attr", ""))
            words = node.args[0] if name in ("tr", "ui") and node.args else \
                node.args[2] if name == "Binding" and len(node.args) > 2 else None
            if isinstance(words, ast.Constant) and isinstance(words.value, str):
                found.add(words.value)
    return found


def test_spanish_interface_and_every_string_translated(study):
    from qda.lang.es import UI as ES
    used = tui_words()
    assert len(used) > 100
    assert not sorted(used - set(ES)), sorted(used - set(ES))
    project, _ = study

    async def session() -> None:
        app = QdaApp(project, "ana", "es", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            shown = screen_text(app)
            assert "entrevistas" in shown and "Filtrar" in shown
            await pilot.press("enter")
            await settle(pilot)
            shown = screen_text(app)
            assert "Sugerencias" in shown and "Aceptar" in shown and "Pasaje 1 de 3" in shown
            assert "Suggestions" not in shown and "Accept" not in shown
            await pilot.press("question_mark")
            await pilot.pause()
            assert "Aceptar todo" in screen_text(app)
    asyncio.run(session())


@pytest.mark.parametrize("width", [60, 80])
def test_narrow_terminals_wrap_between_words(study, width):
    project, (will, *_) = study
    words = set(" ".join([CL, PE]).split())

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            assert screen.has_class("-narrow")
            side, transcript = screen.query_one("#side"), screen.query_one("#transcript")
            assert side.region.y >= transcript.region.bottom, "the panel goes below"
            for y in range(transcript.size.height):
                line = "".join(seg.text for seg in transcript.render_line(y))[5:]
                for word in line.split():
                    assert word in words, (word, line)
    asyncio.run(session())


def test_memos_on_interviews_and_codes_scrolling_and_retrieve(study):
    project, (will, money, law) = study
    from qda.review import Review
    Review(project, "bea").add(money, "challenges/budget")

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("a", "i", *"la entrevista", "ctrl+s")
            await pilot.pause()
            doc = app.screen.document_id
            assert project.store.note("ana", "document", doc) == "la entrevista"
            await pilot.press("u")
            assert project.store.note("ana", "document", doc) is None
            await pilot.press("U")
            await pilot.press("pagedown", "end", "home", "pageup")
            await pilot.press("C", "m", *"voluntad de arriba", "ctrl+s")
            await pilot.pause()
            assert project.store.note("ana", "code", "positive_factors") == \
                "voluntad de arriba"
            app.screen.fill("challenges")
            await pilot.press("enter")
            await pilot.pause()
            retrieve = app.screen
            assert "1 codings on 1 passages" in screen_text(app)
            await pilot.press("escape")
            app.screen.fill("positive_factors")
            await pilot.press("enter")
            await pilot.pause()
            assert str(app.screen.query_one("DataTable").get_row_at(0)[0]) == str(will)
            await pilot.press("x", "enter")  # export to xlsx
            await pilot.pause()
            out = project.root / "outputs" / "retrieve-positive_factors.xlsx"
            from openpyxl import load_workbook
            sheet = load_workbook(out).active
            assert sheet.max_row == 2 and sheet["J2"].value.startswith("La voluntad")
            await pilot.press("enter")  # jump to the passage in its interview
            await settle(pilot)
            assert isinstance(app.screen, CodingScreen) and app.screen.current == will
            await pilot.press("M")
            await pilot.pause()
            assert "voluntad de arriba" in screen_text(app)
            assert retrieve is not None
    asyncio.run(session())


def test_codes_created_renamed_and_merged_while_coding_and_undone(study):
    project, (will, money, law) = study

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter", "j")
            await settle(pilot)
            await pilot.press("c", *"agua potable", "enter")  # nothing matches: offer one
            await pilot.pause()
            assert app.screen.query_one("#label").value == "agua potable"
            await pilot.press("tab", "enter", *"Falta de agua potable", "ctrl+s")
            await pilot.pause()
            assert "challenges/agua_potable" in app.codebook
            assert codings(project, money)[("challenges/agua_potable", "ana")] == (
                "accepted", "ana")
            await pilot.press("C")
            await pilot.pause()
            app.screen.fill("challenges/agua_potable")
            await pilot.press("r", *["backspace"] * 20, *"agua", "enter")
            await pilot.pause()
            assert "challenges/agua" in app.codebook and ("challenges/agua", "ana") in \
                codings(project, money)
            await pilot.press("g", *"resistance", "enter")  # merge into Resistance
            await pilot.pause()
            assert "challenges/agua" not in app.codebook
            assert codings(project, money)[("challenges/resistance", "ana")] == (
                "accepted", "ana")
            await pilot.press("u")  # undo the merge
            await pilot.pause()
            assert "challenges/agua" in app.codebook
            assert ("challenges/resistance", "ana") not in codings(project, money)
            assert codings(project, money)[("challenges/agua", "ana")] == ("accepted", "ana")
            await pilot.press("u")  # undo the rename
            await pilot.pause()
            assert "challenges/agua_potable" in app.codebook
    asyncio.run(session())


def test_a_passage_opened_from_the_retrieve_list_is_scrolled_into_view(project):
    from qda.review import Review
    turns = "".join(f"[00:{i // 60:02d}:{i % 60:02d}] P1: Turno número {i}, con palabras que "
                    f"ocupan una línea entera del transcrito y algo más para envolver.\n\n"
                    for i in range(80))
    write_txt(project.root / "transcripts", "long.txt", turns, id="LG-01", country="Chile",
              role="expert", language="es")
    assert import_paths(project, [project.root / "transcripts"]).ok
    late = [s.id for s in project.store.segments(codable_only=True)][70]
    Review(project, "ana").add(late, "lessons_learned")

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("C")
            await pilot.pause()
            app.screen.fill("lessons_learned")
            assert "lessons_learned 1" not in screen_text(app)  # labels, not keys
            await pilot.press("enter")
            await pilot.pause()
            assert "1 codings on 1 passages (1 accepted, 0 suggested)" in screen_text(app)
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CodingScreen) and screen.current == late
            transcript = screen.query_one("Transcript")
            block = transcript._blocks[transcript._index[late]]
            top = transcript.scroll_offset.y
            assert top <= block.top < top + transcript.scrollable_content_region.height
            assert "Turno número 70," in screen_text(app)
    asyncio.run(session())


def test_kept_lines_and_panels_are_what_a_fresh_drawing_gives(study):
    """The transcript keeps the lines it drew and the side panel the panels it drew lately
    (a key redrew both in full): after every kind of key, what is kept must be what drawing
    again gives: marks, the current passage, the selection, decisions and their undoing."""
    from textual.visual import Visual, visualize
    project, _ = study

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            transcript = screen.query_one("Transcript")
            panel = screen.query_one("PassagePanel")
            for key in ["a", "j", "shift+right", "shift+right", "escape", "2", "r", "u", "k",
                        "U", "j", "A", "k", "u", "j", "R", "n", "k", "end", "home"]:
                await pilot.press(key)
                await pilot.pause()
                top = transcript.scroll_offset.y
                for y in range(transcript.scrollable_content_region.height):
                    assert transcript.render_line(y) == transcript._draw(top + y), (key, y)
                width, height = panel.size
                fresh = Visual.to_strips(panel, visualize(panel, panel.text, markup=False),
                                         width, height, panel.visual_style)
                assert panel._strips == list(fresh), key
            assert screen.current is not None and screen.selection is None
    asyncio.run(session())


def test_a_long_interview_list_is_drawn_from_its_first_rows(study, monkeypatch):
    """A long list shows its first rows at once and the rest in batches after each frame;
    filtering or sorting meanwhile drops what was left of the earlier fill."""
    from qda.tui.screens import interviews
    project, _ = study
    monkeypatch.setattr(interviews, "FIRST_ROWS", 1)
    monkeypatch.setattr(interviews, "LATER_ROWS", 1)

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("DataTable")
            assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == \
                ["CL-01", "PE-01"]
            await pilot.press("down")
            app.screen.refill()  # the cursor stays on its row once that row is back
            assert table.row_count == 1
            await pilot.pause()
            await pilot.pause()
            assert table.row_count == 2 and table.cursor_row == 1
            app.screen.refill()
            app.screen.query_one("#filter").value = "peru"
            app.screen.refill()  # before the first fill's second row was added
            await pilot.pause()
            await pilot.pause()
            assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["PE-01"]
    asyncio.run(session())


LATER = """
import asyncio, sys
from qda import open_project
from qda.tui.app import QdaApp
def screens():
    return sorted(m for m in sys.modules if m.startswith("qda.tui.screens."))
async def main():
    app = QdaApp(open_project(sys.argv[1]), "ana", "en", queue=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print(screens())
        await pilot.press("enter")
        await pilot.pause()
        print(type(app.screen).__name__, "qda.tui.screens.coding" in screens())
asyncio.run(main())
"""


def test_start_up_loads_the_interview_list_and_the_other_screens_when_shown(study):
    """The other screens' code is not imported to show the interview list; opening an
    interview loads its screen."""
    project, _ = study
    done = subprocess.run([sys.executable, "-c", LATER, str(project.root)], check=True,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.split("\n")[:2] == ["['qda.tui.screens.interviews']",
                                           "CodingScreen True"]


def test_the_collector_waits_until_a_key_has_its_screen(study, monkeypatch):
    """No garbage collection between a key and its redrawn screen; collections run again
    right after it, and quitting leaves the collector as it was."""
    import gc
    project, _ = study
    during: list[bool] = []
    sort = InterviewsScreen.action_sort
    monkeypatch.setattr(InterviewsScreen, "action_sort",
                        lambda screen: (during.append(gc.isenabled()), sort(screen)))

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("o")
            await pilot.pause()
            assert during == [False] and gc.isenabled()
            assert app.key_latencies and app.screen.sort_key == "country"
            app.set_timer(0.01, app._hold_collector)  # a key whose screen never came
            await pilot.pause(0.05)
            assert not gc.isenabled()
        assert gc.isenabled()
    assert gc.isenabled()
    asyncio.run(session())


def test_the_next_and_previous_panels_are_drawn_ahead_as_they_will_be_shown(study):
    """Once a key's answer is on screen, the panels of the passages j and k go to are drawn
    and kept; the key that moves there shows that very drawing, which is what `_show`
    draws (the test above checks every panel shown against a fresh drawing)."""
    project, (will, money, _) = study

    async def session() -> None:
        app = QdaApp(project, "ana", "en", queue=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await settle(pilot)
            screen, panel = app.screen, app.screen.query_one("PassagePanel")
            await pilot.press("a")  # accept on the first passage: its answer, then the next
            await pilot.pause()
            assert screen.current == will
            kept = dict(panel._drawn)
            drawn = []
            panel_draw = panel._draw
            panel._draw = lambda *text: drawn.append(text) or panel_draw(*text)
            await pilot.press("j")
            await pilot.pause()
            assert screen.current == money and drawn[0] == ()  # shown: the panel's own text
            shown = next(strips for strips in kept.values() if strips == panel._strips)
            assert shown is panel._strips  # the very lines drawn ahead
    asyncio.run(session())
