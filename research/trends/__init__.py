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

:func:`effect_tables` takes the same tables (and the topic model's vectorizer) and
returns the tables that tell counterpart from time:

``theme_effects``, ``theme_margins``
    fractional logit regressions of theme shares on counterpart, period and outlet,
    clustered by story (:func:`theme_effects`): ``theme, term, estimate, ci_low,
    ci_high, p_value, n, ...`` and predicted shares per level ``theme, covariate,
    level, share, ci_low, ci_high, observed, ...``;
``theme_change``
    before/after differences per theme with bootstrap intervals, permutation
    p-values and Benjamini-Hochberg adjustment (:func:`theme_change`);
``topics_emerging``
    each topic's share in each period against its trailing window (:func:`topics_emerging`);
``topic_words_over_time``
    c-TF-IDF words of each topic within each period (:func:`topic_words_over_time`).

Periods are ISO weeks (``2015-W31``), months, quarters or years
(:func:`period_of`); an article dated only to a window spreads its weight over the
window's days (:func:`article_period_weights`). Bootstrap resamples are drawn a block
at a time (:func:`multinomial_blocks`), so memory is bounded whatever a group's size.
"""

from ._bootstrap import contrast_trends, theme_trends
from ._change import CHANGE_COLUMNS, benjamini_hochberg, theme_change
from ._effect_tables import CHANGE_AT, change_date, effect_formula, effect_tables
from ._effects import (
    DEFAULT_FORMULA,
    EFFECT_COLUMNS,
    INTERVALS,
    MARGIN_COLUMNS,
    Interval,
    ThemeEffects,
    cluster_covariance,
    theme_effects,
)
from ._effects_frame import OTHER_LEVELS, EffectFrame, effect_frame, other_label
from ._emerging import EMERGING_COLUMNS, topics_emerging
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
    to_period,
)
from ._resample import BOOTSTRAP_BLOCK_BYTES, group_rng, multinomial_blocks, story_labels
from ._tables import GROUPS, time_axis_dates, trend_tables
from ._topic_shares import topic_shares_over_time, topic_shares_per_class
from ._topic_words import TOPIC_WORD_COLUMNS, topic_words_over_time

__all__ = [
    "BOOTSTRAP_BLOCK_BYTES",
    "CHANGE_AT",
    "CHANGE_COLUMNS",
    "DEFAULT_FORMULA",
    "EFFECT_COLUMNS",
    "EMERGING_COLUMNS",
    "GROUPS",
    "INTERVALS",
    "MARGIN_COLUMNS",
    "OTHER_LEVELS",
    "PERIODS",
    "TOPIC_WORD_COLUMNS",
    "UNDATED",
    "UNKNOWN",
    "EffectFrame",
    "Interval",
    "Period",
    "ThemeEffects",
    "article_period_weights",
    "auto_period",
    "benjamini_hochberg",
    "central_span",
    "change_date",
    "cluster_covariance",
    "contrast_trends",
    "effect_formula",
    "effect_frame",
    "effect_tables",
    "group_order",
    "group_rng",
    "group_weights",
    "multinomial_blocks",
    "other_label",
    "period_dates",
    "period_of",
    "period_range",
    "to_period",
    "story_labels",
    "theme_change",
    "theme_effects",
    "theme_trends",
    "time_axis_dates",
    "to_datetime",
    "topic_shares_over_time",
    "topic_shares_per_class",
    "topic_words_over_time",
    "topics_emerging",
    "trend_tables",
]
