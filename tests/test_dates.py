"""Arabic date parsing, relative words, historical dates, tenure windows, the calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from research.annotate import (
    HIJRI_MONTHS,
    MONTHS,
    WEEKDAYS_AR,
    RelativeMention,
    Window,
    anchor_bound,
    calendar_from_dict,
    dateline_weekday,
    events_table,
    find_dates,
    find_relative,
    find_unreadable_dates,
    hijri_to_gregorian,
    load_events,
    load_gazetteer,
    match_engagements,
    parse_iso_window,
    resolve_relative,
    tenure_window,
)
from research.text import normalize_arabic

PERIOD = (date(2014, 1, 1), date(2025, 12, 31))


def dates_in(text: str) -> list:
    return find_dates(normalize_arabic(text), PERIOD)


# ----------------------------------------------------------------------------- parsing
@pytest.mark.parametrize(
    "text, expected",
    [
        ("التقى الرئيس في 10 يناير 2019 وزير", date(2019, 1, 10)),
        ("التقى الرئيس في ١٠ يناير ٢٠١٩ وزير", date(2019, 1, 10)),
        ("الخميس 30 يوليو 2015 زار", date(2015, 7, 30)),
        ("في 2 ديسمبر (كانون الأول) 2017", date(2017, 12, 2)),
        ("في 11 آذار 2021", date(2021, 3, 11)),
        ("يوم 3 إبريل من عام 2016", date(2016, 4, 3)),
        ("العاشر من يونيو 2024", date(2024, 6, 10)),
        ("الحادي والعشرين من مارس 2024", date(2024, 3, 21)),
        ("بتاريخ 10/3/2021 م", date(2021, 3, 10)),
        ("2024-06-10", date(2024, 6, 10)),
    ],
)
def test_explicit_gregorian_dates(text, expected):
    (d,) = dates_in(text)
    assert d.kind == "full" and not d.historical and d.as_date() == expected


def test_month_year_and_day_month():
    month_year, day_month = dates_in("في يونيو (حزيران) 2024 ثم في 5 مارس")
    assert (month_year.kind, month_year.month, month_year.year) == ("month_year", 6, 2024)
    assert (day_month.kind, day_month.day, day_month.month, day_month.year) == (
        "day_month",
        5,
        3,
        None,
    )


def test_hijri_beside_gregorian_and_words_that_look_like_months():
    # Hijri dates are read now (they were skipped before): both give the same Thursday.
    hijri, greg = dates_in("يوم الخميس 14/10/1436 هـ الموافق 30/7/2015 م")
    assert (hijri.calendar, hijri.as_date(), hijri.weekday) == ("hijri", date(2015, 7, 30), 3)
    assert greg.as_date() == date(2015, 7, 30) and not greg.calendar_conflict
    assert dates_in("زار 3 ابناء والده") == []  # "اب" only counts as a month name on its own


@pytest.mark.parametrize(
    "text, reason",
    [
        ("الدولة الفلسطينية المستقلة على حدود الرابع من يونيو (حزيران) 1967، وعاصمتها", "1967"),
        ("على حدود 4 يونيو 2019", "حدود"),
        ("منذ 25 يناير 2015 والبلاد", "منذ"),
        ("في ذكرى 30 يونيو 2014", "ذكري"),
        ("استقبل في 5 يونيو 2017 الماضي وزيرة", "الماضي"),
        ("الاجتماع المقرر حتى 27 أغسطس 2015 المقبل", "حتي"),
        ("ثورة 23 يوليو 1952", "1952"),
    ],
)
def test_historical_dates_are_rejected(text, reason):
    (d,) = dates_in(text)
    assert d.historical and reason in d.reason


def test_named_days_without_year_are_events():
    (d,) = dates_in("منذ ثورة 30 يونيو والبلاد")
    assert d.historical
    (d,) = dates_in("احتفالات 30 يونيو 2015 بالعاصمة")
    assert not d.historical


def test_seed_with_1967_borders_has_no_usable_date():
    from pathlib import Path

    seed = Path(__file__).resolve().parents[1] / "seeds" / "004_177a8408c150f05d.txt"
    found = find_dates(normalize_arabic(seed.read_text(encoding="utf-8")), PERIOD)
    assert found and all(d.historical for d in found)


# ------------------------------------------------- month names of every region (kind 1)
@pytest.mark.parametrize(
    "text, expected",
    [
        # Egyptian / Gulf spellings
        ("وصل في 3 يونيه 2018", date(2018, 6, 3)),
        ("وصل في 23 يوليه 2018", date(2018, 7, 23)),
        ("في 9 إبريل 2017", date(2017, 4, 9)),
        # Levantine / Iraqi, with the numbered and short forms
        ("في 7 كانون الثاني 2020", date(2020, 1, 7)),
        ("في 7 كانون 2 2020", date(2020, 1, 7)),
        ("في 7 كانون2 2020", date(2020, 1, 7)),
        ("في 15 تشرين 1 2019", date(2019, 10, 15)),
        ("في 15 تشرين أول 2019", date(2019, 10, 15)),
        ("في 4 تشرين ثاني 2019", date(2019, 11, 4)),
        ("في 4 تشرين الثاني 2019", date(2019, 11, 4)),
        ("في 25 كانون الأوّل 2016", date(2016, 12, 25)),
        ("في 25 كانون 1 2016", date(2016, 12, 25)),
        ("في 6 آب 2019", date(2019, 8, 6)),
        ("في 6 أيار 2019", date(2019, 5, 6)),
        ("في 6 مايس 2019", date(2019, 5, 6)),
        # Maghrebi
        ("في 12 ماي 2019", date(2019, 5, 12)),
        ("في 14 يوليوز 2019", date(2019, 7, 14)),
        ("في 20 غشت 2019", date(2019, 8, 20)),
        ("في 3 شتنبر 2019", date(2019, 9, 3)),
        ("في 11 نونبر 2019", date(2019, 11, 11)),
        ("في 31 دجنبر 2019", date(2019, 12, 31)),
        ("في 2 أبريل 2019", date(2019, 4, 2)),
        # Algerian / Tunisian
        ("في 8 جانفي 2020", date(2020, 1, 8)),
        ("في 8 فيفري 2020", date(2020, 2, 8)),
        ("في 8 أفريل 2020", date(2020, 4, 8)),
        ("في 8 جوان 2020", date(2020, 6, 8)),
        ("في 8 جويلية 2020", date(2020, 7, 8)),
        ("في 8 أوت 2020", date(2020, 8, 8)),
        ("الثامن من جويلية 2020", date(2020, 7, 8)),
    ],
)
def test_month_names_of_every_region(text, expected):
    (d,) = dates_in(text)
    assert d.kind == "full" and not d.historical and d.as_date() == expected


@pytest.mark.parametrize(
    "text",
    ["قال أب الضحية", "زار 3 ابناء والده", "الثاني من اب", "ماي", "فاز الفريق 3 صفر",
     "محمد رمضان", "رجب طيب أردوغان", "5 شعبان"],
)
def test_month_words_that_are_common_words_need_a_date_pattern(text):
    assert dates_in(text) == []


def test_ambiguous_month_words_in_a_date_pattern():
    (d,) = dates_in("في آب 2019")
    assert (d.kind, d.month, d.year) == ("month_year", 8, 2019)
    (d,) = dates_in("يوم 5 أوت")
    assert (d.kind, d.day, d.month) == ("day_month", 5, 8)
    (d,) = dates_in("يوم 5 رمضان هـ")
    assert (d.calendar, d.kind, d.day, d.month) == ("hijri", "day_month", 5, 9)


# ----------------------------------------------------------------------------- Hijri (2)
@pytest.mark.parametrize(
    "text, expected",
    [  # known days: Umm al-Qura dates of Ramadan, the Eids, the new year, the Mawlid
        ("1 رمضان 1440 هـ", date(2019, 5, 6)),
        ("الأول من شوال 1440هـ", date(2019, 6, 4)),
        ("10 ذو الحجة 1440 هـ", date(2019, 8, 11)),
        ("10 ذي الحجّة 1440", date(2019, 8, 11)),
        ("1 محرم 1441 هـ", date(2019, 8, 31)),
        ("12 ربيع الأوّل 1441هـ", date(2019, 11, 9)),
        ("12 ربيع أول 1441 هجرية", date(2019, 11, 9)),
        ("1 ربيع الآخر 1441 هـ", hijri_to_gregorian(1441, 4, 1)),
        ("1 ربيع الثاني 1441 هـ", hijri_to_gregorian(1441, 4, 1)),
        ("1 جمادى الأولى 1441 هـ", hijri_to_gregorian(1441, 5, 1)),
        ("1 جمادى الأول 1441 هـ", hijri_to_gregorian(1441, 5, 1)),
        ("1 جمادى الآخرة 1441 هـ", hijri_to_gregorian(1441, 6, 1)),
        ("1 جمادى الثانية 1441 هـ", hijri_to_gregorian(1441, 6, 1)),
        ("15 ذو القعدة 1440 هـ", hijri_to_gregorian(1440, 11, 15)),
        ("15 ذي القعدة 1440 هـ", hijri_to_gregorian(1440, 11, 15)),
        ("27 رجب 1440هـ", hijri_to_gregorian(1440, 7, 27)),
        ("15 شعبان 1440هـ", hijri_to_gregorian(1440, 8, 15)),
        ("1 صفر 1441 هـ", hijri_to_gregorian(1441, 2, 1)),
        ("1/9/1440هـ", date(2019, 5, 6)),
        ("1440/09/01 هـ", date(2019, 5, 6)),
        ("١‏/٩‏/١٤٤٠ هـ", date(2019, 5, 6)),
    ],
)
def test_hijri_dates_are_converted_with_umm_al_qura(text, expected):
    (d,) = dates_in(text)
    assert (d.calendar, d.kind, d.historical) == ("hijri", "full", False)
    assert d.as_date() == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("1 محرم 1300 هـ", "1343-1500"),  # before the Umm al-Qura table
        ("1/1/1501هـ", "1343-1500"),
        ("30 رمضان 1440 هـ", "1-29"),  # Ramadan 1440 had 29 days
        ("1/9/40 هـ", "not written in full"),
    ],
)
def test_hijri_dates_that_cannot_be_converted_are_reported(text, reason):
    assert dates_in(text) == []
    (u,) = find_unreadable_dates(normalize_arabic(text), PERIOD)
    assert reason in u.reason
    with pytest.raises(ValueError, match="1343-1500"):
        hijri_to_gregorian(1300, 1, 1)


def test_hijri_and_gregorian_dates_of_one_day_that_disagree():
    # 5 Ramadan 1440 is Friday 10 May 2019 in Umm al-Qura; the text says Thursday 9 May.
    hijri, greg = dates_in("الخميس 5 رمضان 1440هـ الموافق 9 مايو 2019")
    assert hijri.calendar_conflict and greg.calendar_conflict
    assert (hijri.as_date(), hijri.equivalent) == (date(2019, 5, 10), date(2019, 5, 9))
    assert hijri.weekday == greg.weekday == 3
    assert greg.weekday_agrees(greg.as_date()) and not hijri.weekday_agrees(hijri.as_date())


# ------------------------------------------------------ invisible marks and tatweel (3)
@pytest.mark.parametrize(
    "text",
    [
        "١٨‏/٩‏/٢٠٢٤",
        "‎18/9/2024‎",
        "‫١٨/٩/٢٠٢٤‬",
        "⁧١٨⁩/⁦٩⁩/٢٠٢٤",
        "؜18؜/9/2024",
        "1​8/9/20‍24﻿",
        "18 سبتمـــــبر 2024",
        "18 ‏سبتمبر‏ 2024",
    ],
)
def test_invisible_marks_and_tatweel_do_not_hide_a_date(text):
    (d,) = dates_in(text)
    assert d.as_date() == date(2024, 9, 18)


# --------------------------------------------------------------- unreadable dates (6)
@pytest.mark.parametrize(
    "text, reason",
    [
        ("وصل في 12 سبتمر 2019 إلى", "no month is called"),
        ("بتاريخ 35/10/2019", "no calendar day"),
        ("بتاريخ 31/02/2019", "no calendar day"),
        ("في 30 فبراير 2019", "no calendar day"),
    ],
)
def test_date_like_expressions_that_cannot_be_read_are_found(text, reason):
    assert dates_in(text) == []
    (u,) = find_unreadable_dates(normalize_arabic(text), PERIOD)
    assert reason in u.reason and not u.historical


@pytest.mark.parametrize(
    "text",
    ["صدر القانون رقم 12 لسنة 2019", "قتل 12 شخصا 2019", "خصص 5 ملايين 2019", "الإصدار 1.2.3456",
     "الدورة 12 للبطولة 2019", "المادة 5 من قانون 2019"],
)
def test_numbers_before_a_year_are_not_unreadable_dates(text):
    assert find_unreadable_dates(normalize_arabic(text), PERIOD) == []


def test_month_first_numeric_date_is_read():
    (d,) = dates_in("بتاريخ 10/20/2019")
    assert d.as_date() == date(2019, 10, 20)


# ----------------------------------------------------------------------- weekdays (5)
def test_weekday_named_with_a_date():
    (d,) = dates_in("الاثنين 18 سبتمبر 2024")
    assert d.weekday == 0 and not d.weekday_agrees(d.as_date())  # 18 Sep 2024: Wednesday
    (d,) = dates_in("يوم الأربعاء الموافق 18 سبتمبر 2024")
    assert d.weekday == 2 and d.weekday_agrees(d.as_date())
    (d,) = dates_in("في 18 سبتمبر 2024 (الأربعاء)")
    assert d.weekday == 2


@pytest.mark.parametrize(
    "text, weekday",
    [
        ("القاهرة - الخميس:\nاستقبل الرئيس", 3),
        ("الرياض، الاثنين (واس) - استقبل", 0),
        ("الأربعاء، 18 سبتمبر 2024\nاستقبل", 2),
        ("استقبل الرئيس يوم الخميس وزير", None),  # in a sentence: a relative word, no dateline
        ("يعقد الرئيس، اليوم الخميس، جلسة", None),
    ],
)
def test_dateline_weekday(text, weekday):
    assert dateline_weekday(normalize_arabic(text)) == weekday


# ------------------------------------------------------------------------ properties
_RAW_SPELLINGS = {  # as written, before normalisation
    1: ["كانون الثاني"], 3: ["آذار"], 4: ["أبريل", "إبريل", "أفريل"], 5: ["أيار"],
    8: ["أغسطس", "آب", "أوت"], 9: ["أيلول"], 10: ["أكتوبر", "تشرين الأوّل"],
    12: ["كانون الأول"],
}  # fmt: skip
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
study_day = st.dates(min_value=PERIOD[0], max_value=PERIOD[1])


@given(study_day, st.data(), st.booleans(), st.booleans(), st.booleans())
def test_any_date_in_any_month_spelling_round_trips(day, data, weekday, indic, year_word):
    names = [n for n, m in MONTHS.items() if m == day.month] + _RAW_SPELLINGS.get(day.month, [])
    name = data.draw(st.sampled_from(names))
    text = f"{day.day} {name} {'من عام ' if year_word else ''}{day.year}"
    if indic:
        text = text.translate(_ARABIC_DIGITS)
    if weekday:
        text = f"{WEEKDAYS_AR[day.weekday()]} {text}"
    (d,) = dates_in(f"التقى الرئيس {text} وزير")
    assert d.as_date() == day and not d.historical
    assert d.weekday_agrees(day)


@given(study_day, st.data())
def test_any_hijri_date_in_any_spelling_round_trips(day, data):
    from hijridate import Gregorian

    h = Gregorian(day.year, day.month, day.day).to_hijri()
    name = data.draw(st.sampled_from([n for n, m in HIJRI_MONTHS.items() if m == h.month]))
    suffix = data.draw(st.sampled_from(["هـ", " هـ", " هجري", ""]))
    (d,) = dates_in(f"في {h.day} {name} {h.year}{suffix} استقبل")
    assert d.calendar == "hijri" and d.as_date() == day


_MARKS = ["\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
          "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\u200c", "\u200d", "\ufeff",
          "\u0640"]  # fmt: skip


@given(
    st.sampled_from(["١٨/٩/٢٠٢٤", "18 سبتمبر 2024", "الأربعاء 18 أيلول 2024", "2024-09-18"]),
    st.lists(st.tuples(st.integers(0, 30), st.sampled_from(_MARKS)), max_size=6),
)
def test_marks_inserted_anywhere_do_not_change_the_date(text, inserts):
    for pos, mark in inserts:
        pos = min(pos, len(text))
        text = text[:pos] + mark + text[pos:]
    (d,) = dates_in(text)
    assert d.as_date() == date(2024, 9, 18)


# ----------------------------------------------------------------------------- relative
@pytest.mark.parametrize(
    "text, offset, weekday",
    [
        ("يعقد الرئيس، اليوم الخميس، جلسة", 0, 3),
        ("في القاهرة أمس،", -1, None),
        ("التقى مساء أمس الأربعاء", -1, 2),
        ("أول أمس", -2, None),
        ("يزور مصر غداً", 1, None),
        ("يغادر يوم غد", 1, None),
    ],
)
def test_relative_words(text, offset, weekday):
    (r,) = find_relative(normalize_arabic(text))
    assert (r.offset, r.weekday) == (offset, weekday)


@pytest.mark.parametrize("text", ["اليوم الوطني", "صحيفة اليوم", "حتى اليوم", "أمسية شعرية"])
def test_relative_words_that_are_not_dates(text):
    assert find_relative(normalize_arabic(text)) == []


def test_bare_weekday_past_and_future():
    past, future = find_relative(
        normalize_arabic("استقبل يوم الأحد الماضي وفدا. ومن المقرر أن يزور كيري مصر يوم الأحد")
    )
    assert (past.offset, past.weekday, past.direction) == (None, 6, "past")
    assert future.direction == "future"
    sat = date(2015, 8, 1)
    assert resolve_relative(past, sat) == (date(2015, 7, 26), True)
    assert resolve_relative(future, sat) == (date(2015, 8, 2), True)


def test_resolve_relative_prefers_the_named_weekday():
    thursday = RelativeMention(0, 1, "اليوم الخميس", 0, 3)
    assert resolve_relative(thursday, date(2019, 1, 10)) == (date(2019, 1, 10), True)
    # reference lags publication: Saturday reference, "today Thursday" -> two days back
    assert resolve_relative(thursday, date(2019, 1, 12)) == (date(2019, 1, 10), False)
    yesterday = RelativeMention(0, 1, "أمس", -1, None)
    assert resolve_relative(yesterday, date(2017, 12, 3)) == (date(2017, 12, 2), True)


# ----------------------------------------------------------------------------- windows
@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_tenure_intersection(gaz):
    window, evidence, conflicts = tenure_window(
        [("jim-mattis", "defense_minister"), ("sedki-sobhy", "defense_minister")], gaz
    )
    assert window.hull() == (date(2017, 1, 20), date(2018, 6, 14))
    assert len(evidence) == 2 and not conflicts


def test_tenure_role_selects_the_office(gaz):
    secstate, _, _ = tenure_window([("mike-pompeo", "foreign_minister")], gaz)
    anyrole, _, _ = tenure_window([("mike-pompeo", None)], gaz)
    assert secstate.hull() == (date(2018, 4, 26), date(2021, 1, 20))
    assert anyrole.hull() == (date(2017, 1, 23), date(2021, 1, 20))


def test_tenure_conflicts_are_reported_not_intersected(gaz):
    window, _, conflicts = tenure_window(
        [("antony-blinken", "foreign_minister"), ("rex-tillerson", "foreign_minister")], gaz
    )
    assert window.hull() == (date(2021, 1, 26), date(2025, 1, 20))
    assert conflicts and "Rex Tillerson" in conflicts[0]


def test_trump_has_two_terms(gaz):
    window, _, _ = tenure_window([("donald-trump", None)], gaz)
    assert window.contains(date(2019, 1, 1)) and window.contains(date(2025, 6, 1))
    assert not window.contains(date(2022, 1, 1))


day = st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))


@given(day, day, day, day)
def test_window_intersection_is_commutative_and_a_subset(a, b, c, d):
    w1, w2 = Window.between(min(a, b), max(a, b)), Window.between(min(c, d), max(c, d))
    both = w1.intersect(w2)
    assert both == w2.intersect(w1)
    if not both.empty:
        lo, hi = both.hull()
        assert w1.contains(lo) and w2.contains(hi)
        assert both.days() <= min(w1.days(), w2.days())


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2019-01-10", (date(2019, 1, 10), date(2019, 1, 10))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2018", (date(2018, 1, 1), date(2018, 12, 31))),
        ("2018-01-18/2019-08-15", (date(2018, 1, 18), date(2019, 8, 15))),
    ],
)
def test_parse_iso_window(value, expected):
    assert parse_iso_window(value) == expected


@pytest.mark.parametrize(
    "value", ["10/01/2019", "2019-13-01", "2019-02-30", "yesterday", "2019-05-01/2019-01-01"]
)
def test_parse_iso_window_errors(value):
    with pytest.raises(ValueError):
        parse_iso_window(value)


# ----------------------------------------------------------------------------- calendar
@pytest.fixture(scope="module")
def cal():
    return load_events()


def test_bundled_calendar_refers_to_gazetteer_people(cal, gaz):
    assert cal.engagements and cal.anchors
    assert cal.unknown_counterparts(gaz) == []
    assert all(e.source for e in cal.engagements)


def test_engagement_needs_window_weekday_and_place(cal):
    norm = normalize_arabic(
        "يعقد الرئيس اليوم الخميس بمقر رئاسة الجمهورية في مصر الجديدة جلسة مباحثات"
    )
    window = Window.between(date(2018, 4, 26), date(2021, 1, 20))
    matches, _ = match_engagements(cal, "mike-pompeo", window, norm, weekday=3)
    assert [e.id for e in matches] == ["pompeo-cairo-2019-01-10"]
    matches, rejected = match_engagements(cal, "mike-pompeo", window, norm, weekday=2)
    assert matches == [] and "Thursday" in rejected[0]
    coats, rejected = match_engagements(
        cal, "dan-coats", Window.between(*PERIOD), normalize_arabic("زيارة القاهرة")
    )
    assert coats == [] and "does not name Washington" in rejected[0]


def test_window_picks_one_of_several_engagements(cal):
    norm = normalize_arabic("في القاهرة")
    after_rawda = Window.between(date(2017, 11, 24), date(2018, 6, 14))
    matches, _ = match_engagements(cal, "jim-mattis", after_rawda, norm)
    assert [e.date for e in matches] == [date(2017, 12, 2)]
    both, _ = match_engagements(cal, "jim-mattis", Window.between(*PERIOD), norm)
    assert len(both) == 2


def test_anchor_bounds_the_window_from_below(cal):
    hit = anchor_bound(
        normalize_arabic("التعازي في ضحايا الحادث الذي استهدف مسجد الروضة بشمال سيناء"), cal
    )
    assert hit and hit[0].date == date(2017, 11, 24)
    assert anchor_bound(normalize_arabic("لا شيء هنا"), cal) is None


def test_calendar_validation():
    with pytest.raises(ValueError, match="unknown kind 'party'"):
        calendar_from_dict(
            {
                "engagements": [
                    {"id": "a", "counterpart": "x", "date": "2019-01-01", "kind": "party"}
                ]
            }
        )
    with pytest.raises(ValueError, match="not an ISO date"):
        calendar_from_dict({"engagements": [{"id": "a", "counterpart": "x", "date": "Jan 2019"}]})
    cal = calendar_from_dict(
        {"anchors": [{"id": "b", "date": "2020-01-01", "patterns": ["كورونا"]}]}
    )
    assert cal.anchors[0].date - timedelta(days=1) == date(2019, 12, 31)


def test_calendar_entry_needs_a_date():
    with pytest.raises(ValueError, match="engagement 'a': None is not an ISO date"):
        calendar_from_dict({"engagements": [{"id": "a", "counterpart": "x"}]})


def test_events_table():
    calendar = calendar_from_dict({"engagements": [
        {"id": "b", "counterpart": "antony-blinken", "date": "2024-06-10", "place": "Cairo"},
        {"id": "m", "counterpart": "jim-mattis", "date": "2017-12-02"},
    ]})
    events = events_table(calendar, load_gazetteer())
    assert list(events["label"]) == ["Jim Mattis", "Antony Blinken (Cairo)"]
    assert list(events["counterpart_id"]) == ["jim-mattis", "antony-blinken"]
    assert events["date"].iloc[0] == pd.Timestamp("2017-12-02")
    assert list(events_table(calendar)["counterpart"]) == ["Jim Mattis", "Antony Blinken"]
    shipped = events_table(load_events(), load_gazetteer())
    assert list(shipped.columns[:2]) == ["date", "label"]
    assert shipped["date"].is_monotonic_increasing and len(shipped) >= 10


def test_dates_of_the_last_study_year_are_the_articles():
    # the study period (research/data/counterparts.yaml) ends with 2025
    period = load_gazetteer().period
    assert period[1].year == 2025
    last = find_dates(normalize_arabic("التقى الرئيس السيسي يوم 10 يناير 2025 بالوفد."), period)
    after = find_dates(normalize_arabic("التقى الرئيس السيسي يوم 10 يناير 2026 بالوفد."), period)
    first = find_dates(normalize_arabic("التقى الرئيس السيسي يوم 10 يناير 2014 بالوفد."), period)
    assert [d.historical for d in last + first + after] == [False, False, True]
