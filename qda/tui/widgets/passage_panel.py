"""The side panel of the coding screen: one passage's suggestions, codes, memo, comparison,
and the part of it selected for coding."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

from qda.codebook.model import Codebook
from qda.lang import ui
from qda.review import PassageView

PANELS_KEPT = 32  # panels drawn lately, ready to be shown again


def code_label(book: Codebook, code: str, lang: str) -> str:
    return book[code].label(lang) if code in book else code


def axis_colour(book: Codebook, code: str) -> str | None:
    axis = code.split("/")[0]
    return book[axis].colour if axis in book else None


def excerpt(text: str, limit: int = 60) -> str:
    """A coded part as one line, cut in the middle when long."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit // 2 - 1] + " … " + flat[-limit // 2 + 2:]


class PassagePanel(Widget):
    """One rich Text, redrawn on every change: a few dozen lines, far cheaper than widgets.
    Its size is fixed by the layout, so a change only repaints it (no layout pass), and
    only the lines that changed: a key press changes a few of its lines, and repainting all
    of them was the largest part of what a key cost. The last panels drawn are kept: moving
    back, undoing and redoing show one again. Everything is appended to the Text as
    plain text: nothing a person wrote is read as markup, and there are no links to look for."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.auto_links = False
        self.text = Text()
        self._strips: list[Strip] | None = None  # the lines drawn; None: draw them again
        self._drawn: OrderedDict[tuple, list[Strip]] = OrderedDict()  # the last panels drawn

    def render(self) -> Text:
        return self.text

    def _draw(self, text: Text | None = None) -> list[Strip]:
        """The lines of `text` (default: the panel's), kept among the last panels drawn."""
        text = self.text if text is None else text
        width, height = self.size
        keep = self.text_selection is None  # a mouse selection is drawn over the text
        key = (width, height, text.plain, tuple(text.spans))
        strips = self._drawn.get(key) if keep else None
        if strips is None:
            strips = list(Visual.to_strips(self, visualize(self, text, markup=False),
                                           width, height, self.visual_style))
            if keep:
                self._drawn[key] = strips
                if len(self._drawn) > PANELS_KEPT:
                    self._drawn.popitem(last=False)
        else:
            self._drawn.move_to_end(key)
        return strips

    def prepare(self, text: Text) -> None:
        """Draw a panel likely to be shown next (and keep it) without showing it: called
        once the screen is drawn, so the key that shows it finds it drawn."""
        if self.size.width and self.text_selection is None:
            self._draw(text)

    def render_line(self, y: int) -> Strip:
        if self._strips is None:
            self._strips = self._draw()
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)

    def on_resize(self) -> None:
        self._strips = None

    def notify_style_update(self) -> None:
        self._strips = None
        self._drawn.clear()
        super().notify_style_update()

    def update(self, text: Text | str) -> None:
        text = text if isinstance(text, Text) else Text(text)
        if (text.plain, text.spans) == (self.text.plain, self.text.spans):
            return  # a key that changed nothing here
        self.text = text
        if self._strips is None or not self.size.width:
            self._strips = None
            self.refresh()
            return
        old, self._strips = self._strips, self._draw()
        width = self.size.width
        for y in range(max(len(old), len(self._strips))):
            if y >= len(old) or y >= len(self._strips) or old[y] != self._strips[y]:
                self.refresh(Region(0, y, width, 1))

    def show(self, view: PassageView, **how: Any) -> None:
        """Show one passage's panel (see `panel_text` for what `how` says)."""
        self.update(panel_text(view, **how))


def panel_text(view: PassageView, *, book: Codebook, lang: str, position: str, selected: int,
               compare: str | None = None, other: PassageView | None = None, base: int = 0,
               text: str = "", selection: str | None = None) -> Text:
    """The panel of a passage: where it is, its suggestions (`selected` the one a key
    decides), my codes with their parts, rejections, memo, and `other`'s codes beside."""
    def tr(words: str, **values: object) -> str:
        return ui(words, lang, **values)
    t = Text()
    t.append(position + "\n", style="bold")
    t.append(tr("reviewed") + "\n" if view.reviewed else tr("not reviewed yet") + "\n",
             style="" if view.reviewed else "italic")
    if selection:
        t.append("\n" + tr("Selection") + "\n", style="bold underline")
        t.append("  «" + excerpt(selection) + "»\n", style="reverse")
        t.append("  " + tr("c codes it · Esc clears") + "\n", style="dim")
    t.append("\n" + tr("Suggestions") + "\n", style="bold underline")
    if not view.suggestions:
        t.append("  " + tr("none pending") + "\n", style="dim")
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
    t.append("\n" + tr("Your codes") + "\n", style="bold underline")
    if not view.codes:
        t.append("  " + tr("none") + "\n", style="dim")
    for code in view.codes:
        t.append("  ■ ", style=f"{axis_colour(book, code) or ''}")
        t.append(code_label(book, code, lang) + "\n")
        for start, end in view.spans.get(code, []):
            t.append("    «" + excerpt(text[start - base:end - base]) + "»\n",
                     style="underline")
    if view.rejected:
        t.append(tr("Rejected") + "\n", style="bold underline")
        for code in view.rejected:
            t.append("  ✗ " + code_label(book, code, lang) + "\n", style="dim strike")
    if view.memo:
        t.append("\n" + tr("Memo") + "\n", style="bold underline")
        memo = view.memo if len(view.memo) <= 240 else view.memo[:239] + "…"
        t.append("  " + memo + "\n", style="italic")
    if compare and other is not None:
        t.append("\n" + tr("{who}'s codes", who=compare) + "\n", style="bold underline")
        if not other.reviewed and not other.codes:
            t.append("  " + tr("not reviewed") + "\n", style="dim")
        mine = set(view.codes)
        for code in other.codes:
            same = code in mine
            t.append(("  = " if same else "  ≠ ") + code_label(book, code, lang) + "\n",
                     style="" if same else "bold")
        for code in sorted(mine - set(other.codes)):
            t.append("  ≠ " + tr("(only you)") + " " + code_label(book, code, lang) + "\n",
                     style="bold")
        if other.memo:
            t.append("  " + tr("memo") + ": " + other.memo + "\n", style="italic")
    return t
