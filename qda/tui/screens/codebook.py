"""The codebook screen (the code tree with guidance, counts and memos; codes created,
renamed and merged while coding, undoably) and the retrieve screen (every coded span of a
code or an axis, filterable, exportable)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Static, Tree

from qda.codebook.model import Code
from qda.errors import QdaError
from qda.review import StoreGone
from qda.tui.app_text import plain, translated
from qda.tui.screens.dialogs import NEW, Choice, CodePicker, MemoDialog, Prompt, fold
from qda.vocab import SHORT_ROLES

if TYPE_CHECKING:
    from qda.tui.app import QdaApp

FILTERS = ("country", "role", "policy", "coder", "status", "interview")


def _text(value: object, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def slug(label: str) -> str:
    """A theme key from a label: "Acceso al agua" -> "acceso_al_agua"."""
    words = "".join(ch if ch.isalnum() else " " for ch in fold(label)).split()
    return "_".join(words)[:40] or "theme"


class CodebookScreen(Screen):
    BINDINGS = [Binding("enter", "retrieve", "Retrieve"),
                Binding("m", "memo", "Memo"),
                Binding("n", "new", "New theme"),
                Binding("r", "rename", "Rename"),
                Binding("g", "merge", "Merge into…"),
                Binding("u", "undo", "Undo"),
                Binding("escape", "back", "Back", show=False)]

    def __init__(self) -> None:
        super().__init__()
        translated(self)
        self.undo_steps: list[tuple[str, Callable[[], None]]] = []
        self.current_path: str | None = None  # the code under the cursor

    @property
    def qda(self) -> QdaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Tree(plain(self.qda.codebook.name or "Codebook"), id="codes")
            with VerticalScroll(id="detail-box"):
                yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.fill()

    def on_screen_resume(self) -> None:
        self.fill()

    def fill(self, keep: str | None = None) -> None:
        """The tree with, per code, its accepted codings (an axis counts its themes' too,
        as the retrieve screen does)."""
        self.counts = self.qda.project.store.code_status_counts()
        tree = self.query_one(Tree)
        current = keep or self.current_path
        tree.clear()
        tree.auto_expand = False
        tree.show_root = False
        lang = self.qda.lang
        axes = {}
        paths = [code.path for code in self.qda.codebook.codes]
        for code in self.qda.codebook.codes:
            label = Text.assemble(("■ ", code.colour or self._colour(code)),
                                  (code.label(lang), "bold" if code.theme is None else ""),
                                  (f" {self._count(code.path, 'accepted')}", "dim"))
            parent = axes.get(code.axis) if code.theme else None
            node = (parent or tree.root).add(label, data=code.path, expand=True,
                                             allow_expand=code.theme is None)
            if code.theme is None:
                axes[code.path] = node
        tree.focus()
        if paths:  # every node is expanded: line i is the codebook's code i
            line = paths.index(current) if current in paths else 0
            tree.move_cursor_to_line(line)
            self.describe(paths[line])

    def _colour(self, code: Code) -> str:
        book = self.qda.codebook
        return (book[code.axis].colour if code.axis in book else None) or ""

    def _count(self, path: str, status: str) -> int:
        """Codings of the code, and of its themes for an axis."""
        return sum(n for (code, state), n in self.counts.items()
                   if state == status and (code == path or code.startswith(path + "/")))

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data is not None:
            self.describe(event.node.data)

    def describe(self, path: str) -> None:
        """The code's guidance in the chosen language, how often it is used, my memo."""
        if path not in self.qda.codebook:
            return
        self.current_path = path
        code, lang, tr = self.qda.codebook[path], self.qda.lang, self.qda.tr
        info = code.info
        t = Text()
        t.append(code.label(lang) + "\n", style="bold")
        other = "en" if lang == "es" else "es"
        t.append(f"{code.path} · {code.labels.get(other, '')}\n\n", style="dim")
        for title, key in (("Definition", "definition"), ("Use when", "use_when"),
                           ("Not when", "not_when"), ("Example", "example")):
            value = _text(info.get(key), lang)
            if value:
                t.append(tr(title) + "\n", style="bold underline")
                t.append(value + "\n\n", style="italic" if key == "example" else "")
        t.append(tr("Codings: "), style="bold")
        t.append(tr("{a} accepted, {s} suggested, {r} rejected",
                    a=self._count(path, "accepted"), s=self._count(path, "suggested"),
                    r=self._count(path, "rejected")) + "\n")
        memo = self.qda.project.store.note(self.qda.review.coder, "code", path)
        if memo:
            t.append("\n" + tr("Memo") + "\n", style="bold underline")
            t.append(memo + "\n", style="italic")
        t.append("\n" + tr("Enter lists its coded passages"), style="dim")
        self.query_one("#detail", Static).update(t)

    def _cursor(self) -> str | None:
        return self.current_path

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data:
            self.app.push_screen(RetrieveScreen(event.node.data))

    def action_retrieve(self) -> None:
        path = self._cursor()
        if path:
            self.app.push_screen(RetrieveScreen(path))

    def action_memo(self) -> None:
        path = self._cursor()
        if not path:
            return
        review = self.qda.review

        def done(text: str | None) -> None:
            if text is not None:
                self._safely(lambda: review.note(text, code=path))
                self.describe(path)
        before = self.qda.project.store.note(review.coder, "code", path) or ""
        label = self.qda.codebook[path].label(self.qda.lang)
        self.app.push_screen(MemoDialog(before, self.qda.tr("Memo on the code {name}",
                                                            name=label), self.qda.lang), done)

    # -- changing the codebook, undoably ------------------------------------------------------
    def _safely(self, step: Callable[[], Any]) -> bool:
        try:
            step()
        except StoreGone as exc:
            self.qda.store_gone(exc)
            return False
        except QdaError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return False
        return True

    def _changed(self, label: str, undo: Callable[[], None], keep: str | None) -> None:
        self.undo_steps.append((label, undo))
        self.qda.codebook_changed()
        self.fill(keep)
        self.notify(label + " · " + self.qda.tr("u undoes it"), timeout=3)

    def action_new(self) -> None:
        path = self._cursor()
        axis = self.qda.codebook[path].axis if path in self.qda.codebook else None
        self.app.push_screen(NewCodeDialog("", axis), lambda made: made and self.fill(made))

    def action_rename(self) -> None:
        path = self._cursor()
        if not path or self.qda.codebook[path].theme is None:
            self.notify(self.qda.tr("only themes can be renamed; the axes stay"), timeout=3)
            return
        from qda.codebook.edit import rename_code

        def done(new: str | None) -> None:
            new = (new or "").strip()
            if not new or new == path:
                return
            if "/" not in new:
                new = f"{self.qda.codebook[path].axis}/{new}"
            def rename() -> None:
                self.qda.review.check_store()
                rename_code(self.qda.project, path, new)
            if self._safely(rename):
                self._changed(self.qda.tr("renamed {old} to {new}", old=path, new=new),
                              lambda: rename_code(self.qda.project, new, path), new)
        self.app.push_screen(Prompt(self.qda.tr("Rename {code} to (its new key)", code=path),
                                    path.split("/", 1)[1]), done)

    def action_merge(self) -> None:
        path = self._cursor()
        if not path or self.qda.codebook[path].theme is None:
            self.notify(self.qda.tr("only themes can be merged; the axes stay"), timeout=3)
            return
        from qda.codebook.edit import move_code, remove_theme, restore_codebook
        project = self.qda.project

        def done(into: str | None) -> None:
            if not into or into.startswith(NEW) or into == path:
                return
            snapshot = project.store.code_snapshot([path, into])
            before: list[str] = []

            def merge() -> None:
                self.qda.review.check_store()
                before.append(remove_theme(project, path))
                if path in {o["path"] for o in project.store.orphan_codes()}:
                    move_code(project, path, into)  # what `qda codebook move` does

            def undo() -> None:
                restore_codebook(project, before[0])
                with project.store.transaction():
                    project.store.restore_code_snapshot([path, into], snapshot)
            if self._safely(merge):
                self._changed(self.qda.tr("merged {old} into {new}", old=path, new=into),
                              undo, into)
            elif before:
                restore_codebook(project, before[0])
        self.app.push_screen(CodePicker(self.qda.code_index(), self.qda.lang,
                                        self.qda.tr("Merge {code} into…", code=path)), done)

    def action_undo(self) -> None:
        if not self.undo_steps:
            self.notify(self.qda.tr("nothing to be undone"), timeout=2)
            return
        label, undo = self.undo_steps.pop()
        if self._safely(undo):
            self.qda.codebook_changed()
            self.fill()
            self.notify(self.qda.tr("undone: {what}", what=label), timeout=3)

    def action_back(self) -> None:
        self.app.pop_screen()


class NewCodeDialog(ModalScreen[str | None]):
    """Create a theme while coding: its axis, label and definition; answers its path."""

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, label: str, axis: str | None = None) -> None:
        super().__init__()
        self.label_text, self.axis = label, axis

    @property
    def qda(self) -> QdaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea  # a large widget: loaded when first used
        tr = self.qda.tr
        with Vertical(classes="dialog"):
            yield Label(plain(tr("New theme")), classes="dialog-title")
            yield Label(plain(tr("Axis: {axis} (Tab: next axis)", axis=self.axis or "")),
                        id="axis")
            yield Input(self.label_text, placeholder=tr("label"), id="label")
            yield TextArea("", id="definition")
            yield Label(plain(tr("ctrl+s creates · Esc cancels · the definition goes in "
                                 "both languages until translated")), classes="hint")

    def on_mount(self) -> None:
        axes = [c.path for c in self.qda.codebook.codes if c.theme is None]
        self.axes = axes
        if self.axis not in axes:
            self.axis = axes[0]
        self._axis_label()
        self.query_one("#label", Input).focus()

    def _axis_label(self) -> None:
        label = self.qda.codebook[self.axis].label(self.qda.lang)
        self.query_one("#axis", Label).update(plain(self.qda.tr(
            "Axis: {axis} (Tab: next axis)", axis=label)))

    def on_key(self, event: Any) -> None:
        if event.key == "tab" and self.focused is self.query_one("#label", Input):
            self.axis = self.axes[(self.axes.index(self.axis) + 1) % len(self.axes)]
            self._axis_label()
            event.prevent_default()
            event.stop()

    def on_input_submitted(self) -> None:
        self.query_one("#definition").focus()

    def action_save(self) -> None:
        from qda.codebook.edit import add_theme, restore_codebook
        label = self.query_one("#label", Input).value.strip()
        definition = self.query_one("#definition").text.strip() or label
        if not label:
            self.notify(self.qda.tr("a new theme needs a label"), severity="error")
            return
        path = f"{self.axis}/{slug(label)}"
        project = self.qda.project
        before = project.codebook.path.read_text(encoding="utf-8")
        try:
            self.qda.review.check_store()
            add_theme(project, path, {"es": label, "en": label}, definition)
        except StoreGone as exc:
            self.qda.store_gone(exc)
            return
        except QdaError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.qda.codebook_changed()
        for screen in self.app.screen_stack:
            if isinstance(screen, CodebookScreen):
                screen.undo_steps.append((self.qda.tr("created {code}", code=path),
                                          lambda: restore_codebook(project, before)))
        self.notify(self.qda.tr("created {code}", code=path), timeout=3)
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RetrieveScreen(Screen):
    """Every coded span of a code (or an axis and its themes), in full, with its interview's
    country, role and policy, its coder and status; `/` filters, Enter opens the passage in
    its interview, `x` exports what is shown."""

    BINDINGS = [Binding("enter", "open", "Open"),
                Binding("slash", "filter", "Filter"),
                Binding("x", "export", "Export"),
                Binding("escape", "back", "Back")]

    def __init__(self, code: str) -> None:
        super().__init__()
        translated(self)
        self.code = code
        self.query_text = ""
        self.rows: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []

    @property
    def qda(self) -> QdaApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Input(placeholder=self.qda.tr("filter: words, or country:peru role:expert "
                                            "coder:ana status:accepted"), id="filter")
        yield DataTable(id="retrieved", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        short = SHORT_ROLES.get(self.qda.lang, SHORT_ROLES["en"])
        self.rows = []
        for r in self.qda.project.store.retrieve(self.code):
            row = dict(r)
            row["role_label"] = short.get(row["role"] or "", row["role"] or "")
            row["interview"] = row["document"]
            self.rows.append(row)
        self.fill()
        self.query_one(DataTable).focus()

    def matches(self, row: dict[str, Any]) -> bool:
        """`attribute:value` words match that attribute, bare words the text or interview;
        accents and case ignored."""
        for word in fold(self.query_text).split():
            attr, _, value = word.partition(":")
            if value and attr in FILTERS:
                fields = [row[attr]] + ([row["role_label"]] if attr == "role" else [])
                if not any(value in fold(str(f or "")) for f in fields):
                    return False
            elif word not in fold(f"{row['text']} {row['document']}"):
                return False
        return True

    def fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        tr = self.qda.tr
        fixed = {"segment_id": 6, "document": 8, "country": 9, "role": 12, "coder": 8,
                 "status": 9}
        narrow = self.app.size.width < 100
        if narrow:  # below 100 columns: the attributes that fit, the text wraps below
            fixed = {"segment_id": 6, "document": 8, "coder": 8}
        text_width = max(20, self.app.size.width - sum(fixed.values()) - 2 * (len(fixed) + 1)
                         - 2)
        headers = {"segment_id": "#", "document": "Interview", "country": "Country",
                   "role": "Role", "coder": "Coder", "status": "Status"}
        for key, width in fixed.items():
            table.add_column(plain(tr(headers[key])), width=width, key=key)
        table.add_column(plain(tr("Coded text")), width=text_width, key="text")
        self.shown = [r for r in self.rows if self.matches(r)]
        for i, r in enumerate(self.shown):
            cells = {"segment_id": str(r["segment_id"]), "document": r["document"],
                     "country": r["country"], "role": r["role_label"], "coder": r["coder"]
                     if r["kind"] == "human" else f"{r['coder']}→{r['reviewer'] or '?'}",
                     "status": tr(r["status"])}
            text = Text(" ".join(r["text"].split()))
            if r["policy"] and not narrow:
                text.append(f"  ({r['policy']})", style="dim")
            elif narrow:
                text = Text.assemble((f"{r['country'] or ''} · {r['role_label']} · "
                                      f"{tr(r['status'])}\n", "dim"), text)
            table.add_row(*[plain(cells[k]) for k in fixed], text, key=str(i), height=None)
        self._title()

    def _title(self) -> None:
        tr = self.qda.tr
        label = self.qda.codebook[self.code].label(self.qda.lang) \
            if self.code in self.qda.codebook else self.code
        passages = len({r["segment_id"] for r in self.shown})
        codings = {r["id"]: r["status"] for r in self.shown}  # a row per coded part
        accepted = sum(s == "accepted" for s in codings.values())
        counts = tr("{n} codings on {m} passages ({a} accepted, {s} suggested)",
                    n=len(codings), m=passages, a=accepted, s=len(codings) - accepted)
        if self.query_text:
            counts += " · " + tr("filter: {query}", query=self.query_text)
        self.query_one("#title", Static).update(Text.assemble(
            (label, "bold"), " · ", counts,
            ("   " + tr("Enter opens · / filter · x export"), "dim")))

    def _target(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.shown[int(key.value)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.shown[int(event.row_key.value)]
        self.qda.open_interview(row["document_id"], row["segment_id"], self.code)

    def action_open(self) -> None:
        row = self._target()
        if row:
            self.qda.open_interview(row["document_id"], row["segment_id"], self.code)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.fill()

    def on_input_submitted(self) -> None:
        self.query_one(DataTable).focus()

    def action_export(self) -> None:
        tr = self.qda.tr
        self.app.push_screen(Choice(tr("Export what is shown as"), [
            ("xlsx", tr("Excel workbook (.xlsx)")), ("docx", tr("Word document (.docx)"))]),
            lambda kind: kind and self.export(kind))

    def export(self, kind: str) -> None:
        """Write the rows shown to outputs/ (names of people replaced, as in every export)."""
        from qda.export.retrieved import export_retrieved
        out = export_retrieved(self.qda.project, self.shown, self.code, kind)
        self.notify(self.qda.tr("{n} codings written to {path}", n=len(self.shown),
                                path=str(out)), timeout=5)

    def action_back(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()
