"""Before/after differences of theme shares, with intervals and adjusted significance."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._common import figure_context, new_axes, not_estimated, shorten, theme_label_map

__all__ = ["plot_theme_change"]


def plot_theme_change(change: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
                      ax=None):
    """Draw the change of every theme's share between two spans of time.

    Parameters
    ----------
    change : DataFrame
        :func:`research.trends.theme_change` output (``theme_change.csv``).
    labels : mapping, optional
        Theme id -> label; default "English name · Arabic name".
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        One row per theme, sorted by the difference: the point (filled when the
        Benjamini-Hochberg adjusted p-value is below the table's significance
        level, hollow otherwise) and its bootstrap interval, with the adjusted
        p-value written right of the axes. When nothing could be tested, the figure
        says why instead.
    """
    names = theme_label_map(labels)
    ok = change[change["status"].astype(str) == "ok"].sort_values("difference", kind="stable")
    with figure_context():
        fig, ax = new_axes(ax, figsize=(8, 1.8 + 0.42 * max(len(ok), 3)))
        if len(change):
            first = change.iloc[0]
            span = (f"{first['after']} (n={int(first['n_after'])}) "
                    f"vs {first['before']} (n={int(first['n_before'])})")
        else:
            span = "no themes"
        ax.set_title(f"Change in theme share: {span}\nتغير حصص الموضوعات", fontsize=10)
        if ok.empty:
            why = str(change["status"].iloc[0]) if len(change) else "no themes"
            not_estimated(ax, "Not tested: " + shorten(why, 160))
            return fig
        y = np.arange(len(ok))
        sig = ok["significant"].astype(bool).to_numpy()
        ax.hlines(y, ok["ci_low"], ok["ci_high"], color="C3", linewidth=2)
        ax.plot(ok["difference"][sig], y[sig], "o", color="C3", markersize=7,
                label="significant after Benjamini-Hochberg adjustment")
        ax.plot(ok["difference"][~sig], y[~sig], "o", color="C3", markersize=7,
                markerfacecolor="white", label="not significant after adjustment")
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.set_yticks(y, [names.get(t, t) for t in ok["theme"]])
        reach = float(np.nanmax(np.abs(ok[["ci_low", "ci_high"]].to_numpy(dtype=float)),
                                initial=0.01))
        ax.set_xlim(-reach * 1.15, reach * 1.15)
        for yi, (p, s) in enumerate(zip(ok["p_adjusted"], sig, strict=True)):
            ax.annotate(f"p_adj = {p:.3f}{' *' if s else ''}", (1, yi),
                        xycoords=("axes fraction", "data"), xytext=(6, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=7,
                        color="0.2" if s else "0.5")
        ax.set_ylim(-0.7, len(ok) - 0.3)
        ax.set_xlabel(f"Share after minus share before (bars: bootstrap interval; "
                      f"p: {ok['test'].iloc[0]})")
        ax.grid(axis="x", color="0.9")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / max(len(ok), 3)),
                  ncol=2, fontsize=8, frameon=False)
        return fig
