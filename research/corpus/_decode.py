"""Decoding raw bytes of Arabic text files and measuring how Arabic a text is."""

from __future__ import annotations

import codecs
from functools import cache
from typing import NamedTuple

import numpy as np

__all__ = ["Decoded", "arabic_share", "decode_bytes"]

# Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 control bytes other than tab, newline, vertical tab, form feed, carriage return, escape.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
# A text file has practically no control bytes; random binary data has ~11 %.
_MAX_CONTROL_SHARE = 0.05
# cp1256 maps almost every byte to a character, so a cp1256 reading is accepted only
# when it looks like Arabic: at least this share of its letters are Arabic.
_MIN_CP1256_ARABIC = 0.5
# Unicode blocks of the Arabic script (basic, supplement, extended-A, presentation forms).
_ARABIC_BLOCKS = (
    (0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),
)


class Decoded(NamedTuple):
    """Result of :func:`decode_bytes`: the text and encoding, or why there is none."""

    text: str
    encoding: str
    error: str


@cache
def _letter_table() -> np.ndarray:
    """Return a lookup table over the BMP: 0 not a letter, 1 letter, 2 Arabic letter."""
    table = np.zeros(0x10000, dtype=np.uint8)
    for cp in range(0x10000):
        if chr(cp).isalpha():
            table[cp] = 1
    for lo, hi in _ARABIC_BLOCKS:
        block = table[lo : hi + 1]
        block[block == 1] = 2
    return table


def arabic_share(text: str) -> tuple[float, int]:
    """Return the share of Arabic letters among all letters of ``text``.

    Letters are characters for which :meth:`str.isalpha` is true; Arabic letters
    are those in the Arabic-script Unicode blocks. Characters outside the Basic
    Multilingual Plane (emoji, rare scripts) are not counted.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    share : float
        Arabic letters / letters, in [0, 1]; 0.0 when there are no letters.
    n_letters : int
        Number of letters counted.
    """
    if not text:
        return 0.0, 0
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _letter_table()[np.minimum(codes, 0xFFFF)]
    counts = np.bincount(classes, minlength=3)
    n_letters = int(counts[1] + counts[2])
    return (float(counts[2]) / n_letters if n_letters else 0.0), n_letters


def _looks_binary(data: bytes) -> bool:
    """Whether ``data`` (without a BOM) holds NUL bytes or many control bytes."""
    if b"\x00" in data:
        return True
    n_control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return n_control > _MAX_CONTROL_SHARE * len(data)


def decode_bytes(data: bytes) -> Decoded:
    """Decode the bytes of a text file strictly, without replacement characters.

    Tries, in order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-8; Windows-1256
    (cp1256), accepted only when the result is plausibly Arabic. Data with NUL
    bytes or many control bytes (and no BOM) is reported as binary.

    Parameters
    ----------
    data : bytes
        The raw file content.

    Returns
    -------
    Decoded
        ``(text, encoding, '')`` on success, with ``encoding`` one of
        ``'utf-8'``, ``'utf-8-sig'``, ``'utf-16'``, ``'utf-32'``, ``'cp1256'``;
        otherwise ``('', '', error)`` with ``error`` one of ``'empty file'``,
        ``'binary file'`` or ``'undecodable (tried ...)'``. Line endings are
        returned as found.
    """
    if not data:
        return Decoded("", "", "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding, "")
            except UnicodeDecodeError:
                error = f"undecodable (byte-order mark says {encoding}, but invalid)"
                return Decoded("", "", error)
    if _looks_binary(data):
        return Decoded("", "", "binary file")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if text and arabic_share(text)[0] >= _MIN_CP1256_ARABIC:
        return Decoded(text, "cp1256", "")
    return Decoded("", "", "undecodable (tried utf-8, utf-16, cp1256)")
