"""From an article table to passages: cleaning and segmentation, shared by fit and transform."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._cleaning import clean_article
from ._segment import segment
from ._teasers import MIN_RECURRING_STORIES

__all__ = ["Prepared", "prepare_passages", "passage_weights", "PASSAGE_COLUMNS"]

PASSAGE_COLUMNS = ["article_id", "passage_id", "passage_index", "text", "n_words"]


@dataclass
class Prepared:
    """Articles with their cleaned title and body, their passages, and what cleaning removed.

    Attributes
    ----------
    articles : DataFrame
        The input articles plus ``title`` (found or given), ``body`` (cleaned) and
        ``n_passages``.
    passages : DataFrame
        One row per passage: article_id, passage_id, passage_index, text, n_words.
    removed : DataFrame
        One row per removed line: article_id, line, reason.
    """

    articles: pd.DataFrame
    passages: pd.DataFrame
    removed: pd.DataFrame


def prepare_passages(
    articles: pd.DataFrame, *, min_words: int = 25, max_words: int = 120,
    recurring: pd.DataFrame | None = None, min_stories: int = MIN_RECURRING_STORIES,
) -> Prepared:
    """Clean and segment every article of ``articles`` (columns article_id, text, title).

    Parameters
    ----------
    articles : DataFrame
        Needs ``article_id`` and ``text``; ``title`` is used when present and non-empty,
        ``source`` (the outlet) names the outlet in the reasons.
    min_words, max_words : int
        Passage sizes (see :func:`research.segment.segment`).
    recurring : DataFrame, optional
        Lines of the articles that recur in other stories of their outlet:
        ``article_id``, ``line`` (stripped), ``n_stories`` and optional ``source``
        (:func:`research.corpus.recurring_lines`). Without it, recurring boilerplate
        is not looked for (teaser blocks still are).
    min_stories : int, default=3
        Stories a line must recur in to be boilerplate (see :func:`clean_article`).

    Returns
    -------
    Prepared
        An article whose cleaned body is empty but that has a headline (a one-line
        item) gets its headline as its one passage.
    """
    missing = {"article_id", "text"} - set(articles.columns)
    if missing:
        raise ValueError(f"articles table lacks columns {sorted(missing)}")
    if recurring is not None:
        lacking = {"article_id", "line", "n_stories"} - set(recurring.columns)
        if lacking:
            raise ValueError(f"recurring table lacks columns {sorted(lacking)}; expected the "
                             "table of research.corpus.recurring_lines")
    by_article: dict[str, dict[str, int]] = {}
    if recurring is not None:
        for aid, line, n in zip(recurring["article_id"], recurring["line"],
                                recurring["n_stories"], strict=True):
            by_article.setdefault(str(aid), {})[str(line)] = int(n)
    titles, bodies, counts = [], [], []
    passages, removed = [], []
    given = articles["title"] if "title" in articles.columns else pd.Series("", articles.index)
    outlets = (articles["source"].fillna("").astype(str) if "source" in articles.columns
               else pd.Series("", articles.index))
    for aid, text, title, outlet in zip(articles["article_id"], articles["text"], given,
                                        outlets, strict=True):
        cleaned = clean_article(str(text), title=str(title or ""),
                                recurring=by_article.get(str(aid)), outlet=outlet,
                                min_stories=min_stories)
        titles.append(cleaned.title)
        bodies.append(cleaned.body)
        removed.extend({"article_id": aid, "line": line, "reason": why}
                       for line, why in cleaned.removed)
        # a headline-only item (one line, no body) is scored on its headline: a
        # one-passage article, never counted somewhere and absent elsewhere
        parts = segment(cleaned.body or cleaned.title, min_words=min_words,
                        max_words=max_words)
        counts.append(len(parts))
        passages.extend(
            {"article_id": aid, "passage_id": f"{aid}-p{i:03d}", "passage_index": i,
             "text": p, "n_words": len(p.split())}
            for i, p in enumerate(parts)
        )
    out = articles.copy()
    out["title"] = titles
    out["body"] = bodies
    out["n_passages"] = counts
    return Prepared(
        articles=out.reset_index(drop=True),
        passages=pd.DataFrame(passages, columns=PASSAGE_COLUMNS),
        removed=pd.DataFrame(removed, columns=["article_id", "line", "reason"]),
    )


def passage_weights(passages: pd.DataFrame, weight) -> np.ndarray:
    """Weight of each passage when passages are averaged per article or group.

    Parameters
    ----------
    passages : DataFrame
        One row per passage.
    weight : str, array-like or None
        A column of ``passages`` (``"n_words"`` or ``"n_tokens"``), explicit weights
        (one per passage), or ``None`` for equal weights.

    Returns
    -------
    ndarray of shape (n_passages,)

    Raises
    ------
    ValueError
        When the column is missing or a weight is negative or not finite.
    """
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
