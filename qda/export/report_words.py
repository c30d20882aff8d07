"""The words of the findings chapter and the quotes export, in English and Spanish.

Numbers, labels and the wording of counts come from `qda.analysis` (labels.py and
differences.py); this holds the prose around them.
"""
from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Findings",
        "subtitle": "{study}: what the interviews say, axis by axis",
        "keywords": "qualitative analysis; interviews; findings",
        "contents": "Contents",
        "toc_hint": "Right-click here and choose Update Field to show the table of contents.",
        "page": "Page", "of": "of",
        "method": "Method",
        "corpus": "This chapter draws on {n} interviews with {people} participants about "
                  "{policies} policies in {countries}{dates}.",
        "dates": ", held between {first} and {last}",
        "study_caption": "Interviews, participants and policies by country and role",
        "coding": "Every respondent passage was coded against the thematic axes of the "
                  "codebook and the {themes} themes under them.",
        "coders": "Coding was done by {who}: {accepted} coding decisions were accepted, "
                  "{machine} of them first suggested by a machine coder ({machines}) and then "
                  "reviewed by a person.",
        "coders_plain": "Coding was done by {who}: {accepted} coding decisions were accepted.",
        "coders_none": "No coding has been accepted yet, so every count below is zero.",
        "suggested_included": "Pending machine suggestions are included on request: they "
                              "appear in columns of their own and quotes taken from them are "
                              "marked †; nobody has reviewed them yet.",
        "agreement": "Two coders ({a} and {b}) coded {units} passages independently. At the "
                     "level of the axes their mean Cohen's kappa is {kappa} and "
                     "Krippendorff's alpha {alpha}: {verdict}.",
        "agreement_high": "at or above the usual bar of 0.80",
        "agreement_mid": "enough for tentative conclusions (between 0.667 and 0.80)",
        "agreement_low": "below 0.667, so the themes should be read with caution",
        "agreement_caption": "Agreement between {a} and {b} per axis",
        "agreement_code": "Axis",
        "counting": "Counts are interviews, not passages: an interview counts once however "
                    "often it raises a theme, and a theme implies its axis. Whether countries "
                    "differ was tested for each theme with Fisher's exact test (Freeman-Halton "
                    "for more than two countries), using chi-square only when every expected "
                    "count reached five; with few interviews per country, most differences "
                    "cannot be told from chance. Quotes are verbatim, attributed by role and "
                    "country only, and were checked against the transcripts when this report "
                    "was written.",
        "theme": "Theme",
        "table_caption": "Interviews raising each theme of “{axis}”, by country: n (share "
                         "of the country's interviews)",
        "figure_caption": "Share of interviews raising each theme of “{axis}”, by country",
        "figure_alt": "Heatmap of the share of interviews raising each theme of {axis}, by "
                      "country.",
        "not_raised": "Not raised in any interview: {themes}.",
        "no_quote": "No passage coded with this theme could be quoted.",
        "pending": "Pending machine suggestions raise it in {n} more interview(s).",
        "suggested_mark": "† From a pending machine suggestion, not yet reviewed.",
        "by_policy": "Recommendations by country and policy",
        "policy_themes": "{themes}.",
        "interview": "interview", "interviews": "interviews",
        "left_out": "Quotes left out",
        "left_out_intro": "These passages would have been quoted but were left out. Look at "
                          "one with 'qda explain PASSAGE'.",
        "left_out_names": "passage {segment} ({code}): it says a person's name",
        "left_out_changed": "passage {segment} ({code}): it no longer matches its transcript "
                            "(best alignment {score}%)",
        "about": "About this report",
        "about_text": "Written by qda {version} on {date} from the project's accepted "
                      "codings{suggested}. {filters}",
        "about_suggested": " and pending machine suggestions",
        "filters": "Only {what}.",
        "filter_axes": "the axes {axes}", "filter_countries": "interviews from {countries}",
        "and": "and",
        "caption_table": "Table", "caption_figure": "Figure",
        "quotes_title": "Coded passages",
        "quotes_meta": "{code} · {policy} · coded by {coder} ({kind}) · {status}",
        "memo": "Memo",
        "status_accepted": "accepted", "status_suggested": "suggested",
    },
    "es": {
        "title": "Hallazgos",
        "subtitle": "{study}: lo que dicen las entrevistas, eje por eje",
        "keywords": "análisis cualitativo; entrevistas; hallazgos",
        "contents": "Índice",
        "toc_hint": "Haga clic derecho aquí y elija Actualizar campo para ver el índice.",
        "page": "Página", "of": "de",
        "method": "Método",
        "corpus": "Este capítulo se basa en {n} entrevistas a {people} participantes sobre "
                  "{policies} políticas en {countries}{dates}.",
        "dates": ", realizadas entre el {first} y el {last}",
        "study_caption": "Entrevistas, participantes y políticas por país y rol",
        "coding": "Cada pasaje de las personas entrevistadas se codificó según los ejes "
                  "temáticos del libro de códigos y los {themes} temas que contienen.",
        "coders": "Codificó {who}: se aceptaron {accepted} decisiones de codificación, "
                  "{machine} de ellas sugeridas primero por un codificador automático "
                  "({machines}) y revisadas luego por una persona.",
        "coders_plain": "Codificó {who}: se aceptaron {accepted} decisiones de codificación.",
        "coders_none": "Aún no se ha aceptado ninguna codificación, así que todos los "
                       "conteos son cero.",
        "suggested_included": "Se incluyen, a pedido, las sugerencias automáticas pendientes: "
                              "aparecen en columnas propias y las citas tomadas de ellas se "
                              "marcan con †; nadie las ha revisado todavía.",
        "agreement": "Dos personas ({a} y {b}) codificaron {units} pasajes de forma "
                     "independiente. En el nivel de los ejes, su kappa de Cohen medio es "
                     "{kappa} y el alfa de Krippendorff {alpha}: {verdict}.",
        "agreement_high": "igual o superior al umbral habitual de 0,80",
        "agreement_mid": "suficiente para conclusiones provisionales (entre 0,667 y 0,80)",
        "agreement_low": "inferior a 0,667, por lo que los temas deben leerse con cautela",
        "agreement_caption": "Acuerdo entre {a} y {b} por eje",
        "agreement_code": "Eje",
        "counting": "Los conteos son entrevistas, no pasajes: una entrevista cuenta una vez "
                    "aunque plantee un tema varias veces, y un tema implica su eje. Si los "
                    "países difieren se probó para cada tema con la prueba exacta de Fisher "
                    "(de Freeman-Halton para más de dos países), y con chi cuadrado solo "
                    "cuando todos los conteos esperados llegaban a cinco; con pocas "
                    "entrevistas por país, la mayoría de las diferencias no se distingue del "
                    "azar. Las citas son textuales, se atribuyen solo por rol y país, y se "
                    "cotejaron con las transcripciones al escribir este informe.",
        "theme": "Tema",
        "table_caption": "Entrevistas que plantean cada tema de «{axis}», por país: n "
                         "(proporción de las entrevistas del país)",
        "figure_caption": "Proporción de entrevistas que plantean cada tema de «{axis}», "
                          "por país",
        "figure_alt": "Mapa de calor de la proporción de entrevistas que plantean cada tema "
                      "de {axis}, por país.",
        "not_raised": "No aparecen en ninguna entrevista: {themes}.",
        "no_quote": "No se pudo citar ningún pasaje codificado con este tema.",
        "pending": "Las sugerencias automáticas pendientes lo plantean en {n} entrevista(s) "
                   "más.",
        "suggested_mark": "† Tomada de una sugerencia automática pendiente, aún sin revisar.",
        "by_policy": "Recomendaciones por país y política",
        "policy_themes": "{themes}.",
        "interview": "entrevista", "interviews": "entrevistas",
        "left_out": "Citas omitidas",
        "left_out_intro": "Estos pasajes se habrían citado, pero se omitieron. Puede verlos "
                          "con 'qda explain PASAJE'.",
        "left_out_names": "pasaje {segment} ({code}): dice el nombre de una persona",
        "left_out_changed": "pasaje {segment} ({code}): ya no coincide con su transcripción "
                            "(mejor alineación {score} %)",
        "about": "Sobre este informe",
        "about_text": "Escrito por qda {version} el {date} a partir de las codificaciones "
                      "aceptadas del proyecto{suggested}. {filters}",
        "about_suggested": " y de las sugerencias automáticas pendientes",
        "filters": "Solo {what}.",
        "filter_axes": "los ejes {axes}", "filter_countries": "entrevistas de {countries}",
        "and": "y",
        "caption_table": "Tabla", "caption_figure": "Figura",
        "quotes_title": "Pasajes codificados",
        "quotes_meta": "{code} · {policy} · codificó {coder} ({kind}) · {status}",
        "memo": "Memo",
        "status_accepted": "aceptada", "status_suggested": "sugerida",
    },
}
QUOTE_MARKS = {"en": ("“", "”"), "es": ("«", "»")}


def words(key: str, lang: str, **values: object) -> str:
    return WORDS[lang][key].format(**values)


def listing(items: list[str], lang: str) -> str:
    """'a, b and c' / 'a, b y c'."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {WORDS[lang]['and']} {items[-1]}"


def decimal(value: float, lang: str, places: int = 2) -> str:
    """0.83 in English, 0,83 in Spanish."""
    shown = f"{value:.{places}f}"
    return shown.replace(".", ",") if lang == "es" else shown
