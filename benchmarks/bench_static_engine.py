"""Throughput and fidelity of the static engine against the torch engine (issue 17).

On the same passages -- the seed paragraphs plus a deterministic sample of
SaudiNewsNet paragraphs (distinct, >= 40 characters, <= 512 tokens, in SHA-256 order
of their text; read from ``--corpus-dir``, never written anywhere) -- it runs

(a) ``torch``: ``Embedder(engine="torch", precision="float32")`` (the default
    engine where torch is installed);
(b) ``static``: ``Embedder(engine="static")``, the Model2Vec table distilled locally
    from the same model by :func:`research.embed.build_static_model` (its default
    parameters; the distillation is timed when it is not cached yet);

both without the embedding cache, and prints

* throughput in passages/s of each (torch: one pass; static: median of
  ``--rounds`` passes; models loaded before timing) and their ratio;
* fidelity. The two engines live in different spaces (256 vs 384 dimensions), so:
  the Spearman correlation of all pairwise cosines; for each passage, the share of
  its 10 nearest neighbours under torch that are among its 10 nearest under static
  (``nn10_overlap``) and whether the nearest one is the same (``nn1_agree``); and the
  cosine between torch embeddings and static embeddings mapped into the torch space
  by least squares fitted on the other half of the passages (``mapped_cos``).

Usage::

    python benchmarks/bench_static_engine.py [--n-corpus 1000] [--rounds 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time
from pathlib import Path

from research import reproducible_environment

reproducible_environment()  # pin the math kernels before numpy and torch load

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_embedding_engines import DEFAULT_CORPUS, REPO, corpus_passages, seed_passages  # noqa: E402


class _TokenCounter:
    """What ``corpus_passages`` needs: the torch engine's token count of one passage."""

    def __init__(self, embedder):
        self._embedder = embedder

    def token_count(self, text: str) -> int:
        return self._embedder.count_tokens([text])[0]


def _ranks(x: np.ndarray) -> np.ndarray:
    return np.argsort(np.argsort(x, kind="stable"), kind="stable").astype(np.float64)


def fidelity(torch_vecs: np.ndarray, static_vecs: np.ndarray, k: int = 10) -> dict:
    n = len(torch_vecs)
    sim_t, sim_s = torch_vecs @ torch_vecs.T, static_vecs @ static_vecs.T
    upper = np.triu_indices(n, k=1)
    spearman = float(np.corrcoef(_ranks(sim_t[upper]), _ranks(sim_s[upper]))[0, 1])
    np.fill_diagonal(sim_t, -np.inf)
    np.fill_diagonal(sim_s, -np.inf)
    nn_t = np.argsort(-sim_t, axis=1, kind="stable")[:, :k]
    nn_s = np.argsort(-sim_s, axis=1, kind="stable")[:, :k]
    overlap = [len(set(a) & set(b)) / k for a, b in zip(nn_t, nn_s, strict=True)]
    # least-squares map static -> torch, fitted on one half, scored on the other
    half = np.arange(n) % 2 == 0
    cos = []
    for fit, score in ((half, ~half), (~half, half)):
        w, *_ = np.linalg.lstsq(static_vecs[fit], torch_vecs[fit], rcond=None)
        mapped = static_vecs[score] @ w
        mapped /= np.linalg.norm(mapped, axis=1, keepdims=True)
        cos.append(np.sum(mapped * torch_vecs[score], axis=1))
    cos = np.concatenate(cos)
    return {"passages": n, "pairwise_cos_spearman": round(spearman, 4),
            f"nn{k}_overlap_mean": round(float(np.mean(overlap)), 4),
            "nn1_agree": round(float(np.mean(nn_t[:, 0] == nn_s[:, 0])), 4),
            "mapped_cos_median": round(float(np.median(cos)), 4),
            "mapped_cos_p5": round(float(np.percentile(cos, 5)), 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds-dir", type=Path, default=REPO / "seeds")
    ap.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n-corpus", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3, help="timed passes of the static engine")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from research.embed import available_cores, get_embedder

    out: dict = {"cores": available_cores()}
    torch_emb = get_embedder(engine="torch", precision="float32", cache_dir=False)
    static_emb = get_embedder(engine="static", cache_dir=False)
    t0 = time.perf_counter()
    out["static_model_version"] = static_emb.model_version  # distils if not cached yet
    out["static_load_or_distil_s"] = round(time.perf_counter() - t0, 1)
    out["peak_rss_mb_after_static_load"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["torch_model_version"] = torch_emb.model_version

    seeds = seed_passages(args.seeds_dir)
    corpus, skipped = ([], 0)
    if args.corpus_dir.is_dir() and args.n_corpus > 0:
        corpus, skipped = corpus_passages(args.corpus_dir, args.n_corpus, _TokenCounter(torch_emb))
    passages = seeds + corpus
    out.update(seed_passages=len(seeds), corpus_passages=len(corpus), corpus_skipped=skipped)

    t0 = time.perf_counter()
    torch_vecs = torch_emb.embed_passages(passages)
    torch_s = time.perf_counter() - t0
    static_times = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        static_vecs = static_emb.embed_passages(passages)
        static_times.append(time.perf_counter() - t0)
    static_s = float(np.median(static_times))
    out["throughput_passages_per_s"] = {"torch": round(len(passages) / torch_s, 1),
                                        "static": round(len(passages) / static_s, 1)}
    out["speedup_static_over_torch"] = round(torch_s / static_s, 1)
    out["fidelity_all"] = fidelity(torch_vecs, static_vecs)
    if corpus:
        out["fidelity_corpus"] = fidelity(torch_vecs[len(seeds):], static_vecs[len(seeds):])
    print(json.dumps(out, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
