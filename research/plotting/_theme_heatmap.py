"""Theme shares by counterpart (or country, role, period) as a heatmap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._common import figure_context, ltr_paragraph, new_axes, theme_label_map, wrap_label

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
        Theme id -> label; default ``"English name · Arabic name"``. Column labels
        are horizontal, each part on its own lines (wrapped at 14 characters).
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
    names = theme_label_map(labels)
    themes = list(themes) if themes is not None else list(pd.unique(trends["theme"]))
    table = trends.pivot(index=by, columns="theme", values="share")
    groups = list(pd.unique(trends[by]))
    table = table.reindex(index=groups, columns=themes)
    meta = trends.drop_duplicates(by).set_index(by).reindex(groups)
    values = table.to_numpy(dtype=float)
    with figure_context():
        # about 0.07 in per character of the longest row label, 1.1 in per column
        longest = max((len(str(g)) for g in groups), default=0) + 8
        fig, ax = new_axes(ax, figsize=(1.0 + 0.07 * longest + 1.1 * len(themes),
                                        1.6 + 0.42 * len(groups)))
        image = ax.imshow(values, cmap=cmap, vmin=0, vmax=max(1e-9, np.nanmax(values, initial=0)),
                          aspect="auto")
        rows = [ltr_paragraph(f"{g} (n={int(n)}){' *' if few else ''}")
                for g, n, few in zip(groups, meta["n_articles"], meta["few_articles"], strict=True)]
        ax.set_yticks(range(len(groups)), rows)
        # horizontal, the English name over the Arabic one, wrapped to the column
        ax.set_xticks(range(len(themes)), [wrap_label(names.get(t, t), 14) for t in themes],
                      fontsize=7.5, linespacing=1.15)
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
            # under the column labels, as the axis label (never over a column label)
            ax.set_xlabel("* few articles: read with care", fontsize=7, color="0.35",
                          loc="left")
        return fig
