"""The memo list: every memo in the project (on passages, interviews and codes), newest
first; Enter opens what it is about."""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from qda.tui.app_text import plain, translated

if TYPE_CHECKING:
    from qda.tui.app import QdaApp


class MemosScreen(Screen):
    BINDINGS = [Binding("enter", "open", "Open"),
                Binding("escape", "back", "Back", show=False)]

    def __init__(self) -> None:
        super().__init__()
        translated(self)
        self.memos: list[dict] = []

    @property
    def qda(self) -> QdaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield DataTable(id="memos", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.fill()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.fill()

    def fill(self) -> None:
        tr = self.qda.tr
        rows = self.qda.project.store.memo_rows()  # newest first
        self.memos = sorted((dict(r) for r in rows), key=lambda m: (m["updated_at"], m["id"]),
                            reverse=True)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        text_width = max(20, self.app.size.width - 6 - 10 - 18 - 10 - 12)
        for label, width in (("#", 6), ("On", 10), ("What", 18), ("Author", 10),
                             ("Memo", text_width)):
            table.add_column(plain(tr(label)), width=width)
        for i, m in enumerate(self.memos):
            if m["segment_id"] is not None:
                on, what = tr("passage"), f"{m['document']} #{m['segment_id']}"
            elif m["document_id"] is not None:
                on, what = tr("interview"), m["document"]
            elif m["code"]:
                on, what = tr("code"), m["code"]
            else:
                on, what = tr("project"), ""
            table.add_row(plain(m["id"]), plain(on), plain(what), plain(m["author"]),
                          Text(" ".join(m["text"].split())), key=str(i), height=None)
        self.query_one("#title", Static).update(Text.assemble(
            (tr("{n} memos", n=len(self.memos)), "bold"),
            ("   " + tr("Enter opens what a memo is about"), "dim")))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        memo = self.memos[int(table.coordinate_to_cell_key(table.cursor_coordinate)
                              .row_key.value)]
        if memo["document_id"] is not None:
            self.qda.open_interview(memo["document_id"], memo["segment_id"])
        elif memo["code"]:
            from qda.tui.screens.codebook import CodebookScreen
            self.app.push_screen(CodebookScreen())
            self.app.call_after_refresh(lambda: self.app.screen.fill(memo["code"]))

    def on_data_table_row_selected(self) -> None:
        self.action_open()

    def action_back(self) -> None:
        self.app.pop_screen()
