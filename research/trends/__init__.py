"""Trends: theme and topic shares by period and by group, with bootstrap intervals.

Table contract
--------------
:func:`trend_tables` takes ``article_themes`` (``article_id, theme, share``), the
article table (``article_id``, ``date``/``date_min``/``date_max``, counterpart
columns) and the passage table (``article_id``, ``topic``) and returns new tables,
keyed by file stem:

``trends_time``, ``trends_counterpart``, ``trends_country``, ``trends_role``
    ``<period or group>, theme, share, ci_low, ci_high, n_articles, n_effective,
    few_articles``;
``contrast_time``, ``contrast_counterpart``
    counterterrorism minus gaza_humanitarian with its interval;
``topics_over_time``, ``topics_per_counterpart``
    BERTopic topic shares per period / group.

Periods are ISO weeks (``2015-W31``), months, quarters or years
(:func:`period_of`); an article dated only to a window spreads its weight over the
window's days (:func:`article_period_weights`).
"""

from ._bootstrap import contrast_trends, theme_trends
from ._periods import (
    PERIODS,
    UNDATED,
    UNKNOWN,
    Period,
    article_period_weights,
    auto_period,
    central_span,
    group_order,
    group_weights,
    period_dates,
    period_of,
    period_range,
    to_datetime,
)
from ._tables import GROUPS, time_axis_dates, trend_tables
from ._topic_shares import topic_shares_over_time, topic_shares_per_class

__all__ = [
    "GROUPS",
    "PERIODS",
    "UNDATED",
    "UNKNOWN",
    "Period",
    "article_period_weights",
    "auto_period",
    "central_span",
    "contrast_trends",
    "group_order",
    "group_weights",
    "period_dates",
    "period_of",
    "period_range",
    "theme_trends",
    "time_axis_dates",
    "to_datetime",
    "topic_shares_over_time",
    "topic_shares_per_class",
    "trend_tables",
]
