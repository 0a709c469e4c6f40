"""The end-to-end run: corpus → passages → embeddings → topics → tables and model.

:func:`run` writes into the run folder:

``ingest_report.csv``   every input item, loaded or skipped/filtered with the reason, its
                        passages and its near-duplicate group
``removed_lines.csv``   every line that cleaning removed, with the reason
``articles.csv``        one row per loaded article (metadata, title, passages, topic)
``passages.csv``        one row per passage (text, tokens, topic)
``topics.csv``          one row per topic (size, label, top words)
``topic_words.csv``     one row per topic word (rank, term, corpus spelling, c-TF-IDF score)
``article_topics.csv``  article x topic shares (passage word counts as weights)
``document_map.csv``    fixed 2-D coordinates of every passage (UMAP of the centred embeddings)
``model/``              the fitted topic model (safe format, :mod:`research.persistence`)
``run.json``            versions, parameters, input hashes, per-stage timings
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from research.cache import atomic_write_bytes, sha256_file

__all__ = ["RunConfig", "run", "write_table", "article_topic_shares", "dominant_topics"]

logger = logging.getLogger(__name__)


@dataclass
class RunConfig:
    """Parameters of one run (recorded in ``run.json``).

    Parameters
    ----------
    corpus : str
        Folder of ``.txt`` articles, a CSV/JSONL file, or a SaudiNewsNet folder.
    out : str
        Run folder to write.
    model : str
        Embedding model (default: offline ``multilingual-e5-small``).
    engine : str
        Embedding engine (see :class:`research.embedding.Embedder`).
    precision : {"auto", "float32", "bfloat16"}
        Dtype of the torch engine (see :class:`research.embedding.Embedder`).
    min_words, max_words : int
        Passage sizes.
    min_topic_size : int or None
        HDBSCAN ``min_cluster_size``; sized to the corpus when None.
    random_state : int
        Seed of every stochastic step.
    cache_dir : str or None
        Embedding cache root (default: the user cache).
    manifest : str or None
        CSV of per-article metadata (dates, outlet, counterpart) that overrides
        inference; conflicts with the text are reported, not silently accepted.
    period : {"auto", "week", "month", "quarter", "year"}
        Period of the time trends; ``"auto"`` chooses it from the span of the dated
        articles (:func:`research.periods.auto_period`: weeks for a span of up to 26
        weeks); the period used is recorded as ``trend_period`` in ``run.json``.
    guided : bool
        Guide BERTopic with the theme seed terms (``seed_topic_list``).
    n_boot : int
        Bootstrap resamples of the trend intervals.
    contains, sources : tuple of str
        Keep only articles containing any of these strings / from these outlets.
    date_from, date_to : str or None
        Keep only articles dated in this range (ISO dates, inclusive).
    count : {"stories", "copies"}
        Trends count each near-duplicate group once (``"stories"``: its
        representative, the first member in corpus order) or every copy.
    duplicate_threshold : float
        Jaccard similarity of 5-word shingles above which two articles are copies of
        one story (:func:`research.dedup.near_duplicate_groups`). Topics are fitted on
        one representative per story; the copies get topics by ``predict``.
    """

    def __post_init__(self):
        if self.count not in ("stories", "copies"):
            raise ValueError(f"count must be 'stories' or 'copies', got {self.count!r}")

    corpus: str
    out: str
    model: str = "multilingual-e5-small"
    engine: str = "auto"
    precision: str = "auto"
    min_words: int = 25
    max_words: int = 120
    min_topic_size: int | None = None
    random_state: int = 0
    cache_dir: str | None = None
    manifest: str | None = None
    period: str = "auto"
    guided: bool = True
    n_boot: int = 1000
    contains: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    count: str = "stories"
    duplicate_threshold: float = 0.7


def write_table(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` as UTF-8 CSV atomically, with a fixed float format (byte-stable output)."""
    data = df.to_csv(index=False, float_format="%.6g", lineterminator="\n").encode("utf-8")
    atomic_write_bytes(Path(path), data)


def article_topic_shares(passages: pd.DataFrame) -> pd.DataFrame:
    """Share of each topic in each article, weighting passages by their word count.

    Returns
    -------
    DataFrame with columns article_id, topic, share (shares of an article sum to 1).
    """
    w = passages.groupby(["article_id", "topic"], sort=True)["n_words"].sum()
    share = w / w.groupby(level="article_id").transform("sum")
    return share.rename("share").reset_index()


def dominant_topics(shares: pd.DataFrame) -> pd.Series:
    """Largest non-outlier topic per article (-1 when every passage is an outlier).

    Ties go to the smaller topic number (deterministic).
    """
    s = shares.assign(is_outlier=shares["topic"] == -1)
    s = s.sort_values(["article_id", "is_outlier", "share", "topic"],
                      ascending=[True, True, False, True])
    return s.groupby("article_id", sort=False)["topic"].first()


def annotate(articles: pd.DataFrame, manifest: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add counterpart and date columns (see :func:`research.annotate.annotate_articles`).

    The cleaned body is what is read; a corpus ``date`` counts as a given date only
    when it came from a date column (``date_origin == "date"``), not when it was
    derived from the extraction time, which is passed as ``date_extracted`` (the
    reference for relative words such as أمس).
    """
    from research.annotate import annotate_articles, read_manifest

    given = articles.get("date_origin", pd.Series("", index=articles.index)) == "date"
    frame = pd.DataFrame({
        "article_id": articles["article_id"],
        "title": articles["title"],
        "text": articles["body"],
        "file": articles.get("source_file", pd.Series("", index=articles.index)),
        "date": articles["date"].where(given, "") if "date" in articles else "",
        "date_extracted": articles.get("date_extracted",
                                       pd.Series("", index=articles.index)).fillna(""),
    })
    # Malformed manifest rows are reported in the notes, not fatal: one bad date in a
    # researcher's spreadsheet must not stop the run (nor be silently accepted).
    table = read_manifest(manifest, errors="report") if manifest else None
    annotated, notes = annotate_articles(frame, table)
    added = [c for c in annotated.columns if c not in frame.columns or c == "date"]
    out = articles.drop(columns=[c for c in added if c in articles.columns])
    out = out.merge(annotated[["article_id", *added]], on="article_id", how="left")
    return out, notes


def _report_notes(notes: pd.DataFrame) -> pd.DataFrame:
    """One ``notes`` string per article (e.g. date unknown, manifest conflicts)."""
    if notes.empty:
        return pd.DataFrame(columns=["article_id", "notes"])
    joined = notes.groupby("article_id", sort=False).apply(
        lambda g: "; ".join(f"{k}: {m}" for k, m in zip(g["kind"], g["message"], strict=True)),
        include_groups=False)
    return joined.rename("notes").reset_index()


def fit_topics(texts: list[str], embeddings: np.ndarray, representative: np.ndarray,
               embedder, config: RunConfig):
    """Fit topics on the representatives' passages; assign the copies' passages by ``predict``.

    Returns
    -------
    model : ArabicTopicModel
    topics : ndarray of shape (n_passages,)
        Fitted labels for representatives' passages, predicted ones for the copies'.
    """
    from research.themes import theme_seed_topic_list
    from research.topics import ArabicTopicModel

    model = ArabicTopicModel(
        embedder, min_topic_size=config.min_topic_size, random_state=config.random_state,
        seed_topic_list=theme_seed_topic_list() if config.guided else None)
    fit_texts = [t for t, keep in zip(texts, representative, strict=True) if keep]
    model.fit(fit_texts, embeddings=embeddings[representative])
    topics = np.empty(len(texts), dtype=np.int64)
    topics[representative] = model.labels_
    if (~representative).any():
        topics[~representative] = model.predict(embeddings=embeddings[~representative])
    return model, topics


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
        logger.info("stage %s ...", name)
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)
        logger.info("stage %s done in %.1f s", name, self.timings[name])


def run(config: RunConfig) -> Path:
    """Run the whole pipeline and write the run folder (see the module docstring).

    Returns
    -------
    Path
        The run folder.
    """
    from research.analysis import theme_tables, time_axis_dates, trend_tables
    from research.corpus import CorpusFilter, read_corpus
    from research.dedup import duplicate_table, near_duplicate_groups
    from research.embedding import get_embedder
    from research.passages import prepare_passages
    from research.periods import auto_period
    from research.persistence import package_versions
    from research.topics import center_embeddings, document_map

    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    timer = _Timer()
    corpus_path = Path(config.corpus)

    selection = CorpusFilter(contains=tuple(config.contains), sources=tuple(config.sources),
                             date_from=config.date_from, date_to=config.date_to)
    with timer.stage("ingest"):
        corpus = read_corpus(corpus_path, filter=selection if selection.is_active else None)
    with timer.stage("clean_segment"):
        prepared = prepare_passages(corpus.articles, min_words=config.min_words,
                                    max_words=config.max_words)
    with timer.stage("near_duplicates"):
        groups = near_duplicate_groups(prepared.articles["body"].tolist(),
                                       threshold=config.duplicate_threshold,
                                       random_state=config.random_state)
        dups = duplicate_table(prepared.articles["article_id"].tolist(), groups)
    with timer.stage("annotate"):
        articles, notes = annotate(prepared.articles, config.manifest)
    articles = articles.merge(dups, on="article_id", how="left")
    passages = prepared.passages
    if len(passages) < 4:
        raise ValueError(
            f"{corpus_path}: only {len(passages)} passages from {len(articles)} articles; "
            "at least 4 are needed to fit topics (see ingest_report.csv)"
        )

    embedder = get_embedder(config.model, engine=config.engine, precision=config.precision,
                            cache_dir=config.cache_dir or None)
    with timer.stage("embed"):
        embeddings = embedder.embed_passages(passages["text"].tolist(), progress=True)
        passages["n_tokens"] = embedder.count_tokens(passages["text"].tolist())
    with timer.stage("fit"):
        representative = passages["article_id"].isin(
            articles.loc[articles["is_representative"], "article_id"]).to_numpy()
        model, passages["topic"] = fit_topics(passages["text"].tolist(), embeddings,
                                              representative, embedder, config)
    topics = model.topic_table()
    with timer.stage("document_map"):
        xy = document_map(center_embeddings(embeddings, model.center_),
                          random_state=config.random_state)
    doc_map = passages[["article_id", "passage_id", "topic"]].assign(x=xy[:, 0], y=xy[:, 1])
    labels = topics.set_index("topic")["label"]
    topic_words = model.topic_words()
    topic_words.insert(1, "label", topic_words["topic"].map(labels))

    shares = article_topic_shares(passages)
    dominant = dominant_topics(shares)
    articles["dominant_topic"] = articles["article_id"].map(dominant).fillna(-1).astype(int)

    with timer.stage("themes"):
        themes = theme_tables(passages, embeddings, topics, embedder)
    passages["theme"] = themes.passage_themes.loc[
        themes.passage_themes.groupby("passage_id", sort=False)["score"].idxmax(),
        ["passage_id", "theme"]].set_index("passage_id")["theme"].reindex(
        passages["passage_id"]).to_numpy()
    passages["axis_score"] = themes.passage_axis
    articles["dominant_theme"] = articles["article_id"].map(themes.dominant_theme).fillna("")
    articles["axis_score"] = articles["article_id"].map(themes.article_axis)
    topics = topics.merge(themes.topic_themes[["topic", "theme"]], on="topic", how="left")
    articles["time_basis"] = time_axis_dates(articles)["time_basis"]
    with timer.stage("trends"):
        counted = articles if config.count == "copies" else articles[articles["is_representative"]]
        counted_ids = set(counted["article_id"])
        period = (auto_period(time_axis_dates(counted)["date"]) if config.period == "auto"
                  else config.period)
        trends = trend_tables(
            themes.article_themes[themes.article_themes["article_id"].isin(counted_ids)],
            counted, passages[passages["article_id"].isin(counted_ids)], period=period,
            n_boot=config.n_boot, random_state=config.random_state)

    report = corpus.report.merge(dups[["article_id", "dup_group", "is_representative"]],
                                 on="article_id", how="left")
    report["dup_group"] = report["dup_group"].fillna("")
    report["n_passages"] = report["article_id"].map(
        articles.set_index("article_id")["n_passages"]).fillna(0).astype(int)
    report = report.merge(_report_notes(notes), on="article_id", how="left")
    report["notes"] = report["notes"].fillna("")

    c_hash = corpus_hash(articles)
    with timer.stage("save"):
        model.save(out / "model", corpus_hash=c_hash, corpus=str(corpus_path),
                   min_words=config.min_words, max_words=config.max_words)
        first = ["article_id", "title", "n_passages", "dominant_topic", "dominant_theme",
                 "axis_score"]
        rest = [c for c in articles.columns if c not in {*first, "text", "body"}]
        write_table(articles[first + rest], out / "articles.csv")
        write_table(passages[["article_id", "passage_id", "passage_index", "text", "n_words",
                              "n_tokens", "topic", "theme", "axis_score"]],
                    out / "passages.csv")
        write_table(themes.passage_themes, out / "passage_themes.csv")
        write_table(themes.article_themes, out / "article_themes.csv")
        write_table(themes.topic_themes, out / "topic_themes.csv")
        write_table(notes, out / "annotation_notes.csv")
        for name, table in trends.items():
            write_table(table, out / f"{name}.csv")
        write_table(topics, out / "topics.csv")
        write_table(topic_words, out / "topic_words.csv")
        write_table(shares, out / "article_topics.csv")
        write_table(doc_map, out / "document_map.csv")
        write_table(report, out / "ingest_report.csv")
        write_table(prepared.removed, out / "removed_lines.csv")
        np.save(out / "embeddings.npy", embeddings.astype(np.float32), allow_pickle=False)

    record = {
        "package": "arabic-news-topics",
        "versions": package_versions(),
        "python": platform.python_version(),
        "machine": {"platform": platform.platform(), "cpu_count": os.cpu_count()},
        "config": asdict(config),
        "trend_period": period,
        "embedder": embedder.describe(),
        "sizes": model.sizes_,
        "inputs": {"corpus": str(corpus_path), "sha256": input_hashes(corpus_path)},
        "corpus_hash": c_hash,
        "counts": {
            "input_items": int(len(report)),
            "loaded": int((report["status"] == "loaded").sum()),
            "skipped": int((report["status"] == "skipped").sum()),
            "filtered": int((report["status"] == "filtered").sum()),
            "articles": int(len(articles)),
            "passages": int(len(passages)),
            "topics": int((topics["topic"] != -1).sum()),
            "outlier_passages": int((passages["topic"] == -1).sum()),
            "articles_with_counterpart": int((articles["counterpart"] != "").sum()),
            "articles_undated": int((articles["date_source"] == "unknown").sum()),
            "stories": int(articles["is_representative"].sum()),
            "near_duplicate_copies": int((~articles["is_representative"]).sum()),
            "fitted_passages": int(len(model.labels_)),
        },
        "selection": selection.describe(),
        "timings_s": timer.timings,
    }
    atomic_write_bytes(out / "run.json",
                       json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    logger.info("run written to %s", out)
    return out
