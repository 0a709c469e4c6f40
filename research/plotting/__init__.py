"""Figures: one private module per figure.

Each function takes tidy tables, accepts ``ax=None`` where it draws one panel,
returns the figure, and never shows or saves it (see :mod:`research.figures`).
"""

from research.plotting._article_topics import plot_article_topics
from research.plotting._contrast import plot_contrast
from research.plotting._document_map import plot_document_map
from research.plotting._document_map_interactive import plot_document_map_interactive
from research.plotting._theme_heatmap import plot_theme_heatmap
from research.plotting._theme_trends import plot_theme_trends
from research.plotting._topic_words import plot_topic_words

__all__ = [
    "plot_article_topics",
    "plot_contrast",
    "plot_document_map",
    "plot_document_map_interactive",
    "plot_theme_heatmap",
    "plot_theme_trends",
    "plot_topic_words",
]
