"""BERTopic's embedding backend around a :class:`research.embed.Embedder`.

This module imports BERTopic when it is imported; :mod:`research.topics` imports it
only inside :meth:`~research.topics.ArabicTopicModel.fit` and model loading, so that
importing the package loads nothing heavy.
"""

from __future__ import annotations

import numpy as np
from bertopic.backend import BaseEmbedder

from ._space import center_embeddings

__all__ = ["EmbedderBackend"]


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
