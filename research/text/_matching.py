"""Finding normalised Arabic spellings in text, and quoting the original back.

:func:`alias_regex` compiles spellings (names, titles, anchor phrases) into one
pattern that tolerates proclitics and spacing variants; :func:`core_key` and
:func:`spelling_keys` give the lookup keys of what it matches. :class:`NormalizedText`
holds text passed through :func:`research.arabic.normalize_arabic` with a map back
to the original characters, so that spans found in the normalised text can be quoted.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ._arabic import normalize_arabic

__all__ = [
    "ARABIC_LETTER",
    "WORD_START",
    "WORD_END",
    "alias_regex",
    "core_key",
    "spelling_keys",
    "NormalizedText",
]

#: Character class of Arabic letters (after normalisation), used for word boundaries.
ARABIC_LETTER = "\u0621-\u064a\u0671-\u06d3"
#: Regex look-behind: not preceded by an Arabic or Latin letter or a digit (a word start).
WORD_START = f"(?<![{ARABIC_LETTER}A-Za-z0-9])"
#: Regex look-ahead: not followed by an Arabic or Latin letter or a digit (a word end).
WORD_END = f"(?![{ARABIC_LETTER}A-Za-z0-9])"


def _core_pattern(spelling: str) -> str:
    """Return a regex for a normalised spelling that tolerates spacing variants."""
    parts = [re.escape(p) for p in spelling.split(" ")]
    out = parts[0]
    for prev, part in zip(spelling.split(" ")[:-1], parts[1:], strict=True):
        # "عبد الفتاح" / "عبدالفتاح", "ابو مازن" / "ابومازن": the space is optional.
        sep = r"\s*" if prev in {"عبد", "ابو", "بو"} else r"\s+"
        out += sep + part
    return out


def alias_regex(spellings: list[str]) -> re.Pattern[str]:
    """Compile normalised spellings into one regex that allows proclitics.

    The match has a group ``core`` holding the spelling without the proclitic
    (``و``, ``ف``, ``ب``, ``ل``, ``ك``); a spelling starting with the article ``ال``
    also matches its ``لل`` form (``للرئيس``). Longer spellings are tried first.

    Parameters
    ----------
    spellings : list of str
        Normalised spellings.

    Returns
    -------
    re.Pattern
        Pattern with named groups ``clitic`` and ``core``.
    """
    variants: set[str] = set()
    for s in spellings:
        variants.add(_core_pattern(s))
        if s.startswith("ال") and len(s) > 3:
            # ل + ال -> لل : keep one lam in the core, the clitic supplies the other.
            variants.add(_core_pattern("ل" + s[2:]))
    ordered = sorted(variants, key=len, reverse=True)
    body = "|".join(ordered) if ordered else "(?!x)x"
    return re.compile(
        f"{WORD_START}(?P<clitic>[وف]?[بلك]?)(?P<core>{body}){WORD_END}"
    )


def core_key(core: str) -> str:
    """Return the lookup key of a matched ``core`` group: spaces removed."""
    return re.sub(r"\s+", "", core)


def spelling_keys(spelling: str) -> set[str]:
    """Return the keys under which :func:`alias_regex` cores of ``spelling`` are found."""
    keys = {core_key(spelling)}
    if spelling.startswith("ال") and len(spelling) > 3:
        keys.add(core_key("ل" + spelling[2:]))
    return keys


class NormalizedText:
    """Arabic-normalised text with a map back to the original characters.

    Normalisation is applied character by character, which for
    :func:`research.text.normalize_arabic` gives the same string as normalising the
    whole text (diacritics, tatweel and invisible marks are dropped, the other steps
    map one character to one character). Spans found in :attr:`norm` can then be quoted from the
    original with :meth:`original`.

    Parameters
    ----------
    text : str
        Original text.
    """

    def __init__(self, text: str):
        self.text = text
        chars: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(text):
            n = _norm_char(ch)
            chars.extend(n)
            index.extend([i] * len(n))
        norm = "".join(chars)
        if norm != normalize_arabic(text):  # normaliser changed: fall back, no offsets
            norm, index = normalize_arabic(text), []
        self.norm = norm
        self._index = index

    def original(self, start: int, end: int) -> str:
        """Return the original text behind ``norm[start:end]``."""
        if not self._index:
            return self.norm[start:end]
        if start >= end or start >= len(self._index):
            return ""
        lo = self._index[start]
        hi = self._index[end - 1] + 1
        # Keep trailing diacritics of the last character (not invisible marks after it).
        while (
            hi < len(self.text)
            and not _norm_char(self.text[hi])
            and unicodedata.category(self.text[hi]) == "Mn"
        ):
            hi += 1
        return self.text[lo:hi]


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    return normalize_arabic(ch)
