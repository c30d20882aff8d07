"""The rule coder: bilingual matching, fuzzy slips, vetoes, evidence, runs, human decisions."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher
from spacy.tokens import Doc

from qda import init_project
from qda.codebook import model as codebook
from qda.codebook.check import file_problems
from qda.coders import RuleCoder, passages
from qda.coders.autocode import autocode
from qda.coders.patterns import Patterns, _compile, words
from qda.coders.workers import suggest_encoded
from qda.imports.pipeline import import_paths
from qda.text.nlp import pipeline

from .conftest import REPO, run_qda, write_txt


@pytest.fixture(scope="module")
def coder():
    return RuleCoder(codebook.load(REPO / "qda" / "data" / "codebook" / "codebook.yaml"))


def codes(coder, text, lang, question=""):
    return {s.code for s in coder.suggest_one(1, text, lang, question)}


def topics(coder, text, lang):
    return {(h.target, h.rule.endswith(".fuzzy")) for h in coder.find(text, coder.patterns[lang])
            if h.kind == "topic"}


@pytest.mark.parametrize("text, lang", [
    ("Las voluntades políticas fueron clave para avanzar.", "es"),
    ("La Voluntad Politica de la ministra fue clave.", "es"),  # case and a missing accent
    ("Political will was the key factor that helped us.", "en"),
    ("Strong political wills were crucial.", "en"),
])
def test_lemmas_case_and_accents_in_both_languages(coder, text, lang):
    assert ("political_will", False) in topics(coder, text, lang)
    assert "positive_factors/political_will" in codes(coder, text, lang)


def test_fuzzy_slips_match_and_unrelated_words_do_not(coder):
    assert ("budget", True) in topics(coder, "Nunca hubo presupusto suficiente.", "es")
    assert ("budget", True) in topics(coder, "There was no fundingg at all.", "en")
    assert ("political_will", True) in topics(coder, "Hubo voluntad polítiica.", "es")
    # a real word close to a pattern word is not a slip of it
    found = coder.find("El funcionario llegó tarde.", coder.patterns["es"])
    assert not any(h.kind == "cue" and h.target == "positive_factors" for h in found)
    assert topics(coder, "La presidenta saludó a la prensa.", "es") == set()


def test_veto_rules_a_code_out(coder):
    text = "Faltó voluntad política, esa fue la dificultad principal."
    suggested = codes(coder, text, "es")
    assert "positive_factors/political_will" not in suggested
    assert "challenges" in {c.split("/")[0] for c in suggested}


def test_axis_comes_from_function_and_theme_from_topic(coder):
    assert "recommendations/budget" in codes(
        coder, "Hay que asegurar un presupuesto propio para el programa.", "es")
    assert "challenges/budget" in codes(
        coder, "El presupuesto no alcanzaba, fue una dificultad enorme.", "es")
    assert "challenges/budget" in codes(
        coder, "Money, basically. The funding ran out in the second year.", "en",
        question="What were the main difficulties?")
    assert codes(coder, "Buenos días, ¿me escucha bien?", "es") == set()
    # past obligation is not a recommendation
    assert "recommendations" not in {c.split("/")[0] for c in codes(
        coder, "Teníamos que viajar cuatro horas cada semana.", "es")}


def top_axis(coder, text, lang, question=""):
    """The axis of the most confident suggestion, as an evaluation reads it."""
    found = coder.suggest_one(1, text, lang, question)
    return max(found, key=lambda s: s.confidence).code.split("/")[0] if found else None


@pytest.mark.parametrize("text, lang, axis", [
    # proposal openings: an infinitive (es) or a base-form verb (en) starts the sentence
    ("Fortalecer los equipos regionales y asegurar fondos propios para las oficinas.", "es",
     "recommendations"),
    ("Strengthen the regional teams and secure funds of their own for the offices.", "en",
     "recommendations"),
    ("Es indispensable que cada servicio tenga una encargada con horas asignadas.", "es",
     "recommendations"),
    # obstacle and lack
    ("El mayor obstáculo fue la escasez de personal en las oficinas provinciales.", "es",
     "challenges"),
    ("We were overloaded, and the offices lacked staff for months.", "en", "challenges"),
    # an enabler denied is an obstacle
    ("El sistema de turnos no funcionó en las comunas alejadas.", "es", "challenges"),
    # crediting, in the past
    ("Fue clave que la jefa de servicio respaldara cada paso del equipo.", "es",
     "positive_factors"),
    # continuity and threat over time
    ("Con el cambio de gobierno el programa podría desaparecer, nada lo asegura a largo "
     "plazo.", "es", "sustainability"),
    # learning and hindsight
    ("Mirando hacia atrás, nos dimos cuenta de que había que empezar por las regiones.", "es",
     "lessons_learned"),
])
def test_the_function_of_the_language_decides_the_axis(coder, text, lang, axis):
    assert top_axis(coder, text, lang) == axis


def test_a_description_opening_with_a_verb_noun_is_not_a_proposal(coder):
    # "Support" opens the sentence, but as its subject
    assert top_axis(coder, "Support from the regional director was crucial for us.",
                    "en") == "positive_factors"
    # "tiene que ver" says nothing, unlike "tiene que"
    assert "recommendations" not in {c.split("/")[0] for c in codes(
        coder, "Eso tiene que ver con la cultura del servicio.", "es")}
    # exact phrases match those word forms only: "had to" is not "have to"
    assert "recommendations" not in {c.split("/")[0] for c in codes(
        coder, "We had to travel four hours every week.", "en")}


def test_one_sentence_does_not_decide_a_long_answer(coder):
    text = ("Tuvimos muchas dificultades con los municipios. Faltaba personal en todas las "
            "oficinas. El traslado era un problema para las usuarias. Deberían mirar eso.")
    found = coder.suggest_one(1, text, "es")
    assert top_axis(coder, text, "es") == "challenges"
    ranking = found[0].evidence["axes"]
    assert ranking["challenges"] > ranking["recommendations"] > 0


def test_a_topic_alone_suggests_its_likely_axis_with_low_confidence(coder):
    found = coder.suggest_one(1, "La universidad estuvo en todas las reuniones del año.", "es")
    assert [s.code for s in found] == ["positive_factors/alliances"]
    assert found[0].confidence < 0.3
    assert found[0].evidence["rules"][0]["kind"] == "topic"  # the evidence says why
    # and the interviewer's question outweighs it
    assert top_axis(coder, "La universidad estuvo en todas las reuniones del año.", "es",
                    "¿Y qué dificultades tuvieron?") == "challenges"


def test_themes_and_axes_are_consistent(coder):
    for text, lang in [("Aprendimos que hay que partir con un piloto pequeño.", "es"),
                       ("We learned that you must start small, with a pilot.", "en")]:
        suggested = codes(coder, text, lang)
        axes_alone = {c for c in suggested if "/" not in c}
        themed = {c.split("/")[0] for c in suggested if "/" in c}
        assert not axes_alone & themed  # a bare axis only where none of its themes fits
        assert "lessons_learned/gradualism" in suggested


def test_evidence_offsets_point_at_the_matched_words(coder):
    text = "Bueno, lo que aprendimos es que sin datos desagregados por sexo no se puede medir."
    suggestions = coder.suggest_one(7, text, "es", "¿Qué aprendizajes le dejó?")
    assert suggestions
    for s in suggestions:
        assert s.evidence["rules"]
        for rule in s.evidence["rules"]:
            if rule["where"] == "passage":
                assert text[rule["start"]:rule["end"]] == rule["words"]
        assert 0 < s.confidence < 1


@pytest.fixture
def coded_project(project, tmp_path):
    write_txt(tmp_path, "a.txt",
              "ENT: ¿Cuáles fueron las dificultades?\n\n"
              "P1: El presupuesto no alcanzaba y hubo mucha resistencia de los directivos.\n\n"
              "ENT: ¿Qué recomendaría?\n\n"
              "P1: Hay que asegurar recursos permanentes y capacitar a los equipos.\n",
              id="A1", country="Chile", role="expert")
    import_paths(project, [tmp_path / "a.txt"])
    return project


def test_autocode_rerun_is_idempotent_and_records_runs(coded_project):
    first = autocode(coded_project, "rules")
    before = coded_project.codings_frame()
    second = autocode(coded_project, "rules")
    after = coded_project.codings_frame()
    assert first.written > 0 and second.written == first.written
    assert sorted(zip(before.segment_id, before.code)) == sorted(zip(after.segment_id, after.code))
    assert set(after.status) == {"suggested"} and set(after.kind) == {"rules"}
    runs = coded_project.store.db.execute("SELECT codebook_hash, finished_at FROM runs").fetchall()
    assert len(runs) == 2 and all(h and f for h, f in runs)
    evidence = json.loads(after.evidence.iloc[0])
    assert evidence["rules"] and "rule" in evidence["rules"][0]


def test_human_decisions_are_never_touched(coded_project):
    autocode(coded_project, "rules")
    frame = coded_project.codings_frame()
    seg, code = int(frame.segment_id.iloc[0]), frame.code.iloc[0]
    other = frame[frame.segment_id == seg].code.tolist()
    coded_project.store.review_coding(seg, code, "rules", "rejected", "ana")
    autocode(coded_project, "rules", include_reviewed=True)
    after = coded_project.codings_frame()
    mine = after[(after.segment_id == seg) & (after.code == code)]
    assert list(mine.status) == ["rejected"] and list(mine.reviewer) == ["ana"]
    assert set(after[after.segment_id == seg].code) == set(other)
    # without include_reviewed, a reviewed passage gets no new suggestions at all
    autocode(coded_project, "rules")
    assert (coded_project.codings_frame().segment_id == seg).sum() == len(other)


def test_passages_carry_the_question_they_answer(coded_project):
    frame = passages(coded_project)
    assert list(frame.question) == ["¿Cuáles fueron las dificultades?", "¿Qué recomendaría?"]


def broken_codebook(tmp_path):
    folder = tmp_path / "codebook"
    shutil.copytree(REPO / "qda" / "data" / "codebook", folder)
    path = folder / "codebook.yaml"
    text = path.read_text(encoding="utf-8")
    text += ("  - code: challenges/budget\n    label: {es: Dup, en: Dup}\n    definition: x\n"
             "  - code: nonsense/theme\n    label: {es: X, en: X}\n    definition: x\n"
             "  - code: orphan\n    label: {es: X, en: X}\n    definition: x\n"
             "  - code: challenges/no_label\n    label: {es: Solo español}\n    definition: x\n")
    path.write_text(text, encoding="utf-8")
    pattern = folder / "patterns" / "es.yaml"
    pattern.write_text(pattern.read_text(encoding="utf-8") +
                       "  - id: es.bad\n    code: challenges\n    pattern: [{NOSUCHATTR: x}]\n",
                       encoding="utf-8")
    return path, text.count("\n")


def test_broken_codebook_gives_line_numbered_messages(tmp_path):
    path, lines = broken_codebook(tmp_path)
    messages = [str(p) for p in codebook.problems(path)]
    assert any("duplicate code 'challenges/budget'" in m for m in messages)
    assert any("unknown parent 'nonsense'" in m for m in messages)
    assert any("theme under no axis" in m and "orphan" in m for m in messages)
    assert any("needs a label in each of" in m for m in messages)
    assert all(f"{path}:" in m for m in messages)
    assert all(int(m.split(":")[1]) > lines - 14 for m in messages)  # the appended entries
    result = run_qda("codebook", "check", path)
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_pattern_that_does_not_compile_is_reported(tmp_path):
    path, _ = broken_codebook(tmp_path)
    book = codebook.load(REPO / "qda" / "data" / "codebook" / "codebook.yaml")
    found = [str(p) for p in file_problems(path.parent / "patterns" / "es.yaml", book)]
    assert len(found) == 1 and "es.bad does not compile" in found[0]
    assert "es.yaml:" in found[0]


@pytest.mark.parametrize("token, problem", [
    ('{LOWER: a, OP: "{2,1}"}', "Unknown operator"),  # plain words, but an operator spaCy refuses
    ("{LOWER: {IN: a}}", "does not compile"),  # IN takes a list
    ("{LOWER: {NOT_IN: [a]}, OP: '!'}", None),  # not plain: spaCy's Matcher checks and runs it
    ("{LEMMA: {IN: [a, b]}, OP: '*'}", None),
])
def test_token_patterns_are_checked_by_spacy_unless_plain(tmp_path, token, problem):
    path = tmp_path / "en.yaml"
    path.write_text(f"language: en\ntokens:\n  - id: en.t\n    code: challenges\n"
                    f"    pattern: [{token}, {{LOWER: b}}]\n", encoding="utf-8")
    found = [str(p) for p in file_problems(path, None)]
    assert found == [] if problem is None else (len(found) == 1 and problem in found[0])


def test_cli_autocode_explain_evaluate(tmp_path):
    root = tmp_path / "p"
    run_qda("init", root, check=True)
    write_txt(root / "transcripts", "a.txt",
              "ENT: ¿Qué factores ayudaron?\n\nP1: La voluntad política de la ministra fue "
              "clave.\n\nENT: ¿Y qué recomendaría?\n\nP1: Hay que asegurar presupuesto.\n",
              id="A1")
    run_qda("import", "transcripts", cwd=root, check=True)
    assert "suggestions by rules" in run_qda("autocode", cwd=root, check=True).stdout
    segments = json.loads(run_qda("segments", "--json", cwd=root, check=True).stdout)
    shown = run_qda("explain", str(segments[0]["segment_id"]), cwd=root, check=True).stdout
    assert "es.topic.political_will" in shown and "Political will" in shown
    assert "axes ranked: Positive factors" in shown
    ref = tmp_path / "ref.csv"
    ref.write_text("document,text,codes\nA1,La voluntad política,positive_factors/political_will\n"
                   "A1,Hay que asegurar,recommendations/budget\n", encoding="utf-8")
    run_qda("import-codings", ref, "--coder", "gold", cwd=root, check=True)
    table = json.loads(run_qda("evaluate", "--reference", "gold", "--json", cwd=root,
                               check=True).stdout)
    macro = [r for r in table if r["code"] == "macro average"][0]
    assert macro["f1"] == 1.0 and macro["baseline_f1"] == 0.0
    assert run_qda("explain", "99999", cwd=root).returncode == 1


# -- results kept exactly while the coder is made faster ------------------------------------
GOLDEN = Path(__file__).parent / "golden" / "rules_sample.tsv"


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    with init_project(tmp_path_factory.mktemp("samples") / "p") as opened:
        assert import_paths(opened, [REPO / "transcripts"]).ok
        yield opened


def golden_lines(project, suggestions) -> list[str]:
    """One line per suggestion, in the coder's order: passage, code, confidence and a digest
    of the whole evidence (rules, words, offsets, weights, in order)."""
    where = {int(r.segment_id): f"{r.document}\t{r.position}"
             for r in project.segments_frame().itertuples()}
    return [f"{where[s.segment_id]}\t{s.code}\t{s.confidence}\t" + hashlib.sha256(
        json.dumps(s.evidence, ensure_ascii=False).encode()).hexdigest()[:16]
        for s in suggestions]


def test_sample_suggestions_match_the_golden_file(samples, coder):
    """The rule coder's exact output on the sample corpus. A deliberate change to patterns or
    scoring: rewrite the file with QDA_UPDATE_GOLDEN=1 and review its diff."""
    lines = golden_lines(samples, coder.suggest(passages(samples)))
    if os.environ.get("QDA_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8").splitlines()
    changed = [f"- {a}\n+ {b}" for a, b in zip(expected, lines) if a != b][:5]
    assert lines == expected, f"{len(lines)} vs {len(expected)} suggestions; " + "\n".join(changed)


def test_worker_processes_give_the_same_suggestions(samples, coder):
    frame = passages(samples)
    alone = coder.suggest(frame)
    for processes in (1, 2):
        encoded = suggest_encoded(coder, frame, processes=processes)
        assert [(s.segment_id, s.code, s.confidence, s.evidence) for s in alone] == [
            (sid, code, confidence, json.loads(evidence))
            for sid, code, confidence, evidence in encoded]


# Token patterns with every kind of operator, and the words they test.
TOKEN_PATTERNS = [
    {"id": "t.star", "code": "recommendations",
     "pattern": [{"LOWER": {"IN": ["should", "must"]}},
                 {"LOWER": {"IN": ["not", "really", "also"]}, "OP": "*"}, {"IS_ALPHA": True}]},
    {"id": "t.pair", "code": "lessons_learned",
     "pattern": [{"LEMMA": {"IN": ["learn", "realise"]}}, {"LOWER": "that"}]},
    {"id": "t.plus", "code": "challenges",
     "pattern": [{"LOWER": "lack", "OP": "+"}, {"LOWER": "of", "OP": "?"},
                 {"IS_ALPHA": True, "OP": "{1,2}"}]},
]
EXTRA_PATTERNS = {
    "none": [],
    "optional first": [{"id": "t.opt", "code": "challenges", "pattern": [
        {"LOWER": "very", "OP": "?"}, {"LOWER": {"IN": ["no", "yet"]}}, {"LOWER": "money"}]}],
    "sentence start": [{"id": "t.sent", "code": "challenges", "pattern": [
        {"IS_SENT_START": True}, {"LOWER": "money"}]}],
}
TOKEN_WORDS = ("should must not really also learn learned realised that lack of very no yet "
               "money the we . , 3").split()


@given(st.lists(st.sampled_from(TOKEN_WORDS), max_size=30), st.sampled_from(list(EXTRA_PATTERNS)))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_token_patterns_match_on_a_slice_as_on_the_whole_passage(words, extra):
    """Token patterns are matched only on the slices of a passage where a match can be, in
    Python when they test plain words: the matches must be those spaCy's Matcher finds in
    the whole passage, in the order they appear. A pattern that may start anywhere turns the
    slicing off, and one that tests sentence starts needs the Matcher itself."""
    pats = _token_patterns(extra)
    text = " ".join(words)
    ends, texts, keys = pats.scan(text)
    found = [(h.start, h.end, h.rule) for h in
             RuleCoder._token_hits(None, text, ends, texts, keys, pats)]
    matcher = Matcher(pipeline("en").vocab)
    for entry in pats.tokens:
        matcher.add(entry["id"], [entry["pattern"]])
    doc = Doc(matcher.vocab, words=texts, lemmas=[k.lemma for k in keys])
    order = {entry["id"]: i for i, entry in enumerate(pats.tokens)}
    whole = sorted(((ends[s] - len(texts[s]), ends[e - 1], doc.vocab.strings[m])
                    for m, s, e in matcher(doc)), key=lambda m: (*m[:2], order[m[2]])) \
        if texts else []
    assert found == whole
    assert (pats.openings is None) == (extra != "none")
    assert (pats.steps is None) == (extra == "sentence start")
    assert (pats.matcher is None) == (extra != "sentence start")  # spaCy only when needed


@given(st.text(st.sampled_from("ab ñé,.\u00a0\t\n\u2003’'-¿?3"), max_size=40))
@settings(max_examples=300, deadline=None)
def test_scan_finds_the_words_and_offsets_of_the_tokenizer(text):
    """`scan` works out offsets from the lengths of the pieces it cuts (a word and the space
    before it): every offset must be the tokenizer's, whatever the spacing."""
    ends, texts, _ = _token_patterns("none").scan(text)
    assert [(w, e - len(w), e) for w, e in zip(texts, ends)] == words(text)


@cache
def _token_patterns(extra: str) -> Patterns:
    return _compile({"language": "en", "tokens": TOKEN_PATTERNS + EXTRA_PATTERNS[extra]})
