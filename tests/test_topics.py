import numpy as np
import pytest
from sklearn.base import clone

from research.text import arabic_stop_words, is_arabic_word, normalize_arabic
from research.topics import ArabicTopicModel, center_embeddings, size_parameters
from tests.conftest import check_representative_docs


def test_at_least_two_topics_with_arabic_non_stop_words(seeds_model):
    table = seeds_model.topic_table()
    topics = table[table["topic"] != -1]
    assert len(topics) >= 2
    stop = arabic_stop_words()
    for terms, words in zip(topics["top_terms"], topics["top_words"], strict=True):
        for term in terms.split(" | "):
            for token in term.split():
                assert is_arabic_word(token), term
                assert token not in stop, term
        for word in words.split(" | "):
            assert all(normalize_arabic(t) not in stop for t in word.split()), word


def test_fit_is_deterministic(seeds_prepared, seeds_embeddings, seeds_model, embedder):
    again = ArabicTopicModel(embedder).fit(seeds_prepared.passages["text"].tolist(),
                                           embeddings=seeds_embeddings)
    np.testing.assert_array_equal(again.labels_, seeds_model.labels_)
    assert again.topic_table().equals(seeds_model.topic_table())


def test_predict_reproduces_fit(seeds_model, seeds_embeddings):
    labels, conf = seeds_model.predict(embeddings=seeds_embeddings, return_confidence=True)
    np.testing.assert_array_equal(labels, seeds_model.labels_)
    assert ((conf > 0) & (conf <= 1)).all()


def test_estimator_contract(seeds_model):
    fresh = clone(seeds_model)
    assert not hasattr(fresh, "labels_")
    assert fresh.get_params()["random_state"] == 0
    with pytest.raises(Exception, match="not fitted"):
        fresh.predict(embeddings=np.zeros((1, 384), np.float32))


def test_centering_spreads_cosines(seeds_embeddings):
    raw = seeds_embeddings @ seeds_embeddings.T
    c = center_embeddings(seeds_embeddings, seeds_embeddings.mean(axis=0))
    cen = c @ c.T
    off = ~np.eye(len(raw), dtype=bool)
    assert raw[off].mean() > 0.75  # the anisotropy of E5
    assert abs(cen[off].mean()) < 0.1
    np.testing.assert_allclose(np.linalg.norm(c, axis=1), 1.0, atol=1e-5)


def test_size_parameters_scale():
    small, big = size_parameters(30), size_parameters(100_000)
    assert small["min_cluster_size"] == 3 and small["n_neighbors"] <= 6
    assert big["min_cluster_size"] == 100 and big["n_neighbors"] == 15
    assert size_parameters(2400)["min_cluster_size"] == 16
    with pytest.raises(ValueError, match="at least 4"):
        size_parameters(3)


def test_tiny_corpus_uses_pca(embedder):
    docs = ["مكافحة الإرهاب والتطرف في سيناء", "الحرب على الإرهاب وتجفيف منابعه",
            "المساعدات الإنسانية إلى غزة", "وقف إطلاق النار في غزة وتبادل الرهائن",
            "التعاون العسكري والتدريبات المشتركة", "صفقات السلاح والتعاون الدفاعي"]
    model = ArabicTopicModel(embedder, min_topic_size=2).fit(docs)
    assert type(model.bertopic_.umap_model).__name__ == "PCA"
    assert len(model.labels_) == 6


def test_theme_seeds_do_not_supervise_umap():
    # BERTopic's guided mode passes seed labels as UMAP's target y; the wrapper drops them
    from research.topics import ArabicTopicModel, UnsupervisedReducer

    seen = []

    class Recorder:
        def fit(self, X, y=None):
            seen.append(y)
            return self

        def fit_transform(self, X, y=None):
            seen.append(y)
            return X[:, :2]

        def transform(self, X):
            return X[:, :2]

    x = np.ones((6, 4))
    wrapped = UnsupervisedReducer(Recorder())
    assert wrapped.fit_transform(x, y=[0, 1, -1, 0, 1, -1]).shape == (6, 2)
    assert wrapped.fit(x, y=[0] * 6) is wrapped
    assert seen == [None, None]
    reducer = ArabicTopicModel(random_state=3)._reducer(200, {"n_neighbors": 14,
                                                             "n_components": 5})
    assert isinstance(reducer, UnsupervisedReducer) and reducer.reducer.random_state == 3


def test_compiled_exact_neighbours_give_umaps_own_embedding():
    """fit_umap computes UMAP's small-data neighbours in one compiled loop: same map."""
    from umap import UMAP

    from research.topics import exact_cosine_neighbours, fit_umap

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(6, 32))
    x = (centres[rng.integers(0, 6, 120)] + 0.8 * rng.normal(size=(120, 32))).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    for n_components, min_dist in ((5, 0.0), (2, 0.1)):
        params = dict(n_neighbors=10, n_components=n_components, min_dist=min_dist,
                      metric="cosine", random_state=0, n_jobs=1)
        expected = UMAP(**params).fit_transform(x)
        reducer = UMAP(**params)
        assert np.array_equal(fit_umap(reducer, x).embedding_, expected)
        # the given parameters are left as they were
        assert reducer.precomputed_knn == (None, None, None)
        assert reducer.force_approximation_algorithm is False
    # the neighbours are UMAP's: self first, distances ascending, int32 indices
    idx, dist = exact_cosine_neighbours(x, 10)
    assert idx.dtype == np.int32 and dist.dtype == np.float32 and idx.shape == (120, 10)
    assert (idx[:, 0] == np.arange(120)).all() and (np.diff(dist, axis=1) >= 0).all()
    # ties: equal distances in ascending index order; far pairs are disconnected
    twins = np.repeat(x[:1], 4, axis=0)
    idx, dist = exact_cosine_neighbours(np.vstack([twins, -x[:1]]), 5,
                                        disconnection_distance=1.5)
    assert idx[1].tolist() == [0, 1, 2, 3, -1] and dist[1, 4] == np.inf


def test_knn_vote_weights_neighbours_by_similarity():
    from research.topics import knn_vote

    sims = np.array([[0.9, 0.8, 0.1, 0.85], [0.1, 0.2, 0.95, 0.3]])
    labels = np.array([0, 0, 1, 2])
    winners, share = knn_vote(sims, labels, k=3, temperature=1e6)  # ~equal weights
    assert winners.tolist() == [0, 1] and share[0] == pytest.approx(2 / 3, abs=1e-4)
    winners, share = knn_vote(sims, labels, k=1)
    assert winners.tolist() == [0, 1] and np.allclose(share, 1.0)


def test_outliers_join_a_topic_only_by_majority_vote(seeds_prepared, seeds_embeddings,
                                                     embedder):
    from research.topics import knn_vote

    texts = seeds_prepared.passages["text"].tolist()
    kept = ArabicTopicModel(embedder, outlier_vote=None, min_topic_size=5, min_samples=5).fit(
        texts, embeddings=seeds_embeddings)
    voted = ArabicTopicModel(embedder, outlier_vote=0.5, min_topic_size=5, min_samples=5).fit(
        texts, embeddings=seeds_embeddings)
    # the vote runs on the unique texts the model was fitted on (embeddings_ rows)
    before, after = kept.embedding_labels_, voted.embedding_labels_
    assert len(before) == len(kept.embeddings_) <= len(texts)
    assert (before == -1).any()  # otherwise this test checks nothing
    inside = np.flatnonzero(before != -1)
    # clustered texts keep their partition; numbers may change (canonical by size)
    pairs = set(zip(before[inside].tolist(), after[inside].tolist(), strict=True))
    assert len(pairs) == len({b for b, _ in pairs}) == len({a for _, a in pairs})
    renumber = dict(pairs)
    out = np.flatnonzero(before == -1)
    votes, share = knn_vote(kept.embeddings_[out] @ kept.embeddings_[inside].T,
                            before[inside], kept.n_neighbors_predict)
    expected = np.where(share >= 0.5, [renumber[v] for v in votes.tolist()], -1)
    np.testing.assert_array_equal(after[out], expected)
    assert (after == -1).sum() <= (before == -1).sum()
    # every copy of a text carries its text's topic
    topic_of: dict[str, set[int]] = {}
    for text, topic in zip(texts, voted.labels_.tolist(), strict=True):
        topic_of.setdefault(text, set()).add(topic)
    assert all(len(t) == 1 for t in topic_of.values())
    # BERTopic's sizes and words follow the new assignment, counting every copy
    sizes = voted.bertopic_.get_topic_info().set_index("Topic")["Count"]
    for topic, size in zip(*np.unique(voted.labels_, return_counts=True), strict=True):
        assert sizes[topic] == size
    with pytest.raises(ValueError, match="outlier_vote"):
        ArabicTopicModel(embedder, outlier_vote=1.5).fit(texts, embeddings=seeds_embeddings)


def test_outlier_vote_threshold_on_both_sides():
    """Hand-built neighbourhoods: a clear majority joins, a three-way split stays -1."""
    model = ArabicTopicModel()  # the default threshold is the one a run uses
    rng = np.random.default_rng(0)
    axes = np.eye(8, dtype=np.float32)
    clustered = np.concatenate([axes[t] + 0.01 * rng.standard_normal((4, 8)).astype(np.float32)
                                for t in range(3)])
    labels = np.repeat([0, 1, 2], 4)
    majority = axes[0] * 0.9 + axes[1] * 0.1  # nearest to topic 0
    split = (axes[0] + axes[1] + axes[2]) / 3  # equally near topics 0, 1, 2: share 1/3
    x = np.concatenate([clustered, [majority, split]])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    new = model._assign_outliers(x, np.concatenate([labels, [-1, -1]]))
    np.testing.assert_array_equal(new[:12], labels)  # clustered passages never move
    assert new[12] == 0
    assert new[13] == -1


def test_topic_hierarchy_merges_every_topic_once(seeds_prepared, seeds_model):
    texts = seeds_prepared.passages["text"].tolist()
    table = seeds_model.hierarchical_topics(texts, seeds_model.labels_)
    n = len(set(seeds_model.labels_.tolist()) - {-1})
    assert len(table) == n - 1  # a binary tree over n topics
    assert table["parent"].tolist() == list(range(n, 2 * n - 1))
    assert table["distance"].is_monotonic_increasing
    assert table.iloc[-1]["topics"] == " | ".join(map(str, range(n)))
    assert table["words"].str.len().gt(0).all()
    # the same documents in another order: the same hierarchy
    order = np.random.default_rng(1).permutation(len(texts))
    again = seeds_model.hierarchical_topics([texts[i] for i in order],
                                            seeds_model.labels_[order])
    assert again.equals(table)
    with pytest.raises(ValueError, match="topics for"):
        seeds_model.hierarchical_topics(texts, seeds_model.labels_[:-1])


def test_hierarchy_linkage_from_a_hand_built_table():
    import pandas as pd

    from research.plotting import hierarchy_linkage

    # topics 0-3: 1 and 3 merge first (4), then 0 with 2 (5), then both (6)
    table = pd.DataFrame({"parent": [4, 5, 6], "left": [3, 0, 5], "right": [1, 2, 4],
                          "distance": [0.2, 0.5, 0.9], "n_topics": [2, 2, 4]})
    z, leaves = hierarchy_linkage(table)
    assert leaves == [0, 1, 2, 3]
    np.testing.assert_array_equal(z, [[1, 3, 0.2, 2], [0, 2, 0.5, 2], [4, 5, 0.9, 4]])
    broken = table.assign(left=[3, 6, 5])  # 5 would merge 6, formed after it
    with pytest.raises(ValueError, match="formed after it"):
        hierarchy_linkage(broken)


def _tied_space():
    """Hand-built unit vectors whose dot products are exact in float32, with many ties.

    Rows are one of a few directions (coordinates 0, +-1/2, +-1, so every product is a
    small dyadic fraction, exact in any summation order), repeated so that most queries
    have several items at the same similarity.
    """
    dirs = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0.5, 0.5, 0.5, 0.5],
                     [0.5, -0.5, 0.5, -0.5], [-1, 0, 0, 0], [0, 0, 1, 0]], dtype=np.float32)
    rng = np.random.default_rng(4)
    items = dirs[rng.integers(0, len(dirs), size=57)]
    queries = dirs[rng.integers(0, len(dirs), size=23)]
    labels = rng.integers(-1, 4, size=len(items))
    return queries, items, labels


@pytest.mark.parametrize("block_rows", [1, 2, 3, 7, None])
@pytest.mark.parametrize("k", [1, 4, 10, 57, 80])
def test_chunked_neighbours_equal_the_dense_stable_argsort(block_rows, k):
    from research.topics import top_k_similar

    queries, items, _ = _tied_space()
    sims = queries @ items.T
    assert len(np.unique(sims)) < 10  # ties everywhere: the order is the tie-break
    kk = min(k, len(items))
    dense = np.argsort(-sims, axis=1, kind="stable")[:, :kk]
    idx, got = top_k_similar(queries, items, k, block_rows=block_rows)
    np.testing.assert_array_equal(idx, dense)
    np.testing.assert_array_equal(got, np.take_along_axis(sims, dense, axis=1))


@pytest.mark.parametrize("block_rows", [1, 5, None])
def test_chunked_vote_equals_the_dense_vote(block_rows):
    from research.topics import knn_vote, neighbour_vote

    queries, items, labels = _tied_space()
    for temperature in (0.05, 1.0, 1e6):
        dense = knn_vote(queries @ items.T, labels, 10, temperature=temperature)
        got = neighbour_vote(queries, items, labels, 10, temperature=temperature,
                             block_rows=block_rows)
        np.testing.assert_array_equal(got[0], dense[0])
        np.testing.assert_array_equal(got[1], dense[1])
    # on unconstrained float data, one block is the dense product: identical too
    rng = np.random.default_rng(1)
    q, it = rng.standard_normal((40, 16)), rng.standard_normal((300, 16))
    q = (q / np.linalg.norm(q, axis=1, keepdims=True)).astype(np.float32)
    it = (it / np.linalg.norm(it, axis=1, keepdims=True)).astype(np.float32)
    lab = rng.integers(0, 6, size=300)
    dense = knn_vote(q @ it.T, lab, 10)
    got = neighbour_vote(q, it, lab, 10)
    np.testing.assert_array_equal(got[0], dense[0])
    np.testing.assert_array_equal(got[1], dense[1])


def test_neighbours_validate_their_input():
    from research.topics import top_k_similar

    x = np.eye(3, dtype=np.float32)
    with pytest.raises(ValueError, match="block_rows"):
        top_k_similar(x, x, 2, block_rows=0)
    with pytest.raises(ValueError, match="k must be"):
        top_k_similar(x, x, 0)
    with pytest.raises(ValueError, match="same number of columns"):
        top_k_similar(x, x[:, :2], 1)
    idx, sims = top_k_similar(x[:0], x, 2)
    assert idx.shape == sims.shape == (0, 2)


def test_seeds_vote_in_one_query_blocks_matches_one_block(seeds_model, seeds_embeddings):
    from research.topics import center_embeddings, neighbour_vote

    q = center_embeddings(seeds_embeddings, seeds_model.center_)
    args = (q, seeds_model.embeddings_, seeds_model.embedding_labels_, 10)
    one = neighbour_vote(*args, return_nearest=True)
    tiny = neighbour_vote(*args, block_rows=1, return_nearest=True)
    np.testing.assert_array_equal(tiny[0], one[0])
    np.testing.assert_array_equal(tiny[2], one[2])
    np.testing.assert_allclose(tiny[1], one[1], rtol=1e-5)
    # predict: every seed passage gets its fitted topic (its own nearest neighbour)
    np.testing.assert_array_equal(seeds_model.predict(embeddings=seeds_embeddings),
                                  seeds_model.labels_)


def test_majority_of_copies_on_hand_built_rows():
    from research.topics import majority_of_copies

    copies = np.array([1, 3, 2, 2, 3])
    labels = np.array([5,          # one copy: its own topic
                       2, 2, -1,   # a majority
                       -1, 4,      # tied with the outliers: the topic wins
                       3, 1,       # tied topics: the lower number
                       -1, -1, 7])  # a majority of outliers stays -1
    np.testing.assert_array_equal(majority_of_copies(labels, copies), [5, 2, 4, 1, -1])
    with pytest.raises(ValueError, match="11 labels for 12 copies"):
        majority_of_copies(labels, np.array([1, 3, 2, 2, 4]))


def test_every_copy_is_fitted_and_gets_its_texts_topic(seeds_prepared, seeds_embeddings,
                                                      embedder):
    """Copies weigh in the fit (the sizes follow every row) and share one topic."""
    texts = seeds_prepared.passages["text"].tolist()
    extra = [0, 0, 0, 7]  # three more copies of passage 0, one of passage 7
    docs = texts + [texts[i] for i in extra]
    emb = np.concatenate([seeds_embeddings, seeds_embeddings[extra]])
    model = ArabicTopicModel(embedder).fit(docs, embeddings=emb)
    assert size_parameters(len(docs)) != size_parameters(len(texts))  # else this checks nothing
    assert model.sizes_ == size_parameters(len(docs))
    assert len(model.embeddings_) == len(texts)  # predict compares with each text once
    for i in sorted(set(extra)):
        copies = [j for j, d in enumerate(docs) if d == texts[i]]
        assert len(set(model.labels_[copies].tolist())) == 1
    # row order does not matter, copies included
    order = np.random.default_rng(0).permutation(len(docs))
    again = ArabicTopicModel(embedder).fit([docs[j] for j in order], embeddings=emb[order])
    np.testing.assert_array_equal(again.labels_, model.labels_[order])
    check_representative_docs(model, docs, model.labels_.tolist())  # copies: distinct
    assert again.bertopic_.representative_docs_ == model.bertopic_.representative_docs_


def test_representative_docs_follow_the_final_topics(seeds_prepared, seeds_model):
    check_representative_docs(seeds_model, seeds_prepared.passages["text"].tolist(),
                              seeds_model.labels_.tolist())
