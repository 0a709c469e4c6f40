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
* photo captions ("... - أرشيفية") and headline-like lines repeated in the page.

A *headline-like* line is short (at most ``max_headline_words`` words) and does not
end with sentence punctuation; *prose* is everything else.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ._arabic import normalize_arabic

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
        ``"repeated line"``).
    """

    title: str
    body: str
    removed: list[tuple[str, str]] = field(default_factory=list)


def is_headline_like(line: str, max_words: int = 20) -> bool:
    """Return True for short lines without sentence-final punctuation."""
    return len(line.split()) <= max_words and not _SENTENCE_END.search(line)


def clean_article(text: str, title: str = "", *, max_headline_words: int = 20) -> CleanedArticle:
    """Strip boilerplate from one article.

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

    body = "\n".join(ln for i, ln in enumerate(lines) if i not in reasons)
    removed = [(lines[i], reasons[i]) for i in sorted(reasons)]
    return CleanedArticle(title=found_title, body=body, removed=removed)
