"""The codebook screen (the code tree with guidance and counts) and the passages of one code,
a page at a time."""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, Tree

from ...codebook import Code
from .interviews import SHORT_ROLES

if TYPE_CHECKING:
    from ..app import QdaApp

PAGE = 200  # rows per page of passages: a DataTable of 50,000 rows takes seconds to mount


def _text(value: object, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


class CodebookScreen(Screen):
    BINDINGS = [Binding("enter", "passages", "Passages"),
                Binding("escape", "back", "Back", show=False)]

    @property
    def qda(self) -> "QdaApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Tree(self.qda.codebook.name or "Codebook", id="codes")
            with VerticalScroll(id="detail-box"):
                yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.counts = self.qda.project.store.code_status_counts()
        tree = self.query_one(Tree)
        tree.auto_expand = False
        tree.show_root = False
        lang = self.qda.lang
        axes = {}
        for code in self.qda.codebook.codes:
            accepted = self._count(code.path, "accepted")
            label = Text.assemble(("■ ", code.colour or self._colour(code)),
                                  (code.label(lang), "bold" if code.theme is None else ""),
                                  (f" {accepted}", "dim"))
            parent = axes.get(code.axis) if code.theme else None
            node = (parent or tree.root).add(label, data=code.path, expand=True,
                                             allow_expand=code.theme is None)
            if code.theme is None:
                axes[code.path] = node
        tree.focus()
        first = tree.get_node_at_line(0)
        tree.move_cursor(first)
        if first is not None:
            self.describe(first.data)

    def _colour(self, code: Code) -> str:
        book = self.qda.codebook
        return (book[code.axis].colour if code.axis in book else None) or ""

    def _count(self, path: str, status: str) -> int:
        return self.counts.get((path, status), 0)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data is not None:
            self.describe(event.node.data)

    def describe(self, path: str) -> None:
        """The code's guidance in the chosen language, and how often it is used."""
        code, lang = self.qda.codebook[path], self.qda.lang
        info = code.info
        t = Text()
        t.append(code.label(lang) + "\n", style="bold")
        other = "en" if lang == "es" else "es"
        t.append(f"{code.path} · {code.labels.get(other, '')}\n\n", style="dim")
        for title, key in (("Definition", "definition"), ("Use when", "use_when"),
                           ("Not when", "not_when"), ("Example", "example")):
            value = _text(info.get(key), lang)
            if value:
                t.append(title + "\n", style="bold underline")
                t.append(value + "\n\n", style="italic" if key == "example" else "")
        t.append("Codings: ", style="bold")
        t.append(f"{self._count(path, 'accepted')} accepted, "
                 f"{self._count(path, 'suggested')} suggested, "
                 f"{self._count(path, 'rejected')} rejected\n")
        t.append("Enter lists its passages", style="dim")
        self.query_one("#detail", Static).update(t)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data:
            self.app.push_screen(PassagesScreen(event.node.data))

    def action_passages(self) -> None:
        node = self.query_one(Tree).cursor_node
        if node is not None and node.data:
            self.app.push_screen(PassagesScreen(node.data))

    def action_back(self) -> None:
        self.app.pop_screen()


class PassagesScreen(Screen):
    """Passages with an accepted coding of a code (or its themes); Enter opens one."""

    BINDINGS = [Binding("enter", "open", "Open"),
                Binding("right_square_bracket", "page(1)", "Next page", key_display="]"),
                Binding("left_square_bracket", "page(-1)", "Prev page", key_display="["),
                Binding("escape", "back", "Back")]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.page_start = 0
        self.total = 0

    @property
    def qda(self) -> "QdaApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield DataTable(id="passages", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.total = self.qda.project.store.count_coded_passages(self.code)
        self.fill()
        self.query_one(DataTable).focus()

    def fill(self) -> None:
        store = self.qda.project.store
        rows = store.coded_passages(self.code, PAGE, self.page_start)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        width = max(20, self.app.size.width - 8 - 9 - 12 - 10)
        table.add_column("ID", width=8)
        table.add_column("Country", width=9)
        table.add_column("Role", width=12)
        table.add_column("Passage", width=width)
        self.targets = {}
        for r in rows:
            text = " ".join(r["text"].split())
            role = SHORT_ROLES.get(self.qda.lang, SHORT_ROLES["en"]).get(r["role"] or "",
                                                                        r["role"] or "")
            table.add_row(r["document"], r["country"] or "", role,
                          text if len(text) <= width else text[:width - 1] + "…",
                          key=str(r["segment_id"]))
            self.targets[str(r["segment_id"])] = (r["document_id"], r["segment_id"])
        label = self.qda.codebook[self.code].label(self.qda.lang) \
            if self.code in self.qda.codebook else self.code
        last = min(self.page_start + PAGE, self.total)
        self.query_one("#title", Static).update(
            f"[b]{label}[/] · passages {self.page_start + 1 if self.total else 0}–{last} of "
            f"{self.total}   [dim]Enter opens · ] \\[ pages[/]")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        document_id, segment_id = self.targets[str(event.row_key.value)]
        self.qda.open_interview(document_id, segment_id, self.code)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            document_id, segment_id = self.targets[str(key.value)]
            self.qda.open_interview(document_id, segment_id, self.code)

    def action_page(self, step: int) -> None:
        start = self.page_start + step * PAGE
        if 0 <= start < max(self.total, 1):
            self.page_start = start
            self.fill()

    def action_back(self) -> None:
        self.app.pop_screen()
