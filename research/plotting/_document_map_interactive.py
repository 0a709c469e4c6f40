"""Interactive document map (plotly): passages at their fixed 2-D coordinates.

Hovering a point shows the passage's article, topic label and text in Arabic; the
browser shapes and orders the Arabic itself. :func:`document_map_page` wraps the
figure in a self-contained page (``<title>``, ``lang="ar"``, plotly.js inline) with
a box that finds passages by word.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd

__all__ = ["plot_document_map_interactive", "document_map_page"]

#: Runs in the page: highlights the passages whose text contains the typed word.
#: Both sides are folded as Arabic search usually is: diacritics and tatweel dropped,
#: alef forms -> ا, alef maqsura -> ي, taa marbuta -> ه, Latin case ignored.
_SEARCH_JS = """
(function () {
  var gd = document.getElementById('{plot_id}');
  var box = document.getElementById('map-search');
  var hits = document.getElementById('map-hits');
  function fold(s) {
    return String(s).replace(/[\u064B-\u065F\u0670\u0640]/g, '')
      .replace(/[\u0623\u0625\u0622\u0671]/g, '\u0627').replace(/\u0649/g, '\u064A')
      .replace(/\u0629/g, '\u0647').toLowerCase();
  }
  var texts = gd.data.map(function (t) {
    return t.customdata.map(function (row) { return fold(row[2]); });
  });
  var base = gd.data.map(function (t) { return t.marker.size; });
  box.addEventListener('input', function () {
    var q = fold(box.value.trim()), n = 0;
    var found = texts.map(function (ts) {
      return ts.map(function (t) {
        var hit = q !== '' && t.indexOf(q) >= 0;
        n += hit;
        return hit;
      });
    });
    Plotly.restyle(gd, {
      'marker.opacity': found.map(function (f) {
        return f.map(function (hit) { return q === '' ? 0.85 : (hit ? 1 : 0.08); });
      }),
      'marker.size': found.map(function (f, i) {
        return f.map(function (hit) { return hit ? 12 : base[i]; });
      })
    });
    hits.textContent = q === '' ? '' : n + ' / ' + [].concat.apply([], texts).length;
  });
})();
"""


def plot_document_map_interactive(doc_map: pd.DataFrame, passages: pd.DataFrame,
                                  topics: pd.DataFrame, *, hover_chars: int = 220,
                                  hover_width: int = 70):
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
    hover_width : int, default=70
        Characters per line of the hover text (broken between words).

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Scattergl`` trace per topic; ``customdata`` rows are ``article_id``,
        the hover snippet and the passage text (searched by
        :func:`document_map_page`).
    """
    import plotly.graph_objects as go

    labels = topics.set_index("topic")["label"].to_dict()
    data = doc_map.merge(passages[["passage_id", "text"]], on="passage_id")
    # plotly's hover label does not wrap: break the snippet into lines by words
    data["snippet"] = [
        "<br>".join(textwrap.wrap(t[:hover_chars] + ("…" if len(t) > hover_chars else ""),
                                  hover_width))
        for t in data["text"].astype(str)]
    fig = go.Figure()
    for topic, rows in data.groupby("topic", sort=True):
        fig.add_trace(go.Scattergl(
            x=rows["x"].round(4), y=rows["y"].round(4), mode="markers",
            name=str(labels.get(topic, topic)),
            marker={"size": 7 if topic != -1 else 5,
                    "color": "lightgrey" if topic == -1 else None, "opacity": 0.85},
            customdata=rows[["article_id", "snippet", "text"]].to_numpy(),
            hovertemplate=("<b>%{fullData.name}</b><br>%{customdata[0]}<br>"
                           "%{customdata[1]}<extra></extra>"),
        ))
    fig.update_layout(
        title="Passages by topic (خريطة المقاطع حسب الموضوع)",
        xaxis={"visible": False}, yaxis={"visible": False}, template="plotly_white",
        legend={"title": "topic"}, height=650,
        hoverlabel={"font": {"family": "Noto Naskh Arabic, DejaVu Sans, sans-serif"},
                    "align": "right"},
    )
    return fig


def document_map_page(fig, *, title: str = "Document map: passages by topic",
                      div_id: str = "document_map") -> str:
    """Return a self-contained HTML page of the interactive document map.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        From :func:`plot_document_map_interactive`.
    title : str
        The page's ``<title>``.
    div_id : str, default="document_map"
        Id of the plot's element (fixed, so the page is byte-identical run to run).

    Returns
    -------
    str
        ``<html lang="ar">`` with a ``<title>``, plotly.js inline (about 4.8 MB: the
        page opens offline, from a clone or an e-mail) and a search box: typing a
        word (Arabic folded as in the module's ``_SEARCH_JS``, or Latin) enlarges the
        passages that contain it, dims the others and shows how many were found.
    """
    body = fig.to_html(include_plotlyjs=True, full_html=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": True},
                       post_script=_SEARCH_JS)
    return (
        "<!DOCTYPE html>\n<html lang=\"ar\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:'Noto Naskh Arabic','DejaVu Sans',sans-serif;margin:1em}"
        "#map-find{direction:rtl;margin-bottom:.5em}#map-search{font-size:1.1em;width:18em}"
        "</style>\n</head>\n<body>\n"
        "<div id=\"map-find\"><label for=\"map-search\">ابحث عن كلمة · "
        "<span dir=\"ltr\">find a word</span> </label>"
        "<input id=\"map-search\" type=\"search\" dir=\"auto\" autocomplete=\"off\"> "
        "<span id=\"map-hits\" dir=\"ltr\"></span></div>\n"
        f"{body}\n</body>\n</html>\n"
    )
