import pytest
from hypothesis import given
from hypothesis import strategies as st

from research.text import (
    ArabicAnalyzer,
    ArabicNormalizer,
    NormalizedText,
    arabic_stop_words,
    arabic_tokenize,
    display_term,
    normalize_arabic,
    strip_proclitics,
    surface_forms,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("الإرهابُ", "الارهاب"),            # diacritic + hamza alef
        ("مكافحــة", "مكافحه"),             # tatweel + teh marbuta
        ("آمال أحمد إبراهيم", "امال احمد ابراهيم"),
        ("مستشفى", "مستشفي"),               # alef maqsura
        ("فى القاهرة", "في القاهره"),       # Egyptian spelling of "in"
        ("عام ٢٠١٩", "عام 2019"),           # Arabic-Indic digits
        ("مصطفى", "مصطفي"),                 # فى inside a word is not the preposition
    ],
)
def test_normalize_examples(raw, expected):
    assert normalize_arabic(raw) == expected


arabic_text = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةـًٌٍَُِّْ ٠١٢فى")),
                      max_size=60)


@given(arabic_text)
def test_normalize_is_idempotent(text):
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once


def test_tokenize_does_not_split_at_diacritics():
    assert arabic_tokenize(normalize_arabic("الإرهابِ والتطرّفِ")) == ["الارهاب", "والتطرف"]


def test_stop_words_cover_common_function_words():
    stop = arabic_stop_words()
    for w in ["في", "فى", "من", "على", "أن", "إلى", "التي", "هذا"]:
        assert normalize_arabic(w) in stop, w
    assert len(stop) > 10_000


def test_analyzer_drops_stop_words_and_joins_clitics():
    grams = ArabicAnalyzer()("أكد الرئيس في القاهرة على أهمية مكافحة الإرهاب والتطرف")
    unigrams = [g for g in grams if " " not in g]
    assert "التطرف" in unigrams and "الارهاب" in unigrams
    assert not set(unigrams) & {"في", "علي", "اكد"}
    assert "مكافحه الارهاب" in grams


def test_proclitics():
    assert strip_proclitics("والتطرف") == "التطرف"
    assert strip_proclitics("وللتعاون") == "التعاون"
    assert strip_proclitics("بالغ") == "بالغ"  # too short to carry the article


def test_analyzer_params_round_trip():
    a = ArabicAnalyzer(ngram_range=(1, 3), extra_stop_words=("السيسي",), strip_clitics=False)
    b = ArabicAnalyzer.from_params(a.get_params())
    text = "الرئيس السيسي يبحث مكافحة الإرهاب والتطرف"
    assert a(text) == b(text)
    assert "السيسي" not in b(text)


def test_surface_forms_restore_spelling():
    forms = surface_forms(["المساعدات الإنسانية لأهالي غزة", "والمساعدات الإنسانيّة"])
    assert display_term("المساعدات الانسانيه", forms) == "المساعدات الإنسانية"


def test_invisible_marks_are_removed_and_spans_still_map_back():
    text = "في \u202b١٨\u200f/٩\u200f/٢٠٢٤\u202c التقى\u200c الرئيس"
    assert normalize_arabic(text) == "في 18/9/2024 التقي الرئيس"
    assert ArabicNormalizer(marks=False)(text) != normalize_arabic(text)
    nt = NormalizedText(text)
    start = nt.norm.index("18")
    assert nt.original(start, start + len("18/9/2024")) == "١٨\u200f/٩\u200f/٢٠٢٤"
    assert nt.original(nt.norm.index("التقي"), len(nt.norm)) == "التقى\u200c الرئيس"
