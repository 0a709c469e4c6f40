"""Entry point :func:`read_corpus`: find out what a path holds and read it."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from ._filter import CorpusFilter
from ._report import Collector, Corpus
from ._saudinewsnet import is_saudinewsnet_folder, read_saudinewsnet
from ._tabular import read_csv_file, read_jsonl_file, read_records
from ._text_folder import ARTICLE_SUFFIXES, read_text_file, read_text_folder

__all__ = ["read_corpus", "read_files", "shared_corpora_dir"]

logger = logging.getLogger(__name__)

def _read_txt_file(path: Path, collector: Collector) -> None:
    """Read a single ``.txt`` file: a table when its first line is a header, else an article."""
    read_text_file(path, path.name, collector)


_TABLE_READERS = {".csv": ("csv", read_csv_file), ".tsv": ("csv", read_csv_file),
                  ".jsonl": ("jsonl", read_jsonl_file), ".txt": ("txt", _read_txt_file),
                  ".html": ("html", _read_txt_file), ".htm": ("html", _read_txt_file)}
# A bare name (or owner/name) that may be a dataset on the Hugging Face hub.
_DATASET_NAME = re.compile(r"[A-Za-z0-9][\w.-]*(/[\w.-]+)?")


def shared_corpora_dir() -> Path:
    """Return ``<project root>/../shared/corpora``, where external corpora are kept.

    The project root is the folder that holds the ``research`` package.
    """
    return Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


def _candidates(path: str | os.PathLike[str]) -> list[Path]:
    """Local places where ``path`` may be found, in order of preference."""
    given = Path(path).expanduser()
    places = [given]
    if not given.is_absolute() and len(given.parts) == 1:
        places.append(shared_corpora_dir() / given)
    return places


def read_corpus(
    path: str | os.PathLike[str],
    *,
    filter: CorpusFilter | None = None,
    min_arabic_ratio: float = 0.5,
    min_chars: int = 0,
    max_chars: int = 1_000_000,
) -> Corpus:
    """Read a corpus of Arabic articles into an article table and an ingest report.

    Parameters
    ----------
    path : str or path-like
        One of:

        - a folder of ``.txt`` files, one article per file (not recursive; a
          ``manifest.csv`` and hidden files are ignored, other files are
          reported as skipped), and of saved web pages (``.html``, ``.htm``),
          whose title, text and publication date are extracted with
          ``trafilatura`` (the ``[html]`` extra; without it they are reported as
          skipped);
        - a ``.csv`` file with a header row, or a ``.jsonl`` file, with a
          ``text`` or else ``content`` column and optional ``id``, ``title``,
          ``date``, ``date_extracted``, ``source``, ``url``, ``author`` and other
          columns (kept as strings);
        - a SaudiNewsNet folder of daily ``YYYY-MM-DD.zip`` files;
        - a bare corpus name such as ``'saudinewsnet'``: looked up in the working
          directory, then in :func:`shared_corpora_dir`, then (only when the
          ``datasets`` package is installed) on the Hugging Face hub.
    filter : CorpusFilter or None, default=None
        Selection applied while reading; rejected articles get status
        ``'filtered'`` in the report.
    min_arabic_ratio : float in [0, 1], default=0.5
        Articles whose Arabic letters make up less than this share of their
        letters are skipped as not Arabic; 0 disables the check.
    min_chars : int, default=0
        Articles shorter than this (ignoring surrounding whitespace) are skipped.
    max_chars : int, default=1_000_000
        Articles longer than this are skipped as "too long": a news article has
        a few thousand words (20-50k characters), so a text 20 times longer is a dump
        or a concatenation that would swamp the topic model.

    Returns
    -------
    Corpus
        ``articles`` (one row per loaded article) and ``report`` (one row per
        input item). Every input item appears once in the report, and the
        report's ``'loaded'`` rows match the article rows one to one, in order.

    Raises
    ------
    FileNotFoundError
        If ``path`` is found neither locally nor (for a bare name) on the hub.
    ValueError
        If a file type is not supported, a table has no text column, or an
        argument is out of range.

    Examples
    --------
    >>> corpus = read_corpus("seeds")  # doctest: +SKIP
    >>> corpus.report["status"].value_counts()  # doctest: +SKIP
    """
    collector = _collector(filter, min_arabic_ratio, min_chars, max_chars)
    tried = _candidates(path)
    found = next((p for p in tried if p.exists()), None)
    if found is None:
        kind = _read_from_hub(str(path), tried, collector)
        return collector.finish(source=f"hub:{path}", kind=kind)
    found = found.resolve()
    if found.is_dir():
        if is_saudinewsnet_folder(found):
            kind = "saudinewsnet"
            read_saudinewsnet(found, collector)
        else:
            kind = "text_folder"
            read_text_folder(found, collector)
    else:
        suffix = found.suffix.lower()
        if suffix not in _TABLE_READERS:
            raise ValueError(
                f"unsupported corpus file type {suffix or '(none)'!r} for {found}; expected a "
                f"folder of .txt files, a SaudiNewsNet folder of zips, or a file ending in "
                f"{', '.join(_TABLE_READERS)}"
            )
        kind, reader = _TABLE_READERS[suffix]
        reader(found, collector)
    return collector.finish(source=str(found), kind=kind)


def read_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    filter: CorpusFilter | None = None,
    min_arabic_ratio: float = 0.5,
    min_chars: int = 0,
    max_chars: int = 1_000_000,
) -> Corpus:
    """Read individual ``.txt`` or ``.html`` articles, with the checks of :func:`read_corpus`.

    Parameters
    ----------
    paths : sequence of str or path-like
        The files, read in the order given. The article id is the file stem;
        the report item and ``source_file`` are the path as given. Missing
        files, folders and other file types get a ``'skipped'`` report row.
    filter, min_arabic_ratio, min_chars, max_chars
        As for :func:`read_corpus`.

    Returns
    -------
    Corpus
        With ``kind='files'`` and ``source`` the common folder of the files.
    """
    collector = _collector(filter, min_arabic_ratio, min_chars, max_chars)
    paths = [Path(p) for p in paths]
    for path in paths:
        item = str(path)
        if not path.exists():
            collector.skip(item, "file not found", article_id=path.stem)
        elif path.is_dir():
            collector.skip(item, "folder (read folders with read_corpus)")
        elif path.suffix.lower() not in ARTICLE_SUFFIXES:
            collector.skip(item, f"unsupported file type ({path.suffix.lower() or 'no extension'})")
        else:
            read_text_file(path, item, collector)
    source = os.path.commonpath([p.resolve().parent for p in paths]) if paths else ""
    return collector.finish(source=str(source), kind="files")


def _collector(filter: CorpusFilter | None, min_arabic_ratio: float, min_chars: int,
               max_chars: int) -> Collector:
    """Validate the reading options and return a fresh collector."""
    if filter is not None and not isinstance(filter, CorpusFilter):
        raise TypeError(f"filter must be a CorpusFilter or None, got {type(filter).__name__}")
    if not 0.0 <= float(min_arabic_ratio) <= 1.0:
        raise ValueError(f"min_arabic_ratio must be in [0, 1], got {min_arabic_ratio!r}")
    if int(min_chars) < 0:
        raise ValueError(f"min_chars must be >= 0, got {min_chars!r}")
    if int(max_chars) <= int(min_chars):
        raise ValueError(f"max_chars must be > min_chars, got {max_chars!r} <= {min_chars!r}")
    return Collector(filter=filter, min_arabic_ratio=float(min_arabic_ratio),
                     min_chars=int(min_chars), max_chars=int(max_chars))


def _not_found(name: str, tried: list[Path], detail: str) -> FileNotFoundError:
    places = ", ".join(str(p.resolve()) for p in tried)
    return FileNotFoundError(
        f"corpus {name!r} not found; looked in: {places}. {detail} To fix: pass the path of "
        f"the corpus folder or file, or put the corpus at {shared_corpora_dir() / Path(name).name}"
    )


def _read_from_hub(name: str, tried: list[Path], collector: Collector) -> str:
    """Load dataset ``name`` with :func:`datasets.load_dataset` into ``collector``."""
    if not _DATASET_NAME.fullmatch(name) or Path(name).suffix.lower() in (".csv", ".jsonl", ".txt"):
        raise _not_found(name, tried, "It is not a dataset name either.")
    try:
        import datasets  # optional; only for corpora read from the hub
    except ImportError:
        raise _not_found(
            name, tried,
            "The Hugging Face `datasets` package is not installed, so the hub was not tried "
            "(`pip install datasets` to load it from the hub).",
        ) from None

    logger.info("corpus %r not found locally; loading it from the Hugging Face hub", name)
    try:
        loaded = datasets.load_dataset(name)
    except Exception as exc:  # any hub, network or script failure
        raise _not_found(name, tried, f"Loading it from the hub failed: {exc}.") from exc
    splits = sorted(loaded.items()) if isinstance(loaded, Mapping) else [("train", loaded)]
    for split, rows in splits:
        columns = getattr(rows, "column_names", None)
        if columns is None:
            rows = list(rows)
            columns = list(rows[0]) if rows else []
        read_records(rows, collector, columns=columns, label=f"{name}:{split}", id_prefix=split)
    return "hub"
