"""Top words of each topic as horizontal bars (one panel per topic)."""

from __future__ import annotations

import math

import pandas as pd

from ._common import figure_context

__all__ = ["plot_topic_words"]


def plot_topic_words(
    topic_words: pd.DataFrame, *, n_words: int = 8, ncols: int = 3, include_outliers: bool = False
):
    """Draw the top words of every topic.

    Parameters
    ----------
    topic_words : DataFrame
        Columns topic, label, word, score (one row per topic word, as written to
        ``topic_words.csv``).
    n_words : int, default=8
        Words per topic.
    ncols : int, default=3
        Panels per row.
    include_outliers : bool, default=False
        Draw topic -1 too.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    df = topic_words if include_outliers else topic_words[topic_words["topic"] != -1]
    topics = sorted(df["topic"].unique())
    if not topics:
        raise ValueError("no topics to draw")
    ncols = min(ncols, len(topics))
    nrows = math.ceil(len(topics) / ncols)
    with figure_context():
        fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.6 * nrows),
                                 layout="constrained", squeeze=False)
        for ax, topic in zip(axes.flat, topics, strict=False):
            rows = df[df["topic"] == topic].nlargest(n_words, "score").iloc[::-1]
            ax.barh(range(len(rows)), rows["score"], color=f"C{topic % 10}")
            ax.set_yticks(range(len(rows)), rows["word"])
            ax.set_title(str(rows["label"].iloc[0]) if len(rows) else f"topic {topic}")
            ax.set_xlabel("c-TF-IDF")
        for ax in axes.flat[len(topics):]:
            ax.set_visible(False)
        fig.suptitle("Topic words (كلمات الموضوعات)")
    return fig
