"""The interface's words in the chosen language for key descriptions (footer and help),
and a plain-text helper: user text is never read as markup."""
from __future__ import annotations

import dataclasses

from rich.text import Text
from textual.binding import BindingsMap
from textual.dom import DOMNode

from qda.lang import ui


def translate_bindings(node: DOMNode, lang: str) -> None:
    """Give a screen's (or the app's) keys their descriptions in `lang`: the footer and the
    help read them from the node's own bindings."""
    if lang == "en":
        return
    translated_map = BindingsMap()
    for key, bindings in node._bindings.key_to_bindings.items():
        translated_map.key_to_bindings[key] = [
            dataclasses.replace(b, description=ui(b.description, lang)) if b.description
            else b for b in bindings]
    node._bindings = translated_map


def translated(node: DOMNode) -> None:
    """Translate a screen's keys into the running app's language."""
    translate_bindings(node, getattr(node.app, "lang", "en"))


def plain(value: object) -> Text:
    """A value as text shown verbatim ("[risas]" stays "[risas]")."""
    return Text("" if value is None else str(value))
