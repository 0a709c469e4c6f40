"""Near-duplicate articles: word-shingle MinHash with LSH banding and exact verification.

News corpora hold many copies of the same wire story under different headlines
or with a few words changed. :func:`near_duplicate_groups` groups them:

1. each text is normalised (diacritics, tatweel and format characters removed,
   punctuation turned into spaces, alef/yeh/teh-marbuta forms unified, Latin
   lower-cased, Arabic-Indic digits made ASCII) and cut into word shingles of
   ``shingle_size`` consecutive words, each hashed to 64 bits;
2. MinHash signatures and LSH banding propose candidate pairs;
3. every candidate pair is verified with the exact Jaccard similarity of the two
   shingle sets, so random hashing only affects recall, never precision;
4. verified pairs are joined transitively (connected components).

Everything is vectorised with numpy (sorting and segment reductions); there is
no Python loop over shingles or words.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

__all__ = ["duplicate_table", "near_duplicate_groups"]

_SEP = 0x20  # code of the word separator after normalisation
_DELETE = 0  # code of characters removed by normalisation
_CHUNK_CHARS = 4_000_000  # characters normalised at once (bounds memory)
_MAX_PARTNERS = 32  # in a large LSH bucket, each member is paired with this many next ones
_TARGET_RECALL = 0.99  # LSH candidate probability wanted for a pair at the threshold
_MIN_DOC_BITS = 16  # a shingle key packs the document index in >= 16 bits, the hash below
_U64 = np.uint64
_TOKEN_BASE = _U64(0x100000001B3)  # odd multiplier of the polynomial word hash
_SHINGLE_MULT = (  # odd multipliers combining word hashes into a shingle hash
    0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9,
)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: spread the bits of a uint64 array (returns a new array)."""
    x = x.astype(_U64, copy=True)
    x ^= x >> _U64(30)
    x *= _U64(0xBF58476D1CE4E5B9)
    x ^= x >> _U64(27)
    x *= _U64(0x94D049BB133111EB)
    x ^= x >> _U64(31)
    return x


@cache
def _char_table() -> np.ndarray:
    """Map each BMP code point to its normalised code, ``_SEP`` or ``_DELETE``."""
    table = np.full(0x10000, _SEP, dtype=np.uint32)
    for cp in range(0x10000):
        char = chr(cp)
        category = unicodedata.category(char)
        if category[0] in "LN":
            lower = char.lower()
            table[cp] = ord(lower) if len(lower) == 1 else cp
        elif category[0] == "M" or category == "Cf":
            table[cp] = _DELETE
    table[0x0640] = _DELETE  # tatweel (a letter for Unicode, decoration for readers)
    for variant in "أإآٱ":
        table[ord(variant)] = ord("ا")
    for variant in "ىی":
        table[ord(variant)] = ord("ي")
    table[ord("ة")] = ord("ه")
    for digit in range(10):
        table[0x0660 + digit] = table[0x06F0 + digit] = ord("0") + digit
    return table


def _word_hashes(texts: Sequence[str], start: int) -> tuple[np.ndarray, np.ndarray]:
    """Normalise ``texts`` and return (64-bit hash, document index) of every word."""
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    joined = "\n".join(texts) + "\n"
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = _char_table()[np.minimum(codes, 0xFFFF)]
    docs = np.repeat(np.arange(start, start + len(texts), dtype=np.int64), lengths)
    kept = codes != _DELETE
    codes, docs = codes[kept], docs[kept]
    in_word = codes != _SEP
    begins = in_word & ~np.r_[False, in_word[:-1]]
    chars = codes[in_word].astype(_U64) + _U64(1)
    begins = begins[in_word]
    if chars.size == 0:
        return np.empty(0, _U64), np.empty(0, np.int64)
    starts = np.flatnonzero(begins)
    position = np.arange(chars.size) - starts[np.cumsum(begins) - 1]
    powers = np.multiply.accumulate(np.full(int(position.max()) + 1, _TOKEN_BASE, dtype=_U64))
    words = np.add.reduceat(chars * powers[position], starts)
    return _mix(words), docs[in_word][starts]


def _shingles(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (64-bit hash, document index) of every ``k``-word shingle of ``texts``.

    A text with fewer than ``k`` words (but at least one) gives one shingle of all its words.
    """
    parts, bounds, size = [], [0], 0
    for i, text in enumerate(texts):
        size += len(text) + 1
        if size >= _CHUNK_CHARS:
            bounds.append(i + 1)
            size = 0
    bounds.append(len(texts))
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        if hi > lo:
            parts.append(_word_hashes(texts[lo:hi], lo))
    words = np.concatenate([p[0] for p in parts]) if parts else np.empty(0, _U64)
    docs = np.concatenate([p[1] for p in parts]) if parts else np.empty(0, np.int64)
    mult = [_U64(_SHINGLE_MULT[j % len(_SHINGLE_MULT)] + 2 * (j // len(_SHINGLE_MULT)))
            for j in range(k)]
    counts = np.bincount(docs, minlength=len(texts))
    first = np.cumsum(counts) - counts
    n = words.size - k + 1
    full_hash = np.empty(0, _U64)
    full_docs = np.empty(0, np.int64)
    if n > 0:
        acc = words[:n] * mult[0]
        for j in range(1, k):
            acc += words[j : j + n] * mult[j]
        valid = docs[:n] == docs[k - 1 :]
        full_hash, full_docs = acc[valid], docs[:n][valid]
    short = np.flatnonzero((counts > 0) & (counts < k))
    short_hash = np.zeros(short.size, _U64)
    for j in range(k - 1):
        has = counts[short] > j
        short_hash[has] += words[first[short][has] + j] * mult[j]
    hashes = _mix(np.concatenate([full_hash, short_hash]))
    return hashes, np.concatenate([full_docs, short])


def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Return (bands, rows) for LSH banding of ``num_perm`` MinHash values.

    Picks the most rows per band (fewest false candidates) that still make a pair
    at the threshold a candidate with probability >= ``_TARGET_RECALL``.
    """
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= _TARGET_RECALL:
            return bands, rows
    return num_perm, 1


def _segments(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Positions of the concatenated segments ``[start, start + length)``."""
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))


def _shingle_sets(
    hashes: np.ndarray, docs: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """Sorted, de-duplicated shingle hashes of every document.

    Returns ``(values, indptr, hash_bits)``: document ``d``'s set is
    ``values[indptr[d]:indptr[d + 1]]``, sorted, each value below ``2**hash_bits``.
    A key ``doc << hash_bits | hash`` (top bits of the 64-bit hash) sorts all
    documents' shingles at once.
    """
    doc_bits = max(_MIN_DOC_BITS, int(n).bit_length())
    hash_bits = 64 - doc_bits
    keys = (docs.astype(_U64) << _U64(hash_bits)) | (hashes >> _U64(doc_bits))
    keys.sort()
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys
    sizes = np.bincount((keys >> _U64(hash_bits)).astype(np.int64), minlength=n)
    indptr = np.r_[0, np.cumsum(sizes)]
    return keys & _U64((1 << hash_bits) - 1), indptr, hash_bits


def _minhash(values: np.ndarray, starts: np.ndarray, num_perm: int,
             rng: np.random.Generator) -> np.ndarray:
    """MinHash signatures (n_sets x num_perm, uint32) of non-empty sets of hashes.

    Set ``i`` is ``values[starts[i]:starts[i + 1]]`` (the last runs to the end).
    """
    a = rng.integers(0, np.iinfo(_U64).max, size=num_perm, dtype=_U64, endpoint=True) | _U64(1)
    b = rng.integers(0, np.iinfo(_U64).max, size=num_perm, dtype=_U64, endpoint=True)
    buffer = np.empty_like(values)
    signature = np.empty((starts.size, num_perm), dtype=np.uint32)
    for p in range(num_perm):
        np.multiply(values, a[p], out=buffer)
        buffer += b[p]
        buffer >>= _U64(32)
        signature[:, p] = np.minimum.reduceat(buffer, starts)
    return signature


def _bucket_pairs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of positions whose ``keys`` are equal.

    In a bucket of more than ``_MAX_PARTNERS + 1`` members, each member is paired
    with the next ``_MAX_PARTNERS`` only (transitive grouping joins the rest).
    """
    n = keys.size
    if n < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    new_run = np.r_[True, ordered[1:] != ordered[:-1]]
    run_start = np.flatnonzero(new_run)
    run_end = np.r_[run_start[1:], n][np.cumsum(new_run) - 1]
    partners = np.minimum(run_end - np.arange(n) - 1, _MAX_PARTNERS)
    total = int(partners.sum())
    left = np.repeat(np.arange(n), partners)
    offset = np.arange(total) - np.repeat(np.cumsum(partners) - partners, partners)
    return order[left], order[left + 1 + offset]


def _shared_counts(values: np.ndarray, indptr: np.ndarray, hash_bits: int, left: np.ndarray,
                   right: np.ndarray) -> np.ndarray:
    """Exact size of the intersection of the shingle sets of each pair (left[k], right[k]).

    Both sets of a pair are tagged with the pair's number, sorted together, and
    equal neighbours counted (values within a set are unique).
    """
    sizes = np.diff(indptr)
    batch = 1 << (64 - hash_bits)  # pair numbers must fit above the hash bits
    shared = np.empty(left.size, dtype=np.int64)
    for lo in range(0, left.size, batch):
        i, j = left[lo : lo + batch], right[lo : lo + batch]
        lengths = np.concatenate([sizes[i], sizes[j]])
        tags = np.repeat(np.tile(np.arange(i.size, dtype=_U64), 2), lengths)
        keys = (tags << _U64(hash_bits)) | values[_segments(np.r_[indptr[i], indptr[j]], lengths)]
        keys.sort()
        equal = keys[1:][keys[1:] == keys[:-1]]
        shared[lo : lo + batch] = np.bincount(
            (equal >> _U64(hash_bits)).astype(np.int64), minlength=i.size
        )
    return shared


def _check_params(threshold: float, shingle_size: int, num_perm: int) -> None:
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    if int(shingle_size) != shingle_size or shingle_size < 1:
        raise ValueError(f"shingle_size must be an integer >= 1, got {shingle_size!r}")
    if int(num_perm) != num_perm or num_perm < 1:
        raise ValueError(f"num_perm must be an integer >= 1, got {num_perm!r}")


def near_duplicate_groups(
    texts: Sequence[str],
    *,
    threshold: float = 0.7,
    shingle_size: int = 5,
    num_perm: int = 128,
    random_state: int | np.random.Generator | None = 0,
) -> np.ndarray:
    """Group near-duplicate texts.

    Two texts are near duplicates when the Jaccard similarity of their sets of
    ``shingle_size``-word shingles (after normalisation) is at least
    ``threshold``; groups are the transitive closure of that relation. Texts
    without any word are never grouped.

    Parameters
    ----------
    texts : sequence of str
        The texts, e.g. ``articles["text"]``.
    threshold : float in (0, 1], default=0.7
        Minimum Jaccard similarity of shingle sets.
    shingle_size : int, default=5
        Words per shingle; a text with fewer words forms one shingle.
    num_perm : int, default=128
        MinHash permutations; more raise the recall of candidate pairs.
    random_state : int, numpy Generator or None, default=0
        Seed of the MinHash permutations. Results are deterministic for a given
        seed; seeds can differ only in rare missed pairs (recall), as every
        proposed pair is verified exactly.

    Returns
    -------
    groups : ndarray of int64, shape (n_texts,)
        For each text, the index of its group's representative: the group's first
        member in input order. Singletons map to themselves, so
        ``groups[i] == i`` marks representatives.

    Examples
    --------
    >>> a = "قال الرئيس إن مصر والسعودية تعملان معا من أجل استقرار المنطقة كلها"
    >>> near_duplicate_groups([a, a + " اليوم", "نص آخر مختلف تماما عن الأول"]).tolist()
    [0, 0, 2]
    """
    _check_params(threshold, shingle_size, num_perm)
    texts = list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"texts must be strings; texts[{i}] is {type(text).__name__}")
    n = len(texts)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    rng = np.random.default_rng(random_state)
    values, indptr, hash_bits = _shingle_sets(*_shingles(texts, int(shingle_size)), n)
    sizes = np.diff(indptr)
    nonempty = np.flatnonzero(sizes)
    left_parts, right_parts = [], []
    if nonempty.size:
        # Identical shingle sets: same size and same order-free fingerprint.
        salted = _mix(values ^ _U64(0x5DEECE66D))
        fingerprint = np.add.reduceat(salted, indptr[nonempty])
        fingerprint = _mix(fingerprint ^ sizes[nonempty].astype(_U64))
        codes, _ = pd.factorize(fingerprint)  # codes number sets by first appearance
        unique_docs = nonempty[np.unique(codes, return_index=True)[1]]
        reps = unique_docs[codes]
        copies = reps != nonempty
        left_parts.append(reps[copies])
        right_parts.append(nonempty[copies])
        # MinHash + LSH banding over the distinct sets.
        lengths = sizes[unique_docs]
        signature = _minhash(values[_segments(indptr[unique_docs], lengths)],
                             np.cumsum(lengths) - lengths, int(num_perm), rng)
        bands, rows = _lsh_params(threshold, int(num_perm))
        mult = rng.integers(0, np.iinfo(_U64).max, size=rows, dtype=_U64, endpoint=True) | _U64(1)
        for band in range(bands):
            block = signature[:, band * rows : (band + 1) * rows].astype(_U64)
            keys = _mix((block * mult).sum(axis=1, dtype=_U64) + _U64(band))
            left, right = _bucket_pairs(keys)
            left_parts.append(unique_docs[left])
            right_parts.append(unique_docs[right])
    left = np.concatenate(left_parts) if left_parts else np.empty(0, np.int64)
    right = np.concatenate(right_parts) if right_parts else np.empty(0, np.int64)
    pair = np.unique(np.minimum(left, right) * n + np.maximum(left, right))
    left, right = pair // n, pair % n
    shared = _shared_counts(values, indptr, hash_bits, left, right)
    keep = shared >= threshold * (sizes[left] + sizes[right] - shared) - 1e-9
    graph = sparse.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.int8), (left[keep], right[keep])), shape=(n, n)
    )
    _, labels = connected_components(graph, directed=False)
    representative = np.full(labels.max() + 1, n, dtype=np.int64)
    np.minimum.at(representative, labels, np.arange(n))
    return representative[labels]


def duplicate_table(ids: Sequence[str], groups: np.ndarray) -> pd.DataFrame:
    """Tabulate near-duplicate groups by article id.

    Parameters
    ----------
    ids : sequence of str, length n
        Article ids, in the order of the texts given to :func:`near_duplicate_groups`.
    groups : array-like of int, shape (n,)
        Its result.

    Returns
    -------
    pandas.DataFrame
        One row per article, in input order: ``article_id``; ``dup_group``, the
        ``article_id`` of the group's representative; ``is_representative``
        (bool); ``group_size`` (int, 1 for singletons).

    Raises
    ------
    ValueError
        If lengths differ or ``groups`` is not a valid grouping (each value the
        index of a representative that maps to itself and comes first).
    """
    ids = np.asarray([str(i) for i in ids], dtype=object)
    groups = np.asarray(groups)
    n = ids.size
    if groups.shape != (n,):
        raise ValueError(f"groups must have shape ({n},) like ids, got {groups.shape}")
    groups = groups.astype(np.int64)
    index = np.arange(n)
    if n and (groups.min() < 0 or np.any(groups > index) or np.any(groups[groups] != groups)):
        raise ValueError(
            "groups must map each item to the index of its group's first member, which maps "
            "to itself (as returned by near_duplicate_groups)"
        )
    size = np.bincount(groups, minlength=n)[groups] if n else np.empty(0, np.int64)
    return pd.DataFrame(
        {
            "article_id": pd.array(ids, dtype="str"),
            "dup_group": pd.array(ids[groups], dtype="str"),
            "is_representative": groups == index,
            "group_size": size.astype(np.int64),
        }
    )
