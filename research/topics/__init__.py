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
UMAP runs through :func:`fit_umap`: below 4,096 passages it gets the exact cosine
neighbours UMAP would compute itself, from one compiled loop
(:func:`exact_cosine_neighbours`) instead of one Python call per pair.
A fitted model is saved without pickle (:meth:`~ArabicTopicModel.save`:
``model.json``, ``embeddings.npy``, ``arrays.safetensors``, ``vocabulary.json``, every
file checksummed; format :data:`FORMAT_VERSION`) and loaded with
:meth:`ArabicTopicModel.load`, which reads every file once, memory-maps the fitted
embeddings read-only, reads :data:`READABLE_VERSIONS` (format 1 folders too), refuses
altered files
(:class:`ModelIntegrityError`) and another embedding model
(:class:`EmbedderMismatchError`).

BERTopic users find its methods on the model (:class:`BERTopicInterface`:
``fit_transform``, ``transform``, ``get_topic_info`` with the labels as ``CustomName``,
``get_topic``, ``get_document_info``, ``visualize_*``); ``bertopic_.transform`` runs
the same neighbour vote as ``predict``. :func:`export_bertopic` writes a folder that
plain ``BERTopic.load`` opens without this package (a sentence-transformers model
that embeds and centres as the fit did, and topic prototypes that reproduce the vote:
:func:`topic_prototypes`).
"""

from ._export import EMBEDDING_MODEL_DIR, export_bertopic
from ._interface import BERTopicInterface
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
    canonical_unique,
    center_embeddings,
    document_map,
    knn_vote,
    majority_of_copies,
    neighbour_vote,
    size_parameters,
    text_keys,
    top_k_similar,
    topic_prototypes,
)


def __getattr__(name: str):
    # The BERTopic backend imports bertopic, the UMAP helpers numba and umap-learn:
    # loaded on first use only.
    if name in ("EmbedderBackend", "VotingBERTopic"):
        from . import _backend

        return getattr(_backend, name)
    if name in ("exact_cosine_neighbours", "fit_umap", "cache_umap_kernels"):
        from . import _umap

        return getattr(_umap, name)
    raise AttributeError(f"module 'research.topics' has no attribute {name!r}")


__all__ = [
    "EMBEDDING_MODEL_DIR",
    "FORMAT_VERSION",
    "BERTopicInterface",
    "NEIGHBOUR_BLOCK_BYTES",
    "READABLE_VERSIONS",
    "EmbedderBackend",
    "VotingBERTopic",
    "ArabicTopicModel",
    "EmbedderMismatchError",
    "ModelIntegrityError",
    "UnsupervisedReducer",
    "center_embeddings",
    "cache_umap_kernels",
    "document_map",
    "exact_cosine_neighbours",
    "fit_umap",
    "knn_vote",
    "neighbour_vote",
    "read_model_metadata",
    "export_bertopic",
    "size_parameters",
    "topic_prototypes",
    "text_keys",
    "canonical_unique",
    "majority_of_copies",
    "top_k_similar",
]
