"""Which stories the topic model is fitted on: all of them, or a stratified sample.

Topics are fitted on one representative article per near-duplicate story (the copies
get topics by ``predict``). On a large corpus the fit itself is sampled: a sample of
stories, stratified by period, is fitted, and every other passage is assigned by
:meth:`research.topics.ArabicTopicModel.predict` (the neighbour vote, exact, in
blocks), whose cost grows linearly with the corpus for a fixed sample.

The sample is a function of the texts: each story gets a key, the SHA-256 of
``random_state`` and its passages' texts (sorted), and each stratum takes its stories in key
order. No random stream is consumed in row order, so the rows' order, the article
ids and the other strata do not change which stories of a stratum are fitted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from research.trends import UNDATED, auto_period, period_of, time_axis_dates

__all__ = ["FIT_SAMPLE_AUTO", "FitSample", "fit_sample"]

#: Above this many unique passage texts in the stories' representatives, a run fits
#: its topics on a stratified sample of this many (unless ``RunConfig.fit_sample``
#: says otherwise); the other passages get topics by ``predict``. Measured with
#: ``benchmarks/bench_scale.py`` (synthetic embeddings, two shared cores), the fit
#: stage took 57 s and 1.2 GB peak RSS at 20k passages, 108 s and 1.5 GB at 40k,
#: growing slightly faster than linearly; the whole SaudiNewsNet corpus (about 144k
#: passages) would take several times longer, mostly in UMAP.
FIT_SAMPLE_AUTO = 20_000


@dataclass(frozen=True)
class FitSample:
    """The articles whose passages are fitted, and the record of how they were chosen.

    Attributes
    ----------
    article_ids : frozenset of str
        Representative articles whose passages the topic model is fitted on.
    record : dict
        JSON-serialisable account for ``run.json``: ``requested`` (``"auto"`` or
        the size asked for), ``auto_threshold``, ``applied``, ``stories``,
        ``passages`` (unique texts of the representatives), ``fitted_stories``,
        ``fitted_passages``; with a sample also ``size``, ``strata`` (the period),
        ``n_strata`` and ``article_ids_sha256`` (of the sorted fitted ids).
    """

    article_ids: frozenset[str]
    record: dict = field(default_factory=dict)


def _check_size(size) -> None:
    if size is not None and (isinstance(size, bool) or not isinstance(size, (int, np.integer))
                             or size < 0):
        raise ValueError(f"fit_sample must be None (automatic) or an int >= 0, got {size!r}")


def _strata(articles: pd.DataFrame, period: str) -> tuple[pd.Series, str]:
    """Return the period label of each article (``undated`` without a date) and the period."""
    if not {"date", "date_min", "date_max", "date_source"} <= set(articles.columns):
        return pd.Series(UNDATED, index=articles.index), "none"
    dates = time_axis_dates(articles)["date"]
    used = auto_period(dates) if period == "auto" else period
    return pd.Series(period_of(dates, used), index=articles.index), used


def _allocate(counts: pd.Series, k: int) -> pd.Series:
    """Split ``k`` stories over strata in proportion to their sizes (largest remainder).

    Ties of the remainders go to the stratum with the smaller label.
    """
    exact = counts * k / counts.sum()
    take = np.floor(exact).astype(int)
    remainder = (exact - take).rename("remainder").reset_index()
    order = remainder.sort_values(["remainder", "stratum"], ascending=[False, True],
                                  kind="stable")["stratum"]
    take.loc[order.iloc[:k - int(take.sum())].tolist()] += 1
    return take


def fit_sample(articles: pd.DataFrame, passages: pd.DataFrame, size: int | None = None, *,
               period: str = "auto", random_state: int = 0) -> FitSample:
    """Choose the representative articles to fit topics on: all, or a stratified sample.

    Parameters
    ----------
    articles : DataFrame
        ``article_id``, ``is_representative`` (one article per near-duplicate story)
        and, when known, the date columns (``date``, ``date_min``, ``date_max``,
        ``date_source``, optional ``date_extracted``).
    passages : DataFrame
        ``article_id`` and ``text`` of every passage.
    size : int or None, default=None
        Unique passage texts to fit: ``None`` samples :data:`FIT_SAMPLE_AUTO` when
        the representatives have more than that; ``0`` never samples; ``N`` samples
        about ``N`` when the representatives have more.
    period : {"auto", "week", "month", "quarter", "year"}, default="auto"
        Period of the strata (``"auto"``: :func:`research.trends.auto_period` of the
        articles' dates, as for the trends); undated articles are one more stratum.
    random_state : int, default=0
        Seed: part of every story's key.

    Returns
    -------
    FitSample

    Notes
    -----
    Stories are the sampling unit (a story's passages are fitted together or not at
    all): ``size / passages`` of the stories are fitted, allocated to the strata in
    proportion to their stories (largest remainder), and each stratum takes its
    stories in the order of their keys (SHA-256 of ``random_state`` and the story's
    passage texts, sorted), a stratified random sample of stories. The fitted
    passages are about ``size`` (stories of a stratum are as long as any others, on
    average); ``record["fitted_passages"]`` is the exact number. The key depends
    only on the texts, so the sample does not depend on the row order or the
    article ids.
    """
    _check_size(size)
    reps = articles.loc[articles["is_representative"].astype(str).str.lower() == "true"]
    mine = passages[passages["article_id"].isin(reps["article_id"])]
    texts = mine.groupby("article_id", sort=True)["text"].agg(list)
    reps = reps[reps["article_id"].isin(texts.index)]
    total = int(mine["text"].nunique())
    target = FIT_SAMPLE_AUTO if size is None else int(size) or total
    record = {"requested": "auto" if size is None else int(size),
              "auto_threshold": FIT_SAMPLE_AUTO, "applied": bool(total > target),
              "stories": int(len(reps)), "passages": total}
    if total <= target:
        return FitSample(frozenset(reps["article_id"]),
                         {**record, "fitted_stories": int(len(reps)), "fitted_passages": total})
    seed = str(int(random_state)).encode("utf-8")
    key = reps["article_id"].map(texts.map(
        lambda ts: hashlib.sha256(seed + b"\0" + "\0".join(sorted(ts)).encode("utf-8"))
        .hexdigest()))
    strata, used = _strata(reps, period)
    frame = pd.DataFrame({"article_id": reps["article_id"].to_numpy(), "key": key.to_numpy(),
                          "stratum": strata.to_numpy()})
    counts = frame.groupby("stratum", sort=True).size()
    take = _allocate(counts, max(1, round(len(frame) * target / total)))
    chosen: list[str] = []
    for label, group in frame.groupby("stratum", sort=True):
        group = group.sort_values(["key", "article_id"], kind="stable")
        chosen.extend(group["article_id"].iloc[:take[label]])
    ids = sorted(chosen)
    fitted = int(mine.loc[mine["article_id"].isin(ids), "text"].nunique())
    record.update(size=int(target), strata=used, n_strata=int(frame["stratum"].nunique()),
                  fitted_stories=len(ids), fitted_passages=fitted,
                  article_ids_sha256=hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest())
    return FitSample(frozenset(ids), record)
