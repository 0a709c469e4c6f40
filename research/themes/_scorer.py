"""Themes: a hand-written theme set, zero-shot passage scores and article shares.

The theme set (``research/data/themes.yaml``, :func:`~research.themes.load_themes`)
names the frames this study looks for, each with an English name, an Arabic name,
Arabic descriptions and Arabic seed terms. :class:`ThemeScorer` scores passage embeddings
against it and :func:`article_theme_shares` turns passage scores into article shares.
:func:`~research.themes.map_topics_to_themes` links BERTopic topics to themes and
:func:`~research.themes.theme_seed_topic_list` hands the seeds to BERTopic's guided mode.

Calibration of the zero-shot scores
-----------------------------------
E5 embeddings are anisotropic: every pair of texts has a cosine near 0.8, so raw
cosines to the theme descriptions are nearly flat. :class:`ThemeScorer`

1. embeds every description and seed of a theme as an E5 query, centres these
   vectors on the mean over all themes (what is left is what tells one theme from
   another) and averages them into one unit *prototype* per theme;
2. centres passage embeddings on a *theme-balanced* reference mean learnt in
   ``fit``: the mean of the per-theme means of the fitting passages, each passage
   grouped under its provisional best theme (or "other"), iterated until the
   grouping is stable. A plain corpus mean would subtract the corpus's majority
   theme from itself (four of the five seed articles are about terrorism);
3. scores each passage by the cosine of its centred vector with each prototype,
   and turns the scores into probabilities with a softmax at ``temperature``
   over the themes plus a constant "other" logit equal to ``other_threshold``:
   a passage whose best centred cosine is below the threshold is mostly "other".

Subjects outside the study (sport, culture, weather ...) often lean to one theme or
another (a football report to Libya, a charity visit to Gaza aid) because every
theme competes only with a constant. The theme set's ``other`` may therefore list
*background* descriptions; :meth:`ThemeScorer.background_function` scores passages
against them like against the themes, and :func:`research.themes.theme_tables`
makes an article "other" when its mean similarity to a background subject exceeds
its mean similarity to every theme (on the SaudiNewsNet articles that do not
mention Egypt, this took the share of unrelated articles given "other" from 0.28
to 0.74; see the README).
"""

from __future__ import annotations

import logging
import warnings
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from research.embed import resolve_embedder
from research.text import passage_weights

from ._theme_set import OTHER, load_themes

__all__ = ["ThemeScorer", "article_theme_shares", "article_weighted_mean", "dominant_theme"]

logger = logging.getLogger(__name__)


def _unit(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(norm, 1e-12)


class ThemeScorer(TransformerMixin, BaseEstimator):
    """Zero-shot theme probabilities of passage embeddings.

    See the module docstring for the calibration.

    Parameters
    ----------
    themes : path, sequence or None, default=None
        Theme set (anything :func:`load_themes` accepts); ``None`` for the shipped one.
    embedder : Embedder, optional
        Embeds the theme texts (``embed_queries``); default
        :func:`research.embed.get_embedder`. Must be the model that embedded
        the passages.
    temperature : float, default=0.05
        Softmax temperature, in units of centred cosine. Lower is more decisive.
    other_threshold : float, default=0.1
        Centred cosine at which "other" ties with a theme; a passage whose best
        theme scores below it is mostly "other".
    center : {"balanced", "mean", "none"}, default="balanced"
        Reference mean subtracted from passages: theme-balanced (see module
        docstring), the plain mean of the fitting passages, or none.
    max_iter : int, default=20
        Most regrouping rounds for the balanced centre.

    Attributes
    ----------
    themes_ : tuple of Theme
        The theme set, ``other`` last.
    theme_names_ : list of str
        Column names of :meth:`transform` (theme ids, ``"other"`` last).
    prototypes_ : ndarray of shape (n_themes, n_features)
        Unit prototype of each theme but ``other``.
    center_ : ndarray of shape (n_features,)
        Reference mean subtracted from passage embeddings.
    n_iter_ : int
        Regrouping rounds run for the balanced centre (0 otherwise).
    background_ : ndarray of shape (n_background, n_features)
        Unit prototypes of the background subjects of ``other`` (may be empty).
    background_names_ : list of str
        The background descriptions, in the order of ``background_``.
    n_features_in_ : int
        Embedding dimension.
    """

    def __init__(self, themes=None, embedder=None, temperature: float = 0.05,
                 other_threshold: float = 0.1,
                 center: Literal["balanced", "mean", "none"] = "balanced", max_iter: int = 20):
        self.themes = themes
        self.embedder = embedder
        self.temperature = temperature
        self.other_threshold = other_threshold
        self.center = center
        self.max_iter = max_iter

    def fit(self, X, y=None):
        """Embed the theme set and learn the reference mean from ``X``.

        Parameters
        ----------
        X : array-like of shape (n_passages, n_features)
            Passage embeddings of the corpus (or of a reference corpus).
        y : None
            Ignored.

        Returns
        -------
        self
        """
        if self.center not in ("balanced", "mean", "none"):
            raise ValueError(f"center must be 'balanced', 'mean' or 'none', got {self.center!r}")
        if not self.temperature > 0:
            raise ValueError(f"temperature must be > 0, got {self.temperature!r}")
        X = validate_data(self, X, dtype=np.float64)
        self.themes_ = load_themes(self.themes)
        self.theme_names_ = [t.id for t in self.themes_]
        embedder = resolve_embedder(self.embedder)
        queries = [np.asarray(embedder.embed_queries(list(t.prototypes)), dtype=np.float64)
                   for t in self.themes_[:-1]]
        if queries[0].shape[1] != X.shape[1]:
            raise ValueError(f"theme embeddings have {queries[0].shape[1]} dimensions, "
                             f"passages {X.shape[1]}: use the embedder of the passages")
        query_mean = np.vstack(queries).mean(axis=0)
        self.prototypes_ = _unit(np.stack([_unit(q - query_mean).mean(axis=0) for q in queries]))
        background = list(self.themes_[-1].background)
        self.background_names_ = background
        self.background_ = (
            _unit(_unit(np.asarray(embedder.embed_queries(background), dtype=np.float64)
                        - query_mean))
            if background else np.zeros((0, X.shape[1])))
        self.n_iter_ = 0
        if self.center == "none":
            self.center_ = np.zeros(X.shape[1])
        else:
            if X.shape[0] < 10:
                warnings.warn(f"ThemeScorer fitted on {X.shape[0]} passages: the reference "
                              "mean is unreliable; fit on the corpus or a reference set",
                              stacklevel=2)
            self.center_ = X.mean(axis=0)
            if self.center == "balanced":
                self._fit_balanced_center(X)
        logger.debug("ThemeScorer fitted on %d passages, %d themes, centre %s (%d rounds)",
                     X.shape[0], len(self.prototypes_), self.center, self.n_iter_)
        return self

    def _fit_balanced_center(self, X: np.ndarray) -> None:
        groups = None
        for it in range(1, self.max_iter + 1):
            sims = _unit(X - self.center_) @ self.prototypes_.T
            new = np.where(sims.max(axis=1) >= self.other_threshold, sims.argmax(axis=1), -1)
            self.n_iter_ = it
            if groups is not None and np.array_equal(new, groups):
                break
            groups = new
            self.center_ = np.mean([X[groups == g].mean(axis=0) for g in np.unique(groups)], axis=0)

    def decision_function(self, X) -> np.ndarray:
        """Centred cosine of each passage with each theme prototype.

        Returns
        -------
        ndarray of shape (n_passages, n_themes - 1)
            One column per theme but ``other``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return _unit(X - self.center_) @ self.prototypes_.T

    def background_function(self, X) -> np.ndarray:
        """Centred cosine of each passage with each background subject of ``other``.

        Returns
        -------
        ndarray of shape (n_passages, n_background)
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return _unit(X - self.center_) @ self.background_.T

    def transform(self, X) -> np.ndarray:
        """Theme probabilities of each passage.

        Returns
        -------
        ndarray of shape (n_passages, n_themes)
            Columns :attr:`theme_names_` (``other`` last); rows sum to 1.
        """
        check_is_fitted(self)
        sims = self.decision_function(X)
        logits = np.hstack([sims, np.full((sims.shape[0], 1), self.other_threshold)])
        logits = logits / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """Most probable theme id of each passage, shape (n_passages,)."""
        return np.asarray(self.theme_names_, dtype=object)[self.transform(X).argmax(axis=1)]

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Theme ids, the column names of :meth:`transform`."""
        check_is_fitted(self)
        return np.asarray(self.theme_names_, dtype=object)


def article_weighted_mean(passages: pd.DataFrame, values, *, weight="n_words") -> pd.DataFrame:
    """Length-weighted mean of passage values per article.

    Parameters
    ----------
    passages : DataFrame
        Has ``article_id`` and the weight column; rows aligned with ``values``.
    values : array-like of shape (n_passages,) or (n_passages, n_columns), or DataFrame
    weight : str, array-like or None, default="n_words"
        Column of ``passages`` (``"n_words"`` or ``"n_tokens"``), explicit weights,
        or ``None`` for equal weights. An article whose weights are all zero gets
        equal weights.

    Returns
    -------
    DataFrame
        Indexed by ``article_id`` (first-appearance order), one column per value column.
    """
    vals = values if isinstance(values, pd.DataFrame) else pd.DataFrame(np.asarray(values))
    if len(vals) != len(passages):
        raise ValueError(f"{len(vals)} value rows for {len(passages)} passages")
    w = passage_weights(passages, weight)
    ids = passages["article_id"].to_numpy()
    zero = pd.Series(w).groupby(ids, sort=False).transform("sum").to_numpy() == 0
    w = np.where(zero, 1.0, w)
    weighted = vals.reset_index(drop=True).mul(w, axis=0)
    sums = weighted.groupby(ids, sort=False).sum()
    out = sums.div(pd.Series(w).groupby(ids, sort=False).sum(), axis=0)
    out.index.name = "article_id"
    return out


def article_theme_shares(passages: pd.DataFrame, scores, theme_ids=None, *,
                         weight="n_words") -> pd.DataFrame:
    """Theme shares of each article: length-weighted mean of its passage scores.

    Parameters
    ----------
    passages : DataFrame
        Has ``article_id`` and the weight column; rows aligned with ``scores``.
    scores : array-like of shape (n_passages, n_themes) or DataFrame
        Passage theme probabilities (:meth:`ThemeScorer.transform`).
    theme_ids : sequence of str, optional
        Column names of ``scores`` (e.g. ``scorer.theme_names_``); taken from
        ``scores`` when it is a DataFrame.
    weight : str, array-like or None, default="n_words"
        See :func:`article_weighted_mean`.

    Returns
    -------
    DataFrame
        Columns ``article_id, theme, share``: every article with every theme, in
        first-appearance and theme order. Shares of an article sum to 1 (they are
        renormalised, so unnormalised scores are accepted too).
    """
    if isinstance(scores, pd.DataFrame):
        table = scores if theme_ids is None else scores[list(theme_ids)]
    else:
        if theme_ids is None:
            raise ValueError("theme_ids is required when scores is an array")
        table = pd.DataFrame(np.asarray(scores, dtype=float), columns=list(theme_ids))
    if (table.to_numpy() < 0).any():
        raise ValueError("theme scores must be non-negative probabilities")
    means = article_weighted_mean(passages, table, weight=weight)
    means = means.div(means.sum(axis=1).replace(0, 1), axis=0)
    long = means.reset_index().melt(id_vars="article_id", var_name="theme", value_name="share")
    order = {a: i for i, a in enumerate(means.index)}
    long["_a"] = long["article_id"].map(order)
    long = long.sort_values("_a", kind="stable").drop(columns="_a")
    return long.reset_index(drop=True)


def dominant_theme(article_themes: pd.DataFrame, *, include_other: bool = True) -> pd.Series:
    """Theme with the largest share of each article.

    Parameters
    ----------
    article_themes : DataFrame
        ``article_id, theme, share`` (:func:`article_theme_shares`).
    include_other : bool, default=True
        When False, ``other`` cannot be dominant.

    Returns
    -------
    Series
        Named ``dominant_theme``, indexed by ``article_id``. Ties go to the theme
        listed first.
    """
    table = article_themes.pivot(index="article_id", columns="theme", values="share")
    table = table.reindex(index=pd.unique(article_themes["article_id"]),
                          columns=pd.unique(article_themes["theme"]))
    if not include_other:
        table = table.drop(columns=[OTHER], errors="ignore")
    out = table.idxmax(axis=1)
    out.name = "dominant_theme"
    return out
