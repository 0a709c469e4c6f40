"""Predicted theme shares per counterpart or period, the other covariates held at their mix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._common import (
    figure_context,
    ltr_paragraph,
    new_axes,
    not_estimated,
    shorten,
    theme_label_map,
)

__all__ = ["plot_theme_margins"]

_DODGE = 0.18


def _level_label(row) -> str:
    label = f"{row['level']} (n={int(row['n_level'])})"
    pooled = str(row.get("pooled_from", "") or "")
    if pooled:
        label += f", {len(pooled.split('; '))} pooled"
    return ltr_paragraph(label)


def plot_theme_margins(margins: pd.DataFrame, *, by: str = "counterpart",
                       themes: Sequence[str] = ("counterterrorism", "gaza_humanitarian"),
                       labels: Mapping[str, str] | None = None, ax=None):
    """Draw predicted theme shares per level of one covariate, with their intervals.

    Parameters
    ----------
    margins : DataFrame
        :func:`research.trends.theme_effects` margins (``theme_margins.csv``):
        ``theme, covariate, level, share, ci_low, ci_high, observed, n_level,
        pooled_from, interval, status``.
    by : str, default="counterpart"
        The covariate whose levels are compared (``counterpart``, ``period``,
        ``source``).
    themes : sequence of str, default=("counterterrorism", "gaza_humanitarian")
        The themes drawn side by side.
    labels : mapping, optional
        Theme id -> label; default "English name · Arabic name".
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        One row per level (counterparts by the first theme's predicted share,
        periods in time order, a pooled level last), a point and interval bar per
        theme, the raw (unadjusted) mean as a cross. When the model could not be
        estimated, the figure says why instead.
    """
    names = theme_label_map(labels)
    themes = list(themes)
    rows = margins[(margins["covariate"] == by) & margins["theme"].isin(themes)]
    ok = rows[rows["status"].astype(str).str.startswith("ok") & rows["share"].notna()]
    others = sorted(set(margins.loc[margins["share"].notna(), "covariate"]) - {by, ""})
    held = f" ({', '.join(others)} held at the observed mix)" if others else ""
    with figure_context():
        levels = list(pd.unique(ok["level"]))
        fig, ax = new_axes(ax, figsize=(8, 1.8 + 0.42 * max(len(levels), 3)))
        ax.set_title(f"Predicted theme share by {by}{held}\nالحصة المتوقعة للموضوع",
                     fontsize=10)
        if ok.empty:
            status = margins.loc[margins["status"].astype(str) != "ok", "status"]
            why = str(status.iloc[0]) if len(status) else f"no {by} in the model"
            not_estimated(ax, "Not estimated: " + shorten(why, 160))
            return fig
        first = ok[ok["theme"] == themes[0]].set_index("level")
        if by == "period":
            levels = sorted(lv for lv in levels if not lv.startswith("other ")) + \
                [lv for lv in levels if lv.startswith("other ")]
        else:
            pooled = [lv for lv in levels if lv.startswith("other ")]
            levels = sorted((lv for lv in levels if lv not in pooled),
                            key=lambda lv: (-first["share"].get(lv, -1), lv)) + pooled
        y = {lv: len(levels) - 1 - i for i, lv in enumerate(levels)}
        for k, theme in enumerate(themes):
            t = ok[ok["theme"] == theme]
            if t.empty:
                continue
            pos = np.array([y[lv] for lv in t["level"]]) + _DODGE * (0.5 - k)
            color = f"C{k}"
            ax.hlines(pos, t["ci_low"], t["ci_high"], color=color, linewidth=2)
            ax.plot(t["share"], pos, "o", color=color, markersize=6,
                    label=names.get(theme, theme))
            ax.plot(t["observed"], pos, "x", color=color, markersize=5, alpha=0.7)
        ax.plot([], [], "x", color="0.4", label="raw mean (not adjusted)")
        meta = ok.drop_duplicates("level").set_index("level", drop=False)
        ax.set_yticks([y[lv] for lv in levels], [_level_label(meta.loc[lv]) for lv in levels])
        top = float(np.nanmax(ok[["ci_high", "observed"]].to_numpy(dtype=float), initial=0))
        ax.set_xlim(0, min(1.0, max(0.05, top * 1.1)))
        ax.set_ylim(-0.7, len(levels) - 0.3)
        interval = {"delta": "delta-method"}.get(*[str(ok["interval"].iloc[0])] * 2)
        ax.set_xlabel(f"Predicted share, averaged over the model's articles "
                      f"(bars: {interval} interval)")
        ax.grid(axis="x", color="0.9")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / max(len(levels), 3)),
                  ncol=3, fontsize=8, frameon=False)
        return fig
