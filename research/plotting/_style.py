"""Fonts and text handling at the drawing boundary (the one place that owns them).

matplotlib >= 3.11 shapes Arabic and applies the bidirectional algorithm itself, so
labels are passed in logical Unicode order, unchanged. Do not apply
``arabic-reshaper``/``python-bidi`` on top: that renders reversed text.
"""

from __future__ import annotations

from contextlib import contextmanager

__all__ = ["ARABIC_FONTS", "figure_context", "new_axes", "ltr", "ltr_paragraph", "shorten"]

# First installed family wins; DejaVu Sans ships with matplotlib and covers Arabic.
ARABIC_FONTS = ["Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "DejaVu Sans"]

_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ARABIC_FONTS,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "arabic-news-topics",
    "svg.fonttype": "path",
}


def ltr(text: str) -> str:
    """Isolate a left-to-right run (an id, a date) inside an Arabic label.

    Without the isolate, the bidirectional algorithm reorders weak characters around
    it: ``[000_01aeee41]`` next to Arabic would be shown as ``[01aeee41_000]``.
    """
    return f"\u2066{text}\u2069"


def ltr_paragraph(text) -> str:
    """Start ``text`` with a left-to-right mark (LRM).

    A label whose first strong character is Arabic is laid out as a right-to-left
    paragraph, which moves a Latin suffix such as "(n=3)" to its left end. The mark
    only sets the paragraph direction; the Arabic run stays in logical order and is
    shaped by matplotlib.
    """
    return "\u200e" + str(text)


def shorten(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` characters, marking the cut with an ellipsis."""
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


@contextmanager
def figure_context():
    """Temporarily apply the package's figure style (fonts, sizes, stable SVG ids)."""
    import matplotlib as mpl

    with mpl.rc_context(_RC):
        yield


def new_axes(ax=None, figsize=(7, 4)):
    """Return ``(fig, ax)``: the given axes and its figure, or a new figure."""
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax.figure, ax
    with figure_context():
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax
