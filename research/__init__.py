"""Topic modelling and trend analysis of Arabic news about Egypt's president and his counterparts.

The package is organised in small modules, one concern each:

``research.corpus``
    reading folders of ``.txt`` articles and CSV/JSONL tables into an article table,
    with an ingest report that accounts for every input item.
``research.arabic``
    Arabic normalisation, tokenisation and stop words.
``research.cleaning`` / ``research.segment``
    boilerplate removal and passage segmentation.
``research.embedding``
    BERTopic-compatible embedders (offline ``multilingual-e5-small`` by default) and an
    on-disk embedding cache.
``research.topics``
    :class:`~research.topics.ArabicTopicModel`, a scikit-learn style estimator around BERTopic.
``research.pipeline`` / ``research.cli``
    the end-to-end run that writes tidy tables, and its command line.
``research.plotting``
    one module per figure; plot functions take tables and return figures.

Nothing is computed or loaded at import time.
"""

__version__ = "0.1.0"
