"""Embedding cache: the sqlite index against the cache it replaced, side by side (issue 15).

The cache before the index (``research/embed/_cache.py`` at ``--baseline``, default
commit 0bbd8f8) built its index by reading every shard into memory on first use and
listed every shard on each write. This script fills a cache folder with ``--cached``
fake 384-dimensional vectors (chunks of 256, as the embedder writes them) with each
implementation, then, in a fresh process per implementation and measurement:

- ``lookup``: a new cache object returns ``--ask`` cached vectors (a re-run that
  embeds nothing new);
- ``append``: a new cache object stores ``--ask`` new texts (a resumed run);

and prints wall time and the growth of the process's peak resident memory
(``ru_maxrss`` after minus before) for both, with their ratio. Vectors are fake
(the cache stores whatever it is given), so no model runs.

Usage::

    python benchmarks/bench_cache.py [--cached 100000] [--ask 2000] [--baseline 0bbd8f8]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DIM = 384


def fake(texts):
    """Deterministic stand-in vectors, shape (len(texts), DIM)."""
    seeds = [int.from_bytes(t.encode()[-4:].rjust(4, b"\0"), "little") for t in texts]
    return np.stack([np.random.default_rng(s).standard_normal(DIM, dtype=np.float32)
                     for s in seeds])


def load_impl(which: str, baseline: str):
    """Return the EmbeddingCache class of the working tree or of git rev ``baseline``."""
    if which == "current":
        sys.path.insert(0, str(REPO))
        from research.embed import EmbeddingCache
        return EmbeddingCache
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{baseline}:research/embed/_cache.py"],
        check=True, capture_output=True, text=True).stdout
    sys.path.insert(0, str(REPO))
    import importlib.util

    module_dir = Path(tempfile.mkdtemp())
    (module_dir / "baseline_cache.py").write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("baseline_cache",
                                                  module_dir / "baseline_cache.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EmbeddingCache


def child(args) -> None:
    cls = load_impl(args.impl, args.baseline)
    texts = [f"text {i:08d}" for i in range(args.cached + args.ask)]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if args.step == "fill":
        cls(args.root, "bench").get_or_compute(texts[:args.cached], fake)
    elif args.step == "lookup":
        rng = np.random.default_rng(0)
        ask = [texts[i] for i in rng.choice(args.cached, args.ask, replace=False)]
        cls(args.root, "bench").get_or_compute(ask, lambda chunk: 1 / 0)
    else:  # append
        cls(args.root, "bench").get_or_compute(texts[args.cached:], fake)
    seconds = time.perf_counter() - start
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(json.dumps({"seconds": seconds, "peak_mb": grown / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cached", type=int, default=100_000)
    parser.add_argument("--ask", type=int, default=2_000)
    parser.add_argument("--baseline", default="0bbd8f8")
    parser.add_argument("--impl", help=argparse.SUPPRESS)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        child(args)
        return
    results: dict[tuple[str, str], dict] = {}
    for impl in ("baseline", "current"):
        with tempfile.TemporaryDirectory() as root:
            for step in ("fill", "lookup", "append"):
                out = subprocess.run(
                    [sys.executable, __file__, "--impl", impl, "--step", step, "--root", root,
                     "--cached", str(args.cached), "--ask", str(args.ask),
                     "--baseline", args.baseline],
                    check=True, capture_output=True, text=True).stdout
                results[(impl, step)] = json.loads(out.strip().splitlines()[-1])
    print(f"cache of {args.cached} vectors x {DIM} float32; {args.ask} texts asked / appended; "
          f"baseline {args.baseline}")
    print(f"{'step':<8} {'baseline s':>11} {'current s':>10} {'ratio':>6}   "
          f"{'baseline MB':>11} {'current MB':>10}")
    for step in ("fill", "lookup", "append"):
        b, c = results[("baseline", step)], results[("current", step)]
        print(f"{step:<8} {b['seconds']:>11.2f} {c['seconds']:>10.2f} "
              f"{b['seconds'] / max(c['seconds'], 1e-9):>6.1f}   "
              f"{b['peak_mb']:>11.0f} {c['peak_mb']:>10.0f}")


if __name__ == "__main__":
    main()
