"""Near-duplicate grouping with research.dedup."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from research.corpus import duplicate_table, near_duplicate_groups

LETTERS = list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")


def fake_words(rng: np.random.Generator, n: int) -> list[str]:
    """Made-up Arabic-looking words (no real text needed)."""
    return ["".join(rng.choice(LETTERS, size=rng.integers(3, 7))) for _ in range(n)]


def make_story(seed: int, n_words: int = 80) -> list[str]:
    return fake_words(np.random.default_rng(seed), n_words)


def shingle_set(words: list[str], k: int = 5) -> set[tuple[str, ...]]:
    if len(words) < k:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}


def brute_force_groups(docs: list[list[str]], threshold: float) -> np.ndarray:
    """Reference implementation: exact Jaccard over all pairs, then union-find."""
    sets = [shingle_set(d) for d in docs]
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            a, b = sets[i], sets[j]
            if a and b and len(a & b) >= threshold * len(a | b) - 1e-9:
                ri, rj = find(i), find(j)
                parent[max(ri, rj)] = min(ri, rj)
    return np.array([find(i) for i in range(len(docs))])


def test_wire_story_copies_are_grouped() -> None:
    story = make_story(1, 200)
    other = make_story(2, 200)
    headline_a, headline_b = fake_words(np.random.default_rng(3), 8), fake_words(
        np.random.default_rng(4), 8)
    edited = list(story)
    edited[10], edited[90], edited[170] = "تعديل", "اخر", "كلمه"  # 15 of 196 shingles
    texts = [
        " ".join(headline_a + story),  # 0: the story under one headline
        " ".join(other),  # 1: unrelated
        " ".join(headline_b + story),  # 2: same story, another headline
        " ".join(edited),  # 3: three words changed
        "، ".join(story) + ".",  # 4: punctuation added
        " ".join(make_story(5)),  # 5: unrelated
    ]
    groups = near_duplicate_groups(texts)
    assert groups.dtype == np.int64
    assert groups.tolist() == [0, 1, 0, 0, 0, 5]


def test_normalisation_ignores_diacritics_tatweel_and_alef_forms() -> None:
    base = "أعلن الرئيس إطلاق مبادرة جديدة لدعم التعليم في كل المحافظات خلال العام"
    variant = "أَعْلَنَ الرَّئيسُ اطلاق مبـــادرة جديدة لدعم التعليم في كل المحافظات خلال العام"
    assert near_duplicate_groups([base, variant], threshold=1.0).tolist() == [0, 0]


def test_representative_is_first_member_in_input_order() -> None:
    story = " ".join(make_story(7))
    texts = [" ".join(make_story(8)), " ".join(make_story(9)), story, "x " + story, story + " y"]
    groups = near_duplicate_groups(texts)
    assert groups.tolist() == [0, 1, 2, 2, 2]
    assert np.all(groups[groups] == groups) and np.all(groups <= np.arange(len(texts)))


def test_unrelated_texts_stay_apart() -> None:
    texts = [" ".join(make_story(100 + i)) for i in range(40)]
    assert near_duplicate_groups(texts).tolist() == list(range(40))


def test_deterministic_and_matches_brute_force() -> None:
    rng = np.random.default_rng(0)
    stories = [make_story(200 + i, 60) for i in range(12)]
    docs = []
    for _ in range(60):  # copies of the stories with 0-30 of 60 words replaced
        words = list(stories[rng.integers(len(stories))])
        for pos in rng.choice(len(words), size=rng.integers(0, 30), replace=False):
            words[pos] = "بديل" + str(pos)
        docs.append(words)
    texts = [" ".join(d) for d in docs]
    for threshold in (0.5, 0.7, 0.9):
        first = near_duplicate_groups(texts, threshold=threshold, random_state=0)
        assert np.array_equal(first, near_duplicate_groups(texts, threshold=threshold))
        assert first.tolist() == brute_force_groups(docs, threshold).tolist()
        assert np.array_equal(first, near_duplicate_groups(texts, threshold=threshold,
                                                           random_state=12345))


def test_edge_cases() -> None:
    assert near_duplicate_groups([]).shape == (0,)
    # Texts without words are never grouped; short identical texts are.
    assert near_duplicate_groups(["", "", "...", "مصر", "مصر!", "مصر اليوم"]).tolist() == [
        0, 1, 2, 3, 3, 5]
    with pytest.raises(ValueError, match=r"threshold must be in \(0, 1\], got 0"):
        near_duplicate_groups(["a"], threshold=0)
    with pytest.raises(ValueError, match="shingle_size"):
        near_duplicate_groups(["a"], shingle_size=0)
    with pytest.raises(TypeError, match=r"texts\[1\] is NoneType"):
        near_duplicate_groups(["a", None])  # type: ignore[list-item]


def test_duplicate_table() -> None:
    table = duplicate_table(["a", "b", "c", "d"], np.array([0, 1, 0, 0]))
    expected = pd.DataFrame({
        "article_id": ["a", "b", "c", "d"],
        "dup_group": ["a", "b", "a", "a"],
        "is_representative": [True, True, False, False],
        "group_size": np.array([3, 1, 3, 3], dtype=np.int64),
    })
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert table["group_size"].dtype == np.int64
    with pytest.raises(ValueError, match="shape"):
        duplicate_table(["a"], np.array([0, 0]))
    with pytest.raises(ValueError, match="first member"):
        duplicate_table(["a", "b"], np.array([1, 1]))
    assert duplicate_table([], np.array([], dtype=int)).empty


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["مصر والسعودية", "الرئيس يستقبل الوزير في القاهرة اليوم",
                                 "ارتفاع أسعار النفط", "", "فاز الفريق بالمباراة النهائية امس"]),
                max_size=12))
def test_groups_are_well_formed(texts: list[str]) -> None:
    groups = near_duplicate_groups(texts)
    n = len(texts)
    assert groups.shape == (n,)
    assert np.all(groups[groups] == groups) and np.all(groups <= np.arange(n))
    for i in range(n):  # identical non-empty texts always share a group
        for j in range(i):
            if texts[i] and texts[i] == texts[j]:
                assert groups[i] == groups[j]
