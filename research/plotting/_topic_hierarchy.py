"""Topic hierarchy: a dendrogram of the topics with their Arabic labels."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import figure_context, ltr, new_axes, not_estimated, shorten

__all__ = ["plot_topic_hierarchy", "hierarchy_linkage"]


def hierarchy_linkage(hierarchy: pd.DataFrame) -> tuple[np.ndarray, list[int]]:
    """Turn a tidy hierarchy table into a SciPy linkage matrix.

    Parameters
    ----------
    hierarchy : DataFrame
        ``parent, left, right, distance, n_topics`` (``topic_hierarchy.csv``, from
        :meth:`research.topics.ArabicTopicModel.hierarchical_topics`).

    Returns
    -------
    Z : ndarray of shape (n_merges, 4)
        As :func:`scipy.cluster.hierarchy.linkage` returns it.
    leaves : list of int
        The topic of each leaf index of ``Z``.

    Raises
    ------
    ValueError
        When the table is not one binary tree (a parent merged before its children).
    """
    h = hierarchy.sort_values("parent", kind="stable")
    parents = h["parent"].astype(int).tolist()
    children = set(h["left"].astype(int)) | set(h["right"].astype(int))
    leaves = sorted(children - set(parents))
    index = {t: i for i, t in enumerate(leaves)}
    index.update({p: len(leaves) + i for i, p in enumerate(parents)})
    rows = []
    for r in h.itertuples(index=False):
        a, b = index[int(r.left)], index[int(r.right)]
        if max(a, b) >= index[int(r.parent)]:
            raise ValueError(f"topic {r.parent} merges a topic formed after it")
        rows.append([min(a, b), max(a, b), float(r.distance), int(r.n_topics)])
    if len(rows) != len(leaves) - 1:
        raise ValueError(f"{len(rows)} merges for {len(leaves)} topics: not one tree")
    return np.asarray(rows, dtype=float), leaves


def plot_topic_hierarchy(hierarchy: pd.DataFrame, topics: pd.DataFrame | None = None, *,
                         ax=None, label_chars: int = 48):
    """Dendrogram of the topics: which merge first, and at what distance.

    Parameters
    ----------
    hierarchy : DataFrame
        ``topic_hierarchy.csv`` (:func:`hierarchy_linkage`).
    topics : DataFrame, optional
        ``topic, label`` (``topics.csv``) for the leaf labels.
    ax : matplotlib Axes, optional
    label_chars : int, default=48
        Leaf labels are shortened to this many characters.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from scipy.cluster.hierarchy import dendrogram

    if hierarchy.empty:
        with figure_context():
            fig, ax = new_axes(ax, figsize=(7.0, 2.5))
            not_estimated(ax, "no hierarchy: fewer than two topics")
            ax.set_title("Topic hierarchy (شجرة الموضوعات)")
        return fig
    Z, leaves = hierarchy_linkage(hierarchy)
    names = topics.set_index("topic")["label"] if topics is not None else pd.Series(dtype=str)
    # topic labels start with their number ("5: ..."); a topic without one shows its number
    labels = [shorten(str(names[t]), label_chars) if t in names.index else ltr(str(t))
              for t in leaves]
    with figure_context():
        fig, ax = new_axes(ax, figsize=(9.0, 1.6 + 0.45 * len(leaves)))
        dendrogram(Z, labels=labels, orientation="left", ax=ax, color_threshold=0,
                   above_threshold_color="#4c72b0")
        ax.set_xlabel("distance at which the topics merge (Ward linkage of c-TF-IDF, cosine)")
        ax.set_title("Topic hierarchy (شجرة الموضوعات)")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return fig
