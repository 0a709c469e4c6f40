"""Theme shares over time with bootstrap interval bands and engagements marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from research.plotting._style import figure_context, new_axes
from research.plotting._style import ltr_paragraph as _ltr

__all__ = ["plot_theme_trends", "theme_label_map"]


def theme_label_map(labels: Mapping[str, str] | None = None, *, sep: str = " · ") -> dict:
    """Return theme id -> "English name<sep>Arabic name" (shipped set, updated by ``labels``)."""
    from research.theme_set import load_themes

    out = {t.id: f"{t.name}{sep}{t.name_ar}" for t in load_themes()}
    out.update(labels or {})
    return {k: _ltr(v) for k, v in out.items()}


def _mark_events(ax, events: pd.DataFrame | None, lo, hi, *, min_gap: float = 0.02) -> int:
    """Draw a dashed line per event inside [lo, hi] and label them; return how many.

    An event that falls on or just after the label of the run before it (a run's
    label is one column of text per event, each about ``min_gap / 2`` of the date span
    wide, right of the run's last line) joins that run, so labels never overlap and
    no line crosses a label.
    """
    if events is None or len(events) == 0:
        return 0
    dates = pd.to_datetime(events["date"], errors="coerce")
    labels = events["label"] if "label" in events else pd.Series("", index=events.index)
    inside = (dates.notna() & (dates >= lo) & (dates <= hi)).to_numpy()
    rows = sorted(zip(dates[inside], labels[inside].astype(str), strict=True))
    line = (hi - lo) * min_gap / 2  # about the width of one column of 7-point text
    runs: list[tuple[list[str], pd.Timestamp]] = []  # (labels, date of the last line)
    for date, label in rows:
        ax.axvline(date, color="0.55", linestyle="--", linewidth=0.8, zorder=0)
        if runs and date - runs[-1][1] < line * (len(runs[-1][0]) + 1):
            runs[-1] = (runs[-1][0] + [label], date)
        else:
            runs.append(([label], date))
    for names, last in runs:
        ax.annotate("\n".join(_ltr(n) for n in names), (last, 1),
                    xycoords=("data", "axes fraction"), xytext=(2, -2),
                    textcoords="offset points", rotation=90, ha="left", va="top",
                    fontsize=7, color="0.35")
    return len(rows)


def _span(periods: pd.Series):
    """First day of the earliest and last day of the latest period."""
    from research.trends import period_dates

    return period_dates(periods, "start").min(), period_dates(periods, "end").max()


def plot_theme_trends(trends: pd.DataFrame, *, themes: Sequence[str] | None = None,
                      labels: Mapping[str, str] | None = None,
                      events: pd.DataFrame | None = None, ax=None):
    """Draw theme shares per period with their bootstrap intervals.

    Parameters
    ----------
    trends : DataFrame
        :func:`research.trends.theme_trends` by period: ``period, theme, share,
        ci_low, ci_high, n_articles, few_articles``.
    themes : sequence of str, optional
        Themes to draw, in legend order; default every theme but ``other``.
    labels : mapping, optional
        Theme id -> label; default "English name · Arabic name" from the theme set.
    events : DataFrame, optional
        ``date, label`` (e.g. :func:`research.trends.events_table`); each event inside
        the plotted range is marked with a dashed vertical line.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        One line per theme (hollow markers where the period has few articles),
        a shaded band per theme for its interval. The number of undated articles,
        which have no place on the time axis, is noted under the axes.
    """
    from research.trends import UNDATED, period_dates

    if "period" not in trends.columns:
        raise ValueError("trends must be a theme_trends table by period (no 'period' column)")
    names = theme_label_map(labels)
    themes = list(themes) if themes is not None else [
        t for t in pd.unique(trends["theme"]) if t != "other"]
    with figure_context():
        fig, ax = new_axes(ax, figsize=(8.5, 5.5))
        dated = trends[trends["period"] != UNDATED].copy()
        dated["x"] = period_dates(dated["period"].to_numpy(), "middle")
        for i, theme in enumerate(themes):
            rows = dated[dated["theme"] == theme].sort_values("x")
            if rows.empty:
                continue
            color = f"C{i % 10}"
            ax.fill_between(rows["x"], rows["ci_low"], rows["ci_high"], color=color, alpha=0.18,
                            linewidth=0)
            ax.vlines(rows["x"], rows["ci_low"], rows["ci_high"], color=color, linewidth=1,
                      alpha=0.6)  # shows the interval of isolated periods too
            ax.plot(rows["x"], rows["share"], color=color, linewidth=1.6,
                    label=names.get(theme, theme))
            few = rows["few_articles"].astype(bool).to_numpy()
            ax.plot(rows["x"][~few], rows["share"][~few], "o", color=color, markersize=4)
            ax.plot(rows["x"][few], rows["share"][few], "o", color=color, markersize=5,
                    markerfacecolor="white")
        if len(dated):
            _mark_events(ax, events, *_span(dated["period"]))
        ax.set_ylim(0, max(1.0, float(np.nanmax(dated["ci_high"], initial=0)) * 1.02))
        ax.set_ylabel("Mean article share")
        undated = trends.loc[trends["period"] == UNDATED, "n_articles"]
        n_undated = int(undated.max()) if len(undated) else 0
        ax.set_xlabel("Period" + (f"  (undated articles, not on this axis: {n_undated})"
                                  if n_undated else ""))
        ax.set_title("Theme shares over time (حصص الموضوعات عبر الزمن)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=8,
                  frameon=False, title="bands: bootstrap interval; open markers: few articles",
                  title_fontsize=7)
        return fig
