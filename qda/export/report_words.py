"""Every word of the findings chapter and the quotes export, in English and Spanish.

One table per language. A value is one sentence pattern or, where the chapter says the same
kind of thing many times (a theme raised in every country, a quote's framing), a tuple of
patterns that `Phrases` takes in turn, so the text does not repeat itself. Numbers, code
labels and group names come from `qda.analysis`; the prose around them lives here only.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from qda.analysis.labels import NONE, group_label

Pattern = str | tuple[str, ...]

WORDS: dict[str, dict[str, Pattern]] = {
    "en": {
        "title": "Findings",
        "subtitle": "What the interviews say, axis by axis",
        "keywords": "qualitative analysis; interviews; findings",
        "contents": "Contents",
        "toc_hint": "Right-click here and choose Update Field to show the table of contents.",
        "page": "Page", "of": "of",
        # -- main findings
        "main": "Main findings",
        "overview_axes": "Of the {k} axes of the study, {first} comes up in the most "
                         "interviews ({n} of {N}){rest}.",
        "overview_axes_rest": ", followed by {others}",
        "overview_themes": (
            "Across the {N} interviews, the most recurrent themes are {themes}.",
            "The themes raised most often in the {N} interviews are {themes}.",
        ),
        "overview_top": "The leading themes of the other axes are {pairs}.",
        "overview_pair": "{theme} ({axis})",
        "overview_single": "Some themes belong to one country only: {pairs}.",
        "overview_single_pair": "{theme} ({country})",
        "overview_figure": "Figure {n} shows, for every theme, the share of each country's "
                           "interviews that raise it.",
        "interpret_overview": "[Analyst's interpretation: what these findings mean together "
                              "for the policies studied.]",
        "interpret_theme": "[Analyst's interpretation of “{theme}”.]",
        # -- method
        "method": "Method",
        "corpus": "This chapter presents the findings of the study “{study}”. It draws on "
                  "{n} interviews with {people} participants about {policies} policies in "
                  "{countries}{dates}.",
        "dates_span": ", held between {first} and {last}",
        "dates_one": ", held on {first}",
        "study_caption": "Interviews by country and participant role",
        "role_column": "Role",
        "total_interviews": "Interviews", "total_participants": "Participants",
        "policies_caption": "Policies studied, by country and sector",
        "policy_column": "Policy", "sector_column": "Sector", "country_column": "Country",
        "axes_intro": "The analysis is organised in {k} axes, defined as follows:",
        "roles_intro": "Participants are described by the part they played in the policy:",
        "coding_one": "Every passage in which a participant speaks was read and coded against "
                      "the axes and the {themes} themes of the codebook by one member of the "
                      "team ({who}).",
        "coding_many": "Every passage in which a participant speaks was read and coded against "
                       "the axes and the {themes} themes of the codebook by {k} members of "
                       "the team ({who}).",
        "coding_machine": "{machine} of the {accepted} codings counted here started as "
                          "suggestions of the project's machine coders (rules and a model "
                          "trained on the team's decisions); a person reviewed each one "
                          "before it was counted.",
        "coding_human": "Every coding counted here is a person's decision.",
        "coders_none": "No coding has been accepted yet, so every count below is zero.",
        "suggested_included": "Pending machine suggestions are included in this version: "
                              "they are counted in columns of their own and quotes taken "
                              "from them are marked †, as nobody has reviewed them yet.",
        "agreement": "Two people ({a} and {b}) coded {units} passages independently. At the "
                     "level of the axes their mean Cohen's kappa is {kappa} and "
                     "Krippendorff's alpha {alpha}: {verdict}.",
        "agreement_high": "at or above the usual bar of 0.80",
        "agreement_mid": "enough for tentative conclusions (between 0.667 and 0.80)",
        "agreement_low": "below 0.667, so the themes should be read with caution",
        "agreement_caption": "Agreement between {a} and {b} per axis",
        "agreement_code": "Axis",
        "counting": "Counts are interviews, not passages (an interview counts once however "
                    "often it raises a theme); with so few interviews per country, "
                    "differences between countries are described in words and called "
                    "significant only where Fisher's exact test says they are unlikely to "
                    "be chance (p < 0.05).",
        "counting_large": "Counts are interviews, not passages (an interview counts once "
                          "however often it raises a theme); differences between countries "
                          "are called significant only where an exact or chi-square test "
                          "says they are unlikely to be chance (p < 0.05).",
        # -- axes and themes
        "theme": "Theme",
        "table_caption": "Interviews raising each theme of “{axis}”, by country",
        "figure_caption": "Share of interviews raising each theme, by country",
        "figure_alt": "Heatmap of the share of each country's interviews raising each theme.",
        "axis_lead": (
            ("The axis “{axis}” comes up in {share}. The most recurrent {themes_are} "
             "{top}{top_count}{rest}."),
            ("“{axis}” is raised in {share}; leading its themes {is_are} {top}{top_count}"
             "{rest}."),
        ),
        "axis_lead_plain": "The axis “{axis}” comes up in {share}.",
        "axis_top_count": ", raised in {n} interviews",
        "axis_top_count_each": ", raised in {n} interviews each",
        "axis_rest": "; {others} follow",
        "axis_rest_one": "; {others} follows",
        "axis_low": " Less often, interviews mention {low}.",
        "themes_are": "theme is", "themes_are_many": "themes are",
        "is_are": "is", "is_are_many": "are",
        "not_raised": "No interview raises {themes}.",
        "axis_only_heading": "{axis}: other passages",
        "axis_only": "{n_words} interviews also speak of “{axis}” in ways that fit none of its "
                     "themes.",
        "axis_only_one": "One interview also speaks of “{axis}” in a way that fits none of "
                         "its themes.",
        "no_quote": "No passage coded with this theme could be quoted.",
        # where a theme came up, by the shape of the data
        "where_all": (
            "{theme} comes up in all {k} countries, in {share}.",
            "All {k} countries raise {theme_l}, in {share}.",
            "{theme} is shared by every country: it comes up in {share}.",
        ),
        "where_count": (
            "{theme} comes up in {share}.",
            "{theme} is raised in {share}.",
        ),
        "where_one": (
            "{theme} comes up only in {country}, in {n} of its {m} interviews.",
            "Only interviews in {country} raise {theme_l} ({n} of {m}).",
        ),
        "where_most": (
            "{theme} comes up in {share}, in {countries}.",
            "Interviews in {countries} raise {theme_l}: {n} of {N} in all.",
        ),
        "where_some": (
            "{theme} appears in {share}, in {countries}.",
            "Only interviews in {countries} speak of {theme_l} ({n} of {N}).",
        ),
        "where_roles": (
            "It is raised by {roles}{policies}.",
            "Those who raise it are {roles}{policies}.",
            "It comes from {roles}{policies}.",
        ),
        "where_roles_one": "It is raised by {roles}{policies}.",
        "where_policies": ", speaking of {policies}",
        "policy_one": "{policies}", "policy_many": "{policies}",
        "people_prefix": "",
        "roles_all": "participants in every role",
        "share_all": "all {n} interviews", "share_some": "{k} of the {n} interviews",
        "policy_in": "{policy} ({country})",
        "policies_more": "{named} and {k} other policies",
        "contrast_none": (
            "In {country}, by contrast, no interview mentions it.",
            "{country}, on the other hand, is silent on it.",
        ),
        "contrast_few": (
            "In {country}, by contrast, only {n_words} of the {m_words} interviews mentions it.",
            "In {country}, only {n_words} of the {m_words} interviews raises it.",
        ),
        "significant": "The difference between countries is statistically significant "
                       "({test}, p = {p}).",
        "pending": "Pending machine suggestions raise it in {n} more interviews.",
        "pending_one": "Pending machine suggestions raise it in one more interview.",
        # framing a quote
        "frame": (
            "{a_person} from {country} puts it this way, speaking of {policy}:",
            "On {policy}, {a_person_l} from {country} says:",
            "In {country}, {a_person_l} who knows {policy} first-hand recalls:",
            "{a_person} from {country} describes it with {policy} in mind:",
            "Speaking of {policy}, {a_person_l} from {country} explains:",
            "This is how {a_person_l} from {country} sees it, thinking of {policy}:",
        ),
        "frame_next": (
            "The same comes up in {country}, where {a_person_l} says of {policy}:",
            "A similar case is {policy}, in {country}:",
            "In {country} too, {a_person_l} speaks of it in relation to {policy}:",
            "{policy}, in {country}, offers another example:",
            "Something similar is said of {policy} by {a_person_l} from {country}:",
        ),
        "frame_no_policy": (
            "{a_person} from {country} puts it this way:",
            "In {country}, {a_person_l} says:",
        ),
        "original": "original in {language}",
        "language_es": "Spanish", "language_en": "English",
        "suggested_mark": "† From a pending machine suggestion, not yet reviewed.",
        # recommendations
        "by_policy": "Recommendations by country and policy",
        "by_policy_intro": "The recommendations below are the participants' own words, "
                           "grouped by country and by the policy they speak of.",
        # appendix (only with --appendix)
        "appendix": "Appendix: how this report was produced",
        "appendix_run": "Written by qda {version} on {date} from the project's accepted "
                        "codings{suggested}.{filters}",
        "appendix_suggested": " and pending machine suggestions",
        "filters": " Only {what}.",
        "filter_axes": "the axes {axes}", "filter_countries": "interviews from {countries}",
        "appendix_coders": "Coders: {who}.",
        "appendix_left_out": "These passages would have been quoted but were left out; "
                             "see each with 'qda explain PASSAGE':",
        "left_out_names": "passage {segment} ({code}): it says a person's name",
        "left_out_changed": "passage {segment} ({code}): it no longer matches its transcript "
                            "(best alignment {score}%)",
        "and": "and", "or": "or",
        "caption_table": "Table", "caption_figure": "Figure",
        "interview": "interview", "interviews": "interviews",
        "of_n": "{k} of {n}",
        # the quotes export
        "quotes_title": "Coded passages",
        "quotes_meta": "{document} · {policy} · {coder}, {status}",
        "memo": "Memo",
        "status_accepted": "accepted", "status_suggested": "suggested",
        "quotes_note_rows": "{rows} codings (passage, code, coder), sorted by code then "
                            "country; {which}.",
        "quotes_note_accepted": "accepted codings only",
        "quotes_note_suggested": "accepted codings and pending machine suggestions",
        "quotes_note_names": "Participants and interviewers are never named: a name in a "
                             "passage or memo reads {mark}. Quote by the attribution column "
                             "(role and country).",
        "quotes_note_written": "Written by qda {version} on {date} at {time}.",
        "participant": "Participant",
    },
    "es": {
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
    },
}

# Participants as people, not activities: (one, several, one with an article, a definition)
ROLE_PEOPLE: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "en": {
        "designer_implementer": (
            "Designer and Implementer", "designers and implementers",
            "A designer and implementer",
            "someone who took part both in designing the policy and in putting it into practice."),
        "designer": ("Designer", "designers", "A designer",
                     "someone who took part in designing the policy."),
        "implementer": ("Implementer", "implementers", "An implementer",
                        "someone who put the policy into practice."),
        "expert": ("Expert", "experts", "An expert",
                   "someone who studies or advises on the policy without running it."),
        "beneficiary": ("Beneficiary", "beneficiaries", "A beneficiary",
                        "someone who took part in the policy as one of the people it serves."),
    },
    "es": {
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
    },
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
}
NUMBER_WORDS = {
    "en": ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
    "es": ["ninguna", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho",
           "nueve", "diez"],
}
QUOTE_MARKS = {"en": ("“", "”"), "es": ("«", "»")}
LARGE_GROUP = 20  # interviews: percentages only from this group size on


def words(key: str, lang: str, **values: object) -> str:
    """The (first) pattern of `key`, filled in."""
    pattern = WORDS[lang][key]
    return (pattern if isinstance(pattern, str) else pattern[0]).format(**values)


class Phrases:
    """Varied wording: each call for a key takes its next pattern, so consecutive themes or
    quotes are not introduced by the same sentence."""

    def __init__(self, lang: str):
        self.lang = lang
        self._next: dict[str, int] = defaultdict(int)
        self._said: Counter = Counter()

    def say(self, key: str, *more: str, **values: object) -> str:
        """The key's next pattern, or a later one when that sentence was already said
        twice; then the patterns of the `more` keys, if any."""
        for name in (key, *more):
            patterns = WORDS[self.lang][name]
            if isinstance(patterns, str):
                patterns = (patterns,)
            start = self._next[name]
            options = [capital(patterns[(start + i) % len(patterns)].format(**values))
                       for i in range(len(patterns))]
            best = min(range(len(options)), key=lambda i: (self._said[options[i]], i))
            if self._said[options[best]] < 2 or name == (key, *more)[-1]:
                break
        self._next[name] = start + best + 1
        self._said[options[best]] += 1
        return options[best]


def capital(text: str) -> str:
    """The first letter upper-cased (a sentence may start with a lower-cased label)."""
    return text[:1].upper() + text[1:] if text else text


def lower(label: str) -> str:
    """A label as it reads inside a sentence: 'Voluntad política' -> 'voluntad política',
    but 'ONU Mujeres' stays."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def listing(items: list[str], lang: str, conjunction: str = "and") -> str:
    """'a, b and c' / 'a, b y c' ('e' before an i- sound, 'u' before an o- sound)."""
    if len(items) < 2:
        return "".join(items)
    word = WORDS[lang][conjunction]
    last = items[-1]
    if lang == "es":
        folded = last.lower()
        if word == "y" and folded.startswith(("i", "hi")) and not folded.startswith(("hie",
                                                                                     "ia", "io")):
            word = "e"
        elif word == "o" and folded.startswith(("o", "ho")):
            word = "u"
    return f"{', '.join(items[:-1])} {word} {last}"


def decimal(value: float, lang: str, places: int = 2) -> str:
    """0.83 in English, 0,83 in Spanish."""
    shown = f"{value:.{places}f}"
    return shown.replace(".", ",") if lang == "es" else shown


def percent(share: float, lang: str) -> str:
    """'67%' / '67 %' (Spanish puts a space before the sign)."""
    return f"{share:.0%}".replace("%", " %") if lang == "es" else f"{share:.0%}"


def count(k: int, n: int, lang: str) -> str:
    """A cell of a table: '2 of 3' for small groups, '15 (63%)' for large ones."""
    if n >= LARGE_GROUP:
        return f"{k} ({percent(k / n, lang)})"
    return words("of_n", lang, k=k, n=n)


def number_word(n: int, lang: str, feminine: bool = True) -> str:
    """'three', 'tres'; Spanish 'una'/'un' and 'ninguna'/'ningún' by gender."""
    if not 0 <= n < len(NUMBER_WORDS[lang]):
        return str(n)
    said = NUMBER_WORDS[lang][n]
    if lang == "es" and not feminine:
        said = {"una": "un", "ninguna": "ningún"}.get(said, said)
    return said


def long_date(value: object, lang: str) -> str:
    """'18 January 2022' / '18 de enero de 2022'; the text itself if it is not a date."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return str(value)
    month = MONTHS[lang][day.month - 1]
    return f"{day.day} de {month} de {day.year}" if lang == "es" else \
        f"{day.day} {month} {day.year}"


def date_span(first: object, last: object, lang: str) -> tuple[str, str]:
    """The two ends of a span, the first shortened when month or year repeat:
    ('18 de enero', '3 de marzo de 2022')."""
    a, b = long_date(first, lang), long_date(last, lang)
    year = f" de {str(last)[:4]}" if lang == "es" else f" {str(last)[:4]}"
    if str(first)[:4] == str(last)[:4] and a.endswith(year):
        a = a[:-len(year)]
    return a, b


def person(role: str | None, lang: str, form: int = 0) -> str:
    """A participant's role as a person: 0 'Persona experta', 1 'personas expertas',
    2 'Una persona experta', 3 its definition."""
    known = ROLE_PEOPLE[lang].get(role or "")
    if known:
        return known[form]
    if form == 3:
        return ""
    label = group_label("role", role, lang) if role and role != NONE else \
        words("participant", lang)
    return label if form == 0 else lower(label) if form == 1 else label


def attribution(role: str | None, country: str | None, lang: str, note: str = "") -> str:
    """'(Designer and Implementer, Peru)' / '(Persona experta, México)'; never a name."""
    parts = [person(role, lang)]
    if country and country != NONE:
        parts.append(group_label("country", country, lang))
    return f"({', '.join(parts)}{'; ' + note if note else ''})"
