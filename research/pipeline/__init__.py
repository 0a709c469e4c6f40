"""The pipeline: stage functions on tidy tables, the run that composes them, and reuse.

Stages (each takes tables keyed by ``article_id`` / ``passage_id`` / ``topic`` and
returns new ones, never modifying its inputs):

=====================  =====================================================
:func:`ingest`         corpus -> articles + ingest report + paragraph frequencies
prepare_passages       articles + recurring lines -> cleaned articles, passages,
                       removed lines
:func:`recheck_filter` cleaned articles + report -> without the articles that match
                       the selection only in removed lines (reported as filtered)
:func:`group_stories`  articles -> near-duplicate stories
:func:`annotate`       articles -> counterpart and date columns + notes
:func:`embed`          passages -> embeddings, token counts
:func:`fit_sample`     stories -> those the topics are fitted on (all, or a sample)
:func:`fit_topics`     passages + embeddings -> topic model, passage topics
:func:`topic_tables`   model -> topics, topic words
:func:`map_documents`  embeddings -> 2-D document map
:func:`themes_and_trends`  passages, articles, topics -> theme and trend tables
:func:`effects_and_change`  themes, passages, articles -> effects, change, emerging topics
=====================  =====================================================

:func:`run` composes them and writes the run folder (its tables are listed once, in
:data:`research.runs.TABLES`); :func:`rerun_themes` composes the theme and trend
stages on a saved run; :func:`transform_articles` applies a saved model to new
articles.
"""

from ._config import COUNTS, PERIOD_CHOICES, Count, PeriodChoice, RunConfig
from ._fit_sample import FIT_SAMPLE_AUTO, FitSample, fit_sample
from ._rerun import rerun_themes
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
    "FitSample",
    "PeriodChoice",
    "RunConfig",
    "TransformResult",
    "annotate",
    "article_topic_shares",
    "corpus_hash",
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
    "recheck_filter",
    "report_table",
    "rerun_themes",
    "run",
    "themes_and_trends",
    "topic_tables",
    "transform_articles",
    "transform_files",
    "transform_texts",
]
