"""Geometry of the embedding space: centring, corpus-sized parameters, neighbours, 2-D maps.

Neighbours in memory that grows with n, not n²: the outlier vote of the fit and
``predict`` need, for every query passage, its ``k`` most similar labelled passages.
:func:`top_k_similar` computes the similarities one block of queries at a time and
keeps each query's ``k`` best items, so memory is ``O(block_rows * n_items + n * k)``
instead of the ``O(n_queries * n_items)`` of a dense matrix (about 70 GB for the 144k
passages of the SaudiNewsNet corpus). The selection is exact and breaks ties as a
stable ``argsort`` of the negated similarities does: among equal similarities, the
smaller item index first. The similarities come from BLAS, whose last bit can depend
on the shape of the product (and on the thread count, for a dense matrix as much as
for a block): when all queries fit in one block (:data:`NEIGHBOUR_BLOCK_BYTES`) the
product is exactly the dense one.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np

__all__ = ["center_embeddings", "size_parameters", "document_map", "knn_vote",
           "neighbour_vote", "top_k_similar", "NEIGHBOUR_BLOCK_BYTES", "topic_prototypes",
           "canonical_numbers", "text_keys", "canonical_unique"]

#: Budget (bytes) of one block of similarities in :func:`top_k_similar`: 64 MiB, so a
#: block of queries against 144k fitted passages holds about 116 rows (the selection
#: needs about three times this while it runs). Below it (the seeds, the SaudiNewsNet
#: Sisi subset) every query fits in one block: one matrix product, as a dense vote.
NEIGHBOUR_BLOCK_BYTES = 64 * 2**20


def center_embeddings(embeddings: np.ndarray, center: np.ndarray) -> np.ndarray:
    """Subtract ``center`` from each row and L2-normalise the result.

    Parameters
    ----------
    embeddings : ndarray of shape (n_samples, dim)
    center : ndarray of shape (dim,)

    Returns
    -------
    ndarray of shape (n_samples, dim), float32.
    """
    x = np.asarray(embeddings, dtype=np.float32) - np.asarray(center, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


def size_parameters(n_documents: int) -> dict[str, int]:
    """Return UMAP/HDBSCAN/vectorizer sizes suited to ``n_documents``.

    ``n_neighbors = clip(round(sqrt(n)), 3, 15)``; ``n_components = min(5, n - 2)``;
    ``min_cluster_size = clip(round(sqrt(n) / 3), 3, 100)`` (3 for the seeds' ~30
    passages, 16 for 2,400, 100 from 90k); ``min_samples = max(1, min_cluster_size // 3)``
    (fewer outliers than HDBSCAN's default of ``min_cluster_size``); ``min_df`` is 1
    below 200 documents, else 2. With HDBSCAN's "leaf" selection (the model's
    default) these sizes avoid the lumping of larger clusters (on the SaudiNewsNet Sisi
    subset, about 2,400 passages, no topic above 5% of the passages where "eom" put a
    quarter of them in one); ``benchmarks/bench_topic_quality.py`` measures them
    against plain BERTopic.
    """
    if n_documents < 4:
        raise ValueError(
            f"at least 4 documents (passages) are needed to fit topics, got {n_documents}"
        )
    root = math.sqrt(n_documents)
    mcs = int(min(max(round(root / 3), 3), 100))
    return {
        "n_neighbors": int(min(max(round(root), 3), 15)),
        "n_components": int(min(5, n_documents - 2)),
        "min_cluster_size": mcs,
        "min_samples": max(1, mcs // 3),
        "min_df": 1 if n_documents < 200 else 2,
    }


def document_map(embeddings: np.ndarray, *, random_state: int = 0,
                 min_umap_docs: int = 12) -> np.ndarray:
    """Reduce centred, normalised embeddings to 2-D for document maps.

    UMAP (cosine, ``n_neighbors`` sized like the fit) from ``min_umap_docs``
    documents on, PCA below. Computed once per run and stored, so every figure and
    notebook draws the same coordinates.

    Returns
    -------
    ndarray of shape (n_documents, 2)
    """
    n = len(embeddings)
    if n < min_umap_docs:
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=random_state).fit_transform(embeddings)
    from umap import UMAP

    from ._umap import fit_umap

    reducer = UMAP(n_neighbors=size_parameters(n)["n_neighbors"], n_components=2,
                   min_dist=0.1, metric="cosine", random_state=random_state, n_jobs=1)
    return fit_umap(reducer, embeddings).embedding_


def _block_rows(n_items: int, block_rows: int | None) -> int:
    if block_rows is not None:
        if int(block_rows) < 1:
            raise ValueError(f"block_rows must be >= 1, got {block_rows!r}")
        return int(block_rows)
    return max(1, NEIGHBOUR_BLOCK_BYTES // (4 * max(n_items, 1)))


def _top_k_of_block(neg: np.ndarray, k: int) -> np.ndarray:
    """Return the indices of the ``k`` smallest entries of each row of ``neg``.

    ``neg`` holds negated similarities.

    The order is that of ``np.argsort(neg, axis=1, kind="stable")[:, :k]``: ascending
    values, equal values by ascending index.
    """
    n = neg.shape[1]
    if k >= n:
        return np.argsort(neg, axis=1, kind="stable")
    kth = np.partition(neg, k - 1, axis=1)[:, k - 1]
    # every entry not above the k-th value is a candidate: k of them, more when tied
    rows, cols = np.nonzero(neg <= kth[:, None])
    order = np.lexsort((cols, neg[rows, cols], rows))  # row, then value, then index
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, np.arange(len(neg)))
    return cols[starts[:, None] + np.arange(k)]


def top_k_similar(queries: np.ndarray, items: np.ndarray, k: int, *,
                  block_rows: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact ``k`` most similar items of every query (dot product), block by block.

    Parameters
    ----------
    queries : ndarray of shape (n_queries, dim)
        Unit-length rows (dot product = cosine similarity).
    items : ndarray of shape (n_items, dim)
        Unit-length rows; may be a read-only memory map.
    k : int
        Neighbours kept per query (at most ``n_items``).
    block_rows : int, optional
        Queries per block; default: as many as fit in :data:`NEIGHBOUR_BLOCK_BYTES`
        of similarities.

    Returns
    -------
    indices : ndarray of shape (n_queries, min(k, n_items)), int64
        Item indices, most similar first; among equal similarities the smaller index
        first (the order of ``np.argsort(-sims, axis=1, kind="stable")``).
    similarities : ndarray of shape (n_queries, min(k, n_items)), float32
        The corresponding similarities.
    """
    queries = np.asarray(queries, dtype=np.float32)
    items = np.asarray(items, dtype=np.float32)
    if queries.ndim != 2 or items.ndim != 2 or queries.shape[1] != items.shape[1]:
        raise ValueError(f"queries {queries.shape} and items {items.shape} must be 2-D "
                         "with the same number of columns")
    if int(k) < 1:
        raise ValueError(f"k must be >= 1, got {k!r}")
    k = min(int(k), items.shape[0])
    indices = np.empty((len(queries), k), dtype=np.int64)
    sims = np.empty((len(queries), k), dtype=np.float32)
    if len(queries) == 0 or k == 0:
        return indices, sims
    step = _block_rows(items.shape[0], block_rows)
    for start in range(0, len(queries), step):
        neg = -(queries[start:start + step] @ items.T)
        top = _top_k_of_block(neg, k)
        indices[start:start + step] = top
        sims[start:start + step] = -np.take_along_axis(neg, top, axis=1)
    return indices, sims


def _vote(sims: np.ndarray, neighbour_labels: np.ndarray, topics: np.ndarray,
          temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """Similarity-weighted vote of each query's neighbours (given most similar first)."""
    n = len(sims)
    winners = np.empty(n, dtype=np.int64)
    share = np.empty(n, dtype=np.float64)
    for i in range(n):
        s, lab = sims[i], neighbour_labels[i]
        w = np.exp((s - s.max()) / temperature)
        # one entry per topic; a topic without neighbours keeps a zero vote
        votes = np.zeros(len(topics), dtype=w.dtype)
        for t in np.unique(lab):
            votes[np.searchsorted(topics, t)] = w[lab == t].sum()
        best = int(np.argmax(votes))
        winners[i] = topics[best]
        share[i] = votes[best] / votes.sum()
    return winners, share


def knn_vote(sims: np.ndarray, labels: np.ndarray, k: int, *,
             temperature: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Similarity-weighted vote of the ``k`` most similar labelled items (dense input).

    Parameters
    ----------
    sims : ndarray of shape (n_queries, n_items)
        Cosine similarities of queries to labelled items.
    labels : ndarray of shape (n_items,)
        The items' labels.
    k : int
        Neighbours that vote (at most ``n_items``).
    temperature : float, default=0.05
        Softmax temperature on similarity: small values let the nearest item dominate.

    Returns
    -------
    winners : ndarray of shape (n_queries,)
        The label with the largest vote (ties: the smallest label).
    share : ndarray of shape (n_queries,)
        The winner's share of the vote.

    See Also
    --------
    neighbour_vote : the same vote from embeddings, without the dense matrix.
    """
    labels = np.asarray(labels)
    k = min(k, sims.shape[1])
    top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    return _vote(np.take_along_axis(sims, top, axis=1), labels[top], np.unique(labels),
                 temperature)


def neighbour_vote(queries: np.ndarray, items: np.ndarray, labels: np.ndarray, k: int, *,
                   temperature: float = 0.05, block_rows: int | None = None,
                   return_nearest: bool = False):
    """:func:`knn_vote` of ``queries @ items.T``, without forming that matrix.

    Parameters
    ----------
    queries : ndarray of shape (n_queries, dim)
        Centred, unit-length embeddings.
    items : ndarray of shape (n_items, dim)
        Centred, unit-length embeddings of the labelled items (may be memory-mapped).
    labels : ndarray of shape (n_items,)
        The items' labels.
    k : int
        Neighbours that vote (at most ``n_items``).
    temperature : float, default=0.05
        Softmax temperature on similarity.
    block_rows : int, optional
        Queries per block (see :func:`top_k_similar`).
    return_nearest : bool, default=False
        Also return each query's nearest item and its similarity.

    Returns
    -------
    winners : ndarray of shape (n_queries,)
        The label with the largest vote (ties: the smallest label).
    share : ndarray of shape (n_queries,)
        The winner's share of the vote.
    nearest : ndarray of shape (n_queries,), int64
        Only with ``return_nearest``: index of the most similar item (ties: the
        smallest index, as ``argmax``).
    nearest_similarity : ndarray of shape (n_queries,), float32
        Only with ``return_nearest``.

    Notes
    -----
    Memory is ``O(block_rows * n_items + n_queries * k)``; the result is that of
    :func:`knn_vote` on the dense matrix (see the module notes on the last bit of
    the similarities).
    """
    labels = np.asarray(labels)
    top, sims = top_k_similar(queries, items, k, block_rows=block_rows)
    winners, share = _vote(sims, labels[top], np.unique(labels), temperature)
    if not return_nearest:
        return winners, share
    return winners, share, top[:, 0].copy(), sims[:, 0].copy()


def topic_prototypes(embeddings: np.ndarray, labels: np.ndarray, *, temperature: float = 0.02,
                     n_iter: int = 200, learning_rate: float = 0.5
                     ) -> tuple[np.ndarray, np.ndarray, float]:
    """One unit vector per topic such that the most cosine-similar one gives each row's label.

    BERTopic assigns a document to the topic whose embedding is most cosine-similar
    (a reloaded BERTopic has no UMAP or HDBSCAN). Topic centroids reproduce the
    neighbour vote of :meth:`~research.topics.ArabicTopicModel.predict` on a fraction
    of the fitted passages only (about 80% of the 2,344 unique passages of the
    SaudiNewsNet Sisi run). Starting from the normalised centroids, the prototypes are
    refined by full-batch gradient descent on the cross-entropy of a softmax over
    ``cosine / temperature`` (gradients projected on the unit sphere), which is
    deterministic; the iterate with the highest agreement is kept (the earliest among
    equals), and the descent stops when every row agrees. On the SaudiNewsNet run
    this reproduces 98.8% of the fitted topics (outliers included), and on held-out
    passages it agrees with the fitted topics as often as the centroids do.

    Parameters
    ----------
    embeddings : ndarray of shape (n_samples, dim)
        Centred, L2-normalised embeddings (the model's ``embeddings_``).
    labels : ndarray of shape (n_samples,)
        Their topics (``-1`` included when present).
    temperature : float, default=0.02
        Softmax temperature on cosine similarity.
    n_iter : int, default=200
        Most gradient steps.
    learning_rate : float, default=0.5

    Returns
    -------
    topics : ndarray of shape (n_topics,)
        The sorted distinct labels.
    prototypes : ndarray of shape (n_topics, dim)
        float32 unit vectors, row ``i`` for ``topics[i]``.
    agreement : float
        Share of rows whose most cosine-similar prototype is their label's.

    Raises
    ------
    ValueError
        When ``embeddings`` and ``labels`` have different lengths or are empty.
    """
    x = np.asarray(embeddings, dtype=np.float64)
    labels = np.asarray(labels)
    if len(x) == 0 or len(x) != len(labels):
        raise ValueError(f"need as many labels as embeddings (> 0), got {len(labels)} labels "
                         f"for {len(x)} rows")
    topics, idx = np.unique(labels, return_inverse=True)

    def unit(v: np.ndarray) -> np.ndarray:
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)

    def agreement(w: np.ndarray) -> float:
        return float(np.mean(np.argmax(x @ w.T, axis=1) == idx))

    onehot = np.eye(len(topics))[idx]
    w = unit(np.stack([x[idx == k].mean(axis=0) for k in range(len(topics))]))
    best, best_agree = w, agreement(w)
    for _ in range(n_iter):
        if best_agree == 1.0:
            break
        s = x @ w.T / temperature
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - onehot).T @ x / (temperature * len(x))
        grad -= (grad * w).sum(axis=1, keepdims=True) * w
        w = unit(w - learning_rate * grad)
        if (a := agreement(w)) > best_agree:
            best, best_agree = w, a
    return topics, best.astype(np.float32), best_agree


def canonical_numbers(labels: np.ndarray, copies: np.ndarray, keys: list[str]) -> np.ndarray:
    """Renumber topics by size (copies counted, largest first), ties by smallest text hash."""
    sizes: dict[int, int] = {}
    smallest: dict[int, str] = {}
    for label, n, key in zip(labels.tolist(), copies.tolist(), keys, strict=True):
        if label == -1:
            continue
        sizes[label] = sizes.get(label, 0) + n
        smallest[label] = min(smallest.get(label, key), key)
    order = sorted(sizes, key=lambda t: (-sizes[t], smallest[t]))
    mapping = {old: new for new, old in enumerate(order)}
    mapping[-1] = -1
    return np.asarray([mapping[t] for t in labels.tolist()], dtype=np.int64)


def text_keys(texts) -> list[str]:
    """Return the canonical key of each text: the hex SHA-256 of its UTF-8 bytes.

    Sorting by it gives an order that does not depend on the input's row order (the
    fit, the document map, story representatives and the hierarchy use it).
    """
    return [hashlib.sha256(str(t).encode("utf-8")).hexdigest() for t in texts]


def majority_of_copies(labels: np.ndarray, copies: np.ndarray) -> np.ndarray:
    """Return one topic per text from the topics of its copies.

    Parameters
    ----------
    labels : ndarray of shape (copies.sum(),), int
        Topic of every fitted row, the copies of each text on consecutive rows, texts
        in the order of ``copies``; ``-1`` is the outlier topic.
    copies : ndarray of shape (n_texts,), int
        Number of rows (>= 1) of each text.

    Returns
    -------
    ndarray of shape (n_texts,), int64
        The topic most of the text's copies got; ties go to a topic before ``-1``, then
        to the lower topic number.

    Raises
    ------
    ValueError
        When ``labels`` does not have ``copies.sum()`` rows.
    """
    labels = np.asarray(labels, dtype=np.int64)
    copies = np.asarray(copies, dtype=np.int64)
    if len(labels) != int(copies.sum()):
        raise ValueError(f"{len(labels)} labels for {int(copies.sum())} copies")
    starts = np.concatenate([[0], np.cumsum(copies)[:-1]]).astype(np.int64)
    out = labels[starts].copy()
    for text in np.flatnonzero(copies > 1):
        values, counts = np.unique(labels[starts[text]:starts[text] + copies[text]],
                                   return_counts=True)
        tied = values[counts == counts.max()]
        topical = tied[tied != -1]
        out[text] = topical.min() if len(topical) else -1
    return out


def canonical_unique(keys: list[str]) -> tuple[list[str], np.ndarray]:
    """Return the distinct keys, sorted, and the first row holding each.

    Parameters
    ----------
    keys : list of str
        :func:`text_keys` of the rows.

    Returns
    -------
    canon : list of str
        The distinct keys in sorted (canonical) order.
    rows : ndarray of shape (len(canon),), int64
        For each, the index of its first row.
    """
    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        first.setdefault(k, i)
    canon = sorted(first)
    return canon, np.asarray([first[k] for k in canon], dtype=np.int64)
