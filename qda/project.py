"""A project folder: `qda.yaml` settings, the codebook, transcripts and the store.

`open_project()` is the Python API that the command line and notebooks share.
"""
from __future__ import annotations

import getpass
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from qda.codebook import model as codebook_mod
from qda.codebook.model import Codebook
from qda.errors import QdaError
from qda.store import Store
from qda.text import safeyaml
from qda.text.files import write_atomic
from qda.vocab import DEFAULT_INTERVIEWERS

if TYPE_CHECKING:
    import pandas as pd

SETTINGS_FILE = "qda.yaml"
# written once the project has a store: from then on a missing or empty store is an error
STORE_MARKER = ".qda/store-created"


@dataclass
class Settings:
    """What `qda.yaml` holds; paths are relative to the project folder."""

    store: str = ".qda/qda.sqlite3"
    codebook: str = "codebook/codebook.yaml"
    language: str = "es"
    interviewer_labels: list[str] = field(default_factory=lambda: list(DEFAULT_INTERVIEWERS))
    coder: str | None = None

    @classmethod
    def read(cls, path: Path) -> Settings:
        try:
            data = safeyaml.load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise QdaError(f"settings are not valid YAML ({getattr(exc, 'problem', exc)})",
                           path, mark.line + 1 if mark else None) from None
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise QdaError(f"unknown setting(s) {', '.join(sorted(unknown))}; known: "
                           f"{', '.join(sorted(known))}", path)
        return cls(**data)

    def write(self, path: Path) -> None:
        header = "# qda project settings; paths are relative to this folder.\n"
        body = yaml.safe_dump(self.__dict__, allow_unicode=True, sort_keys=False)
        write_atomic(path, (header + body).encode("utf-8"))


class Project:
    """An open project: settings, codebook and store, plus the frames analysis starts from."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.settings = Settings.read(self.root / SETTINGS_FILE)
        path = self.root / self.settings.store
        marker = self.root / STORE_MARKER
        if marker.exists() and _missing_or_empty(path):
            raise QdaError("the project store is missing or empty, but this project had one: "
                           "qda will not start an empty one in its place. Put it back from a "
                           "copy (.qda/backups/ or a 'qda backup' file); to really start over "
                           f"with an empty store, delete {marker}", path)
        self.store = Store(path)
        if not marker.exists() and not self.store.readonly:
            try:
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(f"{self.settings.store}\n", encoding="utf-8")
            except OSError:  # a folder we may not write to: nothing to protect from here
                pass
        self._codebook: Codebook | None = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @property
    def codebook(self) -> Codebook:
        """The project's codebook, synced into the store whenever its file changed."""
        if self._codebook is None:
            self._codebook = codebook_mod.load(self.root / self.settings.codebook)
            if (self.store.get_meta("codebook_hash") != self._codebook.hash
                    and not self.store.readonly):
                with self.store.transaction():
                    self.store.sync_codes(self._codebook.store_rows())
                    self.store.set_meta("codebook_hash", self._codebook.hash)
        return self._codebook

    def reload_codebook(self) -> Codebook:
        """Read the codebook file again after it was edited (e.g. codes added by an import)."""
        self._codebook = None
        return self.codebook

    @property
    def model_dir(self) -> Path:
        """Where `qda train` keeps the model: beside the store, so a backup holds both."""
        return self.store.path.parent / "models"

    @property
    def default_coder(self) -> str:
        return self.settings.coder or getpass.getuser()

    @property
    def interviewer_labels(self) -> set[str]:
        return set(self.settings.interviewer_labels)

    # -- frames for notebooks and exports -------------------------------------------------------
    def segments_frame(self, include_interviewer: bool = False) -> pd.DataFrame:
        """One row per segment with its document's case attributes."""
        frame = self.store.segments_frame()
        if not include_interviewer:
            frame = frame[frame["is_interviewer"] == 0].reset_index(drop=True)
        return frame

    def codings_frame(self, status: str | None = None, parts: bool = False,
                      evidence: bool = True) -> pd.DataFrame:
        """One row per coding with axis, theme and the case attributes joined; with
        `parts`, one row per part of its passage a coding covers (start, end, text: the
        part's; a coding may cover two parts of one passage); without `evidence`, no
        evidence, run or update time."""
        self.codebook  # make sure the codes table is current
        frame = self.store.codings_frame(parts, evidence)
        parts = frame["code"].str.split("/", n=1, expand=True).reindex(columns=[0, 1])
        frame.insert(frame.columns.get_loc("code") + 1, "axis", parts[0])
        frame.insert(frame.columns.get_loc("axis") + 1, "theme", parts[1])
        if status:
            frame = frame[frame["status"] == status].reset_index(drop=True)
        return frame

    def documents_frame(self) -> pd.DataFrame:
        rows = [dict(r) for r in self.store.documents()]
        import pandas as pd  # on first use: see store._read_sql
        return pd.DataFrame(rows, columns=["id", "name", "source_path", "country", "role",
                                           "policy", "sector", "language", "date",
                                           "interviewers", "extra"])


def _missing_or_empty(path: Path) -> bool:
    """No store file, or a 0-byte one whose WAL holds nothing either."""
    if not path.exists():
        return True
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size > 0)


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` holding `qda.yaml`, like git finds a repo."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise QdaError(f"not inside a qda project (no {SETTINGS_FILE} here or above); run "
                   "'qda init DIR' or pass --project DIR", here)


def open_project(path: str | Path | None = None) -> Project:
    """Open the project at `path` (or found from the current folder)."""
    if path is None:
        return Project(find_root())
    root = Path(path)
    if not (root / SETTINGS_FILE).is_file():
        raise QdaError(f"not a qda project (no {SETTINGS_FILE}); run 'qda init {root}'", root)
    return Project(root)


def default_codebook_dir() -> Path:
    return Path(str(resources.files("qda") / "data" / "codebook"))


def init_project(path: str | Path, language: str = "es") -> Project:
    """Make a new, empty project with the default codebook."""
    root = Path(path)
    if (root / SETTINGS_FILE).exists():
        raise QdaError(f"already a qda project ({SETTINGS_FILE} exists)", root)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(default_codebook_dir(), root / "codebook", dirs_exist_ok=True)
    for folder in ("transcripts", "outputs"):
        (root / folder).mkdir(exist_ok=True)
    Settings(language=language).write(root / SETTINGS_FILE)
    project = Project(root)
    project.codebook  # validates and loads codes into the new store
    return project
