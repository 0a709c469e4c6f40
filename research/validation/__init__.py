"""Checking a run against a researcher's own labels: labelling samples and scores.

Table contract
--------------
:func:`stratified_sample` takes a run's article table keyed by ``article_id`` and
returns a new table of sampled articles with ``stratum`` and ``split`` (``dev`` /
``test``) columns; the labelling sheet adds the empty label columns
:data:`LABEL_COLUMNS`.
"""

from ._sample import LABEL_COLUMNS, stratified_sample

__all__ = ["LABEL_COLUMNS", "stratified_sample"]
