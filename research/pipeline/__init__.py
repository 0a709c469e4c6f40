"""The pipeline: stage functions on tidy tables, the run that composes them, and reuse.

Stages (each takes tables keyed by ``article_id`` / ``passage_id`` / ``topic`` and
returns new ones, never modifying its inputs):

============================  ==============================================
:func:`run` composes them and writes the run folder (its tables are listed once, in
:data:`research.runs.TABLES`); :func:`read_config_file` reads a run's parameters from
a TOML file (:func:`write_config_file` writes one); :func:`repeat_run` repeats a saved
run from its record and compares the tables; :func:`rerun_themes` composes the theme
and trend stages on a saved run (:func:`run_theme_stages`, also used by
:func:`curate_topics`, which merges and names topics into a new run folder);
:func:`transform_articles` applies a saved model to new articles.
"""

from ._config import (
    COUNTS,
    PATH_FIELDS,
    PERIOD_CHOICES,
    Count,
    PeriodChoice,
    RunConfig,
    read_config_file,
    write_config_file,
)
from ._curate import curate_topics, read_topic_edits
from ._fit_sample import FIT_SAMPLE_AUTO, FitSample, fit_sample
from ._repeat import RepeatReport, config_from_record, repeat_run
from ._rerun import rerun_themes, run_theme_stages
from ._run import corpus_hash, ensure_run, input_hashes, run
from ._stages import (
    ARTICLE_FIRST_COLUMNS,
    PASSAGE_COLUMNS,
    annotate,
    article_topic_shares,
    counted_articles,
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
from ._transform import TransformResult, transform_articles, transform_files, transform_texts

__all__ = [
    "ARTICLE_FIRST_COLUMNS",
    "COUNTS",
    "FIT_SAMPLE_AUTO",
    "PASSAGE_COLUMNS",
    "PERIOD_CHOICES",
    "Count",
    "PATH_FIELDS",
    "FitSample",
    "PeriodChoice",
    "RepeatReport",
    "RunConfig",
    "TransformResult",
    "annotate",
    "article_topic_shares",
    "corpus_hash",
    "config_from_record",
    "counted_articles",
    "dominant_topics",
    "effects_and_change",
    "embed",
    "ensure_run",
    "fit_sample",
    "fit_topics",
    "group_stories",
    "ingest",
    "input_hashes",
    "map_documents",
    "read_config_file",
    "recheck_filter",
    "repeat_run",
    "report_table",
    "rerun_themes",
    "run_theme_stages",
    "curate_topics",
    "read_topic_edits",
    "run",
    "themes_and_trends",
    "topic_tables",
    "topic_hierarchy",
    "transform_articles",
    "transform_files",
    "transform_texts",
    "write_config_file",
]
