"""The theme set: themes, their loading and validation, labels and seed terms.

The theme set (``research/data/themes.yaml``) names the frames this study looks
for, each with an English name, an Arabic name, Arabic descriptions and Arabic
seed terms. :func:`load_themes` reads and validates it (``other`` last);
:func:`theme_labels` gives figure labels and :func:`theme_seed_terms` /
:func:`theme_seed_topic_list` give the seeds in the vocabulary of the topic model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from research.text import ArabicAnalyzer

__all__ = [
    "OTHER",
    "REQUIRED_THEMES",
    "Theme",
    "load_themes",
    "theme_labels",
    "theme_seed_terms",
    "theme_seed_topic_list",
    "content_tokens",
]

OTHER = "other"
REQUIRED_THEMES = ("counterterrorism", "gaza_humanitarian")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Theme:
    """One theme of the theme set.

    Attributes
    ----------
    id : str
        Snake-case identifier used in tables.
    name, name_ar : str
        English and Arabic names (figure labels).
    descriptions : tuple of str
        Arabic descriptions; the first is the main one.
    seeds : tuple of str
        Arabic seed terms and phrases (empty for ``other``).
    background : tuple of str
        Only for ``other``: Arabic descriptions of subjects outside the study (sport,
        culture, weather ...). An article closer, on average, to one of them than to
        every theme is "other" (see :class:`research.themes.ThemeScorer`).
    """

    id: str
    name: str
    name_ar: str
    descriptions: tuple[str, ...]
    seeds: tuple[str, ...] = ()
    background: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """English and Arabic name, as shown in figures."""
        return f"{self.name} · {self.name_ar}"

    @property
    def prototypes(self) -> tuple[str, ...]:
        """The texts embedded for zero-shot scoring (descriptions, then seeds)."""
        return self.descriptions + self.seeds


def _theme_from_dict(entry: Mapping[str, Any]) -> Theme:
    if not isinstance(entry, Mapping):
        raise ValueError(f"each theme must be a mapping, got {entry!r}")
    missing = [k for k in ("id", "name", "name_ar", "descriptions") if not entry.get(k)]
    if missing:
        raise ValueError(f"theme {entry.get('id', '?')!r} lacks required field(s) {missing}")
    unknown = set(entry) - {"id", "name", "name_ar", "descriptions", "seeds", "background"}
    if unknown:
        raise ValueError(f"theme {entry['id']!r} has unknown field(s) {sorted(unknown)}")

    def texts(key: str) -> tuple[str, ...]:
        value = entry.get(key) or ()
        if isinstance(value, str) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError(f"theme {entry['id']!r}: {key} must be a list of non-empty strings")
        return tuple(v.strip() for v in value)

    return Theme(id=str(entry["id"]), name=str(entry["name"]), name_ar=str(entry["name_ar"]),
                 descriptions=texts("descriptions"), seeds=texts("seeds"),
                 background=texts("background"))


def _validate(themes: Sequence[Theme]) -> tuple[Theme, ...]:
    ids = [t.id for t in themes]
    bad = [i for i in ids if not _ID.match(i)]
    if bad:
        raise ValueError(f"theme ids must be snake_case ([a-z][a-z0-9_]*), got {bad}")
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate theme ids: {dupes}")
    for t in themes:
        if t.id == OTHER and t.seeds:
            raise ValueError("'other' is the no-theme option and takes no seeds")
        if t.id != OTHER and not t.seeds:
            raise ValueError(f"theme {t.id!r} needs at least one seed term")
        if t.id != OTHER and t.background:
            raise ValueError(f"only 'other' takes background descriptions, not {t.id!r}")
    absent = [r for r in REQUIRED_THEMES if r not in ids]
    if absent:
        raise ValueError(f"the theme set must define {list(REQUIRED_THEMES)}; missing {absent}")
    other = [t for t in themes if t.id == OTHER] or [
        Theme(OTHER, "Other / no theme", "أخرى", ("نص لا ينتمي إلى أي من الموضوعات",))
    ]
    return tuple(t for t in themes if t.id != OTHER) + (other[0],)


def load_themes(source: str | Path | Sequence | Mapping | None = None) -> tuple[Theme, ...]:
    """Load and validate a theme set.

    Parameters
    ----------
    source : path, mapping, sequence or None
        ``None`` for the shipped ``research/data/themes.yaml``; a YAML path; the
        parsed YAML (a mapping with a ``themes`` list, or the list itself); or a
        sequence of :class:`Theme`.

    Returns
    -------
    tuple of Theme
        The themes in file order, with ``other`` last (added if absent).
    """
    if source is None:
        import yaml

        text = resources.files("research").joinpath("data/themes.yaml").read_text("utf-8")
        source = yaml.safe_load(text)
    elif isinstance(source, str | Path):
        import yaml

        source = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    if isinstance(source, Mapping):
        source = source.get("themes")
    if not isinstance(source, Sequence) or isinstance(source, str) or not source:
        raise ValueError("a theme set is a non-empty list of themes")
    themes = [t if isinstance(t, Theme) else _theme_from_dict(t) for t in source]
    return _validate(themes)


def theme_labels(themes=None) -> dict[str, str]:
    """Return ``{theme id: "English name · Arabic name"}`` for figure labels."""
    return {t.id: t.label for t in load_themes(themes)}


@lru_cache(maxsize=1)
def _unigram_analyzer() -> ArabicAnalyzer:
    return ArabicAnalyzer(ngram_range=(1, 1))


def content_tokens(phrase: str) -> list[str]:
    """Normalised content words of ``phrase`` (:class:`research.text.ArabicAnalyzer` unigrams)."""
    return _unigram_analyzer()(phrase)


def theme_seed_terms(themes=None, *, max_ngram: int = 2) -> dict[str, list[str]]:
    """Normalised seed n-grams per theme, in the vocabulary of the topic model.

    Each seed phrase goes through :class:`research.text.ArabicAnalyzer`
    (normalisation, proclitic stripping, stop words). A phrase of at most
    ``max_ngram`` content words gives one term; a longer one gives its
    ``max_ngram``-grams, since longer n-grams never occur in the vocabulary.

    Returns
    -------
    dict
        ``{theme id: [term, ...]}`` for every theme but ``other``.
    """
    out: dict[str, list[str]] = {}
    for t in load_themes(themes):
        if t.id == OTHER:
            continue
        terms: list[str] = []
        for phrase in t.seeds:
            tokens = content_tokens(phrase)
            n = min(len(tokens), max_ngram)
            for i in range(len(tokens) - n + 1 if n else 0):
                term = " ".join(tokens[i:i + n])
                if term not in terms:
                    terms.append(term)
        out[t.id] = terms
    return out


def theme_seed_topic_list(themes=None, *, max_ngram: int = 2) -> list[list[str]]:
    """Seed words for BERTopic's ``seed_topic_list``, one list per theme but ``other``.

    See :func:`theme_seed_terms` for how the terms are normalised.
    """
    return list(theme_seed_terms(themes, max_ngram=max_ngram).values())
