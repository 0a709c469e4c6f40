"""Turning one table row or JSON record into article fields."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date

__all__ = ["GENERATED_COLUMNS", "choose_text_column", "parse_date", "record_fields", "to_str"]

# Columns that the reader fills itself; a record's own column of that name is renamed.
GENERATED_COLUMNS = ("article_id", "source_file", "encoding")
# Record keys naming the article id, in order of preference.
ID_KEYS = ("id", "article_id")
_DATE = re.compile(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?\s*", re.DOTALL)


def to_str(value: object) -> str:
    """Convert a field value to a string: ``''`` for missing values, JSON for containers."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def parse_date(value: str) -> str:
    """Return the ISO date ``'YYYY-MM-DD'`` that ``value`` starts with, or ``''``.

    Accepts ``YYYY-MM-DD``, ``YYYY/MM/DD`` or ``YYYY.MM.DD``, optionally followed
    by a time (``'2015-07-21 02:51:32'``, ``'2015-07-21T02:51:32Z'``).
    """
    match = _DATE.fullmatch(value)
    if not match:
        return ""
    try:
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return ""


def choose_text_column(columns: Iterable[str], *, where: str) -> str:
    """Return ``'text'`` or else ``'content'``, whichever is among ``columns``.

    Raises
    ------
    ValueError
        If neither is present; the message names the columns found.
    """
    found = list(columns)
    lowered = {str(c).strip().lower() for c in found}
    for name in ("text", "content"):
        if name in lowered:
            return name
    raise ValueError(
        f"{where}: no text column; expected a column named 'text' or 'content', "
        f"found columns {found!r}"
    )


def record_fields(record: Mapping[str, object], text_column: str) -> tuple[str, dict[str, str]]:
    r"""Map one record to ``(id_value, fields)``.

    Parameters
    ----------
    record : mapping
        One row or JSON object. Key matching is case-insensitive for the known
        columns (``id``, ``article_id``, ``title``, ``text``, ``content``, ``date``,
        ``date_extracted``, ``source``, ``url``, ``author``).
    text_column : {'text', 'content'}
        Which key holds the article text.

    Returns
    -------
    id_value : str
        The record's ``id`` (or ``article_id``) value, stripped; ``''`` if none.
    fields : dict of str to str
        ``title``, ``text`` (``\r\n`` turned into ``\n``, otherwise unchanged)
        and ``date`` (ISO or ``''``), then every other key as a string. When the
        record's date value is not already an ISO date it is kept as ``date_raw``.
    """
    title = text = raw_date = id_value = ""
    extracted = None
    other: dict[str, str] = {}
    for key, value in record.items():
        name = str(key).strip()
        lower = name.lower()
        if lower == text_column:
            text = to_str(value)
        elif lower == "title":
            title = to_str(value)
        elif lower in ID_KEYS and not id_value:
            id_value = to_str(value).strip()
        elif lower == "date":
            raw_date = to_str(value)
        else:
            if lower in ("date_extracted", "source", "url", "author", "content", "text"):
                name = lower
            if name in GENERATED_COLUMNS or name in ("title", "date", "date_raw"):
                name = f"original_{name}"
            other[name] = to_str(value)
            if name == "date_extracted":
                extracted = other[name]
    fields = {"title": title.replace("\r\n", "\n"), "text": text.replace("\r\n", "\n")}
    # ``date_origin`` says where ``date`` came from: a given date is metadata a
    # researcher recorded; one derived from the extraction time is only a fallback
    # (research.annotate dates such articles from their text first).
    if raw_date:
        fields["date"] = parse_date(raw_date)
        fields["date_origin"] = "date" if fields["date"] else ""
        if fields["date"] != raw_date:
            fields["date_raw"] = raw_date
    else:
        fields["date"] = parse_date(extracted) if extracted else ""
        fields["date_origin"] = "date_extracted" if fields["date"] else ""
    fields.update(other)
    return id_value, fields
