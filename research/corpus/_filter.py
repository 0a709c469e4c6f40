"""Selection of articles while a corpus is read: :class:`CorpusFilter`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

__all__ = ["CorpusFilter", "strip_marks"]

# Arabic diacritics (harakat, tanween, shadda, sukun, superscript alef, Quranic
# marks) and tatweel. Full normalisation lives in ``research.arabic``; matching
# only needs these marks gone on both sides.
_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def strip_marks(text: str) -> str:
    """Remove Arabic diacritics and tatweel from ``text``.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        ``text`` without diacritics and tatweel; every other character unchanged.
    """
    return _MARKS.sub("", text)


def _as_str_tuple(name: str, value: object) -> tuple[str, ...]:
    """Coerce a string or an iterable of strings to a tuple of non-empty strings."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = (value,)
    try:
        items = tuple(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"CorpusFilter.{name} must be a string or a sequence of strings, "
            f"got {type(value).__name__}"
        ) from None
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(
                f"CorpusFilter.{name} must hold non-empty strings, got {item!r} in {items!r}"
            )
    return tuple(item.strip() for item in items)


def _check_date(name: str, value: str | None) -> str | None:
    """Validate an ISO date ``YYYY-MM-DD`` (or None)."""
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError(
            f"CorpusFilter.{name} must be an ISO date 'YYYY-MM-DD' or None, got {value!r}"
        )
    value = value.strip()
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"CorpusFilter.{name} is not a valid date: {value!r}") from None
    return value


@dataclass(frozen=True)
class CorpusFilter:
    """Which articles to keep while reading a corpus.

    An article is kept when it passes every criterion that is set; criteria left
    at their defaults select everything. Rejected articles appear in the ingest
    report with status ``'filtered'`` and the criterion that rejected them.

    Parameters
    ----------
    contains : tuple of str, default=()
        Keep an article when its title or text contains *any* of these strings.
        Arabic diacritics and tatweel are ignored on both sides, so ``'السيسي'``
        also matches ``'السِّيسي'``. A single string is accepted as a one-item tuple.
    sources : tuple of str, default=()
        Keep an article when its ``source`` is one of these (exact match).
    date_from, date_to : str or None, default=None
        Inclusive bounds on the article's ``date`` (ISO ``'YYYY-MM-DD'``). When
        either is set, articles without a date are rejected.

    Examples
    --------
    >>> f = CorpusFilter(contains=("السيسي",), date_from="2015-08-01")
    >>> f.describe()["contains"]
    ['السيسي']
    """

    contains: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "contains", _as_str_tuple("contains", self.contains))
        object.__setattr__(self, "sources", _as_str_tuple("sources", self.sources))
        object.__setattr__(self, "date_from", _check_date("date_from", self.date_from))
        object.__setattr__(self, "date_to", _check_date("date_to", self.date_to))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(
                f"CorpusFilter.date_from must not be after date_to, "
                f"got {self.date_from!r} > {self.date_to!r}"
            )

    @property
    def is_active(self) -> bool:
        """Whether any criterion is set."""
        return bool(self.contains or self.sources or self.date_from or self.date_to)

    def describe(self) -> dict[str, object]:
        """Return the criteria as plain, YAML/JSON-serialisable values for the run record.

        Returns
        -------
        dict
            Keys ``contains``, ``sources`` (lists), ``date_from``, ``date_to``.
        """
        return {
            "contains": list(self.contains),
            "sources": list(self.sources),
            "date_from": self.date_from,
            "date_to": self.date_to,
        }

    @cached_property
    def _needles(self) -> tuple[str, ...]:
        return tuple(strip_marks(term) for term in self.contains)

    def matching_terms(self, text: str) -> tuple[str, ...]:
        """Return the ``contains`` terms found in ``text`` (diacritics and tatweel ignored).

        Parameters
        ----------
        text : str
            Any text (a title, a body, one line).

        Returns
        -------
        tuple of str
            The terms of :attr:`contains` that occur in ``text``, in their order.
        """
        haystack = strip_marks(text)
        return tuple(term for term, needle in zip(self.contains, self._needles, strict=True)
                     if needle in haystack)

    @cached_property
    def _date_range(self) -> str:
        return f"{self.date_from or ''}..{self.date_to or ''}"

    def reject_reason(self, article: Mapping[str, str]) -> str:
        """Return why ``article`` is rejected, or ``''`` when it is kept.

        Parameters
        ----------
        article : mapping of str to str
            An article's fields; ``title``, ``text``, ``source`` and ``date`` are
            read when present.

        Returns
        -------
        str
            ``''`` when kept, otherwise a reason starting with ``'filter: '``.
        """
        if self.sources:
            source = article.get("source", "")
            if source not in self.sources:
                return f"filter: source {source or '(none)'} not in {', '.join(self.sources)}"
        if self.date_from or self.date_to:
            day = article.get("date", "")
            if not day:
                return f"filter: no date (wanted {self._date_range})"
            if (self.date_from and day < self.date_from) or (self.date_to and day > self.date_to):
                return f"filter: date outside {self._date_range}"
        if self.contains:
            if not self.matching_terms(article.get("title", "") + "\n" + article.get("text", "")):
                if len(self.contains) == 1:
                    return f"filter: text does not contain {self.contains[0]}"
                return f"filter: text contains none of {', '.join(self.contains)}"
        return ""
