"""Topic curation: merge and name topics of a saved run, into a new run folder."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

from research._io import atomic_write_bytes
from research.runs import EMBEDDINGS, INPUTS, MODEL, RECORD, load_run, write_tables

from ._rerun import run_theme_stages
from ._stages import (
    ARTICLE_FIRST_COLUMNS,
    PASSAGE_COLUMNS,
    article_topic_shares,
    dominant_topics,
    topic_hierarchy,
    topic_tables,
)

__all__ = ["curate_topics", "read_topic_edits"]

#: Tables of the run that curation does not change: copied as they are.
_UNCHANGED = ("ingest_report", "removed_lines", "annotation_notes")


def read_topic_edits(path: str | os.PathLike) -> dict:
    """Read a topic edits file (YAML): ``merge`` (list of topic lists) and ``labels``.

    Example::

        merge:
          - [3, 7]
        labels:
          5: الدعم الإنساني لغزة
          0: counterterrorism cooperation

    Returns
    -------
    dict
        ``{"merge": [[int, ...], ...], "labels": {int: str}}``.

    Raises
    ------
    ValueError
        For other keys or malformed entries.
    """
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or set(data) - {"merge", "labels"}:
        raise ValueError(f"{path}: a topic edits file has the keys 'merge' and 'labels' only")
    merge = data.get("merge") or []
    labels = data.get("labels") or {}
    if not isinstance(merge, list) or not all(isinstance(g, list) for g in merge):
        raise ValueError(f"{path}: 'merge' is a list of topic lists, e.g. [[3, 7]]")
    if not isinstance(labels, dict):
        raise ValueError(f"{path}: 'labels' maps a topic number to its label")
    return {"merge": [[int(t) for t in g] for g in merge],
            "labels": {int(k): str(v) for k, v in labels.items()}}


def curate_topics(run_dir: str | os.PathLike, out: str | os.PathLike, *,
                  merge=(), labels: dict[int, str] | None = None) -> Path:
    """Write a new run folder with topics merged and named; the original is untouched.

    ``research topics RUN --merge 3,7 --label 5="..." --out NEW`` also draws the new
    run's figures into ``NEW/figures``.

    Topics are merged in the saved model (:meth:`ArabicTopicModel.merge_topics`: one
    topic per group, renumbered by size, words recomputed), every passage's topic
    follows, and the topic, word, hierarchy, article-topic, theme, trend, effect and
    change tables are recomputed by the run's own stage functions; the passages,
    embeddings, document-map coordinates, annotations and ingest report are kept.

    Parameters
    ----------
    run_dir : path
        A run folder written by ``research run``.
    out : path
        The new run folder (must not exist, or be empty).
    merge : sequence of sequence of int
        Groups of topics to merge, in the run's numbering.
    labels : dict of int to str, optional
        Topic labels, in the run's numbering (a merged group takes the label given to
        any of its topics).

    Returns
    -------
    Path
        ``out``. Its ``run.json`` records the edits under ``curation``: the source
        run, the merges, the labels and ``topic_map`` (old topic -> new topic).

    Raises
    ------
    ValueError
        When ``out`` is the run or holds files, or for edits the run does not allow.
    """
    run = load_run(run_dir)
    out = Path(out)
    if out.resolve() == run.path.resolve():
        raise ValueError("curated topics go to a new run folder, not the run itself")
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} is not empty: choose a new folder for the curated run")
    merge = [list(g) for g in merge]
    labels = dict(labels or {})
    model = run.model()
    passages = run.passages
    fitted = (passages["topic_source"] == "fit").to_numpy()
    topic_map = (model.merge_topics(merge, passages.loc[fitted, "text"].tolist()) if merge
                 else {t: t for t in set(passages["topic"].tolist()) | {-1}})
    named: dict[int, str] = {}
    for topic, label in labels.items():
        if int(topic) not in topic_map or int(topic) == -1:
            raise ValueError(f"no topic {topic} in {run.path}")
        named[topic_map[int(topic)]] = label
    if named:
        model.set_topic_labels(named)
    passages = passages.assign(topic=passages["topic"].map(topic_map).astype(np.int64))
    topics, topic_words = topic_tables(model)
    shares = article_topic_shares(passages)
    articles = run.articles.assign(
        dominant_topic=run.articles["article_id"].map(dominant_topics(shares))
        .fillna(-1).astype(int))
    tables = run_theme_stages(run, passages, articles, topics, model=model)
    articles, passages = tables.pop("articles"), tables.pop("passages")
    doc_map = run.document_map.assign(
        topic=run.document_map["topic"].map(topic_map).astype(np.int64))
    out.mkdir(parents=True, exist_ok=True)
    rest = [c for c in articles.columns if c not in {*ARTICLE_FIRST_COLUMNS, "text", "body"}]
    write_tables(out, {
        "articles": articles[ARTICLE_FIRST_COLUMNS + rest],
        "passages": passages[PASSAGE_COLUMNS],
        **tables,
        "topic_words": topic_words,
        "topic_hierarchy": topic_hierarchy(model, passages),
        "article_topics": shares,
        "document_map": doc_map,
        **{name: getattr(run, name) for name in _UNCHANGED},
    })
    shutil.copyfile(run.path / EMBEDDINGS, out / EMBEDDINGS)
    if (run.path / INPUTS).is_dir():
        shutil.copytree(run.path / INPUTS, out / INPUTS)
    model.save(out / MODEL, **dict(model.metadata_.get("metadata", {})))
    record = dict(run.record)
    record["counts"] = {**record.get("counts", {}),
                        "topics": int((topics["topic"] != -1).sum()),
                        "outlier_passages": int((passages["topic"] == -1).sum())}
    record["curation"] = {"from": str(run.path), "merge": merge,
                          "labels": {str(k): v for k, v in labels.items()},
                          "topic_map": {str(k): v for k, v in sorted(topic_map.items())}}
    atomic_write_bytes(out / RECORD,
                       json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    return out
