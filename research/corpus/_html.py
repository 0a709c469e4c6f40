"""Saved web pages: the article's title, text and date extracted with ``trafilatura``.

``trafilatura`` (Barbaresi 2021, "Trafilatura: A Web Scraping Library and
Command-Line Tool for Text Discovery and Extraction", ACL System Demonstrations)
finds the main text of a page and leaves out navigation, footers, comments and
"read also" boxes. It is the optional extra ``[html]``; without it a page is
reported as skipped with the command that installs it.

The page's date is its publication date as the page's markup states it (meta tags,
``<time>`` elements, structured data; ``htmldate`` without its extensive search,
which would take any date in the body or the footer's copyright year). It counts as
a given date (``date_origin`` ``'date'``); a page without one is dated from its
text like any article without metadata.
"""

from __future__ import annotations

import re

from ._report import Collector

__all__ = ["HTML_SUFFIXES", "looks_like_html", "read_html_text"]

#: File suffixes read as saved web pages.
HTML_SUFFIXES = frozenset({".html", ".htm"})

# Markup at the start of the file: a saved web page rather than article text.
_HTML = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<html)", re.IGNORECASE)
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def looks_like_html(text: str) -> bool:
    """Return True when ``text`` starts like an HTML document."""
    return bool(_HTML.match(text))


def read_html_text(html: str, item: str, article_id: str, encoding: str,
                   collector: Collector) -> None:
    """Extract one page's article and offer it to ``collector`` as ``item``.

    Parameters
    ----------
    html : str
        The decoded page.
    item, article_id : str
        The report's name for the page and the id to give its article.
    encoding : str
        The encoding the page was decoded with.
    collector : Collector
        Receives the article (``title``, ``text``, ``date``, and ``url``, ``author``,
        ``source`` (the site name) when the page names them), or a ``'skipped'`` row:
        when ``trafilatura`` is not installed, or when it finds no article text.
    """
    try:
        import trafilatura
    except ImportError:
        collector.skip(item, "HTML page: install the html extra to extract its article "
                       "(pip install 'arabic-news-topics[html]')", article_id=article_id,
                       encoding=encoding, n_chars=len(html))
        return
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True,
                                      deduplicate=False, date_extraction_params=_DATE_PARAMS)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        collector.skip(item, "HTML page with no article text found (trafilatura)",
                       article_id=article_id, encoding=encoding, n_chars=len(html))
        return
    title = (doc.title or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title:  # the headline repeated as the body's first line
        text = rest.strip()
    fields = {"title": title, "text": text, "date": doc.date or "",
              "date_origin": "date" if doc.date else ""}
    for name, value in (("url", doc.url), ("author", doc.author), ("source", doc.sitename)):
        if value:
            fields[name] = str(value)
    collector.offer(item, article_id, fields, source_file=item, encoding=encoding)
