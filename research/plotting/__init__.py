"""Figures: one private module per figure.

Each function takes tidy tables, accepts ``ax=None`` where it draws one panel,
returns the figure, and never shows or saves it (see :mod:`research.figures`). Fonts
and Arabic text handling live in one private helper module.
"""

from ._article_topics import plot_article_topics
from ._common import figure_context
from ._contrast import plot_contrast
from ._document_map import plot_document_map
from ._document_map_interactive import document_map_page, plot_document_map_interactive
from ._theme_change import plot_theme_change
from ._theme_heatmap import plot_theme_heatmap
from ._theme_margins import plot_theme_margins
from ._theme_trends import plot_theme_trends
from ._topic_hierarchy import hierarchy_linkage, plot_topic_hierarchy
from ._topic_words import plot_topic_words
from ._topic_words_over_time import plot_topic_words_over_time

__all__ = [
    "figure_context",
    "plot_article_topics",
    "plot_contrast",
    "plot_document_map",
    "plot_document_map_interactive",
    "document_map_page",
    "plot_theme_change",
    "plot_theme_heatmap",
    "plot_theme_margins",
    "plot_theme_trends",
    "plot_topic_words",
    "plot_topic_hierarchy",
    "hierarchy_linkage",
    "plot_topic_words_over_time",
]
