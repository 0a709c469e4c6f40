"""Save and load :class:`research.topics.ArabicTopicModel` without pickle.

Format (a folder, written by :func:`save_model`):

``model.json``
    format version; package and dependency versions; the embedding model's identity
    (name, engine, version); estimator parameters; normalisation and vectorizer
    settings; the sizes used; corpus hash and size; topic representations, sizes
    and labels; the SHA-256 of every other file; and a SHA-256 of its own canonical
    content.
``embeddings.npy``
    the centred, normalised embeddings of the fitted texts (one row per unique
    text, canonical order; float32, a plain ``.npy`` file): what ``predict``
    compares new passages with. :func:`load_model` memory-maps it read-only
    (``mmap_mode="r"``), so a model of 144k passages (220 MB) costs no memory until
    ``predict`` reads it, a block of rows at a time.
``arrays.safetensors``
    ``center``, ``labels`` (the topic of each row of ``embeddings.npy``),
    ``topic_embeddings`` and the c-TF-IDF matrix (CSR parts) and IDF.
``vocabulary.json``
    the vectorizer vocabulary, in column order.

Every file is read once: its checksum is computed from the bytes that are parsed
(``model.json``, ``arrays.safetensors``, ``vocabulary.json``), or, for the
embeddings, streamed in blocks before the file is mapped. Format version 1 (the
embeddings inside ``arrays.safetensors``) still loads; saving writes version 2.

JSON and safetensors hold data only: loading executes no code from the folder.
BERTopic's own ``safetensors`` save is not used because it drops the UMAP/HDBSCAN
models and the custom Arabic vectorizer; here the vectorizer is rebuilt from its
settings and vocabulary, and new documents are assigned by the model's own
:meth:`~research.topics.ArabicTopicModel.predict`, which needs only the stored
embeddings and labels, so a reloaded model gives exactly the fitted assignments.

A model whose files fail their checksums is refused (:class:`ModelIntegrityError`),
and so is loading with a different embedding model (:class:`EmbedderMismatchError`).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
from pathlib import Path

import numpy as np

from research._io import atomic_write_bytes, package_versions

__all__ = [
    "save_model",
    "load_model",
    "read_model_metadata",
    "ModelIntegrityError",
    "EmbedderMismatchError",
    "FORMAT_VERSION",
    "READABLE_VERSIONS",
]

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2
#: Format versions :func:`load_model` reads.
READABLE_VERSIONS = (1, 2)
_EMBEDDINGS = "embeddings.npy"
_ARRAYS = "arrays.safetensors"
_VOCAB = "vocabulary.json"
_META = "model.json"


class ModelIntegrityError(RuntimeError):
    """A saved model is incomplete, altered or corrupted."""


class EmbedderMismatchError(ValueError):
    """A saved model is loaded with a different embedding model than it was fitted with."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_file(path: Path, block: int = 2**22) -> str:
    """Return the SHA-256 of a file, read in blocks (memory independent of its size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def _npy_bytes(array: np.ndarray) -> bytes:
    """Return ``array`` in the ``.npy`` format (no pickle)."""
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def _canonical(meta: dict) -> bytes:
    body = {k: v for k, v in meta.items() if k != "self_sha256"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def save_model(model, path: str | os.PathLike, **metadata) -> Path:
    """Save a fitted :class:`~research.topics.ArabicTopicModel` into folder ``path``.

    Parameters
    ----------
    model : ArabicTopicModel
        A fitted model.
    path : path
        Target folder (created; existing files of the format are replaced).
    **metadata
        Extra JSON-serialisable facts to record (e.g. ``corpus_hash``).

    Returns
    -------
    Path
        The folder.
    """
    from safetensors.numpy import save as st_save
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(model, "labels_")
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    bt = model.bertopic_
    ctfidf = bt.c_tf_idf_.tocsr()
    arrays = {
        "center": model.center_.astype(np.float32),
        "labels": model.embedding_labels_.astype(np.int64),
        "topic_embeddings": np.asarray(bt.topic_embeddings_, dtype=np.float32),
        "ctfidf_data": ctfidf.data.astype(np.float64),
        "ctfidf_indices": ctfidf.indices.astype(np.int64),
        "ctfidf_indptr": ctfidf.indptr.astype(np.int64),
        "ctfidf_shape": np.asarray(ctfidf.shape, dtype=np.int64),
        "idf": np.asarray(bt.ctfidf_model._idf_diag.diagonal(), dtype=np.float64),
    }
    array_bytes = st_save(arrays)
    embedding_bytes = _npy_bytes(np.asarray(model.embeddings_, dtype=np.float32))
    vocab = bt.vectorizer_model.vocabulary_
    vocab_list = [w for w, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    vocab_bytes = json.dumps(vocab_list, ensure_ascii=False).encode("utf-8")
    analyzer = bt.vectorizer_model.analyzer
    params = {k: v for k, v in model.get_params().items() if k != "embedder"}
    meta = {
        "format": "arabic-news-topics/topic-model",
        "format_version": FORMAT_VERSION,
        "versions": package_versions(),
        "embedder": model._get_embedder().describe(),
        "params": json.loads(json.dumps(params, default=list)),
        "sizes": model.sizes_,
        "analyzer": analyzer.get_params(),
        "min_df": bt.vectorizer_model.min_df,
        "ctfidf": {
            "reduce_frequent_words": bool(bt.ctfidf_model.reduce_frequent_words),
            "bm25_weighting": bool(bt.ctfidf_model.bm25_weighting),
        },
        "n_documents": int(len(model.labels_)),
        "n_unique": int(len(model.embedding_labels_)),
        "topic_representations": {
            str(k): [[w, float(s)] for w, s in v] for k, v in bt.topic_representations_.items()
        },
        "topic_sizes": {str(k): int(v) for k, v in bt.topic_sizes_.items()},
        "topic_labels": {str(k): v for k, v in getattr(model, "topic_labels_", {}).items()},
        "topic_mapper": bt.topic_mapper_.mappings_,
        "representative_docs": {str(k): v for k, v in (bt.representative_docs_ or {}).items()},
        "surface_forms": model.surface_forms_,
        "metadata": metadata,
        "embeddings": {"shape": [int(v) for v in model.embeddings_.shape],
                       "dtype": "float32"},
        "files": {_ARRAYS: _sha256(array_bytes), _VOCAB: _sha256(vocab_bytes),
                  _EMBEDDINGS: _sha256(embedding_bytes)},
    }
    meta["self_sha256"] = _sha256(_canonical(meta))
    atomic_write_bytes(path / _EMBEDDINGS, embedding_bytes)
    atomic_write_bytes(path / _ARRAYS, array_bytes)
    atomic_write_bytes(path / _VOCAB, vocab_bytes)
    # model.json last: a folder without it (a killed save) is never loadable.
    atomic_write_bytes(path / _META, json.dumps(meta, ensure_ascii=False, indent=1).encode())
    return path


def _read_meta(path: Path) -> dict:
    """Read ``model.json`` and verify its format and own checksum (not the other files)."""
    meta_file = path / _META
    if not meta_file.is_file():
        raise ModelIntegrityError(f"{path} is not a saved topic model: {_META} is missing")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelIntegrityError(f"{meta_file} is not valid JSON: {exc}") from exc
    if meta.get("format") != "arabic-news-topics/topic-model":
        raise ModelIntegrityError(f"{meta_file} is not an arabic-news-topics model")
    if meta.get("format_version") not in READABLE_VERSIONS:
        raise ModelIntegrityError(
            f"{meta_file} has format version {meta.get('format_version')}, this package reads "
            f"versions {READABLE_VERSIONS}"
        )
    if meta.get("self_sha256") != _sha256(_canonical(meta)):
        raise ModelIntegrityError(f"{meta_file} was altered (its checksum does not match)")
    return meta


def _present(path: Path, name: str) -> Path:
    f = path / name
    if not f.is_file():
        raise ModelIntegrityError(f"{f} is missing")
    return f


def _mismatch(f: Path) -> ModelIntegrityError:
    return ModelIntegrityError(f"{f} is corrupted or altered (SHA-256 mismatch)")


def _checked_bytes(path: Path, meta: dict, name: str) -> bytes:
    """Read a file once and check those bytes against its recorded SHA-256."""
    f = _present(path, name)
    data = f.read_bytes()
    if _sha256(data) != meta["files"][name]:
        raise _mismatch(f)
    return data


def _checked_file(path: Path, meta: dict, name: str) -> Path:
    """Check a file against its recorded SHA-256, streamed in blocks; return its path."""
    f = _present(path, name)
    if _sha256_file(f) != meta["files"][name]:
        raise _mismatch(f)
    return f


def read_model_metadata(path: str | os.PathLike) -> dict:
    """Read and verify ``model.json`` and the checksums of the other files.

    Parameters
    ----------
    path : path
        The model folder.

    Returns
    -------
    dict
        The content of ``model.json``.

    Raises
    ------
    ModelIntegrityError
        When a file is missing, altered or corrupted, or the format is unknown.
    """
    path = Path(path)
    meta = _read_meta(path)
    for name in meta["files"]:
        _checked_file(path, meta, name)
    return meta


def _fitted_embeddings(path: Path, meta: dict, arrays: dict) -> np.ndarray:
    """Return the fitted embeddings: in the safetensors (v1), else memory-mapped (v2)."""
    if meta["format_version"] == 1:
        return arrays["embeddings"]
    f = _checked_file(path, meta, _EMBEDDINGS)
    try:
        emb = np.load(f, mmap_mode="r", allow_pickle=False)
    except ValueError as exc:
        raise ModelIntegrityError(f"{f} is not a readable .npy file: {exc}") from exc
    if emb.dtype != np.float32 or list(emb.shape) != meta["embeddings"]["shape"]:
        raise ModelIntegrityError(
            f"{f} holds {emb.dtype} {emb.shape}, model.json records float32 "
            f"{tuple(meta['embeddings']['shape'])}"
        )
    return emb


def load_model(cls, path: str | os.PathLike, embedder=None):
    """Load a model saved by :func:`save_model`, verifying every checksum.

    Each file is read once; the fitted embeddings (format 2) are memory-mapped
    read-only after their checksum is streamed, not loaded into memory.

    Parameters
    ----------
    cls : type
        The estimator class to build (:class:`~research.topics.ArabicTopicModel`).
    path : path
        The model folder.
    embedder : research.embed.Embedder, optional
        Must be the embedding model the topics were fitted with (same name and
        version). Default: that model, rebuilt from the recorded identity.

    Returns
    -------
    ArabicTopicModel

    Raises
    ------
    ModelIntegrityError
        When a file is missing, altered or corrupted.
    EmbedderMismatchError
        When ``embedder`` is not the model the topics were fitted with.
    """
    from bertopic._bertopic import TopicMapper
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer
    from safetensors.numpy import load as st_load
    from scipy import sparse as sp
    from sklearn.feature_extraction.text import CountVectorizer

    from research.embed import embedder_from_record
    from research.text import ArabicAnalyzer

    from ._backend import EmbedderBackend, VotingBERTopic

    path = Path(path)
    meta = _read_meta(path)
    arrays = st_load(_checked_bytes(path, meta, _ARRAYS))
    vocab = json.loads(_checked_bytes(path, meta, _VOCAB).decode("utf-8"))
    embeddings = _fitted_embeddings(path, meta, arrays)

    recorded = meta["embedder"]
    if embedder is None:
        embedder = embedder_from_record(recorded)
    got = embedder.describe()
    if (got["model"], got["model_version"]) != (recorded["model"], recorded["model_version"]):
        raise EmbedderMismatchError(
            f"this topic model was fitted with embedding model {recorded['model']!r} "
            f"(version {recorded['model_version']}, engine {recorded['engine']}); refusing to "
            f"use {got['model']!r} (version {got['model_version']}, engine {got['engine']}): "
            "embeddings of different models are not comparable. Load it with "
            f"get_embedder({recorded['model']!r}, engine={recorded['engine']!r}, "
            f"precision={recorded.get('precision', 'auto')!r})."
        )

    params = dict(meta["params"])
    params["ngram_range"] = tuple(params["ngram_range"])
    params["extra_stop_words"] = tuple(params["extra_stop_words"])
    model = cls(embedder=embedder, **params)

    analyzer = ArabicAnalyzer.from_params(meta["analyzer"])
    vectorizer = CountVectorizer(analyzer=analyzer, min_df=meta["min_df"])
    vectorizer.vocabulary_ = {w: i for i, w in enumerate(vocab)}
    ctfidf = ClassTfidfTransformer(**meta["ctfidf"])
    idf = arrays["idf"]
    ctfidf._idf_diag = sp.diags(idf, offsets=0, shape=(len(idf), len(idf)), format="csr")

    center = arrays["center"]
    bt = VotingBERTopic(
        language="multilingual",
        embedding_model=EmbedderBackend(embedder, center),
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=BaseCluster(),
        vectorizer_model=vectorizer,
        ctfidf_model=ctfidf,
        top_n_words=params["top_n_words"],
        calculate_probabilities=False,
    )
    labels = arrays["labels"]
    bt.topics_ = labels.tolist()
    bt.topic_representations_ = {
        int(k): [(w, s) for w, s in v] for k, v in meta["topic_representations"].items()
    }
    bt.topic_sizes_ = {int(k): v for k, v in meta["topic_sizes"].items()}
    bt.topic_embeddings_ = arrays["topic_embeddings"]
    bt.c_tf_idf_ = sp.csr_matrix(
        (arrays["ctfidf_data"], arrays["ctfidf_indices"], arrays["ctfidf_indptr"]),
        shape=tuple(int(v) for v in arrays["ctfidf_shape"]),
    )
    bt.topic_mapper_ = TopicMapper([0])
    bt.topic_mapper_.mappings_ = meta["topic_mapper"]
    bt.representative_docs_ = {int(k): v for k, v in meta["representative_docs"].items()}
    bt.custom_labels_ = None  # set by ArabicTopicModel.load, with the transform routing

    model.bertopic_ = bt
    model.labels_ = labels  # the fitted texts (unique, canonical order) with their topics
    model.embedding_labels_ = labels
    # researcher's topic labels (topic curation); models saved before them have none
    model.topic_labels_ = {int(k): v for k, v in meta.get("topic_labels", {}).items()}
    model.center_ = center
    model.embeddings_ = embeddings  # read-only memory map (format 2)
    model.sizes_ = meta["sizes"]
    model.surface_forms_ = meta["surface_forms"]
    model.n_features_in_ = int(center.shape[0])
    model.metadata_ = meta
    return model
