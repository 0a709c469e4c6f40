"""Gazetteer loading, name variants, title resolution by date, primary counterpart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from research.annotate import (
    ROLES,
    Gazetteer,
    choose_counterpart,
    extract_mentions,
    find_titles,
    format_mentions,
    has_meeting_cue,
    load_gazetteer,
    resolve_title,
)
from research.text import NormalizedText, normalize_arabic

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def names(gaz: Gazetteer, text: str) -> list[str]:
    return [m.person_id for m in gaz.find_names(normalize_arabic(text))]


# ----------------------------------------------------------------------------- gazetteer
def test_bundled_gazetteer_covers_required_countries_and_egypt(gaz):
    countries = {p.country for p in gaz.persons.values()}
    assert {"US", "FR", "RU", "GB", "DE", "CN", "SA", "AE", "IL", "PS", "EG"} <= countries
    for pid in (
        "abdel-fattah-el-sisi",
        "sameh-shoukry",
        "badr-abdelatty",
        "sedki-sobhy",
        "mohamed-zaki",
        "abbas-kamel",
        "hassan-rashad",
        "khaled-fawzy",
        "bassam-radi",
    ):
        assert gaz.persons[pid].country == "EG"
    assert all(t.role in ROLES for p in gaz.persons.values() for t in p.tenures)
    assert gaz.person("Mike Pompeo").id == "mike-pompeo"
    assert gaz.person("بومبيو").id == "mike-pompeo"
    with pytest.raises(KeyError, match="no gazetteer person"):
        gaz.person("Nobody Atall")


def _mini(**person) -> dict:
    base = {
        "id": "x",
        "name": "X",
        "country": "US",
        "aliases": ["اكس"],
        "tenures": [{"role": "envoy", "start": "2015-01-01", "end": "2016-01-01"}],
    }
    base.update(person)
    return {"countries": {"US": {"name": "US"}, "EG": {"name": "Egypt"}}, "persons": [base]}


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"tenures": [{"role": "king", "start": "2015-01-01"}]},
            "unknown role of tenures.*allowed: head_of_state",
        ),
        ({"country": "ZZ"}, "unknown country of person 'x'.*allowed"),
        (
            {"tenures": [{"role": "envoy", "start": "2016-01-01", "end": "2015-01-01"}]},
            "ends .* before it starts",
        ),
        ({"tenures": [{"role": "envoy", "start": "01/02/2015"}]}, "not an ISO date"),
        (
            {"tenures": [{"role": "envoy", "start": "2015-01-01", "precision": "week"}]},
            "precision.*allowed: day",
        ),
    ],
)
def test_gazetteer_validation_names_the_problem(change, message):
    with pytest.raises(ValueError, match=message):
        Gazetteer.from_dict(_mini(**change))


def test_duplicate_full_alias_is_rejected():
    data = _mini()
    data["persons"].append({"id": "y", "name": "Y", "country": "US", "aliases": ["اكس"]})
    with pytest.raises(ValueError, match="alias 'اكس' is given to both 'x' and 'y'"):
        Gazetteer.from_dict(data)


# ----------------------------------------------------------------------------- names
@pytest.mark.parametrize(
    "text, pid",
    [
        ("بومبيو", "mike-pompeo"),
        ("مايك بومبيو", "mike-pompeo"),
        ("ماتيس", "jim-mattis"),
        ("جيمس ماتيس", "jim-mattis"),
        ("بلينكن", "antony-blinken"),
        ("أنتوني بلينكن", "antony-blinken"),
        ('"أنتوني بلينكن"', "antony-blinken"),
        ("كوتس", "dan-coats"),
        ("دانيال كوتس", "dan-coats"),
        ("دان كوتس", "dan-coats"),
        ("إيمييه", "bernard-emie"),
        ("برنار إيمييه", "bernard-emie"),
        ("برنارد إيمييه", "bernard-emie"),
        ("ترامب", "donald-trump"),
        ("ترمب", "donald-trump"),
        ("ماكرون", "emmanuel-macron"),
        ("كيري", "john-kerry"),
        ("بايدن", "joe-biden"),
        ("بوتين", "vladimir-putin"),
        ("الملك سلمان", "king-salman"),
        ("محمد بن سلمان", "mohammed-bin-salman"),
        ("عبدالفتاح السيسي", "abdel-fattah-el-sisi"),
        ("عبد الفتاح السيسى", "abdel-fattah-el-sisi"),
        # proclitics, diacritics, tatweel
        ("وماتيس", "jim-mattis"),
        ("لبلينكن", "antony-blinken"),
        ("للملك سلمان", "king-salman"),
        ("بُومْبِيو", "mike-pompeo"),
        ("مـاتـيـس", "jim-mattis"),
    ],
)
def test_name_variants(gaz, text, pid):
    assert names(gaz, f"قال {text} اليوم") == [pid]


def test_longest_spelling_wins_and_weak_aliases_need_a_full_one(gaz):
    assert names(gaz, "التقى محمد بن سلمان") == ["mohammed-bin-salman"]  # not King Salman
    assert names(gaz, "حضر عباس كامل") == ["abbas-kamel"]  # not Mahmoud Abbas
    assert names(gaz, "قال عباس إن") == []  # bare weak alias
    assert names(gaz, "الرئيس محمود عباس. وأكد عباس") == ["mahmoud-abbas", "mahmoud-abbas"]
    assert names(gaz, "الماتيسية ومكرونة") == []  # no match inside other words


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["بومبيو", "بلينكن", "إيمييه", "محمد بن سلمان", "عبد الفتاح السيسي"]),
    st.lists(
        st.sampled_from(["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0640"]),
        min_size=1,
        max_size=4,
    ),
    st.integers(min_value=1, max_value=4),
)
def test_diacritics_and_tatweel_never_change_the_match(name, marks, pos):
    gaz = load_gazetteer()
    expected = names(gaz, name)
    pos = min(pos, len(name) - 1)
    noisy = name[:pos] + "".join(marks) + name[pos:]
    if name[pos - 1] == " ":
        return  # marks on a space are not Arabic text
    assert names(gaz, noisy) == expected


# ----------------------------------------------------------------------------- titles
SECSTATE = "وزير الخارجية الأمريكي"


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2015, 8, 2), ("john-kerry",)),
        (date(2017, 6, 1), ("rex-tillerson",)),
        (date(2019, 1, 10), ("mike-pompeo",)),
        (date(2024, 6, 10), ("antony-blinken",)),
        (date(2025, 6, 1), ("marco-rubio",)),
    ],
)
def test_title_resolves_to_office_holder_at_date(gaz, day, expected):
    mentions, _ = extract_mentions(normalize_arabic(f"استقبل الرئيس {SECSTATE}"), gaz, day, day)
    assert [m.candidates for m in mentions if m.via == "title"] == [expected]


def test_title_spanning_several_holders_is_ambiguous(gaz):
    norm = normalize_arabic(f"التقى السيسي {SECSTATE} لبحث الأوضاع")
    mentions, _ = extract_mentions(norm, gaz, date(2017, 3, 16), date(2019, 8, 15))
    (title,) = [m for m in mentions if m.via == "title"]
    assert title.candidates == ("rex-tillerson", "mike-pompeo") and title.person_id is None
    cp = choose_counterpart(norm, mentions, gaz)
    assert cp.person_id == "" and cp.country == "US" and cp.role == "foreign_minister"
    assert "Rex Tillerson or Mike Pompeo" in cp.note


@pytest.mark.parametrize(
    "text, day, expected",
    [
        ("رئيس جهاز الاستخبارات الوطنية الأمريكي", date(2018, 5, 1), "dan-coats"),
        ("مدير وكالة الاستخبارات المركزية الأمريكية", date(2018, 1, 5), "mike-pompeo"),
        ("مدير وكالة الاستخبارات المركزية الأمريكية", date(2022, 1, 5), "william-burns"),
        ("رئيس جهاز الاستخبارات الفرنسي", date(2021, 3, 10), "bernard-emie"),
        ("خادم الحرمين الشريفين", date(2015, 7, 31), "king-salman"),
        ("خادم الحرمين الشريفين", date(2014, 12, 1), "king-abdullah-bin-abdulaziz"),
        ("ولي ولي العهد", date(2015, 7, 30), "mohammed-bin-salman"),
        ("ولي العهد السعودي", date(2015, 7, 30), "mohammed-bin-nayef"),
        ("الرئيس المصري", date(2019, 1, 10), "abdel-fattah-el-sisi"),
        ("رئيس الوزراء الإسرائيلي", date(2022, 1, 1), "naftali-bennett"),
        ("المستشارة الألمانية", date(2018, 1, 1), "angela-merkel"),
    ],
)
def test_role_titles_without_names(gaz, text, day, expected):
    (t,) = find_titles(normalize_arabic(f"وقال {text} إن"), gaz)
    assert resolve_title(t, gaz, day, day) == (expected,)


def test_title_next_to_a_name_is_attached_not_resolved(gaz):
    norm = normalize_arabic(
        "بحث وزير الدفاع الأميركي جيمس ماتيس مع دانيال كوتس، رئيس جهاز الاستخبارات الوطنية الأمريكى"
    )
    mentions, _ = extract_mentions(norm, gaz)
    assert [(m.person_id, m.role, m.titled, m.via) for m in mentions] == [
        ("jim-mattis", "defense_minister", True, "name"),
        ("dan-coats", "intelligence_chief", True, "name"),
    ]


def test_counterpart_title_takes_the_role_of_the_egyptian_subject(gaz):
    norm = normalize_arabic("والتقى وزير الدفاع المصري، الفريق أول صدقي صبحي، مع نظيره الأميركي")
    mentions, _ = extract_mentions(norm, gaz, date(2017, 12, 2), date(2017, 12, 2))
    assert [m.person_id for m in mentions] == ["sedki-sobhy", "jim-mattis"]


def test_former_officials_are_marked(gaz):
    norm = normalize_arabic("قال وزير الخارجية الأمريكي السابق جون كيري")
    (m,) = extract_mentions(norm, gaz)[0]
    assert m.person_id == "john-kerry" and m.former


# ----------------------------------------------------------------------------- primary
def test_egyptian_officials_are_counted_but_never_the_counterpart(gaz):
    norm = normalize_arabic(
        "استقبل الرئيس عبد الفتاح السيسي اليوم وزير الخارجية سامح شكري "
        "واللواء عباس كامل رئيس المخابرات العامة"
    )
    mentions, _ = extract_mentions(norm, gaz, date(2019, 1, 1), date(2019, 1, 1))
    assert {gaz.persons[m.person_id].country for m in mentions} == {"EG"}
    assert choose_counterpart(norm, mentions, gaz).person_id == ""
    assert "Sameh Shoukry:1" in format_mentions(mentions, gaz)


def test_greeted_official_is_not_the_counterpart(gaz):
    norm = normalize_arabic(
        "استقبل الرئيس السيسي برنار إيمييه رئيس جهاز الاستخبارات الخارجية "
        "الفرنسي. وطلب منه نقل تحياته إلى الرئيس إيمانويل ماكرون. ونقل تحيات "
        "ماكرون إلى السيسي."
    )
    mentions, _ = extract_mentions(norm, gaz)
    assert choose_counterpart(norm, mentions, gaz).person_id == "bernard-emie"


@pytest.mark.parametrize(
    "stem, expected",
    [
        ("000_01aeee41cd1430c7", "mike-pompeo"),
        ("001_970751b9ad7a4582", "jim-mattis"),
        ("002_25fe7f9002335ffe", "antony-blinken"),
        ("003_632c1272aabde735", "dan-coats"),
        ("004_177a8408c150f05d", "bernard-emie"),
    ],
)
def test_primary_counterpart_of_the_seeds(gaz, stem, expected):
    nt = NormalizedText((SEEDS / f"{stem}.txt").read_text(encoding="utf-8"))
    mentions, _ = extract_mentions(nt.norm, gaz)
    cp = choose_counterpart(nt.norm, mentions, gaz)
    assert cp.person_id == expected
    assert 0 < cp.confidence <= 1
    assert cp.evidence and "السيس" in nt.original(*cp.evidence)


def test_format_mentions_sorted_by_count_then_name(gaz):
    text = (SEEDS / "001_970751b9ad7a4582.txt").read_text(encoding="utf-8")
    norm = normalize_arabic(text)
    mentions, _ = extract_mentions(norm, gaz, date(2017, 12, 2), date(2017, 12, 2))
    parts = [p.rsplit(":", 1) for p in format_mentions(mentions, gaz).split("; ")]
    keys = [(-int(c), n) for n, c in parts]
    assert keys == sorted(keys)
    assert parts[0][0] == "Jim Mattis" and ("Sedki Sobhy", "2") in [tuple(p) for p in parts]


@pytest.mark.parametrize(
    "sentence, cue",
    [
        ("استقبل الرئيس السيسي", True),
        ("وبحث الجانبان", True),
        ("تلقى اتصالا هاتفيا", True),
        ("خلال زيارته للقاهرة", True),
        ("بزيارة إلى مصر", True),
        ("ارتفعت أسعار النفط", False),
    ],
)
def test_meeting_cues(sentence, cue):
    assert has_meeting_cue(normalize_arabic(sentence)) is cue


# ----------------------------------------------------------------- engagement, not mention
# Each trap is a short article of our own; the right value is the engagement the
# article reports (or none).
def _annotate(title: str, body: str, day: date = date(2019, 1, 12)):
    from research.annotate import annotate_text

    return annotate_text(title, body, reference_date=day)


def test_quoted_official_on_another_subject_is_no_engagement():
    ann = _annotate(
        "السيسي يصدر قرارا بتعديل قانون الانتخابات البرلمانية",
        "أصدر الرئيس عبد الفتاح السيسي اليوم قرارا بتعديل بعض أحكام قانون مجلس النواب، "
        "وذلك قبل الانتخابات البرلمانية المقبلة.\n"
        "وقال وزير الخارجية الأمريكي مايك بومبيو إن بلاده تتابع الأوضاع في المنطقة عن كثب.")
    assert ann.counterpart.name == "" and ann.counterpart.engagement_type == "none"
    assert "Mike Pompeo" in ann.people_mentioned


def test_list_of_leaders_is_no_engagement():
    ann = _annotate(
        "قائمة أقوى زعماء العالم",
        "جاء الرئيس الأمريكي دونالد ترامب والرئيس الروسي فلاديمير بوتين والرئيس المصري "
        "عبد الفتاح السيسي في قائمة المجلة السنوية لأكثر الشخصيات تأثيرا في العالم.")
    assert ann.counterpart.name == ""
    assert {"Donald Trump", "Vladimir Putin"} <= {p.split(":")[0] for p in
                                                   ann.people_mentioned.split("; ")}


def test_officials_own_cable_to_a_third_country_is_no_engagement():
    ann = _annotate(
        "السيسي يتفقد مشروعات الطرق الجديدة",
        "تفقد الرئيس عبد الفتاح السيسي اليوم عددا من مشروعات الطرق الجديدة في شرق القاهرة.\n"
        "من جهة أخرى، بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز برقية عزاء إلى "
        "الرئيس الفرنسي إيمانويل ماكرون في ضحايا الحادث.")
    assert ann.counterpart.name == ""


def test_two_foreign_officials_meeting_each_other_is_no_engagement():
    ann = _annotate(
        "كيري يلتقي لافروف في جنيف",
        "التقى وزير الخارجية الأمريكي جون كيري نظيره الروسي سيرجي لافروف في جنيف اليوم، "
        "فيما أكد الرئيس عبد الفتاح السيسي في كلمة له بالقاهرة أهمية الحل السياسي في سوريا.",
        day=date(2015, 8, 2))
    assert ann.counterpart.name == ""


def test_ministers_meeting_is_a_note_not_the_counterpart():
    ann = _annotate(
        "شكري يلتقي نظيره الأمريكي",
        "استقبل وزير الخارجية سامح شكري اليوم في القاهرة وزير الخارجية الأمريكي جون كيري، "
        "ونقل إليه تحيات الرئيس عبد الفتاح السيسي.", day=date(2015, 8, 2))
    assert ann.counterpart.name == ""
    assert ("minister_engagement", "Sameh Shoukry with John Kerry") in ann.notes


def test_several_engagements_the_headline_is_primary_the_others_listed():
    ann = _annotate(
        "السيسي يستقبل وزير الدفاع الأمريكي جيمس ماتيس في القاهرة",
        "استقبل الرئيس عبد الفتاح السيسي اليوم في القاهرة وزير الدفاع الأمريكي جيمس ماتيس "
        "وبحث معه التعاون العسكري ومكافحة الإرهاب.\n"
        "وكان الرئيس السيسي قد تلقى أمس اتصالا هاتفيا من الرئيس الفرنسي إيمانويل ماكرون.",
        day=date(2017, 12, 2))
    cp = ann.counterpart
    assert (cp.name, cp.engagement_type) == ("Jim Mattis", "hosted")
    assert cp.others == ("Emmanuel Macron",)
    assert ann.row()["other_engagements"] == "Emmanuel Macron"


def test_engagement_types():
    call = _annotate("", "تلقى الرئيس عبد الفتاح السيسي اتصالا هاتفيا اليوم من الرئيس الفرنسي "
                         "إيمانويل ماكرون بحثا خلاله الأوضاع في ليبيا.", day=date(2019, 1, 12))
    assert (call.counterpart.name, call.counterpart.engagement_type) == ("Emmanuel Macron", "call")
    cable = _annotate("", "تلقى الرئيس عبد الفتاح السيسي برقية تهنئة من خادم الحرمين الشريفين "
                          "الملك سلمان بن عبدالعزيز بمناسبة ذكرى ثورة 23 يوليو 1952.",
                      day=date(2015, 7, 23))
    assert cable.counterpart.engagement_type == "message"
    assert cable.counterpart.name == "King Salman bin Abdulaziz"
    abroad = _annotate("", "وصل الرئيس عبد الفتاح السيسي إلى باريس اليوم في زيارة رسمية، "
                           "والتقى الرئيس الفرنسي إيمانويل ماكرون في قصر الإليزيه.",
                       day=date(2019, 1, 12))
    assert abroad.counterpart.engagement_type == "visit_abroad"
    metaphor = _annotate("", "أكد الرئيس عبد الفتاح السيسي وولي العهد السعودي الأمير محمد بن "
                             "سلمان أنهما أوصلا رسالة قوية للمتآمرين على المنطقة.",
                         day=date(2015, 8, 1))
    assert metaphor.counterpart.name == ""  # a metaphorical "message" is no engagement


def test_history_and_invitations_are_not_the_reported_engagement():
    history = _annotate("", "وسبق أن التقى الرئيس عبد الفتاح السيسي رئيس الوزراء الإثيوبي "
                            "هايلي ماريام ديسالين في الخرطوم.", day=date(2015, 7, 22))
    assert history.counterpart.name == ""
    invited = _annotate("", "دعا الرئيس عبد الفتاح السيسي خادم الحرمين الشريفين الملك سلمان إلى "
                            "زيارة مصر.", day=date(2015, 7, 30))
    assert invited.counterpart.name == ""
    announced = _annotate("", "قالت مصادر إن الرئيس اليمني عبد ربه منصور هادي سيلتقي خلال "
                              "زيارته إلى القاهرة مع الرئيس عبد الفتاح السيسي.",
                          day=date(2015, 8, 5))
    assert announced.counterpart.name == "Abdrabbuh Mansur Hadi"
    assert announced.counterpart.planned and announced.counterpart.engagement_type == "hosted"


def test_press_interview_is_no_engagement():
    ann = _annotate("", "أكد الرئيس القبرصي نيكوس أناستاسيادس في لقاء خص به الصحيفة أن علاقته "
                        "بالرئيس عبد الفتاح السيسي وثيقة.", day=date(2015, 8, 2))
    assert ann.counterpart.name == ""
