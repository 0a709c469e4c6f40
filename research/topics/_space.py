"""Geometry of the embedding space: centring, corpus-sized parameters, neighbours, 2-D maps."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["center_embeddings", "size_parameters", "document_map", "knn_vote", "topic_prototypes",
           "canonical_numbers"]


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

    reducer = UMAP(n_neighbors=size_parameters(n)["n_neighbors"], n_components=2,
                   min_dist=0.1, metric="cosine", random_state=random_state, n_jobs=1)
    return reducer.fit_transform(embeddings)


def knn_vote(sims: np.ndarray, labels: np.ndarray, k: int, *,
             temperature: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Similarity-weighted vote of the ``k`` most similar labelled items.

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
    """
    k = min(k, sims.shape[1])
    top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    topics = np.unique(labels)
    winners = np.empty(len(sims), dtype=np.int64)
    share = np.empty(len(sims), dtype=np.float64)
    for i, idx in enumerate(top):
        s = sims[i, idx]
        w = np.exp((s - s.max()) / temperature)
        votes = np.array([w[labels[idx] == t].sum() for t in topics])
        best = int(np.argmax(votes))
        winners[i] = topics[best]
        share[i] = votes[best] / votes.sum()
    return winners, share


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
