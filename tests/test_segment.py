import pytest
from hypothesis import given
from hypothesis import strategies as st

from research.text import segment, split_sentences

WORD = st.sampled_from(["الرئيس", "السيسي", "مصر", "غزة.", "الإرهاب،", "التعاون", "2.5", "وأكد"])
BODY = st.lists(st.lists(WORD, min_size=1, max_size=200).map(" ".join), max_size=8).map("\n".join)


def _words(text):
    return "".join(text.split())


@given(BODY, st.integers(0, 40), st.integers(40, 150))
def test_passages_cover_body_in_order(body, min_words, max_words):
    passages = segment(body, min_words=min_words, max_words=max_words)
    assert _words("".join(passages)) == _words(body)
    assert all(p.strip() for p in passages)


def test_sizes_on_seeds(seeds_dir):
    from research.text import clean_article

    for path in seeds_dir.glob("*.txt"):
        passages = segment(clean_article(path.read_text()).body, min_words=25, max_words=120)
        assert len(passages) >= 3
        lengths = [len(p.split()) for p in passages]
        assert max(lengths) <= 240 and min(lengths) >= 25, (path.name, lengths)


def test_long_paragraph_split_at_sentence_end():
    para = " ".join(["جملة طويلة عن التعاون العسكري بين البلدين."] * 40)
    passages = segment(para, min_words=10, max_words=50)
    assert len(passages) > 1
    assert all(p.endswith(".") for p in passages)


def test_sentence_split_without_space_and_decimals():
    assert split_sentences("قال الرئيس.جاء ذلك خلال اللقاء بنسبة 2.5 في المئة.") == [
        "قال الرئيس.", "جاء ذلك خلال اللقاء بنسبة 2.5 في المئة."]


def test_fragments_merged():
    assert segment("عنوان قصير\nفقرة قصيرة أخرى", min_words=10, max_words=50) == [
        "عنوان قصير فقرة قصيرة أخرى"]


def test_empty_and_invalid():
    assert segment("") == []
    with pytest.raises(ValueError, match="min_words"):
        segment("نص", min_words=50, max_words=10)


def test_paragraph_just_over_max_words_is_split():
    # three sentences of 50 words: 150 words, over max_words=120 (not over 2 x 120)
    sentence = " ".join(["كلمة"] * 49) + " نهاية."
    paragraph = " ".join([sentence] * 3)
    parts = segment(paragraph, min_words=25, max_words=120)
    assert [len(p.split()) for p in parts] == [100, 50]
    assert " ".join(parts) == paragraph
