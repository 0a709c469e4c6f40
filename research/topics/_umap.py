"""UMAP's exact neighbours of a small corpus, compiled instead of one Python call per pair.

Below 4,096 rows umap-learn computes every pairwise distance exactly (its "small
data" path) with ``sklearn.metrics.pairwise_distances(X, metric=<numba cosine>)``.
scikit-learn calls a callable metric once per pair from Python: for the 2,400
passages of the SaudiNewsNet Sisi subset that is 2.9 million calls, about 11 s of
the fit, and as much again for the document map.

:func:`exact_cosine_neighbours` computes the same matrix with the same numba
``cosine`` of ``umap.distances`` (so the same float32 values, bit for bit) inside one
compiled loop, and the neighbours as umap-learn selects them from it (a stable sort
of each row; distances at or above the disconnection distance become ``inf`` and
index ``-1``). :func:`fit_umap` hands them to UMAP as ``precomputed_knn``, UMAP's
documented way to reuse neighbours; the fuzzy graph, the layout and every output are
then those of ``UMAP.fit`` on the same data (``tests/test_topics.py`` checks the
embedding is identical).

umap-learn compiles its numba kernels (the fuzzy graph's ``smooth_knn_dist`` and
``compute_membership_strengths``, the layout's epochs) in every new process, without
numba's on-disk cache: about 10 s of each run on two cores, more than the fit itself
on the Sisi subset. :func:`cache_umap_kernels` turns numba's cache on for them, as
pynndescent (UMAP's own dependency) declares for its kernels: the cached machine code
is what numba would compile again, so results do not change; numba keys the cache on
umap-learn's source files, its own version and the CPU, and recompiles when any of
them changes.
"""

from __future__ import annotations

import functools
import logging
import warnings

import numba
import numpy as np
from umap.distances import cosine

__all__ = ["exact_cosine_neighbours", "fit_umap", "cache_umap_kernels", "SMALL_DATA_ROWS"]

logger = logging.getLogger(__name__)

#: umap-learn computes exact neighbours below this many rows (``umap_.py``, ``fit``).
SMALL_DATA_ROWS = 4096
# umap-learn's disconnection distance of the cosine metric (DISCONNECTION_DISTANCES)
_COSINE_DISCONNECTION = 2.0


# Not cached on disk: the loop compiles umap-learn's ``cosine`` into itself, and
# numba's cache would not notice a new umap-learn version (about 1 s per process).
@numba.njit
def _upper_triangle(x):
    n = x.shape[0]
    out = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        for j in range(i + 1, n):
            out[i, j] = cosine(x[i], x[j])
    return out


@numba.njit
def _self_distances(x):
    out = np.empty(x.shape[0], dtype=np.float32)
    for i in range(x.shape[0]):
        out[i] = cosine(x[i], x[i])
    return out


def exact_cosine_neighbours(x: np.ndarray, n_neighbors: int, *,
                            disconnection_distance: float = _COSINE_DISCONNECTION
                            ) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine neighbours of every row, as umap-learn's small-data path finds them.

    Parameters
    ----------
    x : ndarray of shape (n_samples, dim)
        Converted to C-ordered float32, as UMAP converts its input.
    n_neighbors : int
        Neighbours per row, the row itself included (UMAP's convention).
    disconnection_distance : float, default=2.0
        Distances at or above it are ``inf`` and their index ``-1`` (UMAP's
        ``disconnection_distance`` for the cosine metric).

    Returns
    -------
    indices : ndarray of shape (n_samples, n_neighbors), int32
        Nearest first; equal distances by ascending index (a stable sort).
    distances : ndarray of shape (n_samples, n_neighbors), float32

    Notes
    -----
    Memory is O(n_samples²): meant for fewer than :data:`SMALL_DATA_ROWS` rows, where
    UMAP itself holds the same matrix.
    """
    x = np.ascontiguousarray(x, dtype=np.float32)
    dmat = _upper_triangle(x)
    dmat = dmat + dmat.T  # as sklearn's pairwise_distances builds it
    dmat[np.diag_indices_from(dmat)] = _self_distances(x)
    dmat[dmat >= disconnection_distance] = np.inf
    indices = np.argsort(dmat, axis=1, kind="stable")[:, :n_neighbors].astype(np.int32)
    distances = np.take_along_axis(dmat, indices, axis=1)
    indices[distances == np.inf] = -1
    return indices, distances


@functools.cache
def cache_umap_kernels() -> int:
    """Keep umap-learn's compiled numba kernels on disk (numba's ``cache=True``).

    Applies numba's ``Dispatcher.enable_caching`` to every kernel of umap-learn's
    ``umap_``, ``layouts``, ``utils``, ``spectral`` and ``distances`` modules, once per
    process. Numba writes the cache next to umap-learn's sources, or under
    ``NUMBA_CACHE_DIR`` / the user's cache folder when that is read-only; where no
    location is writable the kernel stays uncached (compiled as before).

    Returns
    -------
    int
        Number of kernels whose cache was turned on.
    """
    import umap.distances
    import umap.layouts
    import umap.spectral
    import umap.umap_
    import umap.utils
    from numba.core.dispatcher import Dispatcher

    enabled = 0
    for module in (umap.umap_, umap.layouts, umap.utils, umap.spectral, umap.distances):
        for kernel in vars(module).values():
            if not isinstance(kernel, Dispatcher):
                continue
            try:
                kernel.enable_caching()
            except RuntimeError as exc:  # no writable cache location
                logger.debug("numba cache unavailable for %s: %s", kernel, exc)
                continue
            enabled += 1
    return enabled


def fit_umap(umap, x: np.ndarray):
    """Fit ``umap`` on ``x``, with compiled exact neighbours where UMAP would use its own.

    Applies to a dense ``x`` of fewer than :data:`SMALL_DATA_ROWS` rows and more than
    ``n_neighbors``, with ``metric="cosine"`` and no ``precomputed_knn``,
    ``metric_kwds`` or ``unique``; any other UMAP (and any other reducer) is fitted
    as it is. The estimator's parameters are left as they were given. UMAP's
    kernels are cached on disk (:func:`cache_umap_kernels`).

    Parameters
    ----------
    umap : umap.UMAP or any reducer with ``fit``
    x : ndarray of shape (n_samples, dim)

    Returns
    -------
    The fitted ``umap`` (the same object).
    """
    from umap import UMAP

    if isinstance(umap, UMAP):
        cache_umap_kernels()
    applies = (isinstance(umap, UMAP) and umap.metric == "cosine" and not umap.metric_kwds
               and not umap.unique and umap.precomputed_knn[1] is None
               and isinstance(x, np.ndarray)
               and umap.n_neighbors < len(x) < SMALL_DATA_ROWS)
    if not applies:
        return umap.fit(x)
    disconnection = (_COSINE_DISCONNECTION if umap.disconnection_distance is None
                     else umap.disconnection_distance)
    knn = exact_cosine_neighbours(x, umap.n_neighbors, disconnection_distance=disconnection)
    given = umap.precomputed_knn, umap.force_approximation_algorithm
    umap.precomputed_knn = knn
    try:
        with warnings.catch_warnings():
            # no NNDescent index comes with them: UMAP.transform of new data is
            # unavailable (the package never uses it; the fit data still transforms)
            warnings.filterwarnings("ignore", message="precomputed_knn.2.")
            umap.fit(x)
    finally:
        # UMAP sets force_approximation_algorithm itself for precomputed neighbours
        umap.precomputed_knn, umap.force_approximation_algorithm = given
    return umap
