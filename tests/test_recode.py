"""Renaming and merging themes: codings move with them and no decision is lost."""
from __future__ import annotations

import pytest

from qda.analysis import frequencies, load
from qda.codebook.edit import move_code, orphans, rename_code
from qda.errors import QdaError, UsageError
from qda.imports.pipeline import import_paths
from qda.models import Coding

from .conftest import run_qda, write_txt

BODY = ("[00:00:01] ENT: ¿Qué factores ayudaron?\n\n"
        "[00:00:04] P1: La voluntad política de la ministra fue clave.\n\n"
        "[00:00:09] P1: Y la alianza con la universidad.\n")
WILL, ALLIANCES, LEADERSHIP = ("positive_factors/political_will", "positive_factors/alliances",
                               "positive_factors/leadership")


@pytest.fixture
def coded(project, tmp_path):
    """One interview: ana accepted political will on the first passage and rejected
    alliances there; bea accepted alliances on the second; a memo on political will."""
    write_txt(tmp_path, "cl.txt", BODY, id="CL-1", country="Chile", role="expert")
    assert import_paths(project, [tmp_path / "cl.txt"]).ok
    first, second = [s.id for s in project.store.segments(codable_only=True)]
    store = project.store
    with store.transaction():
        store.upsert_human_codings([Coding(first, WILL, "ana", "human", "accepted"),
                                    Coding(first, ALLIANCES, "ana", "human", "rejected"),
                                    Coding(second, ALLIANCES, "bea", "human", "accepted")])
        store.add_memo_once("¿voluntad o liderazgo?", "ana", code_id=store.code_ids()[WILL])
    return project, first, second


def rename_in_files(project, old: str, new: str) -> None:
    for path in [project.root / project.settings.codebook,
                 *(project.root / "codebook" / "patterns").glob("*.yaml")]:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    project.reload_codebook()


def accepted(project) -> set[tuple[int, str, str]]:
    frame = project.codings_frame(status="accepted")
    return set(zip(frame.segment_id, frame.code, frame.coder))


def test_a_renamed_theme_keeps_its_codings_once_moved(coded):
    project, first, _ = coded
    rename_in_files(project, WILL, LEADERSHIP)
    assert [(o["path"], o["codings"], o["accepted"], o["memos"]) for o in orphans(project)] == [
        (WILL, 1, 1, 1)]
    warned = run_qda("codebook", "check", cwd=project.root)
    assert warned.returncode == 0 and f"qda codebook move {WILL}" in warned.stderr

    moved = move_code(project, WILL, LEADERSHIP)
    assert (moved.codings, moved.merged, moved.memos) == (1, 0, 1)
    assert orphans(project) == [] and (first, LEADERSHIP, "ana") in accepted(project)
    counts = frequencies(load(project), "country", "en").set_index(["code", "group"])
    assert counts.at[(LEADERSHIP, "Chile"), "interviews"] == 1
    assert "no longer has" not in run_qda("codebook", "check", cwd=project.root).stderr


def test_merging_keeps_the_stronger_decision_of_each_coder(coded):
    project, first, second = coded
    rename_in_files(project, WILL, LEADERSHIP)
    move_code(project, WILL, LEADERSHIP)
    moved = move_code(project, ALLIANCES, LEADERSHIP)  # alliances merged into leadership
    assert (moved.codings, moved.merged) == (1, 1)
    assert accepted(project) == {(first, LEADERSHIP, "ana"), (second, LEADERSHIP, "bea")}
    assert project.codings_frame(status="rejected").empty  # ana accepted one of the two


def test_moves_that_make_no_sense_are_refused_and_change_nothing(coded):
    project, _, _ = coded
    before = accepted(project)
    for old, new, message in ((WILL, "positive_factors/nope", "not in the codebook"),
                              ("positive_factors", ALLIANCES, "the axes stay"),
                              ("challenges/nope", ALLIANCES, "no codings or memos"),
                              (WILL, WILL, "the same")):
        with pytest.raises(UsageError, match=message):
            move_code(project, old, new)
    assert accepted(project) == before
    result = run_qda("codebook", "move", WILL, "positive_factors/nope", cwd=project.root)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_of_two_suggestions_on_one_passage_the_surer_stays(coded):
    project, _, second = coded
    with project.store.transaction():
        project.store.replace_suggestions("rules", [second], [
            Coding(second, WILL, "rules", "rules", confidence=0.9),
            Coding(second, ALLIANCES, "rules", "rules", confidence=0.6)])
    move_code(project, ALLIANCES, WILL)
    rules = project.codings_frame(status="suggested")
    assert list(zip(rules.segment_id, rules.code, rules.confidence)) == [(second, WILL, 0.9)]


def test_rename_changes_codebook_patterns_and_project_at_once(coded):
    project, first, _ = coded
    files = [project.root / project.settings.codebook,
             *(project.root / "codebook" / "patterns").glob("*.yaml")]
    before = {path: path.read_text(encoding="utf-8") for path in files}
    result = run_qda("codebook", "rename", WILL, LEADERSHIP, cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert all(WILL not in path.read_text(encoding="utf-8") for path in files)
    project.reload_codebook()
    assert LEADERSHIP in project.codebook and orphans(project) == []
    assert (first, LEADERSHIP, "ana") in accepted(project)
    assert run_qda("codebook", "check", cwd=project.root).stderr == ""

    changed = {path: path.read_text(encoding="utf-8") for path in files}
    for new, message in ((ALLIANCES, "already in the codebook"),
                         ("nope/x", "under one of the axes"),
                         ("positive_factors/Not A Slug", "would not be valid")):
        with pytest.raises((UsageError, QdaError), match=message):
            rename_code(project, LEADERSHIP, new)
        assert {p: p.read_text(encoding="utf-8") for p in files} == changed
        assert (first, LEADERSHIP, "ana") in accepted(project)
    assert before != changed
