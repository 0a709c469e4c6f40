"""Scale of the fit stage: time and peak memory from 10k to 144k passages (issue 17).

Precomputed embeddings: the embedding stage is cached and measured elsewhere
(``bench_cost.py``, ``bench_embedding_engines.py``); this measures what comes after
it, the run's fit stage (:func:`research.pipeline.fit_sample`, then
:class:`research.topics.ArabicTopicModel` ``fit`` with its outlier vote, then
``predict`` of the passages outside the sample).

The corpus is synthetic and deterministic (``--seed``): ``n`` passages in stories of
1-8 passages, dated over three years, each story about one of ``n / 250`` topics. A
passage is 30 words, most from its topic's vocabulary of Arabic letter strings, the
rest from a shared one; its embedding is its topic's direction plus Gaussian noise
plus a common offset (E5 vectors are anisotropic, so the model's centring has work to
do), 384 dimensions, unit length. Clusters, vocabulary and sizes are those of real news,
roughly; the figures that matter are the growth with ``n``.

Each size runs in a fresh Python process, so that its peak memory is its own: the
high-water mark of resident memory (``VmHWM`` in ``/proc/self/status``, what
``/usr/bin/time -v`` reports as "Maximum resident set size"), printed next to the
resident memory before the fit (the corpus, the imported libraries and a warm-up fit
of 5,000 passages that compiles the numba functions of UMAP and pynndescent, about a
minute here, that the first fit of a process pays once; the high-water mark is reset
after it, ``/proc/self/clear_refs``). The growth
exponents are the slopes of log(time) and log(peak - before) against log(n), overall
and between consecutive sizes (1 is linear; n log n from 10k to 144k reads as about
1.1; the dense outlier vote this replaced was 2).

``--fit-sample`` is the run's option: ``0`` (the default here) fits every passage, so
the table shows the growth of the fit itself; ``auto`` fits a sample of
:data:`research.pipeline.FIT_SAMPLE_AUTO` above that size, as ``research run`` does.
``--agreement N`` also fits N passages fully and on a sample of ``--sample`` passages
(the rest by ``predict``), and prints the adjusted Rand index and adjusted mutual
information of the two labellings of every passage, next to those of two full fits
that differ only in ``random_state`` (the agreement a sample cannot be expected to
beat); with ``--run RUN``, on about N passages of a run's stories (real text, real
embeddings) instead of the synthetic corpus.

Usage::

    python benchmarks/bench_scale.py                           # 10k 20k 40k 80k 144k
    python benchmarks/bench_scale.py --sizes 10000 20000       # a quick run
    python benchmarks/bench_scale.py --sizes 40000 --fit-sample auto
    python benchmarks/bench_scale.py --sizes --agreement 10000 --sample 5000 --noise 4
    python benchmarks/bench_scale.py --sizes --agreement 30000 --sample 15000 --run RUN
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = [10_000, 20_000, 40_000, 80_000, 144_000]
DIM = 384
#: Passages of the warm-up fit that precedes every measurement (see :func:`measure`).
WARM_UP = 5_000
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (``VmHWM``), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    """Reset ``VmHWM`` to the current resident memory (Linux >= 4.0; no-op elsewhere)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def current_rss_mib() -> float:
    """Current resident memory (``/proc/self/statm``), in MiB; 0 where unavailable."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def synthetic_corpus(n: int, seed: int = 0, noise: float = 1.6):
    """Return (articles, passages, embeddings) of a synthetic corpus of ``n`` passages.

    Parameters
    ----------
    n : int
        Passages.
    seed : int, default=0
        Seed of everything drawn.
    noise : float, default=1.6
        Scale of the Gaussian noise of each coordinate (the topic directions have
        scale 1): about 0.28 cosine within a topic at 1.6, 0.06 at 4.

    Returns
    -------
    articles : DataFrame
        ``article_id, is_representative, date, date_min, date_max, date_source``.
    passages : DataFrame
        ``article_id, passage_id, text``.
    embeddings : ndarray of shape (n, 384), float32
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    n_topics = max(8, n // 250)
    letters = np.array(list(ARABIC))

    def words(k):
        lengths = rng.integers(3, 8, size=k)
        return ["".join(rng.choice(letters, size=m)) for m in lengths]

    vocab = [words(40) for _ in range(n_topics)]
    shared = words(300)
    directions = rng.standard_normal((n_topics, DIM)).astype(np.float32)
    offset = 3.0 * rng.standard_normal(DIM).astype(np.float32)
    sizes = rng.integers(1, 9, size=n)  # more than enough stories
    story_of = np.repeat(np.arange(n), sizes)[:n]
    n_stories = int(story_of[-1]) + 1
    story_topic = rng.integers(0, n_topics, size=n_stories)
    topic = story_topic[story_of]
    texts = []
    for t in topic:
        own = rng.choice(vocab[t], size=22)
        common = rng.choice(shared, size=8)
        texts.append(" ".join(np.concatenate([own, common])))
    emb = directions[topic] + noise * rng.standard_normal((n, DIM)).astype(np.float32) + offset
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    ids = [f"s{i:06d}" for i in range(n_stories)]
    days = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, n_stories),
                                                         unit="D")
    dates = days.strftime("%Y-%m-%d")
    articles = pd.DataFrame({"article_id": ids, "is_representative": True, "date": dates,
                             "date_min": dates, "date_max": dates, "date_source": "manifest"})
    passages = pd.DataFrame({"article_id": np.asarray(ids)[story_of],
                             "passage_id": [f"p{i:06d}" for i in range(n)], "text": texts})
    return articles, passages, emb.astype(np.float32)


def fit_stage(articles, passages, embeddings, fit_sample, random_state: int = 0):
    """The run's fit stage on precomputed embeddings; return the topic of every passage."""
    import numpy as np

    from research.pipeline import fit_sample as choose
    from research.topics import ArabicTopicModel

    sample = choose(articles, passages, fit_sample, period="auto", random_state=random_state)
    fitted = passages["article_id"].isin(sample.article_ids).to_numpy()
    texts = passages["text"].tolist()
    model = ArabicTopicModel(random_state=random_state).fit(
        [t for t, keep in zip(texts, fitted, strict=True) if keep], embeddings=embeddings[fitted])
    labels = np.empty(len(passages), dtype=np.int64)
    labels[fitted] = model.labels_
    if (~fitted).any():
        labels[~fitted] = model.predict(embeddings=embeddings[~fitted])
    return labels, model, sample.record


def measure(n: int, fit_sample, seed: int) -> dict:
    """Time and memory of the fit stage at ``n`` passages (run in a fresh process).

    A fit of 5,000 passages first imports the libraries and compiles the numba
    functions of UMAP, HDBSCAN and pynndescent (which UMAP uses from 4,096 points
    on): a one-off cost of a process, not of the fit at scale.
    """
    import gc

    fit_stage(*synthetic_corpus(WARM_UP, seed + 1), 0)
    gc.collect()
    reset_peak_rss()
    articles, passages, emb = synthetic_corpus(n, seed)
    before = current_rss_mib()
    start = time.perf_counter()
    labels, model, record = fit_stage(articles, passages, emb, fit_sample)
    seconds = time.perf_counter() - start
    return {"n": n, "seconds": seconds, "peak_mib": peak_rss_mib(), "before_mib": before,
            "fitted": int(record["fitted_passages"]),
            "topics": int(len(set(model.embedding_labels_.tolist()) - {-1})),
            "outliers": float((labels == -1).mean())}


def run_corpus(run: str, n: int):
    """Return (articles, passages, embeddings) of about ``n`` passages of a run's stories.

    The stories' representatives of the run folder ``run`` (``articles.csv``,
    ``passages.csv``, ``embeddings.npy``: real text and real embeddings), taken whole
    in the order of the SHA-256 of their article ids until ``n`` passages are reached.
    """
    import hashlib

    import numpy as np
    import pandas as pd

    folder = Path(run)
    articles = pd.read_csv(folder / "articles.csv", dtype=str, keep_default_na=False)
    passages = pd.read_csv(folder / "passages.csv", dtype=str, keep_default_na=False)
    emb = np.load(folder / "embeddings.npy", mmap_mode="r")
    reps = articles[articles["is_representative"].str.lower() == "true"]
    order = sorted(reps["article_id"], key=lambda a: hashlib.sha256(a.encode()).hexdigest())
    sizes = passages.groupby("article_id").size()
    kept, total = [], 0
    for article in order:
        if total >= n:
            break
        kept.append(article)
        total += int(sizes.get(article, 0))
    rows = passages["article_id"].isin(kept).to_numpy()
    return (reps[reps["article_id"].isin(kept)].reset_index(drop=True),
            passages[rows].reset_index(drop=True), np.asarray(emb[rows], dtype=np.float32))


def agreement(n: int, sample: int, seed: int, noise: float, run: str | None = None) -> dict:
    """ARI/AMI of a sampled fit and of another seed against a full fit, at ``n`` passages.

    On the synthetic corpus, or on about ``n`` passages of the run folder ``run``.
    """
    from sklearn.metrics import adjusted_mutual_info_score as ami
    from sklearn.metrics import adjusted_rand_score as ari

    articles, passages, emb = (run_corpus(run, n) if run else
                               synthetic_corpus(n, seed, noise))
    n = len(passages)
    full, _, _ = fit_stage(articles, passages, emb, 0)
    start = time.perf_counter()
    sampled, _, record = fit_stage(articles, passages, emb, sample)
    seconds = time.perf_counter() - start
    other, _, _ = fit_stage(articles, passages, emb, 0, random_state=1)
    return {"n": n, "fitted": int(record["fitted_passages"]), "sample_seconds": seconds,
            "ari_sample": ari(full, sampled), "ami_sample": ami(full, sampled),
            "ari_seed": ari(full, other), "ami_seed": ami(full, other)}


def child(args: list[str]) -> dict:
    """Run this script with ``args`` in a fresh process; return its last JSON line."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args],
                          capture_output=True, text=True, cwd=REPO, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def exponent(ns, ys) -> float:
    """Least-squares slope of log(y) against log(n)."""
    import numpy as np

    return float(np.polyfit(np.log(np.asarray(ns, float)), np.log(np.asarray(ys, float)),
                            1)[0])


def main(argv: list[str] | None = None) -> int:
    """Print the fit stage's time and peak memory per size, and the growth exponents."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=DEFAULT_SIZES,
                        help="passages per measurement (default: %(default)s)")
    parser.add_argument("--fit-sample", default="0",
                        help="0 (fit every passage, default), auto, or N")
    parser.add_argument("--agreement", type=int, default=None, metavar="N",
                        help="also compare a sampled fit with a full fit at N passages")
    parser.add_argument("--sample", type=int, default=None,
                        help="passages of the sampled fit of --agreement (default: N / 2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpus")
    parser.add_argument("--noise", type=float, default=1.6,
                        help="noise of the --agreement corpus (default: %(default)s; the "
                             "scale measurements use 1.6)")
    parser.add_argument("--run", default=None,
                        help="--agreement on a run folder's real passages and embeddings "
                             "(its stories' representatives) instead of the synthetic corpus")
    parser.add_argument("--_measure", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--_agree", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    fit_sample = None if args.fit_sample == "auto" else int(args.fit_sample)
    if args._measure is not None:
        print(json.dumps(measure(args._measure, fit_sample, args.seed)))
        return 0
    if args._agree is not None:
        print(json.dumps(agreement(args._agree, args.sample, args.seed, args.noise, args.run)))
        return 0

    from research import package_versions

    print(f"# fit stage on precomputed embeddings ({platform.machine()}, "
          f"{os.cpu_count()} CPUs, numpy {package_versions().get('numpy')}, "
          f"fit_sample={args.fit_sample})")
    rows = []
    print(f"{'passages':>9} {'fitted':>7} {'topics':>6} {'outliers':>8} {'seconds':>8} "
          f"{'peak MiB':>9} {'before MiB':>10} {'fit MiB':>8}")
    for n in args.sizes:
        r = child(["--_measure", str(n), "--fit-sample", args.fit_sample,
                   "--seed", str(args.seed)])
        rows.append(r)
        print(f"{r['n']:>9} {r['fitted']:>7} {r['topics']:>6} {r['outliers']:>8.1%} "
              f"{r['seconds']:>8.1f} {r['peak_mib']:>9.0f} {r['before_mib']:>10.0f} "
              f"{r['peak_mib'] - r['before_mib']:>8.0f}", flush=True)
    if len(rows) >= 2:
        ns = [r["n"] for r in rows]
        secs = [r["seconds"] for r in rows]
        mem = [max(r["peak_mib"] - r["before_mib"], 1.0) for r in rows]
        print(f"growth exponent, {ns[0]}-{ns[-1]}: time {exponent(ns, secs):.2f}, "
              f"fit memory {exponent(ns, mem):.2f}, peak RSS "
              f"{exponent(ns, [r['peak_mib'] for r in rows]):.2f}")
        for i in range(1, len(rows)):
            pair = ns[i - 1:i + 1]
            print(f"  {pair[0]}->{pair[1]}: time {exponent(pair, secs[i - 1:i + 1]):.2f}, "
                  f"fit memory {exponent(pair, mem[i - 1:i + 1]):.2f}")
    if args.agreement:
        sample = args.sample or args.agreement // 2
        r = child(["--_agree", str(args.agreement), "--sample", str(sample),
                   "--seed", str(args.seed), "--noise", str(args.noise),
                   *(["--run", args.run] if args.run else [])])
        source = f"of {args.run}" if args.run else f"(noise {args.noise})"
        print(f"# agreement at {r['n']} passages {source}, sample of "
              f"{r['fitted']} fitted ({r['sample_seconds']:.1f} s) + predict, against the "
              "full fit:")
        print(f"sampled fit: ARI {r['ari_sample']:.3f}, AMI {r['ami_sample']:.3f}; "
              f"full fit with another random_state: ARI {r['ari_seed']:.3f}, "
              f"AMI {r['ami_seed']:.3f}")
    return 0


if __name__ == "__main__":
    from _kernels import rerun_pinned

    rerun_pinned()  # fit as `research run` does: math kernels pinned (_kernels.py)
    sys.exit(main())
