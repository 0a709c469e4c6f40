"""Topics of passages: :class:`ArabicTopicModel`, BERTopic set up for Arabic news.

Table contract
--------------
:meth:`ArabicTopicModel.fit` takes passage texts and their embeddings (rows aligned
with a passage table) and sets ``labels_`` (one topic per passage; ``-1`` is the
outlier topic). Its tables are keyed by ``topic``:

* :meth:`~ArabicTopicModel.topic_table`: ``topic, size, label, top_words, top_terms``;
* :meth:`~ArabicTopicModel.topic_words`: ``topic, rank, term, word, score``.

:meth:`~ArabicTopicModel.predict` assigns new passages by a similarity-weighted vote
of their nearest fitted passages (:func:`neighbour_vote`: exact neighbours found one
block of queries at a time by :func:`top_k_similar`, so memory grows with n, not n²).
A fitted model is saved without pickle (:meth:`~ArabicTopicModel.save`:
``model.json``, ``embeddings.npy``, ``arrays.safetensors``, ``vocabulary.json``, every
file checksummed; format :data:`FORMAT_VERSION`) and loaded with
:meth:`ArabicTopicModel.load`, which reads every file once, memory-maps the fitted
embeddings read-only, reads :data:`READABLE_VERSIONS` (format 1 folders too), refuses
altered files
(:class:`ModelIntegrityError`) and another embedding model
(:class:`EmbedderMismatchError`).
"""

from ._model import ArabicTopicModel, UnsupervisedReducer
from ._persistence import (
    FORMAT_VERSION,
    READABLE_VERSIONS,
    EmbedderMismatchError,
    ModelIntegrityError,
    read_model_metadata,
)
from ._space import (
    NEIGHBOUR_BLOCK_BYTES,
    center_embeddings,
    document_map,
    knn_vote,
    neighbour_vote,
    size_parameters,
    top_k_similar,
)


def __getattr__(name: str):
    # The BERTopic backend imports bertopic: loaded on first use only.
    if name == "EmbedderBackend":
        from ._backend import EmbedderBackend

        return EmbedderBackend
    raise AttributeError(f"module 'research.topics' has no attribute {name!r}")


__all__ = [
    "FORMAT_VERSION",
    "NEIGHBOUR_BLOCK_BYTES",
    "READABLE_VERSIONS",
    "EmbedderBackend",
    "ArabicTopicModel",
    "EmbedderMismatchError",
    "ModelIntegrityError",
    "UnsupervisedReducer",
    "center_embeddings",
    "document_map",
    "knn_vote",
    "neighbour_vote",
    "read_model_metadata",
    "size_parameters",
    "top_k_similar",
]
