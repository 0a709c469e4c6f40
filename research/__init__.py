"""Topic modelling and trend analysis of Arabic news about Egypt's president and his counterparts.

The package is organised in small modules, one concern each:

``research.corpus`` / ``research.dedup``
    reading folders of ``.txt`` articles, CSV/JSONL tables and SaudiNewsNet zips into an
    article table, with an ingest report that accounts for every input item;
    near-duplicate grouping.
``research.arabic``
    Arabic normalisation, tokenisation, stop words and display spellings.
``research.cleaning`` / ``research.segment`` / ``research.passages``
    boilerplate removal and passage segmentation.
``research.embedding`` / ``research.cache`` / ``research.e5_torch``
    BERTopic-compatible embedders (offline ``multilingual-e5-small`` by default), the
    on-disk embedding cache, and the local torch build of the default model.
``research.topics`` / ``research.persistence`` / ``research.reuse``
    :class:`~research.topics.ArabicTopicModel` (a scikit-learn style estimator around
    BERTopic), its safe save format, and applying a saved model to new articles.
``research.annotate`` (with ``gazetteer``, ``text_match``, ``mentions``, ``titles``,
``counterparts``, ``dates``, ``date_words``, ``date_windows``, ``events``, ``manifest``,
``article_annotation``)
    who the counterpart is and when the engagement happened, with the evidence.
``research.themes`` (with ``theme_set``, ``topic_themes``, ``concept_axis``) /
``research.trends`` (with ``periods``, ``topic_trends``) / ``research.analysis``
    zero-shot themes, article shares, the concept axis, and trend tables with
    bootstrap intervals.
``research.pipeline`` / ``research.cli`` / ``research.runs`` / ``research.figures``
    the end-to-end run that writes tidy tables, its command line, reading a run's
    tables back, and saving figures.
``research.plotting``
    one module per figure; plot functions take tables and return figures.

Nothing is computed or loaded at import time.
"""

__version__ = "0.1.0"
