"""Counterparts gazetteer: officials, their Arabic names and their tenures.

The gazetteer ships as ``research/data/counterparts.yaml`` (see the comments at the
top of that file for the format). :func:`load_gazetteer` reads and validates it into
frozen dataclasses; :meth:`Gazetteer.find_names` finds every spelling of every person
in Arabic text that has been passed through :func:`research.arabic.normalize_arabic`.

Spelling matching and offsets into normalised text come from :mod:`research.text`.

Nothing is read at import time; loading is cached per path.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

from research.text import alias_regex, core_key, normalize_arabic, spelling_keys

__all__ = [
    "Role",
    "ROLES",
    "Tenure",
    "Person",
    "Country",
    "TitleRule",
    "NameMention",
    "Gazetteer",
    "load_gazetteer",
    "as_date",
    "english_key",
    "normalize_spelling",
]

logger = logging.getLogger(__name__)

# In order of seniority (Gazetteer.role_in_window relies on it).
Role = Literal[
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "defense_minister",
    "intelligence_chief",
    "envoy",
    "other",
]
ROLES: tuple[str, ...] = get_args(Role)
Precision = Literal["day", "month", "year"]
PRECISIONS: tuple[str, ...] = get_args(Precision)
_WIDEN = {"day": 0, "month": 31, "year": 366}


def english_key(name: str) -> str:
    """Return a comparable form of an English name: no accents, case, punctuation or spaces.

    ``"Bernard Émié"``, ``"bernard emie"`` and ``"Bernard-Emie"`` give one key.
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


def normalize_spelling(text: str) -> str:
    """Normalise a gazetteer spelling: Arabic normalisation plus single spaces."""
    return " ".join(normalize_arabic(text).split())


@dataclass(frozen=True)
class Tenure:
    """One period in one office.

    Parameters
    ----------
    role : str
        One of :data:`ROLES`.
    start, end : datetime.date or None
        First and last day; ``None`` means open (before records / still in office).
    office : str
        English label of the office ("Secretary of State").
    office_keywords : tuple of str
        Normalised Arabic words that identify the office inside a title.
    default : bool
        Holder assumed for a generic title when several offices share the role.
    precision : {"day", "month", "year"}
        How precisely ``start`` and ``end`` are known.
    """

    role: str
    start: date | None
    end: date | None
    office: str = ""
    office_keywords: tuple[str, ...] = ()
    default: bool = False
    precision: str = "day"

    def interval(self, period: tuple[date, date]) -> tuple[date, date]:
        """Return ``(start, end)`` clipped to ``period`` and widened by the precision."""
        pad = timedelta(days=_WIDEN[self.precision])
        start = (self.start - pad) if self.start else period[0]
        end = (self.end + pad) if self.end else period[1]
        return max(start, date.min), min(end, date.max)


@dataclass(frozen=True)
class Person:
    """A gazetteer entry.

    Parameters
    ----------
    id, name, country : str
        Identifier, canonical English name and country code.
    aliases : tuple of str
        Normalised spellings that identify the person on their own.
    weak_aliases : tuple of str
        Normalised short forms counted only next to a full alias.
    tenures : tuple of Tenure
        Offices held.
    names_en : tuple of str
        Other English spellings of the name ("King Salman", "Abd Rabbuh Mansur Hadi"),
        so that a researcher's labels or manifest may use them.
    """

    id: str
    name: str
    country: str
    aliases: tuple[str, ...]
    weak_aliases: tuple[str, ...] = ()
    tenures: tuple[Tenure, ...] = ()
    names_en: tuple[str, ...] = ()

    def tenures_for(self, role: str | None) -> tuple[Tenure, ...]:
        """Return the tenures in ``role`` (all tenures when ``role`` is None or unheld)."""
        if role is None:
            return self.tenures
        held = tuple(t for t in self.tenures if t.role == role)
        return held or self.tenures

    def role_at(self, day: date, period: tuple[date, date]) -> str | None:
        """Return the role held on ``day`` (the first matching tenure), if any."""
        for t in self.tenures:
            lo, hi = t.interval(period)
            if lo <= day <= hi:
                return t.role
        return None


@dataclass(frozen=True)
class Country:
    """A country with its Arabic adjectives (``الامريكي``) and names (``امريكا``).

    ``places`` are other places in the country (cities, palaces) that tell where an
    engagement took place; they do not form titles.
    """

    code: str
    name: str
    adjectives: tuple[str, ...]
    names: tuple[str, ...]
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class TitleRule:
    """A country-specific title such as ``خادم الحرمين الشريفين``."""

    country: str
    role: str
    office: str
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class NameMention:
    """A person found in normalised text: character span and the spelling matched."""

    person_id: str
    start: int
    end: int
    alias: str
    weak: bool = False


@dataclass(eq=False)
class Gazetteer:
    """Validated gazetteer with name matching.

    Parameters
    ----------
    persons : dict of str to Person
        Keyed by person id.
    countries : dict of str to Country
        Keyed by country code.
    role_phrases : dict of str to tuple of str
        Normalised Arabic role phrases for each role in :data:`ROLES`.
    titles : tuple of TitleRule
        Country-specific titles.
    period : tuple of datetime.date
        Study period (start, end).
    home_country : str
        Code of the Egyptian side, never returned as counterpart.
    """

    persons: dict[str, Person]
    countries: dict[str, Country]
    role_phrases: dict[str, tuple[str, ...]]
    titles: tuple[TitleRule, ...] = ()
    period: tuple[date, date] = (date(2014, 1, 1), date(2025, 12, 31))
    home_country: str = "EG"
    _by_name: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for p in self.persons.values():
            english = (p.name, *p.names_en)
            for key in (p.id, *(n.casefold() for n in english), *map(english_key, english),
                        *p.aliases):
                self._by_name.setdefault(key, p.id)

    # ------------------------------------------------------------------ lookup
    def person(self, key: str) -> Person:
        """Return a person by id, English name or Arabic alias.

        English names match whatever their case, accents, hyphens and spaces
        (:func:`english_key`): "francois hollande" finds "François Hollande".

        Raises
        ------
        KeyError
            When nothing matches; the message names the key.
        """
        for k in (key, key.strip().casefold(), english_key(key), normalize_spelling(key)):
            if k in self._by_name:
                return self.persons[self._by_name[k]]
        raise KeyError(f"no gazetteer person matches {key!r} (id, English name or Arabic alias)")

    def is_home(self, person_id: str) -> bool:
        """Return True for officials of the home (Egyptian) side."""
        return self.persons[person_id].country == self.home_country

    def interval(self, tenure: Tenure) -> tuple[date, date]:
        """Return a tenure's interval within the study period."""
        return tenure.interval(self.period)

    def in_office(self, person_id: str, start: date, end: date) -> bool:
        """Whether the person held a listed office at some day of ``[start, end]``.

        A person without listed tenures counts as in office (nothing says otherwise).
        """
        person = self.persons[person_id]
        return not person.tenures or any(
            self.interval(t)[0] <= end and start <= self.interval(t)[1] for t in person.tenures
        )

    def role_in_window(self, person_id: str, start: date, end: date) -> str:
        """Return the most senior role the person holds within ``[start, end]`` ('' if none).

        Seniority is the order of :data:`ROLES`.
        """
        roles = {
            t.role
            for t in self.persons[person_id].tenures
            if self.interval(t)[0] <= end and start <= self.interval(t)[1]
        }
        return next((r for r in ROLES if r in roles), "")

    # ------------------------------------------------------------------ matching
    @cached_property
    def _name_index(self) -> tuple[re.Pattern[str], dict[str, tuple[str, str, bool]]]:
        lookup: dict[str, tuple[str, str, bool]] = {}
        for p in self.persons.values():
            for alias, weak in [(a, False) for a in p.aliases] + [
                (a, True) for a in p.weak_aliases
            ]:
                for k in spelling_keys(alias):
                    # A strong alias shadows a weak one with the same spelling.
                    if k not in lookup or (lookup[k][2] and not weak):
                        lookup[k] = (p.id, alias, weak)
        spellings = [a for p in self.persons.values() for a in p.aliases + p.weak_aliases]
        return alias_regex(spellings), lookup

    def find_names(self, norm_text: str) -> list[NameMention]:
        """Find every person mentioned in normalised text.

        Longest spellings win where spellings overlap ("محمد بن سلمان" is not also a
        mention of King Salman). A weak alias counts only when a full alias of the
        same person occurs somewhere in the text.

        Parameters
        ----------
        norm_text : str
            Text passed through :func:`research.arabic.normalize_arabic`.

        Returns
        -------
        list of NameMention
            In text order; spans index ``norm_text`` (proclitic excluded).
        """
        pattern, lookup = self._name_index
        found: list[NameMention] = []
        for m in pattern.finditer(norm_text):
            key = core_key(m.group("core"))
            if key not in lookup:
                continue
            pid, alias, weak = lookup[key]
            found.append(NameMention(pid, m.start("core"), m.end("core"), alias, weak))
        strong = {f.person_id for f in found if not f.weak}
        return [f for f in found if not f.weak or f.person_id in strong]

    def holders(
        self, country: str, role: str, start: date, end: date, office: str | None = None
    ) -> list[tuple[Person, Tenure]]:
        """Return the (person, tenure) pairs in ``country``/``role`` overlapping a window.

        Parameters
        ----------
        country, role : str
            Country code and role.
        start, end : datetime.date
            Window (inclusive).
        office : str, optional
            Keep only tenures with this office label.
        """
        out = []
        for p in self.persons.values():
            if p.country != country:
                continue
            for t in p.tenures:
                if t.role != role or (office and t.office != office):
                    continue
                lo, hi = self.interval(t)
                if lo <= end and start <= hi:
                    out.append((p, t))
        return out

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Gazetteer:
        """Build and validate a gazetteer from the parsed YAML mapping.

        Raises
        ------
        ValueError
            On an unknown role, country or precision, a malformed date, a tenure
            ending before it starts, a duplicate id, or a full alias shared by two
            persons. The message names the entry and the allowed values.
        """
        period_raw = data.get("period") or {}
        period = (
            as_date(period_raw.get("start", "2014-01-01"), "period.start"),
            as_date(period_raw.get("end", "2025-12-31"), "period.end"),
        )
        countries = {
            code: Country(
                code,
                str(c.get("name", code)),
                tuple(normalize_spelling(a) for a in c.get("adjectives", [])),
                tuple(normalize_spelling(a) for a in c.get("names", [])),
                tuple(normalize_spelling(a) for a in c.get("places", [])),
            )
            for code, c in (data.get("countries") or {}).items()
        }
        home = str(data.get("home_country", "EG"))
        if home not in countries:
            raise ValueError(f"home_country {home!r} is not a listed country: {sorted(countries)}")
        phrases: dict[str, tuple[str, ...]] = {}
        for role, items in (data.get("roles") or {}).items():
            _check_choice(role, ROLES, "role in 'roles'")
            phrases[role] = tuple(normalize_spelling(x) for x in items)
        titles = []
        for i, t in enumerate(data.get("titles") or []):
            where = f"titles[{i}]"
            _check_choice(t.get("country"), tuple(countries), f"country of {where}")
            _check_choice(t.get("role"), ROLES, f"role of {where}")
            titles.append(
                TitleRule(
                    t["country"],
                    t["role"],
                    str(t.get("office", "")),
                    tuple(normalize_spelling(x) for x in t.get("patterns", [])),
                )
            )
        persons: dict[str, Person] = {}
        owner: dict[str, str] = {}
        for i, raw in enumerate(data.get("persons") or []):
            person = _parse_person(raw, i, tuple(countries))
            if person.id in persons:
                raise ValueError(f"duplicate person id {person.id!r}")
            for alias in person.aliases:
                if alias in owner and owner[alias] != person.id:
                    raise ValueError(
                        f"alias {alias!r} is given to both {owner[alias]!r} and {person.id!r};"
                        " make it a weak_alias of both or spell it out"
                    )
                owner[alias] = person.id
            persons[person.id] = person
        logger.debug("gazetteer: %d persons, %d countries", len(persons), len(countries))
        return cls(persons, countries, phrases, tuple(titles), period, home)


def _check_choice(value: Any, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what}: {value!r}; allowed: {', '.join(allowed)}")


def as_date(value: Any, what: str) -> date | None:
    """Read an ISO date from a data file; ``None`` when empty; ValueError naming ``what``."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _parse_person(raw: dict[str, Any], index: int, countries: tuple[str, ...]) -> Person:
    pid = raw.get("id")
    if not pid:
        raise ValueError(f"persons[{index}] has no id")
    where = f"person {pid!r}"
    _check_choice(raw.get("country"), countries, f"country of {where}")
    aliases = tuple(dict.fromkeys(normalize_spelling(a) for a in raw.get("aliases") or []))
    if not aliases:
        raise ValueError(f"{where} has no aliases")
    tenures = []
    for j, t in enumerate(raw.get("tenures") or []):
        twhere = f"tenures[{j}] of {where}"
        _check_choice(t.get("role"), ROLES, f"role of {twhere}")
        precision = t.get("precision", "day")
        _check_choice(precision, PRECISIONS, f"precision of {twhere}")
        start = as_date(t.get("start"), f"start of {twhere}")
        end = as_date(t.get("end"), f"end of {twhere}")
        if start and end and end < start:
            raise ValueError(f"{twhere} ends ({end}) before it starts ({start})")
        tenures.append(
            Tenure(
                t["role"],
                start,
                end,
                str(t.get("office", "")),
                tuple(normalize_spelling(k) for k in t.get("office_keywords") or []),
                bool(t.get("default", False)),
                precision,
            )
        )
    return Person(
        str(pid),
        str(raw.get("name", pid)),
        raw["country"],
        aliases,
        tuple(normalize_spelling(a) for a in raw.get("weak_aliases") or []),
        tuple(tenures),
        tuple(str(n) for n in raw.get("names_en") or []),
    )


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Load and validate the counterparts gazetteer (cached per file content).

    Parameters
    ----------
    path : str or Path, optional
        A YAML file in the format of ``research/data/counterparts.yaml``; the bundled
        file when omitted.

    Returns
    -------
    Gazetteer
    """
    if path is None:
        text = resources.files("research").joinpath("data/counterparts.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return _gazetteer_from_text(text)


@lru_cache(maxsize=8)
def _gazetteer_from_text(text: str) -> Gazetteer:
    import yaml

    return Gazetteer.from_dict(yaml.safe_load(text) or {})
