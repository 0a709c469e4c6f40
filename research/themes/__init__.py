"""Themes: a researcher's theme set, zero-shot theme scores, and topics mapped to themes.

Table contract
--------------
:func:`theme_tables` takes the passage table (``passage_id``, ``article_id``,
``n_words``, ``topic``), the passage embeddings (rows aligned), the topic table
(``topic``, ``top_words``) and an embedder, and returns a :class:`ThemeTables` of new
tables:

``passage_themes``  one row per (``passage_id``, ``theme``): ``score`` (probability);
``article_themes``  one row per (``article_id``, ``theme``): ``share`` (sums to 1);
``topic_themes``    one row per ``topic``: its ``theme`` and the evidence;
plus the dominant theme and the concept-axis score of each article.

The theme set (``research/data/themes.yaml`` or a researcher's file, loaded and
validated by :func:`load_themes`) always ends with ``other``, the "no theme fits"
option. :class:`ThemeScorer` and :class:`ConceptAxis` follow the scikit-learn
estimator contract.
"""

from ._concept_axis import ConceptAxis, article_axis_scores
from ._scorer import ThemeScorer, article_theme_shares, article_weighted_mean, dominant_theme
from ._tables import ThemeTables, theme_tables
from ._theme_set import (
    OTHER,
    REQUIRED_THEMES,
    Theme,
    content_tokens,
    load_themes,
    theme_labels,
    theme_seed_terms,
    theme_seed_topic_list,
)
from ._topic_themes import map_topics_to_themes

__all__ = [
    "OTHER",
    "REQUIRED_THEMES",
    "ConceptAxis",
    "Theme",
    "ThemeScorer",
    "ThemeTables",
    "article_axis_scores",
    "article_theme_shares",
    "article_weighted_mean",
    "content_tokens",
    "dominant_theme",
    "load_themes",
    "map_topics_to_themes",
    "theme_labels",
    "theme_seed_terms",
    "theme_seed_topic_list",
    "theme_tables",
]
