"""Save the figures of a run folder into a figures folder (PNG and SVG), deterministically.

Drawing lives in :mod:`research.plotting`; this module only reads a run's tables,
calls the plot functions and writes files. SVGs carry no date and use a fixed id
salt, so the same tables give byte-identical SVG files; PNGs carry no software or
date stamp either.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from research._io import atomic_write_bytes
from research.runs import read_table

__all__ = ["write_figures", "save_figure", "save_html", "FIGURES", "INTERACTIVE"]

logger = logging.getLogger(__name__)


def save_figure(fig, stem: Path, formats: tuple[str, ...] = ("png", "svg"), dpi: int = 150):
    """Write ``fig`` as ``stem.<format>`` for each format, without timestamps; return the paths."""
    import matplotlib.pyplot as plt

    from research.plotting import figure_context

    paths = []
    for fmt in formats:
        buf = io.BytesIO()
        meta = {"Date": None} if fmt == "svg" else {"Software": None}
        with figure_context():  # SVG id salt and font handling are read at save time
            fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta, bbox_inches="tight",
                        pad_inches=0.15)
        path = stem.with_suffix(f".{fmt}")
        atomic_write_bytes(path, buf.getvalue())
        paths.append(path)
    plt.close(fig)
    return paths


def _read(run: Path, name: str) -> pd.DataFrame:
    return read_table(run / name)


def _topic_words(run: Path):
    from research.plotting import plot_topic_words

    words = _read(run, "topic_words.csv")
    return plot_topic_words(words)


def _article_topics(run: Path):
    from research.plotting import plot_article_topics

    return plot_article_topics(_read(run, "article_topics.csv"), _read(run, "articles.csv"),
                               _read(run, "topics.csv"))


def _topic_hierarchy(run: Path):
    from research.plotting import plot_topic_hierarchy

    return plot_topic_hierarchy(_read(run, "topic_hierarchy.csv"), _read(run, "topics.csv"))


def _document_map(run: Path):
    from research.plotting import plot_document_map

    return plot_document_map(_read(run, "document_map.csv"), _read(run, "topics.csv"))


def theme_labels_for(run: Path) -> dict[str, str]:
    """Theme id -> "English name · Arabic name", from the run's own theme set."""
    from research.runs import load_run
    from research.themes import theme_labels

    return theme_labels(load_run(run).data_file("themes"))


def time_axis_for(run: Path) -> dict:
    """Return the periods that time figures show (central 95% of dates) and the count outside."""
    from research.runs import load_run

    axis = load_run(run).record.get("time_axis") or {}
    if not axis.get("shown_from"):
        return {}
    return {"shown": (axis["shown_from"], axis["shown_to"]),
            "outside": int(axis.get("articles_outside", 0))}


def _theme_trends(run: Path):
    from research.plotting import plot_theme_trends

    return plot_theme_trends(_read(run, "trends_time.csv"), events=events_for(run),
                             labels=theme_labels_for(run), **time_axis_for(run))


def _theme_heatmap(run: Path):
    from research.plotting import plot_theme_heatmap

    return plot_theme_heatmap(_read(run, "trends_counterpart.csv"), by="counterpart",
                              labels=theme_labels_for(run))


def _contrast(run: Path):
    from research.plotting import plot_contrast

    return plot_contrast(_read(run, "contrast_time.csv"), by="period", events=events_for(run),
                         labels=theme_labels_for(run), **time_axis_for(run))


def events_for(run: Path) -> pd.DataFrame:
    """Engagements of the run's events calendar with its counterparts (marked on time charts).

    Engagements with officials who appear in no article of the run would only
    clutter its charts; when no counterpart matches, the whole calendar is used.
    """
    from research.annotate import events_table, load_events, load_gazetteer
    from research.runs import load_run

    folder = load_run(run)
    events = events_table(load_events(folder.data_file("events")),
                          load_gazetteer(folder.data_file("gazetteer")))
    articles = _read(run, "articles.csv")
    if "counterpart" not in articles.columns:
        return events
    present = set(articles["counterpart"]) - {""}
    mine = events[events["counterpart"].isin(present)]
    return mine if len(mine) else events


def _theme_margins(by: str):
    def draw(run: Path):
        from research.plotting import plot_theme_margins

        return plot_theme_margins(_read(run, "theme_margins.csv"), by=by,
                                  labels=theme_labels_for(run))

    return draw


def _theme_change(run: Path):
    from research.plotting import plot_theme_change

    return plot_theme_change(_read(run, "theme_change.csv"), labels=theme_labels_for(run))


def _topic_words_over_time(run: Path):
    from research.plotting import plot_topic_words_over_time

    shown = time_axis_for(run).get("shown")
    return plot_topic_words_over_time(_read(run, "topic_words_over_time.csv"),
                                      _read(run, "topics.csv"),
                                      emerging=_read(run, "topics_emerging.csv"), shown=shown)


# name → function(run folder) -> Figure. Order is the order of drawing.
FIGURES: dict[str, Callable[[Path], object]] = {
    "topic_words": _topic_words,
    "topic_hierarchy": _topic_hierarchy,
    "article_topics": _article_topics,
    "document_map": _document_map,
    "theme_trends": _theme_trends,
    "theme_counterpart_heatmap": _theme_heatmap,
    "contrast_time": _contrast,
    "theme_margins_counterpart": _theme_margins("counterpart"),
    "theme_margins_period": _theme_margins("period"),
    "theme_change": _theme_change,
    "topic_words_over_time": _topic_words_over_time,
}


def _document_map_html(run: Path) -> str:
    from research.plotting import document_map_page, plot_document_map_interactive

    fig = plot_document_map_interactive(_read(run, "document_map.csv"),
                                        _read(run, "passages.csv"), _read(run, "topics.csv"))
    return document_map_page(fig)  # no run name: a renamed run draws the same page


# name → function(run folder) -> plotly Figure, saved as <name>.html.
INTERACTIVE: dict[str, Callable[[Path], str]] = {
    "document_map": _document_map_html,
}


def save_html(page, stem: Path) -> Path:
    """Write an HTML page (a string, or a plotly figure) as ``stem.html``, atomically.

    A figure is written self-contained, as :func:`research.plotting.document_map_page`
    writes its pages: plotly.js inlined (about 4.8 MB), so it opens from a clone, an
    e-mail or a file share with no network and no companion file, with a fixed div
    id so the file is byte-identical run to run.
    """
    path = stem.with_suffix(".html")
    if not isinstance(page, str):
        page = page.to_html(include_plotlyjs=True, full_html=True, div_id=stem.name,
                            config={"displaylogo": False, "responsive": True})
    atomic_write_bytes(path, page.encode("utf-8"))
    return path


def write_figures(run: str | Path, to: str | Path) -> list[Path]:
    """Draw every figure of run folder ``run`` into folder ``to``.

    Returns
    -------
    list of Path
        The files written. A figure whose table the run lacks (a run written by an
        older version) is skipped with a warning.
    """
    run, to = Path(run), Path(to)
    if not (run / "run.json").is_file():
        raise FileNotFoundError(
            f"{run} is not a run folder (no run.json); run `research run` first"
        )
    to.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, draw in FIGURES.items():
        try:
            fig = draw(run)
        except FileNotFoundError as missing:  # a run written before the table existed
            logger.warning("figure %s skipped: %s (recompute the tables with "
                           "research.pipeline.rerun_themes)", name, missing)
            continue
        written.extend(save_figure(fig, to / name))
        logger.info("figure %s written", name)
    for name, draw in INTERACTIVE.items():
        written.append(save_html(draw(run), to / name))
        logger.info("interactive figure %s written", name)
    return written
