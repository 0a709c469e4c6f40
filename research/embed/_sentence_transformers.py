"""Any sentence-transformers model, by hub name or local path."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from research._io import sha256_file

__all__ = ["SentenceTransformerEngine", "model_version", "default_prefixes"]

logger = logging.getLogger(__name__)


class SentenceTransformerEngine:
    """Any sentence-transformers model, by hub name or local path."""

    name = "sentence-transformers"

    def __init__(
        self,
        model: str,
        *,
        version: str,
        prefixes: dict[str, str],
        device: str | None = None,
        batch_size: int | None = None,
        precision: str = "auto",
    ):
        import torch
        from sentence_transformers import SentenceTransformer

        # Other models load as saved unless a precision is asked for: their fidelity
        # in another dtype is unchecked.
        kwargs = {}
        if precision != "auto":
            kwargs["model_kwargs"] = {"dtype": getattr(torch, precision)}
        self._model = SentenceTransformer(model, device=device, **kwargs)
        self.precision = str(next(self._model.parameters()).dtype).removeprefix("torch.")
        self.version = version if precision == "auto" else f"{version}-{precision}"
        self.prefixes = prefixes
        self.batch_size = batch_size or 32
        self.max_seq_length = int(self._model.max_seq_length or 512)
        self.dim = int(self._model.get_embedding_dimension())

    def encode(self, texts: list[str], kind: str) -> np.ndarray:
        prefix = self.prefixes.get(kind, "")
        # sentence-transformers sorts each call by length internally.
        vecs = self._model.encode(
            [prefix + t for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)

    def count_tokens(self, texts: Sequence[str], kind: str) -> list[int]:
        prefix = self.prefixes.get(kind, "")
        tok = self._model.tokenizer
        return [len(ids) for ids in tok([prefix + t for t in texts])["input_ids"]]


def model_version(model: str) -> str:
    """Return a version string identifying the weights of a sentence-transformers model."""
    path = Path(model)
    if path.exists():
        digest = hashlib.sha256()
        for f in sorted(path.rglob("*")):
            if f.is_file() and f.suffix in {".json", ".safetensors", ".bin", ".model", ".txt"}:
                digest.update(f.relative_to(path).as_posix().encode())
                digest.update(bytes.fromhex(sha256_file(f)))
        return "sha256-" + digest.hexdigest()[:16]
    try:
        from huggingface_hub import try_to_load_from_cache

        hit = try_to_load_from_cache(model, "config.json")
        if isinstance(hit, str):
            return "rev-" + Path(hit).parent.name
    except Exception as exc:  # noqa: BLE001 - version lookup is best effort
        logger.debug("no hub revision for %s: %s", model, exc)
    return "unversioned"


def default_prefixes(model: str) -> dict[str, str]:
    """E5 models expect "passage: "/"query: " prefixes; other models none."""
    if "e5" in Path(model).name.lower():
        return {"passage": "passage: ", "query": "query: "}
    return {"passage": "", "query": ""}
