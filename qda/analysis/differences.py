"""Whether a theme's share of interviews differs across countries (or roles, sectors,
policies), and the words a findings chapter may honestly use about it.

Qualitative studies have few interviews per country, so the test is exact whenever an
expected count is below five: Fisher's exact test for two groups, the Freeman-Halton
extension of it for more (every 2 x k table with the observed margins is enumerated). Only
when all expected counts reach five is the chi-square test used; each row says which test
ran and whether counts were small. The wording ("in all four countries", "mostly in Peru")
describes the counts; the evidence column says whether the difference is more than chance.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import accumulate

import numpy as np
import pandas as pd

from qda.analysis.cases import CaseData, as_cases
from qda.analysis.frequencies import ANY, frequencies, ranked_codes
from qda.analysis.labels import check_by
from qda.lang import check_lang, integer, noun, number, spanish_article, text
from qda.project import Project
from qda.vocab import NONE, TOTAL

MAX_TABLES = 200_000  # beyond this many tables, a seeded Monte Carlo estimate stands in
MONTE_CARLO_TABLES = 9_999


def group_test(raised: Sequence[int], sizes: Sequence[int]) -> tuple[str, float, bool]:
    """(test, p-value, small counts) for 'interviews raising it' against group sizes.

    The table is 2 x k: raised and not raised in each group. p is NaN when there is nothing
    to test (fewer than two groups, or every interview or none raises it). Fisher's test is
    the exact sum below for two groups (scipy's `fisher_exact` sums the same tables), and
    the chi-square tail has a closed form: scipy.stats, seconds to import, is needed only
    for the Monte Carlo estimate.
    """
    raised_ = np.asarray(raised, dtype=np.int64)
    sizes_ = np.asarray(sizes, dtype=np.int64)
    keep = sizes_ > 0
    raised_, sizes_ = raised_[keep], sizes_[keep]
    total, n = int(raised_.sum()), int(sizes_.sum())
    if len(sizes_) < 2 or total in (0, n):
        return "none", float("nan"), False
    table = np.vstack([raised_, sizes_ - raised_])
    expected = np.outer(table.sum(axis=1), sizes_) / n
    small = bool((expected < 5).any())
    if len(sizes_) > 2 and not small:
        statistic = float(((table - expected) ** 2 / expected).sum())
        return "chi_square", chi_square_tail(statistic, len(sizes_) - 1), small
    p = freeman_halton(raised_, sizes_, MAX_TABLES)
    if p is not None:
        return ("fisher" if len(sizes_) == 2 else "freeman_halton"), p, small
    from scipy import stats  # a second to import: only for the rare table too large to sum
    if len(sizes_) == 2:
        return "fisher", float(stats.fisher_exact(table).pvalue), small
    method = stats.MonteCarloMethod(n_resamples=MONTE_CARLO_TABLES,
                                    rng=np.random.default_rng(0))
    return "monte_carlo", float(stats.fisher_exact(table, method=method).pvalue), small


def freeman_halton(raised: Sequence[int], sizes: Sequence[int],
                   max_tables: int = MAX_TABLES) -> float | None:
    """Exact p-value of a 2 x k table (raised / not raised per group), or None when more
    than `max_tables` tables share its margins.

    Every first row with the observed total is enumerated; its probability given the
    margins is multivariate hypergeometric, and p sums the tables no more likely than the
    observed one (the Freeman-Halton extension of Fisher's test).
    """
    raised_ = [int(x) for x in raised]
    sizes_ = [int(x) for x in sizes]
    total, n = sum(raised_), sum(sizes_)
    if _count_tables(sizes_, total) > max_tables:
        return None
    sums = np.zeros(1, dtype=np.int64)
    logp = np.zeros(1)
    capacity = n
    for size in sizes_:
        capacity -= size
        x = np.arange(size + 1)
        sums = (sums[:, None] + x[None, :]).ravel()
        logp = (logp[:, None] + _log_choose(size, x)[None, :]).ravel()
        possible = (sums <= total) & (sums + capacity >= total)
        sums, logp = sums[possible], logp[possible]
    logp -= _log_choose(n, np.array([total]))[0]
    observed = sum(_log_choose(s, np.array([r]))[0] for s, r in zip(sizes_, raised_))
    observed -= _log_choose(n, np.array([total]))[0]
    p = np.exp(logp[logp <= observed + 1e-7]).sum()
    return float(min(1.0, p))


def chi_square_tail(statistic: float, df: int) -> float:
    """P(X >= statistic) for X chi-square with `df` (a whole number) degrees of freedom:
    the regularised upper gamma function Q(df/2, x/2), summed term by term in logs."""
    half = statistic / 2
    if half <= 0:
        return 1.0
    log_half = math.log(half)
    if df % 2 == 0:  # Q(k, h) = e^-h * sum_{i<k} h^i / i!
        terms = [i * log_half - math.lgamma(i + 1) - half for i in range(df // 2)]
        tail = 0.0
    else:  # Q(k + 1/2, h) = erfc(sqrt h) + e^-h * sum_{1<=i<=k} h^(i-1/2) / Gamma(i+1/2)
        terms = [(i - 0.5) * log_half - math.lgamma(i + 0.5) - half
                 for i in range(1, (df - 1) // 2 + 1)]
        tail = math.erfc(math.sqrt(half))
    return min(1.0, tail + math.fsum(math.exp(t) for t in terms))


def _log_choose(n: int, k: np.ndarray) -> np.ndarray:
    logs = _log_factorials(n)
    return logs[n] - logs[k] - logs[n - k]


def _log_factorials(n: int) -> np.ndarray:
    """log(i!) for i = 0..n."""
    return np.array([math.lgamma(i + 1) for i in range(n + 1)])


def _count_tables(sizes: list[int], total: int) -> int:
    """How many first rows (0 <= x_j <= size_j) sum to `total`."""
    ways = [1] + [0] * total
    for size in sizes:
        running = [0, *accumulate(ways)]  # running[s + 1] = ways[0] + ... + ways[s]
        ways = [running[s + 1] - running[max(0, s - size)] for s in range(total + 1)]
    return ways[total]


def differences(source: Project | CaseData, by: str = "country", lang: str = "en",
                alpha: float = 0.05) -> pd.DataFrame:
    """One row per axis and theme, in the summary's ranked order: how many interviews
    raise it, in how many groups, where mostly, the test and its p-value, and wording for a
    findings chapter.

    Interviews without a value for `by` count in the totals but not in the test.
    Columns: code, level, label, interviews, of, groups_raising, groups, raised_in,
    main_group, main_interviews, spread (none|one|some|all), mostly, test, test_name,
    p_value, small_counts, significant, where_raised ('in all four countries'), wording
    ('raised in 9 of 12 interviews, in all four countries') and evidence (the test, in
    words).
    """
    check_by(by)
    check_lang(lang)
    freq = frequencies(as_cases(source), by=by, lang=lang)
    ranked = [c for c in ranked_codes(freq) if c != ANY]
    parts = dict(tuple(freq.groupby("code", sort=False)))
    rows = []
    for code in ranked:
        part = parts[code]
        total = part[part["group"] == TOTAL].iloc[0]
        groups = part[(part["group"] != TOTAL) & (part["group"] != NONE)
                      & (part["group_interviews"] > 0)]
        test, p, small = group_test(groups["interviews"], groups["group_interviews"])
        raising = groups[groups["interviews"] > 0]
        row = {"code": code, "level": total["level"], "label": total["label"],
               "interviews": int(total["interviews"]), "of": int(total["group_interviews"]),
               "groups_raising": len(raising), "groups": len(groups),
               "raised_in": ", ".join(raising["group_label"]),
               "test": test, "p_value": p,
               "test_name": text(f"test_{test}", lang, tables=integer(MONTE_CARLO_TABLES, lang)),
               "small_counts": small, "significant": bool(not np.isnan(p) and p < alpha)}
        row.update(_concentration(groups))
        row["spread"] = ("none" if not len(raising) else "one" if len(raising) == 1 else
                         "all" if len(raising) == len(groups) else "some")
        row["where_raised"] = _where(row, by, lang)
        row["wording"] = _wording(row, lang)
        row["evidence"] = _evidence(row, by, lang)
        rows.append(row)
    columns = ["code", "level", "label", "interviews", "of", "groups_raising", "groups",
               "raised_in", "main_group", "main_interviews", "spread", "mostly", "test",
               "test_name", "p_value", "small_counts", "significant", "where_raised",
               "wording", "evidence"]
    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs.update(by=by, lang=lang, alpha=alpha)
    return frame


def _concentration(groups: pd.DataFrame) -> dict:
    """The group with the highest share, and whether the code is 'mostly' there: more than
    half the interviews raising it, and a higher share there than in the other groups."""
    raised = int(groups["interviews"].sum())
    if not raised:
        return {"main_group": "", "main_interviews": 0, "mostly": False,
                "raised_in_groups": 0}
    shares = groups["interviews"] / groups["group_interviews"]
    top = groups.loc[shares.idxmax()]
    rest_size = groups["group_interviews"].sum() - top["group_interviews"]
    rest_share = (raised - top["interviews"]) / rest_size if rest_size else 0.0
    mostly = (int((groups["interviews"] > 0).sum()) > 1 and top["interviews"] * 2 > raised
              and shares.max() > rest_share)
    return {"main_group": top["group_label"], "main_interviews": int(top["interviews"]),
            "mostly": bool(mostly), "raised_in_groups": raised}


def _where(row: dict, by: str, lang: str) -> str:
    """In which groups, in words: 'in all four countries, mostly in Peru (...)'."""
    words: list[str] = []
    plural = noun(by, lang)
    the, both = spanish_article(by)
    if row["spread"] == "all" and row["groups"] == 2:
        words.append(text("in_all_two", lang, plural=plural, ambos=both))
    elif row["spread"] == "all":
        words.append(text("in_all", lang, k=number(row["groups"], lang), plural=plural,
                          los=the))
    elif row["spread"] == "one":
        words.append(text("only_in", lang, group=row["raised_in"]))
    elif row["spread"] == "some":
        words.append(text("in_some", lang, m=number(row["groups_raising"], lang),
                          k=number(row["groups"], lang), plural=plural,
                          groups=row["raised_in"]))
    if row["mostly"]:
        words.append(text("mostly", lang, group=row["main_group"], n=row["main_interviews"],
                          total=row["raised_in_groups"]))
    return ", ".join(words)


def _wording(row: dict, lang: str) -> str:
    if not row["interviews"]:
        return text("not_raised", lang)
    return ", ".join(filter(None, [text("raised", lang, n=row["interviews"], of=row["of"]),
                                   row["where_raised"]]))


def _evidence(row: dict, by: str, lang: str) -> str:
    plural = noun(by, lang)
    if row["test"] == "none":
        why = "one_group" if row["groups"] < 2 else "no_variation"
        return text("no_test", lang, why=text(why, lang, plural=plural))
    detail = f"{row['test_name']}, p {format_p(row['p_value'])}"
    if row["small_counts"]:
        detail += f"; {text('small', lang)}"
    key = "significant" if row["significant"] else "not_significant"
    return text(key, lang, plural=plural, detail=detail)


def format_p(p: float) -> str:
    """'= 0.43', '= 0.018' (three decimals near the usual thresholds) or '< 0.001'."""
    if p < 0.001:
        return "< 0.001"
    return f"= {p:.3f}" if p < 0.1 else f"= {p:.2f}"
