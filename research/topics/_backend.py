"""BERTopic's embedding backend, and the BERTopic object of an ArabicTopicModel.

:class:`EmbedderBackend` embeds with a :class:`research.embed.Embedder`;
:class:`VotingBERTopic` is the ``bertopic_`` that
:class:`research.topics.ArabicTopicModel` holds; :func:`representative_documents`
picks its representative documents for the final topics.

This module imports BERTopic when it is imported; :mod:`research.topics` imports it
only inside :meth:`~research.topics.ArabicTopicModel.fit` and model loading, so that
importing the package loads nothing heavy.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from bertopic import BERTopic
from bertopic.backend import BaseEmbedder

from ._space import center_embeddings

__all__ = ["EmbedderBackend", "VotingBERTopic", "representative_documents"]


class EmbedderBackend(BaseEmbedder):
    """BERTopic backend that embeds with a :class:`research.embed.Embedder`.

    Documents are embedded as passages, words and seed terms as queries. With
    ``center``, the vector is subtracted and rows re-normalised
    (:func:`research.topics.center_embeddings`), which is how
    :class:`research.topics.ArabicTopicModel` removes the anisotropy of E5 embeddings.

    Parameters
    ----------
    embedder : research.embed.Embedder
    center : ndarray of shape (dim,), optional
    """

    def __init__(self, embedder, center: np.ndarray | None = None):
        super().__init__()
        self.embedder = embedder
        self.center = center

    def _post(self, x: np.ndarray) -> np.ndarray:
        return x if self.center is None else center_embeddings(x, self.center)

    def embed(self, documents, verbose=False):
        """Embed documents as passages, shape (n_documents, dim)."""
        return self._post(self.embedder.embed_passages(list(documents), progress=verbose))

    def embed_documents(self, document, verbose=False):
        """Embed documents as passages (alias of :meth:`embed`)."""
        return self.embed(document, verbose)

    def embed_words(self, words, verbose=False):
        """Embed words and seed terms as queries, shape (n_words, dim)."""
        return self._post(self.embedder.embed_queries(list(words), progress=verbose))


class VotingBERTopic(BERTopic):
    """The BERTopic object of an :class:`~research.topics.ArabicTopicModel` (its ``bertopic_``).

    A BERTopic in every respect except :meth:`transform`, which runs the owning
    model's neighbour vote (:meth:`research.topics.ArabicTopicModel.predict`) instead of
    BERTopic's own assignment: after a reload BERTopic has no UMAP or HDBSCAN and
    would assign by cosine to the topic embeddings, silently disagreeing with
    ``predict``. The owner sets :attr:`assign_` after fitting and loading.

    Attributes
    ----------
    assign_ : callable or None
        ``assign_(documents, embeddings) -> (topics, probs)``; ``embeddings`` are in
        this object's space (centred and normalised, as its ``embedding_model``
        returns them). None on a copy that no model owns: :meth:`transform` then
        refuses.
    """

    assign_: Callable | None = None

    def transform(self, documents, embeddings=None, images=None):
        """Assign topics by the owning model's neighbour vote.

        Parameters
        ----------
        documents : str or list of str
            Documents (ignored when ``embeddings`` is given).
        embeddings : ndarray of shape (n_documents, dim), optional
            Centred, normalised embeddings, as ``self.embedding_model.embed``
            returns them.
        images : None
            Not supported.

        Returns
        -------
        topics : ndarray of shape (n_documents,)
        probs : ndarray of shape (n_documents,)
            The winning topic's share of the vote.

        Raises
        ------
        RuntimeError
            When no :class:`~research.topics.ArabicTopicModel` owns this object.
        ValueError
            When ``images`` are passed.
        """
        if self.assign_ is None:
            raise RuntimeError(
                "this BERTopic object is not attached to an ArabicTopicModel: assign topics "
                "with ArabicTopicModel.predict(documents, return_confidence=True) (the "
                "neighbour vote), not with BERTopic's centroid similarity"
            )
        if images is not None:
            raise ValueError("images are not supported: this topic model embeds text only")
        if isinstance(documents, str):
            documents = [documents]
        return self.assign_(documents, embeddings)


def representative_documents(model: BERTopic, documents: list[str], topics: list[int],
                             n_docs: int = 3) -> dict[int, list[str]]:
    """Return the ``n_docs`` distinct documents of each topic closest to it in c-TF-IDF.

    BERTopic's measure (``BERTopic._extract_representative_docs``): the cosine
    similarity of a document's c-TF-IDF vector (``model.vectorizer_model`` then
    ``model.ctfidf_model``) to its topic's row of ``model.c_tf_idf_``. BERTopic picks
    them once, while fitting, from a random sample of 500 documents per topic and under
    HDBSCAN's topic numbers; ``update_topics`` keeps them, so after a reassignment
    (the outlier vote, canonical numbering, a merge) they would describe other topics.
    This uses every distinct document of each final topic; ties go to the text that
    sorts first.

    Parameters
    ----------
    model : bertopic.BERTopic
        Fitted, with ``c_tf_idf_`` computed for ``topics`` (rows in sorted topic order,
        as ``update_topics`` leaves them).
    documents : list of str
    topics : list of int
        Topic of each document; the copies of a text share one topic.
    n_docs : int, default=3
        Documents per topic (BERTopic's number).

    Returns
    -------
    dict of int to list of str
        For every topic of ``topics`` (``-1`` included when present), its documents,
        most representative first.
    """
    import pandas as pd
    from sklearn.preprocessing import normalize

    frame = pd.DataFrame({"Document": documents, "Topic": topics}).drop_duplicates("Document")
    row_of = {t: i for i, t in enumerate(sorted(set(topics)))}
    vectors = normalize(model.ctfidf_model.transform(
        model.vectorizer_model.transform(frame["Document"].tolist())))
    centres = normalize(model.c_tf_idf_)[[row_of[t] for t in frame["Topic"]]]
    frame["similarity"] = np.asarray(vectors.multiply(centres).sum(axis=1)).ravel()
    ranked = frame.sort_values(["Topic", "similarity", "Document"],
                               ascending=[True, False, True], kind="stable")
    return {int(t): group["Document"].head(n_docs).tolist()
            for t, group in ranked.groupby("Topic", sort=True)}
