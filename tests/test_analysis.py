"""Findings tables, tests, saturation, charts and their command line (issue 7).

The small project below is counted by hand in the comments; every number asserted here
follows from it.
"""
from __future__ import annotations

import csv
import importlib
import io
import itertools
import json
import math

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import qda
from qda import analysis
from qda.analysis.cases import CaseData, participant_ids
from qda.analysis.differences import freeman_halton, group_test
from qda.analysis.frequencies import ANY, TOTAL
from qda.cli import app
from qda.errors import UsageError
from qda.export.charts import write_charts
from qda.imports.pipeline import import_coded, import_codings
from qda.models import Coding

from .conftest import run_qda

PW = "positive_factors/political_will"
BUDGET = "challenges/budget"
TURNOVER = "sustainability/staff_turnover"

# document, country, role, policy, sector, date, text, codes
PASSAGES = [
    ("A1", "Chile", "expert", "P1", "education", "2022-01-10",
     "La voluntad política fue clave desde el inicio.", PW),
    ("A1", "", "", "", "", "", "Y de nuevo la voluntad política de la ministra.", PW),
    ("A1", "", "", "", "", "", "Faltó presupuesto y hubo rotación del equipo.",
     f"{BUDGET};{TURNOVER}"),
    ("A1", "", "", "", "", "", "Nada relevante en esta parte de la conversación.", ""),
    ("A2", "Chile", "beneficiary", "P1", "education", "2022-01-05",
     "Nos faltó plata para los talleres.", BUDGET),
    ("A2", "", "", "", "", "", "Aprendimos a escuchar a las mujeres.", "lessons_learned"),
    ("B1", "Peru", "expert", "P2", "economy", "2022-01-20",
     "Hubo mucha voluntad política en el ministerio.", PW),
    ("B1", "", "", "", "", "", "Recomiendo asegurar más presupuesto.", "recommendations/budget"),
    ("B2", "Peru", "designer_implementer", "P3", "gender", "2022-01-15",
     "Hubo resistencias internas muy fuertes.", "challenges/resistance"),
    ("B2", "", "", "", "", "", "Otra cosa sin relación con la política.", ""),
    ("C1", "Mexico", "expert", "P4", "economy", "2022-02-01",
     "Sin comentarios sobre ese punto.", ""),
]
# By hand: 5 interviews (Chile 2, Peru 2, Mexico 1) and 11 passages (Chile 6, Peru 4,
# Mexico 1). Political will: A1 twice and B1 -> 2 interviews, 3 passages.


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("analysis")
    source = root / "coded.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["document", "country", "role", "policy", "sector", "date", "text",
                         "codes"])
        writer.writerows(PASSAGES)
    with qda.init_project(root / "p") as project:
        assert import_coded(project, source, "reference").ok
        # a second coder adds one accepted coding, and rejects one
        second = root / "ana.csv"
        second.write_text("document,text,codes\nA1,Nada relevante en esta parte de la "
                          "conversación.,challenges/resistance\n", encoding="utf-8")
        assert import_codings(project, [second], "ana").ok
        segments = project.segments_frame().set_index("text")["segment_id"]
        with project.store.transaction():
            project.store.upsert_human_codings([Coding(
                int(segments["Sin comentarios sobre ese punto."]), BUDGET, "ana", "human",
                "rejected")])
            # machine suggestions: one new interview (C1), one new passage in an interview
            # already raising the theme (A1), one on a passage already accepted (B1)
            targets = ["Sin comentarios sobre ese punto.",
                       "Nada relevante en esta parte de la conversación.",
                       "Hubo mucha voluntad política en el ministerio."]
            project.store.replace_suggestions("rules", [int(segments[t]) for t in targets], [
                Coding(int(segments[t]), PW, "rules", "rules", "suggested", 0.7)
                for t in targets])
        yield project


def cell(freq: pd.DataFrame, code: str, group: str) -> pd.Series:
    return freq[(freq["code"] == code) & (freq["group"] == group)].iloc[0]


def test_counts_by_country_checked_by_hand(small):
    freq = analysis.frequencies(small, by="country")
    pw = cell(freq, PW, "Chile")
    # A1 raises political will in two passages: one interview, two passages
    assert (pw.interviews, pw.group_interviews, pw.passages, pw.group_passages) == (1, 2, 2, 6)
    assert pw.interview_share == 0.5 and pw.passage_share == pytest.approx(2 / 6)
    total = cell(freq, PW, TOTAL)
    assert (total.interviews, total.group_interviews, total.passages) == (2, 5, 3)
    assert total.interview_share == pytest.approx(0.4)
    assert cell(freq, PW, "Mexico").interviews == 0
    assert cell(freq, BUDGET, "Chile").interview_share == 1.0
    # a theme implies its axis; a bare axis coding counts for the axis
    assert cell(freq, "positive_factors", TOTAL).interviews == 2
    assert cell(freq, "challenges", TOTAL).interviews == 3  # A1, A2, B2
    assert cell(freq, "challenges", TOTAL).passages == 4  # A1 x2 (one by ana), A2, B2
    assert cell(freq, "lessons_learned", TOTAL).interviews == 1
    # the second coder's accepted coding counts; the rejected one never does
    assert cell(freq, "challenges/resistance", TOTAL).interviews == 2
    assert cell(freq, BUDGET, "Mexico").interviews == 0
    anything = cell(freq, ANY, TOTAL)
    assert (anything.interviews, anything.passages, anything.group_passages) == (4, 9, 11)
    assert "suggested_interviews" not in freq.columns
    assert set(freq["group"]) == {"Chile", "Mexico", "Peru", TOTAL}


def test_only_one_coders_codings(small):
    freq = analysis.frequencies(small, coders=["reference"])
    assert cell(freq, "challenges/resistance", TOTAL).interviews == 1
    assert cell(freq, ANY, TOTAL).passages == 8


def test_other_splits(small):
    by_role = analysis.frequencies(small, by="role", lang="es")
    expert = cell(by_role, PW, "expert")
    assert (expert.interviews, expert.group_interviews) == (2, 3)  # A1, B1 of A1, B1, C1
    assert expert.group_label == "Experta/o"
    assert list(dict.fromkeys(by_role["group"])) == ["designer_implementer", "expert",
                                                     "beneficiary", TOTAL]
    by_policy = analysis.frequencies(small, by="policy")
    assert cell(by_policy, BUDGET, "P1").interviews == 2
    by_sector = analysis.frequencies(small, by="sector")
    assert cell(by_sector, PW, "economy").interview_share == 0.5
    assert cell(by_sector, PW, "economy").group_label == "Economy"
    with pytest.raises(qda.QdaError, match="--by"):
        analysis.frequencies(small, by="gender")


def test_machine_suggestions_are_kept_apart(small):
    freq = analysis.frequencies(small, include_suggested=True)
    pw = cell(freq, PW, TOTAL)
    assert (pw.interviews, pw.passages) == (2, 3)  # accepted counts are unchanged
    # new passages: C1 and the uncoded A1 passage; new interviews: only C1
    assert (pw.suggested_interviews, pw.suggested_passages) == (1, 2)
    assert cell(freq, PW, "Mexico").suggested_interviews == 1
    assert cell(freq, PW, "Chile").suggested_interviews == 0
    assert cell(freq, "positive_factors", TOTAL).suggested_passages == 2
    assert cell(freq, BUDGET, TOTAL).suggested_passages == 0


def test_summary_table_ranks_themes_within_axes(small):
    freq = analysis.frequencies(small, by="country", lang="es")
    table = analysis.summary_table(freq)
    codes = list(table["code"])
    assert codes[0] == ANY and codes[1] == "positive_factors" and codes[2] == PW
    challenges = [c for c in codes if c.startswith("challenges/")]
    assert challenges[:2] == ["challenges/budget", "challenges/resistance"]
    row = table[table["code"] == PW].iloc[0]
    assert (row["Chile"], row["Chile %"], row["Perú"], row["Total"]) == (1, 0.5, 1, 2)
    assert row["label"] == "Voluntad política" and row["Pasajes"] == 3
    segment = analysis.summary_table(freq, unit="segment")
    assert segment[segment["code"] == PW].iloc[0]["Chile"] == 2


def test_study_table_counts_policies_and_people_once(small):
    long = analysis.study(small)
    chile = long[(long["country"] == "Chile") & (long["role"] == TOTAL)].iloc[0]
    # A1 and A2 both concern policy P1
    assert (chile.interviews, chile.participants, chile.policies) == (2, 2, 1)
    total = long[(long["country"] == TOTAL) & (long["role"] == TOTAL)].iloc[0]
    assert (total.interviews, total.participants, total.policies) == (5, 5, 4)
    wide = analysis.study_table(long)
    experts = wide[(wide["measure"] == "interviews") & (wide["role"] == "expert")].iloc[0]
    assert (experts["Chile"], experts["Peru"], experts["Mexico"], experts["Total"]) == (
        1, 1, 1, 3)


def test_participants_named_in_metadata_count_once_and_stay_private():
    ana = participant_ids("X1", json.dumps({"participant": "Ana  Pérez"}), ["P1"])
    again = participant_ids("X2", json.dumps({"participants": ["ana pérez", "Luz Soto"]}), [])
    assert len(ana) == 1 and set(ana) < set(again) and len(again) == 2
    assert not any("ana" in i.casefold() for i in again)
    labelled = participant_ids("X3", "{}", ["Luz Marina", "P2", None, "P2"])
    assert len(labelled) == 2 and not any("Luz" in i or "P2" in i for i in labelled)
    assert participant_ids("X5", "{}", ["P2"])[0] not in labelled  # P2 of another interview
    assert participant_ids("X6", "{}", [None]) == ("X6#1",)
    assert participant_ids("X4", {"participants": 3}, []) == ("X4#1", "X4#2", "X4#3")
    docs = pd.DataFrame({"name": ["X1", "X2"], "country": ["Chile", "Chile"],
                         "role": ["expert", "expert"], "participant_ids": [ana, again]})
    cases = CaseData.from_frames(docs, pd.DataFrame(columns=["document", "segment_id", "code",
                                                             "status", "coder", "kind"]))
    total = analysis.study(cases).iloc[-1]
    assert (total.interviews, total.participants) == (2, 2)


def test_cooccurrence_in_passages_and_interviews(small):
    pairs = analysis.cooccurrence(small)
    pair = pairs[(pairs["code_a"] == BUDGET) & (pairs["code_b"] == TURNOVER)].iloc[0]
    # budget: A1p3, A2p1; turnover: A1p3 -> 1 passage together of 2 with either
    assert (pair.passages, pair.passages_a, pair.passages_b) == (1, 2, 1)
    assert pair.passage_jaccard == 0.5
    assert (pair.interviews, pair.interview_jaccard) == (1, 0.5)
    same_interview = pairs[(pairs["code_a"] == PW) & (pairs["code_b"] == BUDGET)].iloc[0]
    assert same_interview.passages == 0 and same_interview.interviews == 1
    assert same_interview.interview_jaccard == pytest.approx(1 / 3)  # A1 of A1, A2, B1
    assert pairs.iloc[0]["passages"] == pairs["passages"].max()
    axes = analysis.cooccurrence(small, level="axis")
    lifted = axes[(axes["code_a"] == "challenges") & (axes["code_b"] == "sustainability")]
    assert lifted.iloc[0]["passages"] == 1


def _brute_force_p(raised: list[int], sizes: list[int]) -> float:
    """Freeman-Halton p by listing every table, independently of the implementation."""
    def prob(row):
        return math.prod(math.comb(s, x) for s, x in zip(sizes, row)) / math.comb(
            sum(sizes), sum(raised))
    observed = prob(raised)
    tables = [row for row in itertools.product(*(range(s + 1) for s in sizes))
              if sum(row) == sum(raised)]
    return sum(prob(row) for row in tables if prob(row) <= observed * (1 + 1e-9))


def test_exact_tests_on_known_tables():
    # 3 of 3 against 0 of 3: two of the 20 equally extreme tables -> p = 0.1
    assert group_test([3, 0], [3, 3]) == ("fisher", pytest.approx(0.1), True)
    # all three raising interviews in one of four countries of three: 4 tables of 220
    test, p, small = group_test([0, 0, 0, 3], [3, 3, 3, 3])
    assert (test, small) == ("freeman_halton", True) and p == pytest.approx(4 / 220)
    for raised, sizes in (([3, 0, 1, 0], [3, 3, 3, 3]), ([2, 5, 1], [4, 6, 5]),
                          ([1, 1, 0, 2, 0], [2, 3, 1, 2, 4])):
        assert freeman_halton(raised, sizes) == pytest.approx(_brute_force_p(raised, sizes))
    test, p, small = group_test([40, 10, 25], [60, 60, 60])
    assert test == "chi_square" and not small and p < 0.001
    assert group_test([3, 3], [3, 3])[0] == "none" and math.isnan(group_test([3], [3])[1])
    assert freeman_halton([3, 0, 1, 0], [3, 3, 3, 3], max_tables=10) is None


def test_too_many_tables_fall_back_to_a_seeded_monte_carlo(monkeypatch):
    # qda.analysis.differences is the function; the module is reached through importlib
    module = importlib.import_module("qda.analysis.differences")
    monkeypatch.setattr(module, "MAX_TABLES", 10)
    test, p, small = group_test([3, 0, 1, 0], [3, 3, 3, 3])
    assert test == "monte_carlo" and small
    assert p == pytest.approx(_brute_force_p([3, 0, 1, 0], [3, 3, 3, 3]), abs=0.015)
    assert group_test([3, 0, 1, 0], [3, 3, 3, 3])[1] == p  # seeded: the same every run


def _twelve_interviews(raising: dict[str, list[str]]) -> CaseData:
    """Three interviews per country; `raising` maps a code to the interviews raising it."""
    names = [f"{c[:2].upper()}{i}" for c in ("Chile", "Colombia", "Mexico", "Peru")
             for i in (1, 2, 3)]
    docs = pd.DataFrame({"name": names, "country": [n for c in ("Chile", "Colombia",
                                                                 "Mexico", "Peru")
                                                    for n in [c] * 3],
                         "passages": [2] * 12})
    rows = [{"document": doc, "segment_id": names.index(doc) * 10, "code": code,
             "status": "accepted", "coder": "x", "kind": "human"}
            for code, docs_ in raising.items() for doc in docs_]
    book = qda.project.codebook_mod.load(qda.project.default_codebook_dir() / "codebook.yaml")
    return CaseData.from_frames(docs, pd.DataFrame(rows), book)


def test_country_differences_wording_is_honest():
    cases = _twelve_interviews({PW: ["PE1", "PE2", "PE3"], BUDGET: ["CH1", "CO1", "ME2", "PE3"],
                                TURNOVER: ["PE1", "PE2", "PE3", "CH2"]})
    frame = analysis.differences(cases).set_index("code")
    only = frame.loc[PW]
    assert only.wording == "raised in 3 of 12 interviews, only in Peru"
    assert only.test == "freeman_halton" and only.p_value == pytest.approx(4 / 220)
    assert only.significant and only.small_counts
    assert "is statistically significant (Freeman-Halton exact test, p = 0.018; small " \
           "counts)" in only.evidence
    everywhere = frame.loc[BUDGET]
    assert everywhere.wording == "raised in 4 of 12 interviews, in all four countries"
    assert not everywhere.mostly and not everywhere.significant
    assert "not statistically significant" in everywhere.evidence
    mostly = frame.loc[TURNOVER]
    assert mostly.where_raised == ("in two of four countries (Chile, Peru), mostly in Peru "
                            "(3 of the 4 interviews that raise it)")
    assert frame.loc["recommendations"].wording == "not raised in any interview"
    assert frame.loc["recommendations"].test == "none"
    spanish = analysis.differences(cases, lang="es").set_index("code")
    assert spanish.loc[PW].wording == "aparece en 3 de 12 entrevistas, solo en Perú"
    assert spanish.loc[BUDGET].where_raised == "en los cuatro países"
    assert "prueba exacta de Freeman-Halton" in spanish.loc[PW].evidence


def test_saturation_on_known_order(small):
    curve = analysis.saturation(small)
    overall = curve[curve["scope"] == "all"]
    # by date: A2 (budget), A1 (pw, budget again, ana's resistance, turnover), B2
    # (resistance again), B1 (pw again, recommendations/budget), C1 (nothing)
    assert list(overall["document"]) == ["A2", "A1", "B2", "B1", "C1"]
    assert list(overall["new_themes"]) == [1, 3, 0, 1, 0]
    assert list(overall["cumulative"]) == [1, 4, 4, 5, 5]
    assert overall.iloc[1]["new_codes"] == f"{PW};challenges/resistance;{TURNOVER}"
    peru = curve[curve["scope"] == "Peru"]
    assert list(peru["position"]) == [1, 2] and list(peru["cumulative"]) == [1, 3]
    imported = analysis.saturation(small, order="import")
    assert list(imported[imported["scope"] == "all"]["document"]) == ["A1", "A2", "B1", "B2",
                                                                      "C1"]
    points = analysis.saturation_points(curve).set_index("scope")
    assert points.loc["all", "last_new_at"] == 4 and points.loc["all", "themes_found"] == 5
    with pytest.raises(qda.QdaError, match="--order"):
        analysis.saturation(small, order="random")


def test_undated_interviews_come_last():
    docs = pd.DataFrame({"name": ["a", "b", "c"], "country": ["Chile"] * 3,
                         "date": [None, "2022-02-01", "2022-01-01"]})
    codings = pd.DataFrame({"document": ["a", "b", "c"], "segment_id": [1, 2, 3],
                            "code": [PW, BUDGET, BUDGET], "status": ["accepted"] * 3,
                            "coder": ["x"] * 3, "kind": ["human"] * 3})
    curve = analysis.saturation(CaseData.from_frames(docs, codings))
    assert list(curve[curve["scope"] == "all"]["document"]) == ["c", "b", "a"]
    assert list(curve[curve["scope"] == "all"]["new_themes"]) == [1, 0, 1]


def test_charts_are_written(small, tmp_path):
    written = write_charts(small, tmp_path / "charts", lang="es")
    names = sorted(p.name for p in written)
    assert names == sorted(f"{n}_es.{f}" for n in ("themes_by_country", "themes_by_axis",
                                                   "saturation") for f in ("png", "svg"))
    for path in written:
        data = path.read_bytes()
        assert len(data) > 5_000, path
        if path.suffix == ".png":
            assert data.startswith(b"\x89PNG")
        else:
            assert b"<svg" in data[:2000]
    heatmap = (tmp_path / "charts" / "themes_by_country_es.svg").read_text(encoding="utf-8")
    assert "Voluntad política" in heatmap and "Perú" in heatmap and "50%" in heatmap


invoke = CliRunner().invoke


def test_summary_command_formats(small, tmp_path):
    where = ["--project", str(small.root)]
    table = invoke(app, [*where, "summary"], env={"COLUMNS": "80"})
    assert table.exit_code == 0, table.output
    assert "Political will" in table.output and "1 (50%)" in table.output
    assert max(len(line) for line in table.output.splitlines()) <= 80
    rows = list(csv.DictReader(io.StringIO(invoke(app, [*where, "summary", "--format", "csv"])
                                           .output)))
    pw = next(r for r in rows if r["code"] == PW and r["group"] == "Peru")
    assert (pw["interviews"], pw["group_interviews"], pw["passages"]) == ("1", "2", "1")
    records = json.loads(invoke(app, [*where, "summary", "--by", "role", "--json",
                                      "--include-suggested"]).output)
    total = next(r for r in records if r["code"] == PW and r["group"] == "Total")
    assert total["suggested_interviews"] == 1 and total["interviews"] == 2
    book_path = tmp_path / "out" / "summary.xlsx"
    done = invoke(app, [*where, "summary", "--lang", "es", "-o", str(book_path)])
    assert done.exit_code == 0 and "wrote" in done.output
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == ["Summary", "Data", "Notes"]
    sheet = book["Summary"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == PW)
    assert row[header.index("label")] == "Voluntad política"
    assert row[header.index("Chile")] == 1 and row[header.index("Chile %")] == 0.5
    assert row[header.index("Total")] == 2 and row[header.index("Pasajes")] == 3
    chile_share = sheet.cell(row=2, column=header.index("Chile %") + 1)
    assert chile_share.number_format == "0%"
    assert book["Data"].max_row == len(rows) + 1


def test_other_commands(small, tmp_path):
    where = ["--project", str(small.root)]
    study = json.loads(invoke(app, [*where, "study", "--json"]).output)
    assert study[-1] == {"country": "Total", "role": "Total", "country_label": "Total",
                         "role_label": "Total", "interviews": 5, "participants": 5,
                         "policies": 4}
    assert "Participants" in invoke(app, [*where, "study"]).output
    pairs = json.loads(invoke(app, [*where, "cooccur", "--json"]).output)
    assert {"code_a": BUDGET, "code_b": TURNOVER} == {k: pairs[0][k] for k in ("code_a",
                                                                               "code_b")}
    assert "Jaccard" in invoke(app, [*where, "cooccur", "--unit", "interview"]).output
    diffs = json.loads(invoke(app, [*where, "differences", "--json", "--lang", "es"]).output)
    assert next(d for d in diffs if d["code"] == PW)["wording"] == (
        "aparece en 2 de 5 entrevistas, en dos de tres países (Chile, Perú)")
    sat = invoke(app, [*where, "saturation", "-o", str(tmp_path / "sat.csv")])
    assert sat.exit_code == 0 and (tmp_path / "sat.csv").read_text().startswith("scope,")
    charts = invoke(app, [*where, "charts", "--out", str(tmp_path / "c")])
    assert charts.exit_code == 0 and len(list((tmp_path / "c").iterdir())) == 6


def test_usage_errors(small):
    result = run_qda("--project", small.root, "summary", "--format", "xlsx")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "qda: usage error: --format xlsx needs -o/--output " \
                                    "FILE.xlsx"
    for args in (["summary", "--by", "gender"], ["summary", "--unit", "word"],
                 ["summary", "-o", "x.txt"], ["summary", "--lang", "fr"],
                 ["cooccur", "--level", "theme"], ["saturation", "--order", "random"],
                 ["differences", "--alpha", "5"]):
        outcome = invoke(app, ["--project", str(small.root), *args])
        assert isinstance(outcome.exception, UsageError), (args, outcome.exception)


def test_empty_project(project):
    assert analysis.frequencies(project)["interviews"].sum() == 0
    assert analysis.saturation(project).empty and analysis.cooccurrence(project).empty
    result = invoke(app, ["--project", str(project.root), "summary"])
    assert result.exit_code == 0 and "no interviews yet" in result.output
    with pytest.raises(qda.QdaError, match="no interviews"):
        write_charts(project, project.root / "outputs")
