"""Split cleaned articles into passages.

One article mixes themes (a meeting report covers terrorism, Libya and the
peace process in turn), so topics are modelled on passages. Passages follow
paragraphs; paragraphs shorter than ``min_words`` are merged with their
neighbour, and paragraphs longer than ``max_words`` are split at sentence ends
(then at commas, then between words, only when a single sentence is too long).

Invariant: the words of the passages, in order, are exactly the words of the
body (nothing lost, nothing duplicated).
"""

from __future__ import annotations

import re

__all__ = ["segment", "split_sentences"]

# Sentence end: . ! ? ؟ … (optionally followed by a closing quote) then a space or a
# letter (Arabic news often omits the space: "الدولي.جاء"). Digits around a dot
# (2.5) are not a sentence end.
_SENT_END = re.compile(r"(?<=[^\d\s][.!؟?…])(?:[»\"”)]?)(?=\s|[\u0621-\u064a])")
_CLAUSE_END = re.compile(r"(?<=[،؛;:])(?=\s)")


def _split_keep(text: str, pattern: re.Pattern) -> list[str]:
    pieces, start = [], 0
    for m in pattern.finditer(text):
        end = m.end()
        if text[start:end].strip():
            pieces.append(text[start:end].strip())
        start = end
    if text[start:].strip():
        pieces.append(text[start:].strip())
    return pieces


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph at sentence ends, keeping the punctuation."""
    return _split_keep(paragraph, _SENT_END)


def _pack(units: list[str], max_words: int) -> list[str]:
    """Greedily join consecutive units while the result has at most ``max_words`` words."""
    out: list[str] = []
    cur: list[str] = []
    n = 0
    for u in units:
        k = len(u.split())
        if cur and n + k > max_words:
            out.append(" ".join(cur))
            cur, n = [], 0
        cur.append(u)
        n += k
    if cur:
        out.append(" ".join(cur))
    return out


def _split_long(paragraph: str, max_words: int) -> list[str]:
    if len(paragraph.split()) <= max_words:
        return [paragraph]
    units: list[str] = []
    for sent in split_sentences(paragraph):
        if len(sent.split()) <= max_words:
            units.append(sent)
            continue
        for clause in _split_keep(sent, _CLAUSE_END):
            words = clause.split()
            units.extend(" ".join(words[i:i + max_words]) for i in range(0, len(words), max_words))
    return _pack(units, max_words)


def segment(body: str, *, min_words: int = 25, max_words: int = 120) -> list[str]:
    """Split a cleaned article body into passages.

    Parameters
    ----------
    body : str
        Cleaned text, one paragraph per line.
    min_words : int, default=25
        Passages shorter than this are merged into the next one (the last into
        the previous one).
    max_words : int, default=120
        Paragraphs longer than this are split at sentence ends. About 120 Arabic
        words is 250-300 model tokens, well inside E5's 512-token window.

    Returns
    -------
    list of str
        The passages, in reading order. An empty body gives an empty list.
    """
    if min_words < 0 or max_words < 1 or min_words > max_words:
        raise ValueError(
            f"need 0 <= min_words <= max_words and max_words >= 1, "
            f"got min_words={min_words}, max_words={max_words}"
        )
    chunks: list[str] = []
    for para in body.split("\n"):
        para = " ".join(para.split())
        if para:
            chunks.extend(_split_long(para, max_words))
    passages: list[str] = []
    pending = ""
    for chunk in chunks:
        text = f"{pending} {chunk}".strip() if pending else chunk
        if len(text.split()) < min_words:
            pending = text
            continue
        passages.append(text)
        pending = ""
    if pending:
        if passages and len(passages[-1].split()) + len(pending.split()) <= 2 * max_words:
            passages[-1] = f"{passages[-1]} {pending}"
        else:
            passages.append(pending)
    return passages
