"""Checking a run against a researcher's own labels: a labelling sample, then scores.

Table contract
--------------
:func:`sample_run` draws a stratified random sample (by outlet and publication
period) of a run's articles, keyed by ``article_id``, as a labelling sheet
(:data:`SHEET_COLUMNS`: id, split, source, url, date, title, text and the empty
label columns :data:`LABEL_COLUMNS`); :func:`write_sheet` saves it as CSV and as an
Excel workbook with a right-to-left sheet. Once filled in, :func:`evaluate_run`
scores the run's ``articles.csv`` against it: counterpart precision, recall and F1,
country agreement, engagement type and date, theme accuracy, macro-F1 and per-theme
precision / recall, a confusion table, and the adjusted mutual information of the
dominant topics with the themes, each with a bootstrap interval and its n
(``evaluation.json``, ``evaluation_confusion.csv``).

The protocol: sample, label every article by reading it in full, split the sample
into a development half (look at it while you adjust) and a test half scored once,
at the end (``split`` column), evaluate.
"""

from ._evaluate import (
    EVALUATION_FIGURES,
    LABEL_FILE_COLUMNS,
    evaluate_articles,
    evaluation_table,
    read_labels,
)
from ._protocol import SHEET_COLUMNS, evaluate_run, sample_run, write_sheet
from ._sample import LABEL_COLUMNS, stratified_sample

__all__ = [
    "EVALUATION_FIGURES",
    "LABEL_COLUMNS",
    "LABEL_FILE_COLUMNS",
    "SHEET_COLUMNS",
    "evaluate_articles",
    "evaluate_run",
    "evaluation_table",
    "read_labels",
    "sample_run",
    "stratified_sample",
    "write_sheet",
]
