"""Date windows: sets of day intervals, tenure intersections and ISO date parsing.

A :class:`Window` holds what is known of an article's date as day intervals;
:func:`tenure_window` intersects the tenures of the officials an article names in
their roles; :func:`parse_iso_window` reads a manifest date (a day, a month, a year
or an interval) into the first and last day it allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ._gazetteer import Gazetteer

__all__ = ["Window", "tenure_window", "parse_iso_window"]


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
