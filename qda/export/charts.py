"""Charts for the findings chapter: themes by country, themes per axis, saturation.

Drawn with matplotlib's object API on the Agg canvas (no pyplot state, no display needed)
and written as PNG and SVG. They must survive a greyscale printer and colour-blind readers:
the heatmap uses cividis (lightness rises steadily with the value) and prints each share in
its cell; bars carry their numbers and a hatch per axis; the saturation lines differ in
dash and marker as well as colour and are labelled at their ends.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from qda.analysis.cases import CaseData, as_cases
from qda.analysis.frequencies import ANY, frequencies, ranked_codes
from qda.analysis.saturation import ALL, saturation
from qda.errors import QdaError
from qda.lang import check_lang, noun, text
from qda.project import Project
from qda.text.files import atomic_file
from qda.vocab import TOTAL

FORMATS = ("png", "svg")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo")
LINESTYLES = ("--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))
MARKERS = ("s", "^", "D", "v", "P", "X")
STYLE = {"font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 11,
         "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "qda",
         "svg.fonttype": "none"}


def heatmap(freq: pd.DataFrame) -> Figure:
    """Axes and their themes (rows, ranked) by group (columns): share of the group's
    interviews raising each, printed in every cell; the Total column is set apart."""
    lang = freq.attrs.get("lang", "en")
    by = freq.attrs.get("by", "country")
    codes = [c for c in ranked_codes(freq) if c != ANY]
    groups = list(dict.fromkeys(freq["group"]))
    cells = freq.set_index(["code", "group"])
    shares = np.array([[cells.at[(c, g), "interview_share"] for g in groups] for c in codes],
                      dtype=float)
    first = freq.drop_duplicates("group").set_index("group")
    columns = [f"{first.at[g, 'group_label']}\n(n={int(first.at[g, 'group_interviews'])})"
               for g in groups]
    levels = cells.xs(TOTAL, level="group").loc[codes, "level"]
    rows = [_wrap(cells.at[(c, TOTAL), "label"], 42) if levels[c] == "axis"
            else _wrap("   " + cells.at[(c, TOTAL), "label"], 42) for c in codes]

    with mpl.rc_context(STYLE):
        fig = _figure((3.6 + 0.85 * len(groups), 1.6 + 0.3 * len(codes)))
        ax = fig.add_subplot()
        cmap = mpl.colormaps["cividis"]
        image = ax.imshow(np.ma.masked_invalid(shares), cmap=cmap, vmin=0, vmax=1,
                          aspect="auto")
        for i, code in enumerate(codes):
            for j in range(len(groups)):
                value = shares[i, j]
                if np.isnan(value):
                    continue
                ax.text(j, i, f"{value:.0%}", ha="center", va="center", fontsize=8,
                        color=_ink(cmap(value)),
                        fontweight="bold" if levels[code] == "axis" else "normal")
        ax.set_xticks(range(len(groups)), columns)
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(codes)), rows)
        for tick, code in zip(ax.get_yticklabels(), codes):
            if levels[code] == "axis":
                tick.set_fontweight("bold")
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        for i, code in enumerate(codes):
            if levels[code] == "axis" and i:
                ax.axhline(i - 0.5, color="white", linewidth=3)
        if TOTAL in groups:
            ax.axvline(groups.index(TOTAL) - 0.5, color="white", linewidth=4)
        bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02,
                           format=mpl.ticker.PercentFormatter(1.0))
        bar.outline.set_visible(False)
        ax.set_title(text("heatmap_title", lang, by=noun(by, lang, plural=False)), loc="left",
                     pad=12)
        fig.text(0.01, 0.005, text("chart_note", lang), fontsize=7, color="0.3")
    return fig


def theme_bars(freq: pd.DataFrame, colours: dict[str, str] | None = None) -> Figure:
    """One panel per axis: its themes ranked by the share of all interviews raising them,
    each bar labelled with the count and share; panels differ in colour and hatch."""
    lang = freq.attrs.get("lang", "en")
    colours = colours or {}
    total = freq[freq["group"] == TOTAL].set_index("code")
    ranked = [c for c in ranked_codes(freq) if c != ANY]
    axes_codes = [c for c in ranked if total.at[c, "level"] == "axis"]
    panels = [(axis, [c for c in ranked if total.at[c, "level"] == "theme"
                      and total.at[c, "axis"] == axis]) for axis in axes_codes]
    panels = [(axis, themes) for axis, themes in panels if themes]
    if not panels:
        raise QdaError("no themes to chart: the codebook has only axes")
    n = int(total["group_interviews"].iloc[0])
    with mpl.rc_context(STYLE):
        heights = [len(themes) + 1.2 for _, themes in panels]
        fig = _figure((7.5, 1.0 + 0.3 * sum(heights)))
        grid = fig.add_gridspec(len(panels), 1, height_ratios=heights)
        for index, (axis, themes) in enumerate(panels):
            ax = fig.add_subplot(grid[index])
            shares = [total.at[c, "interview_share"] for c in themes]
            shares = [0.0 if pd.isna(s) else s for s in shares]
            y = np.arange(len(themes))[::-1]
            ax.barh(y, shares, color=colours.get(axis, "0.6"), edgecolor="black",
                    linewidth=0.6, hatch=HATCHES[index % len(HATCHES)], height=0.7)
            for yi, code, share in zip(y, themes, shares):
                ax.text(share + 0.01, yi, f"{int(total.at[code, 'interviews'])} ({share:.0%})",
                        va="center", fontsize=8)
            ax.set_yticks(y, [_wrap(total.at[c, "label"], 38) for c in themes])
            ax.set_xlim(0, 1.18)
            ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
            ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
            ax.set_title(total.at[axis, "label"], loc="left", fontweight="bold")
            ax.tick_params(axis="y", length=0)
            if index == len(panels) - 1:
                ax.set_xlabel(text("bars_x", lang) + f" (n={n})")
        fig.suptitle(text("bars_title", lang), x=0.01, ha="left", fontsize=12)
    return fig


def saturation_curve(curve: pd.DataFrame, themes_in_codebook: int | None = None) -> Figure:
    """Distinct themes found as interviews are added, for the study and each country."""
    lang = curve.attrs.get("lang", "en")
    order = curve.attrs.get("order", "date")
    scopes = list(dict.fromkeys(curve["scope"]))
    countries = [s for s in scopes if s != ALL]
    cmap = mpl.colormaps["cividis"]
    with mpl.rc_context(STYLE):
        fig = _figure((7.5, 4.6))
        ax = fig.add_subplot()
        ends = []
        for scope in scopes:
            part = curve[curve["scope"] == scope]
            x = np.concatenate([[0], part["position"].to_numpy()])
            y = np.concatenate([[0], part["cumulative"].to_numpy()])
            if scope == ALL:
                style = {"color": "black", "linewidth": 2.4, "linestyle": "-", "marker": "o"}
            else:
                k = countries.index(scope)
                style = {"color": cmap(0.75 * k / max(1, len(countries) - 1)),
                         "linewidth": 1.6, "linestyle": LINESTYLES[k % len(LINESTYLES)],
                         "marker": MARKERS[k % len(MARKERS)]}
            label = part["scope_label"].iloc[0]
            ax.plot(x, y, markersize=4, label=label, **style)
            ends.append((x[-1], y[-1], label, style["color"]))
        if themes_in_codebook:
            ax.axhline(themes_in_codebook, color="0.5", linewidth=0.8, linestyle=(0, (1, 2)))
            ax.text(0.2, themes_in_codebook, text("codebook_themes", lang, n=themes_in_codebook),
                    va="bottom", fontsize=8, color="0.3")
        ax.set_xlabel(text("saturation_x", lang))
        ax.set_ylabel(text("saturation_y", lang))
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        ax.set_xlim(0, max(1, int(curve["position"].max() if len(curve) else 1)) * 1.15)
        ax.set_ylim(0, max(themes_in_codebook or 0, int(curve["cumulative"].max()
                                                       if len(curve) else 0)) * 1.1 + 1)
        _label_ends(ax, ends)
        ax.set_title(text("saturation_title", lang, order=text(order, lang)), loc="left")
        ax.legend(frameon=False, fontsize=8, loc="lower right")
        ax.grid(axis="y", color="0.9")
    return fig


def _label_ends(ax, ends: list[tuple[float, float, str, tuple]]) -> None:
    """Name each line at its end, nudging labels that share an end apart so none overlap."""
    low, high = ax.get_ylim()
    gap = (high - low) * 0.045
    for x in sorted({e[0] for e in ends}):
        here = sorted((e for e in ends if e[0] == x), key=lambda e: e[1])
        placed: list[float] = []
        for _, y, _label, _colour in here:
            at = max(y, placed[-1] + gap) if placed else y
            placed.append(at)
        shift = max(0.0, placed[-1] - (high - gap)) if placed else 0.0
        for (_, y, label, colour), at in zip(here, placed):
            ax.annotate(label, (x, y), xytext=(x + 0.25, at - shift), fontsize=8,
                        color=colour, va="center", textcoords="data")


def write_charts(source: Project | CaseData, out_dir: Path, lang: str = "en",
                 order: str = "date", formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write the heatmap by country, the per-axis bars and the saturation curve to
    `out_dir` as `<chart>_<lang>.<format>`; returns the files written."""
    check_lang(lang)
    cases = as_cases(source)
    if cases.documents.empty:
        raise QdaError("nothing to chart: the project has no interviews yet; run "
                       "'qda import transcripts/'")
    freq = frequencies(cases, by="country", lang=lang)
    colours = {c.path: c.colour for c in cases.codes if c.colour}
    themes = sum(1 for c in cases.codes if "/" in c.path)
    charts = {"themes_by_country": heatmap(freq), "themes_by_axis": theme_bars(freq, colours),
              "saturation": saturation_curve(saturation(cases, order, lang), themes or None)}
    written = []
    for name, fig in charts.items():
        written += save(fig, out_dir, f"{name}_{lang}", formats)
    return written


def save(fig: Figure, out_dir: Path, stem: str, formats: tuple[str, ...] = FORMATS
         ) -> list[Path]:
    """Save one figure in each format; PNG at print resolution, SVG with text as text."""
    out_dir = Path(out_dir)
    paths = []
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        with mpl.rc_context(STYLE), atomic_file(path) as fh:
            fig.savefig(fh, format=fmt, dpi=200 if fmt == "png" else None,
                        metadata={"Date": None} if fmt == "svg" else None)
        paths.append(path)
    return paths


def _figure(size: tuple[float, float]) -> Figure:
    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _ink(rgba: tuple) -> str:
    """Black or white text, whichever reads on this cell colour."""
    r, g, b = to_rgb(rgba)
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def _wrap(label: str, width: int) -> str:
    indent = len(label) - len(label.lstrip())
    return "\n".join(textwrap.wrap(label, width, subsequent_indent=" " * (indent + 1)))
