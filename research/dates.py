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
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from research.gazetteer import ARABIC_LETTER, Gazetteer, alias_regex, core_key, spelling_keys

__all__ = [
    "DateMention",
    "RelativeMention",
    "Window",
    "Engagement",
    "Anchor",
    "EventCalendar",
    "find_dates",
    "find_relative",
    "resolve_relative",
    "tenure_window",
    "anchor_bound",
    "match_engagements",
    "load_events",
    "parse_iso_window",
    "WEEKDAYS_AR",
]

logger = logging.getLogger(__name__)
_L = ARABIC_LETTER

_MONTHS = {
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "ابريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "اغسطس": 8,
    "سبتمبر": 9,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    "كانون الثاني": 1,
    "شباط": 2,
    "اذار": 3,
    "نيسان": 4,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "اب": 8,
    "ايلول": 9,
    "تشرين الاول": 10,
    "تشرين الثاني": 11,
    "كانون الاول": 12,
    "جانفي": 1,
    "فيفري": 2,
    "افريل": 4,
    "جوان": 6,
    "جويليه": 7,
    "اوت": 8,
}
#: Normalised Arabic weekday names, Monday first (``date.weekday()`` order).
WEEKDAYS_AR = ("الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد")
_UNITS = ["الحادي", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]
_ORDINALS = {"الاول": 1, "العاشر": 10, "العشرين": 20, "الثلاثين": 30}
_ORDINALS.update({u: i + 2 for i, u in enumerate(_UNITS[1:])})
_ORDINALS.update({f"{u} عشر": 11 + i for i, u in enumerate(_UNITS)})
_ORDINALS.update({f"{u} والعشرين": 21 + i for i, u in enumerate(_UNITS)})
_ORDINALS["الحادي والثلاثين"] = 31


def _alt(words) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


_MONTH = _alt(_MONTHS)
_WD = _alt(WEEKDAYS_AR)
_YEAR_TAIL = r"(?:\s*[،,]?\s*(?:من\s+)?(?:عام|العام|سنه|لعام)?\s*(?P<year>\d{4}))?"
_MONTH2 = rf"(?:\s*[(/]\s*(?P<month2>{_MONTH})(?![{_L}])\s*\)?)?"
_RE_DAY = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?(?P<month>{_MONTH})(?![{_L}]){_MONTH2}{_YEAR_TAIL}(?!\d)"
)
_RE_ORD = re.compile(
    rf"(?<![{_L}])(?P<day>{_alt(_ORDINALS)})\s+(?:من\s+)?(?:شهر\s+)?(?P<month>{_MONTH})(?![{_L}]){_MONTH2}{_YEAR_TAIL}(?!\d)"
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
_RE_CUE_BEFORE = re.compile(rf"(?<![{_L}])(?:{_alt(_CUES_BEFORE)})(?![{_L}])[^.؟!\n]{{0,25}}$")
_RE_CUE_AFTER = re.compile(rf"^\s*[)]?\s*(?:{_alt(_CUES_AFTER)})(?![{_L}])")


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
                month = _MONTHS[" ".join(g["month"].split())]
                day = (
                    None
                    if kind == "month_year"
                    else (_ORDINALS[" ".join(g["day"].split())] if kind == "ord" else int(g["day"]))
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


# ---------------------------------------------------------------------------- windows
@dataclass(frozen=True)
class Window:
    """A set of date intervals (inclusive), e.g. the union of a person's tenures."""

    intervals: tuple[tuple[date, date], ...]

    @classmethod
    def between(cls, start: date, end: date) -> Window:
        """Return the window ``[start, end]`` (empty when end < start)."""
        return cls(((start, end),) if start <= end else ())

    @property
    def empty(self) -> bool:
        """Whether no day is in the window."""
        return not self.intervals

    def hull(self) -> tuple[date, date]:
        """Return ``(first day, last day)``; raises ValueError when empty."""
        if self.empty:
            raise ValueError("empty window has no hull")
        return self.intervals[0][0], self.intervals[-1][1]

    def days(self) -> int:
        """Return the number of days in the hull (0 when empty)."""
        return 0 if self.empty else (self.hull()[1] - self.hull()[0]).days + 1

    def contains(self, day: date, slack: int = 0) -> bool:
        """Return True when ``day`` is within ``slack`` days of an interval."""
        pad = timedelta(days=slack)
        return any(a - pad <= day <= b + pad for a, b in self.intervals)

    def intersect(self, other: Window) -> Window:
        """Return the days in both windows."""
        out = []
        for a, b in self.intervals:
            for c, d in other.intervals:
                lo, hi = max(a, c), min(b, d)
                if lo <= hi:
                    out.append((lo, hi))
        return Window(_merge(out))

    def clip(self, lo: date | None = None, hi: date | None = None) -> Window:
        """Return the window restricted to ``[lo, hi]``."""
        return self.intersect(Window.between(lo or date.min, hi or date.max))


def _merge(intervals: list[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    out: list[tuple[date, date]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def tenure_window(
    constraints: list[tuple[str, str | None]], gaz: Gazetteer
) -> tuple[Window, list[str], list[str]]:
    """Intersect the tenure windows of officials named in their roles.

    Parameters
    ----------
    constraints : list of (person_id, role or None)
        In priority order; a person may appear several times (one entry per
        mention). A role selects the tenures in that role; None means any tenure.
    gaz : Gazetteer
        The gazetteer (for tenures and the study period).

    Returns
    -------
    window : Window
        The intersection, within the study period.
    evidence : list of str
        One line per person used ("Jim Mattis (Secretary of Defense 2017-01-20..2019-01-01)").
    conflicts : list of str
        Persons left out because their tenure does not intersect the others'.
    """
    per_person: dict[str, Window] = {}
    labels: dict[str, tuple] = {}
    for pid, role in constraints:
        person = gaz.persons[pid]
        tenures = person.tenures_for(role)
        if not tenures:
            continue
        w = Window(_merge([gaz.interval(t) for t in tenures]))
        per_person[pid] = per_person[pid].intersect(w) if pid in per_person else w
        if per_person[pid].empty:  # mentioned in two incompatible roles: keep the union
            per_person[pid] = Window(_merge([gaz.interval(t) for t in person.tenures]))
        labels[pid] = tenures
    full = Window.between(*gaz.period)
    window, used, conflicts = full, [], []
    for pid, w in per_person.items():
        nxt = window.intersect(w)
        if nxt.empty:
            name = gaz.persons[pid].name
            conflicts.append(
                f"{name} ({labels[pid]}) does not overlap the other officials' tenures"
            )
            continue
        window = nxt
        used.append(pid)
    evidence = []
    for pid in used:  # report only the officials whose tenure actually bounds the window
        rest = full
        for other in used:
            if other != pid:
                rest = rest.intersect(per_person[other])
        if rest != window:
            spans = [gaz.interval(t) for t in labels[pid]]
            shown = [
                f"{t.office or t.role} {a}..{b}"
                for t, (a, b) in zip(labels[pid], spans, strict=True)
                if not window.intersect(Window.between(a, b)).empty
            ]
            evidence.append(f"{gaz.persons[pid].name} ({', '.join(shown)})")
    return window, evidence, conflicts


# ---------------------------------------------------------------------------- events
@dataclass(frozen=True)
class Engagement:
    """A known meeting or call between Egypt's president and a foreign official."""

    id: str
    counterpart: str
    date: date
    place: str = ""
    place_ar: tuple[str, ...] = ()
    kind: str = "visit"
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class Anchor:
    """A dated event whose mention proves that an article is not older than it."""

    id: str
    date: date
    patterns: tuple[str, ...]
    description: str = ""
    source: str = ""


@dataclass(eq=False)
class EventCalendar:
    """Engagements, anchors and known places (see ``research/data/events.yaml``)."""

    engagements: tuple[Engagement, ...]
    anchors: tuple[Anchor, ...]
    places: dict[str, tuple[str, ...]]

    def unknown_counterparts(self, gaz: Gazetteer) -> list[str]:
        """Return engagement ids whose counterpart is not a gazetteer person."""
        return [e.id for e in self.engagements if e.counterpart not in gaz.persons]


_ENGAGEMENT_KINDS = ("visit", "call", "summit", "abroad")


def _norm(text: str) -> str:
    from research.arabic import normalize_arabic

    return " ".join(normalize_arabic(text).split())


def _date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def calendar_from_dict(data: dict[str, Any]) -> EventCalendar:
    """Build and validate an :class:`EventCalendar` from parsed YAML.

    Raises
    ------
    ValueError
        On a missing id or counterpart, a malformed date, an unknown kind or a
        duplicate id; the message names the entry and the allowed values.
    """
    seen: set[str] = set()
    engagements = []
    for i, e in enumerate(data.get("engagements") or []):
        eid = e.get("id") or f"engagements[{i}]"
        if eid in seen or not e.get("counterpart"):
            raise ValueError(f"engagement {eid!r}: duplicate id or missing counterpart")
        kind = e.get("kind", "visit")
        if kind not in _ENGAGEMENT_KINDS:
            raise ValueError(
                f"engagement {eid!r}: unknown kind {kind!r}; "
                f"allowed: {', '.join(_ENGAGEMENT_KINDS)}"
            )
        seen.add(eid)
        engagements.append(
            Engagement(
                eid,
                str(e["counterpart"]),
                _date(e.get("date"), f"engagement {eid!r}"),
                str(e.get("place", "")),
                tuple(_norm(p) for p in e.get("place_ar") or []),
                kind,
                str(e.get("note", "")),
                str(e.get("source", "")),
            )
        )
    anchors = []
    for i, a in enumerate(data.get("anchors") or []):
        aid = a.get("id") or f"anchors[{i}]"
        if aid in seen or not a.get("patterns"):
            raise ValueError(f"anchor {aid!r}: duplicate id or no patterns")
        seen.add(aid)
        anchors.append(
            Anchor(
                aid,
                _date(a.get("date"), f"anchor {aid!r}"),
                tuple(_norm(p) for p in a["patterns"]),
                " ".join(str(a.get("description", "")).split()),
                str(a.get("source", "")),
            )
        )
    places = {str(k): tuple(_norm(p) for p in v) for k, v in (data.get("places") or {}).items()}
    return EventCalendar(tuple(engagements), tuple(anchors), places)


@lru_cache(maxsize=8)
def load_events(path: str | Path | None = None) -> EventCalendar:
    """Load and validate the events calendar (cached per path; bundled file by default)."""
    import yaml

    if path is None:
        text = resources.files("research").joinpath("data/events.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return calendar_from_dict(yaml.safe_load(text) or {})


@lru_cache(maxsize=8)
def _anchor_regex(cal: EventCalendar):
    lookup = {k: a for a in cal.anchors for p in a.patterns for k in spelling_keys(p)}
    return alias_regex([p for a in cal.anchors for p in a.patterns]), lookup


def anchor_bound(norm: str, cal: EventCalendar) -> tuple[Anchor, int, int] | None:
    """Return the latest anchor mentioned in ``norm`` and the span of the mention, if any."""
    rx, lookup = _anchor_regex(cal)
    hits = [
        (lookup[core_key(m.group("core"))], m.start(), m.end())
        for m in rx.finditer(norm)
        if core_key(m.group("core")) in lookup
    ]
    return max(hits, key=lambda h: h[0].date) if hits else None


def _mentions_place(norm: str, words: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<![{_L}])[وفبل]?{re.escape(w)}(?![{_L}])", norm) for w in words)


def match_engagements(
    cal: EventCalendar, person_id: str, window: Window, norm: str, weekday: int | None = None
) -> tuple[list[Engagement], list[str]]:
    """Return the calendar engagements an article can describe.

    An engagement qualifies when its counterpart is ``person_id``, its date is in
    ``window``, its weekday equals ``weekday`` (when the text names one) and the text
    names its place or names no known place at all.

    Returns
    -------
    matches : list of Engagement
    rejected : list of str
        Why the counterpart's other engagements were left out.
    """
    all_places = tuple(p for words in cal.places.values() for p in words)
    names_a_place = _mentions_place(norm, all_places)
    matches, rejected = [], []
    for e in cal.engagements:
        if e.counterpart != person_id:
            continue
        if not window.contains(e.date):
            rejected.append(f"{e.id}: outside the window")
        elif weekday is not None and e.date.weekday() != weekday:
            rejected.append(f"{e.id}: a {e.date:%A}, the text says {WEEKDAYS_AR[weekday]}")
        elif e.place_ar and names_a_place and not _mentions_place(norm, e.place_ar):
            rejected.append(f"{e.id}: the text does not name {e.place}")
        else:
            matches.append(e)
    return matches, rejected


# ---------------------------------------------------------------------------- manifest
_RE_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_iso_window(value: Any) -> tuple[date, date]:
    """Parse a manifest date: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``A/B`` (interval).

    Returns
    -------
    (date_min, date_max) : tuple of datetime.date
        Equal for a full date.

    Raises
    ------
    ValueError
        When the value is not one of the accepted ISO 8601 forms.
    """
    if isinstance(value, date):
        return value, value
    text = str(value).strip()
    if "/" in text:
        a, _, b = text.partition("/")
        try:
            lo, hi = parse_iso_window(a)[0], parse_iso_window(b)[1]
        except ValueError:
            raise ValueError(
                f"{text!r} is not an ISO date; use YYYY-MM-DD, YYYY-MM, YYYY or START/END"
            ) from None
        if hi < lo:
            raise ValueError(f"interval {text!r} ends before it starts")
        return lo, hi
    m = _RE_ISO.match(text)
    if not m:
        raise ValueError(f"{text!r} is not an ISO date; use YYYY-MM-DD, YYYY-MM, YYYY or START/END")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d:
            day = date(y, int(mo), int(d))
            return day, day
        if mo:
            first = date(y, int(mo), 1)
            nxt = date(y + (first.month == 12), first.month % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
        return date(y, 1, 1), date(y, 12, 31)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid calendar date") from None
