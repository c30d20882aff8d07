"""The terminal UI driven by Textual's pilot, with the store checked after every step, and
snapshots of each screen at 80x24 and 120x40 (tests/__snapshots__/test_tui/)."""
from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

import pytest

from qda import open_project
from qda.importing import import_paths
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
            assert ("A", "Accept all") in app.screen.keys and ("u", "Undo") in app.screen.keys
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
