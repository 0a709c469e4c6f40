"""The calendar of known engagements and anchors (``research/data/events.yaml``).

:func:`load_events` reads and validates the calendar into an :class:`EventCalendar`.
:func:`match_engagements` returns the engagements an article can describe (the
counterpart, the date window, the weekday and the place agree); :func:`anchor_bound`
finds the latest anchor (an event an article cannot predate) that a text mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from research.text import ARABIC_LETTER, alias_regex, core_key, spelling_keys

from ._date_words import WEEKDAYS_AR
from ._gazetteer import Gazetteer, as_date, normalize_spelling
from ._windows import Window

__all__ = [
    "Engagement",
    "Anchor",
    "EventCalendar",
    "calendar_from_dict",
    "load_events",
    "anchor_bound",
    "match_engagements",
    "events_table",
]

_L = ARABIC_LETTER


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


def _date(value: Any, what: str) -> date:
    day = as_date(value, what)  # None when missing: a calendar entry needs a date
    if day is None:
        raise ValueError(f"{what}: {value!r} is not an ISO date (YYYY-MM-DD)")
    return day


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
                tuple(normalize_spelling(p) for p in e.get("place_ar") or []),
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
                tuple(normalize_spelling(p) for p in a["patterns"]),
                " ".join(str(a.get("description", "")).split()),
                str(a.get("source", "")),
            )
        )
    places = {
        str(k): tuple(normalize_spelling(p) for p in v)
        for k, v in (data.get("places") or {}).items()
    }
    return EventCalendar(tuple(engagements), tuple(anchors), places)


def load_events(path: str | Path | None = None) -> EventCalendar:
    """Load and validate the events calendar (bundled file by default; cached per content)."""
    if path is None:
        text = resources.files("research").joinpath("data/events.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return _calendar_from_text(text)


@lru_cache(maxsize=8)
def _calendar_from_text(text: str) -> EventCalendar:
    import yaml

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


def events_table(calendar: EventCalendar, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Return the calendar's engagements as a tidy table, for marking them on time charts.

    Parameters
    ----------
    calendar : EventCalendar
        From :func:`load_events`.
    gazetteer : Gazetteer, optional
        Gives the counterparts' names; without it the person id is shown
        (``jim-mattis`` as "Jim Mattis").

    Returns
    -------
    DataFrame
        ``date`` (datetime64), ``label`` ("Name (Place)"), ``counterpart`` (name),
        ``counterpart_id``, ``place``, ``kind``, ``id``; one row per engagement,
        sorted by date then id.
    """
    def name(pid: str) -> str:
        if gazetteer is not None and pid in gazetteer.persons:
            return gazetteer.persons[pid].name
        return pid.replace("-", " ").title()

    rows = [
        {
            "date": pd.Timestamp(e.date),
            "label": f"{name(e.counterpart)} ({e.place})" if e.place else name(e.counterpart),
            "counterpart": name(e.counterpart),
            "counterpart_id": e.counterpart,
            "place": e.place,
            "kind": e.kind,
            "id": e.id,
        }
        for e in calendar.engagements
    ]
    columns = ["date", "label", "counterpart", "counterpart_id", "place", "kind", "id"]
    table = pd.DataFrame(rows, columns=columns)
    table["date"] = pd.to_datetime(table["date"])
    return table.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
