"""Reading the SaudiNewsNet corpus: a folder of daily zips of JSON article arrays.

Each ``YYYY-MM-DD.zip`` holds one JSON file with an array of objects with the
fields ``source``, ``url``, ``date_extracted`` (``'YYYY-MM-DD hh:mm:ss'``),
``title``, ``author`` and ``content``. Zips are read one at a time, in name
order, and only the articles that pass every check are kept in memory.
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
from pathlib import Path, PurePosixPath

from research._io import progress_bar

from ._records import record_fields
from ._report import Collector
from ._tabular import TableRows
from ._text_folder import wanted_entries

__all__ = ["is_saudinewsnet_folder", "read_saudinewsnet"]

logger = logging.getLogger(__name__)

_DAILY_ZIP = re.compile(r"\d{4}-\d{2}-\d{2}\.zip")


def is_saudinewsnet_folder(root: Path) -> bool:
    """Whether ``root`` holds daily ``YYYY-MM-DD.zip`` files and no ``.txt`` files."""
    names = [p.name for p in root.iterdir() if p.is_file()]
    return any(_DAILY_ZIP.fullmatch(n) for n in names) and not any(
        n.lower().endswith(".txt") and not n.startswith(".") for n in names
    )


def _json_members(archive: zipfile.ZipFile, zip_name: str,
                  collector: Collector) -> list[str]:
    """Return the archive's ``.json`` members, sorted; report any other file as skipped."""
    members = []
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        name = info.filename
        hidden = name.startswith("__MACOSX/") or PurePosixPath(name).name.startswith(".")
        if info.is_dir() or hidden:
            continue
        if name.lower().endswith(".json"):
            members.append(name)
        else:
            suffix = PurePosixPath(name).suffix.lower() or "no extension"
            collector.skip(f"{zip_name}/{name}", f"unsupported file type ({suffix})")
    return members


def _read_zip(path: Path, collector: Collector) -> None:
    """Stream the articles of one daily zip into ``collector``."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        collector.skip(path.name, f"unreadable zip ({exc})")
        return
    with archive:
        members = _json_members(archive, path.name, collector)
        if not members:
            collector.skip(path.name, "zip holds no .json file")
        for member in members:
            label = path.name if len(members) == 1 else f"{path.name}/{member}"
            prefix = path.stem if len(members) == 1 else f"{path.stem}-{PurePosixPath(member).stem}"
            try:
                articles = json.loads(archive.read(member).decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError, zipfile.BadZipFile, OSError) as exc:
                collector.skip(label, f"malformed JSON ({type(exc).__name__}: {exc})"[:200])
                continue
            if not isinstance(articles, list):
                collector.skip(label, f"malformed JSON (expected an array of articles, "
                                      f"got {type(articles).__name__})")
                continue
            _read_articles(articles, collector, label=label, prefix=prefix)
            del articles


def _read_articles(articles: list[object], collector: Collector, *, label: str,
                   prefix: str) -> None:
    """Offer the articles of one JSON array, in array order."""
    rows = TableRows(collector)
    for index, article in enumerate(articles):
        item = f"{label}:{index}"
        article_id = f"{prefix}-{index:04d}"
        if not isinstance(article, dict):
            rows.skip(item, f"malformed article (expected an object, got "
                            f"{type(article).__name__})", article_id=article_id)
            continue
        text_column = "content" if "content" in article or "text" not in article else "text"
        _, fields = record_fields(article, text_column)
        rows.offer(item, article_id, fields, source_file=item, encoding="utf-8")
    rows.flush()


def read_saudinewsnet(root: Path, collector: Collector) -> None:
    """Stream every article of a SaudiNewsNet folder into ``collector``.

    Zips are read in name order and articles in array order. The article id is
    ``'<zip stem>-<index>'`` with the index zero-padded to four digits
    (``'2015-07-21-0017'``); the report item is ``'<zip name>:<index>'``
    (``'2015-07-21.zip:17'``). ``date`` is the date part of ``date_extracted``
    (``date_origin`` is ``'date_extracted'``).

    Parameters
    ----------
    root : Path
        The folder of daily zips.
    collector : Collector
        Receives one report row per article (and per unreadable zip or stray file).
    """
    zips = list(wanted_entries(root, ".zip", collector))
    for path in progress_bar(zips, show=len(zips) >= 5, desc="reading zips", unit="zip",
                             leave=False):
        logger.debug("reading %s", path.name)
        _read_zip(path, collector)
