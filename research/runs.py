"""Read a run folder's tables (for notebooks and reports: read, don't refit).

>>> from research.runs import load_run
>>> run = load_run("runs/seeds")          # doctest: +SKIP
>>> run.topics.head()                     # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["Run", "load_run", "ensure_run", "read_table"]


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a run table (UTF-8 CSV).

    Ids and period labels stay strings; an empty cell is ``NaN`` in a numeric column
    (e.g. the interval of a period without articles) and ``""`` in a text column.
    Only empty cells count as missing (a title "NA" stays a title).
    """
    ids = {"article_id": str, "passage_id": str, "period": str}  # labels, never numbers
    table = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=ids)
    text = table.select_dtypes(include=["object", "string"]).columns
    table[text] = table[text].fillna("")
    return table


class Run:
    """Lazy access to the tables of a run folder; each table is read once.

    Parameters
    ----------
    path : path
        A folder written by ``research run``.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not (self.path / "run.json").is_file():
            raise FileNotFoundError(
                f"{self.path} is not a run folder (no run.json); create it with "
                f"`research run CORPUS --out {self.path}`"
            )

    def table(self, name: str) -> pd.DataFrame:
        """Read ``<name>.csv`` of the run."""
        return read_table(self.path / f"{name}.csv")

    @cached_property
    def record(self) -> dict:
        """The run record (``run.json``)."""
        return json.loads((self.path / "run.json").read_text(encoding="utf-8"))

    @cached_property
    def articles(self) -> pd.DataFrame:
        """``articles.csv``."""
        return self.table("articles")

    @cached_property
    def passages(self) -> pd.DataFrame:
        """``passages.csv``."""
        return self.table("passages")

    @cached_property
    def topics(self) -> pd.DataFrame:
        """``topics.csv``."""
        return self.table("topics")

    @cached_property
    def topic_words(self) -> pd.DataFrame:
        """``topic_words.csv``."""
        return self.table("topic_words")

    @cached_property
    def article_topics(self) -> pd.DataFrame:
        """``article_topics.csv``."""
        return self.table("article_topics")

    @cached_property
    def ingest_report(self) -> pd.DataFrame:
        """``ingest_report.csv``."""
        return self.table("ingest_report")

    @cached_property
    def removed_lines(self) -> pd.DataFrame:
        """``removed_lines.csv``."""
        return self.table("removed_lines")

    @cached_property
    def embeddings(self) -> np.ndarray:
        """Passage embeddings, rows aligned with :attr:`passages`."""
        return np.load(self.path / "embeddings.npy", allow_pickle=False)

    def model(self):
        """Load the run's saved topic model (checksums and embedding model verified)."""
        from research.reuse import load

        return load(self.path / "model")

    def __repr__(self) -> str:
        return f"Run({str(self.path)!r})"


def load_run(path: str | os.PathLike) -> Run:
    """Return a :class:`Run` for folder ``path``."""
    return Run(path)


def ensure_run(corpus: str | os.PathLike, path: str | os.PathLike, **config) -> Run:
    """Return the run at ``path``, running the pipeline on ``corpus`` first if it is missing."""
    path = Path(path)
    if not (path / "run.json").is_file():
        from research.pipeline import RunConfig, run

        run(RunConfig(corpus=str(corpus), out=str(path), **config))
    return Run(path)
