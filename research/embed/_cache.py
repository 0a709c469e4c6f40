"""Content-addressed, resumable on-disk cache of embeddings.

Layout: ``<root>/<key-slug>/``: ``shard-<digest>.npz`` files, each holding the text
hashes, the float32 vectors and a SHA-256 of both, and ``index.sqlite``, which maps
a text hash to its shard and row (Python's ``sqlite3``). Shards are named by their
checksum and written atomically (temporary file, then rename) after every chunk of
texts, and indexed in the same locked step (``filelock``), so a killed run keeps
everything it finished and re-embeds nothing that was stored; several processes may
share one cache.

Reading looks up only the requested hashes in the index and opens only the shards
that hold them: memory grows with the texts asked for, not with the cache. A shard
is checked against its checksum every time it is opened; one that fails (or is
truncated) is reported, moved aside, dropped from the index and its texts are
recomputed. Shards on disk that the index does not list (a cache written before the
index existed, or a process killed between the two writes) are indexed when the
cache is opened.

Shards are read with ``allow_pickle=False``: nothing in the cache can execute code.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import sqlite3
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

import numpy as np

from research._io import atomic_write_bytes, progress_bar

__all__ = ["EmbeddingCache", "cache_root", "text_hash"]

logger = logging.getLogger(__name__)

APP = "arabic-news-topics"
_INDEX = "index.sqlite"
_BATCH = 500  # hashes per SQL query (below SQLite's bound-parameter limit)


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
        self._opened = False

    # -- the index -----------------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[sqlite3.Connection]:
        """Yield the index under the cache's inter-process lock; commit on success."""
        from filelock import FileLock

        self.path.mkdir(parents=True, exist_ok=True)
        with FileLock(self.path / ".lock"), closing(
                sqlite3.connect(self.path / _INDEX, timeout=60)) as con:
            con.execute("CREATE TABLE IF NOT EXISTS vectors (hash TEXT PRIMARY KEY, "
                        "shard TEXT NOT NULL, row INTEGER NOT NULL)")
            con.execute("CREATE TABLE IF NOT EXISTS shards (name TEXT PRIMARY KEY)")
            yield con
            con.commit()

    def _open(self) -> None:
        """Index the shards on disk that the index does not list (once per object)."""
        if self._opened:
            return
        self._opened = True
        if not self.path.is_dir():
            return
        with self._locked() as con:
            known = {name for (name,) in con.execute("SELECT name FROM shards")}
            for shard in sorted(self.path.glob("shard-*.npz")):
                if shard.name in known:
                    continue
                read = self._read_shard(shard, con)
                if read is not None:
                    self._index_shard(con, shard.name, read[0].tolist())

    @staticmethod
    def _index_shard(con: sqlite3.Connection, name: str, hashes: list[str]) -> None:
        con.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)",
                        [(h, name, row) for row, h in enumerate(hashes)])
        con.execute("INSERT OR IGNORE INTO shards VALUES (?)", (name,))

    def _lookup(self, hashes: list[str]) -> dict[str, tuple[str, int]]:
        """Map the cached ones of ``hashes`` to (shard name, row)."""
        self._open()
        if not (self.path / _INDEX).is_file():
            return {}
        found: dict[str, tuple[str, int]] = {}
        with closing(sqlite3.connect(self.path / _INDEX, timeout=60)) as con:
            for start in range(0, len(hashes), _BATCH):
                batch = hashes[start:start + _BATCH]
                marks = ",".join("?" * len(batch))
                for h, shard, row in con.execute(
                        f"SELECT hash, shard, row FROM vectors WHERE hash IN ({marks})", batch):
                    found[h] = (shard, int(row))
        return found

    def count_cached(self, texts: Sequence[str]) -> int:
        """Return how many of ``texts`` (repeats counted) already have a stored embedding.

        Looks up only these texts' hashes in the index (no shard is read).
        """
        hashes = [text_hash(str(t)) for t in texts]
        found = self._lookup(list(dict.fromkeys(hashes)))
        return sum(h in found for h in hashes)

    def __len__(self) -> int:
        """Return the number of cached texts."""
        self._open()
        if not (self.path / _INDEX).is_file():
            return 0
        with closing(sqlite3.connect(self.path / _INDEX, timeout=60)) as con:
            return int(con.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    # -- shards ----------------------------------------------------------------------------
    def _read_shard(self, shard: Path, con: sqlite3.Connection | None = None
                    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Return (hashes, vectors) of a shard that passes its checksum, else None."""
        try:
            with np.load(shard, allow_pickle=False) as z:
                hashes, vectors, digest = z["hashes"], z["vectors"], str(z["sha256"])
        except Exception as exc:  # noqa: BLE001 - any unreadable shard is recomputed
            self._quarantine(shard, f"unreadable ({type(exc).__name__}: {exc})", con)
            return None
        if _digest(hashes, vectors) != digest:
            self._quarantine(shard, "checksum mismatch", con)
            return None
        return hashes, vectors

    def _quarantine(self, shard: Path, why: str, con: sqlite3.Connection | None) -> None:
        bad = shard.with_suffix(".corrupt")
        warnings.warn(
            f"embedding cache shard {shard} is {why}; moved to {bad.name} and recomputing",
            RuntimeWarning,
            stacklevel=4,
        )
        if con is None:
            with self._locked() as locked:
                self._forget(locked, shard, bad)
        else:
            self._forget(con, shard, bad)

    @staticmethod
    def _forget(con: sqlite3.Connection, shard: Path, bad: Path) -> None:
        if shard.exists():
            os.replace(shard, bad)
        con.execute("DELETE FROM vectors WHERE shard = ?", (shard.name,))
        con.execute("DELETE FROM shards WHERE name = ?", (shard.name,))

    def _write_shard(self, hashes: list[str], vectors: np.ndarray) -> None:
        harr = np.array(hashes, dtype="U32")
        varr = np.ascontiguousarray(vectors, dtype=np.float32)
        digest = _digest(harr, varr)
        buf = io.BytesIO()
        np.savez(buf, hashes=harr, vectors=varr, sha256=np.array(digest))
        name = f"shard-{digest[:24]}.npz"
        with self._locked() as con:
            atomic_write_bytes(self.path / name, buf.getvalue())
            self._index_shard(con, name, hashes)

    # -- the one public operation ------------------------------------------------------------
    def get_or_compute(
        self,
        texts: Sequence[str],
        compute: Callable[[list[str]], np.ndarray],
        *,
        progress: bool = False,
        map_chunks: Callable[[list[list[str]]], Iterable[tuple[int, np.ndarray]]] | None = None,
    ) -> np.ndarray:
        """Return embeddings of ``texts``, computing (and storing) only the missing ones.

        Parameters
        ----------
        texts : sequence of str
        compute : callable
            Maps a list of texts to an array of shape (n, dim).
        progress : bool, default=False
            Show a progress bar over the texts to compute.
        map_chunks : callable, optional
            Computes the chunks elsewhere (a Dask cluster): takes the list of
            chunks (lists of at most ``chunk_size`` texts) and yields
            ``(chunk index, vectors)`` pairs in any order, as they complete; each
            is stored when it arrives. Default: ``compute`` on one chunk after
            another. The chunks are the same either way.

        Returns
        -------
        ndarray of shape (len(texts), dim), float32.

        Raises
        ------
        ValueError
            When ``texts`` is empty, or a chunk's embeddings do not have one row per
            text (nothing of that chunk is stored).
        """
        if len(texts) == 0:
            raise ValueError("no texts to embed")
        hashes = [text_hash(t) for t in texts]
        unique = list(dict.fromkeys(hashes))
        vectors: dict[str, np.ndarray] = {}
        by_shard: dict[str, list[tuple[str, int]]] = {}
        for h, (shard, row) in self._lookup(unique).items():
            by_shard.setdefault(shard, []).append((h, row))
        for shard, rows in sorted(by_shard.items()):
            read = self._read_shard(self.path / shard)
            if read is None:
                continue
            # fancy indexing copies: no view keeps the whole shard alive
            taken = read[1][np.asarray([row for _, row in rows], dtype=np.int64)]
            vectors.update(zip((h for h, _ in rows), taken, strict=True))
        first_text = dict(zip(hashes, texts, strict=True))
        missing = [(h, first_text[h]) for h in unique if h not in vectors]
        if missing:
            logger.info("embedding %d new texts (%d cached)", len(missing),
                        len(unique) - len(missing))
            bar = progress_bar(total=len(missing), show=progress, desc="embedding",
                               unit="text")
            chunks = [missing[start:start + self.chunk_size]
                      for start in range(0, len(missing), self.chunk_size)]
            texts_of = [[t for _, t in chunk] for chunk in chunks]
            results = (map_chunks(texts_of) if map_chunks is not None
                       else ((i, compute(chunk)) for i, chunk in enumerate(texts_of)))
            for i, computed in results:
                chunk = chunks[i]
                vecs = np.asarray(computed, dtype=np.float32)
                if vecs.ndim != 2 or len(vecs) != len(chunk):
                    raise ValueError(f"chunk {i} of {len(chunk)} texts got embeddings of "
                                     f"shape {vecs.shape}")
                self._write_shard([h for h, _ in chunk], vecs)
                vectors.update(zip((h for h, _ in chunk), vecs, strict=True))
                bar.update(len(chunk))
            bar.close()
        return np.stack([vectors[h] for h in hashes]).astype(np.float32)
