"""Topic quality of this package's pipeline against plain BERTopic (project issue 6).

On the passages the pipeline fits (SaudiNewsNet articles containing ``--filter``,
cleaned and segmented, one representative per near-duplicate group), fits

(a) ``ArabicTopicModel(embedder, random_state=r, seed_topic_list=theme_seed_topic_list())``;
(b) ``BERTopic(language="multilingual")`` as a typical user runs it: default vectorizer,
    c-TF-IDF, HDBSCAN and sizes; only ``umap_model`` is given, BERTopic's own default
    UMAP plus ``random_state=r``, because unseeded UMAP is not reproducible;

on the same raw (uncentred) embeddings, for several UMAP seeds ``r`` (default 0-4), and
prints side by side: topics, largest topic share, outlier share, NPMI coherence on these
passages, topic diversity, stop words and non-Arabic words among the top words, and
stage timings. Each model is scored in its own vocabulary: a term occurs in a passage
when that model's analyzer produces it there.

Why several seeds: every figure moves with the UMAP seed, plain BERTopic's most of all
(on the Sisi subset its largest topic holds 3% of the passages at one seed and 29% at
another), so one seed rewards a lucky draw. The verdicts compare the medians over the
seeds; the per-seed figures and the number of seeds each model wins are printed too.

The number of topics has no better direction (it is set mostly by the minimum cluster
size, that is by the user): it is reported as context, with a check that it lies
between ``sqrt(n) / 2`` and ``2 sqrt(n)`` for ``n`` passages.

* NPMI (Bouma 2009): top-10 words of each topic, document co-occurrence over the
  passages, ``log(p(ij) / (p(i) p(j))) / -log p(ij)``, -1 for pairs that never
  co-occur; averaged over pairs, then over topics.
* Diversity (Dieng et al. 2020): unique / total words over the top-25 words of all
  topics, read from the c-TF-IDF matrix (the ranking the representations come from).

Corpus text is read from ``--corpus`` and never written anywhere.

Labelled mode (``--labels SHEET --run RUN [--split dev|test|all]``): on a run's
articles that a researcher labelled with themes (``research sample``), compares the
package's article-level topics (each article's dominant topic by word share, as
``articles.csv`` has it; the package fitted as ``research run`` fits it, at its own
number of topics and reduced with ``nr_topics`` to each ``--k``) with two baselines on
the same embeddings at the same number of topics K: k-means on the centred article
embeddings (mean of the passages) and plain ``BERTopic(language="multilingual")`` on
the article embeddings with ``nr_topics=K``. It prints the adjusted mutual information
of each grouping with the hand-labelled themes per seed and the medians over seeds.

Usage::

    python benchmarks/bench_topic_quality.py [--corpus PATH] [--filter TEXT] [--engine auto]
    python benchmarks/bench_topic_quality.py --labels SHEET.csv --run RUN --split dev
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # measure this checkout's code, not another installed copy
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "saudinewsnet"
SEED = 0


def sisi_passages(corpus: Path, contains: str) -> tuple[list[str], dict[str, int]]:
    """Passages of the near-duplicate representatives, as :func:`research.pipeline.run` fits."""
    from research.corpus import CorpusFilter, near_duplicate_groups, read_corpus
    from research.text import prepare_passages

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
    from research.text import arabic_stop_words, is_arabic_word, normalize_arabic

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


def fit_package(texts, embeddings, embedder, random_state: int):
    from research.text import ArabicAnalyzer
    from research.themes import theme_seed_topic_list
    from research.topics import ArabicTopicModel

    model = ArabicTopicModel(embedder, random_state=random_state,
                             seed_topic_list=theme_seed_topic_list())
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


def fit_plain(texts, embeddings, random_state: int):
    from bertopic import BERTopic
    from umap import UMAP

    # BERTopic's default UMAP (bertopic/_bertopic.py), seeded; nothing else changed.
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                      low_memory=False, random_state=random_state)
    model = BERTopic(language="multilingual", umap_model=umap_model)
    start = time.perf_counter()
    labels, _ = model.fit_transform(texts, embeddings=embeddings.copy())
    seconds = time.perf_counter() - start
    top10 = {t: [w for w, s in model.get_topic(t) if w and s > 0][:10]
             for t in sorted(set(labels) - {-1})}
    top25 = top_terms(model, 25)
    analyzer = model.vectorizer_model.build_analyzer()
    return model, seconds, figures(labels, top10, top25, texts, analyzer), top10


LOWER = {"largest topic share", "outlier share", "stop-word share (top 10)",
         "non-Arabic topics"}
QUALITY = ["largest topic share", "outlier share", "NPMI (top 10)", "diversity (top 25)"]


def topic_range(n_passages: int) -> tuple[int, int]:
    """Plausible number of topics: sqrt(n) / 2 to 2 sqrt(n)."""
    root = math.sqrt(n_passages)
    return math.ceil(root / 2), math.floor(2 * root)


def beats(name: str, x: float, y: float) -> str:
    """"yes" / "tie" / "NO": is ``x`` (package) better than ``y`` (plain) on ``name``?"""
    if name in LOWER:
        x, y = -x, -y
    return "yes" if x > y else "tie" if x == y else "NO"


def summary(runs: list[dict], name: str) -> tuple[float, float, float]:
    values = [r[name] for r in runs]
    return statistics.median(values), min(values), max(values)


def fmt(value) -> str:
    return f"{value:d}" if isinstance(value, int) else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="SaudiNewsNet folder of daily zips (default: %(default)s)")
    parser.add_argument("--filter", default="السيسي",
                        help="keep articles containing this text (default: %(default)s)")
    parser.add_argument("--engine", default="auto",
                        help="embedding engine of research.embed.get_embedder")
    parser.add_argument("--random-states", type=int, nargs="+", default=[0, 1, 2, 3, 4],
                        help="UMAP seeds to fit both models with (default: 0 1 2 3 4)")
    parser.add_argument("--labels", type=Path, default=None,
                        help="labelled mode: a filled labelling sheet (research sample); "
                             "needs --run")
    parser.add_argument("--run", type=Path, default=None,
                        help="labelled mode: the run folder of the labelled articles")
    parser.add_argument("--split", default="all",
                        help="labelled mode: score this split (dev, test or all)")
    parser.add_argument("--k", type=int, nargs="*", default=[20, 10],
                        help="labelled mode: numbers of topics to match besides the "
                             "package's own (default: 20 10)")
    args = parser.parse_args(argv)
    if args.labels is not None:
        if args.run is None:
            sys.exit("--labels needs --run RUN (the run folder of the labelled articles)")
        from _labelled_topics import run_labelled

        return run_labelled(args.run, args.labels, args.split, args.random_states, args.k)
    if not args.corpus.is_dir() or not any(args.corpus.glob("*.zip")):
        sys.exit(f"SaudiNewsNet corpus not found at {args.corpus} (a folder of daily .zip "
                 "files); pass --corpus PATH. This benchmark needs the real corpus.")

    from research import package_versions
    from research.embed import get_embedder

    timings = {}
    start = time.perf_counter()
    texts, counts = sisi_passages(args.corpus, args.filter)
    timings["ingest + clean + segment + near-duplicates"] = time.perf_counter() - start
    if len(texts) < 50:
        sys.exit(f"only {len(texts)} passages contain {args.filter!r}; need at least 50")

    embedder = get_embedder(engine=args.engine)
    cache = embedder.cache("passage")
    if cache is not None:
        cached = cache.count_cached(texts)
        embed_label = f"embed ({cached}/{len(texts)} cached)"
    else:
        embed_label = "embed (cache disabled)"
    start = time.perf_counter()
    embeddings = embedder.embed_passages(texts)
    timings[embed_label] = time.perf_counter() - start

    runs_a, runs_b, seconds_a, seconds_b, first = [], [], [], [], None
    for r in args.random_states:
        model_a, t_a, a, words_a = fit_package(texts, embeddings, embedder, r)
        model_b, t_b, b, words_b = fit_plain(texts, embeddings, r)
        runs_a.append(a)
        runs_b.append(b)
        seconds_a.append(t_a)
        seconds_b.append(t_b)
        if first is None:
            first = (r, model_a, words_a, model_b, words_b)
    timings["fit (a) package, median per seed"] = statistics.median(seconds_a)
    timings["fit (b) plain BERTopic, median per seed"] = statistics.median(seconds_b)

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
    print("(a) ArabicTopicModel(random_state=r, seed_topic_list=theme seeds)")
    print("(b) BERTopic(language='multilingual', umap_model=UMAP(<BERTopic defaults>, "
          "random_state=r)): seeded UMAP is needed for a deterministic run; vectorizer, "
          f"c-TF-IDF, HDBSCAN (min_topic_size={first[3].min_topic_size}) default")
    print(f"both fitted on the same raw embeddings {embeddings.shape[0]} x "
          f"{embeddings.shape[1]}, for r in {args.random_states}\n")

    print("per seed: topics / largest share / outlier share / NPMI / diversity")
    core = ["topics", *QUALITY]
    for r, a, b in zip(args.random_states, runs_a, runs_b, strict=True):
        print(f"  r={r}: (a) " + " / ".join(fmt(a[k]) for k in core)
              + "   (b) " + " / ".join(fmt(b[k]) for k in core))

    lo, hi = topic_range(len(texts))
    width = max(map(len, runs_a[0])) + 2
    print(f"\n{'figure (median [min, max])':<{width}}{'(a) package':>24}{'(b) plain':>24}  "
          f"{'better':<10}package wins (median; seeds won)")
    for name in runs_a[0]:
        ma, la, ha = summary(runs_a, name)
        mb, lb, hb = summary(runs_b, name)
        cells = [f"{fmt(ma)} [{fmt(la)}, {fmt(ha)}]", f"{fmt(mb)} [{fmt(lb)}, {fmt(hb)}]"]
        if name == "topics":
            inside = [lo <= m <= hi for m in (ma, mb)]
            verdict = ("context: in [{}, {}]: (a) {}, (b) {}".format(
                lo, hi, *("yes" if i else "NO" for i in inside)))
            direction = "none"
        else:
            direction = "lower" if name in LOWER else "higher"
            won = sum(beats(name, a[name], b[name]) == "yes"
                      for a, b in zip(runs_a, runs_b, strict=True))
            verdict = f"{beats(name, ma, mb)}; {won}/{len(runs_a)}"
        print(f"{name:<{width}}{cells[0]:>24}{cells[1]:>24}  {direction:<10}{verdict}")
    wins = all(beats(k, summary(runs_a, k)[0], summary(runs_b, k)[0]) == "yes" for k in QUALITY)
    print("\npackage better on every quality figure (" + ", ".join(QUALITY)
          + ") by the median over seeds: " + ("yes" if wins else "NO"))
    in_range = lo <= summary(runs_a, "topics")[0] <= hi
    print(f"package's number of topics within [{lo}, {hi}]: " + ("yes" if in_range else "NO"))

    print("\ntimings (s)")
    for name, seconds in timings.items():
        print(f"  {name:<48}{seconds:8.1f}")

    r, model_a, words_a, model_b, words_b = first
    for tag, words, labels in (("(a) package", words_a, model_a.labels_),
                               ("(b) plain", words_b, model_b.topics_)):
        print(f"\n{tag}, r={r}: largest 5 topics (passages), top 6 words")
        sizes = np.bincount(np.asarray(labels)[np.asarray(labels) >= 0])
        for topic in sorted(words, key=lambda t: (-sizes[t], t))[:5]:
            print(f"  {topic:>3} ({sizes[topic]:>4}): " + " | ".join(words[topic][:6]))
    return 0


if __name__ == "__main__":
    from _kernels import rerun_pinned

    rerun_pinned()  # fit as `research run` does: math kernels pinned (_kernels.py)
    sys.exit(main())
