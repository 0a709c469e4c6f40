"""Theme shares by counterpart (or country, role, period) as a heatmap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._common import figure_context, ltr_paragraph, new_axes, theme_label_map

__all__ = ["plot_theme_heatmap"]

_STATS = {"share", "ci_low", "ci_high", "n_articles", "n_effective", "few_articles", "theme"}


def plot_theme_heatmap(trends: pd.DataFrame, *, by: str | None = None,
                       themes: Sequence[str] | None = None,
                       labels: Mapping[str, str] | None = None, annotate: bool = True,
                       cmap: str = "Blues", ax=None):
    """Draw a group x theme heatmap of mean shares.

    Parameters
    ----------
    trends : DataFrame
        :func:`research.trends.theme_trends` by a group column (``counterpart``,
        ``counterpart_country``, ``counterpart_role``) or by period.
    by : str, optional
        The group column; default the first column that is not a statistic.
    themes : sequence of str, optional
        Columns, in order; default every theme in the table (``other`` included).
    labels : mapping, optional
        Theme id -> label; default English name over Arabic name.
    annotate : bool, default=True
        Write the share in each cell.
    cmap : str, default="Blues"
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        Rows are groups, labelled with their number of articles; groups flagged
        ``few_articles`` are marked with an asterisk.
    """
    by = by or next(c for c in trends.columns if c not in _STATS)
    names = theme_label_map(labels, sep="\n")
    themes = list(themes) if themes is not None else list(pd.unique(trends["theme"]))
    table = trends.pivot(index=by, columns="theme", values="share")
    groups = list(pd.unique(trends[by]))
    table = table.reindex(index=groups, columns=themes)
    meta = trends.drop_duplicates(by).set_index(by).reindex(groups)
    values = table.to_numpy(dtype=float)
    with figure_context():
        fig, ax = new_axes(ax, figsize=(1.0 + 1.05 * len(themes), 1.6 + 0.42 * len(groups)))
        image = ax.imshow(values, cmap=cmap, vmin=0, vmax=max(1e-9, np.nanmax(values, initial=0)),
                          aspect="auto")
        rows = [ltr_paragraph(f"{g} (n={int(n)}){' *' if few else ''}")
                for g, n, few in zip(groups, meta["n_articles"], meta["few_articles"], strict=True)]
        ax.set_yticks(range(len(groups)), rows)
        ax.set_xticks(range(len(themes)), [names.get(t, t) for t in themes], rotation=45,
                      ha="right", rotation_mode="anchor", fontsize=8)
        ax.tick_params(length=0)
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        if annotate:
            top = np.nanmax(values, initial=0)
            for (i, j), v in np.ndenumerate(values):
                if np.isfinite(v):
                    ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7,
                            color="white" if v > 0.6 * top else "black")
        fig.colorbar(image, ax=ax, label="Mean article share", shrink=0.8)
        ax.set_title(f"Theme shares by {by.replace('_', ' ')} (حصص الموضوعات)")
        if meta["few_articles"].astype(bool).any():
            ax.annotate("* few articles: read with care", (0, 0), xycoords="axes fraction",
                        xytext=(0, -4), textcoords="offset points", fontsize=7, color="0.35",
                        va="top", ha="right")
        return fig
