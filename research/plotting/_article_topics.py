"""Article x topic share heatmap."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import figure_context, ltr, new_axes, shorten

__all__ = ["plot_article_topics"]


def plot_article_topics(
    article_topics: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    topics: pd.DataFrame | None = None,
    *,
    ax=None,
    max_articles: int = 60,
):
    """Heatmap of each article's topic shares.

    Parameters
    ----------
    article_topics : DataFrame
        Columns article_id, topic, share.
    articles : DataFrame, optional
        Columns article_id and title (and optionally counterpart) for row labels.
    topics : DataFrame, optional
        Columns topic and label for column labels.
    ax : matplotlib Axes, optional
    max_articles : int, default=60
        Draw at most this many articles (the first ones by id).

    Returns
    -------
    matplotlib.figure.Figure
    """
    grid = article_topics.pivot_table(index="article_id", columns="topic", values="share",
                                      aggfunc="sum", fill_value=0.0).sort_index()
    grid = grid.iloc[:max_articles]
    row_labels = list(grid.index)
    if articles is not None and "title" in articles.columns:
        info = articles.set_index("article_id")
        row_labels = []
        for aid in grid.index:
            title = shorten(info.at[aid, "title"], 45) if aid in info.index else ""
            tag = ltr(f"[{aid}]")
            row_labels.append(f"{title}  {tag}" if title else tag)
    col_labels = [str(t) for t in grid.columns]
    if topics is not None:
        names = topics.set_index("topic")["label"]
        col_labels = [str(names.get(t, t)) for t in grid.columns]
    with figure_context():
        fig, ax = new_axes(ax, figsize=(5.0 + 0.9 * grid.shape[1], 3.5 + 0.42 * grid.shape[0]))
        im = ax.imshow(grid.to_numpy(), aspect="auto", cmap="viridis", vmin=0, vmax=1)
        ax.set_xticks(np.arange(grid.shape[1]), col_labels, rotation=40, ha="right",
                      rotation_mode="anchor")
        ax.set_yticks(np.arange(grid.shape[0]), row_labels)
        for (i, j), v in np.ndenumerate(grid.to_numpy()):
            if v >= 0.005:
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8,
                        color="white" if v < 0.6 else "black")
        ax.set_xlabel("topic")
        ax.set_title("Topic shares per article (حصص الموضوعات في كل مقال)")
        fig.colorbar(im, ax=ax, label="share of words", shrink=0.9)
    return fig
