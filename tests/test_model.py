"""The model coder, its ensemble with the rules, its model file, the learning loop,
cross-validated evaluation and inter-coder agreement."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from qda import init_project, open_project
from qda.analysis.agreement import agreement_of, cohen_kappa, compare, nominal_alpha
from qda.coders import evaluate as evaluation
from qda.coders.active import next_segments, ranked
from qda.coders.autocode import autocode
from qda.coders.base import passages
from qda.coders.explain import explain
from qda.coders.model import ModelCoder
from qda.coders.training import load, train, training_set
from qda.errors import QdaError
from qda.export import terminal
from qda.imports.pipeline import import_codings, import_paths

from .conftest import REPO, run_qda, write_txt

SAMPLE = ["CL-01.txt", "CL-03.txt", "CO-01.txt", "CO-03.txt", "MX-01.txt", "PE-01.txt"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Six sample interviews; the reference coding of five; a model trained on them."""
    root = tmp_path_factory.mktemp("model") / "p"
    with init_project(root) as project:
        assert import_paths(project, [REPO / "transcripts" / n for n in SAMPLE]).ok
        refs = [REPO / "transcripts" / "reference" / n.replace(".txt", ".csv")
                for n in SAMPLE[:5]]
        assert import_codings(project, refs, "reference").ok
        train(project)
    return root


@pytest.fixture
def project_copy(trained, tmp_path):
    """A private copy of the trained project, for tests that write."""
    root = tmp_path / "p"
    shutil.copytree(trained, root)
    with open_project(root) as project:
        yield project


def test_training_set_uses_reviewed_passages_and_accepted_codes(trained):
    with open_project(trained) as project:
        frame, codes = training_set(project)
        reviewed = set(project.store.reviews_frame().segment_id)
    assert set(frame.segment_id) == reviewed and frame.document.nunique() == 5
    assert codes.map(len).gt(0).any() and codes.map(len).eq(0).any()  # coded and uncoded


def test_codes_fitted_in_worker_processes_are_the_codes_fitted_here(trained, monkeypatch):
    """A large training set's codes are fitted by two forked processes: the same models,
    in the same order, as one process fits."""
    from qda.coders import model as model_module
    with open_project(trained) as project:
        frame, codes = training_set(project)
        here = ModelCoder(project.codebook).fit(frame, codes)
        monkeypatch.setattr(model_module, "PARALLEL_FIT_MIN", 1)
        forked = ModelCoder(project.codebook).fit(frame, codes)
    assert list(forked.codes_) == list(here.codes_) and len(here.codes_) > 3
    assert forked.skipped_ == here.skipped_
    for code, learnt in here.codes_.items():
        assert np.array_equal(forked.codes_[code].classifier.coef_, learnt.classifier.coef_)
        assert forked.codes_[code].threshold == learnt.threshold


def test_the_features_learnt_from_are_those_suggestions_are_made_from(trained):
    """Fitting cuts the passages into features once and keeps the matrix: it must be the
    matrix the fitted coder makes of the same passages when it suggests."""
    with open_project(trained) as project:
        frame, codes = training_set(project)
        for use_rules in (False, True):
            coder = ModelCoder(project.codebook, use_rules=use_rules)
            frame = frame.reset_index(drop=True)
            found = coder._rule_suggestions(frame)
            learnt = coder._fit_features(frame, found)
            made = coder._features(frame, found)
            assert learnt.shape == made.shape and learnt.shape[1] > 50
            assert abs(learnt - made).max() < 1e-12


def test_train_writes_skops_model_and_card(trained):
    folder = open_project(trained).model_dir
    card = (folder / "model-card.md").read_text(encoding="utf-8")
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    assert (folder / "model.skops").read_bytes()[:2] == b"PK"  # a skops zip, not a pickle
    assert meta["codebook_hash"] and meta["trained_at"] and meta["libraries"]["scikit-learn"]
    assert set(meta["learners"]) == {"model", "both"}
    learnt = meta["learners"]["both"]["codes"]
    assert "recommendations" in learnt and 0 < learnt["recommendations"]["f1"] <= 1
    skipped = meta["learners"]["model"]["skipped"]
    assert skipped and all(n < 6 for n in skipped.values())  # few examples: left to rules
    assert "Too few examples" in card and "scikit-learn" in card and "| recommendations |" in card
    ruled = meta["learners"]["both"]["ruled"]  # codes the rules read better stay with them
    assert not set(ruled) & set(learnt) and not meta["learners"]["model"]["ruled"]


def test_skops_round_trip_gives_the_same_predictions(trained):
    with open_project(trained) as project:
        frame, codes = training_set(project)
        fresh = ModelCoder(project.codebook, use_rules=True).fit(frame, codes)
        loaded, changed = load(project, "both")
        unseen = ranked(project)[0]
        assert not changed and len(unseen) > 10  # the sixth interview was never reviewed
        from qda.coders import passages
        rows = passages(project)
        rows = rows[rows.segment_id.isin(unseen.segment_id)]
        a, b = fresh.prepare(rows).probs, loaded.prepare(rows).probs
    pd.testing.assert_frame_equal(a, b)
    assert set(a.columns) == set(loaded.codes_)


def test_model_file_with_untrusted_types_is_refused(project_copy):
    import skops.io as sio
    path = project_copy.model_dir / "model.skops"
    path.write_bytes(sio.dumps({"model": pd.Timestamp("2020-01-01")}))
    with pytest.raises(QdaError, match="does not trust"):
        load(project_copy, "model")


def test_model_is_refused_for_codes_whose_definition_changed(project_copy):
    book_path = project_copy.codebook.path
    data = yaml.safe_load(book_path.read_text(encoding="utf-8"))
    target = "recommendations"  # its meaning (definition) changes, not its label
    _redefine(data, target)
    book_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
    project_copy.reload_codebook()
    coder, changed = load(project_copy, "both")
    assert changed == [target] and target not in coder.codes_
    report = autocode(project_copy, "model")
    assert report.notes and target in report.notes[0] and "qda train" in report.notes[0]
    for code in list(data_codes(data)):
        _redefine(data, code)
    book_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
    project_copy.reload_codebook()
    with pytest.raises(QdaError, match="run 'qda train' again"):
        load(project_copy, "both")


def data_codes(data: dict) -> list[str]:
    return [c["code"] for c in data["codes"]]


def _redefine(data: dict, code: str) -> None:
    for entry in data["codes"]:
        if entry["code"] == code:
            entry["definition"] = {"en": "Something else entirely.", "es": "Otra cosa."}


def test_ensemble_merges_evidence_and_never_overwrites_human_decisions(project_copy):
    store = project_copy.store
    autocode(project_copy, "rules")
    unseen = set(store.unreviewed_segment_ids())
    pending = project_copy.codings_frame(status="suggested")
    first = pending.iloc[0]
    store.review_coding(int(first.segment_id), first.code, "rules", "accepted", "ana")
    second = pending[pending.segment_id != first.segment_id].iloc[0]
    store.review_coding(int(second.segment_id), second.code, "rules", "rejected", "ana")
    before = project_copy.codings_frame()
    decided = before[before.status != "suggested"]
    report = autocode(project_copy, "both", include_reviewed=True)
    after = project_copy.codings_frame()
    kept = after[after.status != "suggested"]
    assert sorted(map(tuple, decided[["segment_id", "code", "coder", "status"]].values)) == \
        sorted(map(tuple, kept[["segment_id", "code", "coder", "status"]].values))
    pending = after[after.status == "suggested"]
    assert report.written > 0 and set(pending.coder) == {"both"}  # rules' pending replaced
    evidence = [json.loads(e) for e in pending[pending.segment_id.isin(unseen)].evidence]
    both = [e for e in evidence if e["sources"] == ["rules", "model"]]
    assert both, "some suggestion rests on rules and model together"
    e = both[0]
    assert e["rules"] and e["model"]["features"] and 0 <= e["model"]["probability"] <= 1
    assert all(f["weight"] > 0 for f in e["model"]["features"])


def test_model_explanations_are_each_passages_strongest_features(trained):
    """The features shown for a suggestion are the passage's largest positive contributions
    (tf-idf value times the code's weight), strongest first, at most TOP_FEATURES: worked
    out here row by row, densely, against the coder's all-rows-at-once answer."""
    from qda.coders.model import TOP_FEATURES
    with open_project(trained) as project:
        coder, _ = load(project, "both")
        frame = passages(project)
        found = coder.suggest(frame)
        ready = coder.prepare(frame)
    column = {name: j for j, name in enumerate(coder.feature_names())}
    row_of = {sid: i for i, sid in enumerate(ready.probs.index)}
    learnt = [s for s in found if "model" in s.evidence]
    assert len(learnt) > 20
    for s in learnt:
        contrib = ready.x[row_of[s.segment_id]].toarray()[0] * \
            coder.codes_[s.code].classifier.coef_[0]
        strongest = sorted((w for w in contrib if w > 0), reverse=True)[:TOP_FEATURES]
        shown = s.evidence["model"]["features"]
        assert [f["weight"] for f in shown] == [round(float(w), 3) for w in strongest]
        assert all(round(float(contrib[column[f["feature"]]]), 3) == f["weight"]
                   for f in shown)


def test_model_suggestions_are_consistent_and_explained(trained):
    with open_project(trained) as project:
        coder, _ = load(project, "model")
        from qda.coders import passages
        frame = passages(project)
        found = coder.suggest(frame)
    assert found
    by_segment: dict[int, set[str]] = {}
    for s in found:
        by_segment.setdefault(s.segment_id, set()).add(s.code)
        assert s.evidence["sources"] == ["model"] and s.evidence["model"]["features"]
        # over its threshold, or the passage's likeliest axis when no code passes, flagged
        assert s.confidence >= s.evidence["model"]["threshold"] or (
            s.evidence.get("ranked_first") and "/" not in s.code and s.confidence >= 0.1)
    for codes in by_segment.values():
        for code in codes:  # no bare axis beside one of its own themes
            assert not ("/" not in code and any(c.startswith(code + "/") for c in codes))


def test_next_lists_unreviewed_passages_least_certain_first(trained):
    with open_project(trained) as project:
        frame, source = ranked(project, 8)
        unreviewed = project.store.unreviewed_segment_ids()
        ids = next_segments(project)
    assert source == "model" and len(frame) == 8
    assert list(frame.margin) == sorted(frame.margin)
    assert set(ids) == unreviewed and ids[:8] == list(frame.segment_id)
    shown = run_qda("next", "-n", "3", "--json", cwd=trained, check=True)
    rows = json.loads(shown.stdout)
    assert [r["segment_id"] for r in rows] == ids[:3] and rows[0]["margin"] is not None


def test_next_says_when_nothing_is_left_to_review(project_copy):
    with project_copy.store.transaction():
        project_copy.store.mark_reviewed(project_copy.store.unreviewed_segment_ids(), "ana")
    shown = run_qda("next", cwd=project_copy.root, check=True)
    assert "nothing to review" in shown.stdout and "qda train" not in shown.stdout
    both = run_qda("autocode", "--coder", "both", cwd=project_copy.root, check=True)
    assert "0 suggestions" in both.stdout
    assert json.loads(run_qda("next", "--json", cwd=project_copy.root, check=True).stdout) == []


def test_next_in_an_empty_project_says_to_import(project):
    shown = run_qda("next", cwd=project.root, check=True)
    assert "no interviews yet; run 'qda import transcripts/'" in shown.stdout


def test_next_without_a_model_follows_the_transcripts(project, tmp_path):
    import_paths(project, [REPO / "transcripts" / "CL-01.txt"])
    frame, source = ranked(project)
    positions = project.segments_frame().set_index("segment_id").position
    assert source == "document" and list(positions[frame.segment_id]) == sorted(
        positions[frame.segment_id])


def test_evaluation_never_sees_a_test_document_in_training(trained, monkeypatch):
    seen: list[tuple[set[str], set[str]]] = []
    real_fit, real_suggest = ModelCoder.fit, ModelCoder.suggest

    def fit(self, passages, codes=None):
        seen.append((set(passages.document), set()))
        return real_fit(self, passages, codes)

    def suggest(self, passages):
        seen[-1][1].update(passages.document)
        return real_suggest(self, passages)

    monkeypatch.setattr(ModelCoder, "fit", fit)
    monkeypatch.setattr(ModelCoder, "suggest", suggest)
    with open_project(trained) as project:
        table, units = evaluation.evaluate(project, "reference", "both", "axis", folds=3)
    assert len(seen) == 3 and units > 100
    for train_docs, test_docs in seen:
        assert test_docs and not train_docs & test_docs
    assert set().union(*(t for _, t in seen)) == set().union(*(t for t, _ in seen))
    macro = table[table.code == "macro average"].iloc[0]
    assert 0.4 < macro.f1 <= 1 and "baseline_f1" in table


def test_document_folds_split_by_document():
    frame = pd.DataFrame({"document": list("aaabbbcccddd")})
    folds = evaluation.document_folds(frame, 3)
    assert len(folds) == 3
    for train_rows, test_rows in folds:
        assert not set(frame.document[train_rows]) & set(frame.document[test_rows])
    with pytest.raises(QdaError):
        evaluation.document_folds(frame.iloc[:3], 3)


def test_train_without_reviews_says_what_to_do(project):
    import_paths(project, [REPO / "transcripts" / "CL-01.txt"])
    with pytest.raises(QdaError, match="no passage has been reviewed"):
        train(project)


# -- agreement: hand-computed values --------------------------------------------------------
def test_kappa_and_alpha_on_a_hand_computed_table():
    a = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    b = np.array([1, 1, 0, 1, 0, 0, 0, 0, 0, 0])
    # observed 0.8; chance 0.3*0.3 + 0.7*0.7 = 0.58; kappa = 0.22 / 0.42
    assert cohen_kappa(a, b) == pytest.approx(0.22 / 0.42)
    # coincidences: 6 ones, 14 zeros, 2 disagreeing pairs each way; alpha = 1 - 19*2/(14*6)
    assert nominal_alpha(a, b) == pytest.approx(1 - 19 * 2 / 84)


def test_perfect_and_total_disagreement_and_a_code_nobody_used():
    units = pd.Index(range(6))
    a = pd.DataFrame({"x": [1, 0, 1, 0, 1, 0], "y": [1, 1, 0, 0, 1, 0], "z": [0] * 6},
                     index=units)
    b = pd.DataFrame({"x": [1, 0, 1, 0, 1, 0], "y": [0, 0, 1, 1, 0, 1], "z": [0] * 6},
                     index=units)
    result = agreement_of(a, b)
    rows = result.table.set_index("code")
    assert rows.loc["x", "kappa"] == pytest.approx(1) and rows.loc["x", "alpha"] == \
        pytest.approx(1) and rows.loc["x", "percent_agreement"] == 1
    assert rows.loc["y", "kappa"] == pytest.approx(-1) and rows.loc["y", "percent_agreement"] == 0
    assert rows.loc["y", "alpha"] < -0.5
    assert pd.isna(rows.loc["z", "kappa"]) and pd.isna(rows.loc["z", "alpha"])
    assert rows.loc["z", "percent_agreement"] == 1 and rows.loc["z", "neither"] == 6
    assert result.mean_kappa == pytest.approx(0) and result.units == 6


def test_agreement_of_two_people_and_of_a_person_and_a_machine(project_copy, tmp_path):
    store = project_copy.store
    frame = project_copy.codings_frame(status="accepted")
    doc = frame.document.iloc[0]
    mine = frame[(frame.document == doc) & (frame.coder == "reference")]
    second = tmp_path / "bea.csv"
    rows = [{"document": doc, "text": t, "codes": c} for t, c in zip(mine.text, mine.code)]
    rows[0]["codes"] = "challenges"  # one disagreement
    pd.DataFrame(rows).to_csv(second, index=False)
    assert import_codings(project_copy, [second], "bea").ok
    result = compare(project_copy, "reference", "bea")
    assert result.units == len(set(mine.segment_id))
    assert result.alpha is not None and 0 < result.alpha < 1
    by_doc = compare(project_copy, "reference", "bea", unit="document")
    assert by_doc.units == 1
    autocode(project_copy, "rules", include_reviewed=True)
    machine = compare(project_copy, "reference", "rules", level="theme")
    assert machine.units == len(store.reviews_frame().query("coder == 'reference'"))
    shown = run_qda("agreement", "--coder", "reference", "--coder", "bea", "--json",
                    cwd=project_copy.root, check=True)
    data = json.loads(shown.stdout)
    assert data["units"] == result.units and {r["code"] for r in data["codes"]} >= {"challenges"}
    assert run_qda("agreement", "--coder", "reference", cwd=project_copy.root).returncode == 2
    assert run_qda("agreement", "--coder", "reference", "--coder", "nobody",
                   cwd=project_copy.root).returncode == 1


def test_cli_train_evaluate_and_autocode_both(project_copy):
    root = project_copy.root
    shown = run_qda("train", cwd=root, check=True).stdout
    assert "out-of-fold" in shown and "too few examples" in shown
    table = json.loads(run_qda("evaluate", "--reference", "reference", "--coder", "model",
                               "--folds", "3", "--json", cwd=root, check=True).stdout)
    assert table[-1]["code"] == "macro average" and table[-1]["f1"] > 0.3
    done = run_qda("autocode", "--coder", "both", cwd=root, check=True).stdout
    assert "suggestions by both" in done
    assert run_qda("autocode", "--coder", "magic", cwd=root).returncode == 2
    coded = open_project(root).codings_frame()
    learnt = coded[(coded.coder == "both") & coded.evidence.str.contains('"model"')]
    shown = run_qda("explain", str(learnt.segment_id.iloc[0]), cwd=root, check=True).stdout
    assert "model: probability" in shown and "words that pushed it" in shown


def test_worker_processes_give_the_same_model_suggestions(trained):
    """The ensemble in two forked workers (chunks of passages, each knowing its place in its
    interview) suggests exactly what it does in one process."""
    from qda.coders import passages
    from qda.coders.workers import suggest_encoded
    with open_project(trained) as project:
        coder, _ = load(project, "both")
        frame = passages(project)
        alone = coder.suggest(frame)
        encoded = suggest_encoded(coder, frame, processes=2)
    assert alone and [(s.segment_id, s.code, s.confidence, s.evidence) for s in alone] == [
        (sid, code, confidence, json.loads(evidence))
        for sid, code, confidence, evidence in encoded]


# -- the model without waiting for people (weak supervision by the rules) -------------------
ANSWERS = [
    "Lo que más ayudó fue el respaldo de la directora regional en cada reunión.",
    "Gracias a la red de municipios pudimos llegar a las comunas del interior.",
    "El mayor obstáculo fue la falta de personal en las oficinas provinciales.",
    "Nos costó mucho coordinar a los servicios, cada uno tenía sus propios plazos.",
    "Con el cambio de gobierno todo esto podría desaparecer si no queda en una norma.",
    "Aprendimos que sin las dirigentas desde el principio el diseño no resulta.",
    "Fortalecer los equipos locales y asegurar fondos permanentes para las oficinas.",
    "Hay que capacitar a cada funcionaria nueva apenas llega al servicio.",
    "La universidad nos prestó sus salas durante todo el año.",
]


def test_both_works_in_a_fresh_project_without_any_human_coding(project, tmp_path):
    for n, opening in enumerate(("Bueno, ", "Mire, ")):
        body = "".join(f"ENT: Cuénteme más.\n\nP1: {opening}{text[0].lower()}{text[1:]}\n\n"
                       for text in ANSWERS)
        write_txt(tmp_path, f"{n}.txt", body, id=f"Z{n}", country="Chile")
    assert import_paths(project, [tmp_path / "0.txt", tmp_path / "1.txt"]).ok
    report = autocode(project, "both")
    assert "no trained model" in report.notes[0]
    coded = project.codings_frame()
    assert report.passages == 2 * len(ANSWERS)
    assert coded.segment_id.nunique() == report.passages  # every passage has a suggestion
    assert set(coded.coder) == {"both"} and set(coded.status) == {"suggested"}
    for evidence in coded.evidence:  # each explained by the rules, the model or both
        found = json.loads(evidence)
        assert found["sources"] and (found.get("rules") or found.get("model")
                                     or found.get("prior"))
    assert not (project.model_dir / "model.skops").exists()  # nothing saved


PROPOSALS = [
    "Es necesario fortalecer las oficinas regionales con personal estable.",
    "Se recomienda asegurar un presupuesto propio para cada programa.",
    "Hay que capacitar a los equipos municipales cada año.",
    "Sería importante crear un sistema de seguimiento de los compromisos.",
    "Se debe incorporar a las organizaciones de base en el diseño.",
    "Proponemos ampliar la cobertura a las zonas rurales del sur.",
]
TOPIC_ONLY = "La participación en las mesas regionales de cada provincia."


def test_a_topic_alone_follows_the_axis_the_study_mostly_speaks_of(project, tmp_path):
    """Self-trained `both`: where the rules saw only a topic word, the study's own share of
    each axis among their confident decisions decides; the guess stays visibly weak."""
    from qda.coders.rules import RuleCoder
    from qda.coders.training import WEAK_MIN_CONFIDENCE, bootstrap
    for n in range(2):
        body = "".join(f"ENT: ¿Qué propone?\n\nP1: {text}\n\n" for text in PROPOSALS)
        write_txt(tmp_path, f"{n}.txt", body + f"ENT: Siga.\n\nP1: {TOPIC_ONLY}\n\n",
                  id=f"T{n}")
    assert import_paths(project, [tmp_path / "0.txt", tmp_path / "1.txt"]).ok
    frame = passages(project)
    alone = frame[frame.text == TOPIC_ONLY]
    read = RuleCoder(project.codebook).suggest(alone)
    assert {s.code.split("/")[0] for s in read} == {"positive_factors"}  # the topic's usual axis
    assert max(s.confidence for s in read) < WEAK_MIN_CONFIDENCE
    coder = bootstrap(project, frame)
    assert coder.prior["recommendations"] > 0.5
    found = coder.suggest(alone)
    assert {s.code for s in found} == {"recommendations/participation"}
    for s in found:
        assert s.confidence < WEAK_MIN_CONFIDENCE
        assert s.evidence["prior"]["recommendations"] == round(coder.prior["recommendations"], 2)
        assert [r["words"] for r in s.evidence["rules"]] == ["participación"]  # still explained
    autocode(project, "both")  # stored, the guess is explained by 'qda explain' too
    shown = [str(line) for line in terminal.explanation(
        explain(project, int(alone.segment_id.iloc[0])), project.codebook, "en")]
    assert any("recommendations/participation" in line and "both" in line for line in shown)
    share = f"tipped it: Recommendations {coder.prior['recommendations']:.2f}"
    assert any(share in line for line in shown)


def test_the_rules_reading_stands_when_the_study_is_balanced(project):
    from qda.coders.base import Suggestion
    from qda.coders.model import weigh_prior
    from qda.vocab import AXES
    book = project.codebook
    weak = Suggestion(7, "positive_factors/participation", 0.26,
                      {"axes": {"positive_factors": 0.35}, "rules": [{"words": "participación"}]})
    kept = weigh_prior(7, [weak], dict.fromkeys(AXES, 0.2), book, 0.3)
    assert [(s.code, s.confidence) for s in kept] == [("positive_factors/participation", 0.26)]
    tipped = weigh_prior(7, [weak], {"recommendations": 0.8, "positive_factors": 0.1}, book, 0.3)
    assert [s.code for s in tipped] == ["recommendations/participation"]
    assert 0 < tipped[0].confidence < 0.3 and tipped[0].evidence["sources"] == ["rules", "prior"]
    nothing = weigh_prior(8, [], {"challenges": 0.6, "recommendations": 0.4}, book, 0.3)
    assert [s.code for s in nothing] == ["challenges"]
    assert nothing[0].evidence["sources"] == ["prior"]


def test_peoples_decisions_weigh_more_than_the_rules(project, tmp_path, monkeypatch):
    from qda.coders import training
    body = "".join(f"ENT: ¿Y entonces?\n\nP1: {text}\n\n" for text in ANSWERS)
    write_txt(tmp_path, "a.txt", body, id="W1")
    assert import_paths(project, [tmp_path / "a.txt"]).ok
    first = int(project.segments_frame().segment_id.min())
    with project.store.transaction():
        project.store.mark_reviewed([first], "ana")
    seen = {}

    def fit(self, passages, codes=None, weights=None):
        seen.update(zip(passages.segment_id, weights))
        return self

    monkeypatch.setattr(ModelCoder, "fit", fit)
    training.bootstrap(project)
    assert seen[first] == training.HUMAN_WEIGHT
    assert seen and all(w == 1.0 for sid, w in seen.items() if sid != first)


def test_self_training_learns_from_a_sample_of_a_large_study(project, tmp_path, monkeypatch):
    """Past SELF_TRAINING_MAX confident rule decisions the model learns from a seeded
    sample (training time stops growing), while the study's shares count them all."""
    from qda.coders import training
    body = "".join(f"ENT: ¿Qué propone?\n\nP1: {text}\n\n" for text in PROPOSALS)
    write_txt(tmp_path, "a.txt", body, id="S1")
    assert import_paths(project, [tmp_path / "a.txt"]).ok
    learnt = []
    monkeypatch.setattr(ModelCoder, "fit", lambda self, passages, codes=None, weights=None:
                        learnt.append(list(passages.segment_id)) or self)
    whole = training.bootstrap(project)
    monkeypatch.setattr(training, "SELF_TRAINING_MAX", 3)
    sampled = training.bootstrap(project)
    assert len(learnt[0]) == len(PROPOSALS) and len(learnt[1]) == 3
    assert set(learnt[1]) < set(learnt[0])
    assert training.bootstrap(project) and learnt[2] == learnt[1]  # the same sample again
    assert sampled.prior == whole.prior
    assert f"3 rule decisions (a sample of {len(PROPOSALS)})" in sampled.version


def test_train_and_evaluate_on_passages_without_questions(tmp_path):
    """Imported spreadsheets have no interviewer turns: no 'empty vocabulary' traceback."""
    root = tmp_path / "p"
    run_qda("init", root, check=True)
    rows = ["document,text,codes"]
    for doc in ("S1", "S2"):
        for i in range(4):
            rows += [f'{doc},"Hay que asegurar fondos en {doc}, punto {i}.",'
                     'recommendations/budget',
                     f'{doc},"El mayor obstáculo en {doc} fue la burocracia, caso {i}.",'
                     'challenges/coordination']
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run_qda("import-coded", sheet, "--coder", "ana", cwd=root, check=True)
    trained = run_qda("train", cwd=root)
    assert trained.returncode == 0 and "Traceback" not in trained.stderr
    evaluated = run_qda("evaluate", "--reference", "ana", "--coder", "both", "--folds", "2",
                        cwd=root)
    assert evaluated.returncode == 0 and "Traceback" not in evaluated.stderr
