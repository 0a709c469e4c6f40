"""A whole corpus end to end: per-stage times and peak memory of ``research run`` (issue 17).

Runs ``research run CORPUS --out OUT`` (by default the whole SaudiNewsNet corpus, no
filter, about 31,000 articles) in a child process and samples, every 0.2 s, the
resident memory of that process and of every process it starts (Dask workers with
``--workers``), with ``psutil``. Prints the stages' times from the run's
``run.json`` (``timings_s``), the wall time, the peak resident memory of the process
tree (sum over its processes at one instant) and of the largest single process, and
the run's counts (articles, passages, fitted passages, topics, the fit sample).

The embedding is resumable: the embedding cache keeps every finished chunk, so a
killed benchmark (or run) started again embeds only what is missing (its ``embed``
time is then that of a partly warm cache). ``--engine static`` (the model2vec engine
distilled from the bundled model) is the fast one; ``--engine torch`` takes about 80
minutes for this corpus on two cores.

Corpus text is read from ``--corpus`` and written only under ``--out`` (keep it out of
git: ``runs/`` is ignored).

Usage::

    python benchmarks/bench_corpus.py --engine static --out runs/saudinewsnet-all
    python benchmarks/bench_corpus.py --corpus PATH --engine torch --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "saudinewsnet"


class TreeMemory(threading.Thread):
    """Sample the resident memory of a process and its descendants (``psutil``).

    Attributes
    ----------
    peak_tree : int
        Largest sum of resident set sizes over the tree at one sample, in bytes.
    peak_process : int
        Largest resident set size of one process of the tree, in bytes.
    """

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        import psutil

        self._root = psutil.Process(pid)
        self._interval = interval
        self._stop_event = threading.Event()
        self.peak_tree = 0
        self.peak_process = 0

    def run(self) -> None:
        import psutil

        while not self._stop_event.is_set():
            try:
                procs = [self._root, *self._root.children(recursive=True)]
            except psutil.Error:
                return
            sizes = []
            for proc in procs:
                try:
                    sizes.append(proc.memory_info().rss)
                except psutil.Error:
                    continue
            if sizes:
                self.peak_tree = max(self.peak_tree, sum(sizes))
                self.peak_process = max(self.peak_process, max(sizes))
            self._stop_event.wait(self._interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def main(argv: list[str] | None = None) -> int:
    """Run the corpus end to end and print stage times, peak memory and counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--out", default=str(REPO / "runs" / "saudinewsnet-all"))
    parser.add_argument("--engine", default="static",
                        help="embedding engine (default: %(default)s)")
    parser.add_argument("run_args", nargs=argparse.REMAINDER,
                        help="more `research run` options after `--` (--workers 2, "
                             "--fit-sample 0, --filter TEXT, ...)")
    args = parser.parse_args(argv)
    extra = [a for a in args.run_args if a != "--"]
    command = [sys.executable, "-m", "research.cli", "--quiet", "run", args.corpus,
               "--out", args.out, "--engine", args.engine, *extra]
    print("# " + " ".join(command[1:]), flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    memory = TreeMemory(proc.pid)
    memory.start()
    code = proc.wait()
    memory.stop()
    wall = time.perf_counter() - start
    if code != 0:
        print(f"research run failed with exit status {code} after {wall:.0f} s")
        return code
    record = json.loads((Path(args.out) / "run.json").read_text(encoding="utf-8"))
    gib = 2**30
    print(f"{'stage':<16} {'seconds':>9}")
    for stage, seconds in record["timings_s"].items():
        print(f"{stage:<16} {seconds:>9.1f}")
    print(f"{'total (wall)':<16} {wall:>9.1f}")
    print(f"peak resident memory: process tree {memory.peak_tree / gib:.2f} GiB, "
          f"largest process {memory.peak_process / gib:.2f} GiB "
          f"(sampled every 0.2 s with psutil)")
    counts = record["counts"]
    print("counts: " + ", ".join(f"{k} {counts[k]}" for k in (
        "input_items", "articles", "passages", "fitted_passages", "not_sampled_passages",
        "topics", "outlier_passages") if k in counts))
    print(f"embedder: {record['embedder']}")
    print(f"fit sample: {record['fit_sample']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
