"""Arabic text: normalisation, matching, boilerplate removal and passages.

Table contract
--------------
:func:`prepare_passages` takes an article table (``article_id``, ``text``, optional
``title`` and ``source``) and, optionally, the lines of those articles that recur in
other stories of their outlet (``article_id``, ``line``, ``n_stories``: the table of
:func:`research.corpus.recurring_lines`), and returns a :class:`Prepared` with three
new tables, never modifying its input:

``articles``
    the input rows plus ``title`` (given or found), ``body`` (cleaned) and
    ``n_passages``;
``passages``
    one row per passage, keyed by ``passage_id`` (``<article_id>-pNNN``):
    ``article_id``, ``passage_index``, ``text``, ``n_words``;
``removed``
    one row per line that cleaning removed: ``article_id``, ``line``, ``reason``
    (``title``, ``related links``, ``prompt``, ``caption``, ``repeated line``,
    ``recurring paragraph (N stories of OUTLET)``, ``teaser block``).

Boilerplate recurring in :data:`MIN_RECURRING_STORIES` stories of an outlet is
removed at the head and tail of an article and wherever it is headline-like; a run of
at least :data:`MIN_TEASER_BLOCKS` teaser blocks of other stories (headline,
optional one-sentence lead, at most :data:`MAX_TEASER_OVERLAP` of its content words
in the article) is removed after the last prose paragraph (see :func:`clean_article`).

Normalisation (:func:`normalize_arabic`) is applied to *derived* text only (the
vectorizer, matching); passages keep the original spelling. :class:`NormalizedText`
maps spans of normalised text back to the original characters.
"""

from ._arabic import (
    ArabicAnalyzer,
    ArabicNormalizer,
    arabic_stop_words,
    arabic_tokenize,
    display_term,
    is_arabic_word,
    normalize_arabic,
    strip_proclitics,
    surface_forms,
)
from ._cleaning import CleanedArticle, clean_article, is_headline_like
from ._matching import (
    ARABIC_LETTER,
    WORD_END,
    WORD_START,
    NormalizedText,
    alias_regex,
    core_key,
    spelling_keys,
)
from ._passages import PASSAGE_COLUMNS, Prepared, passage_weights, prepare_passages
from ._segment import segment, split_sentences
from ._teasers import MAX_TEASER_OVERLAP, MIN_RECURRING_STORIES, MIN_TEASER_BLOCKS

__all__ = [
    "ARABIC_LETTER",
    "MAX_TEASER_OVERLAP",
    "MIN_RECURRING_STORIES",
    "MIN_TEASER_BLOCKS",
    "PASSAGE_COLUMNS",
    "WORD_END",
    "WORD_START",
    "ArabicAnalyzer",
    "ArabicNormalizer",
    "CleanedArticle",
    "NormalizedText",
    "Prepared",
    "alias_regex",
    "arabic_stop_words",
    "arabic_tokenize",
    "clean_article",
    "core_key",
    "display_term",
    "is_arabic_word",
    "is_headline_like",
    "normalize_arabic",
    "passage_weights",
    "prepare_passages",
    "segment",
    "spelling_keys",
    "split_sentences",
    "strip_proclitics",
    "surface_forms",
]
