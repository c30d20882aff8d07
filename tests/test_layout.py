"""The package's shape: layers only import downward, few loose modules, no giant files.

The import graph is read from the source with `ast` (imports inside functions count too), so
a lazy import that reaches up a layer fails here the same as one at the top of a module.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "qda"

# Lowest first. A module may import its own layer and the layers below it, never above.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("qda.errors", "qda.vocab", "qda.lang", "qda.models", "qda.progress", "qda.text")),
    ("read", ("qda.ingest",)),
    ("store", ("qda.store",)),
    ("project", ("qda.codebook", "qda.project")),
    ("privacy", ("qda.privacy",)),
    ("import", ("qda.imports", "qda.refi")),
    ("code", ("qda.coders", "qda.review")),
    ("analyse", ("qda.analysis",)),
    ("export", ("qda.export",)),
    ("ui", ("qda.tui", "qda.cli", "qda.__main__")),
]
LOOSE_MODULES_MAX = 10
LINES_MAX = 800
LONG_ALLOWED = {"store.py"}  # splitting the store by table is a later step


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _rank(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (prefix length, rank): the longest prefix decides
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[0]:
                    best = (len(prefix), rank)
    return None if best is None else best[1]


def _imports(name: str, source: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, module) for every qda import in a module's source, relative ones resolved."""
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:  # `from qda.x import y` may name module qda.x.y
                if base == "qda" and alias.name == "__version__":
                    continue  # the front door's version: every layer may print it
                child = f"{base}.{alias.name}"
                is_module = (PACKAGE.parent / (child.replace(".", "/") + ".py")).exists() \
                    or (PACKAGE.parent / child.replace(".", "/")).is_dir()
                found.append((node.lineno, child if is_module else base))
    return [(line, module) for line, module in found if module.split(".")[0] == "qda"]


def _upward(name: str, source: str, is_package: bool = False) -> list[str]:
    """What one module imports from above its layer, each with its line."""
    problems = []
    for line, target in _imports(name, source, is_package):
        if target == "qda":
            problems.append(f"{line}: imports the qda front door (import the module that "
                            "holds the name instead)")
        elif (_rank(target) or 0) > (_rank(name) or 0):
            problems.append(f"{line}: {LAYERS[_rank(name)][0]} imports {target} "
                            f"({LAYERS[_rank(target)][0]})")
    return problems


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    loose = [_module_name(p) for p in _sources()
             if _module_name(p) != "qda" and _rank(_module_name(p)) is None]
    assert not loose, f"modules outside every layer (add them to LAYERS): {loose}"


def test_no_import_reaches_a_higher_layer() -> None:
    upward = [f"{path.relative_to(PACKAGE.parent)}:{problem}"
              for path in _sources() if _module_name(path) != "qda"  # the notebook API: top
              for problem in _upward(_module_name(path), path.read_text(encoding="utf-8"),
                                     path.name == "__init__.py")]
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(upward)


def test_the_walker_catches_lazy_and_relative_upward_imports() -> None:
    """The check above is only worth something if it sees imports hidden in functions."""
    lazy = "def f():\n    from qda.export import word\n"
    relative = "from ..models import Segment\n"
    assert _upward("qda.text.files", lazy) == ["2: base imports qda.export.word (export)"]
    assert _upward("qda.coders.rules", relative) == []
    assert _upward("qda.store", "from .analysis import cases\n") == [
        "1: store imports qda.analysis.cases (analyse)"]
    assert _upward("qda.export.report", "from qda import __version__\n") == []


def test_few_modules_loose_at_the_top() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= LOOSE_MODULES_MAX, loose


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_giant_files(path: Path) -> None:
    if path.name in LONG_ALLOWED and path.parent == PACKAGE:
        return
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= LINES_MAX, f"{path.name} has {lines} lines; split it by what it holds"


def test_readme_layout_matches_the_tree() -> None:
    """Every module and package at the top of qda/ is in README's layout, and nothing else."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("```", 2)[1]
    listed = {line.split()[0] for line in section.splitlines() if line.startswith("  ")
              and not line.startswith("   ")}
    actual = {p.name + ("/" if p.is_dir() else "") for p in PACKAGE.iterdir()
              if (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))
              or (p.is_dir() and p.name != "__pycache__")}
    actual = {"data/codebook/" if name == "data/" else name for name in actual}
    assert listed == actual
