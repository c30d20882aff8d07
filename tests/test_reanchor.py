"""Re-importing an edited transcript keeps every human decision and says what moved."""
from __future__ import annotations

import json

from qda.imports.pipeline import import_codings, import_paths
from qda.models import Coding
from qda.text.locate import locate

from .conftest import run_qda, write_txt

PASSAGES = [
    "La voluntad política de la ministra fue decisiva para empezar el plan de formación.",
    "Faltó presupuesto para las regiones y eso retrasó todo el primer año del programa.",
    "La mesa intersectorial se reunía cada mes y ahí se tomaban los acuerdos importantes.",
    "Lo que aprendimos es que sin la unidad de género nada de esto habría durado tanto.",
    "Recomendaría asegurar una ley que obligue a mantener la capacitación continua.",
]


def body(passages: list[str]) -> str:
    turns = []
    for i, text in enumerate(passages):
        turns.append(f"ENT: Pregunta número {i + 1}, cuénteme por favor.\n\nP1: {text}\n")
    return "\n".join(turns)


def coded_project(project, tmp_path):
    """A transcript with reference codings on every passage, a rejected and a pending
    machine suggestion, a review with no code, and a memo."""
    path = write_txt(tmp_path, "cl.txt", body(PASSAGES), id="CL-09", country="Chile")
    assert import_paths(project, [path]).ok
    ref = tmp_path / "ref.csv"
    ref.write_text("document,text,codes\n"
                   f"CL-09,{PASSAGES[0]},positive_factors/political_will\n"
                   f"CL-09,{PASSAGES[1]},challenges/budget\n"
                   f"CL-09,{PASSAGES[3]},lessons_learned\n"
                   f"CL-09,{PASSAGES[4]},recommendations\n", encoding="utf-8")
    assert import_codings(project, [ref], "ana").ok
    store = project.store
    segs = {s.text: s for s in store.segments(codable_only=True)}
    with store.transaction():
        store.replace_suggestions("rules", [segs[PASSAGES[2]].id], [
            Coding(segs[PASSAGES[2]].id, "positive_factors", "rules", "rules"),
            Coding(segs[PASSAGES[2]].id, "challenges", "rules", "rules")])
        store.mark_reviewed([segs[PASSAGES[2]].id], "bea")  # bea: nothing to code here
        store.add_memo_once("la mesa: revisar con el equipo", "ana",
                            segment_id=segs[PASSAGES[2]].id)
    store.review_coding(segs[PASSAGES[2]].id, "challenges", "rules", "rejected", "ana")
    return path, segs


def decisions(project) -> dict[tuple[str, str], tuple[str, str]]:
    frame = project.codings_frame()
    return {(r.code, r.coder): (r.text, r.status) for r in frame.itertuples()}


def test_edit_moves_codings_and_flags_what_cannot_be_placed(project, tmp_path):
    path, old = coded_project(project, tmp_path)
    top = max(s.id for s in old.values())
    edited = list(PASSAGES)
    edited[1] = edited[1].replace("Faltó presupuesto", "Faltó mucho presupuesto")  # typo fix
    edited.insert(0, "Una respuesta nueva que la transcriptora agregó al revisar el audio.")
    edited[4] = "Esta respuesta fue re-transcrita por completo y ya no dice lo mismo."
    write_txt(tmp_path, "cl.txt", body(edited), id="CL-09", country="Chile")

    report = import_paths(project, [path])
    assert report.ok and [name for _, name, _ in report.imported] == ["CL-09"]
    (moved,) = report.reanchored
    assert (moved.stayed, moved.moved, moved.review, moved.dropped) == (3, 1, 1, 1)
    assert "3 stayed, 1 moved, 1 need review" in report.notes[0][1]
    assert "1 unreviewed machine suggestions dropped" in report.notes[0][1]

    now = decisions(project)
    assert now[("positive_factors/political_will", "ana")] == (PASSAGES[0], "accepted")
    assert now[("challenges/budget", "ana")] == (edited[2], "accepted")  # the edited passage
    assert now[("recommendations", "ana")] == (edited[5], "accepted")
    assert now[("challenges", "rules")] == (PASSAGES[2], "rejected")  # a human decision
    assert ("positive_factors", "rules") not in now  # pending suggestion dropped
    # the passage that is gone: its decision kept, detached, with the old text
    assert ("lessons_learned", "ana") not in now
    flagged = project.store.flagged()
    (gone,) = flagged["detached"]
    assert (gone["code"], gone["coder"], gone["status"]) == ("lessons_learned", "ana",
                                                             "accepted")
    assert gone["old_text"] == PASSAGES[3] and gone["near_segment_id"] is not None
    assert flagged["review"] == [] and flagged["memos"] == []

    segs = project.store.segments()
    text = project.store.document_text(segs[0].document_id)
    assert all(text[s.start:s.end] == s.text for s in segs)
    assert min(s.id for s in segs) > top  # no old passage id is reused
    mesa = next(s for s in segs if s.text == PASSAGES[2])
    assert project.store.passage_memo(mesa.id, "ana") == "la mesa: revisar con el equipo"
    assert project.store.reviewed_by(mesa.id, "bea")

    # once dealt with it can be dismissed; re-importing the same file adds nothing
    result = run_qda("--project", project.root, "flagged", "--dismiss", gone["id"])
    assert result.returncode == 0, result.stderr
    assert not any(project.store.flagged().values())
    assert run_qda("--project", project.root, "flagged", "--dismiss", "999").returncode == 1
    assert not import_paths(project, [path]).imported


def test_a_passage_memo_that_cannot_be_placed_stays_on_the_document(project, tmp_path):
    path, old = coded_project(project, tmp_path)
    edited = [p for p in PASSAGES if p != PASSAGES[2]]
    write_txt(tmp_path, "cl.txt", body(edited), id="CL-09", country="Chile")
    report = import_paths(project, [path])
    assert report.reanchored[0].memos_review == 1
    memos = project.store.flagged()["memos"]
    assert [m["text"] for m in memos] == ["la mesa: revisar con el equipo"]
    assert json.loads(memos[0]["anchor_note"])["old_text"] == PASSAGES[2]
    assert ("challenges", "rules") not in decisions(project)  # its passage is gone...
    result = run_qda("--project", project.root, "flagged", "--json", check=True)
    listed = json.loads(result.stdout)
    assert {(r["what"], r["code"], r["old_status"]) for r in listed} == {
        ("detached", "challenges", "rejected"), ("memo", None, None)}  # ...not the rejection


def test_passages_merged_with_different_decisions_go_back_to_review(project, tmp_path):
    path = write_txt(tmp_path, "m.txt", body(PASSAGES[:2]), id="M1")
    assert import_paths(project, [path]).ok
    first, second = project.store.segments(codable_only=True)
    with project.store.transaction():
        project.store.upsert_human_codings([
            Coding(first.id, "challenges", "ana", "human", "accepted"),
            Coding(second.id, "challenges", "ana", "human", "rejected")])
    merged = PASSAGES[0] + " " + PASSAGES[1]  # the transcriber joined the two answers
    write_txt(tmp_path, "m.txt", "ENT: Pregunta.\n\nP1: " + merged + "\n\nENT: ¿Y?\n\n"
              "P1: Nada más.\n", id="M1")
    assert import_paths(project, [path]).ok
    (review,) = project.store.flagged()["review"]
    assert review["code"] == "challenges" and "different decisions" in review["anchor_note"]
    assert decisions(project)[("challenges", "ana")] == (merged, "suggested")


def test_locate_prefers_the_copy_nearest_the_old_place():
    text = "Sí, claro. " + "relleno " * 500 + "Sí, claro. " + "más " * 10
    second = text.rindex("Sí, claro.")
    assert locate("Sí, claro.", text, second - 30).start == second
    assert locate("Sí, claro.", text, 5).start == 0
    edited = text.replace("relleno relleno", "relleno, relleno", 1)
    old = "relleno " * 12
    assert locate(old.strip(), edited, 100) is not None
    assert locate("Una frase que no aparece en ninguna parte del texto.", text, 0) is None


LONG = [
    "La voluntad política de la ministra fue decisiva para empezar el plan de formación, y "
    "después todos los equipos regionales se sumaron sin que nadie tuviera que insistirles.",
    "Faltó presupuesto para las regiones y eso retrasó el primer año del programa, aunque al "
    "final logramos cubrir los talleres con recursos propios de cada municipio participante.",
]


def test_coded_parts_follow_their_words_and_a_lost_part_is_flagged_not_widened(project,
                                                                                tmp_path):
    from qda.imports.reanchor import flagged_rows
    from qda.review import Review
    path = write_txt(tmp_path, "s.txt", body(LONG), id="S1")
    assert import_paths(project, [path]).ok
    will, money = project.store.segments(codable_only=True)
    review = Review(project, "ana")

    def part(segment, words):
        at = segment.start + segment.text.index(words)
        return at, at + len(words)
    for words in ("voluntad política", "equipos regionales"):  # two parts, one code
        review.add(will.id, "positive_factors/political_will", part(will, words))
    review.add(will.id, "lessons_learned", part(will, "ministra"))
    for words in ("primer año", "recursos propios"):
        review.add(money.id, "challenges/budget", part(money, words))

    edited = ["Una respuesta nueva que la transcriptora agregó al revisar el audio.",
              LONG[0].replace("la ministra", "la nueva jefa"),  # the coded word is gone
              LONG[1].replace("el primer año", "el año")]  # a coded part's words are gone
    write_txt(tmp_path, "s.txt", body(edited), id="S1")
    report = import_paths(project, [path])
    (moved,) = report.reanchored
    assert (moved.moved, moved.review) == (2, 2)

    store = project.store
    text = store.document_text(will.document_id)
    new_will, new_money = (s for s in store.segments(codable_only=True)
                           if s.text in (edited[1], edited[2]))
    parts = project.codings_frame(parts=True)
    kept = {(r.code, r.text): (r.start, r.end, r.segment_id) for r in parts.itertuples()}
    # each part stays on its own words, at their new offsets
    assert set(kept) == {("positive_factors/political_will", "voluntad política"),
                         ("positive_factors/political_will", "equipos regionales"),
                         ("challenges/budget", "recursos propios")}
    for (_, words), (start, end, segment_id) in kept.items():
        assert text[start:end] == words
        assert segment_id in (new_will.id, new_money.id)
    assert kept[("challenges/budget", "recursos propios")][0] != part(money,
                                                                      "recursos propios")[0]
    # a part whose words were deleted is never widened to the passage: kept and flagged
    whole = project.codings_frame()
    assert not ((whole.code == "lessons_learned") & (whole.coder == "ana")).any()
    lost = {(r["code"], r["old_text"]): r for r in flagged_rows(store)}
    assert set(lost) == {("lessons_learned", "ministra"), ("challenges/budget", "primer año")}
    budget = lost[("challenges/budget", "primer año")]
    assert (budget["old_status"], budget["segment_id"]) == ("accepted", new_money.id)
    assert "coded part not found" in budget["reason"]
    assert "'primer año' is not in passage" in report.notes[0][1]
