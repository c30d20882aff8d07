"""The transcript as flowing text, drawn line by line: only the visible lines are rendered.

An interview of 10,000 words would make thousands of widgets; instead the text is wrapped
once per width into line offsets, and `render_line` styles just the lines on screen. Moving
the current passage or changing its codes restyles without re-wrapping.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.segment import Segment as RichSegment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qda.models import Segment, join_spans

GUTTER = 5  # marker, up to three axis letters, a space
_WORD = re.compile(r"\S+\s*")


@dataclass
class Mark:
    """How a passage is marked in the gutter: its axes (letter, colour) and state."""

    axes: list[tuple[str, str | None]] = field(default_factory=list)
    pending: bool = False  # machine suggestions wait for a decision
    reviewed: bool = False


@dataclass
class _Block:
    segment: Segment
    label: str
    lines: list[tuple[int, int]]
    top: int


def wrap(text: str, width: int, indent: int = 0) -> list[tuple[int, int]]:
    """Greedy word wrap of `text` into (start, end) offsets; the first line starts after
    `indent` cells. Words longer than a line are cut."""
    width = max(width, 8)
    lines: list[tuple[int, int]] = []
    line_start, col = 0, indent
    for m in _WORD.finditer(text):
        word = m.group().rstrip()
        size = cell_len(word)
        if col + size > width and m.start() > line_start:
            lines.append((line_start, m.start()))
            line_start, col = m.start(), 0
        start = m.start()
        while col + size > width:  # a word longer than the line
            cut = start + max(1, width - col)
            lines.append((line_start, cut))
            line_start, col = cut, 0
            size -= cut - start
            start = cut
        col += size + (len(m.group()) - len(word))
    lines.append((line_start, len(text)))
    return lines


class Transcript(ScrollView, can_focus=False):
    """Passages one after another; the current one highlighted, interviewer turns dimmed,
    coded passages marked in the gutter by axis letter and colour."""

    COMPONENT_CLASSES = {"transcript--current", "transcript--interviewer",
                         "transcript--evidence", "transcript--label", "transcript--pending",
                         "transcript--selection", "transcript--span"}

    class Dragged(Message):
        """A mouse drag over the current passage selected [start, end) of its text."""

        def __init__(self, segment_id: int, start: int, end: int) -> None:
            super().__init__()
            self.segment_id, self.start, self.end = segment_id, start, end

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.segments: list[Segment] = []
        self.labels: dict[int, str] = {}
        self.marks: dict[int, Mark] = {}
        self.current: int | None = None
        self.spans: list[tuple[int, int]] = []  # evidence, merged
        self.coded: list[tuple[int, int]] = []  # spans of my codings on the current passage
        self.selection: tuple[int, int] | None = None  # what the next code goes on
        self._drag: int | None = None
        self._pending_scroll = False
        self._blocks: list[_Block] = []
        self._tops: list[int] = []
        self._index: dict[int, int] = {}
        self._width = 0
        self._base: Style | None = None  # this widget's own style, see base_style
        self._styles: dict[str, Style] = {}  # component styles, see _style
        self._lines: dict[int, Strip] = {}  # lines drawn, by line of the whole transcript

    @property
    def base_style(self) -> Style:
        """The widget's style, worked out once: `rich_style` walks every ancestor's styles,
        and asking it for each line drawn was most of what a key press cost."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def _style(self, name: str) -> Style:
        """A component's style, worked out once: Textual forgets its own at every refresh,
        and walking the ancestors again took a third of the time of each line drawn."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def notify_style_update(self) -> None:
        self._base = None
        self._styles.clear()
        self._lines.clear()
        super().notify_style_update()

    # -- content ------------------------------------------------------------------------------
    def show(self, segments: list[Segment], marks: dict[int, Mark]) -> None:
        self.segments = segments
        self.labels = {s.id: (f"[{s.time}] " if s.time else "")
                       + (f"{s.speaker}: " if s.speaker else "") for s in segments}
        self.marks = marks
        self._width = 0
        self._lines.clear()
        self._layout()

    def set_mark(self, segment_id: int, mark: Mark) -> None:
        self.marks[segment_id] = mark
        self._refresh_passage(segment_id)

    def _refresh_passage(self, segment_id: int | None) -> None:
        """Redraw one passage's lines only: a key changes one or two passages, and the
        lines of the others cost as much to draw again for nothing."""
        i = self._index.get(segment_id) if segment_id is not None else None
        if i is None:
            self._lines.clear()
            self.refresh()
            return
        block = self._blocks[i]
        for line in range(block.top, block.top + len(block.lines)):
            self._lines.pop(line, None)
        self.refresh_lines(block.top, len(block.lines))

    def set_current(self, segment_id: int, spans: list[tuple[int, int]],
                    coded: list[tuple[int, int]] | None = None,
                    selection: tuple[int, int] | None = None) -> None:
        """Highlight a passage (its evidence words merged, the spans I coded, the
        selection) and scroll it into view, now or as soon as the layout is known."""
        moved = segment_id != self.current
        previous = self.current
        self.current, self.spans = segment_id, join_spans(spans)
        self.coded, self.selection = join_spans(coded or []), selection
        if moved:
            self._pending_scroll = True
            self._refresh_passage(previous)
        self._refresh_passage(segment_id)
        self._scroll_current()  # a scroll redraws everything by itself

    def _scroll_current(self) -> None:
        block = self._blocks[self._index[self.current]] \
            if self.current in self._index else None
        height = self.scrollable_content_region.height
        if block is None or not self._pending_scroll or height <= 0:
            return
        self._pending_scroll = False
        top, bottom = block.top, block.top + len(block.lines)
        if top < self.scroll_y or bottom > self.scroll_y + height:
            self.scroll_to(y=max(0, top - height // 4), animate=False, immediate=True)

    # -- layout and drawing --------------------------------------------------------------------
    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        # the scrollbar's column is kept free (scrollbar-gutter: stable), so text wrapped
        # before the scrollbar appears never loses its last character under it
        width = self.size.width - self.styles.scrollbar_size_vertical
        if width <= 0 or width == self._width:
            self._scroll_current()
            return
        self._width = width
        self._lines.clear()
        text_width = max(width - GUTTER, 8)
        self._blocks, self._tops, self._index = [], [], {}
        y = 0
        for i, s in enumerate(self.segments):
            label = self.labels[s.id]
            lines = wrap(s.text.replace("\n", " "), text_width, cell_len(label))
            self._blocks.append(_Block(s, label, lines, y))
            self._tops.append(y)
            self._index[s.id] = i
            y += len(lines) + 1  # a blank line between passages
        self.virtual_size = Size(width, y)
        self._pending_scroll = True
        self.call_after_refresh(self._scroll_current)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """A line on screen: drawn once, then again only when its passage changes (marked,
        made current or not, selected in) or the transcript is wrapped again. A scroll
        draws only the lines it brings into view."""
        line = self.scroll_offset.y + y
        strip = self._lines.get(line)
        if strip is None:
            strip = self._lines[line] = self._draw(line)
        return strip

    def _draw(self, line: int) -> Strip:
        width = self._width or self.size.width
        base = self.base_style
        i = bisect_right(self._tops, line) - 1
        if i < 0 or not self._blocks:
            return Strip.blank(width, base)
        block = self._blocks[i]
        row = line - block.top
        if row >= len(block.lines):
            return Strip.blank(width, base)
        seg = block.segment
        current = seg.id == self.current
        style = base
        if seg.is_interviewer:
            style += self._style("transcript--interviewer")
        if current:
            style += self._style("transcript--current")
        parts = self._gutter(seg, row, current, base)
        start, end = block.lines[row]
        if row == 0 and block.label:
            parts.append(RichSegment(block.label,
                                     style + self._style("transcript--label")))
        ranges: list[tuple[int, int, Style]] = []
        if current:
            for name, spans in (("transcript--span", self.coded),
                                ("transcript--evidence", self.spans),
                                ("transcript--selection",
                                 [self.selection] if self.selection else [])):
                extra = self._style(name)
                ranges += [(s, e, extra) for s, e in spans]
        text = seg.text[start:end].replace("\n", " ").rstrip()
        parts += styled(text, start, style, ranges)
        return Strip(parts).adjust_cell_length(width, style if current else base)

    # -- selecting with the mouse --------------------------------------------------------------
    def offset_at(self, x: int, y: int) -> tuple[int, int] | None:
        """(segment id, offset in its text) under a point of the widget, if on text."""
        line = self.scroll_offset.y + y
        i = bisect_right(self._tops, line) - 1
        if i < 0 or not self._blocks:
            return None
        block = self._blocks[i]
        row = line - block.top
        if row >= len(block.lines):
            return None
        start, end = block.lines[row]
        column = x - GUTTER - (cell_len(block.label) if row == 0 else 0)
        offset = start
        text = block.segment.text
        while offset < end and column > 0:
            column -= cell_len(text[offset])
            offset += 1
        return block.segment.id, offset

    def on_mouse_down(self, event: events.MouseDown) -> None:
        hit = self.offset_at(event.x, event.y)
        if hit and hit[0] == self.current:
            self._drag = hit[1]
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag is None or self.current is None:
            return
        hit = self.offset_at(event.x, event.y)
        if hit and hit[0] == self.current and hit[1] != self._drag:
            self.selection = (min(self._drag, hit[1]), max(self._drag, hit[1]))
            self._refresh_passage(self.current)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag is None or self.current is None:
            return
        self._drag = None
        self.release_mouse()
        if self.selection:
            self.post_message(self.Dragged(self.current, *self.selection))

    def _gutter(self, seg: Segment, row: int, current: bool, base: Style) -> list[RichSegment]:
        mark = self.marks.get(seg.id) or Mark()
        current_style = base + self._style("transcript--current")
        out = [RichSegment(("▶" if row == 0 else "▌") if current else " ",
                           current_style if current else base)]
        if row == 0:
            letters = mark.axes[:3]
            for letter, colour in letters:
                out.append(RichSegment(letter, base + Style(bold=True, color=colour)))
            fill = 3 - len(letters)
            if fill and mark.pending:
                out.append(RichSegment("·", base + self._style(
                    "transcript--pending")))
                fill -= 1
            elif fill and mark.reviewed and not letters:
                out.append(RichSegment("✓", base))
                fill -= 1
            out.append(RichSegment(" " * (fill + 1), base))
        else:
            colour = mark.axes[0][1] if mark.axes else None
            out.append(RichSegment("│" if mark.axes else " ", base + Style(color=colour)))
            out.append(RichSegment("   ", base))
        return out


def styled(text: str, offset: int, style: Style,
           ranges: list[tuple[int, int, Style]]) -> list[RichSegment]:
    """`text` (which starts at `offset` of its passage) cut where the ranges begin and end,
    each piece styled by every range over it: the words are the passage's own, in order."""
    end = offset + len(text)
    cuts = {offset, end}
    for s, e, _ in ranges:
        cuts.update(c for c in (s, e) if offset < c < end)
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:]):
        piece = style
        for s, e, extra in ranges:
            if s <= a and b <= e:
                piece += extra
        out.append(RichSegment(text[a - offset:b - offset], piece))
    return out
