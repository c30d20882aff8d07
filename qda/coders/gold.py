"""Gold files: passages a person placed under an axis, read and loaded into a scratch project.

A gold file (CSV or JSONL) has `text` and `axis`, and may have `theme`, `alt_axis` (a second
axis that is also right), `language`, `id`, `document` and case attributes. It is coded in
a scratch project made in a temporary folder with the user's codebook (or the packaged one):
the user's project is never written to, and a fresh project is what a new study looks like
on its first day. Passages without a `document` are each a document of their own.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from qda.codebook.model import Codebook
from qda.codebook.model import load as load_codebook
from qda.errors import QdaError
from qda.imports.pipeline import ImportReport, add_coded_document
from qda.ingest import coded
from qda.ingest.metadata import _slug, normalise_attributes
from qda.models import Coding
from qda.project import SETTINGS_FILE, Project, Settings, init_project
from qda.vocab import AXES, CASE_ATTRIBUTES

REQUIRED = ("text", "axis")
GOLD_CODER = "gold"  # whose codings the gold labels become when a learner trains on them


@dataclass
class GoldPassage:
    """One labelled passage of a gold file."""

    line: int
    document: str
    text: str
    axis: str
    alt_axis: str | None = None
    theme: str | None = None  # a code path, axis/theme
    attributes: dict[str, str] = field(default_factory=dict)  # language and case attributes

    @property
    def code(self) -> str:
        """What a person coded: the theme, else the bare axis."""
        return self.theme or self.axis


def read_gold(path: Path, codebook: Codebook) -> list[GoldPassage]:
    """The passages of a gold file, checked against the codebook; the first bad row is an
    error naming the file and line."""
    axes = _names(codebook, AXES)
    passages: list[GoldPassage] = []
    named: dict[str, int] = {}  # document named by its id -> line, to refuse an id used twice
    for line, row in coded.rows(path, required=REQUIRED):
        text = " ".join(str(row.get("text") or "").split())
        if not text:
            raise QdaError("'text' is empty", path, line)
        axis = _axis(row.get("axis"), axes, "axis", path, line)
        alt = _axis(row.get("alt_axis"), axes, "alt_axis", path, line) \
            if row.get("alt_axis") else None
        theme = _theme(row.get("theme"), (axis, alt), codebook, path, line) \
            if row.get("theme") else None
        document = row.get("document")
        if not document:
            document = row.get("id") or f"line {line}"
            if str(document) in named:
                raise QdaError(f"id '{document}' is used twice (also on line "
                               f"{named[str(document)]})", path, line)
            named[str(document)] = line
        try:
            attributes = normalise_attributes(
                {k: str(row[k]) for k in CASE_ATTRIBUTES if row.get(k)}, path)
        except QdaError as exc:  # an unknown role or language: say on which line
            raise QdaError(exc.message, path, line) from None
        passages.append(GoldPassage(line, str(document), text, axis, alt if alt != axis else None,
                                    theme, attributes))
    if not passages:
        raise QdaError("has no passages", path)
    return passages


def _names(codebook: Codebook, paths: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Keys, paths and Spanish and English labels of codes, folded, to the code path."""
    names: dict[str, str] = {}
    for path in paths:
        code = codebook[path]
        for name in (code.path, code.theme or code.axis, *code.labels.values()):
            names.setdefault(_slug(name), code.path)
    return names


def _axis(value: object, axes: dict[str, str], column: str, path: Path, line: int) -> str:
    found = axes.get(_slug(str(value or "")))
    if found is None:
        raise QdaError(f"unknown {column} '{value}'; use one of {', '.join(AXES)}", path, line)
    return found


def _theme(value: object, axes: tuple[str, str | None], codebook: Codebook, path: Path,
           line: int) -> str:
    """A theme of the passage's axis (or its alt_axis), by path, key or label."""
    themes = [c.path for c in codebook.codes if c.theme and c.axis in axes]
    found = _names(codebook, themes).get(_slug(str(value)))
    if found is None:
        raise QdaError(f"unknown theme '{value}' under {' or '.join(a for a in axes if a)}; "
                       "use a theme path of the codebook, such as "
                       f"'{themes[0] if themes else 'axis/theme'}'", path, line)
    return found


@contextmanager
def scratch_project(source: Path | None = None) -> Iterator[Project]:
    """A new project in a temporary folder with the codebook (and pattern files) of the
    project at `source`, or the packaged default; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="qda-scratch-") as tmp:
        root = Path(tmp) / "scratch"
        if source is None:
            project = init_project(root)
        else:
            if not (source / SETTINGS_FILE).is_file():
                raise QdaError(f"not a qda project (no {SETTINGS_FILE})", source)
            settings = Settings.read(source / SETTINGS_FILE)
            book = source / settings.codebook
            load_codebook(book)  # a broken codebook is reported with its own path
            folder = root / "codebook"
            folder.mkdir(parents=True)
            shutil.copy2(book, folder / book.name)
            if (book.parent / "patterns").is_dir():
                shutil.copytree(book.parent / "patterns", folder / "patterns")
            Settings(codebook=f"codebook/{book.name}", language=settings.language,
                     interviewer_labels=settings.interviewer_labels).write(root / SETTINGS_FILE)
            project = Project(root)
        with project:
            project.codebook  # noqa: B018 - loads the codes into the scratch store
            yield project


def load_gold(project: Project, passages: list[GoldPassage], path: Path,
              labelled: bool = False) -> list[list[int]]:
    """Store the gold passages in (scratch) `project`: the segment ids of each passage.
    With `labelled`, their codes become accepted codings by GOLD_CODER (for learners)."""
    documents: dict[str, list[int]] = {}
    for i, passage in enumerate(passages):
        documents.setdefault(passage.document, []).append(i)
    segments: list[list[int]] = [[] for _ in passages]
    stored: dict[tuple[str, ...], list[list[int]]] = {}  # same text twice: coded once
    report = ImportReport()
    with project.store.transaction():
        for name, members in documents.items():
            texts = tuple(passages[i].text for i in members)
            if texts not in stored:
                rows = [{"text": passages[i].text, **passages[i].attributes} for i in members]
                pieces = add_coded_document(project, name, rows, path, report)
                if pieces is None:
                    raise QdaError(f"document '{name}' could not be stored", path)
                stored[texts] = [[seg.id for seg in piece] for piece in pieces]
            for i, ids in zip(members, stored[texts]):
                segments[i] = ids
        if labelled:
            project.store.upsert_human_codings(
                Coding(sid, passage.code, GOLD_CODER, "human", "accepted")
                for passage, ids in zip(passages, segments) for sid in ids)
            project.store.mark_reviewed({sid for ids in segments for sid in ids}, GOLD_CODER)
    return segments
