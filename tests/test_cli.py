"""The `qda` command as a user runs it: exit codes, messages, fixed output columns."""
from __future__ import annotations

import csv
import json
import re

from .conftest import run_qda, write_txt

TURNS = "[00:00:01] ENT: ¿Qué funcionó?\n\n[00:00:04] P1: La voluntad política.\n\n" \
        "[00:00:09] ENT: ¿Y?\n\n[00:00:12] P1: Faltó presupuesto.\n"


def test_init_import_status_segments_export(tmp_path):
    root = tmp_path / "study"
    run_qda("init", root, check=True)
    assert (root / "qda.yaml").is_file() and (root / "codebook" / "codebook.yaml").is_file()
    write_txt(root / "transcripts", "pe.txt", TURNS, id="PE-1", country="Perú",
              role="beneficiary")
    write_txt(root / "transcripts", "cl.txt", TURNS.replace("política", "política firme"),
              id="CL-1", country="Chile", role="expert", language="es")
    result = run_qda("import", "transcripts/", cwd=root, check=True)
    assert "2 imported" in result.stdout
    again = run_qda("import", "transcripts/", cwd=root)
    assert again.returncode == 0 and "already imported" in again.stdout
    status = json.loads(run_qda("status", "--json", cwd=root, check=True).stdout)
    assert {(r["country"], r["role"], r["documents"], r["segments"]) for r in status} == {
        ("Chile", "expert", 1, 2), ("Peru", "beneficiary", 1, 2)}
    table = run_qda("status", cwd=root, check=True).stdout
    assert "Interviews by country and role" in table
    # roles 1 + 1, 2 interviews, no policy set (none counted), 4 passages
    assert re.search(r"Total\s+1\s+1\s+2\s+0\s+4\b", table), table
    rows = json.loads(run_qda("--project", root, "segments", "--country", "peru", "--json",
                              check=True).stdout)
    assert [r["text"] for r in rows] == ["La voluntad política.", "Faltó presupuesto."]
    spanish = json.loads(run_qda("segments", "--country", "Perú", "--role", "Beneficiaria",
                                 "--json", cwd=root, check=True).stdout)
    assert spanish == rows
    unknown = run_qda("segments", "--country", "España", cwd=root)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    assert "no passages with country 'España'; the project has Chile, Peru" in unknown.stderr
    coded = tmp_path / "ref.csv"
    coded.write_text("document,text,codes\nPE-1,Faltó presupuesto.,challenges/budget\n",
                     encoding="utf-8")
    run_qda("import-codings", coded, "--coder", "ana", cwd=root, check=True)
    out = tmp_path / "codings.csv"
    run_qda("export", "codings", out, cwd=root, check=True)
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["document", "segment_id", "start", "end", "text", "code", "axis",
                             "theme", "coder", "kind", "confidence", "status", "country", "role",
                             "policy", "language"]
    assert rows[0]["axis"] == "challenges" and rows[0]["theme"] == "budget"
    assert rows[0]["text"] == "Faltó presupuesto." and rows[0]["coder"] == "ana"


def test_errors_are_one_line_without_traceback(tmp_path):
    root = tmp_path / "study"
    run_qda("init", root, check=True)
    (root / "bad.txt").write_text("---\nrole: [\n---\nP1: x\n", encoding="utf-8")
    result = run_qda("import", "bad.txt", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"bad\.txt:[23]: front matter is not valid YAML", result.stderr)
    outside = run_qda("status", cwd=tmp_path)
    assert outside.returncode == 1 and "not inside a qda project" in outside.stderr
    usage = run_qda("export", "codings", tmp_path / "x.csv", "--status", "maybe", cwd=root)
    assert usage.returncode == 2
    assert run_qda("import", cwd=root).returncode == 2  # missing argument


def test_command_list_gives_each_command_its_whole_first_paragraph():
    """The command list shows a command's whole first paragraph (click alone would cut it
    after 45 characters), whatever the docstring's line breaks."""
    listing = run_qda("--help", check=True).stdout
    block = listing[listing.index(" evaluate "):listing.index(" summary ")]
    assert ("Per-code precision, recall, F1 and kappa of a coder against a reference coder, "
            "with macro averages and a majority baseline. The model and the ensemble are "
            "cross-validated by interview") in " ".join(block.split())
    assert "..." not in block
    assert "move codings after renaming or merging themes" in " ".join(listing.split())


def test_help_texts_are_plain_text():
    """Help is written as plain text (no rich renderer: it doubled `qda --help`'s start-up),
    so rich markup or its escapes would be printed as they are."""
    import typer.main

    from qda.cli import app
    group = typer.main.get_command(app)
    commands = [sub for c in group.commands.values()
                for sub in getattr(c, "commands", {"": c}).values()]
    texts = [c.help or "" for c in commands] + [p.help or "" for c in commands
                                                 for p in c.params]
    marked = [re.search(r"\[/?(b|bold|i|dim)\]|\[/\]|\\\[", t) for t in texts]
    assert [m.group() for m in marked if m] == []
    shown = run_qda("export", "quotes", "--help", check=True).stdout
    assert "reads [name] ([nombre] in Spanish)" in " ".join(shown.split())
    assert "Examples:\n    qda export quotes outputs/quotes.docx --lang es\n" in shown


def test_every_command_help_shows_examples():
    import typer.main

    from qda.cli import app
    group = typer.main.get_command(app)
    commands = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group such as 'export' or 'codebook'
            commands += [(name, sub) for sub in command.commands]
        else:
            commands.append((name,))
    assert len(commands) >= 10
    for words in commands:
        result = run_qda(*words, "--help")
        assert result.returncode == 0, words
        assert "Example" in result.stdout, f"qda {' '.join(words)} --help has no example"
