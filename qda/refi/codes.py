"""Codes from another tool's codebook, brought into the project's codebook YAML.

The YAML stays the one source of truth, so foreign codes are written into it:
- a foreign code that is (nearly) an axis or theme of ours, by key or by its Spanish or
  English label, maps onto it (rapidfuzz catches near spellings; an ambiguous name, like
  "participation" under three axes, maps nowhere and says so);
- a code seen before maps onto the code it became, by GUID (ours are stable, and imported
  codes keep theirs as `refi_guid`);
- any other code is appended to the file as a new code flagged `origin: refi`: under the axis
  its parent mapped onto, or, when it fits under no axis, as a flagged root of its own (the
  five axes stay fixed; validation accepts other roots only with that flag). The codebook has
  two levels, so a deeper foreign code becomes a theme whose key joins its ancestors' with
  `__` (`rq1/competencies__programming`) and the exporter rebuilds the tree from that.

Edits append YAML text and never re-dump the file, so its comments and layout survive; the
result is validated before it replaces the file.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from qda.codebook import model as codebook_mod
from qda.codebook.model import Codebook
from qda.errors import QdaError
from qda.refi.reader import ForeignCode
from qda.refi.xml import DEEPER, code_guid, colour
from qda.text.files import atomic_path
from qda.vocab import AXES

ORIGIN = "refi"
NEAR = 90  # rapidfuzz ratio for a near match of names; short names must match exactly
NEAR_MIN_CHARS = 6


@dataclass
class CodePlan:
    """Where each foreign code goes: onto which project code, or as which new entry."""

    targets: dict[str, str] = field(default_factory=dict)  # foreign GUID -> code path
    entries: list[dict] = field(default_factory=list)  # new codebook entries, in order
    matched: list[tuple[str, str, str]] = field(default_factory=list)  # name, path, how
    notes: list[str] = field(default_factory=list)


def slug(name: str) -> str:
    """A key part: ASCII lower-case letters, digits and single underscores, with a letter."""
    key = name_key(name).replace(" ", "_")
    if key and not re.search(r"[a-z]", key):
        key = f"c_{key}"
    return key


def plan(codebook: Codebook, codes: list[ForeignCode], source: str) -> CodePlan:
    """Decide, without writing anything, where each code of a foreign tree goes."""
    return _Planner(codebook, source).run(codes)


class _Planner:
    def __init__(self, codebook: Codebook, source: str):
        self.source = source
        self.existing = frozenset(c.path for c in codebook.codes)
        self.paths = set(self.existing)  # grows with the codes this plan adds
        self.by_guid = {code_guid(c.path): c.path for c in codebook.codes}
        self.by_guid.update({str(c.info["refi_guid"]).lower(): c.path for c in codebook.codes
                             if c.info.get("refi_guid")})
        self.names = {c.path: {name_key(c.path.split("/")[-1]),
                               *map(name_key, c.labels.values())} for c in codebook.codes}
        self.colours = {c.path: colour(c.colour) for c in codebook.codes}
        self.result = CodePlan()

    def run(self, codes: list[ForeignCode]) -> CodePlan:
        for code in codes:
            self._visit(code, None)
        return self.result

    def _visit(self, code: ForeignCode, parent: str | None) -> None:
        path = self._resolve(code, parent)
        self.result.targets[code.guid] = path
        for child in code.children:
            self._visit(child, path)

    def _resolve(self, code: ForeignCode, parent: str | None) -> str:
        if code.guid in self.by_guid:
            return self._matched(code, self.by_guid[code.guid], "same GUID")
        root = parent.split("/")[0] if parent else None
        if parent is None:
            pools = [[a for a in AXES if a in self.paths], self._themes(None)]
        elif root in AXES:
            pools = [self._themes(root)]  # a child of an axis stays under that axis
        else:
            pools = [self._themes(None)]
        for pool in pools:
            hit, how, ambiguous = self._match(code.name, pool)
            if hit:
                return self._matched(code, hit, how)
            if ambiguous:
                self.result.notes.append(f"'{code.name}' could be any of "
                                         f"{', '.join(ambiguous)}; kept as a code of its own")
                break
        path = self._new_path(code, parent)
        if path in self.existing:
            return self._matched(code, path, "same key")
        return self._add(code, path)

    def _themes(self, axis: str | None) -> list[str]:
        return [p for p in self.names if "/" in p and p.split("/")[0] in AXES
                and (axis is None or p.split("/")[0] == axis)]

    def _match(self, name: str, pool: list[str]) -> tuple[str | None, str, list[str]]:
        """(path, how, ambiguous paths) for a name against the keys and labels of `pool`."""
        words = name_key(name)
        exact = [p for p in pool if words in self.names[p]]
        if len(exact) == 1:
            return exact[0], "key or label", []
        if exact:
            return None, "", exact
        if len(words) < NEAR_MIN_CHARS:
            return None, "", []
        scores = {p: max(fuzz.ratio(words, n) for n in self.names[p]) for p in pool}
        best = max(scores.values(), default=0)
        hits = [p for p, s in scores.items() if s == best]
        if best >= NEAR and len(hits) == 1:
            return hits[0], f"near match ({best:.0f}%)", []
        return None, "", hits if best >= NEAR else []

    def _matched(self, code: ForeignCode, path: str, how: str) -> str:
        self.result.matched.append((code.name, path, how))
        return path

    def _new_path(self, code: ForeignCode, parent: str | None) -> str:
        key = slug(code.name) or f"code_{code.guid.replace('-', '')[:8]}"
        if parent is None:
            return key
        root, _, theme = parent.partition("/")
        return f"{root}/{theme}{DEEPER}{key}" if theme else f"{root}/{key}"

    def _add(self, code: ForeignCode, path: str) -> str:
        base, n = path, 2
        while path in self.paths:  # two foreign codes with the same key under one parent
            path, n = f"{base}_{n}", n + 1
        self.paths.add(path)
        self.names[path] = {name_key(code.name)}
        described = code.description or None
        entry: dict = {
            "code": path,
            "origin": ORIGIN,
            "refi_guid": code.guid,
            "label": {"es": code.name, "en": code.name},
            "definition": {
                "es": described or f"Importado de {self.source}; la herramienta de origen no "
                                   "dio una definición.",
                "en": described or f"Imported from {self.source}; the exporting tool gave no "
                                   "definition.",
            },
        }
        root = path.split("/")[0]
        if code.colour and not ("/" in path and code.colour == self.colours.get(root)):
            entry["colour"] = code.colour  # a theme that only repeats its root's has none
            self.colours[path] = code.colour
        self.result.entries.append(entry)
        return path


def append(path: Path, entries: list[dict], source: str, origin: str) -> bool:
    """Append entries to the codebook file as YAML text, validated before it replaces the
    file; returns whether the file changed."""
    if not entries:
        return False
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    item = re.search(r"^([ \t]*)- code:", text, flags=re.MULTILINE)
    indent = item.group(1) if item else "  "
    block = [f"{indent}# {'-' * 40} imported from {source}",
             f"{indent}# Codes from a REFI-QDA file{f' by {origin}' if origin else ''}, added by "
             f"'qda import' on {date.today().isoformat()}.",
             f"{indent}# Roots flagged 'origin: {ORIGIN}' fit under no axis: merge them into the "
             "axes when you can."]
    for entry in entries:
        block.extend(_entry_lines(entry, indent))
    addition = ("" if data.endswith(b"\n") else "\n") + "\n" + "\n".join(block) + "\n"
    with atomic_path(path) as tmp:
        tmp.write_bytes(data + addition.encode("utf-8"))
        try:
            added = [c.path for c in codebook_mod.load(tmp).codes][-len(entries):]
        except QdaError as exc:
            problems = "; ".join(line.strip() for line in exc.message.splitlines()[1:])
            raise QdaError("cannot add the imported codes; the codebook would become invalid: "
                           f"{problems or exc.message}", path) from None
        if added != [e["code"] for e in entries]:
            raise QdaError("cannot add the imported codes: 'codes:' must be the last section "
                           "of the codebook so new codes can be added at its end", path)
    return True


def _entry_lines(entry: dict, indent: str) -> list[str]:
    lines = [f"{indent}- code: {entry['code']}",
             f"{indent}  origin: {entry['origin']}",
             f"{indent}  refi_guid: {_quote(entry['refi_guid'])}",
             f"{indent}  label: {{es: {_quote(entry['label']['es'])}, "
             f"en: {_quote(entry['label']['en'])}}}",
             f"{indent}  definition:"]
    lines += [f"{indent}    {lang}: {_quote(text)}" for lang, text in entry["definition"].items()]
    if entry.get("colour"):
        lines.append(f"{indent}  colour: {_quote(entry['colour'])}")
    return lines


def _quote(value: str) -> str:
    """A double-quoted YAML scalar on one line, as the rest of the codebook writes them."""
    return yaml.safe_dump(value, default_style='"', allow_unicode=True,
                          width=float("inf")).rstrip("\n")


def name_key(text: str) -> str:
    """Lower-case ASCII words, for comparing names: 'Voluntad  Política' -> 'voluntad politica'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())
