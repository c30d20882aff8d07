"""The command's shape: the coder registry is the one list of coder names, and `qda --help`
loads none of the heavy libraries."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
import typer.main
from rich.console import Console
from typer.testing import CliRunner

from qda.cli import app
from qda.coders import registry
from qda.coders.registry import CODERS, LEARNERS, CoderSpec
from qda.errors import QdaError, UsageError
from qda.models import Document
from qda.project import init_project
from qda.vocab import MACHINE_KINDS

HEAVY = ("spacy", "pandas", "numpy", "sklearn", "skops", "scipy", "matplotlib", "docx",
         "openpyxl", "textual")
# what `qda --help` does not need either: the project and its store, YAML, text decoding, the
# rich help renderer (markdown_it, pygments) and pydantic (typer 0.29 validates every option
# with it, which pyproject's typer < 0.29 avoids)
START_UP = ("qda.project", "qda.store", "yaml", "charset_normalizer", "rich", "markdown_it",
            "pygments", "pydantic")


def _python(code: str) -> subprocess.CompletedProcess:
    """`code` run by a fresh interpreter (what a command loads at start), which must succeed."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def _option_help(command: str, option: str) -> str:
    group = typer.main.get_command(app)
    return next(p.help for p in group.commands[command].params if option in p.opts)


def test_coder_choices_come_from_the_registry(monkeypatch, tmp_path):
    for command in ("autocode", "evaluate"):
        assert registry.choices() in _option_help(command, "--coder")
    assert registry.choices() == "rules, model or both"
    assert all(name in _option_help("agreement", "--coder") for name in CODERS)
    runner = CliRunner()
    refused = runner.invoke(app, ["--project", str(tmp_path), "autocode", "--coder", "extra"])
    assert isinstance(refused.exception, UsageError)
    assert str(refused.exception) == "--coder must be one of rules, model, both, not 'extra'"
    # a coder added to the registry is offered at once: the project is looked for next
    monkeypatch.setitem(CODERS, "extra", CoderSpec("rules", False, CODERS["rules"].make,
                                                   ("extra",)))
    for command in ("autocode", "evaluate"):
        args = ["--reference", "ana"] if command == "evaluate" else []
        taken = runner.invoke(app, ["--project", str(tmp_path), command, *args,
                                    "--coder", "extra"])
        assert "not a qda project" in str(taken.exception), command


def test_learners_and_machine_kinds_follow_the_registry():
    assert LEARNERS == ("model", "both")
    assert set(MACHINE_KINDS) == {spec.kind for spec in CODERS.values()}
    from qda.coders import training
    assert training.LEARNERS is LEARNERS


def test_the_store_allows_the_kinds_of_the_registry(tmp_path):
    """The codings table's CHECK constraint names the kinds a coding may have: a person's
    and those of the registry's coders, no more and no fewer."""
    with init_project(tmp_path / "p") as project:
        sql = project.store.db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'codings'"
        ).fetchone()[0]
    allowed = set(re.findall(r"'(\w+)'", re.search(r"kind IN \(([^)]*)\)", sql).group(1)))
    assert allowed == {"human", *MACHINE_KINDS}


def test_the_command_starts_without_heavy_libraries():
    """`qda --help` and `qda status` stay fast: every qda.cli module imports spaCy, pandas,
    scikit-learn, matplotlib, python-docx and textual only inside the commands that need
    them."""
    check = ("import sys, pkgutil, importlib, qda.cli\n"
             "for m in pkgutil.iter_modules(qda.cli.__path__):\n"
             "    importlib.import_module('qda.cli.' + m.name)\n"
             "import qda.export.terminal, qda.analysis.study\n"
             f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    shown = _python(check)
    assert shown.stdout.strip() == "[]"


def test_help_and_status_load_only_what_they_use(tmp_path):
    """`qda --help` (target < 0.3 s, issue 23) loads none of START_UP; `qda status` (< 0.6 s)
    opens the project but loads no heavy library, rich help renderer or pydantic."""
    init_project(tmp_path / "p").close()
    for argv, absent in ((["--help"], HEAVY + START_UP),
                         (["--project", str(tmp_path / "p"), "status"],
                          HEAVY + START_UP[5:])):
        check = (f"import sys\nsys.argv = ['qda', *{argv!r}]\nfrom qda.cli import main\n"
                 "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code\n"
                 f"print(sorted(m for m in {absent!r} if m in sys.modules), file=sys.stderr)")
        shown = _python(check)
        assert ("Commands:" if argv == ["--help"] else "no interviews yet") in shown.stdout
        assert shown.stderr.strip() == "[]", argv


def test_dismissing_detached_codings_is_all_or_none(tmp_path):
    """`qda flagged --dismiss` goes through one store call: an unknown id forgets nothing."""
    with init_project(tmp_path / "p") as project:
        store = project.store
        with store.transaction():
            doc = store.add_document(Document("D1", "P1: hola\n", content_hash="h"), [])
            store.detach_codings([{
                "document_id": doc, "near_segment_id": None, "code": "challenges",
                "coder": "ana", "kind": "human", "status": "accepted", "confidence": None,
                "evidence": None, "run_id": None, "reviewer": None, "created_at": "t",
                "updated_at": "t", "old_text": "hola", "old_start": 4, "old_end": 8,
                "reason": "gone"}])
        (detached,) = store.flagged()["detached"]
        with pytest.raises(QdaError, match="no detached coding with id 999"):
            store.dismiss_detached_codings([detached["id"], 999])
        assert len(store.flagged()["detached"]) == 1
        store.dismiss_detached_codings([detached["id"]])
        assert store.flagged()["detached"] == []


def test_user_text_reaches_the_terminal_as_data_not_markup():
    """Names, passages and labels with brackets print as written in every table."""
    from qda.analysis.study import Overview
    from qda.export import terminal
    odd = "[bold]Ana[/] :smile:"
    shown = Console(width=200, record=True)
    shown.print(terminal.speakers([{"document": odd, "speaker": odd, "turns": 1,
                                    "passages": 1, "role": "respondent"}]))
    shown.print(terminal.flagged([{"id": 1, "what": "detached", "document": odd,
                                   "segment_id": None, "code": odd, "coder": odd,
                                   "old_status": None, "old_text": odd}]))
    for part in terminal.status(Overview([], ["expert"], [
            {"country": odd, "roles": [1], "interviews": 1, "policies": 0, "passages": 2}],
            {"roles": [1], "interviews": 1, "policies": 0, "passages": 2})):
        shown.print(part)
    assert shown.export_text().count(odd) == 7


def test_status_runs_without_pandas(tmp_path):
    """`qda status` (and the --project callback every command runs) stays pandas-free."""
    init_project(tmp_path / "p").close()
    check = ("import sys\nfrom typer.testing import CliRunner\nfrom qda.cli import app\n"
             f"done = CliRunner().invoke(app, ['--project', {str(tmp_path / 'p')!r}, 'status'])\n"
             "assert done.exit_code == 0, done.output\n"
             f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    shown = _python(check)
    assert shown.stdout.strip() == "[]"


def test_the_rule_coder_needs_no_spacy_for_plain_token_patterns(tmp_path):
    """spaCy takes a second and a half to import: the shipped patterns test plain words, so
    checking and running them (autocode --coder rules, explain, the report's quotes) never
    loads it; a pattern that tests more brings the Matcher back (tests/test_rules.py)."""
    check = ("import sys\nfrom qda import init_project\n"
             "from qda.coders.rules import RuleCoder\n"
             f"coder = RuleCoder(init_project({str(tmp_path / 'p')!r}).codebook)\n"
             "found = coder.suggest_one(1, 'Es necesario fortalecer la unidad de género.', 'es')\n"
             "assert any(r['kind'] == 'token' for s in found for r in s.evidence['rules'])\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'spacy'))")
    assert _python(check).stdout.strip() == "[]"
