"""Emerging and fading topics: a period's topic share against its trailing window.

The rule
--------
A topic's share in a period is the share of the period's passages in the topic (as
in :func:`~research.trends.topic_shares_over_time`: each passage counts once, times
its article's weight in the period; outlier passages count in the total). Its
*baseline* is its share in the ``window`` periods before (pooled passages of those
calendar periods; empty periods add nothing).

Is the departure beyond the noise? Stories (copies of one story together) are the
resampling unit, ``n_boot`` resamples, one seeded stream per period:

* ``p_value``: a bootstrap test of "same share as the window" (Efron & Tibshirani
  1993, ch. 16): the period's and the window's stories are pooled, both groups are
  redrawn from the pool with their sizes, and ``p = (1 + hits) / (1 + n_boot)``
  counts the redraws whose absolute difference is at least the observed one. Unlike
  a percentile interval, this stays honest for a topic with no passage in a small
  period (a topic absent from 12 articles is weak evidence of fading);
* ``p_adjusted``: Benjamini-Hochberg over the topics of the period (many topics are
  screened at once);
* ``ci_low``, ``ci_high``: percentile interval of ``share - baseline``, resampling
  the period's and the window's stories separately; ``z`` is the difference over
  the standard deviation of the redraws under "same share".

``emerging``: ``p_adjusted < alpha``, the share is at least ``fold`` times the
baseline and the topic has at least ``min_passages`` passages in the period.
``fading``: ``p_adjusted < alpha``, the share is at most the baseline divided by
``fold`` and the window held at least ``min_passages`` of the topic's passages.
``stable`` otherwise; ``untested`` when the period or its window has fewer than
``min_articles`` articles (``reason`` says which). The fold condition keeps a large
topic's small but well-measured wobble from counting as emergence; the test keeps a
small topic's noise from doing so. (BERTrend's popularity with exponential decay is
an alternative for long streams; with a handful of periods a windowed comparison is
more legible.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._change import benjamini_hochberg
from ._periods import UNDATED, Period, article_period_weights, period_range
from ._resample import group_rng, multinomial_blocks, story_labels

__all__ = ["EMERGING_COLUMNS", "topics_emerging"]

#: Columns of ``topics_emerging.csv``.
EMERGING_COLUMNS = ["period", "topic", "label", "status", "share", "baseline", "difference",
                    "ci_low", "ci_high", "z", "p_value", "p_adjusted", "fold", "n_passages",
                    "n_articles",
                    "baseline_periods", "baseline_passages", "baseline_articles", "reason"]


def _story_matrix(weights: pd.DataFrame, counts: pd.DataFrame, stories: pd.Series):
    """Rows: stories; columns: topics; values: weighted passage counts."""
    if weights.empty:
        return np.zeros((0, counts.shape[1])), 0.0
    w = weights.groupby("article_id")["weight"].sum()
    per_article = counts.loc[w.index].to_numpy(float) * w.to_numpy()[:, None]
    codes, uniques = pd.factorize(stories.loc[w.index].to_numpy(), sort=True)
    out = np.zeros((len(uniques), counts.shape[1]))
    np.add.at(out, codes, per_article)
    return out, float(w.sum())


def _null_differences(U, B, n_boot, rng) -> np.ndarray:
    """Differences of shares when both groups are redrawn from their pooled stories."""
    pool = np.vstack([U, B])
    even = np.full(len(pool), 1.0 / len(pool))
    u = rng.multinomial(len(U), even, size=n_boot) @ pool
    b = rng.multinomial(len(B), even, size=n_boot) @ pool
    return u / u.sum(1, keepdims=True) - b / b.sum(1, keepdims=True)


def topics_emerging(passages: pd.DataFrame, articles: pd.DataFrame, period: Period, *,
                    topics: pd.DataFrame | None = None, window: int = 4, fold: float = 2.0,
                    min_articles: float = 5, min_passages: float = 3, n_boot: int = 1000,
                    ci: float = 0.95, alpha: float = 0.05, cluster: str | None = "dup_group",
                    random_state=0) -> pd.DataFrame:
    """Flag topics whose share in a period departs from its trailing window.

    See the module docstring for the rule.

    Parameters
    ----------
    passages : DataFrame
        ``article_id, topic``.
    articles : DataFrame
        ``article_id``, ``date``/``date_min``/``date_max`` (as placed on the time
        axis) and ``dup_group``.
    period : {"week", "month", "quarter", "year"}
    topics : DataFrame, optional
        ``topic, label``: labels for the table.
    window : int, default=4
        Periods before each period that form its baseline.
    fold : float, default=2.0
        Least ratio of share to baseline (or of baseline to share) for a flag.
    min_articles : float, default=5
        Least (effective) articles in the period and in its window for a test.
    min_passages : float, default=3
        Least passages of the topic in the period (emerging) or window (fading).
    n_boot : int, default=1000
    ci : float, default=0.95
    alpha : float, default=0.05
        False discovery rate over the topics of a period.
    cluster : str or None, default="dup_group"
    random_state : int, numpy Generator or None, default=0

    Returns
    -------
    DataFrame
        One row per (dated period with articles, topic other than -1):
        :data:`EMERGING_COLUMNS`, periods in time order.
    """
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window!r}")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be in (0, 1), got {ci!r}")
    a = articles[articles["article_id"].isin(set(passages["article_id"]))]
    a = a.drop_duplicates("article_id").reset_index(drop=True)
    stories = pd.Series(story_labels(a, cluster).to_numpy(), index=a["article_id"].to_numpy())
    counts = pd.crosstab(passages["article_id"], passages["topic"])
    all_topics = list(counts.columns)
    shown = [t for t in all_topics if t != -1]
    weights = article_period_weights(a, period)
    weights = weights[(weights["period"] != UNDATED) & (weights["weight"] > 0)]
    labels = (topics.set_index("topic")["label"].to_dict()
              if topics is not None and "label" in topics else {})
    present = sorted(pd.unique(weights["period"]))
    if not present or not shown:
        return pd.DataFrame(columns=EMERGING_COLUMNS)
    calendar = period_range(present[0], present[-1], period)
    cols = [all_topics.index(t) for t in shown]
    q = [(1 - ci) / 2, (1 + ci) / 2]
    rows = []
    for i, label in enumerate(calendar):
        here = weights[weights["period"] == label]
        if here.empty:
            continue
        before = calendar[max(0, i - window):i]
        base = weights[weights["period"].isin(before)]
        U, n_here = _story_matrix(here, counts, stories)
        B, n_base = _story_matrix(base, counts, stories)
        share = U.sum(0) / U.sum()
        baseline = B.sum(0) / B.sum() if B.sum() > 0 else np.full(len(all_topics), np.nan)
        common = {"period": label, "n_articles": n_here,
                  "baseline_periods": f"{before[0]}..{before[-1]}" if before else "",
                  "baseline_articles": n_base}
        reason = ""
        if n_here < min_articles:
            reason = f"too few articles in the period ({n_here:g}; at least {min_articles:g})"
        elif n_base < min_articles:
            reason = (f"too few articles in the {window} periods before "
                      f"({n_base:g}; at least {min_articles:g})")
        if reason:
            for j, t in zip(cols, shown, strict=True):
                rows.append({**common, "topic": t, "label": labels.get(t, str(t)),
                             "status": "untested", "share": share[j], "baseline": baseline[j],
                             "difference": share[j] - baseline[j],
                             "n_passages": U[:, j].sum(), "baseline_passages": B[:, j].sum(),
                             "reason": reason})
            continue
        rng = group_rng(random_state, label)
        reps = []
        for M in (U, B):
            m = len(M)
            draw = np.vstack([c @ M for c in multinomial_blocks(rng, m, n_boot)])
            reps.append(draw / draw.sum(1, keepdims=True))
        low, high = np.quantile(reps[0] - reps[1], q, axis=0)
        null = _null_differences(U, B, n_boot, rng)
        diff = share - baseline
        hits = (np.abs(null) >= np.abs(diff) - 1e-12).sum(0)
        p_value = (1 + hits) / (1 + n_boot)
        p_adjusted = np.full(len(all_topics), np.nan)
        p_adjusted[cols] = benjamini_hochberg(p_value[cols])
        sd = null.std(axis=0, ddof=1)
        for j, t in zip(cols, shown, strict=True):
            ratio = share[j] / baseline[j] if baseline[j] > 0 else np.inf if share[j] > 0 else 1.0
            status = "stable"
            if p_adjusted[j] < alpha and ratio >= fold and U[:, j].sum() >= min_passages:
                status = "emerging"
            elif (p_adjusted[j] < alpha and ratio <= 1 / fold
                  and B[:, j].sum() >= min_passages):
                status = "fading"
            rows.append({**common, "topic": t, "label": labels.get(t, str(t)), "status": status,
                         "share": share[j], "baseline": baseline[j], "difference": diff[j],
                         "ci_low": low[j], "ci_high": high[j],
                         "z": diff[j] / sd[j] if sd[j] > 0 else np.nan,
                         "p_value": p_value[j], "p_adjusted": p_adjusted[j], "fold": ratio,
                         "n_passages": U[:, j].sum(), "baseline_passages": B[:, j].sum(),
                         "reason": ""})
    return pd.DataFrame(rows, columns=EMERGING_COLUMNS)
