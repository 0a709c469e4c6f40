"""Topic quality of this package's pipeline against plain BERTopic (project issue 6).

On the passages the pipeline fits (SaudiNewsNet articles containing ``--filter``,
cleaned and segmented, one representative per near-duplicate group), fits

(a) ``ArabicTopicModel(embedder, random_state=0, seed_topic_list=theme_seed_topic_list())``;
(b) ``BERTopic(language="multilingual")`` as a typical user runs it: default vectorizer,
    c-TF-IDF, HDBSCAN and sizes; only ``umap_model`` is given, BERTopic's own default
    UMAP plus ``random_state=0``, because unseeded UMAP is not reproducible;

on the same raw (uncentred) embeddings, and prints side by side: topics, largest topic
share, outlier share, NPMI coherence on these passages, topic diversity, stop words and
non-Arabic words among the top words, and stage timings. Each model is scored in its own
vocabulary: a term occurs in a passage when that model's analyzer produces it there.

* NPMI (Bouma 2009): top-10 words of each topic, document co-occurrence over the
  passages, ``log(p(ij) / (p(i) p(j))) / -log p(ij)``, -1 for pairs that never
  co-occur; averaged over pairs, then over topics.
* Diversity (Dieng et al. 2020): unique / total words over the top-25 words of all
  topics, read from the c-TF-IDF matrix (the ranking the representations come from).

Corpus text is read from ``--corpus`` and never written anywhere.

Usage::

    python benchmarks/bench_topic_quality.py [--corpus PATH] [--filter TEXT] [--engine auto]
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "saudinewsnet"
SEED = 0


def sisi_passages(corpus: Path, contains: str) -> tuple[list[str], dict[str, int]]:
    """Passages of the near-duplicate representatives, as :func:`research.pipeline.run` fits."""
    from research.corpus import CorpusFilter, read_corpus
    from research.dedup import near_duplicate_groups
    from research.passages import prepare_passages

    loaded = read_corpus(corpus, filter=CorpusFilter(contains=(contains,)))
    prepared = prepare_passages(loaded.articles, min_words=25, max_words=120)
    groups = near_duplicate_groups(prepared.articles["body"].tolist(), threshold=0.7,
                                   random_state=SEED)
    reps = prepared.articles["article_id"][groups == np.arange(len(groups))]
    passages = prepared.passages[prepared.passages["article_id"].isin(set(reps))]
    counts = {"articles": len(prepared.articles), "representatives": len(reps),
              "passages": len(prepared.passages), "fitted passages": len(passages)}
    return passages["text"].tolist(), counts


def top_terms(bertopic_model, n: int) -> dict[int, list[str]]:
    """Top ``n`` terms of each topic (not -1) by c-TF-IDF, ties broken by term."""
    names = bertopic_model.vectorizer_model.get_feature_names_out()
    matrix = bertopic_model.c_tf_idf_.tocsr()
    topics = sorted(set(bertopic_model.topics_))  # c-TF-IDF rows follow this order
    out = {}
    for row, topic in enumerate(topics):
        if topic == -1:
            continue
        r = matrix.getrow(row)
        ranked = sorted(zip(-r.data, names[r.indices], strict=True))
        out[topic] = [str(term) for score, term in ranked[:n] if score < 0]
    return out


def npmi(topics: dict[int, list[str]], texts: list[str], analyzer) -> float:
    """Mean over topics of the mean NPMI of word pairs (document co-occurrence)."""
    vocab = sorted({w for words in topics.values() for w in words})
    index = {w: i for i, w in enumerate(vocab)}
    present = np.zeros((len(texts), len(vocab)), dtype=bool)
    for d, text in enumerate(texts):
        hits = [index[f] for f in set(analyzer(text)) if f in index]
        present[d, hits] = True
    x = present.astype(np.float64)
    df, co, n = x.sum(axis=0), x.T @ x, len(texts)
    per_topic = []
    for words in topics.values():
        scores = []
        for a, b in itertools.combinations([index[w] for w in words], 2):
            if co[a, b] == 0:
                scores.append(-1.0)
                continue
            p_ab, p_a, p_b = co[a, b] / n, df[a] / n, df[b] / n
            scores.append(1.0 if p_ab == 1 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))
        if scores:
            per_topic.append(float(np.mean(scores)))
    return float(np.mean(per_topic)) if per_topic else float("nan")


def diversity(topics: dict[int, list[str]]) -> float:
    words = [w for ws in topics.values() for w in ws]
    return len(set(words)) / len(words) if words else float("nan")


def figures(labels, top10, top25, texts, analyzer) -> dict[str, float]:
    from research.arabic import arabic_stop_words, is_arabic_word, normalize_arabic

    labels = np.asarray(labels)
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(1)
    stop = arabic_stop_words()
    words = [w for ws in top10.values() for w in ws]
    non_arabic = sum(sum(is_arabic_word(w) for w in ws) < len(ws) / 2 for ws in top10.values())
    return {
        "topics": int(len(set(labels.tolist()) - {-1})),
        "largest topic share": float(sizes.max() / len(labels)),
        "outlier share": float((labels == -1).mean()),
        "NPMI (top 10)": npmi(top10, texts, analyzer),
        "diversity (top 25)": diversity(top25),
        "stop-word share (top 10)": (sum(normalize_arabic(w) in stop for w in words)
                                     / max(len(words), 1)),
        "non-Arabic topics": int(non_arabic),
    }


def fit_package(texts, embeddings, embedder):
    from research.arabic import ArabicAnalyzer
    from research.themes import theme_seed_topic_list
    from research.topics import ArabicTopicModel

    model = ArabicTopicModel(embedder, random_state=SEED, seed_topic_list=theme_seed_topic_list())
    start = time.perf_counter()
    model.fit(texts, embeddings=embeddings.copy())
    seconds = time.perf_counter() - start
    words = model.topic_words()
    words = words[(words["topic"] != -1) & (words["rank"] < 10)]
    top10 = {int(t): g["term"].tolist() for t, g in words.groupby("topic", sort=True)}
    top25 = top_terms(model.bertopic_, 25)
    analyzer = model.bertopic_.vectorizer_model.build_analyzer()  # the ArabicAnalyzer
    assert isinstance(model.bertopic_.vectorizer_model.analyzer, ArabicAnalyzer)
    return model, seconds, figures(model.labels_, top10, top25, texts, analyzer), top10


def fit_plain(texts, embeddings):
    from bertopic import BERTopic
    from umap import UMAP

    # BERTopic's default UMAP (bertopic/_bertopic.py), seeded; nothing else changed.
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                      low_memory=False, random_state=SEED)
    model = BERTopic(language="multilingual", umap_model=umap_model)
    start = time.perf_counter()
    labels, _ = model.fit_transform(texts, embeddings=embeddings.copy())
    seconds = time.perf_counter() - start
    top10 = {t: [w for w, s in model.get_topic(t) if w and s > 0][:10]
             for t in sorted(set(labels) - {-1})}
    top25 = top_terms(model, 25)
    analyzer = model.vectorizer_model.build_analyzer()
    return model, seconds, figures(labels, top10, top25, texts, analyzer), top10


def verdicts(a: dict, b: dict, bound: int) -> dict[str, tuple[str, str]]:
    """For each figure, the better direction and "yes"/"tie"/"NO": does (a) beat (b)?"""
    lower = {"largest topic share", "outlier share", "stop-word share (top 10)",
             "non-Arabic topics"}
    out = {}
    for name in a:
        x, y, direction = a[name], b[name], "higher"
        if name == "topics":  # more topics are better only up to the sanity bound
            x, y, direction = min(x, bound), min(y, bound), f"more, up to {bound}"
        elif name in lower:
            x, y, direction = -x, -y, "fewer" if name == "non-Arabic topics" else "lower"
        out[name] = (direction, "yes" if x > y else "tie" if x == y else "NO")
    return out


def fmt(value) -> str:
    return f"{value:d}" if isinstance(value, int) else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="SaudiNewsNet folder of daily zips (default: %(default)s)")
    parser.add_argument("--filter", default="السيسي",
                        help="keep articles containing this text (default: %(default)s)")
    parser.add_argument("--engine", default="auto",
                        help="embedding engine of research.embedding.get_embedder")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir() or not any(args.corpus.glob("*.zip")):
        sys.exit(f"SaudiNewsNet corpus not found at {args.corpus} (a folder of daily .zip "
                 "files); pass --corpus PATH. This benchmark needs the real corpus.")

    from research.embedding import get_embedder
    from research.persistence import package_versions

    timings = {}
    start = time.perf_counter()
    texts, counts = sisi_passages(args.corpus, args.filter)
    timings["ingest + clean + segment + near-duplicates"] = time.perf_counter() - start
    if len(texts) < 50:
        sys.exit(f"only {len(texts)} passages contain {args.filter!r}; need at least 50")

    embedder = get_embedder(engine=args.engine)
    cache = getattr(embedder, "_cache", lambda kind: None)("passage")
    if cache is not None:
        from research.cache import text_hash

        cached = sum(text_hash(t) in cache.index for t in texts)
        embed_label = f"embed ({cached}/{len(texts)} cached)"
    else:
        embed_label = "embed (cache disabled)"
    start = time.perf_counter()
    embeddings = embedder.embed_passages(texts)
    timings[embed_label] = time.perf_counter() - start

    model_a, timings["fit (a) package"], a, words_a = fit_package(texts, embeddings, embedder)
    model_b, timings["fit (b) plain BERTopic"], b, words_b = fit_plain(texts, embeddings)

    print("# Topic quality: this package vs plain BERTopic (project issue 6)")
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"os.cpu_count()={os.cpu_count()}, python {platform.python_version()}")
    if hasattr(os, "getloadavg"):
        print("load average (1, 5, 15 min) after the fits, other processes included: "
              + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    versions = package_versions()
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"embedder: {embedder.describe()}")
    print(f"corpus: {args.corpus}, filter {args.filter!r}: " +
          ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"(a) ArabicTopicModel(random_state={SEED}, seed_topic_list=theme seeds), "
          f"sizes {model_a.sizes_}")
    print(f"(b) BERTopic(language='multilingual', umap_model=UMAP(<BERTopic defaults>, "
          f"random_state={SEED})): seeded UMAP is needed for a deterministic run; "
          f"vectorizer, c-TF-IDF, HDBSCAN (min_topic_size={model_b.min_topic_size}) default")
    print("both fitted on the same raw embeddings "
          f"{embeddings.shape[0]} x {embeddings.shape[1]}\n")

    bound = round(math.sqrt(len(texts)))
    judged = verdicts(a, b, bound)
    width = max(map(len, judged)) + 2
    print(f"{'figure':<{width}}{'(a) package':>13}{'(b) plain':>12}  {'better':<16}"
          "package wins")
    for name, (direction, verdict) in judged.items():
        print(f"{name:<{width}}{fmt(a[name]):>13}{fmt(b[name]):>12}  {direction:<16}{verdict}")
    print(f"\nsanity bound on topics: round(sqrt(passages)) = {bound}")
    core = ["topics", "largest topic share", "outlier share", "NPMI (top 10)",
            "diversity (top 25)"]
    print("package better on every quality figure (" + ", ".join(core) + "): "
          + ("yes" if all(judged[k][1] == "yes" for k in core) else "NO"))

    print("\ntimings (s)")
    for name, seconds in timings.items():
        print(f"  {name:<48}{seconds:8.1f}")

    for tag, words, labels in (("(a) package", words_a, model_a.labels_),
                               ("(b) plain", words_b, model_b.topics_)):
        print(f"\n{tag}: largest 5 topics (passages), top 6 words")
        sizes = np.bincount(np.asarray(labels)[np.asarray(labels) >= 0])
        for topic in sorted(words, key=lambda t: (-sizes[t], t))[:5]:
            print(f"  {topic:>3} ({sizes[topic]:>4}): " + " | ".join(words[topic][:6]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
