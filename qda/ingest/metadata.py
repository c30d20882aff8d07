"""Case attributes: YAML front matter, the `interviews.csv` sidecar, command-line overrides."""
from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from qda.errors import QdaError
from qda.text import safeyaml
from qda.text.files import csv_delimiter, decode, normalise, read_bytes
from qda.vocab import CASE_ATTRIBUTES, LANGS, LANGUAGE_ALIASES, ROLE_ALIASES, ROLES

SIDECAR = "interviews.csv"
# case attributes that summaries group by: one value each
ONE_VALUE = ("id", *CASE_ATTRIBUTES)


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """Return (metadata, body, offset of the body in the file text)."""
    if not text.startswith("---\n"):
        return {}, text, 0
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$\n?", text[4:], flags=re.MULTILINE)
    if not end:
        raise QdaError("front matter opened with '---' on line 1 is never closed; "
                       "end it with a line '---'", path, 1)
    raw = text[4:4 + end.start()]
    try:
        meta = safeyaml.load(raw) or {}
    except yaml.YAMLError as exc:
        # An unclosed bracket is noticed at the end; the line that opened it is more useful.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise QdaError(f"front matter is not valid YAML ({problem}); fix that line", path,
                       line) from None
    if not isinstance(meta, dict):
        raise QdaError("front matter must be 'key: value' lines", path, 2)
    keys = (re.match(r"([^\s:#][^:]*?)\s*:", line) for line in raw.splitlines())
    _check_one_value({str(k).strip().lower(): v for k, v in meta.items()}, path,
                     {m.group(1).lower(): n + 2 for n, m in enumerate(keys) if m})
    body_at = 4 + end.end()
    return meta, text[body_at:], body_at


def _check_one_value(meta: dict[str, Any], path: Path, lines: dict[str, int] | None = None
                     ) -> None:
    """Refuse a list or mapping where summaries need one value (`lines`: where each key is)."""
    for key in ONE_VALUE:
        value = meta.get(key)
        if isinstance(value, (list, dict)):
            why = ("it names the interview" if key == "id" else
                   f"qda counts one {key} per interview")
            if key == "policy":
                why += (": for an interview about two policies, name the main one here and "
                        "the other under another key, such as 'other_policy'")
            raise QdaError(f"'{key}' must be one value, not a "
                           f"{'list' if isinstance(value, list) else 'mapping'}; {why}", path,
                           (lines or {}).get(key))


def read_sidecar(folder: Path) -> dict[str, dict[str, Any]]:
    """Rows of `interviews.csv` in `folder`, keyed by file name and by id."""
    path = folder / SIDECAR
    if not path.is_file():
        return {}
    rows: dict[str, dict[str, Any]] = {}
    text = normalise(decode(read_bytes(path), path))  # Excel writes cp1252 as often as UTF-8
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=csv_delimiter(text))
    if not reader.fieldnames or not ({"file", "id"} & set(reader.fieldnames)):
        raise QdaError("needs a header row with a 'file' or 'id' column", path, 1)
    headers = [h.strip() for h in reader.fieldnames if h]
    twice = sorted({h for h in headers if headers.count(h) > 1})
    if twice:
        raise QdaError(f"column(s) {', '.join(twice)} appear twice in the header; keep one",
                       path, 1)
    first: dict[str, int] = {}  # file name or id -> line of its row
    for row in reader:
        line = reader.line_num
        clean = {k.strip(): v.strip() for k, v in row.items()
                 if k and isinstance(v, str) and v.strip()}
        if "interviewer" in clean:
            clean["interviewer"] = [s.strip() for s in clean["interviewer"].split(";")]
        for key in dict.fromkeys((clean.get("file"), clean.get("id"))):
            if not key:
                continue
            if key in first:
                raise QdaError(f"'{key}' has a row on line {first[key]} already; one row per "
                               "interview (merge the two)", path, line)
            first[key] = line
            rows[key] = clean
    return rows


class Sidecars:
    """The `interviews.csv` rows for a set of folders, parsed once per import: a folder of
    1,000 files would otherwise parse its 1,000 rows again for every file."""

    def __init__(self) -> None:
        self._folders: dict[Path, dict[str, dict[str, Any]] | QdaError] = {}
        self._merged: dict[tuple[Path, ...], dict[str, dict[str, Any]]] = {}
        self._given: dict[tuple[Path, ...], dict[str, dict[str, Any]]] = {}

    def rows(self, folders: tuple[Path, ...]) -> dict[str, dict[str, Any]]:
        """Rows keyed by file name and id; an earlier folder's row wins over a later one's.
        A broken sidecar raises its error for every file that needs it."""
        if folders in self._given:  # folders an earlier file named the same way: no disk
            return self._given[folders]
        key = tuple(folder.resolve() for folder in folders)
        if key not in self._merged:
            merged: dict[str, dict[str, Any]] = {}
            for folder in key:
                if folder not in self._folders:
                    try:
                        self._folders[folder] = read_sidecar(folder)
                    except QdaError as exc:
                        self._folders[folder] = exc
                found = self._folders[folder]
                if isinstance(found, QdaError):
                    raise found
                merged = {**found, **merged}
            self._merged[key] = merged
        self._given[folders] = self._merged[key]
        return self._merged[key]


def merge(path: Path, front: dict[str, Any], sidecar: dict[str, dict[str, Any]],
          overrides: dict[str, str]) -> dict[str, Any]:
    """Front matter over the sidecar row, command-line overrides over both; validated."""
    row = sidecar.get(path.name) or sidecar.get(path.stem) or {}
    if not row and front.get("id") is not None:
        row = sidecar.get(str(front["id"]), {})
    meta = {**row, **front, **{k: v for k, v in overrides.items() if v}}
    meta.pop("file", None)
    return normalise_attributes(meta, path)


def normalise_attributes(meta: dict[str, Any], path: Path) -> dict[str, Any]:
    """Canonical role keys, language codes and country names; dates as ISO text."""
    out = {str(k).strip().lower(): v for k, v in meta.items() if v is not None}
    _check_one_value(out, path)
    if "role" in out:
        role = canonical_role(str(out["role"]))
        if role not in ROLES:
            raise QdaError(f"role '{out['role']}' is not one of {', '.join(ROLES)}; "
                           "fix the metadata or pass --role", path)
        out["role"] = role
    if "language" in out:
        lang = _slug(str(out["language"]))
        lang = LANGUAGE_ALIASES.get(lang, lang)
        if lang not in LANGS:
            raise QdaError(f"language '{out['language']}' is not supported (use "
                           f"{' or '.join(LANGS)})", path)
        out["language"] = lang
    if "country" in out:
        out["country"] = canonical_country(str(out["country"]))
    for key, value in list(out.items()):
        if isinstance(value, (date, datetime)):
            out[key] = value.isoformat()
    if "interviewer" in out and isinstance(out["interviewer"], str):
        out["interviewer"] = [out["interviewer"]]
    return out


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def canonical_role(name: str) -> str:
    """'Experta', 'designer and implementer' and 'Diseñadora e implementadora' become the
    role keys of `vocab.ROLES`; a name that is none of them comes back as a slug."""
    key = _slug(name)
    return ROLE_ALIASES.get(key, key)


def canonical_country(name: str) -> str:
    """'méxico', 'PERU' and 'Perú' all become the plain English spelling used in reports."""
    plain = unicodedata.normalize("NFKD", name.strip()).encode("ascii", "ignore").decode()
    return " ".join(w.capitalize() for w in plain.split())
