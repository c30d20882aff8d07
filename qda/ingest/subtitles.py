"""Readers for .vtt and .srt exports of video calls.

Speakers come from WebVTT voice tags (`<v Name>`) or a `Name:` prefix in the cue text.
Consecutive cues of one speaker merge into one turn of one paragraph; the first cue's start
time is kept as the turn's time. Line breaks inside cues become spaces.
"""
from __future__ import annotations

import re
from pathlib import Path

import srt
import webvtt

from qda.errors import QdaError
from qda.ingest.transcript import TURN_LINE, Turn, label_key, match_turn, render, speaker_keys
from qda.models import Document
from qda.text.files import normalise, read_text

_TAG = re.compile(r"</?[^>]+>")


def read_vtt(path: Path, interviewers: set[str]) -> tuple[Document, dict]:
    text = read_text(path)
    try:
        captions = webvtt.from_string(text)
    except webvtt.errors.MalformedFileError as exc:
        raise QdaError(f"is not a valid WebVTT file ({exc}); export it again from the "
                       "video-call tool", path) from None
    cues = [(c.voice, c.text, c.start.split(".")[0]) for c in captions]
    return _build(path, cues, interviewers), {}


def read_srt(path: Path, interviewers: set[str]) -> tuple[Document, dict]:
    text = read_text(path)
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.expected_start) + 1
        raise QdaError("is not a valid SubRip (.srt) file: a cue is malformed here; "
                       "export it again from the video-call tool", path, line) from None
    cues = [(None, s.content, _clock(s.start.total_seconds())) for s in subtitles]
    return _build(path, cues, interviewers), {}


def _build(path: Path, cues: list[tuple[str | None, str, str]], interviewers: set[str]
           ) -> Document:
    turns: list[Turn] = []
    bodies = [(voice, " ".join(_TAG.sub("", normalise(raw)).split()), time)
              for voice, raw, time in cues]
    known = speaker_keys((m.group("label") for voice, body, _ in bodies
                          if not voice and (m := TURN_LINE.match(body))), interviewers)
    for voice, body, time in bodies:
        if not voice and (m := match_turn(body, known)):
            voice, body = m.group("label").strip(), body[m.end():].strip()
        if not body:
            continue
        if turns and (voice is None or label_key(voice) == label_key(turns[-1].speaker or "")):
            turns[-1].paragraphs[0] += " " + body
        else:
            turns.append(Turn(voice, [body], time))
    if not turns:
        raise QdaError("has no captions with text", path)
    return render(path.stem, turns, interviewers)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
