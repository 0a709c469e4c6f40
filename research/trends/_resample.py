"""Random streams and resampling units shared by the bootstrap and permutation tests.

Every resampled quantity has its own random stream, seeded from ``random_state`` and
a label (a group, a theme, a period), so that the same inputs and seed give identical
tables and one quantity's interval does not move when another one changes.

The resampling unit is the *story*: copies of one wire story (the ``dup_group``
column that :func:`research.corpus.duplicate_table` adds) are not independent
observations, so they are resampled together. Without that column every article is
its own story.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

__all__ = ["group_rng", "story_labels"]


def group_rng(random_state, group: str) -> np.random.Generator:
    """Return the random stream of ``group``.

    Parameters
    ----------
    random_state : int, numpy Generator or None
        An int seeds the stream from ``(random_state, crc32(group))``; a Generator
        spawns a stream from one draw of it; None gives an unseeded stream.
    group : str
        The label of what is resampled (a period, a counterpart, a theme ...).

    Returns
    -------
    numpy.random.Generator
    """
    if isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state.integers(2**63))
    if random_state is None:
        return np.random.default_rng()
    return np.random.default_rng([int(random_state), zlib.crc32(str(group).encode("utf-8"))])


def story_labels(articles: pd.DataFrame, cluster: str | None = "dup_group") -> pd.Series:
    """Story of each article: the ``cluster`` column, or the article itself.

    Parameters
    ----------
    articles : DataFrame
        ``article_id`` and, optionally, the ``cluster`` column.
    cluster : str or None, default="dup_group"
        Column naming each article's story; None (or a missing column, or an empty
        cell) makes every article its own story.

    Returns
    -------
    Series of str
        Indexed like ``articles``.
    """
    ids = articles["article_id"].astype(str)
    if cluster is None or cluster not in articles.columns:
        return ids.rename("story")
    story = articles[cluster].astype(object).where(articles[cluster].notna(), "")
    story = story.astype(str).str.strip()
    return story.where(story != "", "article:" + ids).rename("story")
