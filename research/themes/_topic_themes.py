"""Mapping topic-model topics to themes, with the evidence for each mapping.

:func:`map_topics_to_themes` combines the mean theme probability of a topic's
passages with the share of its top words that match the themes' seed terms.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._theme_set import OTHER, content_tokens, load_themes, theme_seed_terms

__all__ = ["map_topics_to_themes"]


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
        Passage theme probabilities (:meth:`research.themes.ThemeScorer.transform`).
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
            toks = content_tokens(word)
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
