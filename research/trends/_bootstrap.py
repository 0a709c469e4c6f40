"""Theme trends over time and by counterpart, with bootstrap intervals.

Periods (``"2015-W31"``, ``"2015-07"``, ``"2015-Q3"``, ``"2015"``), articles with
uncertain dates and groups are handled by :func:`~research.trends.group_weights`.

Shares and intervals
--------------------
A group's (period's, counterpart's ...) share of a theme is the weighted mean of
its articles' shares, weights as in :func:`~research.trends.group_weights` (1 for a plain column).
The interval is a percentile bootstrap over the group's articles: ``n_boot``
resamples, with replacement, of the group's articles, each with its weight. Every
group has its own random stream, seeded from ``random_state`` and the group label,
so the same inputs and seed give identical tables, and a group's interval does not
change when other groups change. The resamples are drawn in blocks
(:func:`~research.trends.multinomial_blocks`), so memory is bounded whatever the
size of a group; the counts are those of one draw, and a group small enough for one
block (up to 4,194 articles with 1,000 resamples) gets exactly the replicates of one
matrix product. Above that, a replicate's mean can differ in the last bit (BLAS
rounds a product of another shape differently), never its counts. Groups whose
effective number of articles (the sum of their weights, ``n_effective``) is below
``min_articles`` (default 3) are flagged ``few_articles``; nothing is hidden. The
contrast (:func:`contrast_trends`) is computed on the same resamples, so its interval
accounts for the pairing of the two shares within articles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._periods import UNDATED, Period, group_order, group_weights, period_range
from ._resample import group_rng, multinomial_blocks

__all__ = ["theme_trends", "contrast_trends", "wide_theme_shares"]


def wide_theme_shares(article_themes: pd.DataFrame, themes=None) -> pd.DataFrame:
    """Return the article x theme share matrix of tidy ``article_id, theme, share`` rows.

    Columns are ``themes`` (default: every theme, in order of appearance); a theme an
    article lacks has share 0.

    Raises
    ------
    ValueError
        When ``themes`` names a theme that ``article_themes`` does not have.
    """
    wide = article_themes.pivot(index="article_id", columns="theme", values="share")
    all_themes = list(pd.unique(article_themes["theme"]))
    themes = all_themes if themes is None else list(themes)
    missing = [t for t in themes if t not in all_themes]
    if missing:
        raise ValueError(f"themes {missing} not in article_themes (themes: {all_themes})")
    return wide.reindex(columns=themes).fillna(0.0)


def _bootstrap(article_themes, articles, by, period, n_boot, ci, random_state, fill_gaps):
    """Yield (key, group, n_articles, n_effective, point, replicates, theme ids)."""
    if not 0 < ci < 1:
        raise ValueError(f"ci must be in (0, 1), got {ci!r}")
    if n_boot < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot!r}")
    wide = wide_theme_shares(article_themes)
    known = articles[articles["article_id"].isin(wide.index)]
    missing = wide.index.difference(pd.Index(known["article_id"]))
    if len(missing):
        extra = pd.DataFrame({"article_id": missing})
        known = pd.concat([known, extra], ignore_index=True)
    gw, key = group_weights(known, by, period=period)
    gw = gw[gw["weight"] > 0]
    groups = group_order(list(pd.unique(gw["group"])), key)
    if key == "period" and fill_gaps:
        dated = [g for g in groups if g != UNDATED]
        if dated:
            full = period_range(dated[0], dated[-1], period)
            groups = full + [g for g in groups if g == UNDATED]
    out = []
    for g in groups:
        sub = gw[gw["group"] == g]
        if sub.empty:
            out.append((g, 0, 0.0, None, None))
            continue
        w = sub["weight"].to_numpy(dtype=float)
        S = wide.loc[sub["article_id"]].to_numpy(dtype=float)
        point = w @ S / w.sum()
        blocks = multinomial_blocks(group_rng(random_state, g), len(w), n_boot)
        reps = np.vstack([cw @ S / cw.sum(axis=1, keepdims=True)
                          for cw in (counts * w for counts in blocks)])
        out.append((g, int(sub["article_id"].nunique()), float(w.sum()), point, reps))
    return key, list(wide.columns), out


def theme_trends(article_themes: pd.DataFrame, articles: pd.DataFrame, by: str = "period", *,
                 period: Period | None = None, n_boot: int = 1000, ci: float = 0.95,
                 random_state=0, min_articles: float = 3, fill_gaps: bool = True) -> pd.DataFrame:
    """Mean theme shares per period or per group, with bootstrap intervals.

    Parameters
    ----------
    article_themes : DataFrame
        ``article_id, theme, share`` (:func:`research.themes.article_theme_shares`).
    articles : DataFrame
        ``article_id`` and the columns that ``by`` needs (``date``, ``date_min``,
        ``date_max`` for periods).
    by : str, default="period"
        See :func:`group_weights`.
    period : {"week", "month", "quarter", "year"}, optional
        Period length when ``by="period"``.
    n_boot : int, default=1000
        Bootstrap resamples.
    ci : float, default=0.95
        Coverage of the percentile interval.
    random_state : int, numpy Generator or None, default=0
    min_articles : float, default=3
        Groups with fewer effective articles are flagged ``few_articles``.
    fill_gaps : bool, default=True
        Add empty periods between the first and last dated period (share NaN,
        ``n_articles`` 0) so that gaps show in tables and figures.

    Returns
    -------
    DataFrame
        ``<key>, theme, share, ci_low, ci_high, n_articles, n_effective,
        few_articles``, where ``<key>`` is ``period`` or ``by``. Periods are in
        time order with ``undated`` last; groups are sorted with ``unknown`` last.
    """
    key, themes, groups = _bootstrap(article_themes, articles, by, period, n_boot, ci,
                                     random_state, fill_gaps)
    q = [(1 - ci) / 2, 1 - (1 - ci) / 2]
    rows = []
    for g, n, n_eff, point, reps in groups:
        lo_hi = np.quantile(reps, q, axis=0) if reps is not None else None
        for k, theme in enumerate(themes):
            rows.append({key: g, "theme": theme,
                         "share": np.nan if point is None else point[k],
                         "ci_low": np.nan if point is None else lo_hi[0, k],
                         "ci_high": np.nan if point is None else lo_hi[1, k],
                         "n_articles": n, "n_effective": n_eff,
                         "few_articles": bool(n_eff < min_articles)})
    return pd.DataFrame(rows, columns=[key, "theme", "share", "ci_low", "ci_high",
                                       "n_articles", "n_effective", "few_articles"])


def contrast_trends(article_themes: pd.DataFrame, articles: pd.DataFrame, by: str = "period", *,
                    a: str = "counterterrorism", b: str = "gaza_humanitarian",
                    period: Period | None = None, n_boot: int = 1000, ci: float = 0.95,
                    random_state=0, min_articles: float = 3,
                    fill_gaps: bool = True) -> pd.DataFrame:
    """Share of theme ``a`` minus share of theme ``b`` per period or group.

    Parameters are those of :func:`theme_trends`, plus the two themes. The
    bootstrap resamples are the ones :func:`theme_trends` draws with the same
    arguments.

    Returns
    -------
    DataFrame
        ``<key>, contrast, ci_low, ci_high, share_a, share_b, n_articles,
        n_effective, few_articles``.
    """
    key, themes, groups = _bootstrap(article_themes, articles, by, period, n_boot, ci,
                                     random_state, fill_gaps)
    for t in (a, b):
        if t not in themes:
            raise ValueError(f"theme {t!r} not in article_themes (themes: {themes})")
    ia, ib = themes.index(a), themes.index(b)
    q = [(1 - ci) / 2, 1 - (1 - ci) / 2]
    rows = []
    for g, n, n_eff, point, reps in groups:
        if point is None:
            vals = [np.nan] * 5
        else:
            lo, hi = np.quantile(reps[:, ia] - reps[:, ib], q)
            vals = [point[ia] - point[ib], lo, hi, point[ia], point[ib]]
        rows.append(dict(zip([key, "contrast", "ci_low", "ci_high", "share_a", "share_b"],
                             [g, *vals], strict=True),
                         n_articles=n, n_effective=n_eff, few_articles=bool(n_eff < min_articles)))
    out = pd.DataFrame(rows, columns=[key, "contrast", "ci_low", "ci_high", "share_a", "share_b",
                                      "n_articles", "n_effective", "few_articles"])
    out.attrs.update(a=a, b=b)
    return out
