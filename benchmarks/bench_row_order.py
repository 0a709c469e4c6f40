"""Topic quality over row orders and UMAP seeds, for one or more checkouts (issue 13).

Before issue 13 the fitted topics depended on the row order of the input: a
spreadsheet re-sorted gave other topics. Since then the fit runs in a canonical order
(grouped by text, texts sorted by the SHA-256 of the text,
:func:`research.topics.text_keys`), so one corpus gives one answer per UMAP seed.
The canonical order is itself one arbitrary permutation, and every quality figure
moves with the permutation as it moves with the UMAP seed. A comparison of two
versions at one order (the corpus order) therefore compares two draws. This
benchmark fits every checkout under ``--orders`` K row orders times the
``--random-states`` seeds and compares the pooled distributions:

* a checkout with canonical-order fitting (its ``research.topics._model`` uses
  ``text_keys``): order 0 is the package's own key; order k > 0 replaces the key by
  the SHA-256 of ``f"{k}:" + text`` (another pseudo-random permutation of the texts;
  nothing else of the fit changes);
* an older checkout: order 0 is the corpus order; order k > 0 a permutation of the
  passages drawn with ``numpy.random.default_rng(k)``.

All checkouts fit the same passages (as ``bench_topic_quality.py`` selects them from
``--corpus``) with the same embeddings, computed once by this checkout. Each checkout
runs in its own Python process, importing its own ``research``; the embedder there is
built with ``precision="float32"`` and no cache (it embeds only the seed words of the
guided topics). The passages and embeddings reach the child processes in a
temporary ``.npz`` file, deleted at exit (corpus text is never written elsewhere).
Every process runs under the math kernels that ``research run`` pins
(``_kernels.py``), so the figures are those a run gives, on any x86-64 CPU.

Prints, per checkout, the medians over seeds at each order and the pooled medians
over orders x seeds of ``bench_topic_quality.py``'s figures (topics, largest topic
share, outlier share, NPMI, diversity), and for each further checkout a two-sided
Mann-Whitney U test (``scipy.stats.mannwhitneyu``) of each figure against the first
checkout's pooled values.

Usage::

    git worktree add /tmp/before-13 e79e3f0   # the code before canonical-order fitting
    python benchmarks/bench_row_order.py --checkout . /tmp/before-13 --orders 4
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIGURES = ["topics", "largest topic share", "outlier share", "NPMI (top 10)",
           "NPMI, unique texts", "diversity (top 25)"]


def salted_text_keys(salt: str):
    """A replacement for ``text_keys``: the hex SHA-256 of ``salt + text``."""
    def text_keys(texts) -> list[str]:
        return [hashlib.sha256((salt + str(t)).encode("utf-8")).hexdigest() for t in texts]
    return text_keys


def figures_of(bench, texts: list[str], random_state: int, embeddings, embedder) -> dict:
    """Fit the package once and return its figures, NPMI over the unique texts added.

    ``bench_topic_quality.py``'s NPMI counts co-occurrences over every fitted passage,
    copies included, so a paragraph repeated in several stories counts several times;
    ``"NPMI, unique texts"`` counts each distinct passage text once.
    """
    model, _, figures, top10 = bench.fit_package(texts, embeddings, embedder, random_state)
    analyzer = model.bertopic_.vectorizer_model.build_analyzer()
    unique = list(dict.fromkeys(texts))
    return {**figures, "NPMI, unique texts": bench.npmi(top10, unique, analyzer)}


def worker(checkout: Path, data: Path, orders: int, random_states: list[int]) -> None:
    """Fit ``checkout``'s package under every order and seed; print one JSON line each."""
    import bench_topic_quality as bench  # this folder's helpers (they import research lazily)

    sys.path.insert(0, str(checkout))  # after bench's own insert: the checkout's research wins
    import research.topics._model as model_module
    from research.embed import get_embedder

    stored = np.load(data, allow_pickle=False)
    texts0, embeddings0 = stored["texts"].tolist(), stored["embeddings"]
    canonical = hasattr(model_module, "text_keys")
    own_keys = getattr(model_module, "text_keys", None)
    embedder = get_embedder(precision="float32", cache_dir=False)
    for order in range(orders):
        if canonical:
            model_module.text_keys = own_keys if order == 0 else salted_text_keys(f"{order}:")
            perm = np.arange(len(texts0))
        else:
            perm = (np.arange(len(texts0)) if order == 0
                    else np.random.default_rng(order).permutation(len(texts0)))
        texts = [texts0[i] for i in perm]
        for r in random_states:
            figures = figures_of(bench, texts, r, embeddings0[perm], embedder)
            row = {"order": order, "random_state": r, "canonical": canonical,
                   **{k: figures[k] for k in FIGURES}}
            print(json.dumps(row), flush=True)


def run_checkout(checkout: Path, data: Path, orders: int, random_states: list[int]) -> list[dict]:
    """Run :func:`worker` for ``checkout`` in a child process and parse its rows."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(checkout),
               "--data", str(data), "--orders", str(orders),
               "--random-states", *map(str, random_states)]
    env = {**os.environ, "PYTHONPATH": f"{HERE}{os.pathsep}{checkout}"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"checkout {checkout} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def describe(checkout: Path) -> str:
    """The checkout's path, git commit and whether tracked files differ from it."""
    done = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return f"{checkout} (not a git checkout)"
    dirty = subprocess.run(["git", "-C", str(checkout), "status", "--porcelain",
                            "--untracked-files=no"], capture_output=True, text=True,
                           check=False).stdout.strip()
    return f"{checkout} ({done.stdout.strip()}{' + uncommitted changes' if dirty else ''})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, nargs="+", default=[REPO],
                        help="package checkouts to compare; the first is the reference "
                             "(default: this one)")
    parser.add_argument("--orders", type=int, default=4,
                        help="row orders per checkout (default: %(default)s)")
    parser.add_argument("--random-states", type=int, nargs="+", default=[0, 1, 2, 3, 4],
                        help="UMAP seeds (default: 0 1 2 3 4)")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpora"
                        / "saudinewsnet", help="SaudiNewsNet folder (default: %(default)s)")
    parser.add_argument("--filter", default="السيسي",
                        help="keep articles containing this text (default: %(default)s)")
    parser.add_argument("--worker", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.orders < 1:
        sys.exit("--orders must be at least 1")
    if args.worker is not None:
        worker(args.worker.resolve(), args.data, args.orders, args.random_states)
        return 0
    if not args.corpus.is_dir() or not any(args.corpus.glob("*.zip")):
        sys.exit(f"SaudiNewsNet corpus not found at {args.corpus}; pass --corpus PATH.")

    sys.path.insert(0, str(HERE))
    import bench_topic_quality as bench
    from scipy.stats import mannwhitneyu

    from research.embed import get_embedder

    texts, counts = bench.sisi_passages(args.corpus, args.filter)
    embeddings = get_embedder(precision="float32").embed_passages(texts)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "passages.npz"
        np.savez(data, texts=np.asarray(texts, dtype=str), embeddings=embeddings)
        for checkout in args.checkout:
            start = time.perf_counter()
            results[checkout] = run_checkout(checkout.resolve(), data, args.orders,
                                             args.random_states)
            print(f"fitted {describe(checkout)}: {len(results[checkout])} fits in "
                  f"{time.perf_counter() - start:.0f} s", flush=True)

    print(f"\n# Topic quality over {args.orders} row orders x UMAP seeds "
          f"{args.random_states}")
    print(f"corpus: {args.corpus}, filter {args.filter!r}: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))
    reference = args.checkout[0]
    for checkout, rows in results.items():
        how = ("salted canonical key" if rows[0]["canonical"]
               else "shuffled input (order 0: corpus order)")
        print(f"\n{describe(checkout)}; orders by {how}")
        print(f"  {'order':<8}" + "".join(f"{name:>22}" for name in FIGURES))
        for order in range(args.orders):
            part = [row for row in rows if row["order"] == order]
            print(f"  {order:<8}" + "".join(
                f"{statistics.median(row[name] for row in part):>22.4f}" for name in FIGURES))
        print(f"  {'pooled':<8}" + "".join(
            f"{statistics.median(row[name] for row in rows):>22.4f}" for name in FIGURES))
        if checkout != reference:
            tests = [mannwhitneyu([row[name] for row in results[reference]],
                                  [row[name] for row in rows]).pvalue for name in FIGURES]
            print(f"  {'p (M-W)':<8}" + "".join(f"{p:>22.3f}" for p in tests)
                  + "   two-sided, against the first checkout's pooled values")
    return 0


if __name__ == "__main__":
    from _kernels import rerun_pinned

    if "--worker" not in sys.argv:  # a worker inherits the pinned environment
        rerun_pinned()  # fit as `research run` does: math kernels pinned (_kernels.py)
    sys.exit(main())
