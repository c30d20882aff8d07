"""What every reader shares: turns of speakers, speaker labels, and rendering to text.

Formats without a text layout of their own (.docx, .vtt, .srt) are rendered into the same
layout as a .txt transcript, `[time] Speaker: paragraph`, so offsets always count code points
of exactly the text the user sees and that exports write.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from qda.models import Document, Paragraph
from qda.text.files import content_hash

# `[00:01:02] LABEL: text` at the start of a line; the label is a short name or tag.
TURN_LINE = re.compile(
    r"^[ \t]*(?:\[(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\][ \t]*)?"
    r"(?:\*\*|__)?(?P<label>[^\W\d_][\w.'’\- ]{0,39}?)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?(?:[ \t]+|$)"
)
MAX_LABEL_WORDS = 4


@dataclass
class Turn:
    """One speaker's uninterrupted talk, as a list of paragraphs."""

    speaker: str | None
    paragraphs: list[str] = field(default_factory=list)
    time: str | None = None


def is_interviewer(label: str | None, interviewers: set[str]) -> bool:
    """Speaker labels compare without case, spaces or trailing dots."""
    return label is not None and label_key(label) in interviewers


@lru_cache(maxsize=4096)  # a transcript repeats a few labels thousands of times
def label_key(label: str) -> str:
    return re.sub(r"[\s.]+", "", label).casefold()


def match_turn(line: str, known: set[str] | None = None) -> re.Match | None:
    """A line that opens a turn: a timestamped label, or a label that is a known speaker."""
    return opens_turn(TURN_LINE.match(line), known)


def opens_turn(m: re.Match | None, known: set[str] | None = None) -> re.Match | None:
    """`match_turn` of a line whose `TURN_LINE.match` is `m` (one match serves every pass
    over a transcript's lines)."""
    if not m or len(m.group("label").split()) > MAX_LABEL_WORDS:
        return None
    if m.group("time") or known is None or label_key(m.group("label")) in known:
        return m
    return None


# Lead-ins of ordinary prose and of document furniture that end in a colon but are nobody.
_PROSE_WORDS = {
    "nota", "notas", "note", "notes", "nb", "pd", "ps", "obs", "observacion", "observaciones",
    "ojo", "importante", "important", "aviso", "advertencia", "warning", "ejemplo",
    "example", "ver", "see", "fuente", "source", "fecha", "date", "hora", "time", "lugar",
    "place", "location", "duracion", "duration", "titulo", "title", "tema", "topic", "asunto",
    "subject", "resumen", "summary", "conclusion", "objetivo", "objective", "total", "pagina",
    "page", "transcripcion", "transcription", "transcript", "proyecto", "project", "entrevista",
    "interview", "audio", "archivo", "file", "codigo", "code", "paso", "step", "ok", "idioma",
    "language", "pais", "country", "cargo", "rol", "role", "politica", "policy", "sector",
    "nombre", "name", "edad", "age",
    "definicion", "definition", "causa", "motivo", "razon", "reason", "resultado", "result",
    "problema", "problem", "solucion", "solution", "conclusiones", "recomendacion",
    "recomendaciones", "recommendation", "recommendations",
}
# Lower-case words that may sit inside a person's name: "María de la Luz", "Ludwig van Dam".
_NAME_PARTICLES = {"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "das", "di",
                   "van", "von", "der", "den", "le", "du", "al", "el", "bin", "ibn"}
# A tag such as P2, R, E1, RS, Q, ENT-2 or Sr. (no more than four letters, digits after)
_CODE_LABEL = re.compile(r"^[A-ZÁÉÍÓÚÑ]{1,4}[\d\-_.]*$|^[A-Za-z]{1,3}[\-_.]?\d{1,3}$")
_PROSE_PAIRS = {"es decir", "por ejemplo", "o sea", "en resumen", "en fin", "por lo tanto",
                "that is", "for example", "for instance", "in short", "in summary", "so"}


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().replace(".", " ").split())


def is_prose_label(label: str) -> bool:
    """'Nota', 'Es decir', 'Fecha' and the like: a colon after them introduces prose."""
    folded = _fold(label)
    return (folded in _PROSE_WORDS or folded in _PROSE_PAIRS
            or any(word in _PROSE_WORDS for word in folded.split()[:1]) and " " in folded
            and not _name_like(label))


def _name_like(label: str) -> bool:
    """Capitalised words (with name particles and numbers): 'Joe Rodriguez', 'Entrevistada 3',
    'Dr. Lee', 'BETTY', 'María de la Luz'."""
    words = label.replace(".", ". ").split()
    if not words or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w.isdigit() or w.casefold() in _NAME_PARTICLES
               for w in words)


def looks_like_speaker(label: str) -> bool:
    """A label that names someone even when it opens only one turn: a short tag (P2, R, E1,
    RS, Q) or a name-like label of capitalised words (Joe Rodriguez, Entrevistada 3)."""
    label = label.strip()
    if is_prose_label(label):
        return False
    return bool(_CODE_LABEL.match(label)) or _name_like(label)


def speaker_keys(labels: Iterable[str], known: set[str]) -> set[str]:
    """The one rule every reader uses: which `LABEL:` line openings of a transcript open a
    turn. A label opens one when it is known (an interviewer label), or when it is not a
    prose lead-in ("Nota:", "Es decir:") and either is used twice or looks like a speaker.
    `labels` are every line-opening label of the transcript, repeats included."""
    labels = [label.strip() for label in labels]
    counts = Counter(label_key(label) for label in labels)
    found = set(known)
    for label in labels:
        key = label_key(label)
        if key in found or is_prose_label(label):
            continue
        if counts[key] >= 2 or looks_like_speaker(label):
            found.add(key)
    return found


def render(name: str, turns: list[Turn], interviewers: set[str], preamble: list[str] = ()
           ) -> Document:
    """Lay turns out as transcript text and record each paragraph's span."""
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    pos = 0

    def put(prefix: str, body: str, speaker: str | None, context: bool, time: str | None):
        nonlocal pos
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(prefix)
        pos += len(prefix)
        paragraphs.append(Paragraph(pos, pos + len(body), speaker, context, time))
        parts.append(body)
        pos += len(body)

    for line in preamble:
        put("", line, None, True, None)
    for turn in turns:
        context = turn.speaker is None or is_interviewer(turn.speaker, interviewers)
        for i, body in enumerate(turn.paragraphs):
            prefix = ""
            if i == 0:
                prefix = f"[{turn.time}] " if turn.time else ""
                prefix += f"{turn.speaker}: " if turn.speaker else ""
            put(prefix, body, turn.speaker, context, turn.time)
    if not any(turn.speaker for turn in turns):
        # No speaker labels at all: a written testimony; every paragraph is the respondent's.
        for p in paragraphs:
            p.is_interviewer = False
    text = "".join(parts) + "\n"
    return Document(name=name, text=text, paragraphs=paragraphs, content_hash=content_hash(text))
