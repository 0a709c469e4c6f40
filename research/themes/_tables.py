"""The theme stage: passage scores, article shares, the concept axis and topic themes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._concept_axis import ConceptAxis, article_axis_scores
from ._scorer import ThemeScorer, article_theme_shares, dominant_theme
from ._topic_themes import map_topics_to_themes

__all__ = ["ThemeTables", "theme_tables"]


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
        topic, theme, score, evidence, ... (see :func:`map_topics_to_themes`).
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
    embedder : research.embed.Embedder
        Embeds the theme descriptions (same model as the passages).
    themes : optional
        Theme set (default: the shipped ``themes.yaml``).

    Returns
    -------
    ThemeTables
    """
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
