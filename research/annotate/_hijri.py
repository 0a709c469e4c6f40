"""Hijri (Umm al-Qura) to Gregorian conversion, with readable errors.

Conversion uses the maintained ``hijridate`` library (the Umm al-Qura calendar of
Saudi Arabia, tabulated for 1343-1500 AH, i.e. 1924-2077 CE). Countries that start
the month on a sighting of the moon (Egypt among them) may be a day off this
calendar; a Hijri date given next to a Gregorian one is therefore checked, not
trusted blindly (see :func:`research.annotate.find_dates`).
"""

from __future__ import annotations

from datetime import date

__all__ = ["HIJRI_YEARS", "approx_gregorian_year", "hijri_to_gregorian", "hijri_year_of"]

#: First and last Hijri year that ``hijridate`` converts (its Umm al-Qura table).
HIJRI_YEARS = (1343, 1500)


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """Return the Gregorian day of a Hijri (Umm al-Qura) date.

    Parameters
    ----------
    year, month, day : int
        Hijri year (AH), month (1-12) and day (1-30).

    Returns
    -------
    datetime.date

    Raises
    ------
    ValueError
        When the year is outside :data:`HIJRI_YEARS` or the day does not exist in
        that month (a month has 29 or 30 days); the message names the value.
    """
    from hijridate import Hijri

    if not HIJRI_YEARS[0] <= year <= HIJRI_YEARS[1]:
        raise ValueError(
            f"Hijri year {year} is outside the years the Umm al-Qura table converts "
            f"({HIJRI_YEARS[0]}-{HIJRI_YEARS[1]})"
        )
    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{day}/{month}/{year} AH is not a Hijri date: {exc}") from None
    return date(g.year, g.month, g.day)


def hijri_year_of(day: date) -> int:
    """Return the Hijri (Umm al-Qura) year that contains the Gregorian ``day``.

    Raises
    ------
    ValueError
        When ``day`` is outside the table (before 1924-08-01 or after 2077-11-16).
    """
    from hijridate import Gregorian

    try:
        return Gregorian(day.year, day.month, day.day).to_hijri().year
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{day} is outside the Umm al-Qura table: {exc}") from None


def approx_gregorian_year(hijri_year: int) -> int:
    """Return the Gregorian year in which most of ``hijri_year`` falls (±1 year).

    A Hijri year is about 354.37 days, so it is ``0.9702`` of a Gregorian year, and
    1 AH began in 622 CE. Used only to tell whether a Hijri date that cannot be
    converted could fall in the study period.
    """
    return round(hijri_year * 0.970229 + 621.5643)
