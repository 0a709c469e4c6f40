"""The counterterrorism-minus-Gaza-humanitarian contrast over time or by group."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ._common import (
    figure_context,
    ltr_paragraph,
    mark_events,
    new_axes,
    period_span,
    shown_periods,
    theme_label_map,
)

__all__ = ["plot_contrast"]

_STATS = {"contrast", "ci_low", "ci_high", "share_a", "share_b", "n_articles", "n_effective",
          "few_articles"}


def plot_contrast(contrast: pd.DataFrame, *, by: str | None = None, a: str | None = None,
                  b: str | None = None, labels: Mapping[str, str] | None = None,
                  events: pd.DataFrame | None = None, shown: tuple[str, str] | None = None,
                  outside: int = 0, ax=None):
    """Draw a share contrast with its bootstrap interval.

    Parameters
    ----------
    contrast : DataFrame
        :func:`research.trends.contrast_trends` output.
    by : str, optional
        Its group column (``period`` or e.g. ``counterpart``); default the first
        column that is not a statistic.
    a, b : str, optional
        The contrasted themes, for the axis label; default the table's
        ``attrs`` or counterterrorism and gaza_humanitarian.
    labels : mapping, optional
        Theme id -> label.
    events : DataFrame, optional
        ``date, label``; marked on a time axis.
    shown : (str, str), optional
        First and last period to draw on a time axis (the run's central 95% of dates);
        every period when None.
    outside : int, default=0
        Dated articles outside ``shown``, noted under the axes.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        By period: a line with a shaded interval band (undated articles noted
        under the axes). By group: one point with an interval bar per group,
        sorted by contrast. Open markers: few articles. A line marks 0.
    """
    from research.trends import UNDATED, period_dates

    by = by or next(c for c in contrast.columns if c not in _STATS)
    a = a or contrast.attrs.get("a", "counterterrorism")
    b = b or contrast.attrs.get("b", "gaza_humanitarian")
    names = theme_label_map(labels)
    key = f"A = {names.get(a, a)}\nB = {names.get(b, b)}"
    with figure_context():
        fig, ax = new_axes(ax, figsize=(8, 6))
        band = 0.0  # height of the event labels above the axes (points)
        if by == "period":
            rows, range_note = shown_periods(contrast[contrast["period"] != UNDATED], shown,
                                             outside)
            rows = rows.copy()
            rows["x"] = period_dates(rows["period"].to_numpy(), "middle")
            rows = rows.sort_values("x")
            ax.fill_between(rows["x"], rows["ci_low"], rows["ci_high"], color="C3", alpha=0.2,
                            linewidth=0, label="bootstrap interval")
            ax.vlines(rows["x"], rows["ci_low"], rows["ci_high"], color="C3", linewidth=1,
                      alpha=0.6)  # shows the interval of isolated periods too
            ax.plot(rows["x"], rows["contrast"], color="C3", linewidth=1.6, label="contrast")
            few = rows["few_articles"].astype(bool).to_numpy()
            ax.plot(rows["x"][~few], rows["contrast"][~few], "o", color="C3", markersize=4)
            ax.plot(rows["x"][few], rows["contrast"][few], "o", color="C3", markersize=5,
                    markerfacecolor="white", label="few articles")
            ax.axhline(0, color="0.3", linewidth=0.8)
            band = mark_events(ax, events, *period_span(rows["period"])) if len(rows) else 0.0
            undated = contrast.loc[contrast["period"] == UNDATED]
            note = ""
            if len(undated) and int(undated["n_articles"].max()) > 0:
                u = undated.iloc[0]
                note = (f"  (undated articles, not on this axis: {int(u['n_articles'])}; "
                        f"contrast {u['contrast']:+.2f} [{u['ci_low']:+.2f}, {u['ci_high']:+.2f}])")
            ax.set_xlabel("Period" + note + (f"  ({range_note.lstrip('; ')})"
                                              if range_note else ""))
            ax.set_ylabel("Share of A minus share of B")
        else:
            rows = contrast.dropna(subset=["contrast"]).sort_values("contrast", kind="stable")
            y = range(len(rows))
            ax.hlines(y, rows["ci_low"], rows["ci_high"], color="C3", linewidth=2,
                      label="bootstrap interval")
            few = rows["few_articles"].astype(bool).to_numpy()
            ax.plot(rows["contrast"][~few], [i for i, f in zip(y, few, strict=True) if not f], "o",
                    color="C3", markersize=6, label="contrast")
            ax.plot(rows["contrast"][few], [i for i, f in zip(y, few, strict=True) if f], "o",
                    color="C3", markersize=6, markerfacecolor="white",
                    label="contrast, few articles")
            ax.axvline(0, color="0.3", linewidth=0.8)
            ax.set_yticks(list(y), [ltr_paragraph(f"{g} (n={int(n)})") for g, n in
                                    zip(rows[by], rows["n_articles"], strict=True)])
            ax.set_xlim(-1.05, 1.05)
            ax.set_xlabel("Share of A minus share of B")
        ax.set_title(f"Contrast of two themes by {by.replace('_', ' ')} (مقارنة الموضوعين)",
                     pad=6 + band)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8,
                  frameon=False, title=key, title_fontsize=8)
        return fig
