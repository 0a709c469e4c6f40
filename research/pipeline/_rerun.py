"""Re-running the theme and trend stages on a saved run, with another theme set."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from research.embed import embedder_from_record
from research.runs import load_run, write_tables
from research.themes import load_themes

from ._stages import effects_and_change, themes_and_trends

__all__ = ["rerun_themes", "run_theme_stages"]


def rerun_themes(run_dir: str | os.PathLike, themes=None, *, out: str | os.PathLike | None = None,
                 period: str | None = None, n_boot: int | None = None,
                 random_state: int | None = None) -> dict[str, pd.DataFrame]:
    """Recompute a saved run's theme and trend tables with another theme set.

    Passages, embeddings (``embeddings.npy``) and topics of the run are reused as they
    are: nothing is re-embedded or refitted. The same stage function as
    :func:`research.pipeline.run` computes the new tables
    (:func:`research.pipeline.themes_and_trends`, then
    :func:`research.pipeline.effects_and_change`), so the passage, article and topic
    theme columns, the trend tables and the effect and change tables are recomputed
    exactly as a run would.

    Parameters
    ----------
    run_dir : path
        A run folder written by ``research run``.
    themes : path, sequence or mapping, optional
        Theme set (see :func:`research.themes.load_themes`); default: the run's own
        (``RUN/inputs/themes.yaml``, else the bundled one).
    out : path, optional
        Folder to write the new tables to (never the run folder itself, whose tables
        stay consistent with its model).
    period, n_boot, random_state : optional
        Trend settings; default: those recorded in the run.

    Returns
    -------
    dict of str to DataFrame
        ``passages``, ``articles``, ``topics`` (with the new theme columns),
        ``passage_themes``, ``article_themes``, ``topic_themes``, the trend tables and
        the effect and change tables (``theme_effects``, ``theme_margins``,
        ``theme_change``, ``topics_emerging``, ``topic_words_over_time``).

    Raises
    ------
    ValueError
        When ``out`` is the run folder itself.
    """
    run = load_run(run_dir)
    if out is not None and Path(out).resolve() == run.path.resolve():
        raise ValueError("write re-run themes to another folder than the run itself")
    tables = run_theme_stages(run, run.passages, run.articles, run.topics, themes=themes,
                              period=period, n_boot=n_boot, random_state=random_state)
    if out is not None:
        write_tables(out, tables)
    return tables


def run_theme_stages(run, passages: pd.DataFrame, articles: pd.DataFrame, topics: pd.DataFrame,
                     *, themes=None, period: str | None = None, n_boot: int | None = None,
                     random_state: int | None = None, model=None) -> dict[str, pd.DataFrame]:
    """Compose the theme, trend, effect and change stages on a saved run's tables.

    The one composition used by :func:`rerun_themes` (another theme set) and
    :func:`~research.pipeline.curate_topics` (merged or renamed topics).

    Parameters
    ----------
    run : research.runs.Run
        The saved run (embeddings, record, model, input files).
    passages, articles, topics : DataFrame
        The run's tables, or edited copies of them.
    themes, period, n_boot, random_state : optional
        As for :func:`rerun_themes`; default: the run's own.
    model : ArabicTopicModel, optional
        Its vectorizer counts the words of ``topic_words_over_time``; default the
        run's model.

    Returns
    -------
    dict of str to DataFrame
        As :func:`rerun_themes`.
    """
    config = run.record["config"]
    embedder = embedder_from_record(run.record["embedder"])
    settings = {"count": config.get("count", "stories"),
                "n_boot": n_boot if n_boot is not None else config.get("n_boot", 1000),
                "random_state": random_state if random_state is not None
                else config["random_state"]}
    tables, axis = themes_and_trends(
        passages, articles, run.embeddings, topics, embedder,
        themes=load_themes(themes if themes is not None else run.data_file("themes")),
        period=period or run.record.get("trend_period") or config.get("period", "auto"),
        **settings)
    model = model if model is not None else run.model(embedder)
    tables.update(effects_and_change(
        tables["passages"], tables["articles"], tables["article_themes"], tables["topics"],
        model.bertopic_.vectorizer_model, period=axis["period"], **settings))
    return tables
