"""Dating articles: Arabic dates in the text, tenure windows and known engagements.

Evidence, from strongest to weakest (see :func:`research.annotate.annotate_articles`
for how it is combined):

* explicit Gregorian dates ("10 يناير 2019", "الرابع من يونيو (حزيران) 1967",
  "10/1/2019", Arabic-Indic digits) found by :func:`find_dates`; historical dates
  (years outside the study period, dates after "حدود", "منذ", "ذكرى", "الماضي" ...)
  are marked and never taken for the article's date;
* relative words ("اليوم الخميس", "أمس", "غدا") found by :func:`find_relative`,
  resolved against a publication date with :func:`resolve_relative`;
* the calendar of known engagements (``research/data/events.yaml``, loaded by
  :func:`load_events`), which pins the day when the counterpart, the date window, the
  weekday and the place agree (:func:`match_engagements`), and its anchors (events
  an article cannot predate);
* tenure windows: the intersection of the tenures of the officials named in their
  roles (:func:`tenure_window`), held as a :class:`Window`.

Text must be normalised with :func:`research.arabic.normalize_arabic` first (digits
become ASCII, hamza forms are unified).

The event calendar, date windows and tenures have their own modules in
:mod:`research.annotate`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from research.text import ARABIC_LETTER

from ._date_words import MONTHS, ORDINALS, WEEKDAYS_AR, word_alternation

__all__ = [
    "DateMention",
    "RelativeMention",
    "find_dates",
    "find_relative",
    "resolve_relative",
]

_L = ARABIC_LETTER

_MONTH = word_alternation(MONTHS)
_WD = word_alternation(WEEKDAYS_AR)
_YEAR_TAIL = r"(?:\s*[،,]?\s*(?:من\s+)?(?:عام|العام|سنه|لعام)?\s*(?P<year>\d{4}))?"
_MONTH2 = rf"(?:\s*[(/]\s*(?P<month2>{_MONTH})(?![{_L}])\s*\)?)?"
_RE_DAY = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?(?P<month>{_MONTH})(?![{_L}]){_MONTH2}{_YEAR_TAIL}(?!\d)"
)
_RE_ORD = re.compile(
    rf"(?<![{_L}])(?P<day>{word_alternation(ORDINALS)})\s+(?:من\s+)?(?:شهر\s+)?(?P<month>{_MONTH})(?![{_L}]){_MONTH2}{_YEAR_TAIL}(?!\d)"
)
_RE_MONTH_YEAR = re.compile(
    rf"(?<![{_L}])(?P<month>{_MONTH})(?![{_L}]){_MONTH2}\s*[،,]?\s*(?:من\s+)?(?:عام\s+|العام\s+)?(?P<year>\d{{4}})(?!\d)"
)
_RE_NUM_DMY = re.compile(
    r"(?<![\d/.\-])(?P<day>\d{1,2})[/.\-](?P<month>\d{1,2})[/.\-](?P<year>\d{4})(?!\d)"
)
_RE_NUM_YMD = re.compile(
    r"(?<![\d/.\-])(?P<year>\d{4})[/.\-](?P<month>\d{1,2})[/.\-](?P<day>\d{1,2})(?![\d/])"
)
_HIJRI_AFTER = re.compile(rf"^\s*(?:ه|هجري|هجريه)(?![{_L}])")
_CUES_BEFORE = (
    "حدود",
    "منذ",
    "ذكري",
    "الذكري",
    "بذكري",
    "لذكري",
    "حرب",
    "ثوره",
    "نكسه",
    "انتصار",
    "مواليد",
    "ولد",
    "توفي",
    "وفاه",
    "تاسيس",
    "تاسست",
    "اتفاقيه",
    "معاهده",
    "قرار",
    "مثل هذا اليوم",
    "حتي",
    "بحلول",
    "قبل",
)
_CUES_AFTER = ("الماضي", "الماضيه", "المقبل", "القادم", "المقبله", "القادمه", "المنصرم")
_RE_CUE_BEFORE = re.compile(
    rf"(?<![{_L}])(?:{word_alternation(_CUES_BEFORE)})(?![{_L}])[^.؟!\n]{{0,25}}$"
)
_RE_CUE_AFTER = re.compile(rf"^\s*[)]?\s*(?:{word_alternation(_CUES_AFTER)})(?![{_L}])")


@dataclass(frozen=True)
class DateMention:
    """An explicit date in normalised text.

    ``kind`` is ``"full"`` (day, month, year), ``"day_month"`` (no year) or
    ``"month_year"``. ``historical`` dates are references to other times (a reason
    is given) and are never used as the article's date.
    """

    start: int
    end: int
    text: str
    year: int | None
    month: int
    day: int | None
    kind: str
    historical: bool = False
    reason: str = ""

    def as_date(self, year: int | None = None) -> date | None:
        """Return the date (using ``year`` when the mention has none), or None if invalid."""
        try:
            return (
                date(self.year or year, self.month, self.day or 1) if (self.year or year) else None
            )
        except ValueError:
            return None


def find_dates(norm: str, period: tuple[date, date] | None = None) -> list[DateMention]:
    """Find explicit Gregorian dates and mark historical ones.

    Parameters
    ----------
    norm : str
        Normalised text (ASCII digits).
    period : tuple of datetime.date, optional
        Study period; dates whose year falls outside it are historical.

    Returns
    -------
    list of DateMention
        Non-overlapping, in text order.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    for rx, kind in (
        (_RE_ORD, "ord"),
        (_RE_DAY, "day"),
        (_RE_NUM_DMY, "num"),
        (_RE_NUM_YMD, "num"),
        (_RE_MONTH_YEAR, "month_year"),
    ):
        for m in rx.finditer(norm):
            a, b = m.span()
            if not free(a, b) or _HIJRI_AFTER.match(norm[b : b + 8]):
                continue
            g = m.groupdict()
            if kind == "num":
                month, day = int(g["month"]), int(g["day"])
            else:
                month = MONTHS[" ".join(g["month"].split())]
                day = (
                    None
                    if kind == "month_year"
                    else (ORDINALS[" ".join(g["day"].split())] if kind == "ord" else int(g["day"]))
                )
            year = int(g["year"]) if g.get("year") else None
            if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                continue
            k = "month_year" if kind == "month_year" else ("full" if year else "day_month")
            mention = DateMention(a, b, norm[a:b], year, month, day, k)
            found.append(_mark_historical(mention, norm, period))
            taken.append((a, b))
    return sorted(found, key=lambda d: d.start)


# Days that name events in Egyptian usage ("ثورة 30 يونيو", "مدينة 6 أكتوبر"); without
# a year they refer to the event, not to the article.
_NAMED_DAYS = {
    (25, 1): "25 January",
    (30, 6): "30 June",
    (23, 7): "23 July",
    (6, 10): "6 October",
    (15, 5): "15 May",
    (3, 7): "3 July",
}


def _mark_historical(d: DateMention, norm: str, period: tuple[date, date] | None) -> DateMention:
    reasons = []
    if d.kind == "day_month" and (d.day, d.month) in _NAMED_DAYS:
        reasons.append(f"'{_NAMED_DAYS[(d.day, d.month)]}' without a year names an event")
    if period and d.year and not period[0].year <= d.year <= period[1].year:
        reasons.append(f"year {d.year} outside the study period {period[0].year}-{period[1].year}")
    before = _RE_CUE_BEFORE.search(norm[max(0, d.start - 40) : d.start])
    if before:
        reasons.append(f"'{before.group(0).split()[0]}' marks a reference date")
    after = _RE_CUE_AFTER.match(norm[d.end : d.end + 20])
    if after:
        reasons.append(f"'{after.group(0).strip(' )')}' marks another date than the article's")
    if d.as_date(2000) is None:
        reasons.append("not a valid calendar date")
    if not reasons:
        return d
    return DateMention(
        d.start, d.end, d.text, d.year, d.month, d.day, d.kind, True, "; ".join(reasons)
    )


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
