"""A hand-written fixture for the name finder (qda.privacy.names, qda.privacy.redact):
Spanish and English interviews where every mention of a person is marked {{like this}},
in every form the finder must catch: names in the metadata and speaker labels, names after a title, the bare first
name or surname of someone named elsewhere (with or without an article: "la {{Pamela}}"),
and given name + surname sequences nobody listed. Everything else capitalised (sentence
starts, places, ministries, programmes, months, institutions named after people) is a word
that must stay. Used by tests/test_names.py and bench/names.py (recall, false positives).
"""
from __future__ import annotations

import re

MARKED = re.compile(r"\{\{(.+?)\}\}")

INTERVIEWS = [
    {
        "id": "T-ES-1",
        "meta": {"participante": "Rosa Quispe Mamani", "entrevistadora": "Lucía Ferreyra",
                 "mencionados": "Pamela Ortiz; Jacqueline Vargas"},
        "text": """\
ENT: Buenos días, gracias por venir. ¿Cómo empezó el programa en Cusco?
{{ROSA QUISPE}}: Bueno, yo llegué en marzo. En ese tiempo la señorita {{Pamela}} coordinaba todo \
desde el Ministerio de la Mujer y Poblaciones Vulnerables, y la {{Pamela}} siempre decía que \
sin presupuesto no había Plan.
ENT: ¿Y quién más participaba?
{{ROSA QUISPE}}: La {{Jacqueline}} venía de Lima cada mes. También estaba don \
{{Ernesto Huamán}}, que era de la Municipalidad Provincial. {{Huamán}} nos prestaba el local de la Casa Comunal.
{{ROSA QUISPE}}: Después llegó {{Martín Salas Ccori}} con la gente del Programa Juntos, y \
{{Martín}} organizó las ferias. Nosotras, las de la Asociación Warmi Kallpa, hacíamos los \
tejidos. {{Salas}} nunca faltó.
ENT: ¿Qué pasó cuando cambió el gobierno regional?
{{ROSA QUISPE}}: Todo se frenó. El Gobierno Regional de Cusco cambió de gerente y la doctora \
{{Valeria Chumpitaz}} se fue a Arequipa. Mi hija {{Yanet}} me decía: mamá, no se desanime. Y \
{{Yanet}} tenía razón. En Semana Santa volvimos a reunirnos en la Plaza de Armas.
{{ROSA QUISPE}}: La profe {{Yaneth}} nos enseñó a llevar cuentas. Sin la profe {{Yaneth}} no \
habríamos sabido. Ella trabajaba en el Colegio María Auxiliadora y en el Centro de Salud.
ENT: Muchas gracias, señora {{Rosa}}.
""",
    },
    {
        "id": "T-ES-2",
        "meta": {"participant": "Carmen Ríos", "interviewer": "ENT"},
        "text": """\
ENT: ¿Qué recuerda del Plan Nacional de Igualdad de Género?
P1: Mire, en Chile el Servicio Nacional de la Mujer y la Equidad de Género empezó con pocas \
comunas. En Valparaíso trabajé con {{Marcela Fuentealba}} y con {{Jorge Lizama Soto}}. La \
{{Marcela}} armaba las mesas y {{Lizama}} hacía los informes para Santiago.
P1: Después vino el programa Chile Crece Contigo y la Sala Cuna para todas. Yo, {{Carmen Ríos}}, \
firmé el convenio con la Seremi. La señora Ministra {{Claudia Pizarro}} vino a Viña del Mar en \
octubre. El Hospital Carlos Van Buren prestó la sala.
P1: Nuestra coordinadora, {{Francisca Oyarzún}}, decía que sin datos no hay política. \
{{Francisca}} tenía un cuaderno rojo. El Instituto Nacional de Estadísticas nos mandó tablas.
ENT: ¿Y en el sur?
P1: En Temuco estaba el lonko {{Aniceto Huenchullán}}, que nos recibió en la ruka. También \
{{Teresa Millán}} de la Corporación Nacional de Desarrollo Indígena. Con {{Teresa}} hicimos \
los talleres en Padre Las Casas. El Banco Estado dio créditos.
P1: Mi compañera {{Soledad}} y yo viajábamos en el bus de Tur Bus. Santa Cruz, San Fernando, \
Rancagua. La Fundación Rosa de los Andes ayudaba con la locomoción.
""",
    },
    {
        "id": "T-EN-1",
        "meta": {"participant": "Travis Gardner", "interviewer": "Helen Whitaker",
                 "names": ["Cat Gonhauer", "Dr. Priya Raman"]},
        "text": """\
{{HELEN WHITAKER}}: Thanks for joining. How did the Safe Homes Act start in Ohio?
{{TRAVIS GARDNER}}: Well, in May the Department of Health called us. {{Cat Gonhauer}} ran the \
pilot out of Columbus, and {{Cat}} was the one who insisted on the Spanish translations. \
{{Gonhauer}} wrote the grant with Dr. {{Priya Raman}}.
{{HELEN WHITAKER}}: Who else was involved?
{{TRAVIS GARDNER}}: {{Raman}} brought the data team from Ohio State University. Then \
{{Marcus Delaney}} joined from the United Way, and {{Marcus}} set up the hotline on Monday \
nights. Mrs. {{Okafor}} handled the shelters near Lake Erie.
{{TRAVIS GARDNER}}: We met in the Saint Francis Hospital basement every Tuesday. The County \
Board approved the budget in June. {{Grace Liu}} from the Governor's Office visited twice; \
{{Liu}} said the Legislature would never fund it without evidence.
{{HELEN WHITAKER}}: And now?
{{TRAVIS GARDNER}}: The Women's Fund of Central Ohio took it over. {{Sandra Kowalski}} runs \
it. I still call {{Sandra}} on Fridays. Medicaid pays part of it, the Rotary Club the rest.
""",
    },
    {
        "id": "T-EN-2",
        "meta": {"respondent": "Amara Osei", "mentioned": "Ben Holloway"},
        "text": """\
Interviewer: What helped most in the first year?
Respondent: Honestly, the training in Nairobi. {{Ben Holloway}} from the World Bank paid for \
it, and {{Ben}} also came to Kisumu. The Ministry of Education lent us a van.
Respondent: My supervisor, {{Esther Wanjiru}}, kept the records. {{Wanjiru}} was strict. The \
Red Cross trained us in first aid, and Professor {{Odhiambo}} gave the lectures at Maseno \
University.
Interviewer: What about the schools?
Respondent: In Siaya County we worked with {{Daniel Otieno}} and {{Grace Achieng}}. {{Daniel}} \
knew every headteacher. {{Grace}} ran the girls' clubs. The Girl Guides helped on Saturdays \
and the Catholic Diocese gave the halls.
Respondent: I, {{Amara Osei}}, wrote the final report in December. {{Amara}} is my name, and \
please do not print it. The Global Fund read it in January; Mr. {{Holloway}} sent it to Geneva.
Respondent: Later {{Jennifer Mutua}} and {{Peter Kamau}} took over. {{Kamau}} moved to \
Mombasa, and {{Jennifer}} to the Rift Valley. United Nations staff still visit in August.
""",
    },
]

# written after the finder was tuned on the four above, and not tuned on: the figures on
# these alone say how it does on text it has not seen
HELD_OUT = [
    {
        "id": "T-ES-3",
        "meta": {"entrevistado": "Gustavo Peña Aranda", "entrevistador": "Raúl Medina"},
        "text": """{{RAÚL MEDINA}}: ¿Cómo se formó el comité en Medellín?
{{GUSTAVO PEÑA}}: Eso fue en la Comuna 13. La Alcaldía de Medellín abrió convocatoria y la \
señora {{Luz Dary Restrepo}} se presentó por la Junta de Acción Comunal. Con {{Luz Dary}} \
estaban {{Wilson Arango}} y la {{Yuliana}}, que era muy joven.
{{RAÚL MEDINA}}: ¿Y el apoyo de Bogotá?
{{GUSTAVO PEÑA}}: El Departamento Nacional de Planeación mandó a {{Andrés Felipe Cárdenas}}. \
{{Cárdenas}} conocía la Ley de Víctimas mejor que nadie. Mi esposa {{Nubia}} cocinaba para las \
reuniones en la Parroquia San Javier. Después el Sena dio cursos y Comfama prestó el salón.
{{GUSTAVO PEÑA}}: Cuando llegó la pandemia, en abril, todo se paró. La doctora {{Ospina}} del \
Hospital General nos ayudó con las vacunas. {{Peña}} soy yo, y me tocó hablar con la Personería.
""",
    },
    {
        "id": "T-EN-3",
        "meta": {"participant": "Naomi Fletcher"},
        "text": """\
I: Tell me about the housing scheme in Leeds.
{{NAOMI FLETCHER}}: It began at the Town Hall in September. {{Derek Simmons}} chaired it and \
{{Derek}} was patient with everyone. The Housing Association sent {{Priyanka Shah}}; {{Shah}} \
wrote most of the bids to the Lottery Fund.
I: Who objected?
{{NAOMI FLETCHER}}: Councillor {{Briggs}} did, at first. Then my neighbour {{Olive}} organised a \
petition at St George's Church and the Yorkshire Post ran a story. {{Olive Barrett}}, that is. \
Labour and the Greens both backed it after Christmas. {{Naomi}} here still chairs the tenants' \
group on Wednesdays at the Community Centre.
""",
    },
]


def parse(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without marks, and the span of each marked name in it."""
    plain, spans, at = [], [], 0
    pos = 0
    for m in MARKED.finditer(text):
        plain.append(text[at:m.start()])
        pos += m.start() - at
        name = m.group(1)
        spans.append((pos, pos + len(name)))
        plain.append(name)
        pos += len(name)
        at = m.end()
    plain.append(text[at:])
    return "".join(plain), spans
