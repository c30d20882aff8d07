"""The findings chapter in Word: method, then one section per axis with its themes ranked
by the interviews raising them, a theme-by-country table, a heatmap and verbatim quotes.

Every number comes from `qda.analysis` (the same functions `qda summary` and `qda
differences` print), so the chapter and the summary never disagree. Quotes are accepted
codings unless suggestions are asked for, chosen and checked by `qda.analysis.quotes`, and
attributed by role and country only: no participant name is ever written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

import pandas as pd
from docx.document import Document

from .. import __version__, progress
from ..analysis.cases import CaseData, load
from ..analysis.differences import differences
from ..analysis.frequencies import ANY, frequencies, ranked_codes
from ..analysis.labels import NONE, TOTAL, check_lang, group_label, group_order, text
from ..analysis.quotes import CANDIDATE_COLUMNS, LeftOut, Quote, QuoteChooser
from ..analysis.study import study, study_table
from ..errors import QdaError, UsageError
from ..privacy import people
from ..project import Project
from . import word
from .charts import heatmap
from .report_words import QUOTE_MARKS, decimal, listing, words

RECOMMENDATIONS = "recommendations"
PER_POLICY = (1, 2)  # quotes per policy in "recommendations by country and policy"


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


def write_report(project: Project, out: Path, lang: str = "en",
                 axes: Iterable[str] | None = None, countries: Iterable[str] | None = None,
                 include_suggested: bool = False) -> Report:
    """Write the findings chapter to `out` (.docx) and say what went in."""
    check_lang(lang)
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise UsageError(f"the report must be a .docx file, not '{out.name}'")
    cases = load(project, include_suggested)
    if cases.documents.empty:
        raise QdaError("nothing to report: the project has no interviews yet; run "
                       "'qda import transcripts/'", project.root)
    chosen_axes = _check_axes(cases, axes)
    cases, kept_countries = _only_countries(cases, countries)
    chapter = _Chapter(project, cases, lang, chosen_axes, include_suggested)
    chapter.build(filters=_filters(chosen_axes, kept_countries, cases, lang))
    word.save(chapter.doc, out)
    return Report(out, lang, len(cases.documents), chosen_axes, chapter.themes_written,
                  chapter.quotes, chapter.chooser.left_out)


class _Chapter:
    """Builds the document section by section; numbers tables and figures as it goes."""

    def __init__(self, project: Project, cases: CaseData, lang: str, axes: list[str],
                 include_suggested: bool):
        self.project, self.cases, self.lang, self.axes = project, cases, lang, axes
        self.suggested = include_suggested
        self.freq = frequencies(cases, "country", lang, include_suggested)
        self.totals = self.freq[self.freq["group"] == TOTAL].set_index("code")
        self.tests = differences(cases, "country", lang).set_index("code")
        self.ranked = [c for c in ranked_codes(self.freq) if c != ANY]
        self.who = people(project)
        self.chooser = QuoteChooser(_candidates(project, cases, include_suggested),
                                    project.store.document_text, self.who)
        self.quotes: list[Quote] = []
        self.themes_written = 0
        self.tables = self.figures = 0
        study_name = project.codebook.name
        self.doc: Document = word.document(
            words("title", lang) + f": {study_name}", lang,
            subject=words("subtitle", lang, study=study_name),
            keywords=words("keywords", lang))
        # style objects, not names: python-docx looks a name up anew each time (slow)
        self.styles = {name: self.doc.styles[name] for name in (
            "Quote", "List Bullet", "Heading 1", "Heading 2", "Heading 3")}

    def _heading(self, text: str, level: int) -> None:
        self.doc.add_paragraph(text, style=self.styles[f"Heading {level}"])

    # -- the chapter ------------------------------------------------------------------------
    def build(self, filters: str) -> None:
        lang, doc = self.lang, self.doc
        doc.add_paragraph(words("title", lang), style="Title")
        doc.add_paragraph(words("subtitle", lang, study=self.project.codebook.name),
                          style="Subtitle")
        word.add_toc(doc, words("contents", lang), words("toc_hint", lang))
        word.add_page_numbers(doc, words("page", lang), words("of", lang))
        picks = self._choose_quotes()
        self._method()
        for axis in progress.track(self.axes, "writing the report"):
            self._axis(axis, picks)
        if self.chooser.left_out:
            self._left_out()
        self._heading(words("about", lang), 1)
        suggested = words("about_suggested", lang) if self.suggested else ""
        doc.add_paragraph(words("about_text", lang, version=__version__,
                                date=date.today().isoformat(), suggested=suggested,
                                filters=filters).strip())

    def _choose_quotes(self) -> dict[str, list[Quote]]:
        """Quotes for every theme, the themes with fewest candidates choosing first so a
        passage coded with two themes goes where it is needed most."""
        themes = [c for c in self.ranked if "/" in c and c.split("/")[0] in self.axes]
        order = sorted(themes, key=lambda c: (self.chooser.available(c), self.ranked.index(c)))
        return {code: self.chooser.choose(code) for code in order}

    def _method(self) -> None:
        lang, doc, docs = self.lang, self.doc, self.cases.documents
        self._heading(words("method", lang), 1)
        long = study(self.cases, lang)
        total = long[(long["country"] == TOTAL) & (long["role"] == TOTAL)].iloc[0]
        countries = [group_label("country", c, lang)
                     for c in group_order("country", list(docs["country"].unique()))]
        dates = sorted(d for d in docs["date"].dropna().astype(str) if d.strip())
        doc.add_paragraph(words(
            "corpus", lang, n=int(total["interviews"]), people=int(total["participants"]),
            policies=int(total["policies"]), countries=listing(countries, lang),
            dates=words("dates", lang, first=dates[0], last=dates[-1]) if dates else ""))
        wide = study_table(long)
        header = [""] + [c for c in wide.columns if c not in ("measure", "role", "label")]
        rows = [[r["label"] if not r["role"] else "   " + r["label"],
                 *[int(r[c]) for c in header[1:]]] for _, r in wide.iterrows()]
        self._table(words("study_caption", lang), header, rows,
                    bold=[i for i, r in enumerate(wide.itertuples()) if not r.role])
        doc.add_paragraph(" ".join([words("coding", lang, themes=sum(
            1 for c in self.cases.codes if "/" in c.path)), self._coders()]))
        if self.suggested:
            doc.add_paragraph(words("suggested_included", lang))
        self._agreement()
        doc.add_paragraph(words("counting", lang))

    def _coders(self) -> str:
        """Who coded, from the accepted codings (coders and reviewers are team members,
        not participants)."""
        codings = self.project.store.coding_facts_frame()
        accepted = codings[(codings["status"] == "accepted")
                           & codings["document"].isin(self.cases.documents["document"])]
        if accepted.empty:
            return words("coders_none", self.lang)
        human = accepted["kind"] == "human"
        people_ = sorted(set(accepted.loc[human, "coder"]) |
                         set(accepted.loc[~human, "reviewer"].dropna()))
        machines = sorted(set(accepted.loc[~human, "coder"]))
        return words("coders" if machines else "coders_plain", self.lang,
                     who=listing(people_, self.lang),
                     accepted=len(accepted), machine=int((~human).sum()),
                     machines=", ".join(machines) or "—")

    def _agreement(self) -> None:
        """Agreement figures when two people coded the same passages."""
        from ..analysis.agreement import compare, human_coders
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
        self.doc.add_paragraph(words(
            "agreement", lang, a=a, b=b, units=result.units,
            kappa=decimal(result.mean_kappa, lang), alpha=decimal(result.alpha, lang),
            verdict=words(verdict, lang)))
        table = result.table
        rows = [[self.cases.label(r.code, lang),
                 "—" if pd.isna(r.kappa) else decimal(r.kappa, lang),
                 f"{r.percent_agreement:.0%}" if not pd.isna(r.percent_agreement) else "—"]
                for r in table.itertuples() if r.code in self.axes]
        if rows:
            self._table(words("agreement_caption", lang, a=a, b=b),
                        [words("agreement_code", lang), "kappa", "%"], rows)

    def _axis(self, axis: str, picks: dict[str, list[Quote]]) -> None:
        lang, doc = self.lang, self.doc
        label = self.totals.at[axis, "label"]
        self._heading(label, 1)
        doc.add_paragraph(f"{label}: {self._says(axis)}")
        themes = [c for c in self.ranked if "/" in c and c.split("/")[0] == axis]
        self._axis_table(axis, label, themes)
        figure = heatmap(self._axis_freq(axis))
        self.figures += 1
        word.add_figure(doc, figure, word.TEXT_WIDTH, words("figure_alt", lang, axis=label))
        word.add_caption(doc, words("caption_figure", lang), self.figures,
                         words("figure_caption", lang, axis=label))
        silent = [c for c in themes if not self._raised(c)]
        for code in themes:
            if code in silent:
                continue
            self._heading(self.totals.at[code, "label"], 2)
            doc.add_paragraph(self._says(code, capital=True))
            self.themes_written += 1
            quotes = picks.get(code, [])
            for quote in quotes:
                self._quote(quote)
            if not quotes:
                doc.add_paragraph(words("no_quote", lang))
        if silent:
            doc.add_paragraph(words("not_raised", lang, themes=listing(
                [self.totals.at[c, "label"] for c in silent], lang)))
        if axis == RECOMMENDATIONS:
            self._recommendations_by_policy(themes)
        if self.suggested and any(q.status != "accepted" for c in themes
                                  for q in picks.get(c, [])):
            doc.add_paragraph(words("suggested_mark", lang))

    def _raised(self, code: str) -> int:
        """Interviews raising a code, counting those only pending suggestions raise when
        they were asked for."""
        pending = (self.totals.at[code, "suggested_interviews"]
                   if self.suggested and "suggested_interviews" in self.totals else 0)
        return int(self.totals.at[code, "interviews"] + pending)

    def _says(self, code: str, capital: bool = False) -> str:
        """'raised in 9 of 12 interviews, in all four countries; the difference ...'."""
        row = self.tests.loc[code]
        text = f"{row['wording']}; {row['evidence']}."
        pending = self._raised(code) - int(self.totals.at[code, "interviews"])
        if pending:
            text += " " + words("pending", self.lang, n=pending)
        return text[0].upper() + text[1:] if capital else text

    def _axis_freq(self, axis: str) -> pd.DataFrame:
        part = self.freq[self.freq["axis"] == axis].reset_index(drop=True)
        part.attrs.update(self.freq.attrs)
        return part

    def _axis_table(self, axis: str, label: str, themes: list[str]) -> None:
        lang = self.lang
        freq = self.freq.set_index(["code", "group"])
        groups = list(dict.fromkeys(self.freq["group"]))
        sizes = self.freq.drop_duplicates("group").set_index("group")
        header = [words("theme", lang)] + [
            f"{sizes.at[g, 'group_label']} (n={int(sizes.at[g, 'group_interviews'])})"
            for g in groups]
        pending = "suggested_interviews" in self.freq.columns and self.suggested
        if pending:
            header.append(text("suggested", lang))
        rows = []
        for code in [axis, *themes]:
            cells = [self.totals.at[code, "label"]]
            for group in groups:
                n = int(freq.at[(code, group), "interviews"])
                share = freq.at[(code, group), "interview_share"]
                cells.append(f"{n} ({share:.0%})" if pd.notna(share) else str(n))
            if pending:
                cells.append(str(int(self.totals.at[code, "suggested_interviews"])))
            rows.append(cells)
        self._table(words("table_caption", lang, axis=label), header, rows, bold=[0])

    def _table(self, caption: str, header: list[str], rows: list[list], bold=()) -> None:
        self.tables += 1
        word.add_caption(self.doc, words("caption_table", self.lang), self.tables, caption)
        word.add_table(self.doc, header, rows, bold_rows=bold)
        self.doc.add_paragraph()

    def _quote(self, quote: Quote, prefix: str = "") -> None:
        """«verbatim words» (Role, Country), in the Quote style; † marks a suggestion."""
        opening, closing = QUOTE_MARKS[self.lang]
        paragraph = self.doc.add_paragraph(style=self.styles["Quote"])
        if prefix:
            paragraph.add_run(prefix + " ").italic = False
        paragraph.add_run(f"{opening}{quote.shown()}{closing}")
        mark = "" if quote.status == "accepted" else " †"
        paragraph.add_run(f" {quote.attribution(self.lang)}{mark}").italic = False
        self.quotes.append(quote)

    def _recommendations_by_policy(self, themes: list[str]) -> None:
        """As the study did: per country, per policy, the recommendation themes its
        interviews raised (interviews counted like everywhere else) and a quote or two."""
        lang, doc = self.lang, self.doc
        self._heading(words("by_policy", lang), 2)
        docs = self.cases.documents
        for country in group_order("country", list(docs["country"].unique())):
            mine = docs[docs["country"] == country]
            sub = CaseData(mine.reset_index(drop=True),
                           self.cases.codings[self.cases.codings["document"].isin(
                               mine["document"])].reset_index(drop=True), self.cases.codes)
            freq = frequencies(sub, "policy", lang)
            raised = freq[(freq["axis"] == RECOMMENDATIONS) & (freq["level"] == "theme")
                          & (freq["interviews"] > 0) & (freq["group"] != TOTAL)]
            if raised.empty:
                continue
            self._heading(group_label("country", country, lang), 3)
            for policy in group_order("policy", list(raised["group"].unique())):
                rows = raised[raised["group"] == policy]
                rows = rows.assign(rank=rows["code"].map(themes.index)).sort_values(
                    ["interviews", "rank"], ascending=[False, True])
                listed = [f"{r.label} ({r.interviews} "
                          f"{words('interview' if r.interviews == 1 else 'interviews', lang)})"
                          for r in rows.itertuples()]
                paragraph = doc.add_paragraph()
                name = policy if policy != NONE else group_label("policy", NONE, lang)
                paragraph.add_run(self.who.redact(name) + ": ").bold = True
                paragraph.add_run(words("policy_themes", lang, themes=listing(listed, lang)))
                pool = self.chooser.candidates
                pool = pool[(pool["code"].isin(rows["code"])) & (pool["country"] == country)
                            & (pool["policy"] == policy)]
                for quote in self.chooser.choose(RECOMMENDATIONS, among=pool, per=PER_POLICY,
                                                 diversity=("code", "role", "document")):
                    self._quote(quote, prefix=f"{self.cases.label(quote.code, lang)}:")

    def _left_out(self) -> None:
        lang, doc = self.lang, self.doc
        self._heading(words("left_out", lang), 1)
        doc.add_paragraph(words("left_out_intro", lang))
        for item in self.chooser.left_out:
            key = "left_out_names" if item.reason == "names" else "left_out_changed"
            score = decimal(item.score or 0.0, lang, 1)
            doc.add_paragraph(words(key, lang, segment=item.segment_id, code=item.code,
                                    score=score), style=self.styles["List Bullet"])


def _candidates(project: Project, cases: CaseData, include_suggested: bool) -> pd.DataFrame:
    """Passages that may be quoted: the counted codings (accepted, and pending machine
    suggestions when asked) with their text, offsets and case attributes."""
    frame = project.codings_frame()
    counted = cases.codings[["segment_id", "code", "status"]].drop_duplicates()
    frame = frame.merge(counted, on=["segment_id", "code", "status"])
    ids = {row["name"]: row["id"] for row in project.store.documents()}
    frame["document_id"] = frame["document"].map(ids)
    docs = cases.documents.set_index("document")
    for column in ("country", "role", "policy"):
        frame[column] = frame["document"].map(docs[column])
    frame["codes_on_passage"] = frame.groupby("segment_id")["code"].transform("nunique")
    if not include_suggested:
        frame = frame[frame["status"] == "accepted"]
    return frame[CANDIDATE_COLUMNS].reset_index(drop=True)


def _check_axes(cases: CaseData, axes: Iterable[str] | None) -> list[str]:
    known = [c.path for c in cases.codes if "/" not in c.path]
    if not axes:
        return known
    chosen = [a.strip() for a in axes if a.strip()]
    unknown = [a for a in chosen if a not in known]
    if unknown:
        raise UsageError(f"unknown axis '{unknown[0]}'; the axes are {', '.join(known)}")
    return [a for a in known if a in chosen]


def _only_countries(cases: CaseData, countries: Iterable[str] | None
                    ) -> tuple[CaseData, list[str]]:
    """The interviews of these countries (matched in any case, English or Spanish name)."""
    wanted = [c.strip() for c in countries or () if c.strip()]
    if not wanted:
        return cases, []
    docs = cases.documents
    present = [c for c in group_order("country", list(docs["country"].unique())) if c != NONE]
    names = {n.casefold(): c for c in present
             for n in (c, group_label("country", c, "es"), group_label("country", c, "en"))}
    missing = [c for c in wanted if c.casefold() not in names]
    if missing:
        raise UsageError(f"no interviews from '{missing[0]}'; the countries are "
                         f"{', '.join(present) or 'none'}")
    keep = {names[c.casefold()] for c in wanted}
    mine = docs[docs["country"].isin(keep)].reset_index(drop=True)
    codings = cases.codings[cases.codings["document"].isin(mine["document"])]
    return CaseData(mine, codings.reset_index(drop=True), cases.codes), sorted(keep)


def _filters(axes: list[str], countries: list[str], cases: CaseData, lang: str) -> str:
    what = []
    all_axes = [c.path for c in cases.codes if "/" not in c.path]
    if axes != all_axes:
        what.append(words("filter_axes", lang, axes=listing(
            [cases.label(a, lang) for a in axes], lang)))
    if countries:
        what.append(words("filter_countries", lang, countries=listing(
            [group_label("country", c, lang) for c in countries], lang)))
    return words("filters", lang, what=listing(what, lang)) if what else ""


__all__ = ["Report", "write_report"]
