"""Theme trends over time and by counterpart, with bootstrap intervals.

Periods
-------
:func:`period_of` labels dates by ``"week"`` (ISO 8601 week of the ISO year,
``"2015-W31"``), ``"month"`` (``"2015-07"``), ``"quarter"`` (``"2015-Q3"``) or
``"year"`` (``"2015"``). Labels of one kind sort chronologically as strings;
:func:`period_dates` turns them back into dates (ISO weeks start on Monday).

Uncertain dates
---------------
An article with a ``date`` counts fully in that date's period. An article without
one but with a window ``[date_min, date_max]`` spreads its unit weight uniformly
over the days of the window, so each period gets the fraction of the window's days
that fall in it (an article dated "2017-2019" counts about 1/3 in each of those
years). With only one bound, the article counts at that bound. An article with no
date at all counts in a separate ``"undated"`` period; it is never dropped.

Shares and intervals
--------------------
A group's (period's, counterpart's ...) share of a theme is the weighted mean of
its articles' shares, weights as above (1 for a plain column). The interval is a
percentile bootstrap over the group's articles: ``n_boot`` resamples, with
replacement, of the group's articles, each with its weight. Every group has its
own random stream, seeded from ``random_state`` and the group label, so the same
inputs and seed give identical tables, and a group's interval does not change when
other groups change. Groups whose effective number of articles (the sum of their
weights, ``n_effective``) is below ``min_articles`` (default 3) are flagged
``few_articles``; nothing is hidden. The contrast (:func:`contrast_trends`) is
computed on the same resamples, so its interval accounts for the pairing of the
two shares within articles.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
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
    "article_period_weights",
    "group_weights",
    "theme_trends",
    "contrast_trends",
    "topic_shares_over_time",
    "topic_shares_per_class",
    "events_table",
]

Period = Literal["week", "month", "quarter", "year"]
PERIODS = ("week", "month", "quarter", "year")
UNDATED = "undated"
UNKNOWN = "unknown"
_PERIOD_KEYS = ("period", "date")


def _check_period(period) -> None:
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, got {period!r}")


def _to_datetime(values) -> pd.Series:
    s = pd.Series(values, dtype=object).replace({"": None})
    return pd.to_datetime(s, errors="coerce", format="ISO8601").dt.tz_localize(None)


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
    d = _to_datetime([dates] if scalar else list(dates))
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


_LABEL = {
    "week": re.compile(r"^(\d{4})-W(\d{2})$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "year": re.compile(r"^(\d{4})$"),
}


def _start(label: str) -> pd.Timestamp:
    import datetime as dt

    for kind, pattern in _LABEL.items():
        m = pattern.match(str(label))
        if m:
            y = int(m.group(1))
            if kind == "week":
                return pd.Timestamp(dt.date.fromisocalendar(y, int(m.group(2)), 1))
            if kind == "month":
                return pd.Timestamp(y, int(m.group(2)), 1)
            if kind == "quarter":
                return pd.Timestamp(y, 3 * int(m.group(2)) - 2, 1)
            return pd.Timestamp(y, 1, 1)
    return pd.NaT


def period_dates(labels, where: Literal["start", "middle", "end"] = "start") -> pd.DatetimeIndex:
    """Dates of period labels of any kind: first day, midpoint or last day.

    ``"undated"`` and anything that is not a period label give ``NaT``.
    """
    if where not in ("start", "middle", "end"):
        raise ValueError(f"where must be 'start', 'middle' or 'end', got {where!r}")
    labels = [str(x) for x in np.atleast_1d(np.asarray(labels, dtype=object))]
    start = pd.DatetimeIndex([_start(x) for x in labels])
    if where == "start":
        return start
    step = {"week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1),
            "quarter": pd.DateOffset(months=3), "year": pd.DateOffset(years=1)}
    nxt = pd.DatetimeIndex([s + step[_kind(x)] if pd.notna(s) else pd.NaT
                            for s, x in zip(start, labels, strict=True)])
    if where == "end":
        return nxt - pd.Timedelta(days=1)
    return start + (nxt - start) / 2


def _kind(label: str) -> str | None:
    return next((k for k, p in _LABEL.items() if p.match(label)), None)


def period_range(first: str, last: str, period: Period) -> list[str]:
    """All period labels from ``first`` to ``last`` inclusive (labels of kind ``period``)."""
    _check_period(period)
    start, end = _start(first), _start(last)
    if pd.isna(start) or pd.isna(end):
        raise ValueError(f"not {period} labels: {first!r}, {last!r}")
    freq = {"week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}[period]
    return list(pd.unique(period_of(pd.date_range(start, end, freq=freq), period)))


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
    date = _to_datetime(articles["date"] if "date" in articles else [None] * n)
    lo = _to_datetime(articles["date_min"] if "date_min" in articles else [None] * n)
    hi = _to_datetime(articles["date_max"] if "date_max" in articles else [None] * n)
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


def _group_order(groups: Sequence[str], key: str) -> list[str]:
    special = UNDATED if key == "period" else UNKNOWN
    return sorted(g for g in groups if g != special) + [g for g in groups if g == special]


def _rng(random_state, group: str) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state.integers(2**63))
    if random_state is None:
        return np.random.default_rng()
    return np.random.default_rng([int(random_state), zlib.crc32(group.encode("utf-8"))])


def _wide_shares(article_themes: pd.DataFrame) -> pd.DataFrame:
    wide = article_themes.pivot(index="article_id", columns="theme", values="share")
    return wide.reindex(columns=pd.unique(article_themes["theme"])).fillna(0.0)


def _bootstrap(article_themes, articles, by, period, n_boot, ci, random_state, fill_gaps):
    """Yield (key, group, n_articles, n_effective, point, replicates, theme ids)."""
    if not 0 < ci < 1:
        raise ValueError(f"ci must be in (0, 1), got {ci!r}")
    if n_boot < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot!r}")
    wide = _wide_shares(article_themes)
    known = articles[articles["article_id"].isin(wide.index)]
    missing = wide.index.difference(pd.Index(known["article_id"]))
    if len(missing):
        extra = pd.DataFrame({"article_id": missing})
        known = pd.concat([known, extra], ignore_index=True)
    gw, key = group_weights(known, by, period=period)
    gw = gw[gw["weight"] > 0]
    groups = _group_order(list(pd.unique(gw["group"])), key)
    if key == "period" and fill_gaps:
        dated = [g for g in groups if g != UNDATED]
        if dated:
            full = period_range(dated[0], dated[-1], period)
            groups = full + [g for g in groups if g == UNDATED]
    out = []
    for g in groups:
        sub = gw[gw["group"] == g]
        if sub.empty:
            out.append((g, 0, 0.0, None, None))
            continue
        w = sub["weight"].to_numpy(dtype=float)
        S = wide.loc[sub["article_id"]].to_numpy(dtype=float)
        point = w @ S / w.sum()
        n = len(w)
        counts = _rng(random_state, g).multinomial(n, np.full(n, 1.0 / n), size=n_boot)
        cw = counts * w
        reps = cw @ S / cw.sum(axis=1, keepdims=True)
        out.append((g, int(sub["article_id"].nunique()), float(w.sum()), point, reps))
    return key, list(wide.columns), out


def theme_trends(article_themes: pd.DataFrame, articles: pd.DataFrame, by: str = "period", *,
                 period: Period | None = None, n_boot: int = 1000, ci: float = 0.95,
                 random_state=0, min_articles: float = 3, fill_gaps: bool = True) -> pd.DataFrame:
    """Mean theme shares per period or per group, with bootstrap intervals.

    Parameters
    ----------
    article_themes : DataFrame
        ``article_id, theme, share`` (:func:`research.themes.article_theme_shares`).
    articles : DataFrame
        ``article_id`` and the columns that ``by`` needs (``date``, ``date_min``,
        ``date_max`` for periods).
    by : str, default="period"
        See :func:`group_weights`.
    period : {"week", "month", "quarter", "year"}, optional
        Period length when ``by="period"``.
    n_boot : int, default=1000
        Bootstrap resamples.
    ci : float, default=0.95
        Coverage of the percentile interval.
    random_state : int, numpy Generator or None, default=0
    min_articles : float, default=3
        Groups with fewer effective articles are flagged ``few_articles``.
    fill_gaps : bool, default=True
        Add empty periods between the first and last dated period (share NaN,
        ``n_articles`` 0) so that gaps show in tables and figures.

    Returns
    -------
    DataFrame
        ``<key>, theme, share, ci_low, ci_high, n_articles, n_effective,
        few_articles``, where ``<key>`` is ``period`` or ``by``. Periods are in
        time order with ``undated`` last; groups are sorted with ``unknown`` last.
    """
    key, themes, groups = _bootstrap(article_themes, articles, by, period, n_boot, ci,
                                     random_state, fill_gaps)
    q = [(1 - ci) / 2, 1 - (1 - ci) / 2]
    rows = []
    for g, n, n_eff, point, reps in groups:
        lo_hi = np.quantile(reps, q, axis=0) if reps is not None else None
        for k, theme in enumerate(themes):
            rows.append({key: g, "theme": theme,
                         "share": np.nan if point is None else point[k],
                         "ci_low": np.nan if point is None else lo_hi[0, k],
                         "ci_high": np.nan if point is None else lo_hi[1, k],
                         "n_articles": n, "n_effective": n_eff,
                         "few_articles": bool(n_eff < min_articles)})
    return pd.DataFrame(rows, columns=[key, "theme", "share", "ci_low", "ci_high",
                                       "n_articles", "n_effective", "few_articles"])


def contrast_trends(article_themes: pd.DataFrame, articles: pd.DataFrame, by: str = "period", *,
                    a: str = "counterterrorism", b: str = "gaza_humanitarian",
                    period: Period | None = None, n_boot: int = 1000, ci: float = 0.95,
                    random_state=0, min_articles: float = 3,
                    fill_gaps: bool = True) -> pd.DataFrame:
    """Share of theme ``a`` minus share of theme ``b`` per period or group.

    Parameters are those of :func:`theme_trends`, plus the two themes. The
    bootstrap resamples are the ones :func:`theme_trends` draws with the same
    arguments.

    Returns
    -------
    DataFrame
        ``<key>, contrast, ci_low, ci_high, share_a, share_b, n_articles,
        n_effective, few_articles``.
    """
    key, themes, groups = _bootstrap(article_themes, articles, by, period, n_boot, ci,
                                     random_state, fill_gaps)
    for t in (a, b):
        if t not in themes:
            raise ValueError(f"theme {t!r} not in article_themes (themes: {themes})")
    ia, ib = themes.index(a), themes.index(b)
    q = [(1 - ci) / 2, 1 - (1 - ci) / 2]
    rows = []
    for g, n, n_eff, point, reps in groups:
        if point is None:
            vals = [np.nan] * 5
        else:
            lo, hi = np.quantile(reps[:, ia] - reps[:, ib], q)
            vals = [point[ia] - point[ib], lo, hi, point[ia], point[ib]]
        rows.append(dict(zip([key, "contrast", "ci_low", "ci_high", "share_a", "share_b"],
                             [g, *vals], strict=True),
                         n_articles=n, n_effective=n_eff, few_articles=bool(n_eff < min_articles)))
    out = pd.DataFrame(rows, columns=[key, "contrast", "ci_low", "ci_high", "share_a", "share_b",
                                      "n_articles", "n_effective", "few_articles"])
    out.attrs.update(a=a, b=b)
    return out


def _topic_shares(passages, articles, by, period, weight, fill_gaps):
    from research.themes import _passage_weights

    if "topic" not in passages.columns:
        raise ValueError("passages needs a 'topic' column")
    gw, key = group_weights(articles, by, period=period)
    pw = passages[["article_id", "topic"]].assign(_w=_passage_weights(passages, weight))
    merged = pw.merge(gw, on="article_id", how="left")
    merged["group"] = merged["group"].fillna(UNDATED if key == "period" else UNKNOWN)
    merged["weight"] = merged["weight"].fillna(1.0)
    merged["frequency"] = merged["_w"] * merged["weight"]
    table = (merged.groupby(["group", "topic"], sort=False)
             .agg(frequency=("frequency", "sum"), n_passages=("article_id", "size"),
                  n_articles=("article_id", "nunique"))
             .reset_index())
    total = table.groupby("group")["frequency"].transform("sum")
    table["share"] = table["frequency"] / total.where(total > 0)
    groups = _group_order(list(pd.unique(table["group"])), key)
    if key == "period" and fill_gaps:
        dated = [g for g in groups if g != UNDATED]
        if dated:
            groups = period_range(dated[0], dated[-1], period) + \
                [g for g in groups if g == UNDATED]
    order = {g: i for i, g in enumerate(groups)}
    topics = sorted(pd.unique(passages["topic"]))
    full = pd.MultiIndex.from_product([groups, topics], names=["group", "topic"])
    table = table.set_index(["group", "topic"]).reindex(full).reset_index()
    table[["frequency", "share"]] = table[["frequency", "share"]].fillna(0.0)
    table[["n_passages", "n_articles"]] = table[["n_passages", "n_articles"]].fillna(0).astype(int)
    table = table.sort_values(["group", "topic"], key=lambda c: c.map(order)
                              if c.name == "group" else c, kind="stable")
    table = table.rename(columns={"group": key})
    return table[[key, "topic", "frequency", "share", "n_passages", "n_articles"]] \
        .reset_index(drop=True)


def topic_shares_over_time(passages: pd.DataFrame, articles: pd.DataFrame, period: Period, *,
                           weight: str | None = None, fill_gaps: bool = True) -> pd.DataFrame:
    """Topic shares per period (a pandas-3-safe replacement for BERTopic's topics_over_time).

    Each passage counts with ``weight`` (1 by default, or ``"n_words"``) times its
    article's period weight (:func:`article_period_weights`).

    Parameters
    ----------
    passages : DataFrame
        ``article_id, topic`` (and the weight column).
    articles : DataFrame
        ``article_id, date`` (``date_min``, ``date_max`` when known).
    period : {"week", "month", "quarter", "year"}
    weight : str or None, default=None
    fill_gaps : bool, default=True
        Include periods without passages between the first and last (frequency 0).

    Returns
    -------
    DataFrame
        ``period, topic, frequency, share, n_passages, n_articles``; shares of
        a period sum to 1 over topics (outliers ``-1`` included).
    """
    return _topic_shares(passages, articles, "period", period, weight, fill_gaps)


def topic_shares_per_class(passages: pd.DataFrame, articles: pd.DataFrame, by: str, *,
                           weight: str | None = None) -> pd.DataFrame:
    """Topic shares per group of ``articles[by]`` (like BERTopic's topics_per_class).

    Returns
    -------
    DataFrame
        ``<by>, topic, frequency, share, n_passages, n_articles``.
    """
    return _topic_shares(passages, articles, by, None, weight, False)


def events_table(path: str | Path | None = None) -> pd.DataFrame:
    """Engagements of the events calendar as a ``date, label`` table for the figures.

    Parameters
    ----------
    path : path, optional
        The calendar YAML (default ``research/data/events.yaml``): its
        ``engagements`` (or ``events``) list, each entry with at least ``date``
        (ISO) and ``counterpart``; ``place`` is added to the label when present.
        Counterpart ids such as ``jim-mattis`` are shown as "Jim Mattis". The
        calendar is validated by :func:`research.dates.load_events`; this only
        reads what the figures need.

    Returns
    -------
    DataFrame
        ``date, label`` plus the entry's other fields, sorted by date; empty when
        the file does not exist or lists no engagements.
    """
    import yaml

    if path is None:
        ref = resources.files("research").joinpath("data/events.yaml")
        text = ref.read_text("utf-8") if ref.is_file() else None
    else:
        text = Path(path).read_text(encoding="utf-8") if Path(path).is_file() else None
    data = yaml.safe_load(text) if text else []
    if isinstance(data, dict):
        data = data.get("engagements", data.get("events", []))
    events = pd.DataFrame(list(data or []))
    if events.empty or "date" not in events:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"),
                             "label": pd.Series(dtype=object)})
    events["date"] = _to_datetime(events["date"].astype(str)).to_numpy()
    if "label" not in events:
        who = events.get("counterpart", pd.Series("", index=events.index)).fillna("").astype(str)
        who = [w.replace("-", " ").title() if w.islower() and " " not in w else w for w in who]
        where = events.get("place", pd.Series("", index=events.index)).fillna("").astype(str)
        events["label"] = [f"{w} ({p})" if p else w for w, p in zip(who, where, strict=True)]
    cols = ["date", "label"] + [c for c in events.columns if c not in ("date", "label")]
    return events[cols].dropna(subset=["date"]).sort_values("date", kind="stable") \
        .reset_index(drop=True)
