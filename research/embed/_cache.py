"""Content-addressed, resumable on-disk cache of embeddings.

Layout: ``<root>/<key-slug>/shard-<n>.npz``. Each shard holds the text hashes,
the float32 vectors and a SHA-256 of both. Shards are written atomically
(temporary file, then rename) after every chunk of texts, so a killed run keeps
everything it finished and re-embeds nothing that was stored. A shard that fails
its checksum (or is truncated) is reported, moved aside and recomputed.

Shards are read with ``allow_pickle=False``: nothing in the cache can execute code.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from research._io import atomic_write_bytes

__all__ = ["EmbeddingCache", "cache_root", "text_hash"]

logger = logging.getLogger(__name__)

APP = "arabic-news-topics"


def cache_root() -> Path:
    """Return the cache root.

    ``$RESEARCH_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/arabic-news-topics``, else
    ``~/.cache/arabic-news-topics``.
    """
    if os.environ.get("RESEARCH_CACHE_DIR"):
        return Path(os.environ["RESEARCH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / APP


def text_hash(text: str) -> str:
    """Return the 32-hex-digit SHA-256 prefix that keys ``text`` in the cache."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _digest(hashes: np.ndarray, vectors: np.ndarray) -> str:
    h = hashlib.sha256()
    h.update(hashes.astype("U32").tobytes())
    h.update(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
    return h.hexdigest()


class EmbeddingCache:
    """Embeddings of one (model, version, prefix kind) stored in checksummed shards.

    Parameters
    ----------
    root : path
        Folder holding one sub-folder per key.
    key : str
        Identity of the embedding function (model, version, engine, prefix kind).
    chunk_size : int, default=256
        Texts embedded between two shard writes (the unit of resumption).
    """

    def __init__(self, root: str | os.PathLike, key: str, chunk_size: int = 256):
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", key)[:80]
        self.key = key
        self.path = Path(root) / f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"
        self.chunk_size = chunk_size
        self._index: dict[str, tuple[Path, int]] | None = None
        self._loaded: dict[Path, np.ndarray] = {}

    # -- reading -------------------------------------------------------------------------
    def _read_shard(self, shard: Path) -> tuple[np.ndarray, np.ndarray] | None:
        try:
            with np.load(shard, allow_pickle=False) as z:
                hashes, vectors, digest = z["hashes"], z["vectors"], str(z["sha256"])
        except Exception as exc:  # noqa: BLE001 - any unreadable shard is recomputed
            self._quarantine(shard, f"unreadable ({type(exc).__name__}: {exc})")
            return None
        if _digest(hashes, vectors) != digest:
            self._quarantine(shard, "checksum mismatch")
            return None
        return hashes, vectors

    def _quarantine(self, shard: Path, why: str) -> None:
        bad = shard.with_suffix(".corrupt")
        warnings.warn(
            f"embedding cache shard {shard} is {why}; moved to {bad.name} and recomputing",
            RuntimeWarning,
            stacklevel=3,
        )
        os.replace(shard, bad)

    def _build_index(self) -> dict[str, tuple[Path, int]]:
        index: dict[str, tuple[Path, int]] = {}
        for shard in sorted(self.path.glob("shard-*.npz")):
            read = self._read_shard(shard)
            if read is None:
                continue
            hashes, vectors = read
            self._loaded[shard] = vectors
            for row, h in enumerate(hashes.tolist()):
                index.setdefault(h, (shard, row))
        return index

    @property
    def index(self) -> dict[str, tuple[Path, int]]:
        """Mapping text hash → (shard, row), built on first access."""
        if self._index is None:
            self._index = self._build_index()
        return self._index

    def __len__(self) -> int:
        return len(self.index)

    # -- writing ---------------------------------------------------------------------------
    def _write_shard(self, hashes: list[str], vectors: np.ndarray) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        harr = np.array(hashes, dtype="U32")
        varr = np.ascontiguousarray(vectors, dtype=np.float32)
        existing = [int(p.stem.split("-")[1]) for p in self.path.glob("shard-*.npz")]
        shard = self.path / f"shard-{(max(existing) + 1) if existing else 0:06d}.npz"
        import io

        buf = io.BytesIO()
        np.savez(buf, hashes=harr, vectors=varr, sha256=np.array(_digest(harr, varr)))
        atomic_write_bytes(shard, buf.getvalue())
        self._loaded[shard] = varr
        for row, h in enumerate(hashes):
            self.index.setdefault(h, (shard, row))

    def get_or_compute(
        self,
        texts: Sequence[str],
        compute: Callable[[list[str]], np.ndarray],
        *,
        progress: bool = False,
    ) -> np.ndarray:
        """Return embeddings of ``texts``, computing (and storing) only the missing ones.

        Parameters
        ----------
        texts : sequence of str
        compute : callable
            Maps a list of texts to an array of shape (n, dim).
        progress : bool, default=False
            Show a progress bar over the texts to compute.

        Returns
        -------
        ndarray of shape (len(texts), dim), float32.
        """
        hashes = [text_hash(t) for t in texts]
        missing: dict[str, str] = {}
        for h, t in zip(hashes, texts, strict=True):
            if h not in self.index and h not in missing:
                missing[h] = t
        if missing:
            logger.info("embedding %d new texts (%d cached)", len(missing),
                        len(set(hashes)) - len(missing))
            from tqdm.auto import tqdm

            items = list(missing.items())
            bar = tqdm(total=len(items), disable=not progress, desc="embedding", unit="text")
            for start in range(0, len(items), self.chunk_size):
                chunk = items[start:start + self.chunk_size]
                vecs = compute([t for _, t in chunk])
                self._write_shard([h for h, _ in chunk], vecs)
                bar.update(len(chunk))
            bar.close()
        rows = [self.index[h] for h in hashes]
        return np.stack([self._loaded[shard][row] for shard, row in rows]).astype(np.float32)
