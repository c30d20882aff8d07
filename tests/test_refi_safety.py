"""REFI-QDA import, round 2: a stray selection never changes how the other offsets are
read, duplicate user GUIDs are errors, and hostile nesting is one line."""
from __future__ import annotations

import pytest

from qda.errors import QdaError
from qda.imports.refi import import_project

from .conftest import run_qda
from .test_refi import ANA, QUOTES, TRAP_TEXT, guid, make_qdpx, project_xml, trap_project


def test_stray_selections_are_listed_and_do_not_flip_the_offsets(project, tmp_path):
    word = TRAP_TEXT.rindex("fuerte")
    start = len(TRAP_TEXT[:word].encode("utf-8"))  # written in UTF-8 bytes, unlike the rest
    assert start > len(TRAP_TEXT)  # no place for it in code points
    strays = "".join(
        f'<PlainTextSelection guid="{guid(800 + k)}" name="s{k}" startPosition="{start}" '
        f'endPosition="{start + 6}"><Coding guid="{guid(810 + k)}" creatingUser="{ANA}">'
        f'<CodeRef targetGUID="{guid(300)}"/></Coding></PlainTextSelection>' for k in range(2))
    path = trap_project(tmp_path / "t.qdpx", "code points", False, False, "sources", strays)
    result = import_project(project, path)
    assert result.offsets.startswith("code points"), result.offsets
    assert sum("selection 's0'" in s or "selection 's1'" in s for s in result.skipped) == 2
    text = project.store.document_text(project.store.find_document("Entrevista 1")["id"])
    coded = {text[s.start:s.end] for s in project.store.segments(codable_only=True)
             if any(c.segment_id == s.id for c in project.codings_frame().itertuples())}
    assert all(any(q in passage for passage in coded) for q in QUOTES)
    assert not any("fuerte" in passage and "Faltó" not in passage for passage in coded)


def test_two_users_with_one_guid_are_an_error(project, tmp_path):
    users = f'<User guid="{ANA}" name="ana"/><User guid="{ANA}" name="bea"/>'
    path = make_qdpx(tmp_path / "u.qdpx", project_xml("", users=users), {})
    with pytest.raises(QdaError, match="two users .*GUID"):
        import_project(project, path)


def test_codes_nested_800_deep_are_one_line(project, tmp_path):
    nested = "".join(f'<Code guid="{guid(1000 + k)}" name="c{k}" isCodable="true">'
                      for k in range(800)) + "</Code>" * 800
    path = make_qdpx(tmp_path / "deep.qdpx",
                     project_xml(f"<CodeBook><Codes>{nested}</Codes></CodeBook>"), {})
    result = run_qda("--project", project.root, "import", path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nested over 50 levels" in result.stderr
    assert len([line for line in result.stderr.splitlines() if "qda: error" in line]) == 1
