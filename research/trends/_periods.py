"""Periods and groups: how much each article counts where.

Periods
-------
:func:`period_of` labels dates by ``"week"`` (ISO 8601 week of the ISO year,
``"2015-W31"``), ``"month"`` (``"2015-07"``), ``"quarter"`` (``"2015-Q3"``) or
``"year"`` (``"2015"``). Labels of one kind sort chronologically as strings;
:func:`to_period` turns them back into :class:`pandas.Period` objects and
:func:`period_dates` into dates (ISO weeks start on Monday).

Uncertain dates
---------------
An article with a ``date`` counts fully in that date's period. An article without
one but with a window ``[date_min, date_max]`` spreads its unit weight uniformly
over the days of the window, so each period gets the fraction of the window's days
that fall in it (an article dated "2017-2019" counts about 1/3 in each of those
years). With only one bound, the article counts at that bound. An article with no
date at all counts in a separate ``"undated"`` period; it is never dropped.

Groups
------
:func:`group_weights` gives the weight of each article in each group: the periods
above, or the values of a column such as ``counterpart`` (missing values form the
group ``"unknown"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "PERIODS",
    "UNDATED",
    "UNKNOWN",
    "period_of",
    "period_dates",
    "period_range",
    "to_period",
    "auto_period",
    "central_span",
    "article_period_weights",
    "group_weights",
    "group_order",
    "to_datetime",
    "Period",
]

Period = Literal["week", "month", "quarter", "year"]
PERIODS = ("week", "month", "quarter", "year")
UNDATED = "undated"
UNKNOWN = "unknown"
_PERIOD_KEYS = ("period", "date")


def _check_period(period) -> None:
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, got {period!r}")


def to_datetime(values) -> pd.Series:
    """Parse ISO date strings (empty or invalid: ``NaT``) into a naive datetime Series."""
    s = pd.Series(values, dtype=object).replace({"": None})
    return pd.to_datetime(s, errors="coerce", format="ISO8601").dt.tz_localize(None)


def central_span(dates, coverage: float = 0.95) -> tuple[pd.Timestamp, pd.Timestamp, int]:
    """Return the span of the central ``coverage`` of the dates and how many fall outside it.

    Parameters
    ----------
    dates : array-like of date-likes
        Empty or unparsable values are ignored.
    coverage : float, default=0.95
        Share of the dates kept: the span runs from the ``(1 - coverage) / 2`` to the
        ``(1 + coverage) / 2`` quantile (lower and higher order statistics, so both
        ends are dates of the corpus).

    Returns
    -------
    (first, last, n_outside) : (Timestamp, Timestamp, int)
        ``(NaT, NaT, 0)`` when nothing is dated.
    """
    if not 0 < coverage <= 1:
        raise ValueError(f"coverage must be in (0, 1], got {coverage!r}")
    d = to_datetime(list(dates)).dropna().sort_values()
    if d.empty:
        return pd.NaT, pd.NaT, 0
    lo = d.quantile((1 - coverage) / 2, interpolation="lower")
    hi = d.quantile((1 + coverage) / 2, interpolation="higher")
    return lo, hi, int(((d < lo) | (d > hi)).sum())


def auto_period(dates, coverage: float = 0.95) -> str:
    """Choose the trend period from the span of the bulk of the dates.

    The span is that of the central ``coverage`` of the dated articles
    (:func:`central_span`), so that a few stray old articles do not turn a season of
    news into quarters. ``"week"`` when it is at most 26 weeks (a news season, such as
    SaudiNewsNet's July-November 2015), ``"month"`` up to 3 years, ``"quarter"`` up
    to 10 years, else ``"year"``; ``"month"`` when nothing is dated.
    """
    lo, hi, _ = central_span(dates, coverage)
    if pd.isna(lo):
        return "month"
    days = (hi - lo).days
    if days <= 26 * 7:
        return "week"
    if days <= 3 * 366:
        return "month"
    return "quarter" if days <= 10 * 366 else "year"


def period_of(dates, period: Period):
    """Period label of each date.

    Parameters
    ----------
    dates : date-like or array-like of date-likes
        ISO strings, ``datetime`` or ``Timestamp``; empty or unparsable values give
        ``"undated"``.
    period : {"week", "month", "quarter", "year"}

    Returns
    -------
    str or ndarray of str
        A label for a scalar input, otherwise an object array of labels.
    """
    _check_period(period)
    scalar = np.ndim(dates) == 0
    d = to_datetime([dates] if scalar else list(dates))
    ok = d.notna()
    out = pd.Series(UNDATED, index=d.index, dtype=object)
    if ok.any():
        v = d[ok]
        if period == "week":
            iso = v.dt.isocalendar()
            labels = [f"{y:04d}-W{w:02d}" for y, w in zip(iso["year"], iso["week"], strict=True)]
        elif period == "month":
            labels = [f"{y:04d}-{m:02d}" for y, m in zip(v.dt.year, v.dt.month, strict=True)]
        elif period == "quarter":
            labels = [f"{y:04d}-Q{q}" for y, q in zip(v.dt.year, v.dt.quarter, strict=True)]
        else:
            labels = [f"{y:04d}" for y in v.dt.year]
        out[ok] = labels
    return out.iloc[0] if scalar else out.to_numpy(dtype=object)


_FREQ = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}


def _label_kind(label: str) -> str | None:
    """Return the kind of a label by its shape (:func:`to_period` checks its digits)."""
    if len(label) == 8 and label[4:6] == "-W":
        return "week"
    if len(label) == 7 and label[4:6] == "-Q":
        return "quarter"
    if len(label) == 7 and label[4] == "-":
        return "month"
    return "year" if len(label) == 4 else None


def to_period(label, period: Period | None = None):
    """Return the :class:`pandas.Period` of a period label, or ``NaT``.

    Parameters
    ----------
    label : str
        ``"2015-W31"`` (ISO week: a ``W-SUN`` period, Monday to Sunday),
        ``"2015-07"``, ``"2015-Q3"`` or ``"2015"``.
    period : {"week", "month", "quarter", "year"}, optional
        The expected kind; by default read from the label's shape.

    Returns
    -------
    pandas.Period or NaT
        ``NaT`` for ``"undated"`` and anything that is not a label of the kind
        (such as ``"2015-13"`` or ``"2015-W54"``).
    """
    import datetime as dt

    text = str(label)
    kind = period or _label_kind(text)
    if kind is None or _label_kind(text) != kind or not text[:4].isdigit():
        return pd.NaT
    try:
        if kind == "week":
            monday = dt.date.fromisocalendar(int(text[:4]), int(text[6:]), 1)
            return pd.Period(monday, freq=_FREQ["week"])
        found = pd.Period(text, freq=_FREQ[kind])
    except ValueError:
        return pd.NaT
    return found if period_of(found.start_time, kind) == text else pd.NaT


def period_dates(labels, where: Literal["start", "middle", "end"] = "start") -> pd.DatetimeIndex:
    """Dates of period labels of any kind: first day, midpoint or last day.

    The calendar is :class:`pandas.Period`'s (:func:`to_period`). ``"undated"`` and
    anything that is not a period label give ``NaT``.
    """
    if where not in ("start", "middle", "end"):
        raise ValueError(f"where must be 'start', 'middle' or 'end', got {where!r}")
    periods = [to_period(x) for x in np.atleast_1d(np.asarray(labels, dtype=object))]
    start = pd.DatetimeIndex([p.start_time if p is not pd.NaT else pd.NaT for p in periods])
    if where == "start":
        return start
    nxt = pd.DatetimeIndex([(p + 1).start_time if p is not pd.NaT else pd.NaT for p in periods])
    if where == "end":
        return nxt - pd.Timedelta(days=1)
    return start + (nxt - start) / 2


def period_range(first: str, last: str, period: Period) -> list[str]:
    """All period labels from ``first`` to ``last`` inclusive (labels of kind ``period``)."""
    _check_period(period)
    start, end = to_period(first, period), to_period(last, period)
    if start is pd.NaT or end is pd.NaT:
        raise ValueError(f"not {period} labels: {first!r}, {last!r}")
    return [period_of(p.start_time, period) for p in pd.period_range(start, end)]


def article_period_weights(articles: pd.DataFrame, period: Period) -> pd.DataFrame:
    """How much each article counts in each period (see the module docstring).

    Parameters
    ----------
    articles : DataFrame
        ``article_id`` and ``date``; ``date_min`` and ``date_max`` when known.
    period : {"week", "month", "quarter", "year"}

    Returns
    -------
    DataFrame
        ``article_id, period, weight``; the weights of an article sum to 1.
    """
    _check_period(period)
    n = len(articles)
    date = to_datetime(articles["date"] if "date" in articles else [None] * n)
    lo = to_datetime(articles["date_min"] if "date_min" in articles else [None] * n)
    hi = to_datetime(articles["date_max"] if "date_max" in articles else [None] * n)
    rows: list[tuple[object, str, float]] = []
    exact = date.notna().to_numpy()
    for aid, label in zip(articles["article_id"].to_numpy()[exact],
                          period_of(date[exact], period), strict=True):
        rows.append((aid, label, 1.0))
    for i in np.flatnonzero(~exact):
        aid, a, b = articles["article_id"].iloc[i], lo.iloc[i], hi.iloc[i]
        if pd.isna(a) and pd.isna(b):
            rows.append((aid, UNDATED, 1.0))
            continue
        a, b = (b, b) if pd.isna(a) else (a, a) if pd.isna(b) else (min(a, b), max(a, b))
        counts = pd.Series(period_of(pd.date_range(a.normalize(), b.normalize(), freq="D"),
                                     period)).value_counts(sort=False)
        rows.extend((aid, label, c / counts.sum()) for label, c in counts.items())
    return pd.DataFrame(rows, columns=["article_id", "period", "weight"])


def group_weights(articles: pd.DataFrame, by: str, *, period: Period | None = None):
    """Weights of articles in the groups of ``by``.

    Parameters
    ----------
    articles : DataFrame
    by : str
        ``"period"`` (or ``"date"``) to group by ``period``; otherwise a column of
        ``articles`` such as ``counterpart``, ``counterpart_country`` or
        ``counterpart_role``. Missing values form the group ``"unknown"``; a cell
        holding a list splits the article's weight equally among its items.
    period : {"week", "month", "quarter", "year"}, optional
        Required when grouping by period.

    Returns
    -------
    (DataFrame, str)
        ``article_id, group, weight`` and the name of the group column
        (``"period"`` or ``by``).
    """
    if by in _PERIOD_KEYS:
        if period is None:
            raise ValueError(f"by={by!r} needs period, one of {PERIODS}")
        return article_period_weights(articles, period).rename(columns={"period": "group"}), \
            "period"
    if by not in articles.columns:
        raise ValueError(f"by must be 'period' or a column of articles "
                         f"({list(articles.columns)}), got {by!r}")
    rows = []
    for aid, value in zip(articles["article_id"], articles[by], strict=True):
        items = list(value) if isinstance(value, list | tuple | set | np.ndarray) else [value]
        items = [x for x in items if not _missing(x)] or [UNKNOWN]
        rows.extend((aid, str(x).strip(), 1.0 / len(items)) for x in items)
    return pd.DataFrame(rows, columns=["article_id", "group", "weight"]), by


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and np.isnan(x)) or x is pd.NA \
        or (isinstance(x, str) and not x.strip())


def group_order(groups: Sequence[str], key: str) -> list[str]:
    """Sort group labels, with ``undated`` (periods) or ``unknown`` (groups) last."""
    special = UNDATED if key == "period" else UNKNOWN
    return sorted(g for g in groups if g != special) + [g for g in groups if g == special]
