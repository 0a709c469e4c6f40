"""Document map: passages in 2-D, coloured by topic."""

from __future__ import annotations

import math

import pandas as pd

from ._common import figure_context, new_axes

__all__ = ["plot_document_map"]


def plot_document_map(doc_map: pd.DataFrame, topics: pd.DataFrame | None = None, *, ax=None):
    """Scatter the passages of a run at their fixed 2-D coordinates.

    Parameters
    ----------
    doc_map : DataFrame
        Columns passage_id, topic, x, y (``document_map.csv``).
    topics : DataFrame, optional
        Columns topic and label, for the legend.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    labels = {} if topics is None else topics.set_index("topic")["label"].to_dict()
    # the legend takes a column per 24 topics, so that many topics never squeeze the map
    ncol = max(1, math.ceil(doc_map["topic"].nunique() / 24))
    with figure_context():
        fig, ax = new_axes(ax, figsize=(8 + 3.5 * (ncol - 1), 5.5))
        for topic, rows in doc_map.groupby("topic", sort=True):
            outlier = topic == -1
            ax.scatter(rows["x"], rows["y"], s=28 if not outlier else 14,
                       color="lightgrey" if outlier else f"C{topic % 10}",
                       label=str(labels.get(topic, f"{topic}")), alpha=0.85,
                       edgecolors="none")
            if not outlier:
                ax.annotate(str(topic), (rows["x"].mean(), rows["y"].mean()), fontsize=11,
                            weight="bold", ha="center", va="center")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("UMAP 1")
        ax.set_ylabel("UMAP 2")
        ax.set_title("Passages by topic (خريطة المقاطع حسب الموضوع)")
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False,
                  ncol=ncol)
    return fig
