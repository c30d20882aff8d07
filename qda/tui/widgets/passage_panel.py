"""The side panel of the coding screen: one passage's suggestions, codes, memo, comparison."""
from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...codebook import Codebook
from ...review import PassageView


def code_label(book: Codebook, code: str, lang: str) -> str:
    return book[code].label(lang) if code in book else code


def axis_colour(book: Codebook, code: str) -> str | None:
    axis = code.split("/")[0]
    return book[axis].colour if axis in book else None


class PassagePanel(Widget):
    """Redrawn as a whole on every change: a few dozen lines, far cheaper than widgets. Its
    size is fixed by the layout, so a change only repaints it (no layout pass)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = Text()

    def render(self) -> Text:
        return self.text

    def update(self, text: Text | str) -> None:
        self.text = text if isinstance(text, Text) else Text(text)
        self.refresh()

    def show(self, view: PassageView, *, book: Codebook, lang: str, position: str,
             selected: int, compare: str | None = None,
             other: PassageView | None = None) -> None:
        t = Text()
        t.append(position + "\n", style="bold")
        t.append("reviewed\n" if view.reviewed else "not reviewed yet\n",
                 style="" if view.reviewed else "italic")
        t.append("\nSuggestions\n", style="bold underline")
        if not view.suggestions:
            t.append("  none pending\n", style="dim")
        for i, s in enumerate(view.suggestions):
            chosen = i == selected
            t.append("▸" if chosen else " ", style="bold")
            t.append(f"{i + 1} " if i < 9 else "  ", style="bold")
            t.append("■ ", style=f"{axis_colour(book, s.code) or ''}")
            t.append(code_label(book, s.code, lang), style="bold" if chosen else "")
            confidence = f" {s.confidence:.2f}" if s.confidence is not None else ""
            t.append(f"  {s.source}{confidence}\n", style="dim")
            if chosen and s.words():
                t.append("    " + ", ".join(s.words()[:6]) + "\n", style="italic")
        t.append("\nYour codes\n", style="bold underline")
        if not view.codes:
            t.append("  none\n", style="dim")
        for code in view.codes:
            t.append("  ■ ", style=f"{axis_colour(book, code) or ''}")
            t.append(code_label(book, code, lang) + "\n")
        if view.rejected:
            t.append("Rejected\n", style="bold underline")
            for code in view.rejected:
                t.append("  ✗ " + code_label(book, code, lang) + "\n", style="dim strike")
        if view.memo:
            t.append("\nMemo\n", style="bold underline")
            memo = view.memo if len(view.memo) <= 240 else view.memo[:239] + "…"
            t.append("  " + memo + "\n", style="italic")
        if compare and other is not None:
            t.append(f"\n{compare}'s codes\n", style="bold underline")
            if not other.reviewed and not other.codes:
                t.append("  not reviewed\n", style="dim")
            mine = set(view.codes)
            for code in other.codes:
                same = code in mine
                t.append(("  = " if same else "  ≠ ") + code_label(book, code, lang) + "\n",
                         style="" if same else "bold")
            for code in sorted(mine - set(other.codes)):
                t.append("  ≠ (only you) " + code_label(book, code, lang) + "\n", style="bold")
            if other.memo:
                t.append("  memo: " + other.memo + "\n", style="italic")
        self.update(t)
