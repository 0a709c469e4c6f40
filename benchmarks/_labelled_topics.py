"""Labelled mode of bench_topic_quality: article-level topics against hand-labelled themes.

Imported by ``bench_topic_quality.py --labels``; see its docstring.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd


def article_embeddings(passages: pd.DataFrame, embeddings: np.ndarray) -> tuple[list, np.ndarray]:
    """Mean of each article's passage embeddings (word-weighted), L2-normalised."""
    ids = list(pd.unique(passages["article_id"]))
    w = passages["n_words"].to_numpy(float)
    sums = pd.DataFrame(embeddings * w[:, None]).groupby(passages["article_id"].to_numpy()).sum()
    a = sums.loc[ids].to_numpy().copy()
    return ids, a / np.linalg.norm(a, axis=1, keepdims=True)


def package_topics(run, embedder, random_state: int,
                   nr_topics: int | None) -> tuple[pd.Series, int]:
    """Dominant topic per article as `research run` computes it (fit, then word shares)."""
    from research.pipeline import RunConfig, article_topic_shares, dominant_topics, fit_topics

    articles = run.articles
    representatives = set(articles.loc[articles["is_representative"].astype(str).str.lower()
                                       == "true", "article_id"])
    config = RunConfig(corpus="", out="", random_state=random_state, nr_topics=nr_topics)
    model, assigned = fit_topics(run.passages, run.embeddings, representatives, embedder,
                                 config)
    passages = run.passages.assign(topic=assigned["topic"].to_numpy())
    n_topics = len(set(model.embedding_labels_.tolist()) - {-1})
    return dominant_topics(article_topic_shares(passages)), n_topics


def kmeans_topics(ids, a: np.ndarray, k: int, random_state: int) -> pd.Series:
    """k-means on centred article embeddings (the issue's second baseline)."""
    from sklearn.cluster import KMeans

    c = a - a.mean(axis=0)
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    labels = KMeans(n_clusters=k, n_init=10, random_state=random_state).fit(c).labels_
    return pd.Series(labels, index=ids)


def bertopic_topics(ids, texts, a: np.ndarray, k: int | None,
                    random_state: int) -> tuple[pd.Series, int]:
    """Plain BERTopic(language="multilingual") on article embeddings, reduced to ``k``."""
    from bertopic import BERTopic
    from umap import UMAP

    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                random_state=random_state)
    model = BERTopic(language="multilingual", umap_model=umap, nr_topics=k)
    topics, _ = model.fit_transform(texts, embeddings=a)
    topics = np.asarray(topics)
    return pd.Series(topics, index=ids), len(set(topics.tolist()) - {-1})


def run_labelled(run_dir, labels_path, split: str, random_states, ks, out=print) -> int:
    """Print AMI of article-level topics vs labelled themes: package vs both baselines."""
    from sklearn.metrics import adjusted_mutual_info_score as ami

    from research.embed import embedder_from_record
    from research.runs import load_run
    from research.validation import read_labels

    run = load_run(run_dir)
    embedder = embedder_from_record(run.record["embedder"])
    labels = read_labels(labels_path)
    if split != "all":
        labels = labels[labels["split"] == split]
    labels = labels[labels["theme"] != ""].set_index("article_id")["theme"]
    ids, a = article_embeddings(run.passages, run.embeddings)
    labels = labels[labels.index.isin(ids)]
    texts = run.passages.groupby("article_id")["text"].apply(" ".join).loc[ids].tolist()
    out(f"# Article-level topics against hand-labelled themes ({split}: {len(labels)} "
        f"articles of {len(ids)}; {labels.nunique()} themes)")
    out("AMI (adjusted mutual information, Vinh et al. 2010) of each grouping with the themes,"
        " at matched numbers of topics K")
    rows = []
    for r in random_states:
        start = time.perf_counter()
        native, k_native = package_topics(run, embedder, r, None)
        for k in [k_native, *ks]:
            pkg, k_pkg = (native, k_native) if k == k_native else package_topics(run, embedder,
                                                                                r, k)
            km = kmeans_topics(ids, a, k, r)
            bt, k_bt = bertopic_topics(ids, texts, a, k, r)
            y = labels.to_numpy()
            rows.append({
                "seed": r, "K": "native" if k == k_native else k, "k_package": k_pkg,
                "package": ami(y, pkg.reindex(labels.index).fillna(-1)),
                "kmeans": ami(y, km.reindex(labels.index)),
                "bertopic": ami(y, bt.reindex(labels.index)), "k_bertopic": k_bt,
            })
        out(f"  seed {r}: done in {time.perf_counter() - start:.0f} s")
    table = pd.DataFrame(rows)
    out("\nper seed:\n" + table.round(3).to_string(index=False))
    out("\nmedians over seeds:")
    wins = []
    for k, group in table.groupby("K", sort=False):
        med = {m: statistics.median(group[m]) for m in ("package", "kmeans", "bertopic")}
        won = med["package"] > med["kmeans"] and med["package"] > med["bertopic"]
        wins.append(won)
        out(f"  K={k!s:>6} (package topics {int(statistics.median(group['k_package']))}, "
            f"BERTopic {int(statistics.median(group['k_bertopic']))}): package "
            f"{med['package']:.3f}, k-means {med['kmeans']:.3f}, BERTopic "
            f"{med['bertopic']:.3f}  -> package beats both: {'yes' if won else 'NO'}")
    out("\npackage beats both baselines at every K: " + ("yes" if all(wins) else "NO"))
    return 0
