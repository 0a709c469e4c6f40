"""Theme set, zero-shot theme scores, article shares, topic mapping and the concept axis."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from research.themes import (
    OTHER,
    ConceptAxis,
    ThemeScorer,
    article_axis_scores,
    article_theme_shares,
    dominant_theme,
    load_themes,
    map_topics_to_themes,
    theme_labels,
    theme_seed_topic_list,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# Seed article id (file-name prefix) -> what the article is about.
SEED_IDS = {"000": "Pompeo", "001": "Mattis", "002": "Blinken", "003": "Coats", "004": "Emie"}


class FakeEmbedder:
    """Bag-of-words embedder: one random vector per normalised word, plus a shared
    offset so that, like E5, all texts have high raw cosines."""

    dim = 256

    def _vec(self, text: str) -> np.ndarray:
        from research.text import arabic_tokenize, normalize_arabic

        offset = np.full(self.dim, 0.6)
        words = arabic_tokenize(normalize_arabic(text))
        if not words:
            return offset / np.linalg.norm(offset)
        vecs = [np.random.default_rng(zlib.crc32(w.encode())).standard_normal(self.dim)
                for w in words]
        v = offset * np.sqrt(self.dim) + np.mean(vecs, axis=0) * 3
        return v / np.linalg.norm(v)

    def embed_passages(self, texts):
        return np.array([self._vec(t) for t in texts], dtype=np.float32)

    embed_queries = embed_passages


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def seed_passages():
    """The seed articles through the pipeline's cleaner and segmenter."""
    from research.text import prepare_passages

    files = sorted(SEEDS.glob("*.txt"))
    articles = pd.DataFrame({"article_id": [f.name[:3] for f in files],
                             "text": [f.read_text(encoding="utf-8") for f in files]})
    return prepare_passages(articles).passages


@pytest.fixture(scope="session")
def seed_embeddings(seed_passages, embedder):
    return embedder.embed_passages(seed_passages["text"].tolist())


@pytest.fixture(scope="session")
def seed_scorer(seed_embeddings, embedder):
    return ThemeScorer(embedder=embedder).fit(seed_embeddings)


@pytest.fixture(scope="session")
def seed_article_themes(seed_passages, seed_embeddings, seed_scorer):
    scores = seed_scorer.transform(seed_embeddings)
    return article_theme_shares(seed_passages, scores, seed_scorer.theme_names_)


# --------------------------------------------------------------------------- theme set
def test_shipped_theme_set_is_valid():
    themes = load_themes()
    ids = [t.id for t in themes]
    assert {"counterterrorism", "gaza_humanitarian"} <= set(ids)
    assert ids[-1] == OTHER and ids.count(OTHER) == 1
    for t in themes[:-1]:
        assert t.name and t.name_ar and t.descriptions and t.seeds
        assert any("\u0600" <= c <= "\u06ff" for c in t.name_ar + t.descriptions[0])
    assert theme_labels()["counterterrorism"].endswith("مكافحة الإرهاب")


@pytest.mark.parametrize("bad, message", [
    ([{"id": "counterterrorism", "name": "x", "name_ar": "س", "descriptions": ["ا"],
       "seeds": ["ب"]}], "gaza_humanitarian"),
    ([{"id": "Bad-Id", "name": "x", "name_ar": "س", "descriptions": ["ا"], "seeds": ["ب"]}],
     "snake_case"),
    ([{"id": "counterterrorism", "name": "x", "name_ar": "س", "descriptions": ["ا"]}], "seed"),
    ([{"id": "counterterrorism", "name": "x", "descriptions": ["ا"], "seeds": ["ب"]}], "name_ar"),
])
def test_invalid_theme_sets_are_rejected(bad, message):
    with pytest.raises(ValueError, match=message):
        load_themes(bad)


def test_duplicate_ids_and_seeded_other_are_rejected():
    base = [t for t in load_themes()]
    with pytest.raises(ValueError, match="duplicate"):
        load_themes(base + [base[0]])
    raw = [{"id": t.id, "name": t.name, "name_ar": t.name_ar,
            "descriptions": list(t.descriptions), "seeds": list(t.seeds)} for t in base[:-1]]
    with pytest.raises(ValueError, match="no seeds"):
        load_themes(raw + [{"id": "other", "name": "o", "name_ar": "أ", "descriptions": ["ا"],
                            "seeds": ["ب"]}])
    assert load_themes(raw)[-1].id == OTHER  # `other` is added when absent


def test_seed_topic_list_is_normalised_vocabulary():
    seeds = theme_seed_topic_list()
    assert len(seeds) == len(load_themes()) - 1
    flat = [w for ws in seeds for w in ws]
    assert "الارهاب" in seeds[0] and "داعش" in seeds[0]
    assert "غزه" in seeds[1] and "المساعدات الانسانيه" in seeds[1]
    assert not any(c in w for w in flat for c in "أإآة")  # normalised like the vectorizer
    assert all(1 <= len(w.split()) <= 2 for w in flat)


# --------------------------------------------------------------------------- scorer
def _fake_corpus():
    themes = load_themes()
    off_topic = ["مباراة كرة القدم انتهت بفوز الفريق بهدفين", "طقس مشمس ودرجات حرارة مرتفعة",
                 "افتتاح معرض الكتاب بحضور الجمهور"]
    texts = [" ".join(t.seeds) for t in themes[:-1]] + off_topic
    return texts, FakeEmbedder().embed_passages(texts)


def test_scorer_follows_the_estimator_contract():
    scorer = ThemeScorer(embedder=FakeEmbedder(), temperature=0.1)
    assert scorer.get_params()["temperature"] == 0.1
    assert not hasattr(scorer, "theme_names_")
    with pytest.raises(NotFittedError):
        scorer.transform(np.zeros((1, 256)))
    texts, X = _fake_corpus()
    assert scorer.fit(X) is scorer
    again = clone(scorer).fit(X)
    np.testing.assert_allclose(again.transform(X), scorer.transform(X))
    assert list(scorer.get_feature_names_out()) == scorer.theme_names_
    with pytest.raises(ValueError, match="features"):
        scorer.transform(np.zeros((2, 10)))


def test_scorer_rows_sum_to_one_and_find_the_theme():
    texts, X = _fake_corpus()
    scorer = ThemeScorer(embedder=FakeEmbedder(), temperature=0.05).fit(X)
    P = scorer.transform(X)
    assert P.shape == (len(texts), len(scorer.theme_names_))
    assert scorer.theme_names_[-1] == OTHER
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    n = len(scorer.theme_names_) - 1
    assert list(scorer.predict(X[:n])) == scorer.theme_names_[:-1]
    assert set(scorer.predict(X[n:])) == {OTHER}  # off-topic text: no theme fits


def test_other_threshold_controls_no_theme_option():
    _, X = _fake_corpus()
    low = ThemeScorer(embedder=FakeEmbedder(), other_threshold=-1.0).fit(X).transform(X)
    high = ThemeScorer(embedder=FakeEmbedder(), other_threshold=2.0).fit(X).transform(X)
    assert low[:, -1].max() < 1e-6
    assert high[:, -1].min() > 0.999


def test_scorer_rejects_bad_parameters():
    _, X = _fake_corpus()
    with pytest.raises(ValueError, match="center"):
        ThemeScorer(embedder=FakeEmbedder(), center="median").fit(X)
    with pytest.raises(ValueError, match="temperature"):
        ThemeScorer(embedder=FakeEmbedder(), temperature=0).fit(X)


# --------------------------------------------------------------------------- aggregation
def test_article_shares_are_length_weighted_and_sum_to_one():
    passages = pd.DataFrame({"article_id": ["b", "b", "a"], "n_words": [10, 30, 5],
                             "n_tokens": [1, 1, 1]})
    scores = np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.8]])
    out = article_theme_shares(passages, scores, ["x", "y"])
    assert list(out.columns) == ["article_id", "theme", "share"]
    assert list(out["article_id"]) == ["b", "b", "a", "a"]  # first-appearance order
    wide = out.pivot(index="article_id", columns="theme", values="share")
    assert wide.loc["b", "x"] == pytest.approx(0.25) and wide.loc["b", "y"] == pytest.approx(0.75)
    np.testing.assert_allclose(wide.sum(axis=1), 1.0)
    by_tokens = article_theme_shares(passages, scores, ["x", "y"], weight="n_tokens")
    assert by_tokens.iloc[0]["share"] == pytest.approx(0.5)
    unnormalised = article_theme_shares(passages, scores * 7, ["x", "y"])
    np.testing.assert_allclose(unnormalised["share"], out["share"])
    as_frame = article_theme_shares(passages, pd.DataFrame(scores, columns=["x", "y"]))
    pd.testing.assert_frame_equal(as_frame, out)


def test_article_shares_handle_zero_weights_and_reject_bad_ones():
    passages = pd.DataFrame({"article_id": ["a", "a"], "n_words": [0, 0]})
    out = article_theme_shares(passages, [[1.0, 0.0], [0.0, 1.0]], ["x", "y"])
    assert list(out["share"]) == [0.5, 0.5]
    with pytest.raises(ValueError, match="n_tokens"):
        article_theme_shares(passages, [[1.0, 0.0], [0.0, 1.0]], ["x", "y"], weight="size")
    with pytest.raises(ValueError, match="non-negative"):
        article_theme_shares(passages.assign(n_words=[-1, 2]), [[1, 0], [0, 1]], ["x", "y"])


def test_dominant_theme_breaks_ties_by_theme_order_and_can_skip_other():
    table = pd.DataFrame({"article_id": ["a"] * 3 + ["b"] * 3,
                          "theme": ["x", "y", OTHER] * 2,
                          "share": [0.3, 0.3, 0.4, 0.5, 0.2, 0.3]})
    assert dominant_theme(table).to_dict() == {"a": OTHER, "b": "x"}
    assert dominant_theme(table, include_other=False)["a"] == "x"


def test_map_topics_to_themes_keeps_evidence():
    ids = [t.id for t in load_themes()]
    k = len(ids)
    scores = np.full((6, k), 0.02)
    scores[:2, ids.index("counterterrorism")] = 1 - 0.02 * (k - 1)
    scores[2:4, ids.index("gaza_humanitarian")] = 1 - 0.02 * (k - 1)
    # topic 2: ambiguous passages; its top words decide.
    scores[4:, ids.index("counterterrorism")] = 0.3
    scores[4:, ids.index("gaza_humanitarian")] = 0.32
    topics = pd.DataFrame({"topic": [-1, 0, 1, 2],
                           "top_words": ["", "الإرهاب | داعش | المنطقة", "غزة | الرهائن",
                                         "الإرهاب | التطرف | الجماعات الإرهابية"]})
    out = map_topics_to_themes(topics, [-1, 0, 1, 1, 2, 2], scores, ids)
    assert list(out.columns[:4]) == ["topic", "theme", "score", "evidence"]
    assert out.set_index("topic")["theme"].to_dict() == {
        -1: OTHER, 0: "counterterrorism", 1: "gaza_humanitarian", 2: "counterterrorism"}
    row = out.set_index("topic").loc[0]
    assert "seed words" in row["evidence"] and "داعش" in row["matched_words"]
    assert row["word_share"] == pytest.approx(2 / 3)
    assert out.set_index("topic").loc[-1, "evidence"].startswith("outlier topic")
    no_words = map_topics_to_themes(topics, [-1, 0, 1, 1, 2, 2], scores, ids, word_weight=0)
    assert no_words.set_index("topic").loc[2, "theme"] == "gaza_humanitarian"


# --------------------------------------------------------------------------- concept axis
def test_concept_axis_maps_poles_to_plus_and_minus_one():
    themes = {t.id: t for t in load_themes()}
    fake = FakeEmbedder()
    axis = ConceptAxis(embedder=fake).fit()
    pole_a = fake.embed_passages(themes["counterterrorism"].prototypes).mean(axis=0)
    pole_b = fake.embed_passages(themes["gaza_humanitarian"].prototypes).mean(axis=0)
    scores = axis.decision_function(np.stack([pole_a, pole_b, (pole_a + pole_b) / 2]))
    np.testing.assert_allclose(scores, [1.0, -1.0, 0.0], atol=1e-5)
    assert axis.transform(pole_a[None]).shape == (1, 1)
    assert list(axis.get_feature_names_out()) == ["counterterrorism_vs_gaza_humanitarian"]
    with pytest.raises(ValueError, match="not a theme"):
        ConceptAxis(pole_a="sports", embedder=fake).fit()


def test_article_axis_score_is_length_weighted_mean():
    passages = pd.DataFrame({"article_id": ["a", "a", "b"], "n_words": [10, 30, 5]})
    out = article_axis_scores(passages, np.array([1.0, -1.0, 0.5]))
    assert out.to_dict() == {"a": pytest.approx(-0.5), "b": pytest.approx(0.5)}


# --------------------------------------------------------------------------- seeds (real model)
def test_seed_articles_dominant_themes(seed_article_themes):
    shares = seed_article_themes.pivot(index="article_id", columns="theme", values="share")
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    dominant = dominant_theme(seed_article_themes)
    expected = {"000": "counterterrorism", "001": "counterterrorism", "002": "gaza_humanitarian",
                "003": "counterterrorism", "004": "counterterrorism"}
    assert dominant.to_dict() == expected, shares.round(2).to_string()
    ct, gaza = shares["counterterrorism"], shares["gaza_humanitarian"]
    assert (ct.drop("002") > 0.25).all() and (gaza.drop("002") < 0.05).all()
    assert gaza["002"] > 0.4 and ct["002"] < 0.05


def test_seed_passages_can_be_other(seed_passages, seed_embeddings, seed_scorer):
    scores = seed_scorer.transform(seed_embeddings)
    np.testing.assert_allclose(scores.sum(axis=1), 1.0, rtol=1e-6)
    # Generic passages ("the US delegations met the president ...") lean to "other";
    # most passages are clearly on a theme.
    other = scores[:, -1]
    assert other.max() > 0.25
    assert np.median(other) < 0.15


def test_seed_concept_axis(seed_passages, seed_embeddings, embedder):
    axis = ConceptAxis(embedder=embedder).fit(seed_embeddings)
    passage_scores = axis.transform(seed_embeddings)
    assert np.abs(passage_scores).max() < 2
    article = article_axis_scores(seed_passages, passage_scores)
    assert article["002"] < -0.2
    assert (article.drop("002") > 0.3).all()
    assert article.idxmin() == "002"


# ------------------------------------------------------------ the researcher's data files
def test_run_data_files_are_validated_with_clear_errors(tmp_path):
    from research.pipeline import RunConfig, run

    def fails(match, **files):
        with pytest.raises((ValueError, FileNotFoundError), match=match):
            run(RunConfig(corpus=str(SEEDS), out=str(tmp_path / "never"), **files))
        assert not (tmp_path / "never").exists()  # checked before anything is written

    bad_theme = tmp_path / "themes.yaml"
    bad_theme.write_text("themes:\n  - {id: Counter Terrorism, name: x, name_ar: y,\n"
                         "     descriptions: [z], seeds: [w]}\n", encoding="utf-8")
    fails(r"themes file .*themes.yaml: theme ids must be snake_case", themes=str(bad_theme))
    not_yaml = tmp_path / "broken.yaml"
    not_yaml.write_text("themes: [unclosed\n", encoding="utf-8")
    fails(r"themes file .*broken.yaml", themes=str(not_yaml))
    bad_gaz = tmp_path / "gaz.yaml"
    bad_gaz.write_text("home_country: EG\ncountries: {EG: {name: Egypt}}\npersons:\n"
                       "  - {id: x, name: X, country: EG, aliases: [س],\n"
                       "     tenures: [{role: king_of_kings}]}\n", encoding="utf-8")
    fails(r"gazetteer file .*gaz.yaml: unknown role .*'king_of_kings'.*allowed: head_of_state",
          gazetteer=str(bad_gaz))
    bad_events = tmp_path / "events.yaml"
    bad_events.write_text("engagements:\n  - {id: e1, counterpart: nobody, date: 2019-01-10}\n",
                          encoding="utf-8")
    fails(r"events file .*events.yaml: engagements \['e1'\] name counterparts that are not",
          events=str(bad_events))
    fails(r"themes file not found", themes=str(tmp_path / "missing.yaml"))


def test_run_copies_its_data_files_and_records_their_hashes(seeds_run):
    import hashlib
    import json

    record = json.loads((seeds_run / "run.json").read_text(encoding="utf-8"))
    files = record["data_files"]
    assert set(files) == {"themes", "gazetteer", "events"}
    for entry in files.values():
        copy = seeds_run / entry["file"]
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == entry["sha256"]
        assert entry["source"].startswith("bundled:")


def test_a_researchers_theme_set_drives_the_run(tmp_path, seeds_run):
    import yaml

    from research.pipeline import rerun_themes
    from research.runs import load_run

    shipped = yaml.safe_load((seeds_run / "inputs" / "themes.yaml").read_text(encoding="utf-8"))
    kept = [t for t in shipped["themes"] if t["id"] != "libya"]
    mine = tmp_path / "my_themes.yaml"
    mine.write_text(yaml.safe_dump({"themes": kept}, allow_unicode=True), encoding="utf-8")
    tables = rerun_themes(seeds_run, mine, out=tmp_path / "rerun")
    assert "libya" not in set(tables["article_themes"]["theme"])
    assert "libya" in set(load_run(seeds_run).article_themes["theme"])  # the run untouched
