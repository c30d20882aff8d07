"""Who asks the questions: the interviewer of a transcript, declared, recognised or guessed.

Interviewer turns are context, never coded, so taking the wrong label for the interviewer
codes questions as answers (or drops the answers). The labels come, in order, from the
`interviewer:` metadata, from the labels the project already settled for this document
(a re-import, or a fix with `qda speakers DOC --interviewer LABEL`), from the settings'
`interviewer_labels`, and else from the turns themselves: the interviewer is the speaker
whose turns are questions (ending in "?", opening with "¿" or a question word), who speaks
first and whose turns are shorter. Every imported file says which label was taken and how;
a guess the turns do not clearly support is reported as unsure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from qda.ingest.transcript import label_key
from qda.models import Document, Paragraph

_QUESTION_WORDS = re.compile(
    r"^\W*(?:qu[eé]|c[oó]mo|cu[aá]l(?:es)?|cu[aá]nt[oa]s?|d[oó]nde|cu[aá]ndo|por\s*qu[eé]|"
    r"qui[eé]n(?:es)?|podr[ií]as?|puede[sn]?|me\s+cuenta[ns]?|cu[eé]ntame|cu[eé]nteme|"
    r"what|how|why|who|where|when|which|could|can|would|do|does|did|is|are|was|were|"
    r"tell\s+me|have|has)\b", re.IGNORECASE)
# Labels that say who asks (Q, Pregunta) and who answers (A, R, Respuesta) in Q/A transcripts.
_ASKER_LABELS = {"q", "p", "pregunta", "question", "preg"}
_ANSWER_LABELS = {"a", "r", "respuesta", "answer", "resp"}
SURE_MARGIN = 0.35  # score lead over the runner-up below which a guess is reported unsure


@dataclass
class Decision:
    """The interviewer labels of one document and how they were found."""

    labels: list[str] = field(default_factory=list)
    how: str = "none"  # metadata | kept | settings | guessed | none
    sure: bool = True
    why: str = ""

    def message(self, name: str) -> str:
        """One line for the import report."""
        if not self.labels:
            return f"{name}: no interviewer ({self.why or 'no speaker asks the questions'})"
        who = ", ".join(self.labels)
        how = {"metadata": "from its interviewer: metadata",
               "kept": "as at its last import or 'qda speakers'",
               "settings": "a label in the settings' interviewer_labels",
               "guessed": f"guessed: {self.why}"}[self.how]
        return f"{name}: interviewer {who} ({how})"


@dataclass
class SpeakerStats:
    """One label's turns in a transcript."""

    label: str
    turns: int = 0
    questions: int = 0
    chars: int = 0
    first: bool = False

    @property
    def question_share(self) -> float:
        return self.questions / self.turns if self.turns else 0.0

    @property
    def mean_chars(self) -> float:
        return self.chars / self.turns if self.turns else 0.0


def speaker_stats(text: str, paragraphs: list[Paragraph]) -> list[SpeakerStats]:
    """Turns per label (consecutive paragraphs of one label are one turn), in order of
    first appearance; notes are left out."""
    stats: dict[str, SpeakerStats] = {}
    turns: list[tuple[str, list[str]]] = []  # a turn's paragraphs, joined once at the end
    for para in paragraphs:
        if para.speaker is None or para.is_note:
            continue
        body = text[para.start:para.end].strip()
        key = label_key(para.speaker)
        if turns and label_key(turns[-1][0]) == key:
            turns[-1][1].append(body)
        else:
            turns.append((para.speaker, [body]))
    for n, (label, bodies) in enumerate(turns):
        body = "\n".join(bodies)
        entry = stats.setdefault(label_key(label), SpeakerStats(label, first=n == 0))
        entry.turns += 1
        entry.chars += len(body)
        entry.questions += is_question(body)
    return list(stats.values())


def is_question(turn: str) -> bool:
    """A turn that asks: it ends with '?', holds '¿', or opens with a question word."""
    body = turn.strip()
    return body.endswith("?") or "¿" in body or bool(_QUESTION_WORDS.match(body))


def guess(stats: list[SpeakerStats]) -> Decision:
    """The likeliest interviewer among two or more speakers, with how sure the turns make it."""
    if len(stats) < 2:
        return Decision(why="one speaker only" if stats else "no speaker labels")
    longest = max(s.mean_chars for s in stats) or 1.0

    def score(s: SpeakerStats) -> float:
        key = label_key(s.label)
        prior = 0.6 if key in _ASKER_LABELS else -0.6 if key in _ANSWER_LABELS else 0.0
        return (2.0 * s.question_share + 0.3 * s.first
                + 0.7 * (1 - s.mean_chars / longest) + prior)

    ranked = sorted(stats, key=score, reverse=True)
    top, runner = ranked[0], ranked[1]
    lead = score(top) - score(runner)
    why = (f"{top.question_share:.0%} of its {top.turns} turns are questions, against "
           f"{runner.question_share:.0%} for {runner.label}")
    sure = lead >= SURE_MARGIN and top.turns >= 2 and top.question_share >= 0.3
    # a second interviewer asks as much, in turns as short; someone must be left to answer
    also = [s.label for s in ranked[1:-1]
            if s.question_share >= max(0.5, top.question_share - 0.25)
            and s.mean_chars <= 1.5 * top.mean_chars]
    return Decision([top.label, *also], "guessed", sure, why)


def settle(doc: Document, configured: set[str], previous: list[str] | None = None
           ) -> Decision:
    """Decide the interviewer labels of a freshly read document and mark its paragraphs.

    `configured`: the settings' labels (label keys); `previous`: the labels stored for this
    document before (kept when they still occur and no metadata names the interviewer)."""
    stats = speaker_stats(doc.text, doc.paragraphs)
    present = {label_key(s.label): s.label for s in stats}
    declared = [x for x in doc.interviewers if label_key(x) in present]
    if declared:
        decision = Decision([present[label_key(x)] for x in declared], "metadata")
    elif doc.interviewers:
        decision = Decision([], "none", False,
                            f"its metadata names {', '.join(doc.interviewers)}, who never "
                            "speaks here")
    elif previous and all(label_key(x) in present for x in previous):
        decision = Decision([present[label_key(x)] for x in previous], "kept")
    elif matched := [label for key, label in present.items() if key in configured]:
        decision = Decision(matched, "settings")
    else:
        decision = guess(stats)
    if decision.labels or len(stats) >= 2:
        mark(doc.paragraphs, decision.labels)
    return decision


def mark(paragraphs: list[Paragraph], labels: list[str]) -> None:
    """Flag the paragraphs of `labels` as interviewer turns and the others as respondents'
    (paragraphs without a speaker before the first turn stay context)."""
    keys = {label_key(x) for x in labels}
    for para in paragraphs:
        if para.speaker is not None:
            para.is_interviewer = label_key(para.speaker) in keys
