"""Did it change? Theme shares before and after a date, tested theme by theme.

For every theme, :func:`theme_change` compares the mean article share of two spans of
time (before and after 2023-10-07, or two periods):

* ``difference`` is the mean share after minus the mean share before (each article
  counts once);
* its interval is a percentile bootstrap that resamples stories with replacement
  within each span separately;
* ``p_value`` is a two-sided permutation test of "no difference": the stories of
  the two spans are shuffled between them, keeping the span sizes, and the p-value
  is the share of shufflings whose absolute difference is at least the observed one.
  All shufflings are enumerated when there are at most ``n_perm`` of them (an exact
  test); otherwise ``n_perm`` random ones are drawn and ``p = (1 + hits) / (1 +
  n_perm)`` (Phipson & Smyth 2010, never 0);
* ``p_adjusted`` controls the false discovery rate over the themes tested together
  (Benjamini & Hochberg 1995, :func:`benjamini_hochberg`); ``significant`` is
  ``p_adjusted < alpha``.

Copies of one story (``dup_group``) move together in both resamplings. The same
resamples serve every theme (one random stream per comparison), so the themes'
tests are computed jointly and do not depend on the order of the themes.

An article belongs to a span when its date, or its whole date window, lies inside
the span; articles dated to a window that straddles the boundary, and undated
articles, are in neither (``n_left_out``).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from ._bootstrap import wide_theme_shares
from ._periods import period_dates, to_datetime
from ._resample import group_rng, multinomial_blocks, story_labels

__all__ = ["CHANGE_COLUMNS", "benjamini_hochberg", "theme_change"]

#: Columns of ``theme_change.csv``.
CHANGE_COLUMNS = ["theme", "before", "after", "share_before", "share_after", "difference",
                  "ci_low", "ci_high", "p_value", "p_adjusted", "significant", "n_before",
                  "n_after", "n_left_out", "test", "status"]


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (false discovery rate), NaNs left out.

    Parameters
    ----------
    p_values : array-like of float

    Returns
    -------
    ndarray
        Adjusted p-values, same shape; NaN where the input is NaN.
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        from statsmodels.stats.multitest import multipletests

        out[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return out


def _bound(value, where: str) -> pd.Timestamp:
    if value is None or (isinstance(value, str) and not value.strip()):
        return pd.Timestamp.min if where == "start" else pd.Timestamp.max
    label = str(value).strip()
    start = period_dates([label], where)[0]
    if pd.notna(start):
        return start
    date = to_datetime([label]).iloc[0]
    if pd.isna(date):
        raise ValueError(f"not a date or period label: {value!r}")
    return date


def _span(spec) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    if isinstance(spec, str):
        return _bound(spec, "start"), _bound(spec, "end"), spec
    if isinstance(spec, tuple | list) and len(spec) == 2:
        lo, hi = spec
        return _bound(lo, "start"), _bound(hi, "end"), f"{lo or ''}..{hi or ''}"
    raise ValueError(f"a span is a date, a period label or a (first, last) pair, got {spec!r}")


def _article_spans(articles: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    n = len(articles)
    cols = {c: to_datetime(articles[c] if c in articles else [None] * n).to_numpy()
            for c in ("date", "date_min", "date_max")}
    date = pd.Series(cols["date"])
    lo = date.fillna(pd.Series(cols["date_min"])).fillna(pd.Series(cols["date_max"]))
    hi = date.fillna(pd.Series(cols["date_max"])).fillna(pd.Series(cols["date_min"]))
    return lo, hi


def theme_change(article_themes: pd.DataFrame, articles: pd.DataFrame, *, before=None,
                 after=None, at: str | None = None, themes=None,
                 cluster: str | None = "dup_group", n_boot: int = 1000, n_perm: int = 5000,
                 ci: float = 0.95, alpha: float = 0.05, min_articles: int = 3,
                 random_state=0) -> pd.DataFrame:
    """Difference in mean theme share between two spans of time, tested per theme.

    See the module docstring for the statistics.

    Parameters
    ----------
    article_themes : DataFrame
        ``article_id, theme, share``.
    articles : DataFrame
        ``article_id``, ``date``/``date_min``/``date_max`` (as placed on the time
        axis) and ``dup_group``.
    before, after : str or (str, str), optional
        A span: a date (``"2023-10-07"``: that day), a period label (``"2015-W31"``,
        ``"2015-07"``, ``"2015-Q3"``, ``"2015"``), or a ``(first, last)`` pair of
        dates or labels, inclusive, either of which may be None (open).
    at : str, optional
        A date that splits time instead: before is every day until the day before
        ``at``, after is ``at`` and later.
    themes : sequence of str, optional
        Default every theme of ``article_themes``; a theme it does not have raises
        ``ValueError``.
    cluster : str or None, default="dup_group"
        Story column: copies of a story are resampled and shuffled together.
    n_boot : int, default=1000
    n_perm : int, default=5000
        Random shufflings, or the most shufflings enumerated for an exact test.
    ci : float, default=0.95
    alpha : float, default=0.05
        False discovery rate for ``significant``.
    min_articles : int, default=3
        Fewer articles on a side: not tested (``status`` says so).
    random_state : int, numpy Generator or None, default=0

    Returns
    -------
    DataFrame
        One row per theme, :data:`CHANGE_COLUMNS`; ``status`` is ``"ok"`` or why
        the theme was not tested.
    """
    if at is not None:
        if before is not None or after is not None:
            raise ValueError("pass either at or before and after, not both")
        day = _bound(at, "start")
        spans = [(pd.Timestamp.min, day - pd.Timedelta(days=1), f"before {at}"),
                 (day, pd.Timestamp.max, f"from {at}")]
    elif before is None or after is None:
        raise ValueError("pass at, or both before and after")
    else:
        spans = [_span(before), _span(after)]
    if spans[0][0] <= spans[1][1] and spans[1][0] <= spans[0][1]:
        raise ValueError(f"before ({spans[0][2]}) and after ({spans[1][2]}) overlap")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be in (0, 1), got {ci!r}")
    wide = wide_theme_shares(article_themes, themes)
    themes = list(wide.columns)
    a = articles[articles["article_id"].isin(wide.index)].drop_duplicates("article_id")
    a = a.reset_index(drop=True)
    lo, hi = _article_spans(a)
    side = np.full(len(a), -1)
    for k, (start, end, _) in enumerate(spans):
        side[((lo >= start) & (hi <= end)).to_numpy()] = k
    labels = (spans[0][2], spans[1][2])
    base = pd.DataFrame({"theme": themes, "before": labels[0], "after": labels[1],
                         "n_before": int((side == 0).sum()), "n_after": int((side == 1).sum()),
                         "n_left_out": int((side == -1).sum())})
    short = [f"{name} ({int((side == k).sum())}; at least {min_articles})"
             for k, name in enumerate(("before", "after")) if (side == k).sum() < min_articles]
    if short:
        return base.assign(status="too few articles " + " and ".join(short)) \
            .reindex(columns=CHANGE_COLUMNS)
    units = pd.DataFrame({"story": story_labels(a, cluster).to_numpy(), "side": side})
    units = units[side >= 0]
    shares = wide.loc[a.loc[units.index, "article_id"]].to_numpy(float)
    keys = pd.Series(list(zip(units["story"], units["side"], strict=True)), dtype=object)
    codes, uniques = pd.factorize(keys, sort=True)
    S = np.zeros((len(uniques), len(themes)))
    np.add.at(S, codes, shares)
    c = np.bincount(codes, minlength=len(uniques)).astype(float)
    after_unit = np.array([side_of == 1 for _, side_of in uniques])
    diff = S[after_unit].sum(0) / c[after_unit].sum() - S[~after_unit].sum(0) / c[~after_unit].sum()
    rng = group_rng(random_state, f"{labels[0]}|{labels[1]}")
    reps = []
    for mask in (~after_unit, after_unit):
        m = int(mask.sum())
        reps.append(np.vstack([counts @ S[mask] / (counts @ c[mask])[:, None]
                               for counts in multinomial_blocks(rng, m, n_boot)]))
    low, high = np.quantile(reps[1] - reps[0], [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    p_value, test = _permutation_p(S, c, after_unit, diff, n_perm, rng)
    out = base.assign(share_before=S[~after_unit].sum(0) / c[~after_unit].sum(),
                      share_after=S[after_unit].sum(0) / c[after_unit].sum(),
                      difference=diff, ci_low=low, ci_high=high, p_value=p_value,
                      p_adjusted=benjamini_hochberg(p_value), test=test, status="ok")
    out["significant"] = out["p_adjusted"] < alpha
    return out[CHANGE_COLUMNS]


def _permutation_p(S, c, after_unit, observed, n_perm, rng):
    m, k = len(c), int(after_unit.sum())
    tol = 1e-12 * max(1.0, float(np.abs(observed).max()))
    total_s, total_c = S.sum(0), c.sum()
    hits = np.zeros(S.shape[1])

    def count(masks: np.ndarray) -> None:
        sa, ca = masks @ S, masks @ c
        d = sa / ca[:, None] - (total_s - sa) / (total_c - ca)[:, None]
        hits[:] += (np.abs(d) >= np.abs(observed) - tol).sum(0)

    n_splits = math.comb(m, k)
    if n_splits <= n_perm:
        combos = np.zeros((n_splits, m))
        for i, chosen in enumerate(itertools.combinations(range(m), k)):
            combos[i, list(chosen)] = 1.0
        count(combos)
        return hits / n_splits, f"exact ({n_splits} shufflings)"
    done = 0
    while done < n_perm:
        size = min(500, n_perm - done)
        masks = (rng.random((size, m)).argsort(axis=1) < k).astype(float)
        count(masks)
        done += size
    return (1 + hits) / (1 + n_perm), f"{n_perm} random shufflings"
