"""Paragraph document frequencies per outlet: the evidence for boilerplate.

A paragraph (one line of an article) that recurs verbatim in several different
stories of one outlet is page furniture: a byline, a contact line, a closing
formula, the teaser of another story. :class:`ParagraphCounter` counts, while a
reader streams a corpus, in how many articles of each outlet every paragraph occurs,
keeping only 64-bit keys (:func:`paragraph_key`), never the text; the counts come
from every readable item, including those a :class:`CorpusFilter` rejects.

Copies of one story (a wire story published twice, an updated version) share all
their paragraphs; counted as separate articles they would make the story itself look
like boilerplate. So a second count, ``n_stories``, counts articles whose *story key*
differs: the key of the article's longest paragraph (its lead or main paragraph,
which copies share and boilerplate seldom is).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import pandas as pd

from ._filter import strip_marks

__all__ = ["PARAGRAPH_COLUMNS", "RECURRING_COLUMNS", "ParagraphCounter", "paragraph_key",
           "recurring_lines", "split_paragraphs"]

#: Columns of :attr:`research.corpus.Corpus.paragraphs`.
PARAGRAPH_COLUMNS = ("source", "paragraph_key", "n_articles", "n_stories")
#: Columns of :func:`recurring_lines`.
RECURRING_COLUMNS = ("article_id", "line", "source", "n_articles", "n_stories")

# Zero-width and directional marks, the Arabic letter mark, BOM and soft hyphen:
# invisible in a browser, so two copies of a paragraph may differ only by them.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_INT64 = 1 << 63


def split_paragraphs(text: str) -> list[str]:
    r"""Return the non-empty lines of ``text``, stripped, in order.

    Lines end at ``\n``, ``\r\n`` or ``\r`` (the way :func:`research.text.clean_article`
    reads an article).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [s for s in (line.strip() for line in lines) if s]


def paragraph_key(paragraph: str) -> int:
    """Return the 64-bit key of a paragraph, stable across processes and platforms.

    Two paragraphs get the same key when they differ only in whitespace, Arabic
    diacritics, tatweel or invisible marks (zero-width characters, directional marks,
    BOM, soft hyphen).

    Parameters
    ----------
    paragraph : str
        One line of an article.

    Returns
    -------
    int
        A signed 64-bit integer (fits a pandas ``int64`` column).
    """
    text = " ".join(strip_marks(_INVISIBLE.sub("", paragraph)).split())
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    value = int.from_bytes(digest, "big")
    return value - (1 << 64) if value >= _INT64 else value


class ParagraphCounter:
    """Counts, per outlet, the articles and stories in which each paragraph occurs.

    Memory grows with the number of distinct paragraphs (one small entry each), not
    with the text: a 30,000-article corpus holds about 200,000 keys.
    """

    def __init__(self) -> None:
        # outlet -> paragraph key -> [n_articles, first story key, other story keys or None]
        self._counts: dict[str, dict[int, list]] = {}

    def add(self, source: str, text: str) -> None:
        """Count the distinct paragraphs of one article of outlet ``source``."""
        paragraphs = split_paragraphs(text)
        if not paragraphs:
            return
        keys = [paragraph_key(p) for p in paragraphs]
        longest = max(range(len(paragraphs)), key=lambda i: (len(paragraphs[i]), -i))
        story = keys[longest]
        counts = self._counts.setdefault(source, {})
        for key in dict.fromkeys(keys):
            entry = counts.get(key)
            if entry is None:
                counts[key] = [1, story, None]
                continue
            entry[0] += 1
            if story != entry[1]:
                if entry[2] is None:
                    entry[2] = {story}
                else:
                    entry[2].add(story)

    def table(self, min_articles: int = 2) -> pd.DataFrame:
        """Return one row per (outlet, paragraph) found in at least ``min_articles`` articles.

        Returns
        -------
        DataFrame
            Columns :data:`PARAGRAPH_COLUMNS`, sorted by ``source`` and ``paragraph_key``.
        """
        rows = [
            (source, key, entry[0], 1 + (len(entry[2]) if entry[2] else 0))
            for source, counts in self._counts.items()
            for key, entry in counts.items()
            if entry[0] >= min_articles
        ]
        table = pd.DataFrame(rows, columns=list(PARAGRAPH_COLUMNS))
        table = table.astype({"source": "str", "paragraph_key": "int64", "n_articles": "int64",
                              "n_stories": "int64"})
        return table.sort_values(["source", "paragraph_key"], ignore_index=True)


def recurring_lines(articles: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Find the lines of each article that recur in other articles of its outlet.

    Parameters
    ----------
    articles : DataFrame
        ``article_id``, ``text`` and optional ``source`` (the outlet; a table without
        it is one outlet, ``''``).
    paragraphs : DataFrame
        Paragraph frequencies (:attr:`research.corpus.Corpus.paragraphs`).

    Returns
    -------
    DataFrame
        Columns :data:`RECURRING_COLUMNS`: one row per (article, distinct line) found
        in ``paragraphs`` for the article's outlet, ``line`` as stripped from the text
        (see :func:`split_paragraphs`), in article and line order.
    """
    lookup: dict[tuple[str, int], tuple[int, int]] = {
        (s, int(k)): (int(a), int(n)) for s, k, a, n in zip(
            paragraphs["source"], paragraphs["paragraph_key"], paragraphs["n_articles"],
            paragraphs["n_stories"], strict=True)
    }
    sources: Iterable[str] = (articles["source"].fillna("").astype(str)
                              if "source" in articles.columns else [""] * len(articles))
    rows = []
    if lookup:
        for aid, text, source in zip(articles["article_id"], articles["text"], sources,
                                     strict=True):
            for line in dict.fromkeys(split_paragraphs(str(text))):
                found = lookup.get((source, paragraph_key(line)))
                if found is not None:
                    rows.append((aid, line, source, *found))
    table = pd.DataFrame(rows, columns=list(RECURRING_COLUMNS))
    return table.astype({"article_id": "str", "line": "str", "source": "str",
                         "n_articles": "int64", "n_stories": "int64"})
