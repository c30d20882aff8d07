"""What `qda codebook check` reads: the codebook's pattern files, each problem with its line.

Validation sits with the codebook so that editing it (`qda.codebook.edit`) and checking it
need no coder; the rule coder compiles what passes here (`qda.coders.patterns.load`).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from qda.codebook import model as codebook_mod
from qda.codebook.model import Codebook, LineLoader, strip_lines
from qda.errors import QdaError
from qda.text.nlp import pipeline
from qda.vocab import AXES, LANGS

# what an opening may hold
_LEAD_KEYS = {"verbs", "words", "except", "not_next", "gerunds", "__line__"}
# Token attributes the rule coder matches itself, word by word: a token pattern made of these
# (plain words, see `plain_token`) needs no spaCy Matcher to be checked or run.
PLAIN_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "LEMMA", "IS_ALPHA", "OP"})
_REPEATS = {"1": (1, 1), "?": (0, 1), "*": (0, 1 << 30), "+": (1, 1 << 30)}
Check = tuple[str, "str | bool | frozenset[str]"]


def pattern_files(codebook_path: Path) -> list[Path]:
    folder = codebook_path.parent / "patterns"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def file_problems(path: Path, codebook: Codebook | None) -> list[QdaError]:
    """Every problem of one pattern file, each with its line."""
    return read_patterns(path, codebook)[1]


def codebook_problems(codebook_path: Path) -> tuple[Codebook | None, list[QdaError]]:
    """The codebook (None if it is broken) and every problem of it and its pattern files."""
    found = codebook_mod.problems(codebook_path)
    book = None if found else codebook_mod.load(codebook_path)
    for path in pattern_files(codebook_path):
        found += file_problems(path, book)
    return book, found


def read_patterns(path: Path, codebook: Codebook | None) -> tuple[Any, list[QdaError]]:
    """Read and validate a pattern file once: (data with line marks, problems)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=LineLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [QdaError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path,
                               mark.line + 1 if mark else None)]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [QdaError(f"cannot read ({exc})", path)]
    return data, _validate(data, path, codebook)


def _validate(data: Any, path: Path, codebook: Codebook | None) -> list[QdaError]:
    if not isinstance(data, dict):
        return [QdaError("a pattern file is a mapping with cues, questions, topics", path, 1)]
    errors: list[QdaError] = []
    line = data.get("__line__")
    lang = data.get("language")
    if lang not in LANGS:
        errors.append(QdaError(f"'language' must be one of {', '.join(LANGS)}", path, line))
        return errors
    for section in ("cues", "questions"):
        block = data.get(section) or {}
        for axis in block:
            if axis != "__line__" and axis not in AXES:
                errors.append(QdaError(f"{section}: '{axis}' is not an axis ({', '.join(AXES)})",
                                       path, block.get("__line__")))
    if not isinstance(data.get("neutral") or [], list):
        errors.append(QdaError("'neutral' is a list of phrases", path, line))
    for axis, lead in (data.get("openings") or {}).items():
        if axis == "__line__":
            continue
        where = lead.get("__line__") if isinstance(lead, dict) else line
        if axis not in AXES:
            errors.append(QdaError(f"openings: '{axis}' is not an axis ({', '.join(AXES)})",
                                   path, where))
        elif not isinstance(lead, dict) or set(lead) - _LEAD_KEYS:
            errors.append(QdaError(f"openings: '{axis}' takes {', '.join(sorted(_LEAD_KEYS))}",
                                   path, where))
    known = set(AXES) | ({c.path for c in codebook.codes} if codebook else set())
    for name, topic in (data.get("topics") or {}).items():
        if name == "__line__":
            continue
        if not isinstance(topic, dict) or not topic.get("words") or not topic.get("codes"):
            errors.append(QdaError(f"topic '{name}' needs 'codes' and 'words'", path,
                                   getattr(topic, "get", lambda _: line)("__line__")))
            continue
        for code in topic["codes"]:
            if codebook and code not in known:
                errors.append(QdaError(f"topic '{name}': unknown code '{code}'", path,
                                       topic.get("__line__")))
    for code in data.get("vetoes") or {}:
        if code != "__line__" and codebook and code not in known:
            errors.append(QdaError(f"vetoes: unknown code '{code}'", path,
                                   data["vetoes"].get("__line__")))
    for entry in data.get("tokens") or []:
        where = entry.get("__line__") if isinstance(entry, dict) else line
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) \
                or not entry.get("id") or not entry.get("pattern"):
            errors.append(QdaError("a token pattern needs 'id', 'code' and 'pattern'", path, where))
            continue
        if codebook and entry.get("code") not in known:
            errors.append(QdaError(f"token pattern {entry['id']}: unknown code "
                                   f"'{entry.get('code')}'", path, where))
        pattern = strip_lines(entry["pattern"])
        problem = None if plain_pattern(pattern) is not None else _matcher_problem(
            lang, entry["id"], pattern)
        if problem:
            errors.append(QdaError(f"token pattern {entry['id']} does not compile: {problem}",
                                   path, where))
    return errors


def plain_pattern(pattern: Any) -> list[tuple[int, int, tuple[Check, ...]]] | None:
    """Per token of a token pattern, `plain_token`'s reading; None unless every token is
    plain."""
    if not isinstance(pattern, list) or not pattern:
        return None
    tokens = [plain_token(token) for token in pattern]
    return None if None in tokens else tokens


def plain_token(token: Any) -> tuple[int, int, tuple[Check, ...]] | None:
    """(fewest, most repeats, (attribute, wanted value) checks) of a token that tests plain
    words: ORTH, TEXT, LOWER or LEMMA equal to a string or IN a list of strings, IS_ALPHA true
    or false, under any operator but "!" (as spaCy's Matcher reads them); None otherwise."""
    if not isinstance(token, dict) or not set(token) <= PLAIN_ATTRS:
        return None
    repeats = _repeats(str(token.get("OP", "1")))
    if repeats is None:
        return None
    checks: list[Check] = []
    for attr, want in token.items():
        if attr == "OP":
            continue
        if attr == "IS_ALPHA":
            if not isinstance(want, bool):
                return None
        elif isinstance(want, dict) and set(want) == {"IN"} and isinstance(want["IN"], list) \
                and all(isinstance(v, str) for v in want["IN"]):
            want = frozenset(want["IN"])
        elif not isinstance(want, str):
            return None
        checks.append((attr, want))
    return (*repeats, tuple(checks))


def _repeats(op: str) -> tuple[int, int] | None:
    """(fewest, most) words a token takes under its operator ("?", "+", "{1,3}"...); None
    for "!" or an operator the Matcher would refuse."""
    if op in _REPEATS:
        return _REPEATS[op]
    found = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op)
    if not found or not (found[1] or found[3]):
        return None
    fewest = int(found[1] or 0)
    most = fewest if not found[2] else int(found[3]) if found[3] else 1 << 30
    return (fewest, most) if fewest <= most else None


def _matcher_problem(lang: str, rule: str, pattern: Any) -> str | None:
    """What spaCy's Matcher finds wrong in a token pattern that tests more than plain words;
    spaCy is imported only here (its import takes longer than the rest of a check)."""
    from spacy.matcher import Matcher

    try:
        Matcher(pipeline(lang).vocab, validate=True).add(rule, [pattern])
    except (ValueError, TypeError, KeyError) as exc:
        lines = str(exc).strip().splitlines()
        return lines[0][:160] if lines else type(exc).__name__
    return None
