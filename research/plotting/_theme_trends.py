"""Theme shares over time with bootstrap interval bands and engagements marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._common import (
    figure_context,
    mark_events,
    new_axes,
    period_span,
    shown_periods,
    theme_label_map,
)

__all__ = ["plot_theme_trends"]


def plot_theme_trends(trends: pd.DataFrame, *, themes: Sequence[str] | None = None,
                      labels: Mapping[str, str] | None = None,
                      events: pd.DataFrame | None = None,
                      shown: tuple[str, str] | None = None, outside: int = 0, ax=None):
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
        ``date, label`` (e.g. :func:`research.annotate.events_table`); each event inside
        the plotted range is marked with a dashed vertical line.
    shown : (str, str), optional
        First and last period to draw (a run's central 95% of dates, ``run.json``
        ``time_axis``); every period when None.
    outside : int, default=0
        Dated articles outside ``shown``, noted under the axes.
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
        fig, ax = new_axes(ax, figsize=(8.5, 6.5))
        dated, range_note = shown_periods(trends[trends["period"] != UNDATED], shown, outside)
        dated = dated.copy()
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
        band = mark_events(ax, events, *period_span(dated["period"])) if len(dated) else 0.0
        ax.set_ylim(0, max(1.0, float(np.nanmax(dated["ci_high"], initial=0)) * 1.02))
        ax.set_ylabel("Mean article share")
        undated = trends.loc[trends["period"] == UNDATED, "n_articles"]
        n_undated = int(undated.max()) if len(undated) else 0
        notes = ([f"undated articles, not on this axis: {n_undated}"] if n_undated else []) \
            + ([range_note.lstrip("; ")] if range_note else [])
        ax.set_xlabel("Period" + (f"  ({'; '.join(notes)})" if notes else ""))
        ax.set_title("Theme shares over time (حصص الموضوعات عبر الزمن)", pad=6 + band)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=8,
                  frameon=False, title="bands: bootstrap interval; open markers: few articles",
                  title_fontsize=7)
        return fig
