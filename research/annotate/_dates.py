"""Explicit dates in Arabic text: Gregorian and Hijri, readable or not, with their checks.

Evidence, from strongest to weakest (see :func:`research.annotate.annotate_articles`
for how it is combined):

* explicit dates found by :func:`find_dates`: Gregorian ("10 يناير 2019", "الرابع من
  يونيو (حزيران) 1967", "12 ماي 2019", "5 كانون 2 2020", "10/1/2019", Arabic-Indic
  digits) with the month names of every region (:data:`MONTHS`), and Hijri ("5 رمضان
  1440هـ", "1/9/1440هـ", "1440/09/01 هـ") converted with the Umm al-Qura calendar.
  Historical dates (years outside the study period, dates after "حدود", "منذ",
  "ذكرى", "الماضي" ...) are marked and never taken for the article's date. A weekday
  named with a date ("الاثنين 18 سبتمبر 2024") and a date given in both calendars
  ("5 رمضان 1440هـ الموافق 9 مايو 2019") are kept on the mention so that a
  contradiction can be reported;
* date-like expressions that cannot be read (:func:`find_unreadable_dates`): a day
  and a 4-digit year around an unknown month-like word ("12 سبتمر 2019"), a numeric
  date that is no calendar day ("35/10/2019"), a Hijri date outside the Umm
  al-Qura table. They stop the events calendar from guessing the day;
* relative words ("اليوم الخميس", "أمس", "غدا"; :func:`find_relative`);
* the calendar of known engagements and tenure windows (their own modules).

Text must be normalised with :func:`research.text.normalize_arabic` first (digits
become ASCII, hamza forms are unified, invisible marks and tatweel are removed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal, get_args

from research.text import ARABIC_LETTER

from ._date_words import (
    AMBIGUOUS_MONTH_WORDS,
    HIJRI_MONTHS,
    MONTHS,
    ORDINALS,
    WEEKDAYS_AR,
    word_alternation,
)
from ._hijri import approx_gregorian_year, hijri_to_gregorian

__all__ = [
    "CALENDARS",
    "Calendar",
    "DateMention",
    "UnreadableDate",
    "find_dates",
    "find_unreadable_dates",
]

Calendar = Literal["gregorian", "hijri"]
#: The calendars a :class:`DateMention` can be written in.
CALENDARS: tuple[str, ...] = get_args(Calendar)

_L = ARABIC_LETTER
_MONTH = word_alternation(MONTHS)
_HMONTH = word_alternation(HIJRI_MONTHS)
_ORD = word_alternation(ORDINALS)
_WD = word_alternation(WEEKDAYS_AR)
_YEAR_TAIL = r"(?:\s*[،,]?\s*(?:من\s+)?(?:عام|العام|سنه|لعام)?\s*(?P<year>\d{4}))?"
_MONTH2 = rf"(?:\s*[(/]\s*(?P<month2>{_MONTH})(?![{_L}])\s*\)?)?"
_DAY = rf"(?:(?<!\d)(?P<day>\d{{1,2}})|(?<![{_L}])(?P<ord>{_ORD}))\s*(?:من\s+)?(?:شهر\s+)?"
_RE_DAY = re.compile(rf"{_DAY}(?P<month>{_MONTH})(?![{_L}]){_MONTH2}{_YEAR_TAIL}(?!\d)")
_RE_MONTH_YEAR = re.compile(
    rf"(?<![{_L}])(?P<month>{_MONTH})(?![{_L}]){_MONTH2}\s*[،,]?\s*(?:من\s+)?"
    rf"(?:عام\s+|العام\s+)?(?P<year>\d{{4}})(?!\d)"
)
_RE_NUM_DMY = re.compile(
    r"(?<![\d/.\-])(?P<day>\d{1,2})[/.\-](?P<month>\d{1,2})[/.\-](?P<year>\d{4})(?!\d)"
)
_RE_NUM_YMD = re.compile(
    r"(?<![\d/.\-])(?P<year>\d{4})[/.\-](?P<month>\d{1,2})[/.\-](?P<day>\d{1,2})(?![\d/])"
)
_HIJRI_SUFFIX = rf"\s*(?:ه|هجري|هجريه|هجريا|للهجره|من\s+الهجره)(?![{_L}])"
_RE_HIJRI = re.compile(
    rf"{_DAY}(?P<month>{_HMONTH})(?![{_L}]){_YEAR_TAIL}(?!\d)(?P<suffix>{_HIJRI_SUFFIX})?"
)
_HIJRI_AFTER = re.compile(rf"^{_HIJRI_SUFFIX}")
_RE_HIJRI_NUM = re.compile(
    r"(?<![\d/.\-])(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})(?!\d)"
    rf"(?P<suffix>{_HIJRI_SUFFIX})"
)
# A day and a year around a word that is no known month: "12 سبتمر 2019".
_RE_UNKNOWN_MONTH = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?:(?:من\s+)?شهر\s+)?(?P<word>[{_L}]{{3,9}})\s*[،,]?\s*"
    rf"(?P<year>\d{{4}})(?!\d)"
)
# Words that stand between a number and a year without being a month ("قانون رقم 12
# لسنة 2019", "5 ملايين 2019").
_NOT_MONTHS = frozenset(
    "سنه لسنه عام لعام سنوات اعوام شهر شهور اشهر يوم ايام اسبوع اسابيع ساعه ساعات "
    "دقيقه دقائق مره مرات الف الاف مليون ملايين مليار مليارات دولار جنيه ريال يورو درهم "
    "دينار ليره نقطه نقاط هدف اهداف طن كيلو متر مترا ميغاوات فقط حتي الي من في او مقابل "
    "بتاريخ وحتي وفي ومن نوفمبرو".split()
)
_RE_PAIR_GAP = re.compile(
    rf"[\s()\[\],،\-–—/]*(?:[مه](?![{_L}])[\s()\[\],،\-–—/]*)?"
    rf"(?:(?:ال)?موافق(?:\s*ل)?|(?:و|الذي\s+)?يوافق|اي)?[\s()\[\],،\-–—/]*"
)
_RE_WD_BEFORE = re.compile(
    rf"(?<![{_L}])(?:يوم\s+)?(?P<wd>{_WD})\s*[،,\-–—]?\s*(?:(?:ال)?موافق\s*(?:ل)?\s*)?$"
)
_RE_WD_AFTER = re.compile(rf"^\s*[(،,]\s*(?:يوم\s+)?(?P<wd>{_WD})(?![{_L}])")
_CUES_BEFORE = (
    "حدود", "منذ", "ذكري", "الذكري", "بذكري", "لذكري", "حرب", "ثوره", "نكسه", "انتصار",
    "مواليد", "ولد", "توفي", "وفاه", "تاسيس", "تاسست", "اتفاقيه", "معاهده", "قرار",
    "مثل هذا اليوم", "حتي", "بحلول", "قبل",
)  # fmt: skip
_CUES_AFTER = ("الماضي", "الماضيه", "المقبل", "القادم", "المقبله", "القادمه", "المنصرم")
_RE_CUE_BEFORE = re.compile(
    rf"(?<![{_L}])(?:{word_alternation(_CUES_BEFORE)})(?![{_L}])[^.؟!\n]{{0,25}}$"
)
_RE_CUE_AFTER = re.compile(rf"^\s*[)]?\s*(?:{word_alternation(_CUES_AFTER)})(?![{_L}])")


@dataclass(frozen=True)
class DateMention:
    """An explicit date in normalised text.

    ``kind`` is ``"full"`` (day, month, year), ``"day_month"`` (no year) or
    ``"month_year"``. ``year``, ``month`` and ``day`` are as written, in
    ``calendar`` (one of :data:`CALENDARS`); :meth:`as_date` gives the Gregorian day.
    ``historical`` dates are references to other times (a ``reason`` is given) and
    are never used as the article's date. ``weekday`` is the weekday named with the
    date (0 = Monday, as :meth:`datetime.date.weekday`), or None; ``equivalent`` is
    the Gregorian day that the same date written in the other calendar gives
    ("5 رمضان 1440هـ الموافق 9 مايو 2019"), quoted in ``equivalent_text``.
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
    calendar: Calendar = "gregorian"
    weekday: int | None = None
    equivalent: date | None = None
    equivalent_text: str = ""

    def as_date(self, year: int | None = None) -> date | None:
        """Return the Gregorian date, or None if there is none.

        Parameters
        ----------
        year : int, optional
            Year to use when the mention has none, in the mention's calendar (a
            Hijri year for a Hijri mention).

        Returns
        -------
        datetime.date or None
            None when there is no year or the date does not exist (31 April, 30 of
            a 29-day Hijri month, a Hijri year outside the Umm al-Qura table).
        """
        y = self.year or year
        if not y:
            return None
        try:
            if self.calendar == "hijri":
                return hijri_to_gregorian(y, self.month, self.day or 1)
            return date(y, self.month, self.day or 1)
        except ValueError:
            return None

    def weekday_agrees(self, day: date) -> bool:
        """Return False when the mention names a weekday that ``day`` is not."""
        return self.weekday is None or day.weekday() == self.weekday

    @property
    def calendar_conflict(self) -> bool:
        """Whether the same date given in the other calendar is another day."""
        return self.equivalent is not None and self.as_date() != self.equivalent


@dataclass(frozen=True)
class UnreadableDate:
    """A date-like expression in normalised text that gives no day.

    ``reason`` says why ("no month is called 'سبتمر'", "35/10/2019 is no calendar
    day", "Hijri year 1300 is outside ..."). ``historical`` expressions (a cue such as
    "منذ", or a year outside the study period) could not be the article's date anyway.
    """

    start: int
    end: int
    text: str
    reason: str
    historical: bool = False


def find_dates(norm: str, period: tuple[date, date] | None = None) -> list[DateMention]:
    """Find explicit Gregorian and Hijri dates and mark historical ones.

    Parameters
    ----------
    norm : str
        Normalised text (ASCII digits).
    period : tuple of datetime.date, optional
        Study period; dates whose (Gregorian) year falls outside it are historical.

    Returns
    -------
    list of DateMention
        Non-overlapping, in text order. Expressions that look like dates but give
        no day are left out (see :func:`find_unreadable_dates`).
    """
    return _scan(norm, period)[0]


def find_unreadable_dates(
    norm: str, period: tuple[date, date] | None = None
) -> list[UnreadableDate]:
    """Find date-like expressions that cannot be read, so that they are never ignored.

    Parameters
    ----------
    norm : str
        Normalised text (ASCII digits).
    period : tuple of datetime.date, optional
        Study period; expressions whose (approximate Gregorian) year falls outside
        it are marked historical.

    Returns
    -------
    list of UnreadableDate
        In text order; none overlaps a date :func:`find_dates` reads.
    """
    return _scan(norm, period)[1]


def _scan(norm, period) -> tuple[list[DateMention], list[UnreadableDate]]:
    found: list[DateMention] = []
    bad: list[UnreadableDate] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    def unreadable(a: int, b: int, reason: str, year: int | None) -> None:
        bad.append(_mark_unreadable(UnreadableDate(a, b, norm[a:b], reason), norm, period, year))
        taken.append((a, b))

    for m in _RE_HIJRI_NUM.finditer(norm):
        if free(*m.span()):
            _hijri_numeric(m, norm, found, unreadable, taken)
    for rx, calendar in ((_RE_HIJRI, "hijri"), (_RE_DAY, "gregorian")):
        for m in rx.finditer(norm):
            if free(*m.span()):
                _named(m, norm, calendar, found, unreadable, taken)
    for rx in (_RE_NUM_DMY, _RE_NUM_YMD):
        for m in rx.finditer(norm):
            a, b = m.span()
            if not free(a, b):
                continue
            day, month, year = int(m["day"]), int(m["month"]), int(m["year"])
            if month > 12 and day <= 12 and rx is _RE_NUM_DMY:
                day, month = month, day  # "10/20/2019" can only be month first
            try:
                date(year, month, day)
            except ValueError:
                if 1900 <= year <= 2100:  # otherwise a number, not a date
                    unreadable(a, b, f"{norm[a:b]} is no calendar day", year)
                continue
            found.append(DateMention(a, b, norm[a:b], year, month, day, "full"))
            taken.append((a, b))
    for m in _RE_MONTH_YEAR.finditer(norm):
        if free(*m.span()):
            month = MONTHS[_month_key(m["month"])]
            found.append(
                DateMention(*m.span(), m[0], int(m["year"]), month, None, "month_year")
            )
            taken.append(m.span())
    for m in _RE_UNKNOWN_MONTH.finditer(norm):
        word, year = m["word"], int(m["year"])
        if (
            not free(*m.span())
            or word in _NOT_MONTHS
            or word.startswith(("ال", "ل", "ب", "و"))  # no month begins so: "للبطوله"
            or word.endswith("ا")
            or not 1900 <= year <= 2100
            or re.search(rf"(?<![{_L}])رقم\s*$", norm[max(0, m.start() - 8) : m.start()])
        ):
            continue
        unreadable(*m.span(), f"no month is called '{word}'", year)
    found = [_mark_historical(_with_weekday(d, norm), norm, period) for d in found]
    return _pair(sorted(found, key=lambda d: d.start), norm), sorted(bad, key=lambda u: u.start)


def _month_key(word: str) -> str:
    """Return the vocabulary key of a matched month name ("كانون2" → "كانون 2")."""
    return " ".join(re.sub(r"(\d+)", r" \1", word).split())


def _named(m, norm, calendar, found, unreadable, taken) -> None:
    a, b = m.span()
    word = _month_key(m["month"])
    hijri = calendar == "hijri"
    month = (HIJRI_MONTHS if hijri else MONTHS)[word]
    day = int(m["day"]) if m["day"] else ORDINALS[" ".join(m["ord"].split())]
    year = int(m["year"]) if m["year"] else None
    suffix = m.groupdict().get("suffix")
    if word in AMBIGUOUS_MONTH_WORDS and not year and not suffix and (hijri or not m["day"]):
        return  # "فاز 3 صفر", "الثاني من اب": a common word, not a month
    if not hijri and _HIJRI_AFTER.match(norm[b : b + 8]):
        return
    mention = DateMention(a, b, norm[a:b], year, month, day, "full" if year else "day_month",
                          calendar=calendar)
    if year and mention.as_date() is None:
        if hijri:
            try:
                hijri_to_gregorian(year, month, day)
            except ValueError as exc:
                unreadable(a, b, str(exc), approx_gregorian_year(year))
        else:
            unreadable(a, b, f"{day} {word} {year} is no calendar day", year)
        return
    if not year and (day > (30 if hijri else 31) or (not hijri and mention.as_date(2000) is None)):
        unreadable(a, b, f"{day} {word} is no calendar day", None)
        return
    found.append(mention)
    taken.append((a, b))


def _hijri_numeric(m, norm, found, unreadable, taken) -> None:
    a, b = m.span()
    first, second, third = m["a"], int(m["b"]), m["c"]
    if len(first) == 4 and len(third) <= 2:
        year, month, day = int(first), second, int(third)
    elif len(third) == 4 and len(first) <= 2:
        year, month, day = int(third), second, int(first)
    else:
        unreadable(a, b, f"{m[0].strip()}: the Hijri year is not written in full", None)
        return
    mention = DateMention(a, b, norm[a:b], year, month, day, "full", calendar="hijri")
    if mention.as_date() is None:
        try:
            hijri_to_gregorian(year, month, day)
        except ValueError as exc:
            unreadable(a, b, str(exc), approx_gregorian_year(year))
        return
    found.append(mention)
    taken.append((a, b))


def _with_weekday(d: DateMention, norm: str) -> DateMention:
    before = _RE_WD_BEFORE.search(norm[max(0, d.start - 30) : d.start])
    after = _RE_WD_AFTER.match(norm[d.end : d.end + 20])
    hit = before or after
    return replace(d, weekday=WEEKDAYS_AR.index(hit["wd"])) if hit else d


def _pair(found: list[DateMention], norm: str) -> list[DateMention]:
    """Link a Hijri and a Gregorian date given for the same day, side by side."""
    out = list(found)
    for i in range(len(out) - 1):
        x, y = out[i], out[i + 1]
        if (
            x.calendar == y.calendar
            or x.kind != "full"
            or y.kind != "full"
            or not _RE_PAIR_GAP.fullmatch(norm[x.end : y.start])
        ):
            continue
        wd = x.weekday if x.weekday is not None else y.weekday
        hist = x.historical or y.historical
        reason = x.reason or y.reason
        out[i] = replace(x, weekday=wd, equivalent=y.as_date(), equivalent_text=y.text,
                         historical=hist, reason=reason)
        out[i + 1] = replace(y, weekday=wd, equivalent=x.as_date(), equivalent_text=x.text,
                             historical=hist, reason=reason)
    return out


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


def _cue_reasons(norm: str, start: int, end: int) -> list[str]:
    reasons = []
    before = _RE_CUE_BEFORE.search(norm[max(0, start - 40) : start])
    if before:
        reasons.append(f"'{before.group(0).split()[0]}' marks a reference date")
    after = _RE_CUE_AFTER.match(norm[end : end + 20])
    if after:
        reasons.append(f"'{after.group(0).strip(' )')}' marks another date than the article's")
    return reasons


def _outside(year: int | None, period: tuple[date, date] | None) -> list[str]:
    if period and year and not period[0].year <= year <= period[1].year:
        return [f"year {year} outside the study period {period[0].year}-{period[1].year}"]
    return []


def _mark_historical(d: DateMention, norm: str, period: tuple[date, date] | None) -> DateMention:
    reasons = []
    if d.calendar == "gregorian" and d.kind == "day_month" and (d.day, d.month) in _NAMED_DAYS:
        reasons.append(f"'{_NAMED_DAYS[(d.day, d.month)]}' without a year names an event")
    if d.year:
        day = d.as_date()
        reasons += _outside(day.year if day else None, period)
    reasons += _cue_reasons(norm, d.start, d.end)
    return replace(d, historical=True, reason="; ".join(reasons)) if reasons else d


def _mark_unreadable(
    u: UnreadableDate, norm: str, period: tuple[date, date] | None, year: int | None
) -> UnreadableDate:
    reasons = _outside(year, period) + _cue_reasons(norm, u.start, u.end)
    return replace(u, historical=True, reason=f"{u.reason}; {'; '.join(reasons)}") if reasons else u
