"""Zip archives (.docx, .qdpx) checked before anything reads them: size, ratio, paths."""
from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from .errors import QdaError

MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 100  # a member that expands more than this is a bomb, not a document
MAX_MEMBERS = 10_000


def open_zip(path: Path, kind: str) -> zipfile.ZipFile:
    """Open a zip archive that is safe to read, or raise a QdaError saying why not."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise QdaError(f"is not a valid {kind} file (not a zip archive: {exc}); "
                       f"open it in its program and save it again", path) from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        archive.close()
        raise QdaError(f"holds {len(members)} files, more than a {kind} can; refused", path)
    total = 0
    for info in members:
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts:
            archive.close()
            raise QdaError(f"holds a path that escapes the archive ({info.filename}); refused",
                           path)
        total += info.file_size
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            archive.close()
            raise QdaError(f"member {info.filename} expands {info.file_size // max(info.compress_size, 1)}"
                           f" times (an archive bomb); refused", path)
    if total > MAX_UNCOMPRESSED:
        archive.close()
        raise QdaError(f"expands to {total / 2**20:.0f} MiB, over the "
                       f"{MAX_UNCOMPRESSED // 2**20} MiB limit; refused", path)
    return archive
