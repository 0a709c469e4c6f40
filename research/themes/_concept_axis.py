"""A concept axis in embedding space: counterterrorism (+1) versus Gaza humanitarian (-1).

The axis runs between two *poles*, each the texts (descriptions and seeds) of one
theme, embedded the same way as passages (``"passage: "`` prefix, so passages and
poles are compared like with like). With ``a`` and ``b`` the pole means and
``u = (a - b) / |a - b|``, a passage ``x`` scores

    (x - (a + b) / 2) · u  /  ((a - b) · u / 2)

so the mean of pole A scores +1, the mean of pole B -1 and the midpoint 0. The
direction is a difference of means, which cancels the component that all E5
embeddings share (their anisotropy), and nothing is estimated from the corpus:
the score of a passage does not depend on the other passages, so the axis works
for a handful of articles. Scores are not clipped; whole passages, which mix
themes, mostly fall inside [-1, 1]; a passage more single-minded than the pole
texts passes ±1 (seed passages range from -0.8 to 1.5, seed articles from -0.4
to 0.9).

An article's score is the length-weighted mean of its passage scores
(:func:`article_axis_scores`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from research.embed import resolve_embedder

from ._scorer import article_weighted_mean
from ._theme_set import OTHER, load_themes

__all__ = ["ConceptAxis", "article_axis_scores"]


class ConceptAxis(TransformerMixin, BaseEstimator):
    """Signed position of passages between two themes.

    Parameters
    ----------
    pole_a : str, default="counterterrorism"
        Theme id of the positive pole.
    pole_b : str, default="gaza_humanitarian"
        Theme id of the negative pole.
    themes : optional
        Theme set (anything :func:`research.themes.load_themes` accepts).
    embedder : Embedder, optional
        Embeds the pole texts; default :func:`research.embed.get_embedder`.
        Must be the model that embedded the passages.
    prefix : {"passage", "query"}, default="passage"
        How the pole texts are embedded.

    Attributes
    ----------
    direction_ : ndarray of shape (n_features,)
        Unit vector from pole B to pole A.
    offset_ : float
        Projection of the pole midpoint on ``direction_``.
    scale_ : float
        Half the distance between the poles along ``direction_``.
    n_features_in_ : int
        Embedding dimension.
    """

    def __init__(self, pole_a: str = "counterterrorism", pole_b: str = "gaza_humanitarian",
                 themes=None, embedder=None, prefix: Literal["passage", "query"] = "passage"):
        self.pole_a = pole_a
        self.pole_b = pole_b
        self.themes = themes
        self.embedder = embedder
        self.prefix = prefix

    def fit(self, X=None, y=None):
        """Embed the pole texts and build the axis.

        Parameters
        ----------
        X : array-like of shape (n_passages, n_features), optional
            Only checked for its dimension; the axis does not depend on the corpus.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        if self.prefix not in ("passage", "query"):
            raise ValueError(f"prefix must be 'passage' or 'query', got {self.prefix!r}")
        themes = {t.id: t for t in load_themes(self.themes)}
        for pole in (self.pole_a, self.pole_b):
            if pole not in themes or pole == OTHER:
                raise ValueError(f"pole {pole!r} is not a theme; choose from "
                                 f"{[t for t in themes if t != 'other']}")
        if self.pole_a == self.pole_b:
            raise ValueError("pole_a and pole_b must differ")
        embedder = resolve_embedder(self.embedder)
        embed = embedder.embed_passages if self.prefix == "passage" else embedder.embed_queries
        a = np.asarray(embed(list(themes[self.pole_a].prototypes)), dtype=np.float64).mean(0)
        b = np.asarray(embed(list(themes[self.pole_b].prototypes)), dtype=np.float64).mean(0)
        diff = a - b
        self.direction_ = diff / np.linalg.norm(diff)
        self.offset_ = float((a + b) @ self.direction_ / 2)
        self.scale_ = float(diff @ self.direction_ / 2)
        if X is not None:
            validate_data(self, X, dtype=np.float64)
            if self.n_features_in_ != self.direction_.shape[0]:
                raise ValueError(f"passages have {self.n_features_in_} dimensions, the poles "
                                 f"{self.direction_.shape[0]}: use the embedder of the passages")
        else:
            self.n_features_in_ = int(self.direction_.shape[0])
        return self

    def decision_function(self, X) -> np.ndarray:
        """Axis score of each passage, shape (n_passages,); +1 = pole A, -1 = pole B."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return (X @ self.direction_ - self.offset_) / self.scale_

    def transform(self, X) -> np.ndarray:
        """Axis score as a one-column array, shape (n_passages, 1)."""
        return self.decision_function(X)[:, None]

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Return the single output column name, ``"<pole_a>_vs_<pole_b>"``."""
        check_is_fitted(self)
        return np.asarray([f"{self.pole_a}_vs_{self.pole_b}"], dtype=object)


def article_axis_scores(passages: pd.DataFrame, axis_scores, *, weight="n_words",
                        name: str = "axis_score") -> pd.Series:
    """Article axis score: length-weighted mean of its passage scores.

    Parameters
    ----------
    passages : DataFrame
        Has ``article_id`` and the weight column; rows aligned with ``axis_scores``.
    axis_scores : array-like of shape (n_passages,) or (n_passages, 1)
    weight : str, array-like or None, default="n_words"
        See :func:`research.themes.article_weighted_mean`.
    name : str, default="axis_score"
        Name of the returned Series.

    Returns
    -------
    Series
        Indexed by ``article_id``.
    """
    values = np.asarray(axis_scores, dtype=float).reshape(len(passages), -1)
    if values.shape[1] != 1:
        raise ValueError(f"axis_scores must have one value per passage, got shape {values.shape}")
    out = article_weighted_mean(passages, values, weight=weight).iloc[:, 0]
    out.name = name
    return out
