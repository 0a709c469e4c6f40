"""Geometry of the embedding space: centring, corpus-sized parameters, neighbours, 2-D maps."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["center_embeddings", "size_parameters", "document_map", "knn_vote"]


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
