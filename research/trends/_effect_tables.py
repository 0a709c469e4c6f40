"""The effect and change stage: the tables that separate counterpart from time."""

from __future__ import annotations

import pandas as pd

from ._change import theme_change
from ._effects import theme_effects
from ._emerging import topics_emerging
from ._periods import to_datetime
from ._tables import time_axis_dates
from ._topic_words import topic_words_over_time

__all__ = ["CHANGE_AT", "change_date", "effect_formula", "effect_tables"]

#: The default before/after split: 7 October 2023, the start of the Gaza war (the
#: package's question is how counterterrorism and Gaza humanitarian aid trade places).
CHANGE_AT = "2023-10-07"


def effect_formula(articles: pd.DataFrame) -> str:
    """Return the regression formula for a run: counterpart, period and outlet when known.

    ``C(counterpart) + C(period) + C(source)``, leaving out ``counterpart`` and
    ``source`` when ``articles`` lacks the column or has no value in it (the seeds
    have no ``source``).
    """
    terms = []
    for column in ("counterpart", "period", "source"):
        if column == "period":
            terms.append("C(period)")
            continue
        if column in articles.columns and \
                (articles[column].fillna("").astype(str).str.strip() != "").any():
            terms.append(f"C({column})")
    return " + ".join(terms)


def change_date(articles: pd.DataFrame, preferred: str = CHANGE_AT, min_articles: int = 3) -> str:
    """Choose the date that splits a run into before and after.

    ``preferred`` when at least ``min_articles`` dated articles fall on each side of
    it; otherwise the median date of the dated articles (the first date of the later
    half), so that a run from another time (SaudiNewsNet's 2015) still gets a
    before/after comparison, of its first and second half. ``preferred`` when the
    dates do not split at all.

    Parameters
    ----------
    articles : DataFrame
        ``date`` (articles dated only to a window are not counted here).
    preferred : str, default="2023-10-07"
    min_articles : int, default=3

    Returns
    -------
    str
        An ISO date.
    """
    dates = to_datetime(articles["date"] if "date" in articles else []).dropna().sort_values()
    cut = pd.Timestamp(preferred)
    if (dates < cut).sum() >= min_articles and (dates >= cut).sum() >= min_articles:
        return preferred
    if len(dates) < 2:
        return preferred
    median = dates.iloc[len(dates) // 2]
    if median == dates.iloc[0]:
        later = dates[dates > median]
        if later.empty:
            return preferred
        median = later.iloc[0]
    return median.strftime("%Y-%m-%d")


def effect_tables(article_themes: pd.DataFrame, articles: pd.DataFrame, passages: pd.DataFrame,
                  *, period: str, vectorizer=None, topics: pd.DataFrame | None = None,
                  formula: str | None = None, change_at: str | None = None,
                  n_boot: int = 1000, random_state: int = 0) -> dict[str, pd.DataFrame]:
    """Return the effect and change tables of a run, keyed by file stem.

    Articles are placed in time by :func:`~research.trends.time_axis_dates`.

    Parameters
    ----------
    article_themes : DataFrame
        ``article_id, theme, share`` of the counted articles.
    articles : DataFrame
        The counted articles (annotation and story columns).
    passages : DataFrame
        ``article_id, passage_id, text, topic`` of the counted articles.
    period : {"week", "month", "quarter", "year"}
        The run's trend period.
    vectorizer : sklearn CountVectorizer, optional
        The topic model's; without it ``topic_words_over_time`` is not computed.
    topics : DataFrame, optional
        ``topic, label``.
    formula : str, optional
        Default :func:`effect_formula`.
    change_at : str, optional
        Default :func:`change_date`.
    n_boot, random_state : int

    Returns
    -------
    dict of str to DataFrame
        ``theme_effects``, ``theme_margins`` (:func:`~research.trends.theme_effects`,
        delta-method intervals), ``theme_change`` (:func:`~research.trends.theme_change`
        at ``change_at``), ``topics_emerging`` (:func:`~research.trends.topics_emerging`)
        and ``topic_words_over_time`` (:func:`~research.trends.topic_words_over_time`).
    """
    articles = time_axis_dates(articles)
    effects = theme_effects(article_themes, articles, formula or effect_formula(articles),
                            period=period, random_state=random_state)
    out = {"theme_effects": effects.effects, "theme_margins": effects.margins,
           "theme_change": theme_change(article_themes, articles,
                                        at=change_at or change_date(articles), n_boot=n_boot,
                                        random_state=random_state),
           "topics_emerging": topics_emerging(passages, articles, period, topics=topics,
                                              n_boot=n_boot, random_state=random_state)}
    if vectorizer is not None:
        out["topic_words_over_time"] = topic_words_over_time(passages, articles, period,
                                                             vectorizer)
    return out
