"""Remove web boilerplate from scraped Arabic news articles.

Cleaning works on lines (a scraped article has one paragraph per line) and only
produces *derived* text: the input is never modified. Every removed line is
returned with the reason, so a run can list exactly what was dropped.

Removed:

* related-links blocks: a marker line such as "اقرأ أيضاً", "أقرأ أيضاً",
  "قد يهمك أيضاً" or "ترشيحاتنا" and the headline-like lines that follow it, up
  to the next prose line (so an article that continues after the block keeps
  its continuation);
* subscription and account prompts ("لم تشترك بعد", "انشئ حساباً خاصاً بك" ...);
* photo captions ("... - أرشيفية") and headline-like lines repeated in the page;
* boilerplate that recurs in other stories of the outlet (given as ``recurring``)
  and runs of teaser blocks of other stories after the body, found by their
  structure (summarised in :func:`clean_article`).

A *headline-like* line is short (at most ``max_headline_words`` words) and does not
end with sentence punctuation; *prose* is everything else.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from ._arabic import normalize_arabic
from ._teasers import (
    MAX_TEASER_OVERLAP,
    MIN_RECURRING_STORIES,
    MIN_TEASER_BLOCKS,
    recurring_paragraphs,
    teaser_blocks,
)

__all__ = ["CleanedArticle", "clean_article", "is_headline_like"]

# Compared against normalised text (no diacritics, unified alef/yeh/teh marbuta).
_RELATED = re.compile(
    r"^\s*(?:"
    r"(?:اقرا|اقراي|طالع|شاهد|تابع)\s+(?:ايضا|ايضًا|كذلك|المزيد)"
    r"|قد\s+يهمك(?:\s+(?:ايضا|كذلك))?"
    r"|ترشيحاتنا"
    r"|(?:اخبار|مواضيع|موضوعات|روابط|مقالات)\s+(?:ذات\s+صله|متعلقه|مرتبطه)"
    r"|المزيد\s+من\s+الاخبار"
    r")\s*[:：\-–]?\s*"
)
_PROMPTS = re.compile(
    r"لم\s+تشترك\s+بعد|انشئ\s+حسابا|انشاء\s+حساب|سجل\s+الدخول|تسجيل\s+الدخول"
    r"|نشراتنا\s+البريديه|اشترك\s+(?:في|الان|ب)|حمل\s+تطبيق|تابعونا\s+علي"
    r"|جميع\s+الحقوق\s+محفوظه"
)
_CAPTION = re.compile(r"[-–(]\s*(?:ارشيفيه|صوره\s+ارشيفيه|ارشيف)\s*\)?\s*$|^\s*صوره\s*[:(]")
_SENTENCE_END = re.compile(r"[.!؟?…»\"”)\]]\s*$")


@dataclass
class CleanedArticle:
    """Result of :func:`clean_article`.

    Attributes
    ----------
    title : str
        The headline (given, or found in the text; ``""`` when there is none).
    body : str
        Cleaned body, one paragraph per line.
    removed : list of (str, str)
        Every input line that is not in ``body``, with the reason
        (``"title"``, ``"related links"``, ``"prompt"``, ``"caption"``,
        ``"repeated line"``, ``"recurring paragraph (N stories of OUTLET)"``,
        ``"teaser block"``).
    """

    title: str
    body: str
    removed: list[tuple[str, str]] = field(default_factory=list)


def is_headline_like(line: str, max_words: int = 20) -> bool:
    """Return True for short lines without sentence-final punctuation."""
    return len(line.split()) <= max_words and not _SENTENCE_END.search(line)


def clean_article(text: str, title: str = "", *, max_headline_words: int = 20,
                  recurring: Mapping[str, int] | None = None, outlet: str = "",
                  min_stories: int = MIN_RECURRING_STORIES,
                  min_teaser_blocks: int = MIN_TEASER_BLOCKS,
                  max_teaser_overlap: float = MAX_TEASER_OVERLAP) -> CleanedArticle:
    """Strip boilerplate from one article.

    After the marker, prompt, caption and repeated-line rules, two structural rules
    run (the thresholds are argued in :mod:`research.text._teasers`):

    * *recurring paragraphs*: a line found in ``min_stories`` or more stories of the
      outlet (``recurring``) is removed when it is headline-like, or when it sits in
      the head or tail of the article (only recurring or removed lines between it and
      the first or last line); recurring prose between unique paragraphs is kept, and
      so is a recurring dateline (a line with a year) outside the tail;
    * *teaser blocks*: the run of blocks that ends the article, each a headline (6-20
      words, complete, no final punctuation) optionally followed by a one-sentence
      lead, whose content words are mostly (more than ``1 - max_teaser_overlap``)
      absent from the title and body, is removed when it has ``min_teaser_blocks``
      blocks or more and follows a prose paragraph (and is not verse).

    Whatever these rules find, at least one line of the article stays in the body.

    Parameters
    ----------
    text : str
        Raw article text, one paragraph per line.
    title : str, default=""
        Known headline (e.g. from a CSV column). When empty, the first line is
        taken as the title if it is headline-like, otherwise a headline line that
        the page repeats.
    max_headline_words : int, default=20
        Longest line, in words, that can count as a headline.
    recurring : mapping of str to int, optional
        Stripped line -> number of stories of the outlet that contain it
        (:func:`research.corpus.recurring_lines`); lines not in it count as unique.
        Without it only the teaser-block rule runs.
    outlet : str, default=""
        The outlet, named in the reasons.
    min_stories : int, default=3
        Stories a line must recur in to be boilerplate.
    min_teaser_blocks : int, default=2
        Teaser blocks a tail run needs to be removed.
    max_teaser_overlap : float, default=0.5
        Largest share of a teaser block's content words found in the article.

    Returns
    -------
    CleanedArticle
    """
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    norm = [normalize_arabic(ln) for ln in lines]
    counts = Counter(norm)

    def headline(i: int) -> bool:
        return is_headline_like(lines[i], max_headline_words)

    reasons: dict[int, str] = {}
    found_title = title.strip()
    if not found_title and lines and headline(0) and not _RELATED.match(norm[0]):
        found_title = lines[0]
        reasons[0] = "title"

    in_related = False
    for i, n in enumerate(norm):
        if i in reasons:
            continue
        if _RELATED.match(n):
            reasons[i] = "related links"
            in_related = True
            continue
        if in_related:
            if headline(i):
                reasons[i] = "related links"
                continue
            in_related = False
        if _PROMPTS.search(n) and headline(i):
            reasons[i] = "prompt"
        elif _CAPTION.search(n) and headline(i):
            reasons[i] = "caption"
        elif counts[n] > 1 and headline(i):
            # A headline or caption printed several times is page furniture (prose is
            # never removed for being repeated: it is article body).
            reasons[i] = "repeated line"
            if not found_title and headline(i):
                found_title = lines[i]
        elif found_title and n == normalize_arabic(found_title) and headline(i):
            reasons[i] = "repeated line"

    n_stories = [recurring.get(ln, 0) if recurring else 0 for ln in lines]
    teasers = teaser_blocks(lines, reasons, [k >= min_stories for k in n_stories],
                            title=found_title, headline=headline,
                            max_headline_words=max_headline_words,
                            min_blocks=min_teaser_blocks, max_overlap=max_teaser_overlap)
    structural = {**teasers, **recurring_paragraphs(
        lines, norm, {**reasons, **teasers}, n_stories, title=found_title, outlet=outlet,
        headline=headline, min_stories=min_stories)}
    if len(reasons) + len(structural) < len(lines):  # never remove the whole body
        reasons.update(structural)

    body = "\n".join(ln for i, ln in enumerate(lines) if i not in reasons)
    removed = [(lines[i], reasons[i]) for i in sorted(reasons)]
    return CleanedArticle(title=found_title, body=body, removed=removed)
