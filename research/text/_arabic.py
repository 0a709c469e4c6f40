"""Arabic text normalisation, tokenisation and stop words.

Normalisation is applied to *derived* text only (vectorizer input, matching);
passages and tables keep the original spelling.

The steps follow common practice for Arabic information retrieval: remove
invisible direction and format marks (left-to-right and right-to-left marks,
the Arabic letter mark, bidi embeddings, overrides and isolates, zero-width
spaces and joiners, the byte-order mark, the soft hyphen), diacritics (tashkeel)
and tatweel, unify alef variants (أ إ آ ٱ → ا), alef maqsura
and Farsi yeh (ى ی → ي), teh marbuta (ة → ه), the Egyptian spelling of the
preposition (فى → في), and Arabic-Indic digits (٠-٩ → 0-9).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "ArabicNormalizer",
    "normalize_arabic",
    "arabic_tokenize",
    "strip_proclitics",
    "surface_forms",
    "display_term",
    "arabic_stop_words",
    "is_arabic_word",
    "ArabicAnalyzer",
]

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]"
)
_TATWEEL = "\u0640"
# Invisible marks that web pages and word processors put around numbers and names:
# U+200B-U+200F (zero-width space, non-joiner, joiner, LRM, RLM), U+202A-U+202E
# (bidi embeddings and overrides), U+2060 (word joiner), U+2066-U+2069 (bidi
# isolates), U+061C (Arabic letter mark), U+FEFF (byte-order mark / zero-width
# no-break space) and U+00AD (soft hyphen). "١٨\u200f/٩\u200f/٢٠٢٤" reads as 18/9/2024.
_MARKS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff\u00ad]")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})
_YEH = str.maketrans({"ى": "ي", "ی": "ي"})
_TEH_MARBUTA = str.maketrans({"ة": "ه"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# "فى" as a whole word is the Egyptian spelling of the preposition "في".
_FI = re.compile(r"(?<![\u0621-\u064a])فى(?![\u0621-\u064a])")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
# A token: a run of Arabic letters (after normalisation), or Latin letters/digits.
_TOKEN = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+|[A-Za-z0-9]+")


@dataclass(frozen=True)
class ArabicNormalizer:
    """Configurable Arabic normaliser; calling it normalises one string.

    Parameters
    ----------
    diacritics, tatweel, alef, yeh, teh_marbuta, fi, digits, marks : bool, default=True
        Which normalisation steps to apply (see the module docstring); ``marks``
        removes invisible direction and format marks (U+200B-U+200F, U+202A-U+202E,
        U+2060, U+2066-U+2069, U+061C, U+FEFF, U+00AD).
    """

    diacritics: bool = True
    tatweel: bool = True
    alef: bool = True
    yeh: bool = True
    teh_marbuta: bool = True
    fi: bool = True
    digits: bool = True
    marks: bool = True

    def __call__(self, text: str) -> str:
        """Return the normalised ``text``."""
        if self.marks:
            text = _MARKS.sub("", text)
        if self.diacritics:
            text = _DIACRITICS.sub("", text)
        if self.tatweel:
            text = text.replace(_TATWEEL, "")
        if self.fi:
            text = _FI.sub("في", text)
        if self.alef:
            text = text.translate(_ALEF)
        if self.yeh:
            text = text.translate(_YEH)
        if self.teh_marbuta:
            text = text.translate(_TEH_MARBUTA)
        if self.digits:
            text = text.translate(_DIGITS)
        return text

    def to_dict(self) -> dict[str, bool]:
        """Return the settings, for run records and saved models."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


_DEFAULT = ArabicNormalizer()


def normalize_arabic(text: str) -> str:
    """Normalise Arabic ``text`` with every step of :class:`ArabicNormalizer` enabled."""
    return _DEFAULT(text)


def is_arabic_word(token: str) -> bool:
    """Return True when ``token`` contains at least one Arabic letter."""
    return bool(_ARABIC_LETTER.search(token))


def arabic_tokenize(text: str) -> list[str]:
    """Split already-normalised text into word tokens.

    Diacritics must be removed first (see :func:`normalize_arabic`); otherwise a
    word would be split at each diacritic.
    """
    return _TOKEN.findall(text)


# News-reporting function words that the general-purpose list does not cover but
# that carry no topic in this genre (attribution verbs, generic connectives).
# Kept short and explicit; users extend it with ``extra_stop_words``.
NEWS_STOP_WORDS = (
    "قال", "قالت", "اكد", "اكدت", "اضاف", "اضافت", "اشار", "اشارت", "اوضح", "اوضحت",
    "اعرب", "اعربت", "اليوم", "امس", "خلال", "ايضا", "كما", "حيث", "الى", "الي",
    "وذلك", "ذلك", "هذا", "هذه", "التي", "الذي", "الذين", "بين", "مع", "عن", "علي",
    "كل", "كافه", "مختلف", "عدد", "اطار", "جانب", "جانبه", "وفق", "نحو", "لدي",
    "فضلا", "لاسيما", "خاصه", "خصوصا", "بما", "مما", "انه", "انها", "وقد", "قد",
)


_PROCLITIC_AL = re.compile(r"^(?:و?[بفك]|و)ال(?=[\u0621-\u064a]{2})")
_PROCLITIC_LIL = re.compile(r"^[وف]?لل(?=[\u0621-\u064a]{3})")


def strip_proclitics(token: str) -> str:
    """Remove a conjunction or preposition attached to the definite article.

    ``والتطرف`` → ``التطرف``, ``بالقاهره`` → ``القاهره``, ``للتعاون`` → ``التعاون``.
    Only forms with the article are touched, which is unambiguous in news text.
    """
    token = _PROCLITIC_AL.sub("ال", token)
    return _PROCLITIC_LIL.sub("ال", token)


def surface_forms(texts, normalizer: ArabicNormalizer | None = None) -> dict[str, str]:
    """Map each normalised token to its most frequent spelling in ``texts``.

    Topic words are computed on normalised text (``الانسانيه``); for display they
    are mapped back to how the corpus writes them (``الإنسانية``). Diacritics and
    tatweel are dropped from the displayed form; ties go to the alphabetically
    first spelling (deterministic).
    """
    from collections import Counter, defaultdict

    norm = normalizer or _DEFAULT
    light = ArabicNormalizer(alef=False, yeh=False, teh_marbuta=False, fi=False, digits=False)
    counts: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for tok in _TOKEN.findall(light(text)):
            counts[strip_proclitics(norm(tok))][_strip_surface(tok)] += 1
    return {k: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for k, c in counts.items()}


def _strip_surface(token: str) -> str:
    """Drop a conjunction/preposition before the article, keeping the original letters."""
    m = re.match(r"^(?:و?[بفك]|و)(?=ال[\u0621-\u064a]{2})|^[وف]?ل(?=ل[\u0621-\u064a]{3})", token)
    if not m:
        return token
    rest = token[m.end():]
    return "ا" + rest if rest.startswith("ل") and not rest.startswith("ال") else rest


def display_term(term: str, forms: dict[str, str]) -> str:
    """Return ``term`` (one or more normalised tokens) in its corpus spelling."""
    return " ".join(forms.get(t, t) for t in term.split())


@lru_cache(maxsize=1)
def arabic_stop_words() -> frozenset[str]:
    """Return the normalised Arabic stop-word set.

    The maintained list of the ``Arabic-Stopwords`` package (about 13,000 forms,
    including clitic forms such as وفي، بأن، لها) plus :data:`NEWS_STOP_WORDS`, every
    entry passed through :func:`normalize_arabic` so that it matches normalised text.
    """
    from arabicstopwords.arabicstopwords import stopwords_list

    words = {normalize_arabic(w) for w in stopwords_list()}
    words.update(NEWS_STOP_WORDS)
    return frozenset(w for w in words if w)


class ArabicAnalyzer:
    """Callable analyzer for :class:`sklearn.feature_extraction.text.CountVectorizer`.

    Normalises, tokenises, drops stop words, non-Arabic tokens and one-letter
    tokens, then forms n-grams from the remaining tokens (so an n-gram never
    contains a stop word).

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 2)
        Smallest and largest n-gram length.
    extra_stop_words : tuple of str, default=()
        Additional stop words (normalised before use).
    normalizer : ArabicNormalizer, optional
        Normalisation settings; all steps by default.
    strip_clitics : bool, default=True
        Apply :func:`strip_proclitics` to every token.
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 2),
        extra_stop_words: tuple[str, ...] = (),
        normalizer: ArabicNormalizer | None = None,
        strip_clitics: bool = True,
    ):
        self.ngram_range = tuple(ngram_range)
        self.strip_clitics = strip_clitics
        self.extra_stop_words = tuple(extra_stop_words)
        self.normalizer = normalizer
        self._stop_words: frozenset[str] | None = None

    def _stop(self) -> frozenset[str]:
        if self._stop_words is None:
            norm = self.normalizer or _DEFAULT
            self._stop_words = arabic_stop_words() | {norm(w) for w in self.extra_stop_words}
        return self._stop_words

    def __call__(self, doc: str) -> list[str]:
        """Return the list of n-gram features of ``doc``."""
        norm = self.normalizer or _DEFAULT
        stop = self._stop()
        tokens = arabic_tokenize(norm(doc))
        if self.strip_clitics:
            tokens = [strip_proclitics(t) for t in tokens]
        tokens = [t for t in tokens if len(t) > 1 and t not in stop and is_arabic_word(t)]
        low, high = self.ngram_range
        grams: list[str] = []
        for n in range(low, high + 1):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def get_params(self) -> dict:
        """Return the constructor parameters (JSON-serialisable)."""
        return {
            "ngram_range": list(self.ngram_range),
            "extra_stop_words": list(self.extra_stop_words),
            "normalizer": (self.normalizer or _DEFAULT).to_dict(),
            "strip_clitics": self.strip_clitics,
        }

    @classmethod
    def from_params(cls, params: dict) -> ArabicAnalyzer:
        """Rebuild an analyzer from :meth:`get_params` output."""
        return cls(
            ngram_range=tuple(params["ngram_range"]),
            extra_stop_words=tuple(params["extra_stop_words"]),
            normalizer=ArabicNormalizer(**params["normalizer"]),
            strip_clitics=params["strip_clitics"],
        )
