"""The review session behind the TUI: decisions, undo/redo, two coders, a second writer."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from qda import open_project
from qda.errors import QdaError
from qda.imports.pipeline import import_paths
from qda.models import Coding
from qda.review import Review

from .conftest import write_txt

BODY = ("[00:00:01] ENT: ¿Qué factores ayudaron?\n\n"
        "[00:00:04] P1: La voluntad política de la ministra fue clave.\n\n"
        "[00:00:09] P1: Faltó presupuesto para las regiones.\n\n"
        "[00:00:12] ENT: ¿Qué recomendaría?\n\n"
        "[00:00:15] P1: Hay que dejarlo en la ley.\n")


@pytest.fixture
def study(project):
    """A project with one interview and rule-like suggestions on its passages."""
    write_txt(project.root / "transcripts", "cl.txt", BODY, id="CL-1", country="Chile",
              role="expert", language="es")
    assert import_paths(project, [project.root / "transcripts"]).ok
    ids = [s.id for s in project.store.segments(codable_only=True)]
    evidence = {"rules": [{"rule": "topic.will", "kind": "topic", "words": "voluntad política",
                           "start": 3, "end": 20, "where": "passage"}]}
    with project.store.transaction():
        project.store.replace_suggestions("rules", ids, [
            Coding(ids[0], "positive_factors/political_will", "rules", "rules", "suggested",
                   0.8, evidence),
            Coding(ids[0], "challenges/budget", "rules", "rules", "suggested", 0.3),
            Coding(ids[1], "challenges/budget", "rules", "rules", "suggested", 0.7),
            Coding(ids[1], "challenges/budget", "model", "model", "suggested", 0.6)])
    return project, ids


def statuses(project, segment_id):
    return {(r["code"], r["coder"]): (r["status"], r["reviewer"])
            for r in project.store.coding_states(segment_id)}


def test_accept_reject_add_remove_memo_and_undo_redo(study):
    project, (first, second, third) = study
    review = Review(project, "ana")
    view = review.passage(first)
    assert [s.code for s in view.suggestions] == ["positive_factors/political_will",
                                                  "challenges/budget"]
    assert view.suggestions[0].spans() == [(3, 20)] and not view.reviewed

    review.accept(first, "positive_factors/political_will")
    assert statuses(project, first)[("positive_factors/political_will", "rules")] == (
        "accepted", "ana")
    assert not project.store.reviewed_by(first, "ana"), "a suggestion is still pending"
    review.reject(first, "challenges/budget")
    assert statuses(project, first)[("challenges/budget", "rules")] == ("rejected", "ana")
    assert project.store.reviewed_by(first, "ana"), "nothing left pending: reviewed"
    review.add(first, "recommendations/budget")
    assert statuses(project, first)[("recommendations/budget", "ana")] == ("accepted", "ana")
    assert review.passage(first).codes == ["positive_factors/political_will",
                                           "recommendations/budget"]
    review.memo(first, "Voluntad de la ministra, no del gobierno.")
    assert project.store.passage_memo(first, "ana") == "Voluntad de la ministra, no del gobierno."

    # undo walks back one decision at a time, redo forward, exactly
    review.undo()
    assert project.store.passage_memo(first, "ana") is None
    review.undo()
    assert ("recommendations/budget", "ana") not in statuses(project, first)
    review.redo()
    assert statuses(project, first)[("recommendations/budget", "ana")] == ("accepted", "ana")
    review.remove(first, "positive_factors/political_will")
    assert statuses(project, first)[("positive_factors/political_will", "rules")] == (
        "rejected", "ana")
    for _ in range(4):
        review.undo()
    assert statuses(project, first) == {
        ("positive_factors/political_will", "rules"): ("suggested", None),
        ("challenges/budget", "rules"): ("suggested", None)}
    assert not project.store.reviewed_by(first, "ana"), "undoing the decisions unmarks"
    assert review.undo() is None

    # both machine coders' suggestions of one code are decided together
    review.accept_all(second)
    assert statuses(project, second) == {("challenges/budget", "model"): ("accepted", "ana"),
                                         ("challenges/budget", "rules"): ("accepted", "ana")}
    # "nothing to code here" is a decision too
    review.reject_all(third)
    assert project.store.reviewed_by(third, "ana")
    with pytest.raises(QdaError, match="not a code"):
        review.add(third, "challenges/no_such_theme")


def test_a_second_coder_decides_independently_and_compares(study):
    project, (first, *_) = study
    Review(project, "ana").accept(first, "positive_factors/political_will")
    bea = Review(project, "bea")
    view = bea.passage(first)
    assert "positive_factors/political_will" in [s.code for s in view.suggestions], \
        "ana's decision must not decide for bea"
    bea.reject(first, "positive_factors/political_will")
    rows = statuses(project, first)
    assert rows[("positive_factors/political_will", "rules")] == ("accepted", "ana")
    assert rows[("positive_factors/political_will", "bea")] == ("rejected", "bea")
    assert bea.passage(first, "ana").codes == ["positive_factors/political_will"]
    assert bea.passage(first).rejected == ["positive_factors/political_will"]
    assert set(project.store.decision_makers()) >= {"ana", "bea"}


def test_undo_refuses_to_overwrite_someone_elses_later_write(study):
    project, (first, *_) = study
    review = Review(project, "ana")
    review.add(first, "lessons_learned")
    with project.store.transaction():  # another session of ana's edits the same coding
        project.store.put_coding_state(first, "lessons_learned", "ana", {
            "kind": "human", "status": "rejected", "reviewer": "ana"})
    with pytest.raises(QdaError, match="changed since"):
        review.undo()
    assert statuses(project, first)[("lessons_learned", "ana")] == ("rejected", "ana")


WRITER = textwrap.dedent("""
    import sys, time
    from qda import open_project
    from qda.models import Coding
    root, ids = sys.argv[1], [int(i) for i in sys.argv[2].split(",")]
    with open_project(root) as project:
        print("ready", flush=True)
        for round_ in range(6):
            with project.store.transaction():   # hold the write lock like a long autocode
                for sid in ids:
                    project.store.upsert_human_codings(
                        [Coding(sid, "lessons_learned", f"bea{round_}", "human", "accepted")])
                    project.store.mark_reviewed([sid], f"bea{round_}")
                time.sleep(0.25)
""")


def test_concurrent_writer_loses_nothing_and_does_not_crash(study):
    project, ids = study
    root = project.root
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(root), ",".join(map(str, ids))],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "ready"
    with open_project(root) as mine:
        review = Review(mine, "ana")
        for _ in range(3):
            for sid in ids:
                review.add(sid, "recommendations")
                review.memo(sid, f"memo {sid}")
                review.undo()
                review.undo()
                review.add(sid, "sustainability")
    assert writer.wait(timeout=60) == 0
    with open_project(root) as check:
        for sid in ids:
            rows = statuses(check, sid)
            assert rows[("sustainability", "ana")] == ("accepted", "ana")
            assert ("recommendations", "ana") not in rows
            assert check.store.passage_memo(sid, "ana") is None
            assert all(rows[("lessons_learned", f"bea{r}")] == ("accepted", f"bea{r}")
                       for r in range(6))
            assert {f"bea{r}" for r in range(6)} | {"ana"} <= set(
                check.store.decision_makers())


def test_review_refuses_a_machine_name(study):
    project, _ = study
    with pytest.raises(QdaError, match="machine coder"):
        Review(project, "rules")


def test_accept_and_reject_all_act_on_the_suggestions_seen(study):
    project, (first, second, third) = study
    review = Review(project, "ana")
    seen = [s.code for s in review.passage(first).suggestions]
    with project.store.transaction():  # a suggestion arrives after the screen was drawn
        project.store.replace_suggestions("model", [first], [
            Coding(first, "lessons_learned/gradualism", "model", "model", "suggested", 0.9)])
    review.accept_all(first, seen)
    rows = statuses(project, first)
    assert rows[("positive_factors/political_will", "rules")] == ("accepted", "ana")
    assert rows[("challenges/budget", "rules")] == ("accepted", "ana")
    assert rows[("lessons_learned/gradualism", "model")] == ("suggested", None)
    assert not project.store.reviewed_by(first, "ana"), "the new suggestion is pending"
    review.reject_all(first, [])  # R on what is shown now: the new one, explicitly
    review.reject_all(first, ["lessons_learned/gradualism"])
    assert statuses(project, first)[("lessons_learned/gradualism", "model")] == (
        "rejected", "ana")
    assert project.store.reviewed_by(first, "ana")


def test_a_coding_of_part_of_a_passage_keeps_its_span_and_undoes(study):
    project, (first, *_) = study
    segment = project.store.segment(first)
    review = Review(project, "ana")
    span = (segment.start + 3, segment.start + 20)
    review.add(first, "lessons_learned", span)
    assert review.passage(first).spans == {"lessons_learned": [span]}
    frame = project.codings_frame(parts=True)
    row = frame[frame.code == "lessons_learned"].iloc[0]
    assert (row.start, row.end, row.text) == (*span, "voluntad política")
    review.undo()
    assert ("lessons_learned", "ana") not in statuses(project, first)
    with pytest.raises(QdaError, match="not inside passage"):
        review.add(first, "lessons_learned", (segment.start, segment.end + 5))
    review.add(first, "lessons_learned", (segment.start, segment.end))  # whole = no span
    assert review.passage(first).spans == {}


def test_two_parts_of_one_passage_with_one_code_are_kept_apart_and_undo(study):
    project, (first, *_) = study
    segment = project.store.segment(first)
    review = Review(project, "ana")
    a, b = (segment.start + 3, segment.start + 10), (segment.start + 25, segment.start + 40)
    review.add(first, "lessons_learned", a)
    review.add(first, "lessons_learned", b)
    assert review.passage(first).spans == {"lessons_learned": [a, b]}
    # words touching a part widen it; nothing is stored twice
    review.add(first, "lessons_learned", (a[0] + 2, a[1] + 3))
    wider = (a[0], a[1] + 3)
    assert review.passage(first).spans == {"lessons_learned": [wider, b]}
    parts = project.codings_frame(parts=True)
    parts = parts[parts.code == "lessons_learned"]
    assert list(zip(parts.start, parts.end, parts.text)) == [
        (*wider, segment.text[3:13]), (*b, segment.text[25:40])]
    assert len(project.codings_frame().query("code == 'lessons_learned'")) == 1  # one coding
    review.remove(first, "lessons_learned", b)  # one part off, the other stays
    assert review.passage(first).spans == {"lessons_learned": [wider]}
    review.undo()
    assert review.passage(first).spans == {"lessons_learned": [wider, b]}
    review.undo()
    assert review.passage(first).spans == {"lessons_learned": [a, b]}
    review.redo()
    # the last part removed removes the code; undo puts both parts back
    review.remove(first, "lessons_learned")
    assert "lessons_learned" not in review.passage(first).codes
    review.undo()
    assert review.passage(first).spans == {"lessons_learned": [wider, b]}
    # coding the whole passage is explicit; a part of a code already on the whole is refused
    review.add(first, "lessons_learned")
    assert review.passage(first).spans == {}
    with pytest.raises(QdaError, match="already on the whole passage"):
        review.add(first, "lessons_learned", a)
    assert review.passage(first).spans == {}


def test_merging_two_codes_keeps_the_parts_of_both_and_undoes(study):
    project, (first, *_) = study
    store, segment = project.store, project.store.segment(first)
    review = Review(project, "ana")
    a, b = (segment.start + 3, segment.start + 10), (segment.start + 25, segment.start + 40)
    review.add(first, "lessons_learned", a)
    review.add(first, "recommendations", b)
    rows = store.retrieve("lessons_learned")
    assert [(r["start"], r["end"]) for r in rows] == [a]
    snapshot = store.code_snapshot(["lessons_learned", "recommendations"])
    with store.transaction():
        store.move_codings("lessons_learned", "recommendations")
    assert review.passage(first).spans == {"recommendations": [a, b]}
    parts = store.retrieve("recommendations")  # a row per part, one coding
    assert [(r["start"], r["end"]) for r in parts] == [a, b] and len({r["id"] for r in parts}) == 1
    with store.transaction():  # what undoing a merge on the codebook screen does
        store.restore_code_snapshot(["lessons_learned", "recommendations"], snapshot)
    assert review.passage(first).spans == {"lessons_learned": [a], "recommendations": [b]}


def test_memos_on_an_interview_and_a_code_undo_and_redo(study):
    project, _ = study
    review = Review(project, "ana")
    doc = project.store.find_document("CL-1")["id"]
    review.note("Entrevista larga [pausa].", document_id=doc)
    review.note("Definir mejor.", code="challenges/budget")
    assert project.store.note("ana", "document", doc) == "Entrevista larga [pausa]."
    assert project.store.note("ana", "code", "challenges/budget") == "Definir mejor."
    assert {(m["document"], m["code"]) for m in project.store.memo_rows()} == {
        ("CL-1", None), (None, "challenges/budget")}
    review.undo()
    assert project.store.note("ana", "code", "challenges/budget") is None
    review.redo()
    review.note("", code="challenges/budget")  # blank deletes
    assert project.store.note("ana", "code", "challenges/budget") is None


def test_a_review_stops_when_the_store_file_is_gone(study, tmp_path):
    from qda.review import StoreGone
    project, (first, *_) = study
    review = Review(project, "ana")
    path = project.store.path
    saved = path.read_bytes()
    path.unlink()
    with pytest.raises(StoreGone, match="deleted"):
        review.accept(first, "challenges/budget")
    path.write_bytes(saved)  # a different file at the same path is not the project's
    with pytest.raises(StoreGone, match="replaced"):
        review.accept(first, "challenges/budget")
