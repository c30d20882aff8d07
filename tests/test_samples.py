"""The shipped sample corpus, codebook and reference coding hold together (issue 3)."""
from __future__ import annotations

import re
from collections import Counter

import pytest

import qda
from qda.codebook import model as codebook
from qda.imports.pipeline import import_codings, import_paths
from qda.ingest import coded

from .conftest import REPO

TRANSCRIPTS = REPO / "transcripts"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample corpus and its reference coding imported into a fresh project."""
    root = tmp_path_factory.mktemp("sample")
    with qda.init_project(root / "p") as project:
        imported = import_paths(project, [TRANSCRIPTS])
        reference = import_codings(project, [TRANSCRIPTS / "reference"], "reference")
        yield project, imported, reference


def readme_table() -> list[dict[str, str]]:
    text = (TRANSCRIPTS / "README.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if re.match(r"^\| [A-Z]{2}-\d\d \|", line)]
    header = ["id", "file", "format", "country", "role", "policy", "sector", "language", "date"]
    return [dict(zip(header, (c.strip().strip("`") for c in line.strip("|").split("|"))))
            for line in lines]


def test_every_sample_imports_without_a_warning(sample):
    project, imported, reference = sample
    assert imported.ok and not imported.unchanged
    assert len(imported.imported) == 12
    assert reference.ok and len(reference.imported) == 12


def test_corpus_shape(sample):
    project, _, _ = sample
    docs = project.documents_frame()
    assert Counter(docs.country) == {"Chile": 3, "Colombia": 3, "Mexico": 3, "Peru": 3}
    assert {"designer_implementer", "expert", "beneficiary"} <= set(docs.role)
    assert docs.policy.nunique() >= 8
    langs = Counter(docs.language)
    assert langs["es"] >= 8 and langs["en"] >= 3
    suffixes = Counter(p.rsplit(".", 1)[1] for p in docs.source_path)
    assert suffixes["docx"] >= 2 and suffixes["vtt"] + suffixes["srt"] >= 2
    for row in docs.itertuples():
        text = project.store.document_text(row.id)
        words = len(text.split())
        assert 1500 <= words <= 3600, (row.name, words)


def test_counts_match_the_readme(sample):
    project, _, _ = sample
    docs = project.documents_frame().set_index("name")
    table = readme_table()
    assert len(table) == 12
    for row in table:
        doc = docs.loc[row["id"]]
        assert (doc.country, doc.role, doc.language, doc.policy, doc.sector) == (
            row["country"], row["role"], row["language"], row["policy"], row["sector"]), row["id"]
        assert doc.source_path.endswith(row["file"])


def test_every_sample_says_it_is_fictional():
    for path in TRANSCRIPTS.iterdir():
        if path.suffix in (".txt", ".md", ".vtt"):
            head = path.read_text(encoding="utf-8")[:1500].lower()
            assert "ficticia" in head or "fictional" in head, path.name
    sidecar = (TRANSCRIPTS / "interviews.csv").read_text(encoding="utf-8").lower()
    assert sidecar.count("fictional") == 4  # the docx and srt files without front matter


def test_every_respondent_passage_has_a_reference_decision(sample):
    project, _, _ = sample
    segments = project.segments_frame()
    reviews = project.store.reviews_frame()
    reviewed = set(reviews[reviews.coder == "reference"].segment_id)
    missing = segments[~segments.segment_id.isin(reviewed)]
    assert missing.empty, missing[["document", "text"]].head().to_string()
    codings = project.codings_frame()
    assert set(codings.coder) == {"reference"} and set(codings.status) == {"accepted"}
    # every axis is coded in every country, and some passages carry none or several codes
    assert codings.groupby("country").axis.nunique().min() == 5
    per_segment = codings.groupby("segment_id").size()
    assert (per_segment >= 2).sum() >= 12
    assert len(segments) - len(per_segment) >= 40


def test_reference_codes_exist_in_the_codebook():
    book = codebook.load(REPO / "qda" / "data" / "codebook" / "codebook.yaml")
    for path in sorted((TRANSCRIPTS / "reference").glob("*.csv")):
        for line, row in coded.rows(path):
            for code in row["codes"]:
                assert code in book, f"{path.name}:{line}: {code}"


def test_codebook_validates_and_is_complete():
    path = REPO / "qda" / "data" / "codebook" / "codebook.yaml"
    assert codebook.problems(path) == []
    book = codebook.load(path)
    axes = [c for c in book.codes if c.theme is None]
    assert [c.path for c in axes] == ["positive_factors", "challenges", "sustainability",
                                      "lessons_learned", "recommendations"]
    for axis in axes:
        assert sum(c.axis == axis.path for c in book.codes if c.theme) >= 3
    for code in book.codes:
        assert code.labels["es"] and code.labels["en"]
        for field in ("definition", "use_when", "not_when", "example"):
            assert code.info.get(field), (code.path, field)
    assert "Code only respondent passages" in book.notes or "respondent" in book.notes
