"""Bytes to clean text: encoding detection, NFC, `\\n` line ends, binary and size checks,
the delimiter of a CSV; and files written whole or not at all."""
from __future__ import annotations

import codecs
import csv
import hashlib
import re
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import QdaError

MAX_FILE_BYTES = 200 * 1024 * 1024
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
_CONTROL = {c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127, *range(128, 160)]}


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
                               f"{encoding} (byte {exc.start}); save it again as UTF-8", path) from None
    if b"\x00" in data:
        raise QdaError("looks like a binary file, not text (it contains NUL bytes); "
                       "export the transcript as .txt, .docx, .vtt or .srt", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
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
    text = text.translate(_CONTROL)
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: to a file beside it, then renamed over it, so an
    interrupted write leaves the previous version."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)
