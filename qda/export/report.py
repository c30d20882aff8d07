"""The findings chapter in Word, written like a study's own: main findings, method, then one
section per axis whose themes are ranked in words, each theme said where it came up
(countries, roles, policies by name) and illustrated by framed, trimmed verbatim quotes;
recommendations also per country and policy, as bullets of the participants' own words.

Prose comes from templates (`qda.lang`), chosen by the shape of the data (one country,
all of them, most, a contrast) and varied so the text does not repeat itself; places for the
analyst's interpretation are marked, never filled with invented claims. Every number comes
from `qda.analysis` (the functions behind `qda summary` and `qda differences`), so the
chapter and the summary never disagree. Quotes are accepted codings unless suggestions are
asked for, chosen and checked by `qda.analysis.quotes`, and attributed by role and country
only. Run details and omitted quotes go to the terminal and, with `appendix`, to an appendix.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from docx.document import Document
from docx.text.paragraph import Paragraph

from qda import __version__, progress
from qda.analysis.cases import CaseData, load
from qda.analysis.differences import differences
from qda.analysis.frequencies import ANY, frequencies, ranked_codes
from qda.analysis.labels import group_order
from qda.analysis.quotes import Fit, LeftOut, Quote, QuoteChooser
from qda.analysis.study import study
from qda.errors import QdaError, UsageError
from qda.export import word
from qda.export.background import Job, PeopleScan, RulesApart
from qda.export.report_inputs import (
    candidate_words,
    candidates,
    check_axes,
    filters,
    only_countries,
    read_codings,
)
from qda.lang import QUOTE_MARKS, check_lang, group_label, text, words
from qda.lang.prose import (
    LARGE_GROUP,
    Phrases,
    attribution,
    capital,
    count,
    date_span,
    decimal,
    listing,
    long_date,
    lower,
    number_word,
    percent,
    person,
)
from qda.project import Project
from qda.vocab import LANGS, NONE, TOTAL

RECOMMENDATIONS = "recommendations"
PER_POLICY = 5        # bullets per policy in "recommendations by country and policy"
TOP_THEMES = 3        # themes named in the main findings
POLICIES_NAMED = 3    # policies named in a theme's paragraph
SIGNIFICANT = 0.05
FIGURE_HEIGHT = 6.0   # inches: the overview heatmap fits on a page with its lead


@dataclass
class Report:
    """What a written report holds, for the command's message and for tests."""

    path: Path
    lang: str
    interviews: int
    axes: list[str]
    themes: int
    quotes: list[Quote] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    recommendations: list[Quote] = field(default_factory=list)


def write_report(project: Project, out: Path, lang: str = "en",
                 axes: Iterable[str] | None = None, countries: Iterable[str] | None = None,
                 include_suggested: bool = False, appendix: bool = False) -> Report:
    """Write the findings chapter to `out` (.docx) and say what went in."""
    check_lang(lang)
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UsageError(f"the report must be a .docx file, not '{out.name}'")
    scan = PeopleScan(project)  # first: another process finds names while this one reads
    rules = RulesApart(project.codebook)  # and another loads the rule patterns
    try:
        facts, parts = read_codings(project.store)  # read once: counting, who, quotes
        cases = load(project, include_suggested, facts=facts)
        if cases.documents.empty:
            raise QdaError("nothing to report: the project has no interviews yet; run "
                           "'qda import transcripts/'", project.root)
        chosen_axes = check_axes(cases, axes)
        cases, kept_countries = only_countries(cases, countries)
        chapter = _Chapter(project, cases, lang, chosen_axes, include_suggested, facts, parts,
                           scan, Fit(rules=rules))
        try:
            chapter.build(filters(chosen_axes, kept_countries, cases, lang) if appendix
                          else None)
        finally:
            chapter.cancel()
    finally:
        scan.cancel()
        rules.close()
    word.save(chapter.doc, out)
    return Report(out, lang, len(cases.documents), chosen_axes, chapter.themes_written,
                  chapter.quotes, chapter.chooser.left_out, chapter.bullets)


class _Chapter:
    """Builds the document section by section; numbers tables and figures as it goes."""

    def __init__(self, project: Project, cases: CaseData, lang: str, axes: list[str],
                 include_suggested: bool, facts: pd.DataFrame, parts: pd.DataFrame,
                 scan: PeopleScan, fit: Fit):
        self.project, self.cases, self.lang, self.axes = project, cases, lang, axes
        self.facts = facts  # every coding not rejected: who coded, and how
        self.suggested = include_suggested
        self.say = Phrases(lang)
        self.freq = frequencies(cases, "country", lang, include_suggested)
        self.totals = self.freq[self.freq["group"] == TOTAL].set_index("code")
        self.cells = self.freq.set_index(["code", "group"])
        self.tests = differences(cases, "country", lang).set_index("code")
        self.ranked = [c for c in ranked_codes(self.freq) if c != ANY]
        self.countries = [c for c in group_order("country", list(cases.documents["country"]
                                                               .unique()))]
        self.n = len(cases.documents)
        # the heatmap is drawn (and matplotlib loaded) by another process meanwhile
        self._figure = Job(_heatmap, self._overview_part()) \
            if self._themes_raised() and len(self.countries) > 1 else None
        try:
            pool = candidates(parts, cases, include_suggested)
            self.who = scan.result()  # asked for last: the scan had all that time
            self.chooser = QuoteChooser(pool, project.store.document_text, self.who, fit,
                                        lang, candidate_words(project.store))
        except BaseException:
            self.cancel()
            raise
        self.quotes: list[Quote] = []
        self.bullets: list[Quote] = []
        self.themes_written = 0
        self.tables = self.figures = 0
        self.headings: list[tuple[int, str]] = []
        self.doc: Document = word.document(words("title", lang), lang,
                                           subject=words("subtitle", lang),
                                           keywords=words("keywords", lang))
        word.keep_styles_with_next(self.doc, ("Heading 1", "Heading 2", "Heading 3",
                                              "Caption"))
        # paragraphs added in constant time, styles looked up once (python-docx walks every
        # style for each paragraph it styles)
        self.body = word.Appender(self.doc)
        self._raising: dict[str, Any] | None = None

    def cancel(self) -> None:
        """End the work started in another process and not collected (the build failed)."""
        if self._figure is not None:
            self._figure.cancel()

    # -- small writers ----------------------------------------------------------------------
    def _heading(self, text_: str, level: int) -> None:
        self.body.paragraph(text_, f"Heading {level}")
        if level <= 2:
            self.headings.append((level, text_))

    def _para(self, text_: str, keep: bool = False) -> Paragraph:
        paragraph = self.body.paragraph(text_)
        if keep:
            word.keep_with_next(paragraph)
        return paragraph

    def _interpretation(self, key: str, **values: object) -> None:
        """A marked, highlighted place for the analyst's own reading: never filled in."""
        from docx.enum.text import WD_COLOR_INDEX
        run = self.body.paragraph().add_run(words(key, self.lang, **values))
        run.italic = True
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def _label(self, code: str) -> str:
        return self.totals.at[code, "label"]

    def _country(self, country: str) -> str:
        return group_label("country", country, self.lang)

    def _share(self, k: int, n: int) -> str:
        """'3 of the 12 interviews', 'all 12 interviews' / 'las 12 entrevistas'."""
        return words("share_all" if k == n else "share_some", self.lang, k=k, n=n)

    def _policy(self, name: str) -> str:
        """A policy's name as it reads in a sentence: la política «X» / “X”."""
        return words("policy_one", self.lang, policies=self._quoted_name(name))

    # -- the chapter ------------------------------------------------------------------------
    def build(self, filters: str | None) -> None:
        lang, doc = self.lang, self.doc
        self.body.paragraph(words("title", lang), "Title")
        self.body.paragraph(words("subtitle", lang), "Subtitle")
        contents = word.add_contents(doc, words("contents", lang))
        word.add_page_numbers(doc, words("page", lang), words("of", lang))
        picks = self._choose_quotes()
        self._main_findings()
        self._method()
        for axis in progress.track(self.axes, "writing the report"):
            self._axis(axis, picks)
        if filters is not None:
            self._appendix(filters)
        word.fill_contents(doc, contents, self.headings)

    def _choose_quotes(self) -> dict[str, list[Quote]]:
        """Quotes for every theme and for the axes' own codings, the codes with fewest
        candidates choosing first so a passage coded twice goes where it is needed most."""
        codes = [c for c in self.ranked if c.split("/")[0] in self.axes]
        order = sorted(codes, key=lambda c: (self.chooser.available(c), self.ranked.index(c)))
        return {code: self.chooser.choose(code) for code in order}

    # -- main findings ----------------------------------------------------------------------
    def _main_findings(self) -> None:
        lang, n = self.lang, self.n
        self._heading(words("main", lang), 1)
        sentences = []
        axes = sorted(self.axes, key=lambda a: (-self._raised(a), self.axes.index(a)))
        counts = [self._raised(a) for a in axes]
        if len(axes) > 1 and len(set(counts)) > 1:
            rest = words("overview_axes_rest", lang, others=listing(
                [lower(self._label(a)) for a in axes[1:]], lang))
            sentences.append(words("overview_axes", lang, k=number_word(len(axes), lang, False),
                                   first=lower(self._label(axes[0])), n=counts[0], N=n,
                                   rest=rest))
        themes = self._themes_raised()
        if themes:
            top = [f"{lower(self._label(c))} ({words('of_n', lang, k=self._raised(c), n=n)})"
                   for c in themes[:TOP_THEMES]]
            sentences.append(self.say.say("overview_themes", N=n, themes=listing(top, lang)))
            leaders = []
            for axis in self.axes:
                mine = [c for c in themes if c.split("/")[0] == axis]
                if mine and mine[0] not in themes[:TOP_THEMES]:
                    leaders.append(words("overview_pair", lang, theme=lower(self._label(mine[0])),
                                         axis=lower(self._label(axis))))
            if len(leaders) > 1:
                sentences.append(words("overview_top", lang, pairs=listing(leaders, lang)))
            if len(self.countries) > 1:
                single = [(c, self._countries_raising(c)) for c in themes]
                single = [words("overview_single_pair", lang, theme=lower(self._label(c)),
                                country=self._country(where[0]))
                          for c, where in single if len(where) == 1][:4]
                if single:
                    sentences.append(words("overview_single", lang,
                                           pairs=listing(single, lang)))
        if self._figure is not None:
            sentences.append(words("overview_figure", lang, n=self.figures + 1))
        if sentences:
            self._para(" ".join(sentences))
        if self._figure is not None:
            self._overview_figure()
        self._interpretation("interpret_overview")

    def _themes_raised(self) -> list[str]:
        return [c for c in self.ranked if "/" in c and c.split("/")[0] in self.axes
                and self._raised(c)]

    def _overview_part(self) -> pd.DataFrame:
        """The heatmap's cells: every theme raised (and its axis) by country."""
        raised = {c for c in self.ranked if self._raised(c) and c.split("/")[0] in self.axes}
        part = self.freq[self.freq["code"].isin(raised)].reset_index(drop=True)
        part.attrs.update(self.freq.attrs)
        return part

    def _overview_figure(self) -> None:
        """The one heatmap: every theme raised (and its axis) by country."""
        png, wide, high = self._figure.result()
        width = min(word.TEXT_WIDTH, FIGURE_HEIGHT * wide / high)
        picture = word.add_png(self.doc, png, width, words("figure_alt", self.lang))
        word.keep_with_next(picture)
        self.figures += 1
        word.add_caption(self.doc, words("caption_figure", self.lang), self.figures,
                         words("figure_caption", self.lang))

    # -- method -----------------------------------------------------------------------------
    def _method(self) -> None:
        lang, docs = self.lang, self.cases.documents
        self._heading(words("method", lang), 1)
        long = study(self.cases, lang)
        total = long[(long["country"] == TOTAL) & (long["role"] == TOTAL)].iloc[0]
        countries = [self._country(c) for c in self.countries]
        dates = sorted(d for d in docs["date"].dropna().astype(str) if d.strip())
        when = ""
        if dates and dates[0] == dates[-1]:
            when = words("dates_one", lang, first=long_date(dates[0], lang))
        elif dates:
            first, last = date_span(dates[0], dates[-1], lang)
            when = words("dates_span", lang, first=first, last=last)
        self._para(words("corpus", lang, study=self.project.codebook.name,
                         n=int(total["interviews"]), people=int(total["participants"]),
                         policies=int(total["policies"]), countries=listing(countries, lang),
                         dates=when), keep=True)
        self._study_table(long)
        self._policies_table()
        axes = [c for c in self.cases.codes if "/" not in c.path and c.path in self.axes]
        self._para(words("axes_intro", lang, k=number_word(len(axes), lang, False)), keep=True)
        for code in axes:
            self._bullet(code.label(lang), (code.info.get("definition") or {}).get(lang, ""))
        roles = group_order("role", [r for r in docs["role"].unique() if r != NONE])
        defined = [r for r in roles if person(r, lang, 3)]
        if defined:
            self._para(words("roles_intro", lang), keep=True)
            for role in defined:
                self._bullet(person(role, lang), person(role, lang, 3))
        self._para(self._coding())
        if self.suggested:
            self._para(words("suggested_included", lang))
        self._agreement()
        large = docs.groupby("country").size().min() >= LARGE_GROUP
        self._para(words("counting_large" if large else "counting", lang))

    def _bullet(self, term: str, definition: str) -> None:
        paragraph = self.body.paragraph(style="List Bullet")
        paragraph.add_run(term + (": " if definition else "")).bold = True
        if definition:
            paragraph.add_run(capital(definition))

    def _study_table(self, long: pd.DataFrame) -> None:
        """Interviews by role (rows) and country (columns), then the totals of interviews
        and participants."""
        lang = self.lang
        cells = long.set_index(["country", "role"])
        columns = [c for c in dict.fromkeys(long["country"]) if c != TOTAL] + [TOTAL]
        roles = group_order("role", [r for r in long["role"].unique() if r != TOTAL])
        header = [words("role_column", lang)] + [group_label("country", c, lang)
                                                 for c in columns]

        def cell(country: str, role: str, measure: str) -> int:
            key = (country, role)
            return int(cells.at[key, measure]) if key in cells.index else 0
        rows = [[capital(person(r, lang, 1))] + [cell(c, r, "interviews") for c in columns]
                for r in roles]
        rows.append([words("total_interviews", lang)]
                    + [cell(c, TOTAL, "interviews") for c in columns])
        rows.append([words("total_participants", lang)]
                    + [cell(c, TOTAL, "participants") for c in columns])
        self._table(words("study_caption", lang), header, rows,
                    bold=[len(rows) - 2, len(rows) - 1], first_width=1.8)

    def _policies_table(self) -> None:
        lang = self.lang
        docs = self.cases.documents
        seen = docs[docs["policy"] != NONE].drop_duplicates(["country", "policy"])
        if seen.empty:
            return
        order = {c: i for i, c in enumerate(self.countries)}
        seen = seen.assign(_o=seen["country"].map(order)).sort_values(
            ["_o", "policy"], key=lambda s: s.str.casefold() if s.dtype == object else s)
        rows = [[self._country(r.country), self.who.redact(r.policy, self.lang),
                 group_label("sector", r.sector, lang) if isinstance(r.sector, str)
                 and r.sector else "—"] for r in seen.itertuples()]
        self._table(words("policies_caption", lang), [
            words("country_column", lang), words("policy_column", lang),
            words("sector_column", lang)], rows, first_width=1.2, numbers=False)

    def _coding(self) -> str:
        """Who coded (people, from the accepted codings), and how machines took part."""
        lang = self.lang
        codings = self.facts
        accepted = codings[(codings["status"] == "accepted")
                           & codings["document"].isin(self.cases.documents["document"])]
        if accepted.empty:
            return words("coders_none", lang)
        human = accepted["kind"] == "human"
        team = sorted(set(accepted.loc[human, "coder"]) |
                      set(accepted.loc[~human, "reviewer"].dropna()))
        themes = sum(1 for c in self.cases.codes if "/" in c.path
                     and c.path.split("/")[0] in self.axes)
        said = (words("coding_one", lang, who=listing(team, lang), themes=themes)
                if len(team) <= 1 else
                words("coding_many", lang, who=listing(team, lang), themes=themes,
                      k=number_word(len(team), lang), k_words=capital(
                          number_word(len(team), lang, feminine=True))))
        machine = int((~human).sum())
        after = (words("coding_machine", lang, machine=machine, accepted=len(accepted))
                 if machine else words("coding_human", lang))
        return f"{said} {after}"

    def _agreement(self) -> None:
        """Agreement figures when two people coded the same passages."""
        from qda.analysis.agreement import compare, human_coders
        coders = human_coders(self.project)
        if len(coders) < 2:
            return
        a, b = coders[:2]
        result = compare(self.project, a, b, level="axis", unit="segment")
        if not result.units or result.mean_kappa is None or result.alpha is None:
            return
        lang = self.lang
        low = min(result.mean_kappa, result.alpha)
        verdict = ("agreement_high" if low >= 0.8 else "agreement_mid" if low >= 0.667
                   else "agreement_low")
        self._para(words("agreement", lang, a=a, b=b, units=result.units,
                         kappa=decimal(result.mean_kappa, lang),
                         alpha=decimal(result.alpha, lang), verdict=words(verdict, lang)))
        rows = [[self.cases.label(r.code, lang),
                 "—" if pd.isna(r.kappa) else decimal(r.kappa, lang),
                 "—" if pd.isna(r.percent_agreement) else percent(r.percent_agreement, lang)]
                for r in result.table.itertuples() if r.code in self.axes]
        if rows:
            self._table(words("agreement_caption", lang, a=a, b=b),
                        [words("agreement_code", lang), "kappa", "%"], rows)

    # -- axes and themes --------------------------------------------------------------------
    def _axis(self, axis: str, picks: dict[str, list[Quote]]) -> None:
        lang = self.lang
        label = self._label(axis)
        self._heading(label, 1)
        themes = [c for c in self.ranked if "/" in c and c.split("/")[0] == axis]
        raised = [c for c in themes if self._raised(c)]
        silent = [c for c in themes if not self._raised(c)]
        lead = self._axis_lead(axis, raised)
        if silent:
            lead += " " + words("not_raised", lang, themes=listing(
                [lower(self._label(c)) for c in silent], lang, "or"))
        self._para(lead, keep=True)
        self._axis_table(axis, label, themes)
        for code in raised:
            self._heading(self._label(code), 2)
            self._theme(code, picks.get(code, []))
        own = self._axis_only(axis)
        if own:
            if raised:
                self._heading(words("axis_only_heading", lang, axis=label), 2)
            self._para(words("axis_only" if own > 1 else "axis_only_one", lang,
                             n_words=capital(number_word(own, lang)), axis=label))
            self._quotes(picks.get(axis, []))
        if axis == RECOMMENDATIONS:
            self._recommendations_by_policy(themes)
        if self.suggested and any(q.status != "accepted" for c in [axis, *themes]
                                  for q in picks.get(c, [])):
            self._para(words("suggested_mark", lang))

    def _axis_lead(self, axis: str, raised: list[str]) -> str:
        lang, n = self.lang, self.n
        label = self._label(axis)
        share = self._share(self._raised(axis), n)
        if not raised:
            return words("axis_lead_plain", lang, axis=label, share=share)
        best = self._raised(raised[0])
        top = [c for c in raised if self._raised(c) == best][:3]
        rest = [c for c in raised if c not in top]
        high = [c for c in rest if self._raised(c) * 2 >= best][:4]
        low = [c for c in rest if c not in high]
        many = len(top) > 1
        rest_text = ""
        if high:
            rest_text = words("axis_rest" if len(high) > 1 else "axis_rest_one", lang,
                              others=listing([lower(self._label(c)) for c in high], lang))
        plural = "_many" if many else ""
        grammar = ({"top_is": words("top_are" if many else "top_is", lang),
                    "top_is_l": words("top_are_l" if many else "top_is_l", lang)}
                   if lang == "es" else
                   {"themes_are": words("themes_are" + plural, lang),
                    "is_are": words("is_are" + plural, lang)})
        said = self.say.say(
            "axis_lead", axis=label, share=share,
            top=listing([lower(self._label(c)) for c in top], lang),
            top_count=words("axis_top_count_each" if many else "axis_top_count", lang,
                            n=best),
            rest=rest_text, **grammar)
        if low:
            said += words("axis_low", lang, low=listing(
                [lower(self._label(c)) for c in low[:6]], lang))
        return said

    def _axis_only(self, axis: str) -> int:
        """Interviews with codings of the bare axis (passages that fit none of its themes)."""
        return len(self._code_documents().get(axis, ()))

    def _theme(self, code: str, quotes: list[Quote]) -> None:
        lang = self.lang
        self._para(self._where(code, [q.policy for q in quotes]))
        self.themes_written += 1
        self._interpretation("interpret_theme", theme=self._label(code))
        self._quotes(quotes)
        if not quotes:
            self._para(words("no_quote", lang))

    def _where(self, code: str, quoted: list[str]) -> str:
        """Where a theme came up, by the shape of the data: countries, roles, policies, a
        contrast between countries, and a difference only when a test says it is real."""
        lang, n = self.lang, self._raised(code)
        label = self._label(code)
        values = {"theme": label, "theme_l": lower(label), "n": n, "N": self.n,
                  "share": self._share(n, self.n)}
        raising = self._countries_raising(code)
        k_all = len([c for c in self.countries if c != NONE])
        if k_all <= 1:  # a report on one country: no "only in" to say
            key = "where_count"
        elif len(raising) == k_all:
            key = "where_all"
            values["k"] = values["k_words"] = number_word(k_all, lang, feminine=False)
        elif len(raising) == 1:
            key = "where_one"
            country = raising[0]
            values.update(country=self._country(country), m=self._group_size(country),
                          n=self._raised_in(code, country))
        else:
            key = "where_most" if len(raising) >= k_all - 1 else "where_some"
            values["countries"] = listing([self._country(c) for c in raising], lang)
        sentences = [self.say.say(key, **values)]
        docs = self._documents_raising(code)
        roles = group_order("role", [r for r in docs["role"].unique() if r != NONE])
        if roles:
            policies = self._policies(docs, quoted)
            if len(docs) == 1:
                who = lower(person(roles[0], lang, 2))
                sentences.append(capital(words("where_roles_one", lang, roles=who,
                                               policies=policies)))
            else:
                sentences.append(self.say.say("where_roles", roles=self._roles(roles),
                                              policies=policies))
        contrast = self._contrast(code, raising)
        if contrast:
            sentences.append(contrast)
        if code in self.tests.index:
            row = self.tests.loc[code]
            p = row.get("p_value")
            if p is not None and pd.notna(p) and p < SIGNIFICANT:
                sentences.append(words("significant", lang, test=row["test_name"],
                                       p=decimal(float(p), lang)))
        pending = self._raised(code) - int(self.totals.at[code, "interviews"])
        if pending:
            sentences.append(words("pending" if pending > 1 else "pending_one", lang,
                                   n=pending))
        return " ".join(sentences)

    def _roles(self, roles: list[str]) -> str:
        """'designers and experts' / 'personas diseñadoras y expertas'."""
        everyone = group_order("role", [r for r in self.cases.documents["role"].unique()
                                        if r != NONE])
        if len(roles) >= 3 and roles == everyone:
            return words("roles_all", self.lang)
        plural = [person(r, self.lang, 1) for r in roles]
        prefix = words("people_prefix", self.lang)
        if prefix and len(plural) > 1 and all(p.startswith(prefix) for p in plural):
            return prefix + listing([p[len(prefix):] for p in plural], self.lang)
        return listing(plural, self.lang)

    def _policies(self, docs: pd.DataFrame, quoted: list[str]) -> str:
        """The policies an interview raising the theme is about: those quoted below first,
        then one per country in turn."""
        named: dict[str, str] = {}  # each policy named, with its first interview's country
        for policy, country in zip(docs["policy"], docs["country"]):
            if policy != NONE:
                named.setdefault(policy, country)
        if not named:
            return ""
        # those quoted first; then one policy per country in turn, so the names shown span
        # the countries
        order = {c: i for i, c in enumerate(self.countries)}
        turns: Counter = Counter()
        ranked = []
        for policy in sorted(named, key=lambda p: p not in quoted):
            later, country = policy not in quoted, named[policy]
            ranked.append(((later, turns[later, country], order.get(country, len(order))),
                           policy, country))
            turns[later, country] += 1
        ranked.sort(key=lambda item: item[0])
        shown = [words("policy_in", self.lang, policy=self._quoted_name(policy),
                       country=self._country(country)) for _, policy, country in ranked]
        if len(shown) > POLICIES_NAMED:
            listed = words("policies_more", self.lang, named=", ".join(shown[:POLICIES_NAMED]),
                           k=len(shown) - POLICIES_NAMED)
        else:
            listed = listing(shown, self.lang)
        listed = words("policy_one" if len(shown) == 1 else "policy_many", self.lang,
                       policies=listed)
        return words("where_policies", self.lang, policies=listed)

    def _quoted_name(self, name: str) -> str:
        opening, closing = QUOTE_MARKS[self.lang]
        return f"{opening}{self.who.redact(name, self.lang)}{closing}"

    def _contrast(self, code: str, raising: list[str]) -> str:
        """One sentence when countries differ sharply: one silent while most raise it, or
        one where a single interview does while another raises it in every interview."""
        if len(raising) < 2:
            return ""
        shares = {c: (self._raised_in(code, c), self._group_size(c)) for c in self.countries
                  if c != NONE and self._group_size(c)}
        full = [c for c, (k, m) in shares.items() if k == m and m > 1]
        silent = [c for c, (k, _) in shares.items() if k == 0]
        strong = [c for c, (k, m) in shares.items() if k * 3 >= m * 2]
        if silent and len(strong) >= 2:
            return self.say.say("contrast_none", country=self._country(silent[0]))
        few = [c for c, (k, m) in shares.items() if k == 1 and m >= 3]
        if few and full:
            m = shares[few[0]][1]
            return self.say.say("contrast_few", country=self._country(few[0]),
                                n_words=number_word(1, self.lang),
                                m_words=number_word(m, self.lang))
        return ""

    def _quotes(self, quotes: list[Quote]) -> None:
        for index, quote in enumerate(quotes):
            self._para(self._frame(quote, index), keep=True)
            self._quote(quote)

    def _frame(self, quote: Quote, index: int) -> str:
        """The sentence that introduces a quote, naming who, where and which policy."""
        lang = self.lang
        a_person = person(quote.role, lang, 2)
        values = {"a_person": a_person, "a_person_l": lower(a_person),
                  "country": self._country(quote.country)}
        if quote.policy and quote.policy != NONE:
            keys = ("frame_next", "frame") if index else ("frame",)
            return self.say.say(*keys, policy=self._policy(quote.policy), **values)
        return self.say.say("frame_no_policy", **values)

    def _raised(self, code: str) -> int:
        """Interviews raising a code, counting those only pending suggestions raise when
        they were asked for."""
        pending = (self.totals.at[code, "suggested_interviews"]
                   if self.suggested and "suggested_interviews" in self.totals else 0)
        return int(self.totals.at[code, "interviews"] + pending)

    def _raised_in(self, code: str, country: str) -> int:
        return int(self.cells.at[(code, country), "interviews"])

    def _group_size(self, country: str) -> int:
        return int(self.cells.at[(self.ranked[0], country), "group_interviews"])

    def _countries_raising(self, code: str) -> list[str]:
        return [c for c in self.countries if c != NONE and self._raised_in(code, c)]

    def _code_documents(self) -> dict[str, Any]:
        """Each code's interviews, grouped once for every theme and axis."""
        if self._raising is None:
            self._raising = self.cases.codings.groupby("code")["document"].unique().to_dict()
        return self._raising

    def _documents_raising(self, code: str) -> pd.DataFrame:
        raising = self._code_documents()
        axis = "/" not in code
        hit = [c for c in raising if c == code or (axis and c.startswith(code + "/"))]
        docs = self.cases.documents
        return docs[docs["document"].isin([d for c in hit for d in raising[c]])]

    def _axis_table(self, axis: str, label: str, themes: list[str]) -> None:
        """Themes by country; the axis row only when it tells something (not raised in
        every interview of every country)."""
        lang = self.lang
        groups = list(dict.fromkeys(self.freq["group"]))
        sizes = self.freq.drop_duplicates("group").set_index("group")
        header = [words("theme", lang)] + [
            f"{sizes.at[g, 'group_label']} (n={int(sizes.at[g, 'group_interviews'])})"
            for g in groups]
        pending = "suggested_interviews" in self.freq.columns and self.suggested
        if pending:
            header.append(text("suggested", lang))
        always = all(self.cells.at[(axis, g), "interviews"]
                     == self.cells.at[(axis, g), "group_interviews"] for g in groups)
        codes = themes if always and themes else [axis, *themes]
        rows = []
        for code in codes:
            cells = [self._label(code)]
            for group in groups:
                k = int(self.cells.at[(code, group), "interviews"])
                cells.append(count(k, int(sizes.at[group, "group_interviews"]), lang))
            if pending:
                cells.append(str(int(self.totals.at[code, "suggested_interviews"])))
            rows.append(cells)
        self._table(words("table_caption", lang, axis=label),
                    header, rows, bold=[] if codes is themes else [0], first_width=1.8)

    def _table(self, caption: str, header: list[str], rows: list[list], bold=(),
               first_width: float = 2.1, numbers: bool = True) -> None:
        self.tables += 1
        word.add_caption(self.doc, words("caption_table", self.lang), self.tables, caption)
        word.add_table(self.doc, header, rows, bold_rows=bold, first_width=first_width,
                       numbers=numbers)
        self.body.paragraph()

    def _quote(self, quote: Quote, bullet: bool = False, country: bool = True) -> None:
        """«verbatim words» (Role, Country), in the Quote style (or as a bullet); a quote in
        another language than the chapter's says so; † marks a suggestion."""
        lang = self.lang
        opening, closing = QUOTE_MARKS[lang]
        paragraph = self.body.paragraph(style="List Bullet" if bullet else "Quote")
        word.add_run(paragraph, f"{opening}{quote.shown()}{closing}")
        note = ""
        if quote.language and quote.language != lang and quote.language in LANGS:
            note = words("original", lang, language=words(f"language_{quote.language}", lang))
        mark = "" if quote.status == "accepted" else " †"
        said = attribution(quote.role, quote.country if country else None, lang, note)
        word.add_run(paragraph, f" {said}{mark}", italic=False)
        (self.bullets if bullet else self.quotes).append(quote)

    def _recommendations_by_policy(self, themes: list[str]) -> None:
        """As the study gives them: per country, per policy, bullets of the participants'
        recommending sentences (trimmed, verbatim); a policy without any is left out."""
        lang = self.lang
        pool = self.chooser.candidates
        codes = pool["code"]
        pool = pool[codes.isin([c for c in codes.unique() if c == RECOMMENDATIONS
                                or c.startswith(RECOMMENDATIONS + "/")])]
        if pool.empty:
            return
        rank = {c: i for i, c in enumerate([RECOMMENDATIONS, *themes])}
        pool = pool.assign(_rank=pool["code"].map(rank).fillna(len(rank)),
                           _pending=pool["status"] != "accepted")
        pool = pool.sort_values(["_pending", "_rank", "segment_id"], kind="stable")
        groups: dict[tuple[str, str], list] = {}  # rows in order, by country and policy
        for row in pool.drop_duplicates("segment_id").itertuples(index=False):
            groups.setdefault((row.country, row.policy), []).append(row)
        sections: list[tuple[str, list[tuple[str, list[Quote]]]]] = []
        for country in self.countries:
            policies = []
            for policy in group_order("policy", [p for c, p in groups if c == country]):
                bullets = []
                for row in groups[(country, policy)]:
                    said = self.chooser.sentences_for(row)
                    if said is not None and said.text not in {b.text for b in bullets}:
                        bullets.append(said)
                    if len(bullets) >= PER_POLICY:
                        break
                if bullets:
                    policies.append((policy, bullets))
            if policies:
                sections.append((country, policies))
        if not sections:
            return
        self._heading(words("by_policy", lang), 2)
        self._para(words("by_policy_intro", lang))
        for country, policies in sections:
            self._heading(self._country(country), 3)
            for policy, bullets in policies:
                name = self.who.redact(policy, lang) if policy != NONE else \
                    group_label("policy", NONE, lang)
                paragraph = self.body.paragraph()
                paragraph.add_run(name).bold = True
                word.keep_with_next(paragraph)
                for said in bullets:
                    self._quote(said, bullet=True, country=False)

    # -- appendix (only when asked) ---------------------------------------------------------
    def _appendix(self, filters: str) -> None:
        lang = self.lang
        self._heading(words("appendix", lang), 1)
        suggested = words("appendix_suggested", lang) if self.suggested else ""
        self._para(words("appendix_run", lang, version=__version__,
                         date=long_date(date.today(), lang), suggested=suggested,
                         filters=filters))
        codings = self.facts
        coders = sorted(set(codings.loc[codings["status"] == "accepted", "coder"]))
        if coders:
            self._para(words("appendix_coders", lang, who=listing(coders, lang)))
        if self.chooser.left_out:
            self._para(words("appendix_left_out", lang), keep=True)
            for item in self.chooser.left_out:
                key = "left_out_names" if item.reason == "names" else "left_out_changed"
                self.body.paragraph(words(key, lang, segment=item.segment_id, code=item.code,
                                          score=decimal(item.score or 0.0, lang, 1)),
                                    "List Bullet")


def _heatmap(part: pd.DataFrame) -> tuple[bytes, float, float]:
    """The overview heatmap as PNG, and its size in inches (width, height)."""
    from qda.export.charts import heatmap  # matplotlib: loaded only by whoever draws it

    figure = heatmap(part)
    wide, high = figure.get_size_inches()
    return word.figure_png(figure), float(wide), float(high)


__all__ = ["Report", "write_report"]
