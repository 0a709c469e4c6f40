"""The theme stage: passage scores, article shares, the concept axis and topic themes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._concept_axis import ConceptAxis, article_axis_scores
from ._scorer import ThemeScorer, article_theme_shares, article_weighted_mean, dominant_theme
from ._theme_set import OTHER
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
    background : Series
        Per article_id, the background subject of ``other`` it is closer to than to
        every theme ('' for articles on the study's themes); such articles are
        wholly "other" in ``article_themes``.
    """

    passage_themes: pd.DataFrame
    article_themes: pd.DataFrame
    dominant_theme: pd.Series
    passage_axis: np.ndarray
    article_axis: pd.Series
    topic_themes: pd.DataFrame
    background: pd.Series


def theme_tables(passages: pd.DataFrame, embeddings: np.ndarray, topics: pd.DataFrame,
                 embedder, themes=None, headlines: pd.Series | None = None) -> ThemeTables:
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
    headlines : Series, optional
        Headline of each article (index ``article_id``). A headline says what its
        article is about, so it counts in the article's theme shares like one more
        passage, weighted by the mean length of the article's passages; empty
        headlines are left out. Passage scores and the topic mapping do not use it.

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
    rows, row_embeddings = _with_headlines(passages, embeddings, headlines, embedder)
    row_scores = scorer.transform(row_embeddings)
    article_themes = article_theme_shares(rows, row_scores, ids)
    background = _background(rows, row_embeddings, scorer)
    off = article_themes["article_id"].map(background).fillna("") != ""
    if off.any():
        article_themes["share"] = np.where(off, (article_themes["theme"] == OTHER).astype(float),
                                           article_themes["share"])
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
        background=background,
    )


def _with_headlines(passages: pd.DataFrame, embeddings: np.ndarray, headlines: pd.Series | None,
                    embedder) -> tuple[pd.DataFrame, np.ndarray]:
    """Passages (article_id, n_words) and embeddings, plus a row per non-empty headline."""
    rows = passages[["article_id", "n_words"]]
    if headlines is None:
        return rows, embeddings
    mean_words = passages.groupby("article_id", sort=False)["n_words"].mean()
    titles = headlines.fillna("").astype(str).str.strip()
    titles = titles[(titles != "") & titles.index.isin(mean_words.index)]
    if titles.empty:
        return rows, embeddings
    extra = pd.DataFrame({"article_id": titles.index,
                          "n_words": mean_words[titles.index].to_numpy()})
    table = pd.concat([rows, extra], ignore_index=True)
    return table, np.vstack([embeddings, embedder.embed_passages(titles.tolist())])


def _background(rows: pd.DataFrame, embeddings: np.ndarray, scorer: ThemeScorer) -> pd.Series:
    """Per article, the background subject it is closer to than to every theme, else ''."""
    ids = rows["article_id"].to_numpy()
    if scorer.background_.shape[0] == 0:
        return pd.Series("", index=pd.unique(ids), dtype=object)
    weights = rows["n_words"].to_numpy(dtype=float)
    themes = article_weighted_mean(rows, scorer.decision_function(embeddings), weight=weights)
    background = article_weighted_mean(rows, scorer.background_function(embeddings),
                                       weight=weights)
    closer = background.max(axis=1) > themes.max(axis=1)
    names = np.asarray(scorer.background_names_, dtype=object)[background.to_numpy().argmax(1)]
    return pd.Series(np.where(closer, names, ""), index=background.index, dtype=object)
