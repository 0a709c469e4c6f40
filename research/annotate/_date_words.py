"""Arabic date vocabulary: month names, weekday names and ordinal day words.

All words are normalised with :func:`research.arabic.normalize_arabic`.
:func:`word_alternation` turns a word list into a regex alternation.
"""

from __future__ import annotations

import re

__all__ = ["MONTHS", "WEEKDAYS_AR", "ORDINALS", "word_alternation"]

#: Normalised Gregorian month names (Egyptian, Levantine and Maghrebi) to month numbers.
MONTHS = {
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
#: Normalised ordinal day words (الاول ... الحادي والثلاثين) to day numbers.
ORDINALS = {"الاول": 1, "العاشر": 10, "العشرين": 20, "الثلاثين": 30}
ORDINALS.update({u: i + 2 for i, u in enumerate(_UNITS[1:])})
ORDINALS.update({f"{u} عشر": 11 + i for i, u in enumerate(_UNITS)})
ORDINALS.update({f"{u} والعشرين": 21 + i for i, u in enumerate(_UNITS)})
ORDINALS["الحادي والثلاثين"] = 31


def word_alternation(words) -> str:
    r"""Return a regex alternation of normalised words, longest first, spaces as ``\s+``."""
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )
