"""The end-to-end run: the stages composed, and the run folder written."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from research._io import atomic_write_bytes, kernel_state, package_versions, sha256_file
from research.corpus import recurring_lines
from research.embed import get_embedder
from research.runs import EMBEDDINGS, MODEL, RECORD, Run, write_tables
from research.text import prepare_passages

from ._config import RunConfig
from ._data_files import load_data_files
from ._fit_sample import fit_sample
from ._stages import (
    ARTICLE_FIRST_COLUMNS,
    PASSAGE_COLUMNS,
    annotate,
    article_topic_shares,
    dominant_topics,
    effects_and_change,
    embed,
    fit_topics,
    group_stories,
    ingest,
    map_documents,
    recheck_filter,
    report_table,
    themes_and_trends,
    topic_hierarchy,
    topic_tables,
)

__all__ = ["run", "ensure_run", "input_hashes", "corpus_hash"]

logger = logging.getLogger(__name__)
#: Stage messages of a run (``research`` shows them unless ``--quiet``).
progress = logging.getLogger("research.progress")


def input_hashes(corpus: Path) -> dict[str, str]:
    """SHA-256 of every file of the corpus (a file, or the files of a folder)."""
    files = [corpus] if corpus.is_file() else sorted(p for p in corpus.iterdir() if p.is_file())
    return {p.name: sha256_file(p) for p in files}


def corpus_hash(articles: pd.DataFrame) -> str:
    """SHA-256 over (article_id, text) of the loaded articles, in order."""
    h = hashlib.sha256()
    for aid, text in zip(articles["article_id"], articles["text"], strict=True):
        h.update(str(aid).encode())
        h.update(b"\0")
        h.update(hashlib.sha256(str(text).encode()).digest())
    return h.hexdigest()


class _Timer:
    def __init__(self):
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        progress.info("%s ...", name.replace("_", " "))
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)
        progress.info("%s done in %.1f s", name.replace("_", " "), self.timings[name])


def run(config: RunConfig) -> Path:
    """Run the whole pipeline and write the run folder (:data:`research.runs.TABLES`).

    Stages, each a function on tidy tables: ingest, clean and segment (boilerplate that
    recurs across the outlet's articles and teasers of other stories removed), the
    selection checked again on the cleaned text, near-duplicate stories, annotation
    (counterpart and date), embedding, topics, document map, themes and trends.

    Parameters
    ----------
    config : RunConfig

    Returns
    -------
    Path
        The run folder.

    Raises
    ------
    ValueError
        When the corpus yields fewer than 4 passages (topics cannot be fitted).
    """
    data = load_data_files(config.themes, config.gazetteer, config.events)
    # made first: its options (a Dask cluster's extra) are checked before the corpus is read
    embedder = get_embedder(config.model, engine=config.engine, precision=config.precision,
                            cache_dir=config.cache_dir or None, workers=config.workers,
                            dask_scheduler=config.dask_scheduler)
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    timer = _Timer()
    corpus_path = Path(config.corpus)

    with timer.stage("ingest"):
        corpus, selection = ingest(config)
    with timer.stage("clean_segment"):
        prepared = prepare_passages(corpus.articles, min_words=config.min_words,
                                    max_words=config.max_words,
                                    recurring=recurring_lines(corpus.articles, corpus.paragraphs))
        prepared, ingest_report = recheck_filter(prepared, corpus.report, selection)
    with timer.stage("near_duplicates"):
        stories = group_stories(prepared.articles, threshold=config.duplicate_threshold,
                                random_state=config.random_state)
    with timer.stage("annotate"):
        annotations, notes = annotate(prepared.articles, config.manifest,
                                      gazetteer=data.gazetteer, events=data.events)
    articles = (prepared.articles.drop(columns=[c for c in annotations.columns
                                                if c != "article_id"
                                                and c in prepared.articles.columns])
                .merge(annotations, on="article_id", how="left")
                .merge(stories, on="article_id", how="left"))
    passages = prepared.passages
    if len(passages) < 4:
        raise ValueError(
            f"{corpus_path}: only {len(passages)} passages from {len(articles)} articles; "
            "at least 4 are needed to fit topics (see ingest_report.csv)"
        )

    with timer.stage("embed"):
        embeddings, n_tokens = embed(passages, embedder)
    with timer.stage("fit"):
        representatives = set(articles.loc[articles["is_representative"], "article_id"])
        sample = fit_sample(articles, passages, config.fit_sample, period=config.period,
                            random_state=config.random_state)
        model, assigned = fit_topics(passages, embeddings, representatives, embedder, config,
                                     themes=data.themes, sample=set(sample.article_ids))
    passages = passages.assign(n_tokens=n_tokens, topic=assigned["topic"].to_numpy(),
                               topic_source=assigned["topic_source"].to_numpy())
    topics, topic_words = topic_tables(model)
    with timer.stage("topic_hierarchy"):
        hierarchy = topic_hierarchy(model, passages)
    with timer.stage("document_map"):
        doc_map = map_documents(passages, embeddings, model.center_,
                                random_state=config.random_state)
    shares = article_topic_shares(passages)
    articles = articles.assign(
        dominant_topic=articles["article_id"].map(dominant_topics(shares)).fillna(-1).astype(int))
    with timer.stage("themes_trends"):
        tables, time_axis = themes_and_trends(
            passages, articles, embeddings, topics, embedder, themes=data.themes,
            period=config.period,
            count=config.count, n_boot=config.n_boot, random_state=config.random_state)
    embedder.close()  # the last embeddings are computed: a Dask cluster is let go
    articles, passages = tables.pop("articles"), tables.pop("passages")
    with timer.stage("effects_change"):
        tables.update(effects_and_change(
            passages, articles, tables["article_themes"], tables["topics"],
            model.bertopic_.vectorizer_model, period=time_axis["period"], count=config.count,
            n_boot=config.n_boot, random_state=config.random_state))
    report = report_table(ingest_report, articles, notes)

    c_hash = corpus_hash(articles)
    with timer.stage("save"):
        model.save(out / MODEL, corpus_hash=c_hash, corpus=str(corpus_path),
                   min_words=config.min_words, max_words=config.max_words)
        rest = [c for c in articles.columns if c not in {*ARTICLE_FIRST_COLUMNS, "text", "body"}]
        write_tables(out, {
            "articles": articles[ARTICLE_FIRST_COLUMNS + rest],
            "passages": passages[PASSAGE_COLUMNS],
            "annotation_notes": notes,
            **tables,
            "topic_words": topic_words,
            "topic_hierarchy": hierarchy,
            "article_topics": shares,
            "document_map": doc_map,
            "ingest_report": report,
            "removed_lines": prepared.removed,
        })
        np.save(out / EMBEDDINGS, embeddings.astype(np.float32), allow_pickle=False)
        data.write(out)

    record = {
        "package": "arabic-news-topics",
        "versions": package_versions(),
        "python": platform.python_version(),
        "machine": {"platform": platform.platform(), "cpu_count": os.cpu_count()},
        "config": asdict(config),
        "trend_period": time_axis["period"],
        "time_axis": time_axis,
        "embedder": embedder.describe(),
        "kernels": kernel_state(),
        "sizes": model.sizes_,
        "fit_sample": sample.record,
        "inputs": {"corpus": str(corpus_path), "sha256": input_hashes(corpus_path)},
        "data_files": data.record(),
        "corpus_hash": c_hash,
        "counts": {
            "input_items": int(len(report)),
            "loaded": int((report["status"] == "loaded").sum()),
            "skipped": int((report["status"] == "skipped").sum()),
            "filtered": int((report["status"] == "filtered").sum()),
            "articles": int(len(articles)),
            "passages": int(len(passages)),
            "topics": int((tables["topics"]["topic"] != -1).sum()),
            "outlier_passages": int((passages["topic"] == -1).sum()),
            "articles_with_counterpart": int((articles["counterpart"] != "").sum()),
            "articles_undated": int((articles["date_source"] == "unknown").sum()),
            "stories": int(articles["is_representative"].sum()),
            "near_duplicate_copies": int((~articles["is_representative"]).sum()),
            "fitted_passages": int(len(model.labels_)),
            "fitted_unique_texts": int(len(model.embedding_labels_)),
            "hierarchy_merges": int(len(hierarchy)),
            "non_arabic_passages": int((passages["topic_source"] == "non_arabic").sum()),
            "not_sampled_passages": int((passages["topic_source"] == "not_sampled").sum()),
        },
        "selection": selection.describe(),
        "timings_s": timer.timings,
    }
    atomic_write_bytes(out / RECORD,
                       json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    logger.info("run written to %s", out)
    return out


def ensure_run(corpus: str | os.PathLike, path: str | os.PathLike, **config) -> Run:
    """Return the run at ``path``, running the pipeline on ``corpus`` first if it is missing.

    Parameters
    ----------
    corpus : path
        The corpus to run on when the run folder does not exist yet.
    path : path
        The run folder.
    **config
        Other :class:`RunConfig` fields.
    """
    path = Path(path)
    if not (path / RECORD).is_file():
        run(RunConfig(corpus=str(corpus), out=str(path), **config))
    return Run(path)

