"""Topic modelling and trend analysis of Arabic news about Egypt's president and his counterparts.

One subpackage per stage, each stating its table contract in its docstring:

=========================  ======================================================
``research.corpus``        reading corpora (every input item accounted for),
                           near-duplicate stories
``research.text``          Arabic normalisation, cleaning, passages
``research.embed``         cached sentence embeddings (offline e5 by default)
``research.topics``        :class:`ArabicTopicModel` (BERTopic for Arabic), its
                           safe save format
``research.annotate``      counterpart and engagement date of each article
``research.themes``        theme set, zero-shot theme scores, topic -> theme
``research.trends``        periods, bootstrap trend tables
``research.plotting``      one private module per figure
``research.pipeline``      stage functions, the run, re-running themes, transform
``research.runs``          the run folder's tables, read back
``research.figures``       saving a run's figures
``research.validation``    labelling samples and scoring a run against labels
=========================  ======================================================

The names below are importable from ``research`` directly, for notebooks; they are
loaded on first use (PEP 562), so ``import research`` loads nothing heavy.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> subpackage that defines it
_LAZY = {
    "RunConfig": "research.pipeline",
    "run": "research.pipeline",
    "ensure_run": "research.pipeline",
    "rerun_themes": "research.pipeline",
    "transform_articles": "research.pipeline",
    "transform_texts": "research.pipeline",
    "transform_files": "research.pipeline",
    "Run": "research.runs",
    "load_run": "research.runs",
    "read_corpus": "research.corpus",
    "get_embedder": "research.embed",
    "ArabicTopicModel": "research.topics",
    "load_themes": "research.themes",
    "write_figures": "research.figures",
    "package_versions": "research._io",
    "reproducible_environment": "research._io",
    "KERNEL_ENVIRONMENT": "research._io",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'research' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
