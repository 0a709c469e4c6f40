"""Arabic date vocabulary: month names of every region, Hijri months, weekdays, ordinals.

All words are normalised with :func:`research.text.normalize_arabic` (hamza forms
unified, ى → ي, ة → ه, diacritics and tatweel removed), so one entry covers
"أبريل"/"إبريل"/"ابريل" or "ذو القعدة"/"ذي القِعدة". :func:`word_alternation` turns
a word list into a regex alternation.

Sources: the month names used by Arab news agencies and dailies, region by region
(Egypt, Sudan and the Gulf: Latin-derived names; the Levant and Iraq: Syriac names;
Morocco and Mauritania: French/Spanish-derived names; Algeria and Tunisia: French
names), and the twelve months of the Hijri calendar with their common spellings.
"""

from __future__ import annotations

import re

__all__ = [
    "AMBIGUOUS_MONTH_WORDS",
    "HIJRI_MONTHS",
    "MONTHS",
    "ORDINALS",
    "WEEKDAYS_AR",
    "word_alternation",
]

_BY_MONTH = {
    1: ("يناير", "كانون الثاني", "كانون ثاني", "كانون 2", "جانفي"),
    2: ("فبراير", "شباط", "فيفري"),
    3: ("مارس", "اذار"),
    4: ("ابريل", "نيسان", "افريل"),
    5: ("مايو", "ماي", "ايار", "مايس"),
    6: ("يونيو", "يونيه", "حزيران", "جوان"),
    7: ("يوليو", "يوليه", "تموز", "يوليوز", "جويليه"),
    8: ("اغسطس", "اب", "غشت", "اوت"),
    9: ("سبتمبر", "ايلول", "شتنبر"),
    10: ("اكتوبر", "تشرين الاول", "تشرين اول", "تشرين 1"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "تشرين 2", "نونبر"),
    12: ("ديسمبر", "كانون الاول", "كانون اول", "كانون 1", "دجنبر"),
}
#: Normalised Gregorian month names of every region to month numbers: Egyptian/Gulf
#: (يناير ... ديسمبر, يونيه, يوليه), Levantine and Iraqi (كانون الثاني ... كانون الأول,
#: numbered "كانون 2"/"تشرين 1", "تشرين أول", Iraqi مايس), Maghrebi (ماي, يوليوز, غشت,
#: شتنبر, نونبر, دجنبر) and Algerian/Tunisian (جانفي, فيفري, أفريل, جوان, جويلية, أوت).
MONTHS: dict[str, int] = {name: m for m, names in _BY_MONTH.items() for name in names}


_HIJRI_BY_MONTH = {
    1: ("محرم", "المحرم"),
    2: ("صفر",),
    3: ("ربيع الاول", "ربيع اول", "ربيع الاولي"),
    4: ("ربيع الثاني", "ربيع الاخر", "ربيع ثاني", "ربيع اخر"),
    5: ("جمادي الاولي", "جمادي الاول", "جمادي اولي", "جمادي اول"),
    6: ("جمادي الاخره", "جمادي الثانيه", "جمادي الاخر", "جمادي الثاني", "جمادي ثاني"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعده", "ذي القعده", "ذا القعده"),
    12: ("ذو الحجه", "ذي الحجه", "ذا الحجه"),
}
#: Normalised Hijri month names (with the ربيع/جمادى and ذو/ذي variants) to month numbers.
HIJRI_MONTHS: dict[str, int] = {n: m for m, names in _HIJRI_BY_MONTH.items() for n in names}

#: Month names that are also common words: "اب" (father), "ماي", "اوت", "مارس" (he
#: practised), "جوان" (a name), and the Hijri "صفر" (zero: "فاز 3 صفر"), "رجب", "شعبان",
#: "رمضان" (names), "محرم" (forbidden). A Gregorian one counts only with a day in
#: digits and/or a year; a Hijri one only with a Hijri year or "هـ".
AMBIGUOUS_MONTH_WORDS = frozenset(
    {"اب", "ماي", "اوت", "مارس", "جوان", "صفر", "رجب", "شعبان", "رمضان", "محرم", "المحرم"}
)

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
    r"""Return a regex alternation of normalised words, longest first, spaces as ``\s*``/``\s+``.

    A word that ends in a digit ("كانون 2") may not be followed by another digit, and
    its space is optional ("كانون2").
    """

    def one(w: str) -> str:
        parts = [re.escape(p) for p in w.split(" ")]
        if w[-1].isdigit():
            return r"\s*".join(parts) + r"(?!\d)"
        return r"\s+".join(parts)

    return "|".join(one(w) for w in sorted(words, key=len, reverse=True))
