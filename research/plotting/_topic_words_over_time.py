"""Topic words per period as small multiples: one row per topic, one panel per period."""

from __future__ import annotations

import pandas as pd

from ._common import figure_context, ltr_paragraph, shorten

__all__ = ["plot_topic_words_over_time"]

_FLAGS = {"emerging": ("▲ emerging", "C2"), "fading": ("▼ fading", "C3")}


def _choose_periods(words: pd.DataFrame, shown, max_periods: int) -> tuple[list[str], str]:
    from research.trends import UNDATED

    cells = words[words["period"] != UNDATED].drop_duplicates(["period", "topic"])
    if shown and shown[0]:
        cells = cells[(cells["period"] >= shown[0]) & (cells["period"] <= shown[1])]
    size = cells.groupby("period")["n_passages"].sum()
    periods = sorted(size.index)
    if len(periods) <= max_periods:
        return periods, ""
    kept = sorted(size.sort_values(ascending=False, kind="stable").index[:max_periods])
    return kept, f"the {max_periods} of {len(periods)} periods with most passages"


def plot_topic_words_over_time(words: pd.DataFrame, topics: pd.DataFrame | None = None, *,
                               n_topics: int = 4, n_words: int = 6, max_periods: int = 6,
                               emerging: pd.DataFrame | None = None,
                               shown: tuple[str, str] | None = None):
    """Draw the words of the largest topics period by period.

    Parameters
    ----------
    words : DataFrame
        :func:`research.trends.topic_words_over_time` output: ``period, topic, rank,
        word, score, count, n_passages``.
    topics : DataFrame, optional
        ``topic, size, label``: the largest topics are drawn (default: by passages
        in ``words``).
    n_topics : int, default=4
        Topics drawn (outliers, ``-1``, never).
    n_words : int, default=6
        Words per panel.
    max_periods : int, default=6
        Most periods drawn: the ones with most passages of the drawn topics.
    emerging : DataFrame, optional
        :func:`research.trends.topics_emerging` output; flagged panels are marked.
    shown : (str, str), optional
        First and last period to draw (the run's central 95% of dates).

    Returns
    -------
    matplotlib.figure.Figure
        One row (a subfigure titled with the topic's label) per topic, one panel
        per period with the c-TF-IDF of its top words there; a period where the
        topic has no passage says so.
    """
    import matplotlib.pyplot as plt

    from research.trends import UNDATED

    words = words[words["topic"] != -1]
    if topics is not None and "size" in topics:
        ranked = topics[topics["topic"] != -1].sort_values(["size", "topic"],
                                                           ascending=[False, True])["topic"]
    else:
        ranked = (words.drop_duplicates(["period", "topic"]).groupby("topic")["n_passages"]
                  .sum().sort_values(ascending=False, kind="stable").index)
    chosen = [t for t in ranked if t in set(words["topic"])][:n_topics]
    labels = (topics.set_index("topic")["label"].to_dict()
              if topics is not None and "label" in topics else {})
    flags = {}
    if emerging is not None and len(emerging):
        flagged = emerging[emerging["status"].isin(list(_FLAGS))]
        flags = {(p, t): s for p, t, s in zip(flagged["period"], flagged["topic"],
                                              flagged["status"], strict=True)}
    picked = words[words["topic"].isin(chosen) & (words["period"] != UNDATED)]
    periods, note = _choose_periods(picked, shown, max_periods)
    with figure_context():
        fig = plt.figure(figsize=(0.6 + 2.35 * max(len(periods), 1),
                                  0.9 + 2.2 * max(len(chosen), 1)), layout="constrained")
        if not chosen or not periods:
            fig.text(0.5, 0.5, "No topic words to draw", ha="center", va="center")
            return fig
        rows = fig.subfigures(len(chosen), 1, squeeze=False)[:, 0]
        for k, (sub, topic) in enumerate(zip(rows, chosen, strict=True)):
            sub.suptitle(ltr_paragraph(shorten(labels.get(topic, f"topic {topic}"), 70)),
                         fontsize=10, x=0.01, ha="left")
            axes = sub.subplots(1, len(periods), squeeze=False)[0]
            for ax, period in zip(axes, periods, strict=True):
                cell = picked[(picked["topic"] == topic) & (picked["period"] == period)]
                cell = cell.sort_values("rank").head(n_words).iloc[::-1]
                flag, color = _FLAGS.get(flags.get((period, topic)), ("", "0.2"))
                n = int(cell["n_passages"].iloc[0]) if len(cell) else 0
                ax.set_title(ltr_paragraph(f"{period} (n={n}) {flag}".strip()), fontsize=8,
                             color=color)
                if cell.empty:
                    ax.text(0.5, 0.5, "no passages", transform=ax.transAxes, ha="center",
                            va="center", fontsize=8, color="0.5")
                    ax.set_xticks([])
                    ax.set_yticks([])
                    continue
                ax.barh(range(len(cell)), cell["score"], color=f"C{k % 10}")
                ax.set_yticks(range(len(cell)), cell["word"], fontsize=8)
                ax.tick_params(axis="x", labelsize=6)
        fig.suptitle("Topic words per period: c-TF-IDF within the period (كلمات الموضوعات عبر "
                     "الزمن)" + (f"; {note}" if note else ""), fontsize=11)
        return fig
