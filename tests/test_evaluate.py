"""Scoring coders on gold files (the top axis), the learning curve, and passages imported
without codes for the coders to code."""
from __future__ import annotations

import json
from typing import ClassVar

import pandas as pd
import pytest

from qda import init_project
from qda.coders import autocode as autocode_module
from qda.coders import evaluate as evaluation
from qda.coders.autocode import autocode
from qda.coders.base import Suggestion
from qda.coders.gold import read_gold
from qda.coders.model import ModelCoder
from qda.coders.rules import RuleCoder
from qda.errors import QdaError
from qda.imports.pipeline import import_coded, import_codings, import_paths

from .conftest import REPO, run_qda

# Seven passages of our own, their gold axes, and what a stand-in coder suggests for each:
# (code, confidence) pairs; the top axis is that of the most confident one.
GOLD = [
    ("g1", "La voluntad de la ministra abrió todas las puertas.", "positive_factors", "",
     "positive_factors/political_will", [("positive_factors/political_will", 0.9),
                                         ("recommendations", 0.5)]),
    ("g2", "El equipo regional sostuvo el trabajo con mucho cariño.", "positive_factors", "", "",
     [("challenges", 0.6)]),
    ("g3", "No alcanzó la plata para los materiales.", "challenges", "", "",
     [("challenges/budget", 0.7)]),
    ("g4", "Convendría sumar a los municipios desde el comienzo.", "recommendations", "", "",
     [("recommendations", 0.8)]),
    ("g5", "Habría que mirar todo eso con más calma.", "recommendations", "", "", []),
    ("g6", "Que siga aunque cambie el gobierno, eso pedimos.", "sustainability",
     "recommendations", "", [("recommendations", 0.55), ("sustainability", 0.4)]),
    ("g7", "Propongo una red de docentes que se acompañen.", "recommendations", "", "",
     [("recommendations", 0.6)]),
]


class StandIn:
    """A coder that suggests the fixed codes above, so the scores can be worked by hand."""

    name = kind = "rules"
    version = None

    def __init__(self, by_text: dict[str, list[tuple[str, float]]]):
        self.by_text = by_text

    def fit(self, passages, codes=None):
        return self

    def suggest(self, passages: pd.DataFrame) -> list[Suggestion]:
        return [Suggestion(row.segment_id, code, confidence, {})
                for row in passages.itertuples() for code, confidence in self.by_text[row.text]]


def write_gold(path, rows=GOLD) -> None:
    path.write_text("".join(json.dumps({"id": i, "text": t, "axis": a, "language": "es",
                                        **({"alt_axis": alt} if alt else {}),
                                        **({"theme": theme} if theme else {})}) + "\n"
                            for i, t, a, alt, theme, _ in rows), encoding="utf-8")


def test_gold_scores_worked_by_hand(tmp_path, monkeypatch):
    path = tmp_path / "gold.jsonl"
    write_gold(path)
    stand_in = StandIn({text: found for _, text, _, _, _, found in GOLD})
    monkeypatch.setattr(autocode_module, "make_coder", lambda project, name: (stand_in, []))
    found = evaluation.evaluate_gold(path, "rules")
    # top axes: P, C, C, R, none, R (= g6's alt_axis: right), R
    # gold (alt_axis where it was predicted): P, P, C, R, R, R, R; 5 of 7 agree
    # gold margins P2 C1 R4, top margins P1 C2 R3 none1: pe = (2*1 + 1*2 + 4*3) / 49 = 16/49
    assert found.passages == 7
    assert found.accuracy == pytest.approx(5 / 7)
    assert found.kappa == pytest.approx((35 / 49 - 16 / 49) / (1 - 16 / 49))  # 19/33
    assert found.coverage == pytest.approx(6 / 7)
    axes = found.axes.set_index("axis")
    assert axes.loc["positive_factors", ["precision", "recall"]].tolist() == [1.0, 0.5]
    assert axes.loc["challenges", ["precision", "recall"]].tolist() == [0.5, 1.0]
    assert axes.loc["recommendations", "f1"] == pytest.approx(2 * 1 * 0.75 / 1.75)
    assert found.confusion.loc["positive_factors", "challenges"] == 1
    assert found.confusion.loc["recommendations", "none"] == 1
    # majority: recommendations, right for g4, g5, g7 and g6 (its alt_axis)
    assert found.baseline["axis"] == "recommendations"
    assert found.baseline["accuracy"] == pytest.approx(4 / 7) and found.baseline["kappa"] == 0
    themes = found.themes.set_index("code")
    assert themes.loc["positive_factors/political_will", ["support", "recall", "precision"]
                      ].tolist() == [1, 1.0, 1.0]
    assert themes.loc["challenges/budget", ["support", "predicted"]].tolist() == [0, 1]
    assert found.languages == {"es": 7}


def test_top_axis_counts_a_theme_for_its_axis_and_breaks_ties_by_codebook_order():
    frame = pd.DataFrame({"segment_id": [1, 1, 2, 2, 3], "confidence": [0.4, 0.7, 0.5, 0.5, 0.1],
                          "code": ["challenges", "sustainability/continuity", "recommendations",
                                   "challenges", "lessons_learned"]})
    assert evaluation.top_axes(frame, [[1], [2], [3, 4], [5]]) == [
        "sustainability", "challenges", "lessons_learned", "none"]


def test_evaluate_gold_cli_codes_a_csv_in_a_scratch_project(tmp_path):
    """With the rules, from inside a project: its codebook is used and nothing is written to
    it; a passage longer than a segment is scored once, over all its pieces."""
    root = tmp_path / "study"
    run_qda("init", root, check=True)
    store = root / ".qda" / "qda.sqlite3"
    before = store.read_bytes()
    long = " ".join(["La coordinación con las regiones fue difícil al principio."] * 30)
    gold = tmp_path / "gold.csv"
    gold.write_text("id;text;axis;alt_axis;country\n"
                    "a;La voluntad política de la ministra fue clave.;Positive factors;;Perú\n"
                    "b;Hay que asegurar presupuesto para las regiones.;recommendations;;Chile\n"
                    f"c;{long};Dificultades o desafíos;;Chile\n", encoding="utf-8")
    shown = run_qda("evaluate", "--gold", gold, "--coder", "rules", cwd=root, check=True).stdout
    first = shown.splitlines()[0]
    assert first.startswith("rules on ") and "top-axis kappa" in first and "coverage" in first
    assert first.endswith("(3 passages)")
    assert "majority baseline" in shown and "confusion" in shown
    data = json.loads(run_qda("evaluate", "--gold", gold, "--coder", "rules", "--json", cwd=root,
                              check=True).stdout)
    assert data["passages"] == 3 and sum(r["support"] for r in data["axes"]) == 3
    assert 0 <= data["coverage"] <= 1 and data["themes"] is None
    assert sum(sum(row.values()) for row in data["confusion"].values()) == 3
    assert store.read_bytes() == before
    assert not (root / ".qda" / "models").exists()


TWO_THEMES = ('{"text": "Una.", "axis": "challenges", "theme": "budget"}\n'
              '{"text": "Dos.", "axis": "challenges", "theme": "weather"}\n')
SAME_ID = ('{"text": "Una.", "axis": "challenges", "id": 1}\n'
           '{"text": "Dos.", "axis": "challenges", "id": 1}\n')


@pytest.mark.parametrize("body, name, message", [
    ("text,theme\nUna frase.,x\n", "gold.csv", "gold.csv:1: missing column(s) axis"),
    ('{"text": "Una.", "axis": "challenges"}\n{"text": "Dos.", "axis": "logros"}\n',
     "gold.jsonl", "gold.jsonl:2: unknown axis 'logros'"),
    (TWO_THEMES, "gold.jsonl", "gold.jsonl:2: unknown theme 'weather' under challenges"),
    (SAME_ID, "gold.jsonl", "gold.jsonl:2: id '1' is used twice (also on line 1)"),
    ('{"text": "  ", "axis": "challenges"}\n', "gold.jsonl", "gold.jsonl:1: 'text' is empty"),
    ("text,axis,role\nUna.,challenges,expert\nDos.,challenges,minister\n", "gold.csv",
     "gold.csv:3: role 'minister' is not one of"),
])
def test_bad_gold_file_is_an_error_naming_file_and_line(project, tmp_path, body, name,
                                                         message):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(QdaError) as error:
        read_gold(path, project.codebook)
    assert str(error.value).startswith(f"{tmp_path}/{message}")


def test_missing_gold_file_is_an_error(project, tmp_path):
    with pytest.raises(QdaError, match="nope.csv: no such file"):
        read_gold(tmp_path / "nope.csv", project.codebook)


def test_cli_bad_gold_file_is_one_line_without_traceback(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text("text,axis\nUna frase.,challenges\nOtra frase.,logros\n", encoding="utf-8")
    result = run_qda("evaluate", "--gold", path, "--coder", "rules", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"qda: error: {path}:3: unknown axis 'logros'")
    assert run_qda("evaluate", "--coder", "rules", cwd=tmp_path).returncode == 2  # no source


def test_gold_reads_theme_by_key_and_axis_by_label(project, tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text("text,axis,theme,alt_axis\n"
                    "Una frase.,Dificultades o desafíos,budget,Recommendations\n",
                    encoding="utf-8")
    (passage,) = read_gold(path, project.codebook)
    assert (passage.axis, passage.theme, passage.alt_axis) == (
        "challenges", "challenges/budget", "recommendations")
    assert passage.document == "line 2" and passage.code == "challenges/budget"


# -- import-coded without codes -----------------------------------------------------------
def test_import_coded_without_codes_leaves_passages_for_the_coders(project, tmp_path):
    path = tmp_path / "quotes.csv"
    path.write_text("document,text,country\n"
                    "Q1,La voluntad política de la ministra fue clave.,Peru\n"
                    "Q1,Faltó presupuesto para las regiones.,\n"
                    "Q2,Hay que asegurar presupuesto para el próximo año.,Chile\n",
                    encoding="utf-8")
    report = import_coded(project, path, "ana")
    assert report.ok and len(report.imported) == 2
    assert "3 passages left unreviewed" in report.notes[0][1]
    segments = {s.id for s in project.store.segments(codable_only=True)}
    assert project.store.unreviewed_segment_ids() == segments
    assert project.codings_frame().empty
    run = autocode(project, "rules")
    assert run.passages == 3 and run.written > 0
    assert set(project.codings_frame().status) == {"suggested"}


def test_import_coded_unreviewed_flag_and_jsonl_rows_without_codes(project, tmp_path):
    template = tmp_path / "template.csv"
    template.write_text("document,text,codes\nT1,Faltó presupuesto.,\n", encoding="utf-8")
    assert import_coded(project, template, "ana", unreviewed=True).ok
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text('{"document": "M1", "text": "La voluntad política ayudó.", '
                     '"codes": ["positive_factors/political_will"]}\n'
                     '{"document": "M1", "text": "Sin comentarios por ahora."}\n',
                     encoding="utf-8")
    assert import_coded(project, mixed, "ana").ok
    frame = project.segments_frame().set_index("text").segment_id
    left = project.store.unreviewed_segment_ids()
    assert frame["Faltó presupuesto."] in left and frame["Sin comentarios por ahora."] in left
    assert frame["La voluntad política ayudó."] not in left
    coded = tmp_path / "coded.csv"
    coded.write_text("document,text,codes\nC1,Uno.,\nC1,Dos.,challenges\n", encoding="utf-8")
    report = import_coded(project, coded, "ana", unreviewed=True)
    assert not report.ok and "coded.csv:3: has codes" in str(report.failed[0])


def test_import_coded_long_passage_gets_its_codes_on_every_piece(project, tmp_path):
    long = " ".join(["Faltó presupuesto para los talleres de las regiones del sur."] * 40)
    path = tmp_path / "coded.csv"
    path.write_text(f"document,text,codes\nL1,\"{long}\",challenges/budget\nL1,Corto.,\n",
                    encoding="utf-8")
    assert import_coded(project, path, "ana").ok
    codings = project.codings_frame()
    pieces = project.segments_frame()
    assert len(pieces) > 2 and len(codings) == len(pieces) - 1
    assert not project.store.unreviewed_segment_ids()


def test_cli_import_coded_unreviewed(tmp_path):
    root = tmp_path / "p"
    run_qda("init", root, check=True)
    path = tmp_path / "q.csv"
    path.write_text("document,text,codes\nQ1,Faltó presupuesto.,\n", encoding="utf-8")
    shown = run_qda("import-coded", path, "--unreviewed", cwd=root, check=True).stdout
    assert "1 passages left unreviewed" in shown


# -- the learning curve -------------------------------------------------------------------
SAMPLE = ["CL-01.txt", "CO-01.txt", "MX-01.txt", "PE-01.txt"]


@pytest.fixture(scope="module")
def coded_study(tmp_path_factory):
    root = tmp_path_factory.mktemp("curve") / "p"
    with init_project(root) as project:
        assert import_paths(project, [REPO / "transcripts" / n for n in SAMPLE]).ok
        refs = [REPO / "transcripts" / "reference" / n.replace(".txt", ".csv") for n in SAMPLE]
        assert import_codings(project, refs, "reference").ok
    return root


class Recording(ModelCoder):
    """The ensemble, noting which interviews it was trained on and asked to code."""

    seen: ClassVar[list[tuple[set[str], set[str]]]] = []

    def fit(self, passages, codes=None):
        self.seen.append((set(passages.document), set()))
        return super().fit(passages, codes)

    def suggest(self, passages):
        self.seen[-1][1].update(passages.document)
        return super().suggest(passages)


def test_learning_curve_never_trains_on_a_test_interview(coded_study):
    from qda import open_project
    scored: list[set[str]] = []

    def score(suggested: list[Suggestion], test: pd.DataFrame) -> float:
        scored.append(set(test.document))
        return float(len(suggested))

    with open_project(coded_study) as project:
        rules = RuleCoder(project.codebook)
        Recording.seen = []
        runs = evaluation.learning_curve(
            project, "reference", score, repeats=2,
            make_learner=lambda: Recording(project.codebook, rules, use_rules=True))
    assert len(runs) == 8 and len(Recording.seen) == 8
    for run, (trained, coded) in zip(runs, Recording.seen):
        assert trained == set(run.train) and coded == set(run.test)
        assert not trained & coded and trained | coded == {n[:-4] for n in SAMPLE}
    assert [len(r.train) for r in runs[:4]] == [1, 1, 2, 3]  # 10, 20, 40, 80 % of four
    assert all(s == set(r.test) for s, r in zip(scored[::2], runs))  # rules, then the learner
    assert runs[0].train != runs[4].train or runs[2].train != runs[6].train  # another order


def test_cli_learning_curve_against_a_reference(coded_study):
    data = json.loads(run_qda("evaluate", "--reference", "reference", "--learning-curve",
                              "--repeats", "1", "--json", cwd=coded_study, check=True).stdout)
    assert [row["fraction"] for row in data["curve"]] == [0.1, 0.2, 0.4, 0.8]
    assert data["learner"] == "both" and "kappa" in data["metric"]
    for run in data["runs"]:
        assert not set(run["train"]) & set(run["test"])
        assert -1 <= run["rules"] <= 1 and -1 <= run["learner"] <= 1


def test_gold_learning_curve_holds_out_passages_of_their_own(tmp_path):
    """Without a document column each gold passage is an interview of its own: the learner
    never sees one it is scored on, and the score is the top-axis kappa."""
    path = tmp_path / "gold.jsonl"
    write_gold(path)
    by_text = {text: found for _, text, _, _, _, found in GOLD}
    fitted: list[set[str]] = []

    class Learner(StandIn):
        def fit(self, passages, codes=None):
            fitted.append(set(passages.document))
            assert set(codes.map(len)) == {1}  # each passage's gold code, as people coded it
            return self

    runs = evaluation.gold_curve(path, repeats=1, make_learner=lambda: Learner(by_text))
    assert [len(r.train) for r in runs] == [1, 1, 3, 6]  # of seven passages
    for run, trained in zip(runs, fitted):
        assert trained == set(run.train) and not trained & set(run.test)
        assert len(run.train) + len(run.test) == 7 == len(run.train) + run.passages
        assert -1 <= run.learner <= 1 and -1 <= run.rules <= 1


def test_gold_learning_curve_needs_two_documents(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "Una.", "axis": "challenges", "document": "D"}\n', encoding="utf-8")
    with pytest.raises(QdaError, match="at least two documents"):
        evaluation.gold_curve(path)
