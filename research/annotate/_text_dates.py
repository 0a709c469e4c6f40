"""The explicit dates of one article, checked against each other and the weekday it names.

:class:`TextDates` holds what :func:`research.annotate.find_dates` and
:func:`research.annotate.find_unreadable_dates` found in an article, chooses the
article's day among the dates written where the date of an article is written (the
counterpart's sentence, the lead, the headline, the dateline), and lists what a
researcher must see: dates it could not read, a Hijri and a Gregorian date that
disagree, a chosen day that is not the weekday the text names.
"""

from __future__ import annotations

from datetime import date

from research.text import NormalizedText

from ._date_words import WEEKDAYS_AR
from ._dates import DateMention, UnreadableDate
from ._hijri import hijri_year_of
from ._relative import RelativeMention
from ._windows import Window

__all__ = ["TextDates"]

#: Characters from the start of the text that are read as its dateline.
DATELINE_CHARS = 300


class TextDates:
    """Explicit dates of one article and the weekday it names.

    Parameters
    ----------
    found : list of DateMention
        From :func:`research.annotate.find_dates`.
    unreadable : list of UnreadableDate
        From :func:`research.annotate.find_unreadable_dates`.
    focus : list of (start, end)
        Spans where the article's date is written, in order of preference (the
        counterpart's sentence, the lead, the headline); the first
        :data:`DATELINE_CHARS` characters are read last.
    nt : NormalizedText
        The text, to quote the original spelling.
    cue : int or None
        The weekday of the engagement that the text names (a relative word such as
        "اليوم الخميس", or the dateline's weekday shifted by "أمس"), 0 = Monday.
    """

    def __init__(
        self,
        found: list[DateMention],
        unreadable: list[UnreadableDate],
        focus: list[tuple[int, int]],
        nt: NormalizedText,
        cue: int | None,
    ):
        self.found = found
        self.unreadable = unreadable
        self.spans = [*focus, (0, DATELINE_CHARS)]
        self.nt = nt
        self.cue = cue

    def is_weekday_of_a_date(self, rel: RelativeMention) -> bool:
        """Whether ``rel`` is a bare weekday ("يوم الأربعاء") that an explicit date follows.

        Such a weekday belongs to the date ("يوم الأربعاء 18 سبتمبر 2024"): the date,
        not the weekday resolved against the publication date, gives the day.
        """
        return rel.offset is None and any(
            not d.historical and d.weekday == rel.weekday and 0 <= d.start - rel.end <= 15
            for d in self.found
        )

    def quote(self, d: DateMention | UnreadableDate) -> str:
        """Return the original text of a mention."""
        return self.nt.original(d.start, d.end).strip()

    def _in_spans(self, start: int) -> bool:
        return any(a <= start < b for a, b in self.spans)

    def notes(self) -> list[tuple[str, str]]:
        """Return ``(kind, message)`` for unreadable dates and calendar disagreements.

        Every unreadable date-like expression is reported (``date_not_understood``),
        saying so when it could not be the article's date anyway; a Hijri date given
        next to a Gregorian one for the same day that converts to another day is
        reported as ``date_calendar_conflict``.
        """
        out = []
        for u in self.unreadable:
            why = u.reason if not u.historical else f"{u.reason}; not the article's date anyway"
            out.append(("date_not_understood", f"date not understood: '{self.quote(u)}' ({why})"))
        for d in self.found:
            if d.calendar == "hijri" and d.calendar_conflict and not d.historical:
                other = next(
                    (g for g in self.found if g.calendar != "hijri" and g.equivalent == d.as_date()
                     and g.as_date() == d.equivalent),
                    None,
                )
                shown = self.quote(other) if other else d.equivalent_text
                out.append((
                    "date_calendar_conflict",
                    f"'{self.quote(d)}' is {d.as_date()} in the Umm al-Qura calendar, but the "
                    f"text gives '{shown}' ({d.equivalent}) for the same day",
                ))
        return out

    def _resolve(self, d: DateMention, window: Window, reference: date | None) -> date | None:
        """Return the Gregorian day of a mention, choosing the year when it has none."""
        if d.kind == "full":
            return d.as_date()
        try:
            if reference:
                base = reference.year if d.calendar == "gregorian" else hijri_year_of(reference)
                options = [x for y in (base - 1, base, base + 1) if (x := d.as_date(y))]
                return min(options, key=lambda x: abs((x - reference).days)) if options else None
            lo, hi = window.hull()
            if d.calendar == "gregorian":
                years = range(lo.year, hi.year + 1)
            else:
                years = range(hijri_year_of(lo), hijri_year_of(hi) + 1)
        except ValueError:  # outside the Umm al-Qura table
            return None
        options = [x for y in years if (x := d.as_date(y)) and window.contains(x)]
        return options[0] if len(options) == 1 else None

    def _weekday_ok(self, d: DateMention, day: date) -> bool:
        expected = d.weekday if d.weekday is not None else self.cue
        return expected is None or day.weekday() == expected

    def choose(
        self, window: Window, reference: date | None, notes: list[tuple[str, str]]
    ) -> tuple[date | None, float, str]:
        """Choose the article's day among its explicit dates.

        A date is a candidate when it is not historical, gives a day, lies within a
        week of the publication date (when known; farther away it is another
        event) and is written where the article's date is. Candidates in the date
        window (3 days' slack) are taken in the order of the spans; one that agrees
        with the weekday the text names, and (for a Hijri date) with the Gregorian
        date given beside it, is preferred.

        Parameters
        ----------
        window : Window
            The days the article's date can be (tenures, anchors, publication).
        reference : datetime.date or None
            The publication date.
        notes : list of (kind, message)
            Receives ``date_weekday_conflict`` when the day chosen is not the weekday
            named, and ``tenure_conflict`` when the only dates given are outside the
            window.

        Returns
        -------
        day : datetime.date or None
        confidence : float
            0.8, or 0.5 when the weekday contradicts the day.
        evidence : str
            Why; non-empty with no day when the text gives a date that cannot be
            used (unreadable, or outside the window): the calendar must not guess then.
        """
        ordered: list[tuple[DateMention, date]] = []
        outside: list[tuple[DateMention, date]] = []
        for a, b in self.spans:
            for d in self.found:
                if d.historical or d.kind == "month_year" or not a <= d.start < b:
                    continue
                day = self._resolve(d, window, reference)
                if day is None or (reference and abs((day - reference).days) > 7):
                    continue  # no day, or far from the publication date: another event
                pairs = ordered if window.contains(day, slack=3) else outside
                if all(d is not x for x, _ in pairs):
                    pairs.append((d, day))
        ranked = sorted(
            ordered,
            key=lambda p: (
                not self._weekday_ok(*p),
                p[0].calendar == "hijri" and p[0].calendar_conflict,
            ),
        )  # stable: span order within a rank
        if ranked:
            d, day = ranked[0]
            how = f"'{self.quote(d)}' in the text"
            if d.calendar == "hijri":
                how += f" (Hijri, {day} in the Umm al-Qura calendar)"
            for other, other_day in ordered:
                if other_day != day and not self._weekday_ok(other, other_day):
                    why = self._weekday_text(other, other_day)
                    how += f"; rejected '{self.quote(other)}' ({why})"
            if self._weekday_ok(d, day):
                return day, 0.8, how
            notes.append((
                "date_weekday_conflict",
                f"'{self.quote(d)}' is {self._weekday_text(d, day)}",
            ))
            return day, 0.5, how + f" [weekday conflict: {self._weekday_text(d, day)}]"
        blocked = [u for u in self.unreadable if not u.historical and self._in_spans(u.start)]
        if blocked:
            return None, 0.0, (
                f"the text gives a date that could not be read ('{self.quote(blocked[0])}'): "
                "date unknown, no calendar guess"
            )
        if outside:
            d, day = outside[0]
            notes.append((
                "tenure_conflict",
                f"text date '{self.quote(d)}' ({day}) is outside the date window; not used",
            ))
            return None, 0.0, f"text date '{self.quote(d)}' ({day}) outside the date window"
        return None, 0.0, ""

    def contradiction(self, day: date, reference: date | None) -> str:
        """Return the explicit date that rules ``day`` out, quoted, or ``''``.

        ``day`` (a calendar engagement) is ruled out when the text gives dates where
        the article's date is written (not historical, not a bare month, within a
        week of the publication date when known) and none of them can be ``day``; a
        date without a year can be ``day`` when its day and month are.
        """
        given = [
            d for d in self.found
            if not d.historical and d.kind != "month_year" and self._in_spans(d.start)
            and not (reference and (g := d.as_date()) and abs((g - reference).days) > 7)
        ]  # fmt: skip
        for d in given:
            try:
                year = day.year if d.calendar == "gregorian" else hijri_year_of(day)
            except ValueError:
                continue
            if d.as_date(year) == day:
                return ""
        return f"'{self.quote(given[0])}'" if given else ""

    def _weekday_text(self, d: DateMention, day: date) -> str:
        expected = d.weekday if d.weekday is not None else self.cue
        return f"a {day:%A}, the text says {WEEKDAYS_AR[expected]}"
