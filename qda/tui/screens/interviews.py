"""The interviews screen: every interview with its attributes and how much of it the coder
has reviewed; sortable, filterable, Enter opens one."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static
from textual.widgets.data_table import CellDoesNotExist

from qda.tui.app_text import translated
from qda.vocab import ROLES, SHORT_ROLES

if TYPE_CHECKING:
    from qda.tui.app import QdaApp

COLUMNS = [("name", "ID"), ("country", "Country"), ("role", "Role"), ("policy", "Policy"),
           ("language", "Lang"), ("passages", "Passages"), ("share", "Reviewed")]
FIXED_WIDTH = 8 + 9 + 14 + 4 + 8 + 8 + 2 * len(COLUMNS)  # all columns but the policy
# up to this many interviews the list is filtered at each key typed; a longer one (1,000
# rows take a fifth of a second to fill) once the typing pauses, so no key waits for it
FILTER_AT_ONCE = 300
FILTER_PAUSE_S = 0.15
PROGRESS = ("passages", "reviewed", "share")  # what reviewing changes in a row
# a long list is drawn with its first rows (more than any terminal shows), the rest added
# after that frame, in batches: every batch draws the table again, so they are large
FIRST_ROWS = 120
LATER_ROWS = 1000


class Cell:
    """A cell of the interviews table, as plain text. Every column has a fixed width, yet
    DataTable measures each cell it is given (asking the terminal its size each time): a cell
    without `__rich_measure__` takes the default, and a study of 1,000 interviews fills the
    table in a fifth of the time, at start and at each letter typed into the filter."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = Text(text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        yield self.text

    def __str__(self) -> str:
        return self.text.plain


def _fixed(row: dict) -> tuple:
    """What of a row a review does not change: whatever else the table shows and sorts by."""
    return tuple(row[key] for key in row if key not in PROGRESS)


def matches(row: dict, query: str) -> bool:
    """Filter words: `attribute:value` matches that attribute, a bare word any of them."""
    for word in query.casefold().split():
        attr, _, value = word.partition(":")
        if value and attr in row:
            if value not in str(row[attr] or "").casefold():
                return False
        elif not any(word in str(row[key] or "").casefold()
                     for key in ("name", "country", "role", "role_label", "policy", "language",
                                 "sector")):
            return False
    return True


class InterviewsScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("slash", "filter", "Filter"),
        Binding("o", "sort", "Sort"),
        Binding("O", "reverse", "Reverse sort", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        translated(self)
        self.sort_key = "name"
        self.reverse = False
        self.rows: list[dict] = []
        self._pending: Timer | None = None  # the filtering the typing is waiting for
        self._cells: dict[int, tuple[int, list[Cell]]] = {}  # id: (policy width, its cells)
        self._shown = 0  # rows the filter lets through
        self._filling = 0  # bumped by each fill: a batch of an older fill is dropped
        self._left: list[dict] = []  # rows of the current fill not added yet

    @property
    def qda(self) -> QdaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Input(placeholder=self.qda.tr("filter: words, or country:peru role:expert "
                                            "policy:plan"), id="filter")
        yield DataTable(id="interviews", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        """Read the list when the screen is first shown and whenever one comes back to it."""
        first = not self._filling
        self.reload()
        if first:
            self.call_after_refresh(self.qda.settle)

    def reload(self) -> None:
        """Read the interviews and the coder's progress (one grouped query). Back from an
        interview, usually only its progress changed: those cells are updated in place
        (filling the table again took a quarter of a second on 1,000 interviews)."""
        lang = self.qda.lang
        before = self.rows
        self.rows = []
        for r in self.qda.project.store.document_progress(self.qda.review.coder):
            row = dict(r)
            row["role_label"] = ROLES.get(row["role"] or "", {}).get(lang, row["role"] or "")
            row["share"] = row["reviewed"] / row["passages"] if row["passages"] else 0.0
            self.rows.append(row)
        query = self.query_one("#filter", Input).value.casefold()
        if (before and not self._left and self.sort_key not in PROGRESS
                and not any(f"{key}:" in query for key in PROGRESS)
                and [_fixed(r) for r in before] == [_fixed(r) for r in self.rows]):
            self._update_progress(before)
            return
        self._cells.clear()
        self.refill()

    def _update_progress(self, before: list[dict]) -> None:
        """Put the changed progress into the rows shown, leaving the rest of the table."""
        table = self.query_one(DataTable)
        for old, new in zip(before, self.rows):
            if (old["passages"], old["reviewed"]) == (new["passages"], new["reviewed"]):
                continue
            self._cells.pop(new["id"], None)
            try:
                table.update_cell(str(new["id"]), "passages", Cell(str(new["passages"])))
                table.update_cell(str(new["id"]), "share", Cell(f"{new['share']:.0%}"))
            except CellDoesNotExist:  # filtered out of the list
                pass
        self._title(self._shown)

    def refill(self) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        policy_width = max(12, self.app.size.width - FIXED_WIDTH - 4)
        widths = {"name": 8, "country": 9, "role": 14, "policy": policy_width, "language": 4,
                  "passages": 8, "share": 8}
        arrow = " ▼" if self.reverse else " ▲"
        for key, label in COLUMNS:
            table.add_column(Text(self.qda.tr(label) + (arrow if key == self.sort_key else "")),
                             width=widths[key], key=key)
        query = self.query_one("#filter", Input).value
        shown = [r for r in self.rows if matches(r, query)]
        shown.sort(key=lambda r: (r[self.sort_key] is None, r[self.sort_key] or 0
                                  if self.sort_key in ("passages", "share")
                                  else str(r[self.sort_key] or "").casefold()),
                   reverse=self.reverse)
        self._shown = len(shown)
        self._title(len(shown))
        self._filling += 1
        self._left = shown[FIRST_ROWS:]
        self._add_rows(shown[:FIRST_ROWS], policy_width)
        if shown:
            table.move_cursor(row=min(keep, len(shown) - 1, FIRST_ROWS - 1))
        if self._left:
            self.call_after_refresh(self._add_later, self._filling, policy_width, keep)

    @property
    def complete(self) -> bool:
        """Every row the filter lets through is in the table (see FIRST_ROWS)."""
        return not self._left

    def _add_rows(self, rows: list[dict], policy_width: int) -> None:
        table = self.query_one(DataTable)
        short = SHORT_ROLES.get(self.qda.lang, SHORT_ROLES["en"])
        for r in rows:
            width, cells = self._cells.get(r["id"], (None, []))
            if width != policy_width:  # made once per row (and width) until the next reload
                policy = r["policy"] or ""
                if len(policy) > policy_width:
                    policy = policy[:policy_width - 1] + "…"
                cells = [Cell(value) for value in (
                    r["name"], r["country"] or "", short.get(r["role"] or "", r["role_label"]),
                    policy, r["language"] or "", str(r["passages"]), f"{r['share']:.0%}")]
                self._cells[r["id"]] = (policy_width, cells)
            table.add_row(*cells, key=str(r["id"]))

    def _add_later(self, filling: int, policy_width: int, keep: int) -> None:
        """The next batch of a long list, once the screen shows the rows before it (unless
        the list was filled again since)."""
        if filling != self._filling or not self._left:
            return
        rows, self._left = self._left[:LATER_ROWS], self._left[LATER_ROWS:]
        self._add_rows(rows, policy_width)
        if self._left:
            self.call_after_refresh(self._add_later, filling, policy_width, keep)
        elif keep >= FIRST_ROWS:
            self.query_one(DataTable).move_cursor(row=min(keep, self._shown - 1))

    def _title(self, shown: int) -> None:
        query = self.query_one("#filter", Input).value
        total = sum(r["passages"] for r in self.rows)
        done = sum(r["reviewed"] for r in self.rows)
        tr = self.qda.tr
        title = Text.assemble(
            (tr("{n} interviews" if len(self.rows) != 1 else "{n} interview",
                n=len(self.rows)), "bold"),
            " · " + tr("{done} of {total} passages reviewed by {coder}", done=done,
                       total=total, coder=self.qda.review.coder),
            tr(" · {n} shown (filter: {query})", n=shown, query=query) if query else "",
            ("   " + tr("Enter opens · / filter · o sort"), "dim"))
        self.query_one("#title", Static).update(title, layout=False)  # one line high

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.qda.open_interview(int(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.qda.open_interview(int(key.value))

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        if len(self.rows) <= FILTER_AT_ONCE:
            self.refill()
        else:
            self._pending = self.set_timer(FILTER_PAUSE_S, self._filter_now)

    def _filter_now(self) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
            self.refill()

    def on_input_submitted(self) -> None:
        self._filter_now()
        self.query_one(DataTable).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self.query_one(DataTable).focus()

    def action_sort(self) -> None:
        keys = [k for k, _ in COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.refill()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.refill()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a column header sorts by it (a second click reverses)."""
        key = str(event.column_key.value)
        self.reverse = not self.reverse if key == self.sort_key else False
        self.sort_key = key
        self.refill()
