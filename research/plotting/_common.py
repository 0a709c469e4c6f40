"""Fonts and text handling at the drawing boundary (the one place that owns them).

matplotlib >= 3.11 shapes Arabic and applies the bidirectional algorithm itself, so
labels are passed in logical Unicode order, unchanged. Do not apply
``arabic-reshaper``/``python-bidi`` on top: that renders reversed text.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import contextmanager

import pandas as pd

__all__ = [
    "ARABIC_FONTS",
    "figure_context",
    "new_axes",
    "ltr",
    "ltr_paragraph",
    "shorten",
    "wrap_label",
    "theme_label_map",
    "mark_events",
    "period_span",
    "shown_periods",
    "not_estimated",
]

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


def wrap_label(text: str, width: int, *, sep: str = " · ") -> str:
    """Break a bilingual label into lines of at most about ``width`` characters.

    Each part of ``"English · Arabic"`` starts a new line (the Arabic name under the
    English one), and each part is wrapped at spaces (:func:`textwrap.wrap`; a word
    longer than ``width`` stays whole). A leading left-to-right mark is kept on the
    first line.
    """
    import textwrap

    text = str(text)
    mark = "\u200e" if text.startswith("\u200e") else ""
    parts = [p for p in text.removeprefix(mark).split(sep) if p.strip()]
    lines = [line for part in parts
             for line in textwrap.wrap(part, width, break_long_words=False) or [part]]
    return mark + "\n".join(lines)


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


def theme_label_map(labels: Mapping[str, str] | None = None, *, sep: str = " · ") -> dict:
    """Return theme id -> "English name<sep>Arabic name" (shipped set, updated by ``labels``)."""
    from research.themes import load_themes

    out = {t.id: f"{t.name}{sep}{t.name_ar}" for t in load_themes()}
    out.update(labels or {})
    return {k: ltr_paragraph(v) for k, v in out.items()}


def mark_events(ax, events: pd.DataFrame | None, lo, hi, *, min_gap: float = 0.02) -> float:
    """Draw a dashed line per event inside [lo, hi] and label them above the axes.

    The labels stand in a band above the plotting area, so they never cover a data
    marker or line. An event that falls on or just after the label of the run before
    it (a run's label is one column of text per event, each about ``min_gap / 2`` of
    the date span wide, right of the run's last line) joins that run, so labels never
    overlap and no line crosses a label.

    Returns
    -------
    float
        Height of the label band in points (0 without events): pass ``6 + band`` as
        the title's ``pad`` so that the title stands above the labels.
    """
    if events is None or len(events) == 0:
        return 0.0
    dates = pd.to_datetime(events["date"], errors="coerce")
    labels = events["label"] if "label" in events else pd.Series("", index=events.index)
    inside = (dates.notna() & (dates >= lo) & (dates <= hi)).to_numpy()
    rows = sorted(zip(dates[inside], labels[inside].astype(str), strict=True))
    line = (hi - lo) * min_gap / 2  # about the width of one column of 7-point text
    runs: list[tuple[list[str], pd.Timestamp]] = []  # (labels, date of the last line)
    for date, label in rows:
        ax.axvline(date, color="0.55", linestyle="--", linewidth=0.8, zorder=0)
        if runs and date - runs[-1][1] < line * (len(runs[-1][0]) + 1):
            runs[-1] = (runs[-1][0] + [label], date)
        else:
            runs.append(([label], date))
    texts = [ax.annotate("\n".join(ltr_paragraph(n) for n in names), (last, 1),
                         xycoords=("data", "axes fraction"), xytext=(2, 3),
                         textcoords="offset points", rotation=90, ha="left", va="bottom",
                         fontsize=7, color="0.35", annotation_clip=False)
             for names, last in runs]
    if not texts:
        return 0.0
    renderer = ax.figure.canvas.get_renderer()
    tallest = max(t.get_window_extent(renderer).height for t in texts)
    return 3 + tallest * 72 / ax.figure.dpi


def period_span(periods: pd.Series):
    """First day of the earliest and last day of the latest period."""
    from research.trends import period_dates

    return period_dates(periods, "start").min(), period_dates(periods, "end").max()


def shown_periods(rows: pd.DataFrame, shown: tuple[str, str] | None,
                  outside: int = 0) -> tuple[pd.DataFrame, str]:
    """Keep the rows of the periods in ``shown`` (first, last); return them and an axis note.

    The note says how many dated articles fall outside the range shown (the tables
    keep every period).
    """
    if not shown or not shown[0]:
        return rows, ""
    first, last = shown
    keep = (rows["period"] >= first) & (rows["period"] <= last)
    note = (f"; {outside} articles dated outside {first}..{last} (the central 95% of dates) "
            "are not shown" if outside else "")
    return rows[keep], note


def not_estimated(ax, message: str) -> None:
    """Write why nothing is drawn in the middle of ``ax`` and hide its axes."""
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=10,
            color="0.3", wrap=True)
    ax.set_axis_off()
