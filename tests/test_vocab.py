"""The fixed vocabulary and the language tables: defined once, below every other layer, and
the same in Spanish and English."""
from __future__ import annotations

import ast
import string
import subprocess
import sys
from pathlib import Path

import pytest

from qda import lang, vocab
from qda.lang import en, es

PACKAGE = Path(__file__).resolve().parents[1] / "qda"
VOCABULARY = ("AXES", "ROLES", "SHORT_ROLES", "ROLE_ALIASES", "CASE_ATTRIBUTES", "LANGS",
              "LANGUAGE_ALIASES", "MACHINE_KINDS", "DEFAULT_INTERVIEWERS")


def _qda_imports(path: Path) -> set[str]:
    """The qda modules a file imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qda"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("qda"))
    return found


def test_vocab_and_lang_sit_below_every_other_layer():
    assert _qda_imports(PACKAGE / "vocab.py") <= {"qda.errors"}
    for path in (PACKAGE / "lang").glob("*.py"):
        assert _qda_imports(path) <= {"qda.lang", "qda.vocab", "qda.errors"}, path.name


def test_each_word_of_the_vocabulary_is_defined_in_vocab_only():
    defined: dict[str, list[str]] = {name: [] for name in VOCABULARY}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) else []
            for target in targets:
                if isinstance(target, ast.Name) and target.id in defined:
                    defined[target.id].append(path.relative_to(PACKAGE).as_posix())
    assert defined == {name: ["vocab.py"] for name in VOCABULARY}


def test_the_tui_words_load_without_pandas():
    """The TUI reads its words from qda.lang; that must not pull in the analysis stack."""
    code = "import sys, qda.lang; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def _fields(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name}


def test_spanish_and_english_say_the_same_things():
    """The same headings with the same fields to fill (Spanish adds its articles), and the
    same report sentences but for the few that carry each language's own grammar."""
    assert en.TABLES.keys() == es.TABLES.keys()
    for key, english in en.TABLES.items():
        assert _fields(english) <= _fields(es.TABLES[key]), key
    grammar = {"en": {"themes_are", "themes_are_many", "is_are", "is_are_many"},
               "es": {"top_is", "top_are", "top_is_l", "top_are_l"}}
    assert en.REPORT.keys() - grammar["en"] == es.REPORT.keys() - grammar["es"]
    assert grammar["en"] <= en.REPORT.keys() and grammar["es"] <= es.REPORT.keys()


def test_every_interface_text_keeps_its_fields_in_spanish():
    for english, spanish in es.UI.items():
        assert _fields(english) == _fields(spanish), english


def test_every_role_has_its_words_in_both_languages():
    for table in (en, es):
        assert table.ROLE_PEOPLE.keys() == vocab.ROLES.keys()
        assert table.NOUNS.keys() == {"country", "role", "policy", "sector"}
    for code in vocab.LANGS:
        assert vocab.SHORT_ROLES[code].keys() == vocab.ROLES.keys()
        assert all(code in labels for labels in vocab.ROLES.values())


def test_lookups():
    assert lang.ui("Quit", "es") == "Salir" and lang.ui("Quit", "en") == "Quit"
    assert lang.ui("{n} interviews", "es", n=3) == "3 entrevistas"
    assert lang.ui("a text nobody translated", "es") == "a text nobody translated"
    assert lang.group_label("country", "Peru", "es") == "Perú"
    assert lang.group_label("role", "expert", "en") == "Expert"
    assert lang.group_label("sector", "mining_energy", "es") == "Minería y energía"
    assert lang.group_label("country", vocab.NONE, "es") == "(sin dato)"
    assert lang.integer(9999, "es") == "9.999" and lang.integer(9999, "en") == "9,999"
    assert lang.NAME_MARKS == {"en": "[name]", "es": "[nombre]"}
    with pytest.raises(Exception, match="--lang must be one of es, en"):
        lang.check_lang("fr")
