"""Words of the interactive interface (`qda tui`) in Spanish: one table, keyed by the
English text, so a string shown in English is its own key and a missing translation shows
in English rather than breaking.

Beside `qda.analysis.labels` (headings of tables and charts) rather than inside it: the
`qda.analysis` package loads pandas on import, and the TUI must start in well under a
second. Roles and countries come from `qda.models.ROLES` and `qda.analysis.labels`.
"""
from __future__ import annotations

ES: dict[str, str] = {
    # keys (footer and help)
    "Help": "Ayuda", "Interviews": "Entrevistas", "Codebook": "Libro de códigos",
    "Summary": "Resumen", "Memos": "Memos", "Quit": "Salir", "Retrieve": "Recuperar",
    "Memo": "Memo", "New theme": "Tema nuevo", "Rename": "Renombrar",
    "Merge into…": "Fusionar con…", "Undo": "Deshacer", "Redo": "Rehacer", "Back": "Volver",
    "Save": "Guardar", "Cancel": "Cancelar", "Open": "Abrir", "Filter": "Filtrar",
    "Export": "Exportar", "Move": "Mover", "Move back": "Retroceder",
    "Unreviewed": "Sin revisar", "Accept": "Aceptar", "Accept all": "Aceptar todo",
    "Reject": "Rechazar", "Reject all (nothing to code)": "Rechazar todo (nada que codificar)",
    "Code": "Codificar", "Remove a code": "Quitar un código",
    "Memo on the interview": "Memo sobre la entrevista",
    "Select next suggestion": "Elegir la sugerencia siguiente",
    "Select: one more word": "Selección: una palabra más",
    "Select: one word less": "Selección: una palabra menos",
    "Select: one more sentence": "Selección: una oración más",
    "Select: one sentence less": "Selección: una oración menos",
    "Select: start a word later": "Selección: empezar una palabra después",
    "Select: start a word earlier": "Selección: empezar una palabra antes",
    "Scroll up a page": "Subir una página", "Scroll down a page": "Bajar una página",
    "Scroll to the start": "Ir al inicio", "Scroll to the end": "Ir al final",
    "Search text": "Buscar en el texto", "Filter passages": "Filtrar pasajes",
    "Compare with another coder": "Comparar con otra persona",
    "Back (or clear the selection)": "Volver (o borrar la selección)",
    "Down": "Abajo", "Up": "Arriba", "Close": "Cerrar", "Sort": "Ordenar",
    "Reverse sort": "Invertir el orden", "Clear filter": "Quitar el filtro",
    "Group by": "Agrupar por", "Interviews/passages": "Entrevistas/pasajes",
    "Suggestions": "Sugerencias",
    # screens (help titles)
    "interviews": "entrevistas", "coding": "codificación", "codebook": "libro de códigos",
    "summary": "resumen", "memos": "memos", "retrieve": "recuperar",
    # the interviews screen
    "ID": "ID", "Country": "País", "Role": "Rol", "Policy": "Política", "Lang": "Idioma",
    "Passages": "Pasajes", "Reviewed": "Revisado",
    "{n} interviews": "{n} entrevistas", "{n} interview": "{n} entrevista",
    "{done} of {total} passages reviewed by {coder}":
        "{done} de {total} pasajes revisados por {coder}",
    " · {n} shown (filter: {query})": " · {n} mostradas (filtro: {query})",
    "filter: words, or country:peru role:expert policy:plan":
        "filtro: palabras, o country:peru role:expert policy:plan",
    "Enter opens · / filter · o sort": "Enter abre · / filtra · o ordena",
    # the coding screen and its panel
    "coder {coder}": "codifica {coder}", "beside {who}": "junto a {who}",
    "filter {name}": "filtro {name}", "interview memo": "memo de la entrevista",
    "Passage {n} of {total} · #{id} · {speaker}": "Pasaje {n} de {total} · #{id} · {speaker}",
    "This interview has no respondent passages.":
        "Esta entrevista no tiene pasajes de la persona entrevistada.",
    "no pending suggestion on this passage; c adds a code":
        "no hay sugerencias pendientes en este pasaje; c agrega un código",
    "first passage": "primer pasaje", "last passage": "último pasaje",
    "for filter {name}": "con el filtro {name}",
    "every passage is reviewed": "todos los pasajes están revisados",
    "next interview: {name}": "siguiente entrevista: {name}",
    "this passage has no code of yours to remove":
        "este pasaje no tiene códigos suyos que quitar",
    "Remove which code?": "¿Qué código quitar?",
    "(every part)": "(todas las partes)",
    "Memo on this passage": "Memo sobre este pasaje",
    "Memo on the interview {name}": "Memo sobre la entrevista {name}",
    "nothing to be undone": "no hay nada que deshacer",
    "nothing to be redone": "no hay nada que rehacer",
    "undone: {what}": "deshecho: {what}", "redone: {what}": "rehecho: {what}",
    "Search this interview": "Buscar en esta entrevista",
    "words (accents and case ignored)": "palabras (sin importar tildes ni mayúsculas)",
    "'{query}': {n} passage(s) here; / and Enter for the next":
        "'{query}': {n} pasaje(s) aquí; / y Enter para el siguiente",
    "'{query}' is not in this interview": "'{query}' no está en esta entrevista",
    "All passages": "Todos los pasajes", "Not reviewed by me": "Sin revisar por mí",
    "With pending suggestions": "Con sugerencias pendientes", "Coded by me": "Codificados por mí",
    "With my memo": "Con mi memo", "With a code…": "Con un código…",
    "Where {who} and I differ": "Donde {who} y yo diferimos",
    "Show which passages?": "¿Qué pasajes mostrar?",
    "no passage here matches {name}": "ningún pasaje aquí cumple {name}",
    "reviewed": "revisado", "not reviewed yet": "sin revisar aún",
    "Your codes": "Sus códigos", "Rejected": "Rechazados", "Selection": "Selección",
    "c codes it · Esc clears": "c la codifica · Esc la borra",
    "none pending": "ninguna pendiente", "none": "ninguno",
    "{who}'s codes": "Códigos de {who}", "not reviewed": "sin revisar",
    "(only you)": "(solo usted)", "memo": "memo",
    "nobody else has coded in this project yet": "nadie más ha codificado en este proyecto",
    "showing {who}'s decisions": "mostrando las decisiones de {who}",
    "comparison off": "comparación desactivada",
    "review order: {why}": "orden de revisión: {why}",
    # dialogs
    "Add a code": "Agregar un código", "Code the selection": "Codificar la selección",
    "Filter by code": "Filtrar por código",
    "type to search codes (es/en)": "escriba para buscar códigos (es/en)",
    "+ new code “{name}”…": "+ código nuevo «{name}»…",
    "ctrl+s save · Esc cancel · blank deletes the memo":
        "ctrl+s guarda · Esc cancela · en blanco borra el memo",
    "Keys: {screen}": "Teclas: {screen}", "Esc or ? closes": "Esc o ? cierra",
    # the codebook and retrieve screens
    "Definition": "Definición", "Use when": "Usar cuando", "Not when": "No usar cuando",
    "Example": "Ejemplo", "Codings: ": "Codificaciones: ",
    "{a} accepted, {s} suggested, {r} rejected":
        "{a} aceptadas, {s} sugeridas, {r} rechazadas",
    "Enter lists its coded passages": "Enter lista sus pasajes codificados",
    "Memo on the code {name}": "Memo sobre el código {name}", "u undoes it": "u lo deshace",
    "only themes can be renamed; the axes stay":
        "solo los temas se renombran; los ejes se mantienen",
    "Rename {code} to (its new key)": "Renombrar {code} como (su nueva clave)",
    "only themes can be merged; the axes stay":
        "solo los temas se fusionan; los ejes se mantienen",
    "Merge {code} into…": "Fusionar {code} con…",
    "renamed {old} to {new}": "{old} renombrado como {new}",
    "merged {old} into {new}": "{old} fusionado con {new}",
    "created {code}": "{code} creado",
    "Axis: {axis} (Tab: next axis)": "Eje: {axis} (Tab: siguiente eje)",
    "a new theme needs a label": "un tema nuevo necesita una etiqueta", "label": "etiqueta",
    "ctrl+s creates · Esc cancels · the definition goes in both languages until translated":
        "ctrl+s crea · Esc cancela · la definición va en ambos idiomas hasta traducirla",
    "#": "#", "Interview": "Entrevista", "Coder": "Codificó", "Status": "Estado",
    "Coded text": "Texto codificado", "accepted": "aceptada", "suggested": "sugerida",
    "rejected": "rechazada",
    "{n} codings on {m} passages ({a} accepted, {s} suggested)":
        "{n} codificaciones en {m} pasajes ({a} aceptadas, {s} sugeridas)",
    "filter: {query}": "filtro: {query}",
    "filter: words, or country:peru role:expert coder:ana status:accepted":
        "filtro: palabras, o country:peru role:expert coder:ana status:accepted",
    "Enter opens · / filter · x export": "Enter abre · / filtra · x exporta",
    "Export what is shown as": "Exportar lo que se muestra como",
    "Excel workbook (.xlsx)": "Libro de Excel (.xlsx)",
    "Word document (.docx)": "Documento de Word (.docx)",
    "{n} codings written to {path}": "{n} codificaciones escritas en {path}",
    # the memo list and the summary
    "On": "Sobre", "What": "Qué", "Author": "Autora/or", "passage": "pasaje",
    "interview": "entrevista", "code": "código", "project": "proyecto",
    "{n} memos": "{n} memos", "Enter opens what a memo is about": "Enter abre aquello sobre lo "
                                                                 "que trata el memo",
    "No interviews yet: import transcripts with 'qda import'.":
        "Aún no hay entrevistas: importe transcripciones con 'qda import'.",
    **{f"Select suggestion {i}": f"Elegir la sugerencia {i}" for i in range(1, 10)},
}


def ui(text: str, lang: str, **values: object) -> str:
    """`text` in `lang` (es or en), with `{name}` fields filled from `values`."""
    shown = ES.get(text, text) if lang == "es" else text
    return shown.format(**values) if values else shown
