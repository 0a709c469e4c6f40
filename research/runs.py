"""The run folder as a schema: every table of a run is named once, here.

A run folder (written by :func:`research.pipeline.run`) holds one UTF-8 CSV per
table of :data:`TABLES`, ``embeddings.npy`` (passage embeddings, rows of
``passages.csv``), ``run.json`` (the record: versions, configuration, counts,
timings) and ``model/`` (the fitted topic model). :func:`write_tables` writes tables
byte-stably and atomically; :class:`Run` reads them back lazily, for notebooks and
reports (read, don't refit).

>>> from research.runs import load_run
>>> run = load_run("runs/seeds")          # doctest: +SKIP
>>> run.topics.head()                     # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from research._io import atomic_write_bytes

__all__ = [
    "TABLES",
    "RECORD",
    "EMBEDDINGS",
    "MODEL",
    "INPUTS",
    "Run",
    "load_run",
    "read_table",
    "write_table",
    "write_tables",
]

#: Every table of a run folder: file stem -> (key, what one row is).
TABLES: dict[str, tuple[str, str]] = {
    "ingest_report": ("item", "input item: loaded, skipped or filtered, with the reason"),
    "removed_lines": ("article_id", "line removed by cleaning, with the reason"),
    "articles": ("article_id", "article: title, passages, dominant topic and theme, "
                               "counterpart, engagement date, input metadata"),
    "passages": ("passage_id", "passage: text, words, model tokens, topic, theme"),
    "topics": ("topic", "topic: size, label, top words, theme"),
    "topic_words": ("topic", "topic word: rank, term, corpus spelling, c-TF-IDF score"),
    "topic_hierarchy": ("parent", "merge of two topics: children, distance, leaf topics, words"),
    "article_topics": ("article_id", "(article, topic): share of the article's words"),
    "document_map": ("passage_id", "passage: fixed 2-D coordinates"),
    "passage_themes": ("passage_id", "(passage, theme): calibrated theme probability"),
    "article_themes": ("article_id", "(article, theme): share, summing to 1 per article"),
    "topic_themes": ("topic", "topic: the theme it maps to, with the evidence"),
    "annotation_notes": ("article_id", "finding about an article's counterpart or date"),
    "trends_time": ("period", "(period, theme): share with bootstrap interval"),
    "trends_counterpart": ("counterpart", "(counterpart, theme): share with interval"),
    "trends_country": ("counterpart_country", "(country, theme): share with interval"),
    "trends_role": ("counterpart_role", "(role, theme): share with interval"),
    "contrast_time": ("period", "period: counterterrorism minus Gaza share, with interval"),
    "contrast_counterpart": ("counterpart", "counterpart: the same contrast"),
    "topics_over_time": ("period", "(period, topic): topic share"),
    "topics_per_counterpart": ("counterpart", "(counterpart, topic): topic share"),
    "theme_effects": ("theme", "(theme, term): fractional logit effect, story-clustered interval"),
    "theme_margins": ("theme", "(theme, covariate, level): predicted share with interval"),
    "theme_change": ("theme", "theme: share after minus before, interval, p-values"),
    "topics_emerging": ("period", "(period, topic): share against its trailing window, flag"),
    "topic_words_over_time": ("period", "(period, topic, rank): c-TF-IDF word of the period"),
}
#: The run record.
RECORD = "run.json"
#: Passage embeddings (float32, rows of ``passages.csv``).
EMBEDDINGS = "embeddings.npy"
#: The saved topic model folder.
MODEL = "model"
#: Folder of the run's data files (theme set, gazetteer, events calendar).
INPUTS = "inputs"

# Ids and period labels stay strings when read back (never numbers).
_STRING_COLUMNS = {"article_id": str, "passage_id": str, "period": str}


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``df`` as UTF-8 CSV atomically, with a fixed float format (byte-stable output)."""
    data = df.to_csv(index=False, float_format="%.6g", lineterminator="\n").encode("utf-8")
    atomic_write_bytes(Path(path), data)


def write_tables(folder: str | os.PathLike, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Write tables of :data:`TABLES` into a run folder.

    Parameters
    ----------
    folder : path
        The run folder (created when missing).
    tables : mapping of str to DataFrame
        File stem -> table; every stem must be one of :data:`TABLES`.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ValueError
        For a stem that is not a run table (the message lists the known ones).
    """
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"not run tables: {unknown}; known: {sorted(TABLES)}")
    folder = Path(folder)
    paths = []
    for name, table in tables.items():
        path = folder / f"{name}.csv"
        write_table(table, path)
        paths.append(path)
    return paths


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a run table (UTF-8 CSV).

    Ids and period labels stay strings; an empty cell is ``NaN`` in a numeric column
    (e.g. the interval of a period without articles) and ``""`` in a text column.
    Only empty cells count as missing (a title "NA" stays a title).
    """
    table = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=_STRING_COLUMNS)
    text = table.select_dtypes(include=["object", "string"]).columns
    table[text] = table[text].fillna("")
    return table


class Run:
    """Lazy access to the tables of a run folder; each table is read once.

    Every table of :data:`TABLES` is an attribute (``run.articles``,
    ``run.trends_time``, ...).

    Parameters
    ----------
    path : path
        A folder written by ``research run``.

    Raises
    ------
    FileNotFoundError
        When ``path`` has no ``run.json``.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not (self.path / RECORD).is_file():
            raise FileNotFoundError(
                f"{self.path} is not a run folder (no {RECORD}); create it with "
                f"`research run CORPUS --out {self.path}`"
            )
        self._tables: dict[str, pd.DataFrame] = {}

    def table(self, name: str) -> pd.DataFrame:
        """Read ``<name>.csv`` of the run (cached).

        Raises
        ------
        KeyError
            For a name that is not one of :data:`TABLES`.
        """
        if name not in TABLES:
            raise KeyError(f"{name!r} is not a run table; known: {sorted(TABLES)}")
        if name not in self._tables:
            self._tables[name] = read_table(self.path / f"{name}.csv")
        return self._tables[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in TABLES:
            return self.table(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(TABLES))

    @cached_property
    def record(self) -> dict:
        """The run record (``run.json``)."""
        return json.loads((self.path / RECORD).read_text(encoding="utf-8"))

    @cached_property
    def embeddings(self) -> np.ndarray:
        """Passage embeddings, shape (n_passages, dim), rows aligned with ``passages``."""
        return np.load(self.path / EMBEDDINGS, allow_pickle=False)

    def data_file(self, kind: str) -> Path | None:
        """Return the run's copy of its ``themes``, ``gazetteer`` or ``events`` file, or None.

        Runs written before data files were recorded have none: the bundled files
        apply to them.
        """
        entry = self.record.get("data_files", {}).get(kind)
        path = self.path / entry["file"] if entry else None
        return path if path is not None and path.is_file() else None

    def model(self, embedder=None):
        """Load the run's topic model (:meth:`research.topics.ArabicTopicModel.load`)."""
        from research.topics import ArabicTopicModel

        return ArabicTopicModel.load(self.path / MODEL, embedder=embedder)

    def __repr__(self) -> str:
        return f"Run({str(self.path)!r})"


def load_run(path: str | os.PathLike) -> Run:
    """Return a :class:`Run` for folder ``path``."""
    return Run(path)
