"""Bytes to clean text: encoding detection, NFC, `\\n` line ends, binary and size checks,
the delimiter of a CSV; and files written whole or not at all."""
from __future__ import annotations

import codecs
import csv
import ctypes
import errno
import gc
import hashlib
import os
import re
import shutil
import sys
import tempfile
import traceback
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from qda.errors import QdaError

MAX_FILE_BYTES = 200 * 1024 * 1024
_AT_FDCWD, _AT_EMPTY_PATH = -100, 0x1000  # linkat(2) on Linux
# Western code pages Spanish and English files are saved in when they are not Unicode.
_LEGACY_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850"]
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0/C1 control characters other than tab and newline carry nothing in a transcript.
# (a regex, not str.translate: that looks every character of a non-ASCII text up in a dict)
_CONTROL_CHARS = "".join(map(chr, [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20),
                                   *range(0x7f, 0xa0)]))
_CONTROL = re.compile(f"[{re.escape(_CONTROL_CHARS)}]")


def read_bytes(path: Path) -> bytes:
    """Read a file, refusing one too large to be a transcript before loading it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise QdaError(
            f"file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES // 2**20} MiB limit for one "
            "transcript; split it into one file per interview",
            path,
        )
    return path.read_bytes()


def decode(data: bytes, path: Path | str) -> str:
    """Decode transcript bytes: BOMs first, then strict UTF-8, then a Western code page."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise QdaError(f"starts with a {encoding} byte-order mark but is not valid "
                               f"{encoding} (byte {exc.start}); save it again as UTF-8",
                               path) from None
    if b"\x00" in data:
        raise QdaError("looks like a binary file, not text (it contains NUL bytes); "
                       "export the transcript as .txt, .docx, .vtt or .srt", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # here: only non-UTF-8 files need it

    found = list(from_bytes(data, cp_isolation=_LEGACY_ENCODINGS))
    if not found:
        raise QdaError("could not tell the text encoding; save the file as UTF-8", path)
    # of the readings with the least mess, the most common code page: a short file with one
    # "ú" reads as well in cp850 as in cp1252, and far more are saved in cp1252
    least = min(r.chaos for r in found)
    return str(min((r for r in found if r.chaos <= least),
                   key=lambda r: _LEGACY_ENCODINGS.index(r.encoding)
                   if r.encoding in _LEGACY_ENCODINGS else len(_LEGACY_ENCODINGS)))


def normalise(text: str) -> str:
    """NFC, `\\n` line ends, no BOM or control characters: the one form all offsets count in."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    # most texts have none: looking for each one (a memchr) is 10x faster than the regex
    if any(char in text for char in _CONTROL_CHARS):
        text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


# Latin letters, digits, punctuation and line ends: never control, private or unassigned
_PRINTABLE = re.compile("[\t\n\r\x20-\x7e\xa0-\u024f\u2010-\u2027\u2030-\u205e]+")


def looks_binary(text: str) -> bool:
    """True when decoded 'text' is mostly unprintable: a binary file renamed to .txt."""
    sample = text[:4096]
    if not sample:
        return False
    rest = _PRINTABLE.sub("", sample)  # only what is left needs a look at its category
    odd = sum(1 for ch in rest if unicodedata.category(ch) in {"Cc", "Co", "Cn", "Cs"}
              and ch not in "\n\t\r")
    return odd / len(sample) > 0.05


def read_text(path: Path) -> str:
    """Read, decode and normalise a text transcript."""
    text = decode(read_bytes(path), path)
    if looks_binary(text):
        raise QdaError("looks like a binary file, not text; export the transcript as .txt, "
                       ".docx, .vtt or .srt", path)
    return normalise(text)


def content_hash(text: str) -> str:
    """Hash of normalised text: the same transcript saved differently hashes the same."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def csv_delimiter(text: str) -> str:
    """The delimiter of a CSV, read from its header line: ',' or the ';' that spreadsheets
    write in Spanish and other locales where ',' is the decimal mark (or a tab)."""
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:  # a one-column header
        return ","


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write `path` whole or not at all (see `atomic_file`)."""
    with atomic_file(path, mode) as fh:
        fh.write(data)


@contextmanager
def atomic_file(path: str | Path, mode: int | None = None) -> Iterator[BinaryIO]:
    """A binary file to write `path` through, whole or not at all: the bytes go to a temp file
    beside it, are flushed to disk (fsync) and renamed over `path`, so a kill, a full disk or an
    error leaves the previous version. On Linux the temp file has no name until it is complete
    (O_TMPFILE), so even a SIGKILL leaves nothing behind; elsewhere it is removed on any error.
    This is the one writer of every file qda makes (reports, workbooks, CSV, charts, REFI-QDA,
    codebooks, models, keys). The result gets the mode of any file the user creates (umask),
    like every other output, or `mode` (a key readable by its owner only).
    OS errors become one-line QdaErrors that say what to do."""
    path = Path(path)
    final_mode = 0o666 & ~_umask() if mode is None else mode
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, named = _open_temp(path)
    except OSError as exc:
        raise QdaError(os_problem(exc), path) from None
    try:
        with os.fdopen(fd, "w+b") as fh:
            try:
                yield fh
            except BaseException as exc:
                _release(exc)
                raise
            fh.flush()
            os.fchmod(fh.fileno(), final_mode)
            os.fsync(fh.fileno())
            if named is None:  # give the finished file a name, then put it in place
                named = path.with_name(f".{path.name}.{os.getpid()}.partial")
                named.unlink(missing_ok=True)
                if not _link(fh.fileno(), named):
                    fh.seek(0)
                    with open(named, "wb") as copy:
                        shutil.copyfileobj(fh, copy)
                        copy.flush()
                        os.fchmod(copy.fileno(), final_mode)
                        os.fsync(copy.fileno())
        os.replace(named, path)
        _sync_folder(path.parent)
    except OSError as exc:
        raise QdaError(os_problem(exc), path) from None
    finally:
        if named is not None and named.exists() and named != path:
            named.unlink(missing_ok=True)


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """`atomic_file` for writers that need a file name rather than an open file (SQLite's
    backup; a loader that checks what was written before it replaces anything): a temp file
    beside `path` that the block fills, then flushed to disk and renamed over `path`; removed
    if the block fails. OS errors become one-line QdaErrors."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise QdaError(os_problem(exc), path) from None
    named = Path(name)
    try:
        yield named
        with open(named, "rb+") as fh:
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
            os.fsync(fh.fileno())
        os.replace(named, path)
        _sync_folder(path.parent)
    except OSError as exc:
        raise QdaError(os_problem(exc), path) from None
    finally:
        named.unlink(missing_ok=True)


def _open_temp(path: Path) -> tuple[int, Path | None]:
    """An anonymous file in the target's folder where the OS allows one, else a named one."""
    if hasattr(os, "O_TMPFILE") and Path("/proc/self/fd").is_dir():
        try:
            return os.open(path.parent, os.O_TMPFILE | os.O_RDWR, 0o600), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    return fd, Path(name)


def _release(exc: BaseException) -> None:
    """Let go now, quietly, of what a failed writer left open on the temp file (a half-written
    zip closes itself when collected): later, with the file closed, it would print a second
    traceback after the one-line error."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _link(fd: int, name: Path) -> bool:
    """Give an anonymous (O_TMPFILE) file a name: linkat(AT_EMPTY_PATH), else through
    /proc; False where neither is allowed (the caller then copies it)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.linkat(fd, b"", _AT_FDCWD, os.fsencode(name), _AT_EMPTY_PATH) == 0:
            return True
    except (OSError, AttributeError):
        pass
    try:
        os.link(f"/proc/self/fd/{fd}", name, follow_symlinks=True)
        return True
    except OSError:
        return False


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def os_problem(exc: OSError) -> str:
    """What an OS error when writing means for the person, and what to do about it."""
    why = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"the disk is full ({why}); free some space and run the command again "
                "(nothing was changed)")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"cannot write here ({why}); choose a folder you may write to, or fix its "
                "permissions")
    if exc.errno == errno.ENOENT:
        return f"the folder does not exist ({why}); create it or choose another"
    return f"cannot write ({why})"
