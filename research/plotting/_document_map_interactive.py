"""Interactive document map (plotly): passages at their fixed 2-D coordinates.

Hovering a point shows the passage's article, topic label and text in Arabic; the
browser shapes and orders the Arabic itself.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["plot_document_map_interactive"]


def plot_document_map_interactive(doc_map: pd.DataFrame, passages: pd.DataFrame,
                                  topics: pd.DataFrame, *, hover_chars: int = 220):
    """Return a plotly figure of the passages, one trace per topic.

    Parameters
    ----------
    doc_map : DataFrame
        article_id, passage_id, topic, x, y (``document_map.csv``).
    passages : DataFrame
        passage_id, text (``passages.csv``).
    topics : DataFrame
        topic, label (``topics.csv``).
    hover_chars : int, default=220
        Characters of passage text shown on hover.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    labels = topics.set_index("topic")["label"].to_dict()
    data = doc_map.merge(passages[["passage_id", "text"]], on="passage_id")
    data["snippet"] = data["text"].str.slice(0, hover_chars)
    fig = go.Figure()
    for topic, rows in data.groupby("topic", sort=True):
        fig.add_trace(go.Scattergl(
            x=rows["x"].round(4), y=rows["y"].round(4), mode="markers",
            name=str(labels.get(topic, topic)),
            marker={"size": 7 if topic != -1 else 5,
                    "color": "lightgrey" if topic == -1 else None, "opacity": 0.85},
            customdata=rows[["article_id", "snippet"]].to_numpy(),
            hovertemplate=("<b>%{fullData.name}</b><br>%{customdata[0]}<br>"
                           "<span style='direction:rtl'>%{customdata[1]}</span><extra></extra>"),
        ))
    fig.update_layout(
        title="Passages by topic (خريطة المقاطع حسب الموضوع)",
        xaxis={"visible": False}, yaxis={"visible": False}, template="plotly_white",
        legend={"title": "topic"}, height=650,
        hoverlabel={"font": {"family": "Noto Naskh Arabic, DejaVu Sans, sans-serif"}},
    )
    return fig
