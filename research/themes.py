"""Themes: a hand-written theme set, zero-shot passage scores and article shares.

The theme set (``research/data/themes.yaml``) names the frames this study looks
for, each with an English name, an Arabic name, Arabic descriptions and Arabic
seed terms. :class:`ThemeScorer` scores passage embeddings against it,
:func:`article_theme_shares` turns passage scores into article shares,
:func:`map_topics_to_themes` links BERTopic topics to themes and
:func:`theme_seed_topic_list` hands the seeds to BERTopic's guided mode.

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
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = [
    "OTHER",
    "REQUIRED_THEMES",
    "Theme",
    "load_themes",
    "theme_labels",
    "theme_seed_terms",
    "theme_seed_topic_list",
    "ThemeScorer",
    "article_theme_shares",
    "article_weighted_mean",
    "dominant_theme",
    "map_topics_to_themes",
]

logger = logging.getLogger(__name__)

OTHER = "other"
REQUIRED_THEMES = ("counterterrorism", "gaza_humanitarian")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Theme:
    """One theme of the theme set.

    Attributes
    ----------
    id : str
        Snake-case identifier used in tables.
    name, name_ar : str
        English and Arabic names (figure labels).
    descriptions : tuple of str
        Arabic descriptions; the first is the main one.
    seeds : tuple of str
        Arabic seed terms and phrases (empty for ``other``).
    """

    id: str
    name: str
    name_ar: str
    descriptions: tuple[str, ...]
    seeds: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """English and Arabic name, as shown in figures."""
        return f"{self.name} · {self.name_ar}"

    @property
    def prototypes(self) -> tuple[str, ...]:
        """The texts embedded for zero-shot scoring (descriptions, then seeds)."""
        return self.descriptions + self.seeds


def _theme_from_dict(entry: Mapping[str, Any]) -> Theme:
    if not isinstance(entry, Mapping):
        raise ValueError(f"each theme must be a mapping, got {entry!r}")
    missing = [k for k in ("id", "name", "name_ar", "descriptions") if not entry.get(k)]
    if missing:
        raise ValueError(f"theme {entry.get('id', '?')!r} lacks required field(s) {missing}")
    unknown = set(entry) - {"id", "name", "name_ar", "descriptions", "seeds"}
    if unknown:
        raise ValueError(f"theme {entry['id']!r} has unknown field(s) {sorted(unknown)}")

    def texts(key: str) -> tuple[str, ...]:
        value = entry.get(key) or ()
        if isinstance(value, str) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError(f"theme {entry['id']!r}: {key} must be a list of non-empty strings")
        return tuple(v.strip() for v in value)

    return Theme(id=str(entry["id"]), name=str(entry["name"]), name_ar=str(entry["name_ar"]),
                 descriptions=texts("descriptions"), seeds=texts("seeds"))


def _validate(themes: Sequence[Theme]) -> tuple[Theme, ...]:
    ids = [t.id for t in themes]
    bad = [i for i in ids if not _ID.match(i)]
    if bad:
        raise ValueError(f"theme ids must be snake_case ([a-z][a-z0-9_]*), got {bad}")
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate theme ids: {dupes}")
    for t in themes:
        if t.id == OTHER and t.seeds:
            raise ValueError("'other' is the no-theme option and takes no seeds")
        if t.id != OTHER and not t.seeds:
            raise ValueError(f"theme {t.id!r} needs at least one seed term")
    absent = [r for r in REQUIRED_THEMES if r not in ids]
    if absent:
        raise ValueError(f"the theme set must define {list(REQUIRED_THEMES)}; missing {absent}")
    other = [t for t in themes if t.id == OTHER] or [
        Theme(OTHER, "Other / no theme", "أخرى", ("نص لا ينتمي إلى أي من الموضوعات",))
    ]
    return tuple(t for t in themes if t.id != OTHER) + (other[0],)


def load_themes(source: str | Path | Sequence | Mapping | None = None) -> tuple[Theme, ...]:
    """Load and validate a theme set.

    Parameters
    ----------
    source : path, mapping, sequence or None
        ``None`` for the shipped ``research/data/themes.yaml``; a YAML path; the
        parsed YAML (a mapping with a ``themes`` list, or the list itself); or a
        sequence of :class:`Theme`.

    Returns
    -------
    tuple of Theme
        The themes in file order, with ``other`` last (added if absent).
    """
    if source is None:
        import yaml

        text = resources.files("research").joinpath("data/themes.yaml").read_text("utf-8")
        source = yaml.safe_load(text)
    elif isinstance(source, str | Path):
        import yaml

        source = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    if isinstance(source, Mapping):
        source = source.get("themes")
    if not isinstance(source, Sequence) or isinstance(source, str) or not source:
        raise ValueError("a theme set is a non-empty list of themes")
    themes = [t if isinstance(t, Theme) else _theme_from_dict(t) for t in source]
    return _validate(themes)


def theme_labels(themes=None) -> dict[str, str]:
    """Return ``{theme id: "English name · Arabic name"}`` for figure labels."""
    return {t.id: t.label for t in load_themes(themes)}


@lru_cache(maxsize=1)
def _unigram_analyzer():
    from research.arabic import ArabicAnalyzer

    return ArabicAnalyzer(ngram_range=(1, 1))


def _content_tokens(phrase: str) -> list[str]:
    return _unigram_analyzer()(phrase)


def theme_seed_terms(themes=None, *, max_ngram: int = 2) -> dict[str, list[str]]:
    """Normalised seed n-grams per theme, in the vocabulary of the topic model.

    Each seed phrase goes through :class:`research.arabic.ArabicAnalyzer`
    (normalisation, proclitic stripping, stop words). A phrase of at most
    ``max_ngram`` content words gives one term; a longer one gives its
    ``max_ngram``-grams, since longer n-grams never occur in the vocabulary.

    Returns
    -------
    dict
        ``{theme id: [term, ...]}`` for every theme but ``other``.
    """
    out: dict[str, list[str]] = {}
    for t in load_themes(themes):
        if t.id == OTHER:
            continue
        terms: list[str] = []
        for phrase in t.seeds:
            tokens = _content_tokens(phrase)
            n = min(len(tokens), max_ngram)
            for i in range(len(tokens) - n + 1 if n else 0):
                term = " ".join(tokens[i:i + n])
                if term not in terms:
                    terms.append(term)
        out[t.id] = terms
    return out


def theme_seed_topic_list(themes=None, *, max_ngram: int = 2) -> list[list[str]]:
    """Seed words for BERTopic's ``seed_topic_list``, one list per theme but ``other``.

    See :func:`theme_seed_terms` for how the terms are normalised.
    """
    return list(theme_seed_terms(themes, max_ngram=max_ngram).values())


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
        :func:`research.embedding.get_embedder`. Must be the model that embedded
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
        embedder = self.embedder
        if embedder is None:
            from research.embedding import get_embedder

            embedder = get_embedder()
        queries = [np.asarray(embedder.embed_queries(list(t.prototypes)), dtype=np.float64)
                   for t in self.themes_[:-1]]
        if queries[0].shape[1] != X.shape[1]:
            raise ValueError(f"theme embeddings have {queries[0].shape[1]} dimensions, "
                             f"passages {X.shape[1]}: use the embedder of the passages")
        query_mean = np.vstack(queries).mean(axis=0)
        self.prototypes_ = _unit(np.stack([_unit(q - query_mean).mean(axis=0) for q in queries]))
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


def _passage_weights(passages: pd.DataFrame, weight) -> np.ndarray:
    if weight is None:
        return np.ones(len(passages))
    if isinstance(weight, str):
        if weight not in passages.columns:
            raise ValueError(f"weight column {weight!r} not in passages "
                             f"(columns: {list(passages.columns)}); use 'n_words', "
                             "'n_tokens' or None")
        w = pd.to_numeric(passages[weight], errors="coerce").to_numpy(dtype=float)
    else:
        w = np.asarray(weight, dtype=float)
    if w.shape != (len(passages),) or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("passage weights must be finite, non-negative, one per passage")
    return w


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
    w = _passage_weights(passages, weight)
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


def _split_words(value) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return [w.strip() for w in re.split(r"[,;|،\n]", value) if w.strip()]
    return [str(w).strip() for w in value if str(w).strip()]


def map_topics_to_themes(topics: pd.DataFrame, passage_topics, passage_scores,
                         theme_ids=None, *, themes=None, word_weight: float = 0.25,
                         outlier_topic: int | None = -1) -> pd.DataFrame:
    """Map every topic to a theme (or ``other``) and keep the evidence.

    A topic's score for a theme is ``(1 - word_weight) * m + word_weight * f``,
    where ``m`` is the mean theme probability of the topic's passages and ``f`` the
    fraction of its top words that match the theme's seed terms (equal after
    normalisation, or sharing a seed word that belongs to this theme only). The
    topic goes to the best-scoring theme; ``other`` competes through ``m`` only.

    Parameters
    ----------
    topics : DataFrame
        ``topic`` and optionally ``top_words`` (a list, or a string separated by
        commas, semicolons, bars or newlines) and ``label``.
    passage_topics : array-like of shape (n_passages,)
        Topic of each passage.
    passage_scores : array-like of shape (n_passages, n_themes) or DataFrame
        Passage theme probabilities (:meth:`ThemeScorer.transform`).
    theme_ids : sequence of str, optional
        Column names of ``passage_scores``; default: the columns of a DataFrame,
        else the ids of ``themes``.
    themes : optional
        Theme set for the seed terms (default: the shipped one).
    word_weight : float, default=0.25
        Weight of the seed-word evidence, in [0, 1].
    outlier_topic : int or None, default=-1
        This topic (BERTopic's outliers) is mapped to ``other`` whatever its scores.

    Returns
    -------
    DataFrame
        ``topic, theme, score, evidence, n_passages, mean_score, word_share,
        matched_words, runner_up``.
    """
    if not 0 <= word_weight <= 1:
        raise ValueError(f"word_weight must be in [0, 1], got {word_weight!r}")
    if isinstance(passage_scores, pd.DataFrame):
        ids = list(theme_ids or passage_scores.columns)
        scores = passage_scores[ids].to_numpy(dtype=float)
    else:
        ids = list(theme_ids or [t.id for t in load_themes(themes)])
        scores = np.asarray(passage_scores, dtype=float)
    ptopics = np.asarray(passage_topics)
    if scores.shape != (len(ptopics), len(ids)):
        raise ValueError(f"passage_scores has shape {scores.shape}; expected "
                         f"({len(ptopics)}, {len(ids)})")
    terms = theme_seed_terms(themes)
    token_owner: dict[str, set[str]] = {}
    for tid, ts in terms.items():
        for tok in {tok for term in ts for tok in term.split()}:
            token_owner.setdefault(tok, set()).add(tid)
    rows = []
    for _, row in topics.iterrows():
        topic = row["topic"]
        mask = ptopics == topic
        mean = scores[mask].mean(axis=0) if mask.any() else np.zeros(len(ids))
        matched: dict[str, list[str]] = {tid: [] for tid in ids}
        words = _split_words(row.get("top_words"))
        for word in words:
            toks = _content_tokens(word)
            norm = " ".join(toks)
            for tid in terms:
                own = {t for t in toks if token_owner.get(t) == {tid}}
                if tid in matched and (norm in terms[tid] or own):
                    matched[tid].append(word)
        share = np.array([len(matched[t]) / len(words) if words else 0.0 for t in ids])
        combined = (1 - word_weight) * mean + word_weight * share
        order = np.argsort(-combined, kind="stable")
        best, second = order[0], (order[1] if len(order) > 1 else order[0])
        theme = ids[best]
        evidence = (f"mean passage score {mean[best]:.2f} over {int(mask.sum())} passages "
                    f"(runner-up {ids[second]} {mean[second]:.2f})")
        if matched[theme]:
            evidence += "; seed words: " + ", ".join(matched[theme])
        if outlier_topic is not None and topic == outlier_topic:
            theme, evidence = OTHER, "outlier topic; " + evidence
            best = ids.index(OTHER) if OTHER in ids else best
        rows.append({"topic": topic, "theme": theme, "score": float(combined[best]),
                     "evidence": evidence, "n_passages": int(mask.sum()),
                     "mean_score": float(mean[best]), "word_share": float(share[best]),
                     "matched_words": ", ".join(matched.get(theme, [])),
                     "runner_up": ids[second]})
    return pd.DataFrame(rows, columns=["topic", "theme", "score", "evidence", "n_passages",
                                       "mean_score", "word_share", "matched_words", "runner_up"])
