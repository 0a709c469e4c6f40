"""The run folder as a schema: every table of a run is named once, here.

A run folder (written by :func:`research.pipeline.run`) holds each table of
:data:`TABLES` twice: as UTF-8 CSV (``<name>.csv``, byte-stable, for diffs and
spreadsheets) and as Parquet (``<name>.parquet``, typed: each column has the kind
its table declares in :data:`TABLES`, so pandas, DuckDB or polars read integers,
booleans and dates as such). Next to them: ``embeddings.npy`` (passage embeddings,
rows of ``passages``), ``run.json`` (the record: versions, configuration, counts,
timings), ``inputs/`` (the run's data files) and ``model/`` (the fitted topic model).
:func:`write_tables` writes tables atomically; :class:`Run` reads them back lazily,
for notebooks and reports (read, don't refit): Parquet when present, else CSV (runs
written before Parquet). :func:`export_workbook` writes the summary tables as an
Excel workbook with right-to-left sheets.

>>> from research.runs import load_run
>>> run = load_run("runs/seeds")          # doctest: +SKIP
>>> run.topics.head()                     # doctest: +SKIP
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import pandas as pd

from research._io import atomic_write_bytes, write_workbook

__all__ = [
    "TABLES",
    "Table",
    "ColumnKind",
    "COLUMN_KINDS",
    "RECORD",
    "EMBEDDINGS",
    "MODEL",
    "INPUTS",
    "WORKBOOK_SHEETS",
    "Run",
    "load_run",
    "read_table",
    "typed_table",
    "write_table",
    "write_tables",
    "export_workbook",
]

#: Kind of a column: text (missing is ``""``), integer (``int64``, nullable ``Int64``
#: where a value is missing), float, boolean (``bool``, nullable ``boolean`` where a
#: value is missing) or calendar date (``datetime.date``, ``None`` where missing;
#: Arrow ``date32``).
ColumnKind = Literal["str", "int", "float", "bool", "date"]
COLUMN_KINDS: tuple[str, ...] = get_args(ColumnKind)


@dataclass(frozen=True)
class Table:
    """One table of a run folder.

    Attributes
    ----------
    key : str
        The column that keys the table's rows.
    row : str
        What one row is.
    columns : mapping of str to ColumnKind
        Kind of each column the pipeline writes. A table may carry more columns (the
        input metadata of ``articles``): text columns are written as text, numbers
        as they are.
    """

    key: str
    row: str
    columns: Mapping[str, ColumnKind] = field(default_factory=dict)

    def __post_init__(self):
        wrong = {c: k for c, k in self.columns.items() if k not in COLUMN_KINDS}
        if wrong:
            raise ValueError(f"column kinds must be one of {COLUMN_KINDS}, got {wrong}")


def _kinds(spec: str) -> dict[str, ColumnKind]:
    """Parse ``"kind: col col; kind: col"`` into ``{col: kind}`` (column order kept)."""
    out: dict[str, ColumnKind] = {}
    for group in spec.split(";"):
        kind, names = group.split(":")
        out.update(dict.fromkeys(names.split(), kind.strip()))
    return out


_TREND = "float: share ci_low ci_high; int: n_articles; float: n_effective; bool: few_articles"
_CONTRAST = ("float: contrast ci_low ci_high share_a share_b; int: n_articles; "
             "float: n_effective; bool: few_articles")
_TOPIC_SHARES = "int: topic; float: frequency share; int: n_passages n_articles"

#: Every table of a run folder: file stem -> :class:`Table` (key, row, column kinds).
TABLES: dict[str, Table] = {
    "ingest_report": Table(
        "item", "input item: loaded, skipped or filtered, with the reason",
        _kinds("str: item article_id status reason encoding; int: n_chars; str: dup_group; "
               "bool: is_representative; int: n_passages; str: notes")),
    "removed_lines": Table(
        "article_id", "line removed by cleaning, with the reason",
        _kinds("str: article_id line reason")),
    "articles": Table(
        "article_id", "article: title, passages, dominant topic and theme, counterpart, "
                      "engagement date, input metadata",
        _kinds("str: article_id title; int: n_passages dominant_topic; str: dominant_theme; "
               "float: axis_score; str: source_file encoding date_origin date_extracted "
               "source url author outlet; date: date; "
               "str: counterpart counterpart_country counterpart_role; "
               "float: counterpart_confidence; "
               "str: engagement_type engagement_evidence other_engagements people_mentioned; "
               "date: date_min date_max; str: date_source date_evidence; "
               "float: date_confidence; str: notes dup_group; bool: is_representative; "
               "int: group_size; str: background_subject time_basis")),
    "passages": Table(
        "passage_id", "passage: text, words, model tokens, topic, theme",
        _kinds("str: article_id passage_id; int: passage_index; str: text; "
               "int: n_words n_tokens topic; str: topic_source theme; float: axis_score")),
    "topics": Table(
        "topic", "topic: size, label, top words, theme",
        _kinds("int: topic size; str: label top_words top_terms theme")),
    "topic_words": Table(
        "topic", "topic word: rank, term, corpus spelling, c-TF-IDF score",
        _kinds("int: topic; str: label; int: rank; str: term word; float: score")),
    "topic_hierarchy": Table(
        "parent", "merge of two topics: children, distance, leaf topics, words",
        _kinds("int: parent left right; float: distance; int: n_topics; str: topics words")),
    "article_topics": Table(
        "article_id", "(article, topic): share of the article's words",
        _kinds("str: article_id; int: topic; float: share")),
    "document_map": Table(
        "passage_id", "passage: fixed 2-D coordinates",
        _kinds("str: article_id passage_id; int: topic; float: x y")),
    "passage_themes": Table(
        "passage_id", "(passage, theme): calibrated theme probability",
        _kinds("str: passage_id article_id theme; float: score")),
    "article_themes": Table(
        "article_id", "(article, theme): share, summing to 1 per article",
        _kinds("str: article_id theme; float: share")),
    "topic_themes": Table(
        "topic", "topic: the theme it maps to, with the evidence",
        _kinds("int: topic; str: theme; float: score; str: evidence; int: n_passages; "
               "float: mean_score word_share; str: matched_words runner_up")),
    "annotation_notes": Table(
        "article_id", "finding about an article's counterpart or date",
        _kinds("str: article_id kind message")),
    "trends_time": Table(
        "period", "(period, theme): share with bootstrap interval",
        _kinds(f"str: period theme; {_TREND}")),
    "trends_counterpart": Table(
        "counterpart", "(counterpart, theme): share with interval",
        _kinds(f"str: counterpart theme; {_TREND}")),
    "trends_country": Table(
        "counterpart_country", "(country, theme): share with interval",
        _kinds(f"str: counterpart_country theme; {_TREND}")),
    "trends_role": Table(
        "counterpart_role", "(role, theme): share with interval",
        _kinds(f"str: counterpart_role theme; {_TREND}")),
    "contrast_time": Table(
        "period", "period: counterterrorism minus Gaza share, with interval",
        _kinds(f"str: period; {_CONTRAST}")),
    "contrast_counterpart": Table(
        "counterpart", "counterpart: the same contrast",
        _kinds(f"str: counterpart; {_CONTRAST}")),
    "topics_over_time": Table(
        "period", "(period, topic): topic share",
        _kinds(f"str: period; {_TOPIC_SHARES}")),
    "topics_per_counterpart": Table(
        "counterpart", "(counterpart, topic): topic share",
        _kinds(f"str: counterpart; {_TOPIC_SHARES}")),
    "theme_effects": Table(
        "theme", "(theme, term): fractional logit effect, story-clustered interval",
        _kinds("str: theme term covariate level reference; "
               "float: estimate std_error ci_low ci_high p_value; int: n n_level n_stories; "
               "str: interval status")),
    "theme_margins": Table(
        "theme", "(theme, covariate, level): predicted share with interval",
        _kinds("str: theme covariate level; float: share ci_low ci_high observed; "
               "int: n_level; str: pooled_from; int: n; str: interval status")),
    "theme_change": Table(
        "theme", "theme: share after minus before, interval, p-values",
        _kinds("str: theme before after; "
               "float: share_before share_after difference ci_low ci_high p_value p_adjusted; "
               "bool: significant; int: n_before n_after n_left_out; str: test status")),
    "topics_emerging": Table(
        "period", "(period, topic): share against its trailing window, flag",
        # passage and article counts are weights here (an article dated to a window
        # spreads over its periods)
        _kinds("str: period; int: topic; str: label status; "
               "float: share baseline difference ci_low ci_high z p_value p_adjusted fold "
               "n_passages n_articles; str: baseline_periods; "
               "float: baseline_passages baseline_articles; str: reason")),
    "topic_words_over_time": Table(
        "period", "(period, topic, rank): c-TF-IDF word of the period",
        _kinds("str: period; int: topic rank; str: term word; float: score count; "
               "int: n_passages")),
}
#: The run record.
RECORD = "run.json"
#: Passage embeddings (float32, rows of ``passages``).
EMBEDDINGS = "embeddings.npy"
#: The saved topic model folder.
MODEL = "model"
#: Folder of the run's data files (theme set, gazetteer, events calendar).
INPUTS = "inputs"
#: Sheets of the workbook of :func:`export_workbook`: sheet name -> run table.
WORKBOOK_SHEETS: dict[str, str] = {
    "articles": "articles",
    "topics": "topics",
    "themes_by_period": "trends_time",
    "themes_by_counterpart": "trends_counterpart",
}

# Ids and period labels stay strings when read back from CSV (never numbers).
_STRING_COLUMNS = {"article_id": str, "passage_id": str, "period": str}
_ARROW_TYPES = {"str": "large_string", "int": "int64", "float": "float64", "bool": "bool_",
                "date": "date32"}


def _blank_to_na(values: pd.Series) -> pd.Series:
    if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
        return values.astype(object).where(values.astype(object) != "", None)
    return values


def _as_int(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(_blank_to_na(values))
    given = numbers.dropna()
    fraction = given[given != np.floor(given)] if len(given) else given
    if len(fraction):
        raise ValueError(f"not an integer: {fraction.iloc[0]}")
    return numbers.astype("Int64" if numbers.isna().any() else "int64")


def _as_bool(values: pd.Series) -> pd.Series:
    given = _blank_to_na(values)
    flags = given.map({True: True, False: False, "True": True, "False": False})
    if flags.notna().sum() != given.notna().sum():
        bad = given[given.notna() & flags.isna()].iloc[0]
        raise ValueError(f"not a boolean: {bad!r}")
    return flags.astype("boolean") if flags.isna().any() else flags.astype(bool)


def _as_date(values: pd.Series) -> pd.Series:
    def day(value):
        if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)) if str(value) else None

    return pd.Series([day(v) for v in values], index=values.index, dtype=object)


def _as_str(values: pd.Series) -> pd.Series:
    return values.astype("str").fillna("")


_CONVERT = {"str": _as_str, "int": _as_int, "bool": _as_bool, "date": _as_date,
            "float": lambda values: pd.to_numeric(_blank_to_na(values)).astype("float64")}


def typed_table(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Return table ``name`` with each column converted to its kind in :data:`TABLES`.

    Integers become ``int64`` (``Int64`` where a value is missing), booleans ``bool``
    (``boolean`` where missing), dates ``datetime.date`` objects (``None`` where
    missing), text ``str`` with ``""`` where missing. Columns the table does not
    declare keep their dtype (text columns become ``str``).

    Parameters
    ----------
    name : str
        One of :data:`TABLES`.
    df : DataFrame
        The table, as the pipeline made it or as read from CSV; not modified.

    Returns
    -------
    DataFrame

    Raises
    ------
    ValueError
        For a value that is not of its column's kind (the message names the table,
        the column and the kind).
    """
    kinds = TABLES[name].columns
    out = {}
    for column in df.columns:
        values = df[column]
        kind = kinds.get(column)
        if kind is None:
            is_text = pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)
            kind = "str" if is_text else None
        try:
            out[column] = _CONVERT[kind](values) if kind else values
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{name}.{column}: values are not of kind {kind!r}: {exc}") from exc
    return pd.DataFrame(out, index=df.index)


def _parquet_bytes(name: str, df: pd.DataFrame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    typed = typed_table(name, df).reset_index(drop=True)
    table = pa.Table.from_pandas(typed, preserve_index=False)
    kinds = TABLES[name].columns
    schema = pa.schema(
        [pa.field(f.name, getattr(pa, _ARROW_TYPES[kinds[f.name]])()) if f.name in kinds else f
         for f in table.schema], metadata=table.schema.metadata)
    buffer = io.BytesIO()
    pq.write_table(table.cast(schema), buffer)
    return buffer.getvalue()


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``df`` as UTF-8 CSV atomically, with a fixed float format (byte-stable output)."""
    data = df.to_csv(index=False, float_format="%.6g", lineterminator="\n").encode("utf-8")
    atomic_write_bytes(Path(path), data)


def write_tables(folder: str | os.PathLike, tables: Mapping[str, pd.DataFrame], *,
                 parquet: bool = True) -> list[Path]:
    """Write tables of :data:`TABLES` into a run folder, as CSV and Parquet.

    Parameters
    ----------
    folder : path
        The run folder (created when missing).
    tables : mapping of str to DataFrame
        File stem -> table; every stem must be one of :data:`TABLES`.
    parquet : bool, default=True
        Also write ``<name>.parquet`` with the column kinds of :data:`TABLES`
        (:func:`typed_table`); the CSV is written from ``df`` as it is.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ValueError
        For a stem that is not a run table (the message lists the known ones), or a
        value that is not of its column's kind.
    """
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"not run tables: {unknown}; known: {sorted(TABLES)}")
    folder = Path(folder)
    # every table is converted before anything is written: a kind error leaves no
    # half-written folder behind
    typed = {name: _parquet_bytes(name, t) for name, t in tables.items()} if parquet else {}
    paths = []
    for name, table in tables.items():
        path = folder / f"{name}.csv"
        write_table(table, path)
        paths.append(path)
        if name in typed:
            atomic_write_bytes(folder / f"{name}.parquet", typed[name])
            paths.append(folder / f"{name}.parquet")
    return paths


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a run table: UTF-8 CSV, or Parquet when ``path`` ends in ``.parquet``.

    From CSV, ids and period labels stay strings; an empty cell is ``NaN`` in a
    numeric column (e.g. the interval of a period without articles) and ``""`` in a
    text column. Only empty cells count as missing (a title "NA" stays a title).
    From Parquet, every column has the dtype :func:`typed_table` gave it.
    """
    if Path(path).suffix == ".parquet":
        return pd.read_parquet(path)
    table = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=_STRING_COLUMNS)
    text = table.select_dtypes(include=["object", "string"]).columns
    table[text] = table[text].fillna("")
    return table


def export_workbook(run_dir: str | os.PathLike, path: str | os.PathLike) -> Path:
    """Write a run's summary tables as an Excel workbook (:data:`WORKBOOK_SHEETS`).

    Sheets: ``articles``, ``topics``, ``themes_by_period`` (``trends_time``) and
    ``themes_by_counterpart`` (``trends_counterpart``), each right to left with a
    bold, frozen header (``research._io.write_workbook``). Typed runs give numbers, booleans
    and dates as Excel values.

    Parameters
    ----------
    run_dir : path
        A run folder.
    path : path
        The ``.xlsx`` file to write.

    Returns
    -------
    Path
        The workbook.
    """
    run = load_run(run_dir)
    return write_workbook({sheet: run.table(name) for sheet, name in WORKBOOK_SHEETS.items()},
                          path)


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
        """Read table ``name`` of the run (cached): ``<name>.parquet``, else ``<name>.csv``.

        From Parquet the columns have their kinds (:func:`typed_table`); runs written
        before Parquet are read from CSV (:func:`read_table`).

        Raises
        ------
        KeyError
            For a name that is not one of :data:`TABLES`.
        """
        if name not in TABLES:
            raise KeyError(f"{name!r} is not a run table; known: {sorted(TABLES)}")
        if name not in self._tables:
            parquet = self.path / f"{name}.parquet"
            self._tables[name] = read_table(parquet if parquet.is_file()
                                            else self.path / f"{name}.csv")
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
