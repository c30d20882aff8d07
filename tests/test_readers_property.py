"""Property tests: any input to any reader gives a Document or a clear QdaError, never a crash."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qda.errors import QdaError
from qda.ingest import read_document
from qda.text.segment import segment_document

LINES = st.lists(st.one_of(
    st.text(max_size=80),
    st.builds(lambda who, said: f"{who}: {said}", st.sampled_from(["ENT", "P1", "Ana María"]),
              st.text(max_size=60)),
    st.builds(lambda t, said: f"[00:0{t}:00] P1: {said}", st.integers(0, 9), st.text(max_size=40)),
    st.just(""), st.just("---"),
), max_size=30).map("\n".join)


def check(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            doc = read_document(path, {"ENT"})
        except QdaError as exc:
            assert name in str(exc)  # the message names the file
            return
        for p in doc.paragraphs:
            assert 0 <= p.start <= p.end <= len(doc.text)
        for s in segment_document(doc, "es"):
            assert doc.text[s.start:s.end] == s.text


def _write(name: str, data: bytes) -> Path:
    path = Path(tempfile.mkdtemp()) / name
    path.write_bytes(data)
    return path


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(LINES, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_text_reader_survives_any_text(text, encoding):
    check("t.txt", text.encode(encoding, errors="replace"))


@SETTINGS
@given(st.binary(max_size=400))
def test_every_reader_survives_any_bytes(data):
    for name in ("b.txt", "b.md", "b.vtt", "b.srt", "b.docx"):
        check(name, data)


@SETTINGS
@given(LINES)
def test_subtitle_readers_survive_any_text(text):
    check("s.vtt", ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + text).encode())
    check("s.srt", ("1\n00:00:01,000 --> 00:00:02,000\n" + text).encode())


def test_one_enormous_line_and_control_characters():
    check("big.txt", ("P1: " + "palabra " * 200_000).encode())
    doc = read_document(_write("big.txt", ("P1: " + "palabra " * 20_000).encode()), set())
    assert max(s.end - s.start for s in segment_document(doc, "es")) <= 1200
    check("ctl.txt", b"P1: hola\x07\x1b[31m mundo\x0c\n")
