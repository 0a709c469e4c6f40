"""A table's date column as spreadsheets rewrite it, read as ISO dates, column by column.

A spreadsheet that opens a CSV rewrites its dates in the locale of the machine:
``2019-10-20`` becomes ``20/10/2019`` (day first) or ``10/20/2019`` (month first),
with ``-``, ``/`` or ``.`` between the parts, with or without a time, sometimes with
a two-digit year; text copied from Arabic web pages adds Arabic-Indic digits and
invisible direction marks. :func:`parse_date_column` reads a whole column at once,
because only the column can tell whether ``01/02/2019`` is the 1st of February or
the 2nd of January.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

__all__ = ["NOT_UNDERSTOOD", "fill_date_column", "parse_date_column"]

#: Every note on a date value starts with this, followed by the value as given.
NOT_UNDERSTOOD = "date not understood: "

_SEP = r"(?P<sep>[-/.])"
_TIME = (
    r"(?:(?:[ T]+|\s*,\s*)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*"
    r"(?:[AaPp]\.?[Mm]\.?|ص|م)?\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?"
)
_RE_YMD = re.compile(rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}}){_TIME}")
_RE_ABY = re.compile(
    rf"(?P<a>\d{{1,2}}){_SEP}(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}}){_TIME}"
)
_NAMES = (
    "january february march april may june july august september october november december"
).split()
_MONTH_NAMES = {
    **{n: i + 1 for i, n in enumerate(_NAMES)},
    **{n[:3]: i + 1 for i, n in enumerate(_NAMES)},
    "sept": 9,
}
_RE_MON = r"(?P<mon>[A-Za-z]{3,9})\.?"
_RE_D_MON_Y = re.compile(rf"(?P<d>\d{{1,2}})[-/ ]{_RE_MON}[-/ ,]+(?P<y>\d{{4}}|\d{{2}}){_TIME}")
_RE_MON_D_Y = re.compile(rf"{_RE_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME}")


def _clean(value: str) -> str:
    """Drop invisible format marks (Unicode category Cf) and tatweel; ASCII digits."""
    out = []
    for ch in value:
        if unicodedata.category(ch) == "Cf" or ch == "\u0640":
            continue
        digit = unicodedata.decimal(ch, None)
        out.append(str(digit) if digit is not None and not ch.isascii() else ch)
    return " ".join("".join(out).split())


def _year(text: str) -> int:
    """Return a 4-digit year; a 2-digit one with the spreadsheet pivot (00-29: 20xx)."""
    y = int(text)
    if len(text) == 2:
        # Excel and LibreOffice read 00-29 as 2000-2029 and 30-99 as 1930-1999 by
        # default; a year they wrote in two digits reads back the same way.
        y += 2000 if y < 30 else 1900
    return y


def _iso(y: int, m: int, d: int) -> str:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return ""


def parse_date_column(values: Iterable[object]) -> tuple[list[str], list[str]]:
    """Read a column of dates as spreadsheets write them into ISO dates.

    Accepted, with ``-``, ``/`` or ``.`` between the parts (the same one twice),
    Arabic-Indic or ASCII digits, invisible direction and format marks anywhere, and
    optionally a time (``14:05``, ``14:05:00``, ``2:05 PM``, ``T14:05:00Z``,
    ``+02:00``; the date is taken as written, without time-zone conversion):

    * ``YYYY-MM-DD`` (ISO; also ``YYYY/M/D``, ``YYYY.M.D``);
    * ``D/M/YYYY`` and ``M/D/YYYY``, told apart by the column (below);
    * the same with a two-digit year (``D/M/YY``), read with the pivot that Excel
      and LibreOffice use (00-29 → 2000-2029, 30-99 → 1930-1999), so that a year
      they wrote in two digits reads back to the year they were given;
    * an English month name or abbreviation (``20-Oct-2019``, ``Oct 20, 2019``).

    A value ``A/B/YYYY`` with ``A > 12`` is day first, with ``B > 12`` month first;
    with both at most 12 (and different) it is ambiguous. The column settles it:
    when its unambiguous values are all day first (or all month first), the
    ambiguous ones are read that way. When both orders occur, or none, an
    ambiguous value is left empty with a note.

    Parameters
    ----------
    values : iterable
        The column's values (strings; ``None`` and ``''`` are missing values).

    Returns
    -------
    iso_dates : list of str
        ``'YYYY-MM-DD'``, or ``''`` for a missing or unreadable value.
    notes : list of str
        ``''``, or for a non-empty value that gives no date a message starting with
        :data:`NOT_UNDERSTOOD` followed by the value as given and why.

    Examples
    --------
    >>> parse_date_column(["10/20/2019 14:05", "01/02/2019", ""])
    (['2019-10-20', '2019-01-02', ''], ['', '', ''])
    """
    raw = ["" if v is None else str(v) for v in values]
    iso, notes, pending = [""] * len(raw), [""] * len(raw), []
    orders: set[str] = set()
    for i, value in enumerate(raw):
        text = _clean(value)
        if not text or text.lower() in ("nan", "nat", "none", "null"):
            continue
        if m := _RE_YMD.fullmatch(text):
            iso[i] = _iso(int(m["y"]), int(m["m"]), int(m["d"]))
        elif m := _RE_ABY.fullmatch(text):
            a, b, y = int(m["a"]), int(m["b"]), _year(m["y"])
            if min(a, b) == 0:
                pass
            elif a > 12 >= b or b > 12 >= a:
                orders.add("day first" if a > 12 else "month first")
                iso[i] = _iso(y, b, a) if a > 12 else _iso(y, a, b)
            elif a <= 12 and b <= 12:
                pending.append((i, a, b, y))
                continue
        elif (m := _RE_D_MON_Y.fullmatch(text) or _RE_MON_D_Y.fullmatch(text)) and (
            month := _MONTH_NAMES.get(m["mon"].lower())
        ):
            iso[i] = _iso(_year(m["y"]), month, int(m["d"]))
        if not iso[i]:
            notes[i] = f"{NOT_UNDERSTOOD}{value}"
    for i, a, b, y in pending:
        if a == b or orders == {"day first"}:
            iso[i] = _iso(y, b, a)
        elif orders == {"month first"}:
            iso[i] = _iso(y, a, b)
        if iso[i]:
            continue
        dm, md = _iso(y, b, a), _iso(y, a, b)
        why = (
            "the column has both day-first and month-first dates"
            if orders
            else "no date in the column has a day above 12 to tell which"
        )
        notes[i] = (
            f"{NOT_UNDERSTOOD}{raw[i]} (day first gives {dm}, month first gives {md}; {why})"
        )
    return iso, notes


def fill_date_column(rows: list[dict[str, str]]) -> None:
    """Read the date column of one table's rows in place, as a whole.

    Rows are the field dicts of one table (see :func:`record_fields`): a row whose
    ``date`` came from the table's own date column (``date_origin == 'date'``, or
    a ``date_raw`` value kept) is read again with
    :func:`parse_date_column` over the whole column. ``date`` becomes the ISO date
    or ``''``, ``date_origin`` ``'date'`` or ``''``, ``date_raw`` keeps the value as
    given when it is not already that ISO date, and ``date_note`` says why a
    non-empty value gave no date.
    """
    given = [
        i for i, r in enumerate(rows) if r.get("date_raw") or r.get("date_origin") == "date"
    ]
    raw = [rows[i].get("date_raw") or rows[i]["date"] for i in given]
    iso, notes = parse_date_column(raw)
    for i, value, day, note in zip(given, raw, iso, notes, strict=True):
        row = rows[i]
        row["date"], row["date_origin"] = day, ("date" if day else "")
        row.pop("date_raw", None)
        if value != day:
            row["date_raw"] = value
        if note:
            row["date_note"] = note
