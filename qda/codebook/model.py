"""The codebook: five fixed axes and the themes under them, loaded from YAML and validated.

The YAML holds a flat list of codes, each with a path `axis` or `axis/theme`, labels in
Spanish and English, a definition, when to use it and when not to, and an example. Problems
are reported with file and line so a researcher can fix the file herself.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qda.errors import QdaError
from qda.text.safeyaml import SafeLoader
from qda.vocab import AXES, LANGS


@dataclass
class Code:
    path: str
    labels: dict[str, str]
    info: dict[str, Any] = field(default_factory=dict)
    colour: str | None = None
    line: int | None = None

    @property
    def axis(self) -> str:
        return self.path.split("/")[0]

    @property
    def theme(self) -> str | None:
        parts = self.path.split("/")
        return parts[1] if len(parts) > 1 else None

    @property
    def parent(self) -> str | None:
        return self.axis if self.theme else None

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.path


@dataclass
class Codebook:
    path: Path
    name: str
    notes: str
    codes: list[Code]
    hash: str

    def __getitem__(self, path: str) -> Code:
        return self._index[path]

    def __contains__(self, path: str) -> bool:
        return path in self._index

    def __post_init__(self) -> None:
        self._index = {c.path: c for c in self.codes}

    def store_rows(self) -> list[dict[str, Any]]:
        """Rows for the store's codes table."""
        return [{"path": c.path, "parent": c.parent, "label_es": c.labels.get("es"),
                 "label_en": c.labels.get("en"), "colour": c.colour, "info": c.info}
                for c in self.codes]


class LineLoader(SafeLoader):
    """Safe YAML loader (no alias bombs, see qda.text.safeyaml) that remembers the line of each
    mapping and refuses duplicate keys."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}' (first on line {seen[key]})",
                    key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def problems(path: Path) -> list[QdaError]:
    """Every problem in a codebook file, each with its line; empty when it is valid."""
    return _parse(path)[2]


def _parse(path: Path) -> tuple[bytes, Any, list[QdaError]]:
    """Read and validate a codebook file once: (raw bytes, data with line marks, problems)."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return b"", None, [QdaError(f"cannot read the codebook ({exc})", path)]
    try:
        data = yaml.load(text, Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return raw, None, [QdaError(f"not valid YAML: {problem}", path,
                                    mark.line + 1 if mark else None)]
    return raw, data, _validate(data, path)


def _validate(data: Any, path: Path) -> list[QdaError]:
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        return [QdaError("needs a 'codes:' list of codes", path, 1)]
    errors: list[QdaError] = []
    seen: dict[str, int] = {}
    foreign: set[str] = set()  # codes outside the axes, accepted when flagged `origin: refi`
    for entry in data["codes"]:
        if not isinstance(entry, dict):
            errors.append(QdaError("each code must be a mapping with 'code:' and 'label:'", path))
            continue
        line = entry.get("__line__")
        code = str(entry.get("code") or "").strip()
        parts = code.split("/")
        if not code:
            errors.append(QdaError("a code without 'code:' (its path, like challenges/budget)",
                                   path, line))
            continue
        if code in seen:
            errors.append(QdaError(f"duplicate code '{code}' (first on line {seen[code]})",
                                   path, line))
        seen.setdefault(code, line)
        if len(parts) > 2 or not all(p.replace("_", "").isalnum() and p.islower() for p in parts):
            errors.append(QdaError(f"code '{code}' must be 'axis' or 'axis/theme' in lower-case "
                                   "letters, digits and underscores", path, line))
        elif parts[0] not in AXES and entry.get("origin") != "refi":
            what = "theme under no axis" if len(parts) == 1 else f"unknown parent '{parts[0]}'"
            errors.append(QdaError(f"code '{code}': {what}; the axes are {', '.join(AXES)}",
                                   path, line))
        elif parts[0] not in AXES:
            foreign.add(code)  # kept by `qda import` from another tool's codebook
        if "origin" in entry and entry["origin"] != "refi":
            errors.append(QdaError(f"code '{code}': unknown origin '{entry['origin']}' (only "
                                   "'refi', for codes imported from another tool)", path, line))
        labels = entry.get("label")
        if not isinstance(labels, dict) or any(not labels.get(lang) for lang in LANGS):
            errors.append(QdaError(f"code '{code}' needs a label in each of: {', '.join(LANGS)}",
                                   path, line))
        if not entry.get("definition"):
            errors.append(QdaError(f"code '{code}' needs a definition", path, line))
    for axis in AXES:
        if axis not in seen:
            errors.append(QdaError(f"the axis '{axis}' is missing", path))
    for code, line in seen.items():
        root = code.split("/")[0]
        if "/" in code and root not in seen and (root in AXES or code in foreign):
            errors.append(QdaError(f"code '{code}' has unknown parent '{code.split('/')[0]}'",
                                   path, line))
    return errors


def load(path: Path) -> Codebook:
    """Load a valid codebook, or raise a QdaError that lists every problem."""
    raw, data, found = _parse(path)
    if found:
        raise QdaError(f"the codebook has {len(found)} problem(s); run 'qda codebook check':\n"
                       + "\n".join(f"  {p}" for p in found))
    codes = []
    for entry in data["codes"]:
        line = entry.pop("__line__")
        labels = {k: str(v) for k, v in entry.pop("label").items() if k != "__line__"}
        path_ = str(entry.pop("code")).strip()
        colour = entry.pop("colour", None)
        info = {k: strip_lines(v) for k, v in entry.items()}
        codes.append(Code(path_, labels, info, colour, line))
    return Codebook(path=path, name=str(data.get("name", "")), notes=str(data.get("notes", "")),
                    codes=codes, hash=hashlib.sha256(raw).hexdigest()[:16])


def strip_lines(value: Any) -> Any:
    """Drop the line markers `LineLoader` adds, leaving plain data."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
