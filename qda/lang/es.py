"""Spanish (español): the words of every label and sentence qda shows in Spanish.

Data only, one table per use, read through `qda.lang` (the shape of spaCy's `lang/` data):
`UI` the interactive interface (keyed by its English text), `TABLES` the headings and notes
of findings tables and charts, `REPORT` the findings chapter and the quotes export (a tuple
is a set of patterns `qda.lang.prose.Phrases` takes in turn, so the text does not repeat
itself), then roles as people, months, numbers, quote marks, country and sector names and
the nouns of the grouping attributes.
"""
from __future__ import annotations

UI: dict[str, str] = {
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

TABLES: dict[str, str] = {
    "total": "Total", "none": "(sin dato)", "any": "Cualquier código",
    "all": "Todos los países", "interviews": "Entrevistas", "passages": "Pasajes",
    "participants": "Participantes", "policies": "Políticas", "suggested": "+Sugeridos",
    "summary_title": "Entrevistas que plantean cada eje y tema, por {by}",
    "summary_title_segment": "Pasajes codificados con cada eje y tema, por {by}",
    "summary_note_interview": "n (%): entrevistas que lo plantean (proporción de las "
                              "entrevistas de ese {by}); un tema implica su eje; una "
                              "entrevista cuenta una vez aunque lo plantee varias veces.",
    "summary_note_segment": "n (%): pasajes codificados (proporción de los pasajes de las "
                            "personas entrevistadas de ese {by}); un tema implica su eje.",
    "accepted_only": "Solo codificaciones aceptadas.",
    "with_suggested": "+Sugeridos: planteado solo por sugerencias automáticas pendientes, "
                      "no contadas en las demás columnas.",
    "study_title": "Entrevistas, participantes y políticas por país y rol",
    "cooccur_title": "Códigos que aparecen juntos en el mismo {unit}",
    "cooccur_note": "Jaccard = {unit}s con ambos códigos / {unit}s con alguno.",
    "passage": "pasaje", "interview": "entrevista",
    "differences_title": "¿Difieren los {plural}? Entrevistas que plantean cada código",
    "saturation_title": "Temas nuevos a medida que se agregan entrevistas (orden de {order})",
    "saturation_x": "Entrevistas agregadas", "saturation_y": "Temas distintos encontrados",
    "heatmap_title": "Proporción de entrevistas que plantean cada tema, por {by}",
    "bars_title": "Entrevistas que plantean cada tema",
    "bars_x": "Proporción del total de entrevistas",
    "codebook_themes": "temas en el libro de códigos ({n})",
    "new_themes": "Temas nuevos", "themes_found": "Temas encontrados",
    "last_new": "Último nuevo en", "date_col": "Fecha", "interview_col": "Entrevista",
    "significance": "* p < {alpha}", "test_used": "p: {tests}",
    "chart_note": "Codificaciones aceptadas; n = entrevistas.",
    "date": "fecha", "import": "importación",
    "raised": "aparece en {n} de {of} entrevistas",
    "not_raised": "no aparece en ninguna entrevista",
    "in_all": "en {los} {k} {plural}", "in_all_two": "en {ambos} {plural}",
    "only_in": "solo en {group}", "in_some": "en {m} de {k} {plural} ({groups})",
    "mostly": "sobre todo en {group} ({n} de las {total} entrevistas en que aparece)",
    "significant": "la diferencia entre {plural} es estadísticamente significativa "
                   "({detail})",
    "not_significant": "la diferencia entre {plural} no es estadísticamente "
                       "significativa ({detail})",
    "no_test": "sin prueba: {why}",
    "small": "conteos pequeños",
    "no_variation": "lo plantean todas las entrevistas o ninguna",
    "one_group": "menos de dos {plural} con entrevistas",
    "test_fisher": "prueba exacta de Fisher",
    "test_freeman_halton": "prueba exacta de Freeman-Halton",
    "test_monte_carlo": "prueba exacta por Monte Carlo ({tables} tablas aleatorias)",
    "test_chi_square": "prueba de chi cuadrado", "test_none": "sin prueba",
}

REPORT: dict[str, str | tuple[str, ...]] = {
    "title": "Hallazgos",
    "subtitle": "Lo que dicen las entrevistas, eje por eje",
    "keywords": "análisis cualitativo; entrevistas; hallazgos",
    "contents": "Índice",
    "toc_hint": "Haga clic derecho aquí y elija Actualizar campo para ver el índice.",
    "page": "Página", "of": "de",
    "main": "Principales hallazgos",
    "overview_axes": "De los {k} ejes del estudio, el que aparece en más entrevistas es "
                     "{first} ({n} de {N}){rest}.",
    "overview_axes_rest": ", seguido de {others}",
    "overview_themes": (
        "En el conjunto de las {N} entrevistas, los temas más recurrentes son {themes}.",
        "Los temas que más se repiten en las {N} entrevistas son {themes}.",
    ),
    "overview_top": "En los demás ejes, los temas principales son {pairs}.",
    "overview_pair": "{theme} ({axis})",
    "overview_single": "Algunos temas son propios de un solo país: {pairs}.",
    "overview_single_pair": "{theme} ({country})",
    "overview_figure": "La figura {n} muestra, para cada tema, la proporción de las "
                       "entrevistas de cada país que lo plantean.",
    "interpret_overview": "[Interpretación de la analista: qué significan estos hallazgos "
                          "en conjunto para las políticas estudiadas.]",
    "interpret_theme": "[Interpretación de la analista sobre «{theme}».]",
    "method": "Método",
    "corpus": "Este capítulo presenta los hallazgos del estudio «{study}». Se basa en {n} "
              "entrevistas a {people} participantes sobre {policies} políticas en "
              "{countries}{dates}.",
    "dates_span": ", realizadas entre el {first} y el {last}",
    "dates_one": ", realizadas el {first}",
    "study_caption": "Entrevistas por país y rol de las personas participantes",
    "role_column": "Rol",
    "total_interviews": "Entrevistas", "total_participants": "Participantes",
    "policies_caption": "Políticas estudiadas, por país y sector",
    "policy_column": "Política", "sector_column": "Sector", "country_column": "País",
    "axes_intro": "El análisis se organiza en {k} ejes, que se definen así:",
    "roles_intro": "Las personas participantes se describen según el papel que tuvieron "
                   "en la política:",
    "coding_one": "Una persona del equipo ({who}) leyó cada pasaje en que habla una "
                  "persona entrevistada y lo codificó según los ejes y los {themes} temas "
                  "del libro de códigos.",
    "coding_many": "{k_words} personas del equipo ({who}) leyeron cada pasaje en que habla "
                   "una persona entrevistada y lo codificaron según los ejes y los {themes} "
                   "temas del libro de códigos.",
    "coding_machine": "{machine} de las {accepted} codificaciones que se cuentan aquí "
                      "partieron de sugerencias de los codificadores automáticos del "
                      "proyecto (reglas y un modelo entrenado con las decisiones del "
                      "equipo); una persona revisó cada una antes de contarla.",
    "coding_human": "Todas las codificaciones que se cuentan aquí son decisiones de "
                    "personas.",
    "coders_none": "Aún no se ha aceptado ninguna codificación, así que todos los "
                   "conteos son cero.",
    "suggested_included": "Esta versión incluye las sugerencias automáticas pendientes: "
                          "se cuentan en columnas propias y las citas tomadas de ellas se "
                          "marcan con †, porque nadie las ha revisado todavía.",
    "agreement": "Dos personas ({a} y {b}) codificaron {units} pasajes de forma "
                 "independiente. En el nivel de los ejes, su kappa de Cohen medio es "
                 "{kappa} y el alfa de Krippendorff, {alpha}: {verdict}.",
    "agreement_high": "igual o superior al umbral habitual de 0,80",
    "agreement_mid": "suficiente para conclusiones provisionales (entre 0,667 y 0,80)",
    "agreement_low": "inferior a 0,667, por lo que los temas deben leerse con cautela",
    "agreement_caption": "Acuerdo entre {a} y {b} por eje",
    "agreement_code": "Eje",
    "counting": "Se cuentan entrevistas, no pasajes (una entrevista cuenta una vez aunque "
                "vuelva sobre un tema); con tan pocas entrevistas por país, las "
                "diferencias entre países se describen con palabras y solo se llaman "
                "significativas cuando la prueba exacta de Fisher indica que difícilmente "
                "se deben al azar (p < 0,05).",
    "counting_large": "Se cuentan entrevistas, no pasajes (una entrevista cuenta una vez "
                      "aunque vuelva sobre un tema); las diferencias entre países solo se "
                      "llaman significativas cuando una prueba exacta o de chi cuadrado "
                      "indica que difícilmente se deben al azar (p < 0,05).",
    "theme": "Tema",
    "table_caption": "Entrevistas que plantean cada tema del eje «{axis}», por país",
    "figure_caption": "Proporción de entrevistas que plantean cada tema, por país",
    "figure_alt": "Mapa de calor de la proporción de entrevistas de cada país que "
                  "plantean cada tema.",
    "axis_lead": (
        "El eje «{axis}» aparece en {share}. {top_is} {top}{top_count}{rest}.",
        "El eje «{axis}» está presente en {share}; {top_is_l} {top}{top_count}{rest}.",
    ),
    "axis_lead_plain": "El eje «{axis}» aparece en {share}.",
    "axis_top_count": ", planteado en {n} entrevistas",
    "axis_top_count_each": ", planteados en {n} entrevistas cada uno",
    "axis_rest": "; le siguen {others}",
    "axis_rest_one": "; le sigue {others}",
    "axis_low": " Con menos frecuencia se menciona {low}.",
    "top_is": "El tema más recurrente es", "top_are": "Los temas más recurrentes son",
    "top_is_l": "el tema más recurrente es", "top_are_l": "los temas más recurrentes son",
    "not_raised": "Ninguna entrevista plantea {themes}.",
    "axis_only_heading": "{axis}: otros pasajes",
    "axis_only": "{n_words} entrevistas se refieren además al eje «{axis}» en términos que no "
                 "encajan en ninguno de sus temas.",
    "axis_only_one": "Una entrevista se refiere además al eje «{axis}» en términos que no "
                     "encajan en ninguno de sus temas.",
    "no_quote": "No se pudo citar ningún pasaje codificado con este tema.",
    "where_all": (
        "{theme} aparece en los {k_words} países, en {share}.",
        "Los {k_words} países plantean {theme_l}, que aparece en {share}.",
        "{theme} es común a todos los países: aparece en {share}.",
    ),
    "where_count": (
        "{theme} aparece en {share}.",
        "{theme} se menciona en {share}.",
    ),
    "where_one": (
        "{theme} aparece solo en {country}, en {n} de sus {m} entrevistas.",
        "Solo las entrevistas de {country} plantean {theme_l} ({n} de {m}).",
    ),
    "where_most": (
        "{theme} aparece en {share}, en {countries}.",
        "Las entrevistas de {countries} plantean {theme_l}: {n} de {N} en total.",
    ),
    "where_some": (
        "{theme} aparece en {share}, en {countries}.",
        "Solo las entrevistas de {countries} hablan de {theme_l} ({n} de {N}).",
    ),
    "where_roles": (
        "Lo plantean {roles}{policies}.",
        "Quienes lo mencionan son {roles}{policies}.",
        "Surge de {roles}{policies}.",
    ),
    "where_roles_one": "Lo plantea {roles}{policies}.",
    "where_policies": ", a propósito de {policies}",
    "policy_one": "la política {policies}", "policy_many": "las políticas {policies}",
    "people_prefix": "personas ",
    "roles_all": "personas de todos los perfiles",
    "share_all": "las {n} entrevistas", "share_some": "{k} de las {n} entrevistas",
    "policy_in": "{policy} ({country})",
    "policies_more": "{named} y otras {k} políticas",
    "contrast_none": (
        "En {country}, en cambio, ninguna entrevista lo menciona.",
        "{country}, por el contrario, no lo menciona.",
    ),
    "contrast_few": (
        "En {country}, en cambio, solo {n_words} de las {m_words} entrevistas lo menciona.",
        "En {country}, solo {n_words} de las {m_words} entrevistas lo plantea.",
    ),
    "significant": "La diferencia entre países es estadísticamente significativa "
                   "({test}, p = {p}).",
    "pending": "Las sugerencias automáticas pendientes lo plantean en {n} entrevistas más.",
    "pending_one": "Las sugerencias automáticas pendientes lo plantean en una entrevista "
                   "más.",
    "frame": (
        "{a_person} de {country} lo expresa así, a propósito de {policy}:",
        "Sobre {policy}, {a_person_l} de {country} señala:",
        "En {country}, {a_person_l} que conoce de cerca {policy} recuerda:",
        "{a_person} de {country} lo describe pensando en {policy}:",
        "A propósito de {policy}, {a_person_l} de {country} explica:",
        "Así lo ve {a_person_l} de {country}, pensando en {policy}:",
    ),
    "frame_next": (
        "Lo mismo ocurre en {country}, donde {a_person_l} dice sobre {policy}:",
        "Un caso similar es el de {policy}, en {country}:",
        "También en {country}, {a_person_l} lo relaciona con {policy}:",
        "{policy}, en {country}, ofrece otro ejemplo:",
        "Algo parecido dice {a_person_l} de {country} sobre {policy}:",
    ),
    "frame_no_policy": (
        "{a_person} de {country} lo expresa así:",
        "En {country}, {a_person_l} señala:",
    ),
    "original": "cita original en {language}",
    "language_es": "español", "language_en": "inglés",
    "suggested_mark": "† Tomada de una sugerencia automática pendiente, aún sin revisar.",
    "by_policy": "Recomendaciones por país y política",
    "by_policy_intro": "Las recomendaciones que siguen son palabras de las propias "
                       "personas entrevistadas, agrupadas por país y por la política de "
                       "la que hablan.",
    "appendix": "Anexo: cómo se elaboró este informe",
    "appendix_run": "Escrito por qda {version} el {date} a partir de las codificaciones "
                    "aceptadas del proyecto{suggested}.{filters}",
    "appendix_suggested": " y de las sugerencias automáticas pendientes",
    "filters": " Solo {what}.",
    "filter_axes": "los ejes {axes}", "filter_countries": "entrevistas de {countries}",
    "appendix_coders": "Codificadores: {who}.",
    "appendix_left_out": "Estos pasajes se habrían citado, pero se omitieron; puede verlos "
                         "con 'qda explain PASAJE':",
    "left_out_names": "pasaje {segment} ({code}): dice el nombre de una persona",
    "left_out_changed": "pasaje {segment} ({code}): ya no coincide con su transcripción "
                        "(mejor alineación {score} %)",
    "and": "y", "or": "o",
    "caption_table": "Tabla", "caption_figure": "Figura",
    "interview": "entrevista", "interviews": "entrevistas",
    "of_n": "{k} de {n}",
    "quotes_title": "Pasajes codificados",
    "quotes_meta": "{document} · {policy} · {coder}, {status}",
    "memo": "Memo",
    "status_accepted": "aceptada", "status_suggested": "sugerida",
    "quotes_note_rows": "{rows} codificaciones (pasaje, código, codificador), ordenadas "
                        "por código y luego por país; {which}.",
    "quotes_note_accepted": "solo codificaciones aceptadas",
    "quotes_note_suggested": "codificaciones aceptadas y sugerencias automáticas "
                             "pendientes",
    "quotes_note_names": "Nunca se nombra a participantes ni a entrevistadoras: un nombre "
                         "en un pasaje o memo se lee {mark}. Cite según la columna "
                         "attribution (rol y país).",
    "quotes_note_written": "Escrito por qda {version} el {date} a las {time}.",
    "participant": "Participante",
}

# Participants as people, not activities: (one, several, one with an article, a definition)
ROLE_PEOPLE: dict[str, tuple[str, str, str, str]] = {
    "designer_implementer": (
        "Persona diseñadora e implementadora", "personas diseñadoras e implementadoras",
        "Una persona diseñadora e implementadora",
        "quien participó tanto en el diseño de la política como en su puesta en marcha."),
    "designer": ("Persona diseñadora", "personas diseñadoras", "Una persona diseñadora",
                 "quien participó en el diseño de la política."),
    "implementer": ("Persona implementadora", "personas implementadoras",
                    "Una persona implementadora", "quien puso en marcha la política."),
    "expert": ("Persona experta", "personas expertas", "Una persona experta",
               "quien estudia la política o asesora sobre ella sin ejecutarla."),
    "beneficiary": ("Persona beneficiaria", "personas beneficiarias",
                    "Una persona beneficiaria",
                    "quien participó en la política como una de las personas a las que sirve."),
}
MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre"]
NUMBER_WORDS = ["ninguna", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho",
                "nueve", "diez"]  # in sentences, feminine ('una entrevista')
SMALL_NUMBERS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho",
                 "nueve", "diez"]  # in table headings
QUOTE_MARKS = ("«", "»")
NAME_MARK = "[nombre]"  # what a name left out of print reads
THOUSANDS = "."
COUNTRIES = {"Mexico": "México", "Peru": "Perú", "Brazil": "Brasil"}
SECTORS = {
    "gender": "Género y asuntos de la mujer", "mining_energy": "Minería y energía",
    "education": "Educación", "economy": "Economía",
    "foreign_trade": "Relaciones exteriores y comercio", "environment": "Medio ambiente",
}
# (singular, plural, grammatical gender) of each grouping attribute
NOUNS = {
    "country": ("país", "países", "m"), "role": ("rol", "roles", "m"),
    "policy": ("política", "políticas", "f"), "sector": ("sector", "sectores", "m"),
}
