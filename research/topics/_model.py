"""BERTopic for Arabic news passages, as a scikit-learn style estimator.

:class:`ArabicTopicModel` sets BERTopic up for Arabic and for corpora from five
articles to 100k passages:

* the embeddings are **centred** on the corpus mean and re-normalised before
  clustering: ``multilingual-e5`` vectors are anisotropic (all cosines ≈ 0.8),
  and without centring UMAP + HDBSCAN lump a news corpus into one or two topics;
* UMAP and HDBSCAN are **sized to the corpus** (:func:`size_parameters`); below
  ``min_umap_docs`` documents UMAP cannot build its graph and PCA is used;
* the vectorizer is :class:`research.text.ArabicAnalyzer` (normalised Arabic,
  maintained stop-word list, 1-2 grams), and BERTopic runs with
  ``language="multilingual"`` (its English mode strips every non-ASCII character);
* every stochastic step takes ``random_state``;
* with ``seed_topic_list``, the seeds nudge the embeddings and the topic words as in
  BERTopic's guided mode, but do **not** supervise UMAP (:class:`UnsupervisedReducer`).

New documents are assigned by :meth:`ArabicTopicModel.predict`: a distance-weighted
vote of the ``n_neighbors_predict`` most similar fitted passages in the centred
embedding space, found block by block (:func:`research.topics.neighbour_vote`: memory
grows with the number of passages, not its square). A fitted passage is its own
nearest neighbour, so ``predict`` reproduces the fit; it needs no UMAP or HDBSCAN
object and so reloads exactly from the safe format of :mod:`research.topics`
(``model.json`` + safetensors).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from research.embed import resolve_embedder
from research.text import ArabicAnalyzer, display_term, surface_forms

from ._curation import TopicCuration
from ._interface import BERTopicInterface
from ._space import (
    canonical_numbers,
    canonical_unique,
    center_embeddings,
    majority_of_copies,
    neighbour_vote,
    size_parameters,
    text_keys,
)

__all__ = ["ArabicTopicModel", "UnsupervisedReducer"]

logger = logging.getLogger(__name__)


class UnsupervisedReducer:
    """Wrap a dimensionality reducer so that ``fit`` ignores the target ``y``.

    BERTopic's guided mode labels every document with its most similar seed topic
    (or -1 when the corpus mean is more similar) and passes those labels to UMAP as a
    semi-supervised target. On centred embeddings the corpus mean is close to the
    zero vector, so about two thirds of the documents get a seed label, and the
    categorical target then pulls each seed's documents into one region of the map:
    HDBSCAN finds a few large, loosely related topics per seed (on the SaudiNewsNet
    Sisi subset, the Suez Canal opening, an Iranian agent in Port Sudan and the Nile
    dam in one topic of the "Nile water" seed). The seeds still move the embeddings
    (BERTopic's 3:1 average with the seed embedding) and weight the seed words in
    c-TF-IDF; the map itself stays unsupervised. (PCA, used for tiny corpora, ignores
    ``y`` already.)
    """

    def __init__(self, reducer):
        self.reducer = reducer

    def fit(self, X, y=None):
        from ._umap import fit_umap

        fit_umap(self.reducer, X)  # a UMAP of a small corpus: compiled exact neighbours
        return self

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)

    def transform(self, X):
        return self.reducer.transform(X)


class ArabicTopicModel(BERTopicInterface, TopicCuration, BaseEstimator):
    """BERTopic configured for Arabic passages, following the scikit-learn contract.

    Besides the scikit-learn API it offers what a BERTopic user reaches for
    (:class:`research.topics.BERTopicInterface`: ``fit_transform``, ``transform``,
    ``get_topic_info``, ``get_topic``, ``get_document_info``, ``visualize_*``), and
    :meth:`export_bertopic` writes a folder that plain ``BERTopic.load`` opens.

    Parameters
    ----------
    embedder : research.embed.Embedder, optional
        Embeds documents when ``embeddings`` are not passed to :meth:`fit`, and
        words/seeds inside BERTopic. Default: ``get_embedder()``.
    min_topic_size : int, optional
        HDBSCAN ``min_cluster_size``; sized to the corpus when None.
    n_neighbors, n_components : int, optional
        UMAP sizes; sized to the corpus when None.
    min_samples : int, optional
        HDBSCAN ``min_samples``; sized to the corpus when None.
    cluster_selection_method : {"leaf", "eom"}, default="leaf"
        HDBSCAN cluster selection: "leaf" gives finer, more homogeneous topics; "eom"
        (HDBSCAN's default) fewer, larger ones.
    ngram_range : tuple of int, default=(1, 2)
        n-gram range of the topic words.
    extra_stop_words : tuple of str, default=()
        Stop words added to the maintained Arabic list.
    top_n_words : int, default=10
        Words kept per topic.
    center : bool, default=True
        Centre embeddings on the corpus mean before clustering.
    seed_topic_list : list of list of str, optional
        Guided topic modelling seeds (e.g. from the theme set). They move the
        embeddings towards the seeds and weight the seed words, as in BERTopic's guided
        mode, but are not used as a UMAP target.
    min_umap_docs : int, default=12
        Below this many documents, PCA replaces UMAP.
    outlier_vote : float or None, default=0.5
        Passages that HDBSCAN leaves as outliers join the topic that wins at least this
        share of the similarity-weighted vote of their ``n_neighbors_predict`` nearest
        clustered passages (the vote :meth:`predict` uses for new documents); the
        others stay outliers (``-1``). ``None`` keeps every HDBSCAN outlier. With 0.5
        an outlier joins a topic only when the majority of its neighbourhood is in it;
        on the SaudiNewsNet Sisi subset this took the outlier share from about a third
        to about a tenth and raised NPMI coherence (``benchmarks/bench_topic_quality.py``).
    n_neighbors_predict : int, default=10
        Neighbours voting in :meth:`predict`.
    nr_topics : int, optional
        After the fit, merge the most similar topics until at most this many remain
        (average-linkage agglomerative clustering of the topic centroids in the
        centred embedding space, cosine distance; deterministic); the topic words
        are recomputed. ``None`` keeps HDBSCAN's topics.
    random_state : int, default=0
        Seed for UMAP (and PCA); makes the fit deterministic (UMAP then runs on
        one thread).

    Notes
    -----
    The same text gets the same answer. The fit runs in a canonical order: grouped by
    text, the texts sorted by the SHA-256 of their UTF-8 bytes, so the row order of the
    input does not change the topics. Every copy of a paragraph (wire copy, a repeated
    statement) is fitted, with its text's embedding, so a paragraph weighs in the
    clustering as often as it occurs, as it does in the topic sizes and c-TF-IDF (on
    the SaudiNewsNet passages that mention السيسي, fitting each text once lowered the
    NPMI coherence: ``benchmarks/bench_row_order.py``). UMAP can place the copies of a
    text apart, so each text gets the topic most of its copies get (ties: a topic
    before the outliers, then the lower HDBSCAN number), and every copy gets its
    text's topic. Topics are numbered canonically: by size (copies included,
    largest first), ties by the smallest text hash of their passages; ``-1`` is the
    outlier topic.

    Attributes
    ----------
    bertopic_ : research.topics.VotingBERTopic
        The fitted BERTopic model. Its ``transform`` is this model's neighbour vote
        (embeddings in its own, centred space), and its custom labels
        (``CustomName`` of ``get_topic_info()``) are the ``label`` column of
        :meth:`topic_table`, in the corpus spelling.
    labels_ : ndarray of shape (n_documents,)
        Topic of each document given to :meth:`fit`, in input order; ``-1`` is the
        outlier topic.
    center_ : ndarray of shape (dim,)
        Mean embedding subtracted before clustering (zeros when ``center=False``).
    embeddings_ : ndarray of shape (n_unique, dim)
        Centred, normalised embeddings of the unique fitted texts, in canonical order
        (what ``predict`` compares new documents with).
    embedding_labels_ : ndarray of shape (n_unique,)
        Topic of each row of ``embeddings_``.
    sizes_ : dict
        The UMAP/HDBSCAN/vectorizer sizes used.
    """

    def __init__(
        self,
        embedder=None,
        *,
        min_topic_size: int | None = None,
        n_neighbors: int | None = None,
        n_components: int | None = None,
        min_samples: int | None = None,
        cluster_selection_method: str = "leaf",
        ngram_range: tuple[int, int] = (1, 2),
        extra_stop_words: tuple[str, ...] = (),
        top_n_words: int = 10,
        center: bool = True,
        seed_topic_list: list[list[str]] | None = None,
        min_umap_docs: int = 12,
        outlier_vote: float | None = 0.5,
        n_neighbors_predict: int = 10,
        nr_topics: int | None = None,
        random_state: int = 0,
    ):
        self.embedder = embedder
        self.min_topic_size = min_topic_size
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.min_samples = min_samples
        self.cluster_selection_method = cluster_selection_method
        self.ngram_range = ngram_range
        self.extra_stop_words = extra_stop_words
        self.top_n_words = top_n_words
        self.center = center
        self.seed_topic_list = seed_topic_list
        self.min_umap_docs = min_umap_docs
        self.outlier_vote = outlier_vote
        self.n_neighbors_predict = n_neighbors_predict
        self.nr_topics = nr_topics
        self.random_state = random_state

    # -- helpers ---------------------------------------------------------------------------
    def _get_embedder(self):
        return resolve_embedder(self.embedder)

    def _sizes(self, n: int) -> dict[str, int]:
        sizes = size_parameters(n)
        overrides = {
            "min_cluster_size": self.min_topic_size,
            "n_neighbors": self.n_neighbors,
            "n_components": self.n_components,
            "min_samples": self.min_samples,
        }
        sizes.update({k: int(v) for k, v in overrides.items() if v is not None})
        sizes["n_neighbors"] = min(sizes["n_neighbors"], n - 1)
        return sizes

    def _reducer(self, n: int, sizes: dict[str, int]):
        if n < self.min_umap_docs:
            from sklearn.decomposition import PCA

            return PCA(n_components=min(sizes["n_components"], n - 1),
                       random_state=self.random_state)
        from umap import UMAP

        return UnsupervisedReducer(UMAP(
            n_neighbors=sizes["n_neighbors"],
            n_components=sizes["n_components"],
            min_dist=0.0,
            metric="cosine",
            random_state=self.random_state,
            n_jobs=1,  # seeded UMAP is single-threaded anyway; saying so avoids a warning
        ))

    def _vectorizer(self, min_df: int):
        from sklearn.feature_extraction.text import CountVectorizer

        analyzer = ArabicAnalyzer(ngram_range=tuple(self.ngram_range),
                                  extra_stop_words=tuple(self.extra_stop_words))
        return CountVectorizer(analyzer=analyzer, min_df=min_df)

    # -- estimator API ---------------------------------------------------------------------
    def fit(self, documents: Sequence[str], y=None, embeddings: np.ndarray | None = None):
        """Fit topics on ``documents``.

        Parameters
        ----------
        documents : sequence of str
            Passages.
        y : None
            Ignored.
        embeddings : ndarray of shape (n_documents, dim), optional
            Raw (uncentred) embeddings from ``embedder.embed_passages``; computed
            when None.

        Returns
        -------
        self
        """
        from bertopic.vectorizers import ClassTfidfTransformer
        from hdbscan import HDBSCAN

        from ._backend import EmbedderBackend, VotingBERTopic

        if self.outlier_vote is not None and not 0 < self.outlier_vote <= 1:
            raise ValueError(f"outlier_vote must be in (0, 1] or None, got {self.outlier_vote!r}")
        if self.nr_topics is not None and int(self.nr_topics) < 1:
            raise ValueError(f"nr_topics must be >= 1 or None, got {self.nr_topics!r}")
        documents = [str(d) for d in documents]
        embedder = self._get_embedder()
        if embeddings is None:
            embeddings = embedder.embed_passages(documents, progress=True)
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.shape[0] != len(documents):
            raise ValueError(
                f"embeddings has {embeddings.shape[0]} rows for {len(documents)} documents"
            )
        # canonical order: grouped by text, texts by hash (row order must not change the
        # topics); every copy is fitted with its text's embedding, one topic per text
        keys = text_keys(documents)
        canon, rows = canonical_unique(keys)
        copies = np.bincount(np.searchsorted(canon, keys), minlength=len(canon))
        text_of_row = np.repeat(np.arange(len(canon)), copies)
        fit_docs = [documents[rows[t]] for t in text_of_row]
        n = len(fit_docs)
        sizes = self._sizes(n)
        center = (embeddings[rows[text_of_row]].mean(axis=0, dtype=np.float64)
                  .astype(np.float32) if self.center
                  else np.zeros(embeddings.shape[1], np.float32))
        x = center_embeddings(embeddings[rows], center)
        model = VotingBERTopic(
            language="multilingual",
            embedding_model=EmbedderBackend(embedder, center),
            umap_model=self._reducer(n, sizes),
            hdbscan_model=HDBSCAN(
                min_cluster_size=sizes["min_cluster_size"],
                min_samples=sizes["min_samples"],
                metric="euclidean",
                cluster_selection_method=self.cluster_selection_method,
                prediction_data=True,
            ),
            vectorizer_model=self._vectorizer(sizes["min_df"]),
            ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
            top_n_words=self.top_n_words,
            min_topic_size=sizes["min_cluster_size"],
            seed_topic_list=self.seed_topic_list,
            calculate_probabilities=False,
        )
        # BERTopic's guided modelling overwrites the array in place: indexing copies it
        fitted, _ = model.fit_transform(fit_docs, embeddings=x[text_of_row])
        topics = majority_of_copies(np.asarray(fitted, dtype=np.int64), copies)
        if self.outlier_vote is not None:
            topics = self._assign_outliers(x, topics)
        if self.nr_topics is not None:
            topics = _merge_topics(x, topics, int(self.nr_topics))
        topics = canonical_numbers(topics, copies, canon)
        # topic words and sizes count every copy, in canonical order
        order = np.argsort(np.asarray(keys), kind="stable")
        label_of = dict(zip(canon, topics.tolist(), strict=True))
        all_topics = [label_of[keys[i]] for i in order]
        self._update_topics(model, [documents[i] for i in order], all_topics)
        vocab_tokens = {t for term in model.vectorizer_model.vocabulary_ for t in term.split()}
        forms = surface_forms(documents)
        self.surface_forms_ = {k: v for k, v in sorted(forms.items()) if k in vocab_tokens}
        self.bertopic_ = model
        self.labels_ = np.asarray([label_of[k] for k in keys], dtype=np.int64)
        self.embedding_labels_ = topics
        self.topic_labels_: dict[int, str] = {}
        self.center_ = center.astype(np.float32)
        self.embeddings_ = x
        self.sizes_ = sizes
        self.n_features_in_ = int(embeddings.shape[1])
        self._attach_bertopic()
        logger.info("fitted %d topics on %d documents (%d distinct texts; %d outliers)",
                    len(set(topics.tolist()) - {-1}), len(documents), len(canon),
                    int((self.labels_ == -1).sum()))
        return self

    def _attach_bertopic(self) -> None:
        """Route ``bertopic_.transform`` to the neighbour vote; set the corpus-spelling labels."""
        self.bertopic_.assign_ = self._assign_centred
        table = self.topic_table()
        self.bertopic_.set_topic_labels(dict(zip(table["topic"].tolist(),
                                                 table["label"].tolist(), strict=True)))

    def _assign_centred(self, documents, embeddings=None):
        """``bertopic_.transform``: the vote for documents or centred, normalised embeddings."""
        if embeddings is None:
            return self.transform(documents)
        q = np.asarray(embeddings, dtype=np.float32)
        if q.ndim != 2 or q.shape[1] != self.n_features_in_:
            raise ValueError(f"embeddings must have shape (n, {self.n_features_in_}), "
                             f"got {q.shape}")
        return self._vote(q, temperature=0.05)

    def _update_topics(self, model, documents: list[str], topics: list[int]) -> None:
        """Recompute sizes, c-TF-IDF, topic words and representative documents."""
        from ._backend import representative_documents

        # BERTopic warns that a custom assignment must be the last step, which it is
        bertopic_logger = logging.getLogger("BERTopic")
        level = bertopic_logger.level
        bertopic_logger.setLevel(logging.ERROR)
        try:
            model.update_topics(documents, topics=topics, top_n_words=self.top_n_words,
                                vectorizer_model=model.vectorizer_model,
                                ctfidf_model=model.ctfidf_model)
        finally:
            bertopic_logger.setLevel(level)
        # update_topics keeps the representative documents of the fit's numbering
        model.representative_docs_ = representative_documents(model, documents, topics)

    def _assign_outliers(self, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Give outliers the topic their clustered neighbours vote for (``outlier_vote``)."""
        out, inside = np.flatnonzero(labels == -1), np.flatnonzero(labels != -1)
        if len(out) == 0 or len(inside) == 0:
            return labels
        votes, share = neighbour_vote(x[out], x[inside], labels[inside],
                                      self.n_neighbors_predict)
        new = labels.copy()
        new[out] = np.where(share >= self.outlier_vote, votes, -1)
        logger.info("%d of %d outliers joined a topic by the neighbour vote",
                    int((new[out] != -1).sum()), len(out))
        return new

    def fit_predict(self, documents, y=None, embeddings=None) -> np.ndarray:
        """Fit and return :attr:`labels_`."""
        return self.fit(documents, embeddings=embeddings).labels_

    def predict(
        self,
        documents: Sequence[str] | None = None,
        embeddings: np.ndarray | None = None,
        *,
        return_confidence: bool = False,
        temperature: float = 0.05,
    ):
        """Assign topics to new documents by a weighted vote of their nearest fitted passages.

        Parameters
        ----------
        documents : sequence of str, optional
            Passages to embed (ignored when ``embeddings`` is given).
        embeddings : ndarray of shape (n_samples, dim), optional
            Raw embeddings from the same embedder as the fit.
        return_confidence : bool, default=False
            Also return the winning topic's share of the vote.
        temperature : float, default=0.05
            Softmax temperature on cosine similarity; small values let the nearest
            passage dominate. A text of the fit (same embedding) gets its fitted topic
            with confidence 1, so ``predict`` reproduces the fit.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        confidence : ndarray of shape (n_samples,)
            Only when ``return_confidence``.
        """
        check_is_fitted(self, "labels_")
        if embeddings is None:
            if documents is None:
                raise ValueError("pass documents or embeddings")
            embeddings = self._get_embedder().embed_passages(list(documents))
        q = center_embeddings(np.asarray(embeddings, dtype=np.float32), self.center_)
        if q.shape[1] != self.n_features_in_:
            raise ValueError(
                f"embeddings have dimension {q.shape[1]}, the model was fitted on "
                f"{self.n_features_in_}"
            )
        labels, conf = self._vote(q, temperature=temperature)
        return (labels, conf) if return_confidence else labels

    def _vote(self, q: np.ndarray, *, temperature: float) -> tuple[np.ndarray, np.ndarray]:
        """Topics and vote shares of centred, normalised embeddings ``q`` (see :meth:`predict`)."""
        labels, conf, best, best_sim = neighbour_vote(
            q, self.embeddings_, self.embedding_labels_, self.n_neighbors_predict,
            temperature=temperature, return_nearest=True)
        # a fitted text (its embedding, up to float rounding) gets its fitted topic
        exact = best_sim >= 1 - 1e-6
        labels = np.where(exact, self.embedding_labels_[best], labels)
        conf = np.where(exact, 1.0, conf)
        return labels, conf

    # -- tables ------------------------------------------------------------------------------
    def topic_words(self) -> pd.DataFrame:
        """Return tidy topic words: topic, rank, term (normalised), word (as written), score."""
        check_is_fitted(self, "labels_")
        rows = []
        for topic, reps in sorted(self.bertopic_.topic_representations_.items()):
            kept = [(w, s) for w, s in reps if w and s > 0]
            for rank, (term, score) in enumerate(kept):
                rows.append({"topic": int(topic), "rank": rank, "term": term,
                             "word": display_term(term, self.surface_forms_),
                             "score": float(score)})
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "word", "score"])

    def topic_table(self) -> pd.DataFrame:
        """One row per topic: topic, size, label, top_words, top_terms.

        ``top_words`` are in the corpus spelling and ``top_terms`` normalised as
        modelled, both joined by `` | ``; ``label`` is the topic number and its
        three best words, or the researcher's label (:meth:`set_topic_labels`). Topic
        ``-1`` (outliers) is listed when it has passages.
        """
        words = self.topic_words()
        labels = getattr(self, "topic_labels_", {})
        sizes = self.bertopic_.topic_sizes_  # every copy counted (see the class notes)
        rows = []
        for topic in sorted(self.bertopic_.topic_representations_):
            w = words[words["topic"] == topic]
            display = w["word"].tolist()
            rows.append({
                "topic": int(topic),
                "size": int(sizes.get(topic, 0)),
                "label": (f"{topic}: " + labels[topic] if topic in labels
                          else f"{topic}: " + " · ".join(display[:3]) if topic != -1
                          else "-1: outliers"),
                "top_words": " | ".join(display),
                "top_terms": " | ".join(w["term"]),
            })
        table = pd.DataFrame(rows, columns=["topic", "size", "label", "top_words", "top_terms"])
        return table[(table["topic"] != -1) | (table["size"] > 0)].reset_index(drop=True)

    def save(self, path, **metadata) -> None:
        """Save in the safe format (``model.json`` + safetensors, no pickle)."""
        from ._persistence import save_model

        save_model(self, path, **metadata)

    @classmethod
    def load(cls, path, embedder=None) -> ArabicTopicModel:
        """Load a model saved with :meth:`save` (checksums and embedding model verified)."""
        from ._persistence import load_model

        model = load_model(cls, path, embedder=embedder)
        model._attach_bertopic()
        return model


def _merge_topics(x: np.ndarray, labels: np.ndarray, n_topics: int) -> np.ndarray:
    """Merge topics until at most ``n_topics`` remain (average linkage on centroids, cosine)."""
    topics = sorted(set(labels.tolist()) - {-1})
    if len(topics) <= n_topics:
        return labels
    from sklearn.cluster import AgglomerativeClustering

    centroids = np.stack([x[labels == t].mean(axis=0) for t in topics])
    merged = AgglomerativeClustering(n_clusters=n_topics, metric="cosine",
                                     linkage="average").fit(centroids).labels_
    mapping = dict(zip(topics, merged.tolist(), strict=True))
    return np.asarray([mapping.get(t, -1) for t in labels.tolist()], dtype=np.int64)
