"""The summary screen: the cross-country table of `qda summary`, from the same code."""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from qda.tui.app_text import translated

if TYPE_CHECKING:
    from qda.tui.app import QdaApp


class SummaryScreen(Screen):
    BINDINGS = [Binding("g", "group", "Group by"),
                Binding("u", "unit", "Interviews/passages"),
                Binding("x", "suggested", "Suggestions"),
                Binding("escape", "back", "Back", show=False)]

    def __init__(self) -> None:
        super().__init__()
        translated(self)
        self.by, self.unit, self.include_suggested = "country", "interview", False

    @property
    def qda(self) -> QdaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-box"):
            yield Static(id="summary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary-box").focus()
        self.draw()

    def on_screen_resume(self) -> None:
        self.draw()

    def draw(self) -> None:
        """Count accepted codings (and, when asked, pending suggestions) as `qda summary`
        does, and draw its table at this width."""
        from qda.analysis.frequencies import frequencies  # pandas loads when first asked for
        from qda.export import terminal
        freq = frequencies(self.qda.project, self.by, self.qda.lang, self.include_suggested)
        body = self.query_one("#summary", Static)
        if freq.empty or freq["group_interviews"].max() == 0:
            body.update(Text(self.qda.tr("No interviews yet: import transcripts with "
                                         "'qda import'.")))
            return
        width = max(self.app.size.width - 2, 40)
        body.update(Group(*terminal.summary(freq, self.unit, width)))

    def action_group(self) -> None:
        from qda.analysis.labels import BY
        self.by = BY[(BY.index(self.by) + 1) % len(BY)]
        self.draw()

    def action_unit(self) -> None:
        self.unit = "segment" if self.unit == "interview" else "interview"
        self.draw()

    def action_suggested(self) -> None:
        self.include_suggested = not self.include_suggested
        self.draw()

    def action_back(self) -> None:
        self.app.pop_screen()
