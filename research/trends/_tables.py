"""The trend stage: theme and topic shares by period and by counterpart, with intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._bootstrap import contrast_trends, theme_trends
from ._topic_shares import topic_shares_over_time, topic_shares_per_class

__all__ = ["GROUPS", "trend_tables", "time_axis_dates"]

# Grouping columns of articles.csv for the trend tables: file stem → column.
GROUPS = {
    "counterpart": "counterpart",
    "country": "counterpart_country",
    "role": "counterpart_role",
}


def time_axis_dates(articles: pd.DataFrame) -> pd.DataFrame:
    """Choose the date that places each article on the time axis of the trends.

    The engagement date (``date``/``date_min``/``date_max`` from the manifest, the
    text or the events calendar) is used when it is specific. When it is only an
    office-holder's tenure window (often years long) or unknown, and the corpus gives
    the article's publication date (``date_extracted``), the publication date is used
    instead: news reports an engagement within days. ``time_basis`` records the choice
    (``"engagement"`` or ``"publication"``).

    Returns
    -------
    DataFrame
        A copy of ``articles`` with ``date``, ``date_min``, ``date_max`` replaced where
        the publication date is used, and a ``time_basis`` column.
    """
    out = articles.copy()
    published = (out["date_extracted"].astype(str).str.slice(0, 10)
                 if "date_extracted" in out.columns else pd.Series("", index=out.index))
    vague = out["date_source"].isin(["tenure", "unknown"]) & published.str.match(
        r"^\d{4}-\d{2}-\d{2}$")
    for column in ("date", "date_min", "date_max"):
        out[column] = out[column].where(~vague, published)
    out["time_basis"] = np.where(vague, "publication", "engagement")
    return out


def trend_tables(article_themes: pd.DataFrame, articles: pd.DataFrame,
                 passages: pd.DataFrame, *, period: str = "month", n_boot: int = 1000,
                 random_state: int = 0, min_articles: int = 3) -> dict[str, pd.DataFrame]:
    """Return the trend tables of a run, keyed by file stem.

    ``trends_time`` (by ``period``), ``trends_<group>`` for each of :data:`GROUPS`
    present in ``articles``, ``contrast_time`` and ``contrast_counterpart``,
    ``topics_over_time`` and ``topics_per_counterpart``. Intervals are seeded
    bootstraps over articles; groups with fewer than ``min_articles`` (effective)
    articles are flagged in ``few_articles``, never dropped. Articles are placed in
    time by :func:`time_axis_dates`. The tables by counterpart, country and role count
    engagements only: articles with an empty ``counterpart`` (no engagement of the
    president reported) are left out of them, not pooled into an "unknown" group.
    """
    articles = time_axis_dates(articles)
    common = {"n_boot": n_boot, "random_state": random_state, "min_articles": min_articles}
    out = {"trends_time": theme_trends(article_themes, articles, "period", period=period,
                                       **common)}
    # "by counterpart" means by the official engaged: articles that report no
    # engagement of the president (empty counterpart) are not a group of their own
    engaged = articles
    if "counterpart" in articles.columns:
        engaged = articles[articles["counterpart"].fillna("").astype(str).str.strip() != ""]
    engaged_themes = article_themes[article_themes["article_id"].isin(engaged["article_id"])]
    engaged_passages = passages[passages["article_id"].isin(engaged["article_id"])]
    for stem, column in GROUPS.items():
        if column in articles.columns:
            out[f"trends_{stem}"] = theme_trends(engaged_themes, engaged, column, **common)
    out["contrast_time"] = contrast_trends(article_themes, articles, "period", period=period,
                                           **common)
    if "counterpart" in articles.columns:
        out["contrast_counterpart"] = contrast_trends(engaged_themes, engaged, "counterpart",
                                                      **common)
    out["topics_over_time"] = topic_shares_over_time(passages, articles, period)
    if "counterpart" in articles.columns:
        out["topics_per_counterpart"] = topic_shares_per_class(engaged_passages, engaged,
                                                               "counterpart")
    return out
