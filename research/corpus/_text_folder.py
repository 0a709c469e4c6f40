"""Reading a folder of articles, one per file: ``.txt`` text and ``.html`` saved pages."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from ._decode import decode_bytes
from ._html import HTML_SUFFIXES, looks_like_html, read_html_text
from ._report import Collector
from ._tabular import looks_like_table, read_table_text

__all__ = ["ARTICLE_SUFFIXES", "METADATA_FILES", "classify_entry", "read_text_file",
           "read_text_folder"]

logger = logging.getLogger(__name__)

#: File names (lower case) that describe a corpus folder and are not input items.
METADATA_FILES = frozenset({"manifest.csv"})
_DOC_STEMS = frozenset({"readme", "license", "licence", "changelog"})
#: Suffixes of the article files of a folder: text, and saved web pages.
ARTICLE_SUFFIXES = frozenset({".txt"}) | HTML_SUFFIXES


def classify_entry(path: Path, wanted_suffix: str | frozenset[str]) -> str | None:
    """Decide what a folder entry is before reading it.

    Parameters
    ----------
    path : Path
        An entry of the corpus folder.
    wanted_suffix : str or frozenset of str
        The suffix (or suffixes) of article files, e.g. ``'.zip'`` or
        :data:`ARTICLE_SUFFIXES`.

    Returns
    -------
    str or None
        ``None`` when the entry is to be read; ``'ignore'`` for hidden files and
        metadata files (not input items); otherwise the reason to report it as skipped.
    """
    name = path.name
    if name.startswith(".") or name.lower() in METADATA_FILES:
        return "ignore"
    if path.is_dir():
        return "folder (subfolders are not read)"
    if path.stem.lower() in _DOC_STEMS:
        return "documentation file, not an article"
    suffix = path.suffix.lower()
    wanted = {wanted_suffix} if isinstance(wanted_suffix, str) else wanted_suffix
    if suffix not in wanted:
        return f"unsupported file type ({suffix or 'no extension'})"
    return None


def read_text_folder(root: Path, collector: Collector) -> None:
    """Stream the ``.txt`` and ``.html`` files of ``root`` (not recursive) into ``collector``.

    Files are read in sorted name order. The article id is the file stem; the
    title of a text file is ``''`` (titles are extracted from the text by the
    cleaning step); a saved page's title, text and date are extracted with
    ``trafilatura`` (:func:`research.corpus.read_corpus`).

    Parameters
    ----------
    root : Path
        The corpus folder.
    collector : Collector
        Receives one report row per entry (hidden and metadata files excepted).
    """
    for path in wanted_entries(root, ARTICLE_SUFFIXES, collector):
        read_text_file(path, path.name, collector)


def wanted_entries(root: Path, suffix: str | frozenset[str],
                   collector: Collector) -> Iterator[Path]:
    """Yield the entries of ``root`` ending in ``suffix``, in name order.

    Hidden and metadata files are passed over silently; every other entry that is
    not wanted gets a ``'skipped'`` report row with the reason.
    """
    for path in sorted(root.iterdir(), key=lambda p: p.name):
        verdict = classify_entry(path, suffix)
        if verdict == "ignore":
            logger.debug("ignoring %s (hidden or metadata file)", path.name)
            continue
        if verdict is not None:
            collector.skip(path.name, verdict)
            continue
        yield path


def read_text_file(path: Path, item: str, collector: Collector) -> None:
    """Decode one article file and offer it to ``collector`` as ``item``.

    A ``.html`` file, or a ``.txt`` file that starts with HTML markup, is a saved
    web page: its article is extracted (``research.corpus._html``). A ``.txt`` file
    whose first line is a table header with a ``text`` or ``content``
    column (Excel's "Unicode Text" export: UTF-16, tab-separated) is read as a table,
    one article per row.

    The article id is the file stem; ``source_file`` is ``item``.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        collector.skip(item, f"unreadable file ({exc.strerror or exc})", article_id=path.stem)
        return
    decoded = decode_bytes(data)
    if decoded.error:
        collector.skip(item, decoded.error, article_id=path.stem)
        return
    if not decoded.text:
        collector.skip(item, "empty file", article_id=path.stem, encoding=decoded.encoding)
        return
    if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(decoded.text):
        read_html_text(decoded.text, item, path.stem, decoded.encoding, collector)
        return
    if looks_like_table(decoded.text):  # e.g. Excel's "Unicode Text" export, saved as .txt
        read_table_text(decoded.text, decoded.encoding, path, collector)
        return
    fields = {"title": "", "text": decoded.text.replace("\r\n", "\n"), "date": ""}
    collector.offer(item, path.stem, fields, source_file=item, encoding=decoded.encoding)
