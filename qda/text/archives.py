"""Zip archives (.docx, .qdpx) checked before anything reads them: size, ratio, paths."""
from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from qda.errors import QdaError

MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 100  # a member that expands more than this is a bomb, not a document
MAX_MEMBERS = 10_000
_DRIVE = re.compile(r"^[A-Za-z]:")


def open_zip(path: Path | BinaryIO, kind: str, where: str | Path | None = None
             ) -> zipfile.ZipFile:
    """Open a zip archive that is safe to read, or raise a QdaError saying why not.

    `path` may be an open binary file (an archive inside an archive); `where` then names it
    in messages.
    """
    where = where or path
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise QdaError(f"is not a valid {kind} file (not a zip archive: {exc}); "
                       f"open it in its program and save it again", where) from None
    try:
        _check_members(archive, kind, where)
    except QdaError:
        archive.close()
        raise
    return archive


def _check_members(archive: zipfile.ZipFile, kind: str, path: str | Path) -> None:
    """Paths that escape, links, encryption, duplicates (in any letter case) and bombs."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise QdaError(f"holds {len(members)} files, more than a {kind} can; refused", path)
    total = 0
    seen: set[str] = set()
    for info in members:
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or _DRIVE.match(info.filename):
            raise QdaError(f"holds a path that escapes the archive ({info.filename}); refused",
                           path)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise QdaError(f"holds a symbolic link ({info.filename}); refused", path)
        if info.flag_bits & 0x1:
            raise QdaError(f"holds an encrypted file ({info.filename}); export it again "
                           "without a password", path)
        if name.as_posix().casefold() in seen:
            raise QdaError(f"holds {info.filename} twice (names differing only in letter case "
                           "count as the same); refused", path)
        seen.add(name.as_posix().casefold())
        total += info.file_size
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise QdaError(f"member {info.filename} expands {ratio} times (an archive bomb); "
                           "refused", path)
    if total > MAX_UNCOMPRESSED:
        raise QdaError(f"expands to {total / 2**20:.0f} MiB, over the "
                       f"{MAX_UNCOMPRESSED // 2**20} MiB limit; refused", path)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str | Path,
                limit: int) -> bytes:
    """A member's bytes, never more than `limit` (a header may understate what expands)."""
    if info.file_size > limit:
        raise QdaError(f"{info.filename} is {info.file_size / 2**20:.0f} MiB, over the "
                       f"{limit // 2**20} MiB limit; refused", where)
    try:
        with archive.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        raise QdaError(f"{info.filename} cannot be read from the archive ({exc}); the file "
                       "is damaged", where) from None
    if len(data) > limit:
        raise QdaError(f"{info.filename} expands beyond the {limit // 2**20} MiB limit; "
                       "refused", where)
    return data
