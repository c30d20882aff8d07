"""English: the words of every label and sentence qda shows in English.

Data only, one table per use, read through `qda.lang` (the shape of spaCy's `lang/` data):
`UI` the interactive interface (keyed by its English text), `TABLES` the headings and notes
of findings tables and charts, `REPORT` the findings chapter and the quotes export (a tuple
is a set of patterns `qda.lang.prose.Phrases` takes in turn, so the text does not repeat
itself), then roles as people, months, numbers, quote marks, country and sector names and
the nouns of the grouping attributes.
"""
from __future__ import annotations

UI: dict[str, str] = {}  # the interface is written in English: a text is its own key

TABLES: dict[str, str] = {
    "total": "Total", "none": "(none)", "any": "Any code", "all": "All countries",
    "interviews": "Interviews", "passages": "Passages", "participants": "Participants",
    "policies": "Policies", "suggested": "+Suggested",
    "summary_title": "Interviews raising each axis and theme, by {by}",
    "summary_title_segment": "Passages coded with each axis and theme, by {by}",
    "summary_note_interview": "n (%): interviews raising it (share of that {by}'s "
                              "interviews); a theme implies its axis; an interview counts "
                              "once however often it raises a code.",
    "summary_note_segment": "n (%): passages coded with it (share of that {by}'s "
                            "respondent passages); a theme implies its axis.",
    "accepted_only": "Accepted codings only.",
    "with_suggested": "+Suggested: raised only by pending machine suggestions, not "
                      "counted in the other columns.",
    "study_title": "Interviews, participants and policies by country and role",
    "cooccur_title": "Codes that occur together in the same {unit}",
    "cooccur_note": "Jaccard = {unit}s with both codes / {unit}s with either.",
    "passage": "passage", "interview": "interview",
    "differences_title": "Do {plural} differ? Interviews raising each code",
    "saturation_title": "New themes as interviews are added ({order} order)",
    "saturation_x": "Interviews added", "saturation_y": "Distinct themes found",
    "heatmap_title": "Share of interviews raising each theme, by {by}",
    "bars_title": "Interviews raising each theme",
    "bars_x": "Share of all interviews",
    "codebook_themes": "themes in the codebook ({n})",
    "new_themes": "New themes", "themes_found": "Themes found",
    "last_new": "Last new at", "date_col": "Date", "interview_col": "Interview",
    "significance": "* p < {alpha}", "test_used": "p: {tests}",
    "chart_note": "Accepted codings; n = interviews.",
    "date": "date", "import": "import",
    "raised": "raised in {n} of {of} interviews",
    "not_raised": "not raised in any interview",
    "in_all": "in all {k} {plural}", "in_all_two": "in both {plural}",
    "only_in": "only in {group}", "in_some": "in {m} of {k} {plural} ({groups})",
    "mostly": "mostly in {group} ({n} of the {total} interviews that raise it)",
    "significant": "the difference between {plural} is statistically significant "
                   "({detail})",
    "not_significant": "the difference between {plural} is not statistically "
                       "significant ({detail})",
    "no_test": "no test: {why}",
    "small": "small counts",
    "no_variation": "every interview or none raises it",
    "one_group": "fewer than two {plural} with interviews",
    "test_fisher": "Fisher's exact test", "test_freeman_halton": "Freeman-Halton exact test",
    "test_monte_carlo": "Monte Carlo exact test ({tables} random tables)",
    "test_chi_square": "chi-square test", "test_none": "no test",
}

REPORT: dict[str, str | tuple[str, ...]] = {
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
}

# Participants as people, not activities: (one, several, one with an article, a definition)
ROLE_PEOPLE: dict[str, tuple[str, str, str, str]] = {
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
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten"]  # in sentences: 'no country', 'three interviews'
SMALL_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten"]  # in table headings: 'four countries'
QUOTE_MARKS = ("“", "”")
NAME_MARK = "[name]"  # what a name left out of print reads
THOUSANDS = ","
COUNTRIES: dict[str, str] = {}  # countries keep the name they were stored under
SECTORS = {
    "gender": "Gender and women's affairs", "mining_energy": "Mining and energy",
    "education": "Education", "economy": "Economy",
    "foreign_trade": "Foreign relations and trade", "environment": "Environment",
}
# (singular, plural) of each grouping attribute
NOUNS = {
    "country": ("country", "countries"), "role": ("role", "roles"),
    "policy": ("policy", "policies"), "sector": ("sector", "sectors"),
}
