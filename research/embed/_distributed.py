"""Embedding on a Dask distributed cluster (the ``distributed`` extra).

:class:`DaskPool` is where an :class:`~research.embed.Embedder` with ``workers`` or
``dask_scheduler`` computes the embeddings that are not in its cache:

* ``workers=N`` starts a :class:`distributed.LocalCluster` of ``N`` worker
  processes with one Dask thread each (one chunk at a time per process: the engine
  is not shared between threads, and torch's own intra-op threads do the parallel
  work); each worker's torch uses ``available_cores() // N`` threads, so that the
  workers share the machine's cores instead of each taking all of them;
* ``dask_scheduler="tcp://host:8786"`` connects to a running scheduler; each worker
  uses the engine's default: every core its process may run on (start one worker
  process per machine, ``dask worker ADDRESS --nworkers 1 --nthreads 1``, or pin
  each to its cores with ``taskset``), and CUDA where the worker has it.

The cache stays the single source of truth:
:meth:`research.embed.EmbeddingCache.get_or_compute` partitions the missing texts
into the same chunks as in one process, :meth:`DaskPool.map_chunks` submits each
chunk as one task and yields the results as they complete
(:func:`distributed.as_completed`), and the client writes each one to the cache
when it arrives, so a killed distributed run resumes as a killed local run does.

Each worker process loads the engine once (:data:`_LOADED`, keyed by the embedder's
configuration) and reuses it for every chunk and every later client. A chunk is
embedded by the same engine code, in the same batches, as in one process; the
float32 embeddings are identical (``np.array_equal``; checked in
``tests/test_embedding_distributed.py``: torch's float32 CPU results do not depend on the
number of intra-op threads under the pinned kernels of
:func:`research.reproducible_environment`). bfloat16, and CUDA workers, give other
bits than a float32 CPU run, as they do in one process; their precision is part of
the cache key.
"""

from __future__ import annotations

import logging
import uuid
import weakref
from collections.abc import Hashable, Iterator, Sequence

import numpy as np

from ._torch_engine import available_cores

__all__ = ["DaskPool", "INSTALL_HINT", "check_dask_options"]

logger = logging.getLogger(__name__)

INSTALL_HINT = 'pip install "arabic-news-topics[distributed]"'

#: Chunks submitted ahead per worker thread (the rest wait on the client).
_IN_FLIGHT_PER_THREAD = 2
#: Embedders loaded in this (worker) process, by configuration: each engine loads once.
_LOADED: dict[Hashable, object] = {}


def check_dask_options(workers: int | None, dask_scheduler: str | None) -> None:
    """Check the options that send embedding to a Dask cluster.

    Parameters
    ----------
    workers : int or None
        Worker processes of a local cluster: None, or an int >= 1.
    dask_scheduler : str or None
        Address of a running scheduler (``"tcp://host:8786"``); not with ``workers``.

    Raises
    ------
    ValueError
        For ``workers`` < 1 or not an int, an empty address, or both options.
    """
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise ValueError(f"workers must be None or an int >= 1, got {workers!r}")
    if dask_scheduler is not None and (not isinstance(dask_scheduler, str)
                                       or not dask_scheduler.strip()):
        raise ValueError("dask_scheduler must be None or an address such as "
                         f"'tcp://host:8786', got {dask_scheduler!r}")
    if workers is not None and dask_scheduler is not None:
        raise ValueError("give workers (a local Dask cluster) or dask_scheduler (a running "
                         f"one), not both: got workers={workers!r}, "
                         f"dask_scheduler={dask_scheduler!r}")


def _distributed():
    """Import :mod:`distributed`, or raise an ImportError naming the extra to install."""
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(
            "embedding on a Dask cluster (--workers / --dask-scheduler) needs the "
            f"'distributed' extra: {INSTALL_HINT}") from exc
    return distributed


def _embed_chunk(key: Hashable, embedder, kind: str, texts: list[str],
                 threads: int | None, version: str) -> np.ndarray:
    """Embed one chunk in a worker process with the engine loaded once per process.

    ``embedder`` is a local, uncached twin of the client's embedder (same model,
    engine, device, batch size and precision); ``threads`` the torch intra-op
    threads of this worker (None: the engine's default); ``version`` the model
    version of the client's cache key, which the worker's engine must have.
    """
    local = _LOADED.get(key)
    if local is None:
        from research._io import reproducible_environment

        # before torch is imported: pins its kernels on a worker started without
        # the pinned environment (a LocalCluster's workers inherit the client's)
        reproducible_environment()
        local = _LOADED.setdefault(key, embedder)
        dim = local.dim  # loads the engine
        logger.info("worker loaded embedding model %s (dim %d)", local.model, dim)
    if local.model_version != version:
        raise RuntimeError(
            f"this worker's embedding engine is {local.model_version!r}, the client's cache "
            f"key is {version!r}: install the same versions of the package and its "
            "engine on the workers as on the client")
    if threads is not None:
        import sys

        torch = sys.modules.get("torch")
        if torch is not None and torch.get_num_threads() != threads:
            torch.set_num_threads(threads)
    if kind == "passage":
        return local.embed_passages(texts)
    return local.embed_queries(texts)


def _shutdown(client, cluster) -> None:
    client.close()
    if cluster is not None:
        cluster.close()


class DaskPool:
    """A Dask client, and the local cluster it started, that embeds chunks of texts.

    Created by :class:`~research.embed.Embedder` on its first distributed
    computation and kept until :meth:`close` (or until the embedder is garbage
    collected, or the interpreter exits), so that the workers load the model once.

    Parameters
    ----------
    workers : int, optional
        Start a :class:`distributed.LocalCluster` of this many worker processes.
    scheduler : str, optional
        Address of a running Dask scheduler (``"tcp://host:8786"``).

    Raises
    ------
    ValueError
        When neither or both of ``workers`` and ``scheduler`` are given.
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None):
        if (workers is None) == (scheduler is None):
            raise ValueError("give exactly one of workers and scheduler, got "
                             f"workers={workers!r}, scheduler={scheduler!r}")
        self.workers = workers
        self.scheduler = scheduler
        self._client = None
        self._finalizer = None

    @property
    def client(self):
        """The :class:`distributed.Client` (cluster started or scheduler joined on first use).

        Raises
        ------
        ImportError
            Without the ``distributed`` extra (the message names the install command).
        OSError
            When the scheduler cannot be reached.
        """
        if self._client is None:
            distributed = _distributed()
            cluster = None
            if self.workers is not None:
                cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True,
                    dashboard_address=None)
                client = distributed.Client(cluster)
            else:
                client = distributed.Client(self.scheduler)
            logger.info("dask client %s (%d workers)", client.scheduler.address,
                        len(client.scheduler_info()["workers"]))
            self._client = client
            self._finalizer = weakref.finalize(self, _shutdown, client, cluster)
        return self._client

    def close(self) -> None:
        """Close the client, and the local cluster if this pool started one."""
        if self._finalizer is not None:
            self._finalizer()
        self._client = self._finalizer = None

    def map_chunks(self, key: Hashable, embedder, kind: str, chunks: Sequence[list[str]],
                   version: str) -> Iterator[tuple[int, np.ndarray]]:
        """Embed each chunk as one task; yield ``(chunk index, vectors)`` as they complete.

        Chunks are submitted in order, at most two per worker thread ahead of the
        results; one more is submitted whenever one completes.

        Parameters
        ----------
        key : hashable
            Identity of ``embedder``'s configuration (the worker's engine cache key).
        embedder : Embedder
            An uncached, single-process twin of the embedder (pickled without a model).
        kind : {"passage", "query"}
        chunks : sequence of list of str
        version : str
            The model version of the cache key; a worker whose engine has another
            one fails its task instead of storing other embeddings under this key.

        Yields
        ------
        index : int
            Position of the chunk in ``chunks``.
        vectors : ndarray of shape (len(chunks[index]), dim), float32

        Raises
        ------
        Exception
            The first task's error, re-raised here; the tasks still running are
            cancelled (the chunks yielded before it are in the cache).
        """
        distributed = _distributed()
        client = self.client
        threads = max(1, available_cores() // self.workers) if self.workers else None
        token = uuid.uuid4().hex[:12]
        # a bounded number of chunks in flight: the scheduler holds a few chunks of
        # texts, not the corpus, and every worker always has the next one queued
        slots = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        window = _IN_FLIGHT_PER_THREAD * max(slots, 1)
        queue = iter(enumerate(chunks))
        running: dict = {}
        completed = distributed.as_completed()

        def submit_next() -> None:
            item = next(queue, None)
            if item is not None:
                i, chunk = item
                future = client.submit(_embed_chunk, key, embedder, kind, chunk, threads,
                                       version, pure=False, key=f"embed-{kind}-{token}-{i}",
                                       priority=-i)
                running[future] = i
                completed.add(future)

        for _ in range(window):
            submit_next()
        try:
            for future in completed:
                vectors = future.result()
                i = running.pop(future)
                future.release()
                submit_next()
                yield i, vectors
        finally:
            if running:
                client.cancel(list(running))
