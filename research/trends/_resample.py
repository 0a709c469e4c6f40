"""Random streams and resampling units shared by the bootstrap and permutation tests.

Every resampled quantity has its own random stream, seeded from ``random_state`` and
a label (a group, a theme, a period), so that the same inputs and seed give identical
tables and one quantity's interval does not move when another one changes.

The resampling unit is the *story*: copies of one wire story (the ``dup_group``
column that :func:`research.corpus.duplicate_table` adds) are not independent
observations, so they are resampled together. Without that column every article is
its own story.

Resamples are drawn in blocks (:func:`multinomial_blocks`): a group of ``n`` units
with ``n_boot`` resamples needs ``n_boot x n`` counts, 8 GB for 1,000 resamples of
a million articles. The blocks come from the group's stream in order, and
``Generator.multinomial`` draws one resample after the other, so the counts are
exactly those of one ``size=n_boot`` draw, whatever the block size.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import numpy as np
import pandas as pd

__all__ = ["group_rng", "story_labels", "multinomial_blocks", "BOOTSTRAP_BLOCK_BYTES"]

#: Budget (bytes) of one block of bootstrap counts and their weighted copy: 64 MiB, so
#: 1,000 resamples of up to 4,194 units are drawn at once (one block: the computation
#: of the trends before blocks existed, to the last bit), and a group of a million
#: articles takes 4 resamples per block.
BOOTSTRAP_BLOCK_BYTES = 64 * 2**20


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


def multinomial_blocks(rng: np.random.Generator, n: int, n_boot: int, *,
                       block_bytes: int | None = None) -> Iterator[np.ndarray]:
    """Yield the counts of ``n_boot`` resamples of ``n`` units, a block of resamples at a time.

    Parameters
    ----------
    rng : numpy.random.Generator
        The stream of what is resampled (:func:`group_rng`), consumed in order.
    n : int
        Units resampled with replacement (each resample draws ``n`` of them).
    n_boot : int
        Resamples.
    block_bytes : int, optional
        Memory of one block: ``rows x n`` counts and a float copy of them, 16 bytes a
        cell (default :data:`BOOTSTRAP_BLOCK_BYTES`); at least one resample a block.

    Yields
    ------
    ndarray of shape (rows, n), int64
        The next ``rows`` resamples: concatenated, the blocks are exactly
        ``rng.multinomial(n, [1/n] * n, size=n_boot)``.
    """
    budget = BOOTSTRAP_BLOCK_BYTES if block_bytes is None else int(block_bytes)
    step = max(1, budget // (16 * max(int(n), 1)))
    p = np.full(n, 1.0 / n)
    for start in range(0, int(n_boot), step):
        yield rng.multinomial(n, p, size=min(step, int(n_boot) - start))
