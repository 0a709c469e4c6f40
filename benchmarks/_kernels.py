"""Benchmarks fit under the math kernels that ``research run`` pins.

The ``research`` command pins torch, numpy, OpenBLAS and numba to their AVX2 code
paths before anything imports them (:func:`research.reproducible_environment`), so
a run gives the same topics on every x86-64 CPU with AVX2. A benchmark that fits
topics in its own process must do the same, or its figures are those of this CPU's
widest kernels (AVX-512 here), not what ``research run`` gives: at 2,373 passages the
last bits are enough for UMAP to give other topics.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def pinned_environment() -> dict[str, str]:
    """Return ``os.environ`` with the kernel variables of ``research run`` added."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from research import reproducible_environment

    env = dict(os.environ)
    reproducible_environment(env)
    return env


def rerun_pinned() -> None:
    """Start this script again under the pinned kernels, unless they are already in effect.

    numpy is imported at the top of the benchmarks, so setting the variables in this
    process would come too late: the process replaces itself (``os.execve``) with a new
    one that reads them on import. Returns only when they are in effect.
    """
    env = pinned_environment()
    if any(os.environ.get(key) != value for key, value in env.items()):
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)
