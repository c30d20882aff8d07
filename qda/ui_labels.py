"""Words of the interactive interface (`qda tui`) in Spanish: one table, keyed by the
English text, so a string shown in English is its own key and a missing translation shows
in English rather than breaking.

Beside `qda.analysis.labels` (headings of tables and charts) rather than inside it: the
`qda.analysis` package loads pandas on import, and the TUI must start in well under a
second. Roles and countries come from `qda.models.ROLES` and `qda.analysis.labels`.
"""
from __future__ import annotations

ES: dict[str, str] = {
}


def ui(text: str, lang: str, **values: object) -> str:
    """`text` in `lang` (es or en), with `{name}` fields filled from `values`."""
    shown = ES.get(text, text) if lang == "es" else text
    return shown.format(**values) if values else shown
