"""The one passage locator (qda/text/locate.py) used by import, re-anchoring, REFI and quotes."""
from __future__ import annotations

from qda.text.locate import locate

PASSAGE = "La voluntad política de la alcaldesa fue clave para el programa."
FILLER = "Otra cosa que se dijo en la entrevista sin relación alguna. " * 60
TEXT = "ENT: ¿Qué funcionó?\n\nP1: " + PASSAGE + "\n\n" + FILLER


def test_exact_text_is_found_where_it_is():
    found = locate(PASSAGE, TEXT)
    assert found is not None and found.exact and found.score == 100.0
    assert TEXT[found.start:found.end] == PASSAGE
    assert locate(PASSAGE, TEXT, near=TEXT.index(PASSAGE)).start == TEXT.index(PASSAGE)


def test_moved_text_is_found_and_the_copy_nearest_its_old_place_wins():
    moved = FILLER + "P1: " + PASSAGE + "\n\n" + FILLER + PASSAGE
    first, second = moved.index(PASSAGE), moved.rindex(PASSAGE)
    assert locate(PASSAGE, moved).start == first  # nowhere expected: the first copy
    assert locate(PASSAGE, moved, near=second - 40).start == second
    assert locate(PASSAGE, moved, near=first + 40).start == first
    assert locate(PASSAGE, moved, near=10 * len(moved)).start == second


def test_edited_text_is_aligned_fuzzily_near_its_old_place_first():
    edited_passage = PASSAGE.replace("fue clave", "fue muy clave")
    edited = TEXT.replace(PASSAGE, edited_passage) + "\n\n" + edited_passage
    near = edited.index(edited_passage)
    found = locate(PASSAGE, edited, near=near)
    assert found is not None and not found.exact and 90 <= found.score < 100
    assert abs(found.start - near) < 5 and "alcaldesa" in edited[found.start:found.end]
    second = edited.rindex(edited_passage)
    assert second - near > 2000  # beyond the first window around the first copy
    assert abs(locate(PASSAGE, edited, near=second + 3).start - second) < 5


def test_absent_text_is_none_unless_the_best_alignment_is_wanted_for_its_score():
    absent = "Un pasaje que nadie dijo nunca en ninguna de las entrevistas."
    assert locate(absent, TEXT) is None
    assert locate(absent, TEXT, near=30) is None
    assert locate("", TEXT) is None and locate("   ", TEXT) is None
    best = locate(absent, TEXT, near=30, floor=0)
    assert best is not None and not best.exact and best.score < 90


def test_cutoff_min_fuzzy_and_squeeze():
    rewritten = PASSAGE.replace("política", "politica")
    assert locate(rewritten, TEXT) is not None  # one accent: above 90
    assert locate(rewritten, TEXT, cutoff=99.5) is None
    short = "fue clavee"  # a short passage is placed only by its exact text when asked
    assert locate(short, TEXT, cutoff=80) is not None
    assert locate(short, TEXT, cutoff=80, min_fuzzy=20) is None
    typed = "La voluntad   política de la\nalcaldesa fue clave para el programa."
    assert locate(typed, TEXT, cutoff=99) is None
    found = locate(typed, TEXT, cutoff=99, squeeze=True)
    assert found is not None and TEXT[found.start:found.end] == PASSAGE


def test_a_text_shorter_than_the_passage_holds_no_alignment():
    assert locate(PASSAGE + " Y algo más que se añadió después.", PASSAGE) is None
