"""Apply a saved topic model to articles it has not seen.

>>> from research.reuse import load, transform_texts
>>> model = load("runs/seeds/model")                      # doctest: +SKIP
>>> result = transform_texts(model, ["نص مقال جديد ..."])  # doctest: +SKIP
>>> result.passages[["passage_id", "topic", "confidence"]]  # doctest: +SKIP

New articles go through the same cleaning, segmentation and embedding model as
the fit (the model refuses another embedding model), then each passage gets the
topic voted by its nearest fitted passages (:meth:`ArabicTopicModel.predict`).

:func:`refit_themes` extends a saved analysis partially: it recomputes the theme and
trend tables of a run with an edited theme set, reusing its passages, embeddings and
topics.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["TransformResult", "load", "transform_articles", "transform_texts",
           "transform_files", "refit_themes"]


@dataclass
class TransformResult:
    """Tables for transformed articles (same columns as a run's tables).

    Attributes
    ----------
    articles : DataFrame
        article_id, title, n_passages, dominant_topic (+ input metadata).
    passages : DataFrame
        article_id, passage_id, passage_index, text, n_words, topic, confidence,
        topic_label.
    article_topics : DataFrame
        article_id, topic, share.
    report : DataFrame or None
        Ingest report when files were read.
    """

    articles: pd.DataFrame
    passages: pd.DataFrame
    article_topics: pd.DataFrame
    report: pd.DataFrame | None = None


def load(path: str | os.PathLike, embedder=None):
    """Load a saved model (``RUN/model``), verifying checksums and the embedding model."""
    from research.topics import ArabicTopicModel

    return ArabicTopicModel.load(path, embedder=embedder)


def transform_articles(model, articles: pd.DataFrame, *, min_words: int | None = None,
                       max_words: int | None = None) -> TransformResult:
    """Assign topics to an article table (columns article_id, text, optional title).

    Passage sizes default to those recorded with the model's run (25-120 words).
    """
    from research.passages import prepare_passages
    from research.pipeline import article_topic_shares, dominant_topics

    meta = getattr(model, "metadata_", {}).get("metadata", {})
    prepared = prepare_passages(
        articles,
        min_words=min_words if min_words is not None else meta.get("min_words", 25),
        max_words=max_words if max_words is not None else meta.get("max_words", 120),
    )
    passages = prepared.passages.copy()
    if len(passages):
        labels, conf = model.predict(passages["text"].tolist(), return_confidence=True)
    else:
        labels, conf = [], []
    passages["topic"] = labels
    passages["confidence"] = conf
    names = model.topic_table().set_index("topic")["label"]
    passages["topic_label"] = passages["topic"].map(names).fillna("")
    shares = article_topic_shares(passages) if len(passages) else pd.DataFrame(
        columns=["article_id", "topic", "share"])
    arts = prepared.articles.drop(columns=["text", "body"])
    arts["dominant_topic"] = arts["article_id"].map(dominant_topics(shares)).fillna(-1).astype(int)
    return TransformResult(articles=arts, passages=passages, article_topics=shares)


def transform_texts(model, texts: Sequence[str], ids: Sequence[str] | None = None,
                    titles: Sequence[str] | None = None) -> TransformResult:
    """Assign topics to raw article texts."""
    ids = list(ids) if ids is not None else [f"new-{i:04d}" for i in range(len(texts))]
    frame = pd.DataFrame({"article_id": ids, "text": list(texts),
                          "title": list(titles) if titles is not None else [""] * len(texts)})
    return transform_articles(model, frame)


def transform_files(model, paths: Sequence[str | os.PathLike]) -> TransformResult:
    """Assign topics to articles read from files (``.txt``), folders, CSV or JSONL.

    Every path goes through the corpus reader, so encodings are handled and bad
    files are reported (``result.report``) rather than dropped.
    """
    from research.corpus import read_corpus, read_files

    frames, reports = [], []
    txt = [Path(p) for p in paths if Path(p).is_file() and Path(p).suffix.lower() == ".txt"]
    if txt:
        corpus = read_files(txt)
        frames.append(corpus.articles)
        reports.append(corpus.report)
    for p in paths:
        p = Path(p)
        if p in txt:
            continue
        corpus = read_corpus(p)
        frames.append(corpus.articles)
        reports.append(corpus.report)
    articles = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["article_id", "text", "title"])
    result = transform_articles(model, articles)
    result.report = pd.concat(reports, ignore_index=True) if reports else None
    return result


def refit_themes(run_dir: str | os.PathLike, themes=None, *, out: str | os.PathLike | None = None,
                 period: str | None = None, n_boot: int | None = None,
                 random_state: int | None = None) -> dict[str, pd.DataFrame]:
    """Recompute a saved run's theme and trend tables with another theme set.

    Passages, embeddings (``embeddings.npy``) and topics of the run are reused as they
    are: nothing is re-embedded or refitted. Use it after editing the theme set.

    Parameters
    ----------
    run_dir : path
        A run folder written by ``research run``.
    themes : path, sequence or mapping, optional
        Theme set (see :func:`research.theme_set.load_themes`); default: the shipped one.
    out : path, optional
        Folder to write the new tables to (never the run folder itself, whose tables
        stay consistent with its model).
    period, n_boot, random_state : optional
        Trend settings; default: those recorded in the run.

    Returns
    -------
    dict of str to DataFrame
        ``passage_themes``, ``article_themes``, ``topic_themes``, ``articles`` (with
        the new ``dominant_theme`` and ``axis_score``) and the trend tables.
    """
    from research.analysis import theme_tables, trend_tables
    from research.embedding import embedder_from_record
    from research.pipeline import write_table
    from research.runs import load_run
    from research.theme_set import load_themes

    run = load_run(run_dir)
    config = run.record["config"]
    recorded = run.record["embedder"]
    embedder = embedder_from_record(recorded)
    theme_set = load_themes(themes)
    passages, articles = run.passages, run.articles.copy()
    tables = theme_tables(passages, run.embeddings, run.topics, embedder, themes=theme_set)
    articles["dominant_theme"] = articles["article_id"].map(tables.dominant_theme).fillna("")
    articles["axis_score"] = articles["article_id"].map(tables.article_axis)
    counted = articles
    if config.get("count", "stories") == "stories" and "is_representative" in articles:
        counted = articles[articles["is_representative"].astype(str) == "True"]
    ids = set(counted["article_id"])
    trends = trend_tables(
        tables.article_themes[tables.article_themes["article_id"].isin(ids)], counted,
        passages[passages["article_id"].isin(ids)],
        period=period or run.record.get("trend_period") or config.get("period", "month"),
        n_boot=n_boot if n_boot is not None else config.get("n_boot", 1000),
        random_state=random_state if random_state is not None else config["random_state"])
    result = {"passage_themes": tables.passage_themes, "article_themes": tables.article_themes,
              "topic_themes": tables.topic_themes, "articles": articles, **trends}
    if out is not None:
        out = Path(out)
        if out.resolve() == run.path.resolve():
            raise ValueError("write refitted themes to another folder than the run itself")
        for name, table in result.items():
            write_table(table, out / f"{name}.csv")
    return result
