"""What a BERTopic user reaches for, on :class:`~research.topics.ArabicTopicModel`.

:class:`BERTopicInterface` is a mixin: the topics come from the model's own
assignment (the neighbour vote of ``predict``), the tables and figures from the
fitted BERTopic object ``bertopic_``, whose custom labels are the model's topic
labels in the corpus spelling (``CustomName`` in :meth:`get_topic_info`; figures use
them by default).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from research.embed import resolve_embedder

from ._space import center_embeddings, document_map, text_keys

__all__ = ["BERTopicInterface"]


class BERTopicInterface:
    """BERTopic's everyday methods for a fitted topic model with ``predict`` and ``bertopic_``.

    ``topics`` are ndarrays of topic numbers (``-1``: outliers); ``probs`` are the
    winning topic's share of the neighbour vote (:meth:`predict` with
    ``return_confidence=True``), one number per document (never a topic distribution):
    1.0 for a text of the fit, which is its own nearest neighbour. Embeddings passed
    here are raw, as for ``fit`` and ``predict``.
    """

    def fit_transform(self, documents: Sequence[str], embeddings: np.ndarray | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
        """Fit, then return each document's topic and vote share (as BERTopic's ``fit_transform``).

        Parameters
        ----------
        documents : sequence of str
            Passages.
        embeddings : ndarray of shape (n_documents, dim), optional
            Raw embeddings (``embedder.embed_passages``); computed when None.

        Returns
        -------
        topics : ndarray of shape (n_documents,)
            :attr:`labels_`.
        probs : ndarray of shape (n_documents,)
            1.0 for every document: a fitted text gets its fitted topic with the whole vote.
        """
        self.fit(documents, embeddings=embeddings)
        return self.labels_.copy(), np.ones(len(self.labels_), dtype=np.float64)

    def transform(self, documents: Sequence[str] | None = None,
                  embeddings: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Assign topics to documents by the neighbour vote (as BERTopic's ``transform``).

        Parameters
        ----------
        documents : sequence of str, optional
            Passages (embedded as passages; ignored when ``embeddings`` is given).
        embeddings : ndarray of shape (n_documents, dim), optional
            Raw embeddings from the fit's embedder.

        Returns
        -------
        topics : ndarray of shape (n_documents,)
        probs : ndarray of shape (n_documents,)
            The winning topic's share of the vote.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            Before ``fit``.
        ValueError
            When neither documents nor embeddings are given, or the embeddings have
            another dimension than the fit's.
        """
        if isinstance(documents, str):
            documents = [documents]
        return self.predict(documents, embeddings, return_confidence=True)

    def get_topic_info(self, topic: int | None = None) -> pd.DataFrame:
        """BERTopic's topic overview: ``Topic, Count, Name, CustomName, Representation, ...``.

        ``CustomName`` is the topic's ``label`` of :meth:`topic_table` (corpus spelling);
        ``Representation`` lists the normalised terms as modelled.
        """
        check_is_fitted(self, "labels_")
        return self.bertopic_.get_topic_info(topic)

    def get_topic(self, topic: int, full: bool = False):
        """BERTopic's ``(term, c-TF-IDF score)`` pairs of ``topic`` (False when it does not exist).

        Terms are normalised as modelled; :meth:`topic_words` has them in the corpus
        spelling too.
        """
        check_is_fitted(self, "labels_")
        return self.bertopic_.get_topic(topic, full=full)

    def get_document_info(self, documents: Sequence[str],
                          embeddings: np.ndarray | None = None) -> pd.DataFrame:
        """One row per document with its topic, as BERTopic's ``get_document_info``.

        Unlike BERTopic's, it takes any documents: their topics come from
        :meth:`transform` (fitted texts get their fitted topics).

        Parameters
        ----------
        documents : sequence of str
        embeddings : ndarray of shape (n_documents, dim), optional
            Raw embeddings; computed when None.

        Returns
        -------
        DataFrame
            ``Document, Topic, Name, CustomName, Representation, Representative_Docs,
            Top_n_words, Probability, Representative_document``, rows in input order;
            ``Probability`` is the vote share.
        """
        documents = [str(d) for d in documents]
        topics, probs = self.transform(documents, embeddings)
        info = self.get_topic_info().drop(columns="Count")
        out = pd.DataFrame({"Document": documents, "Topic": topics.astype(np.int64)})
        out = out.merge(info, on="Topic", how="left")
        words = {t: " - ".join(w for w, _ in self.bertopic_.get_topic(t) or [])
                 for t in set(topics.tolist())}
        out["Top_n_words"] = out["Topic"].map(words)
        out["Probability"] = probs
        representative = {d for docs in (self.bertopic_.representative_docs_ or {}).values()
                          for d in docs}
        out["Representative_document"] = out["Document"].isin(representative)
        return out

    # -- the topic hierarchy ------------------------------------------------------------------
    def hierarchical_topics(self, documents: Sequence[str],
                            topics: Sequence[int] | None = None) -> pd.DataFrame:
        """Merge the topics step by step: BERTopic's ``hierarchical_topics``, as a tidy table.

        BERTopic links the topics' c-TF-IDF vectors (Ward linkage of their cosine
        distances, ``scipy.cluster.hierarchy``) and, at every merge, recomputes the
        words of the merged topic from the documents of its members. Deterministic and
        independent of the order of ``documents``.

        Parameters
        ----------
        documents : sequence of str
            The passages the model was fitted on (any order).
        topics : sequence of int, optional
            Their topics (a run's ``passages.topic``); default :meth:`transform`.

        Returns
        -------
        DataFrame
            One row per merge, from the first (closest) to the root: ``parent``,
            ``left``, ``right`` (topic ids; merged topics are numbered after the
            largest topic, in merge order), ``distance`` (float), ``n_topics`` and
            ``topics`` (the leaf topics under the parent, ``"2 | 6"``) and ``words``
            (the parent's top words in corpus spelling, ``" | "``-joined).

        Raises
        ------
        ValueError
            When ``documents`` and ``topics`` differ in length, or fewer than two
            topics are present.
        """
        from research.text import display_term

        check_is_fitted(self, "labels_")
        documents = [str(d) for d in documents]
        topics = (self.transform(documents)[0] if topics is None
                  else np.asarray(topics, dtype=np.int64))
        if len(topics) != len(documents):
            raise ValueError(f"{len(topics)} topics for {len(documents)} documents")
        if len(set(topics.tolist()) - {-1}) < 2:
            raise ValueError("a hierarchy needs at least two topics")
        # BERTopic joins each topic's documents into one text, so word pairs across two
        # documents depend on their order: canonical order (text hash) makes it none
        keys = text_keys(documents)
        order = sorted(range(len(documents)), key=keys.__getitem__)
        view = copy.copy(self.bertopic_)  # BERTopic reads the documents' topics from topics_
        view.topics_ = [int(topics[i]) for i in order]
        raw = view.hierarchical_topics([documents[i] for i in order])
        raw = raw.assign(parent=raw["Parent_ID"].astype(int)).sort_values("parent")
        rows = []
        for r in raw.itertuples(index=False):
            leaves = sorted(int(t) for t in r.Topics)
            words = [display_term(w, self.surface_forms_)
                     for w in str(r.Parent_Name).split("_")]
            rows.append({"parent": int(r.parent), "left": int(r.Child_Left_ID),
                         "right": int(r.Child_Right_ID), "distance": float(r.Distance),
                         "n_topics": len(leaves), "topics": " | ".join(map(str, leaves)),
                         "words": " | ".join(words)})
        return pd.DataFrame(rows, columns=["parent", "left", "right", "distance", "n_topics",
                                           "topics", "words"])

    # -- figures (plotly, drawn by BERTopic) ----------------------------------------------
    def visualize_topics(self, **kwargs):
        """BERTopic's intertopic distance map (``bertopic_.visualize_topics``).

        Keyword arguments go to BERTopic; ``custom_labels`` defaults to True.
        """
        check_is_fitted(self, "labels_")
        return self.bertopic_.visualize_topics(**{"custom_labels": True, **kwargs})

    def visualize_barchart(self, **kwargs):
        """BERTopic's bar charts of topic words (``bertopic_.visualize_barchart``).

        Keyword arguments go to BERTopic; ``custom_labels`` defaults to True.
        """
        check_is_fitted(self, "labels_")
        return self.bertopic_.visualize_barchart(**{"custom_labels": True, **kwargs})

    def visualize_hierarchy(self, **kwargs):
        """BERTopic's topic dendrogram (``bertopic_.visualize_hierarchy``).

        Keyword arguments go to BERTopic; ``custom_labels`` defaults to True.
        """
        check_is_fitted(self, "labels_")
        return self.bertopic_.visualize_hierarchy(**{"custom_labels": True, **kwargs})

    def visualize_documents(self, documents: Sequence[str], embeddings: np.ndarray | None = None,
                            reduced_embeddings: np.ndarray | None = None, **kwargs):
        """BERTopic's document map of ``documents``, coloured by their topics.

        Parameters
        ----------
        documents : sequence of str
            Any documents: their topics come from :meth:`transform`.
        embeddings : ndarray of shape (n_documents, dim), optional
            Raw embeddings; computed when None.
        reduced_embeddings : ndarray of shape (n_documents, 2), optional
            Coordinates; default :func:`research.topics.document_map` of the centred
            embeddings (the run's ``document_map.csv`` for the run's passages).
        **kwargs
            Passed to BERTopic's ``visualize_documents``; ``custom_labels`` defaults
            to True.

        Returns
        -------
        plotly.graph_objects.Figure
        """
        documents = [str(d) for d in documents]
        if embeddings is None:
            embeddings = resolve_embedder(self.embedder).embed_passages(documents)
        topics, _ = self.transform(documents, embeddings)
        if reduced_embeddings is None:
            reduced_embeddings = document_map(center_embeddings(embeddings, self.center_),
                                              random_state=self.random_state,
                                              min_umap_docs=self.min_umap_docs)
        view = copy.copy(self.bertopic_)  # BERTopic colours the documents by `topics_`
        view.topics_ = topics.tolist()
        return view.visualize_documents(documents, reduced_embeddings=reduced_embeddings,
                                        **{"custom_labels": True, **kwargs})

    # -- interoperability -------------------------------------------------------------------
    def export_bertopic(self, path: str | os.PathLike) -> Path:
        """Write a folder that plain ``BERTopic.load(path)`` opens, without this package.

        See :func:`research.topics.export_bertopic`.
        """
        from ._export import export_bertopic

        return export_bertopic(self, path)
