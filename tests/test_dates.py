"""Arabic date parsing, relative words, historical dates, tenure windows, the calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from research.annotate import (
    RelativeMention,
    Window,
    anchor_bound,
    calendar_from_dict,
    events_table,
    find_dates,
    find_relative,
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


def test_hijri_and_words_that_look_like_months_are_ignored():
    (greg,) = dates_in("يوم الخميس 14/10/1436 هـ الموافق 30/7/2015 م")
    assert greg.as_date() == date(2015, 7, 30)
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
