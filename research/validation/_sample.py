"""Stratified random samples of a run's articles, as labelling sheets."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

__all__ = ["stratified_sample", "LABEL_COLUMNS"]

#: Columns a labeller fills in (empty in a new sheet).
LABEL_COLUMNS = ("theme", "counterpart", "counterpart_country", "engagement_type",
                 "engagement_date", "label_notes")


def _allocate(sizes: pd.Series, n: int) -> pd.Series:
    """Proportional allocation of ``n`` over strata by largest remainder (Hamilton).

    Ties in the remainder go to the larger stratum, then to the first key in sort order.
    """
    total = int(sizes.sum())
    quota = sizes * n / total
    base = np.floor(quota).astype(int)
    left = n - int(base.sum())
    order = sorted(sizes.index, key=lambda k: (-(quota[k] - base[k]), -sizes[k], k))
    for k in order[:left]:
        base[k] += 1
    return base.clip(upper=sizes)


def stratified_sample(articles: pd.DataFrame, n: int, *, strata: list[str],
                      random_state: int = 0, test_share: float = 0.5) -> pd.DataFrame:
    """Draw a stratified random sample of articles and split it into dev and test halves.

    Strata are the combinations of the ``strata`` columns; each gets a share of
    ``n`` proportional to its size (largest-remainder rounding). Within a stratum the
    articles are drawn without replacement by a generator seeded from
    ``(random_state, crc32(stratum))``, so a stratum's draw does not depend on the
    others or on row order. The drawn articles are then assigned ``split`` "test"
    or "dev" by a seeded permutation within each stratum (``test_share`` of each,
    rounded alternately up and down), so both halves cover the strata.

    Parameters
    ----------
    articles : DataFrame
        One row per article, with ``article_id`` and the ``strata`` columns.
    n : int
        Sample size (at most the number of articles).
    strata : list of str
        Columns defining the strata (e.g. ``["source", "period"]``).
    random_state : int, default=0
    test_share : float, default=0.5
        Share of the sample held out as the test half.

    Returns
    -------
    DataFrame
        The sampled rows of ``articles`` (sorted by stratum, then ``article_id``)
        with columns ``stratum`` and ``split``.
    """
    if not 0 < n <= len(articles):
        raise ValueError(f"n must be in [1, {len(articles)}] (the number of articles), got {n}")
    if not 0 <= test_share <= 1:
        raise ValueError(f"test_share must be in [0, 1], got {test_share!r}")
    missing = [c for c in ["article_id", *strata] if c not in articles.columns]
    if missing:
        raise ValueError(f"articles lack column(s) {missing}; have {list(articles.columns)}")
    table = articles.assign(
        stratum=articles[strata].astype(str).agg(" | ".join, axis=1) if strata else "all"
    ).sort_values(["stratum", "article_id"], kind="stable")
    sizes = table.groupby("stratum", sort=True).size()
    take = _allocate(sizes, n)
    picked = []
    carry = 0.0
    for key, group in table.groupby("stratum", sort=True):
        k = int(take[key])
        if k == 0:
            continue
        rng = np.random.default_rng([int(random_state), zlib.crc32(str(key).encode("utf-8"))])
        chosen = group.iloc[np.sort(rng.choice(len(group), size=k, replace=False))]
        want = k * test_share + carry
        n_test = int(np.floor(want + 0.5))
        carry = want - n_test
        is_test = np.zeros(k, dtype=bool)
        is_test[rng.permutation(k)[:n_test]] = True
        picked.append(chosen.assign(split=np.where(is_test, "test", "dev")))
    return pd.concat(picked).reset_index(drop=True)
