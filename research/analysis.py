"""Theme and trend stages of a run: tables computed once from passages and embeddings.

:func:`theme_tables` scores passages against the theme set (zero-shot, calibrated,
with an explicit ``other``), aggregates them into article shares, places passages
and articles on the counterterrorism-versus-Gaza-humanitarian axis and maps each
topic to a theme with its evidence. :func:`trend_tables` turns article shares into
trend tables with bootstrap intervals by period, counterpart, country and role,
the counterterrorism-minus-gaza_humanitarian contrast, and topic shares per period
and per counterpart (computed here, since BERTopic's ``topics_over_time`` breaks
on pandas 3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ThemeTables", "theme_tables", "trend_tables", "time_axis_dates", "GROUPS"]

# Grouping columns of articles.csv for the trend tables: file stem → column.
GROUPS = {
    "counterpart": "counterpart",
    "country": "counterpart_country",
    "role": "counterpart_role",
}


@dataclass
class ThemeTables:
    """Outputs of :func:`theme_tables`.

    Attributes
    ----------
    passage_themes : DataFrame
        passage_id, article_id, theme, score (one row per passage and theme).
    article_themes : DataFrame
        article_id, theme, share (shares of an article sum to 1).
    dominant_theme : Series
        Dominant theme per article_id.
    passage_axis : ndarray of shape (n_passages,)
        Counterterrorism (+1) versus Gaza humanitarian (-1) axis score.
    article_axis : Series
        Length-weighted axis score per article_id.
    topic_themes : DataFrame
        topic, theme, score, evidence, ... (see :func:`research.themes.map_topics_to_themes`).
    """

    passage_themes: pd.DataFrame
    article_themes: pd.DataFrame
    dominant_theme: pd.Series
    passage_axis: np.ndarray
    article_axis: pd.Series
    topic_themes: pd.DataFrame


def theme_tables(passages: pd.DataFrame, embeddings: np.ndarray, topics: pd.DataFrame,
                 embedder, themes=None) -> ThemeTables:
    """Score passages against the themes and aggregate per article and topic.

    Parameters
    ----------
    passages : DataFrame
        article_id, passage_id, n_words, topic.
    embeddings : ndarray of shape (n_passages, dim)
        Raw passage embeddings (rows aligned with ``passages``).
    topics : DataFrame
        topic, top_words (``topics.csv``).
    embedder : research.embedding.Embedder
        Embeds the theme descriptions (same model as the passages).
    themes : optional
        Theme set (default: the shipped ``themes.yaml``).

    Returns
    -------
    ThemeTables
    """
    from research.concept_axis import ConceptAxis, article_axis_scores
    from research.themes import (
        ThemeScorer,
        article_theme_shares,
        dominant_theme,
        map_topics_to_themes,
    )

    scorer = ThemeScorer(themes=themes, embedder=embedder).fit(embeddings)
    scores = scorer.transform(embeddings)
    ids = list(scorer.theme_names_)
    long = pd.DataFrame(scores, columns=ids)
    long.insert(0, "passage_id", passages["passage_id"].to_numpy())
    long.insert(1, "article_id", passages["article_id"].to_numpy())
    passage_themes = long.melt(id_vars=["passage_id", "article_id"], var_name="theme",
                               value_name="score")
    order = {t: i for i, t in enumerate(ids)}
    passage_themes = passage_themes.sort_values(
        ["passage_id", "theme"], key=lambda s: s.map(order) if s.name == "theme" else s
    ).reset_index(drop=True)
    article_themes = article_theme_shares(passages, scores, ids)
    axis = ConceptAxis(themes=themes, embedder=embedder).fit()
    passage_axis = axis.decision_function(embeddings)
    article_axis = article_axis_scores(passages, passage_axis)
    topic_themes = map_topics_to_themes(topics, passages["topic"].to_numpy(), scores, ids,
                                        themes=themes)
    return ThemeTables(
        passage_themes=passage_themes,
        article_themes=article_themes,
        dominant_theme=dominant_theme(article_themes),
        passage_axis=passage_axis,
        article_axis=article_axis,
        topic_themes=topic_themes,
    )


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
    time by :func:`time_axis_dates`.
    """
    articles = time_axis_dates(articles)
    from research.trends import (
        contrast_trends,
        theme_trends,
        topic_shares_over_time,
        topic_shares_per_class,
    )

    common = {"n_boot": n_boot, "random_state": random_state, "min_articles": min_articles}
    out = {"trends_time": theme_trends(article_themes, articles, "period", period=period,
                                       **common)}
    for stem, column in GROUPS.items():
        if column in articles.columns:
            out[f"trends_{stem}"] = theme_trends(article_themes, articles, column, **common)
    out["contrast_time"] = contrast_trends(article_themes, articles, "period", period=period,
                                           **common)
    if "counterpart" in articles.columns:
        out["contrast_counterpart"] = contrast_trends(article_themes, articles, "counterpart",
                                                      **common)
    out["topics_over_time"] = topic_shares_over_time(passages, articles, period)
    if "counterpart" in articles.columns:
        out["topics_per_counterpart"] = topic_shares_per_class(passages, articles, "counterpart")
    return out
