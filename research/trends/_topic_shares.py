"""Topic shares per period or per group (BERTopic's topics over time / per class).

Each passage counts with a weight (1, or its length) times its article's weight in
the period or group (:func:`~research.trends.group_weights`).
"""

from __future__ import annotations

import pandas as pd

from research.text import passage_weights

from ._periods import UNDATED, UNKNOWN, Period, group_order, group_weights, period_range

__all__ = ["topic_shares_over_time", "topic_shares_per_class"]


def _topic_shares(passages, articles, by, period, weight, fill_gaps):
    if "topic" not in passages.columns:
        raise ValueError("passages needs a 'topic' column")
    gw, key = group_weights(articles, by, period=period)
    pw = passages[["article_id", "topic"]].assign(_w=passage_weights(passages, weight))
    merged = pw.merge(gw, on="article_id", how="left")
    merged["group"] = merged["group"].fillna(UNDATED if key == "period" else UNKNOWN)
    merged["weight"] = merged["weight"].fillna(1.0)
    merged["frequency"] = merged["_w"] * merged["weight"]
    table = (merged.groupby(["group", "topic"], sort=False)
             .agg(frequency=("frequency", "sum"), n_passages=("article_id", "size"),
                  n_articles=("article_id", "nunique"))
             .reset_index())
    total = table.groupby("group")["frequency"].transform("sum")
    table["share"] = table["frequency"] / total.where(total > 0)
    groups = group_order(list(pd.unique(table["group"])), key)
    if key == "period" and fill_gaps:
        dated = [g for g in groups if g != UNDATED]
        if dated:
            groups = period_range(dated[0], dated[-1], period) + \
                [g for g in groups if g == UNDATED]
    order = {g: i for i, g in enumerate(groups)}
    topics = sorted(pd.unique(passages["topic"]))
    full = pd.MultiIndex.from_product([groups, topics], names=["group", "topic"])
    table = table.set_index(["group", "topic"]).reindex(full).reset_index()
    table[["frequency", "share"]] = table[["frequency", "share"]].fillna(0.0)
    table[["n_passages", "n_articles"]] = table[["n_passages", "n_articles"]].fillna(0).astype(int)
    table = table.sort_values(["group", "topic"], key=lambda c: c.map(order)
                              if c.name == "group" else c, kind="stable")
    table = table.rename(columns={"group": key})
    return table[[key, "topic", "frequency", "share", "n_passages", "n_articles"]] \
        .reset_index(drop=True)


def topic_shares_over_time(passages: pd.DataFrame, articles: pd.DataFrame, period: Period, *,
                           weight: str | None = None, fill_gaps: bool = True) -> pd.DataFrame:
    """Topic shares per period (a pandas-3-safe replacement for BERTopic's topics_over_time).

    Each passage counts with ``weight`` (1 by default, or ``"n_words"``) times its
    article's period weight (:func:`~research.trends.article_period_weights`).

    Parameters
    ----------
    passages : DataFrame
        ``article_id, topic`` (and the weight column).
    articles : DataFrame
        ``article_id, date`` (``date_min``, ``date_max`` when known).
    period : {"week", "month", "quarter", "year"}
    weight : str or None, default=None
    fill_gaps : bool, default=True
        Include periods without passages between the first and last (frequency 0).

    Returns
    -------
    DataFrame
        ``period, topic, frequency, share, n_passages, n_articles``; shares of
        a period sum to 1 over topics (outliers ``-1`` included).
    """
    return _topic_shares(passages, articles, "period", period, weight, fill_gaps)


def topic_shares_per_class(passages: pd.DataFrame, articles: pd.DataFrame, by: str, *,
                           weight: str | None = None) -> pd.DataFrame:
    """Topic shares per group of ``articles[by]`` (like BERTopic's topics_per_class).

    Returns
    -------
    DataFrame
        ``<by>, topic, frequency, share, n_passages, n_articles``.
    """
    return _topic_shares(passages, articles, by, None, weight, False)
