"""Finding a passage's text in a document: one locator for every caller.

A passage read elsewhere (a coding spreadsheet, a REFI-QDA selection's name, an old segment
of an edited transcript, a quote chosen from stored offsets) is looked for in a document's
text in the same order everywhere: its exact text, the occurrence nearest where it is
expected; else the best fuzzy alignment (rapidfuzz `partial_ratio_alignment`) in a window
around that place; else the best anywhere. What callers genuinely differ in is a parameter:
how close a fuzzy alignment must be (`cutoff`), whether a weaker best alignment is still
wanted for its score (`floor`), how wide the first window is (`reach`), how short a passage
is placed by its exact text only (`min_fuzzy`), and whether the passage's white space is
meaningful (`squeeze`).
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

CUTOFF = 90.0  # a fuzzy alignment this good is the same passage, edited
NEAR = 2000  # characters either side of the expected place searched first


@dataclass(frozen=True)
class Span:
    """Where a passage sits in a text, and how well it matches (100.0: its exact text)."""

    start: int
    end: int
    score: float
    exact: bool


def locate(passage: str, text: str, near: int | None = None, *, cutoff: float = CUTOFF,
           floor: float | None = None, reach: int | None = None, min_fuzzy: int = 0,
           squeeze: bool = False) -> Span | None:
    """Where `passage` is in `text`; None when it is not there well enough.

    - `near`: where it is expected (an old offset); the exact copy nearest it wins, and the
      fuzzy search looks `reach` characters either side of it first (default: NEAR, or twice
      the passage when longer). None: the first copy, and the whole text only.
    - `cutoff`: the least fuzzy score accepted; `floor`: the least accepted from the search
      of the whole text, when the best alignment is wanted even below `cutoff` (its score
      says how far the text has moved from the passage).
    - `min_fuzzy`: passages shorter than this are placed by their exact text only.
    - `squeeze`: the passage's white space means nothing (it was typed or copied into a
      spreadsheet), so it is aligned with runs of white space made one space.
    """
    if not passage.strip():
        return None
    at = nearest_copy(passage, text, near or 0)
    if at is not None:
        return Span(at, at + len(passage), 100.0, True)
    needle = " ".join(passage.split()) if squeeze else passage
    if len(needle) < min_fuzzy:
        return None
    windows: list[tuple[int, str, float]] = []
    if near is not None:
        if reach is None:
            reach = max(NEAR, 2 * len(needle))
        lo, hi = max(0, near - reach), near + len(needle) + reach
        windows.append((lo, text[lo:hi], cutoff))
        if lo == 0 and hi >= len(text):
            windows.pop()
    windows.append((0, text, cutoff if floor is None else floor))
    for start, window, least in windows:
        if len(window) < len(needle):  # rapidfuzz would align the window inside the passage
            continue
        match = fuzz.partial_ratio_alignment(needle, window, processor=None,
                                             score_cutoff=least)
        if match is not None:
            return Span(start + match.dest_start, start + match.dest_end, match.score, False)
    return None


def nearest_copy(passage: str, text: str, near: int = 0) -> int | None:
    """The start of the copy of `passage` closest to `near` (scanning outwards a window at a
    time, so a long document is not searched end to end for a passage that is close)."""
    best = None
    reach = NEAR
    while True:
        lo, hi = max(0, near - reach), min(len(text), near + len(passage) + reach)
        at = text.find(passage, lo, hi)
        while at >= 0:
            if best is None or abs(at - near) < abs(best - near):
                best = at
            at = text.find(passage, at + 1, hi)
        if best is not None or (lo == 0 and hi == len(text)):
            return best
        reach *= 4
