"""Relative date words ("اليوم الخميس", "أمس", "غدا"), named weekdays and datelines.

:func:`find_relative` finds the words in normalised text; :func:`resolve_relative`
turns one into a day given a publication date. :func:`dateline_weekday` reads the
weekday that a dateline names ("القاهرة - الخميس:"), a consistency check on any
candidate day of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from research.text import ARABIC_LETTER

from ._date_words import WEEKDAYS_AR, word_alternation

__all__ = ["RelativeMention", "dateline_weekday", "find_relative", "resolve_relative"]

_L = ARABIC_LETTER
_WD = word_alternation(WEEKDAYS_AR)


@dataclass(frozen=True)
class RelativeMention:
    """A relative date word: ``offset`` days from publication, and/or a weekday.

    ``offset`` is None for a bare weekday ("يوم الخميس"); ``direction`` is then
    ``"past"`` (default, or "الماضي") or ``"future"`` ("المقبل").
    """

    start: int
    end: int
    text: str
    offset: int | None
    weekday: int | None
    direction: str = "past"


_REL_WORDS = [
    (r"اول\s+امس|امس\s+الاول", -2),
    (r"بعد\s+غد", 2),
    (r"امس", -1),
    (r"(?:يوم|صباح|مساء|ظهر)\s+غد|غدا", 1),
    (r"اليوم", 0),
]
_RE_REL = re.compile(
    rf"(?<![{_L}])(?:(?:صباح|مساء|ظهر|عصر|ليله|مطلع)\s+)?"
    rf"(?P<word>{'|'.join(w for w, _ in _REL_WORDS)})"
    rf"(?:\s*[،,(]?\s*(?P<wd>{_WD}))?(?![{_L}])"
)
_RE_WEEKDAY = re.compile(
    rf"(?<![{_L}])(?:يوم\s+|\(\s*)?(?P<wd>{_WD})(?:\s*\))?(?P<dir>\s+(?:الماضي|المقبل|القادم))?(?![{_L}])"
)
_TODAY_NOT_AFTER = re.compile(
    r"^\s*(?:الوطني|العالمي|الدولي|السابع|التالي|الاول|الثاني|الاخير|نفسه|ذاته)"
)
_TODAY_NOT_BEFORE = re.compile(rf"(?:(?<![{_L}])(?:حتي|الي|منذ|صحيفه|جريده|ل)\s*[«\"]?|[«\"])\s*$")


_FUTURE = re.compile(
    rf"(?<![{_L}])(?:من\s+المقرر|من\s+المؤمل|من\s+المنتظر|من\s+المتوقع|سوف|يعتزم|تعتزم|المرتقب|"
    rf"المرتقبه|سيزور|سيلتقي|سيستقبل|سيعقد|ستعقد|سيبدا|ستبدا|يزور|يصل|يبدا)(?![{_L}])"
)


def _sentence_before(norm: str, pos: int, limit: int = 120) -> str:
    start = max(0, pos - limit)
    cut = max(norm.rfind(c, start, pos) for c in ".!?؟؛\n")
    return norm[max(start, cut + 1) : pos]


def find_relative(norm: str) -> list[RelativeMention]:
    """Find relative date words (اليوم، أمس، أول أمس، غدا) and named weekdays."""
    out: list[RelativeMention] = []
    for m in _RE_REL.finditer(norm):
        word = " ".join(m.group("word").split())
        if word == "اليوم" and (
            _TODAY_NOT_AFTER.match(norm[m.end("word") : m.end("word") + 12])
            or _TODAY_NOT_BEFORE.search(norm[max(0, m.start() - 10) : m.start()])
        ):
            continue
        offset = next(o for w, o in _REL_WORDS if re.fullmatch(w, word))
        wd = WEEKDAYS_AR.index(m.group("wd")) if m.group("wd") else None
        out.append(RelativeMention(m.start(), m.end(), m.group(0), offset, wd))
    for m in _RE_WEEKDAY.finditer(norm):
        if any(r.start <= m.start("wd") < r.end for r in out):
            continue
        if not (m.group(0).startswith(("يوم", "(")) or m.group("dir")):
            continue  # a bare weekday name is too weak on its own
        future = (bool(m.group("dir")) and "الماضي" not in m.group("dir")) or (
            not m.group("dir") and bool(_FUTURE.search(_sentence_before(norm, m.start())))
        )
        out.append(
            RelativeMention(
                m.start(),
                m.end(),
                m.group(0),
                None,
                WEEKDAYS_AR.index(m.group("wd")),
                "future" if future else "past",
            )
        )
    return sorted(out, key=lambda r: r.start)


def resolve_relative(rel: RelativeMention, reference: date) -> tuple[date, bool]:
    """Resolve a relative mention against a publication date.

    Returns
    -------
    day : datetime.date
        ``reference + offset``; with a weekday that disagrees, the day with that
        weekday found first going back up to six days (then forward up to three). A
        bare weekday gives the last such day on or before the reference, or the next
        one after it when the sentence speaks of the future ("المقبل", "من المقرر").
    agrees : bool
        False when the named weekday had to override the offset.
    """
    if rel.offset is None:
        step = 1 if rel.direction == "future" else -1
        d = reference + timedelta(days=step if rel.direction == "future" else 0)
        while d.weekday() != rel.weekday:
            d += timedelta(days=step)
        return d, True
    d = reference + timedelta(days=rel.offset)
    if rel.weekday is None or d.weekday() == rel.weekday:
        return d, True
    # The named weekday wins. Corpus dates tend to lag publication (an extraction
    # date), so the day is looked for backwards first, up to six days.
    shifts = [-k for k in range(1, 7)] + [1, 2, 3]
    best = next(
        d + timedelta(days=s) for s in shifts if (d + timedelta(days=s)).weekday() == rel.weekday
    )
    return best, False


# A dateline: the first line of the body, "القاهرة - الخميس:", "الرياض، الاثنين (واس) -",
# "الخميس، 10 يناير 2019". The weekday stands near the start of the line, between
# separators, not inside a sentence.
_RE_DATELINE = re.compile(
    rf"^[^\n.؟!]{{0,40}}?(?:^|[-–—:،,(]\s*)(?:يوم\s+)?(?P<wd>{_WD})(?![{_L}])"
    rf"\s*(?:[-–—:،,()]|\d|$)",
    re.M,
)


def dateline_weekday(norm: str, start: int = 0) -> int | None:
    """Return the weekday a dateline names, if any.

    Parameters
    ----------
    norm : str
        Normalised text.
    start : int, default=0
        Where the body starts (after the headline); only the first non-empty line
        from there is read.

    Returns
    -------
    int or None
        ``0`` (Monday) to ``6`` (Sunday), as :meth:`datetime.date.weekday`.
    """
    rest = norm[start:].lstrip()
    line = rest.split("\n", 1)[0][:120]
    m = _RE_DATELINE.search(line)
    return WEEKDAYS_AR.index(m.group("wd")) if m else None
