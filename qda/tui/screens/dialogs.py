"""Small modal dialogs: the fuzzy code picker, the memo editor, a one-line prompt, a list of
choices, and the help overlay."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from qda.codebook.model import Code
from qda.lang import ui

PICKER_LIMIT = 40
NEW = "\x00new:"  # the picker's answer when the person asks for a new code
# weight of a query word found in each part of a code: its own key and labels, then the
# words that mean it (synonyms, the rule coder's topic words), then its definition, then
# the key of its axis; a whole word counts 3, a prefix 2, a near spelling 0.1
FIELDS = {"name": 4.0, "synonyms": 2.0, "definition": 1.0, "axis": 0.5}
WHOLE, PREFIX, NEAR = 3.0, 2.0, 0.1


def fold(text: str) -> str:
    """Lower case without accents, so "rotacion" finds "Rotación"."""
    return "".join(ch for ch in unicodedata.normalize("NFD", text.casefold())
                   if not unicodedata.combining(ch))


def _words(text: object) -> set[str]:
    if isinstance(text, dict):
        text = " ".join(str(v) for v in text.values())
    if isinstance(text, (list, tuple)):
        text = " ".join(map(str, text))
    return set(re.findall(r"[^\W_]+", fold(str(text or ""))))


def topic_words(codebook_path: Path) -> dict[str, set[str]]:
    """The rule coder's topic words per code (`patterns/<lang>.yaml` beside the codebook):
    how people say what a code is about, in each language. Read as plain YAML: the rule
    coder itself (spaCy) is not needed to search."""
    found: dict[str, set[str]] = {}
    folder = codebook_path.parent / "patterns"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            data = yaml.load(path.read_text(encoding="utf-8-sig"),
                             Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # a broken pattern file: 'qda codebook check' says why
        topics = data.get("topics") if isinstance(data, dict) else None
        for topic in (topics or {}).values():
            if isinstance(topic, dict):
                for code in topic.get("codes") or []:
                    found.setdefault(str(code), set()).update(_words(topic.get("words")))
    return found


class CodeIndex:
    """The words each code can be found by, folded once per codebook."""

    def __init__(self, codes: list[Code], topics: dict[str, set[str]] | None = None) -> None:
        self.codes = codes
        topics = topics or {}
        self.fields: list[dict[str, set[str]]] = []
        for code in codes:
            own = code.path.split("/")[-1]
            self.fields.append({
                "name": _words(own) | _words(code.labels),
                "synonyms": _words(code.info.get("synonyms")) | topics.get(code.path, set()),
                "definition": _words(code.info.get("definition")),
                "axis": _words(code.axis) if code.theme else set()})

    def rank(self, query: str, limit: int = PICKER_LIMIT) -> list[Code]:
        """Codes for `query`, best first: every query word must be found (in any part of
        the code); whole words and prefixes before near spellings, a code's own name before
        its synonyms and its definition; ties in codebook order. All codes (up to `limit`)
        for an empty query."""
        tokens = sorted(_words(query))
        if not tokens:
            return self.codes[:limit]
        scored = []
        for i, fields in enumerate(self.fields):
            total, found = 0.0, 0
            for token in tokens:
                best = sum(weight * _match(token, fields[name])
                           for name, weight in FIELDS.items())
                total += best
                found += best > 0
            if found == len(tokens):
                scored.append((-total, i))
        return [self.codes[i] for _, i in sorted(scored)[:limit]]


def _match(token: str, words: set[str]) -> float:
    if not words:
        return 0.0
    if token in words or any(w in words for w in _forms(token)):
        return WHOLE
    if len(token) >= 2 and any(w.startswith(token) for w in words):
        return PREFIX
    if len(token) >= 4:
        from rapidfuzz import fuzz  # loaded with the first near spelling, not at start-up
        if any(fuzz.ratio(token, w) >= 80 for w in words if abs(len(w) - len(token)) <= 2):
            return NEAR
    return 0.0


def _forms(token: str) -> tuple[str, ...]:
    """Singular and plural of a word (datos/dato, leyes/ley, decisions/decision)."""
    forms = [token + "s", token + "es"]
    if token.endswith("es"):
        forms.append(token[:-2])
    if token.endswith("s"):
        forms.append(token[:-1])
    return tuple(forms)


def rank_codes(codes: list[Code], query: str, limit: int = PICKER_LIMIT,
               topics: dict[str, set[str]] | None = None) -> list[Code]:
    """Codes best matching `query` (see `CodeIndex.rank`)."""
    return CodeIndex(codes, topics).rank(query, limit)


class CodePicker(ModalScreen[str | None]):
    """Type a few letters of a code's key, label (Spanish or English), definition or
    synonyms; Enter picks the highlighted code once the list for what was typed is shown.
    When nothing matches, Enter offers to create the code (if `create`)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"),
                Binding("down", "move(1)", "Down", show=False),
                Binding("up", "move(-1)", "Up", show=False)]

    def __init__(self, index: CodeIndex, lang: str, title: str = "Add a code",
                 create: bool = False) -> None:
        super().__init__()
        self.index, self.lang, self.title_text, self.create = index, lang, title, create
        self.shown: list[Code] = []
        self.shown_for: str | None = None  # the query whose list is on screen

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(ui(self.title_text, self.lang)), classes="dialog-title")
            yield Input(placeholder=ui("type to search codes (es/en)", self.lang), id="query")
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        self.shown = self.index.rank(query)
        other = "en" if self.lang == "es" else "es"
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Text.assemble(
            ("  " if c.theme else "", ""), (c.label(self.lang), "bold" if not c.theme else ""),
            (f"  {c.path}", "dim"), (f"  {c.labels.get(other, '')}", "dim italic")),
            id=c.path) for c in self.shown])
        if not self.shown and self.create and query.strip():
            options.add_option(Option(Text(ui("+ new code “{name}”…", self.lang,
                                              name=query.strip())), id=NEW + query.strip()))
        if options.option_count:
            options.highlighted = 0
        self.shown_for = query

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = ((options.highlighted or 0) + step) % options.option_count

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value != self.shown_for:  # typed faster than the list: show it first
            self._fill(event.value)
            return
        options = self.query_one(OptionList)
        if options.option_count and options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoDialog(ModalScreen[str | None]):
    """Write a memo on the passage; ctrl+s saves (blank deletes), Escape cancels."""

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, text: str, title: str, lang: str = "en") -> None:
        super().__init__()
        self.text, self.title_text, self.lang = text, title, lang

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea  # a large widget: loaded when first used
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield TextArea(self.text, id="memo", soft_wrap=True)
            yield Label(Text(ui("ctrl+s save · Esc cancel · blank deletes the memo",
                                self.lang)), classes="hint")

    def on_mount(self) -> None:
        area = self.query_one("#memo")
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#memo").text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Prompt(ModalScreen[str | None]):
    """One line of text (search); Enter confirms, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog short"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Choice(ModalScreen[str | None]):
    """Pick one of a few named choices with the arrow keys and Enter."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.choices = title, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield OptionList(*[Option(Text(text), id=key) for key, text in self.choices])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the screen underneath and of the app, drawn from their bindings, so the
    help can never disagree with what the keys do."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, title: str, keys: list[tuple[str, str]], lang: str = "en") -> None:
        super().__init__()
        self.title_text, self.keys, self.lang = title, keys, lang

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, description in self.keys:
            table.add_row(Text(key), Text(description))
        with Vertical(classes="dialog help"):
            yield Label(Text(ui("Keys: {screen}", self.lang, screen=self.title_text)),
                        classes="dialog-title")
            with VerticalScroll():
                yield Static(table)
            yield Label(Text(ui("Esc or ? closes", self.lang)), classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
