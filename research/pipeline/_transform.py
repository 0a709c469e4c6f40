"""Apply a saved topic model to articles it has not seen.

New articles go through the same cleaning, segmentation and embedding model as the
fit (a loaded model refuses another embedding model), then each passage gets the
topic voted by its nearest fitted passages
(:meth:`research.topics.ArabicTopicModel.predict`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from research.corpus import read_corpus, read_files
from research.text import prepare_passages

from ._stages import article_topic_shares, dominant_topics

__all__ = ["TransformResult", "transform_articles", "transform_texts", "transform_files"]


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


def transform_articles(model, articles: pd.DataFrame, *, min_words: int | None = None,
                       max_words: int | None = None) -> TransformResult:
    """Assign topics to an article table (columns article_id, text, optional title).

    Parameters
    ----------
    model : research.topics.ArabicTopicModel
        A fitted or loaded model.
    articles : DataFrame
        ``article_id``, ``text`` and optional ``title``.
    min_words, max_words : int, optional
        Passage sizes; default those recorded with the model's run (25-120 words).

    Returns
    -------
    TransformResult
    """
    meta = getattr(model, "metadata_", {}).get("metadata", {})
    prepared = prepare_passages(
        articles,
        min_words=min_words if min_words is not None else meta.get("min_words", 25),
        max_words=max_words if max_words is not None else meta.get("max_words", 120),
    )
    passages = prepared.passages
    if len(passages):
        labels, conf = model.predict(passages["text"].tolist(), return_confidence=True)
    else:
        labels, conf = [], []
    names = model.topic_table().set_index("topic")["label"]
    passages = passages.assign(topic=labels, confidence=conf)
    passages["topic_label"] = passages["topic"].map(names).fillna("")
    shares = article_topic_shares(passages)
    arts = prepared.articles.drop(columns=["text", "body"])
    arts["dominant_topic"] = arts["article_id"].map(dominant_topics(shares)).fillna(-1).astype(int)
    return TransformResult(articles=arts, passages=passages, article_topics=shares)


def transform_texts(model, texts: Sequence[str], ids: Sequence[str] | None = None,
                    titles: Sequence[str] | None = None) -> TransformResult:
    """Assign topics to raw article texts (ids default to ``new-0000``, ...)."""
    ids = list(ids) if ids is not None else [f"new-{i:04d}" for i in range(len(texts))]
    frame = pd.DataFrame({"article_id": ids, "text": list(texts),
                          "title": list(titles) if titles is not None else [""] * len(texts)})
    return transform_articles(model, frame)


def transform_files(model, paths: Sequence[str | os.PathLike]) -> TransformResult:
    """Assign topics to articles read from files (``.txt``), folders, CSV or JSONL.

    Every path goes through the corpus reader, so encodings are handled and bad
    files are reported (``result.report``) rather than dropped.
    """
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
