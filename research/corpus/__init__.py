r"""Reading Arabic news corpora into an article table and an ingest report.

:func:`read_corpus` reads a folder of ``.txt`` files, a CSV or JSON Lines table,
or a SaudiNewsNet folder of daily zips (:func:`read_files`: a list of ``.txt``
files), and returns a :class:`Corpus`:

``Corpus.articles``
    one row per loaded article (``article_id``, ``title``, ``text``,
    ``source_file``, ``encoding``, ``date`` and metadata; all strings);
``Corpus.report``
    one row per input item with its status (``'loaded'``, ``'skipped'`` or
    ``'filtered'``) and the reason, so that nothing is dropped silently;
``Corpus.paragraphs``
    paragraph document frequencies per outlet (``source``, ``paragraph_key``,
    ``n_articles``, ``n_stories``), counted over every readable item, filtered ones
    included: the evidence for boilerplate and teasers of other stories.
    :func:`recurring_lines` joins them to an article table (``article_id``,
    ``line``, ``source``, ``n_articles``, ``n_stories``).

A table's ``date`` column is read as a whole (:func:`parse_date_column`): ISO,
day-first or month-first dates as spreadsheets rewrite them (the column tells
which), with or without a time, Arabic-Indic digits and invisible marks. ``date``
is the ISO date, ``date_raw`` keeps a value that was not ISO, and ``date_note``
says why a value gave no date ("date not understood: ...").

Text is decoded strictly (UTF-8 with or without BOM, UTF-16/32 with BOM, or
Windows-1256) and otherwise kept exactly as found, except that ``\r\n``
becomes ``\n``. Empty, binary, undecodable, non-Arabic and exactly duplicated
items are skipped; a :class:`CorpusFilter` selects articles while reading.

:func:`near_duplicate_groups` groups copies of one wire story (word-shingle MinHash
with exact Jaccard verification) and :func:`duplicate_table` turns the groups into a
table keyed by ``article_id`` (``dup_group``, ``is_representative``, ``dup_size``).
"""

from ._date_column import NOT_UNDERSTOOD, parse_date_column
from ._decode import arabic_share, decode_bytes
from ._filter import CorpusFilter
from ._near_duplicates import duplicate_table, near_duplicate_groups
from ._paragraphs import (
    PARAGRAPH_COLUMNS,
    RECURRING_COLUMNS,
    paragraph_key,
    recurring_lines,
    split_paragraphs,
)
from ._read import read_corpus, read_files, shared_corpora_dir
from ._report import ARTICLE_COLUMNS, REPORT_COLUMNS, Corpus

__all__ = [
    "ARTICLE_COLUMNS",
    "NOT_UNDERSTOOD",
    "PARAGRAPH_COLUMNS",
    "RECURRING_COLUMNS",
    "REPORT_COLUMNS",
    "Corpus",
    "CorpusFilter",
    "arabic_share",
    "decode_bytes",
    "duplicate_table",
    "near_duplicate_groups",
    "parse_date_column",
    "paragraph_key",
    "read_corpus",
    "read_files",
    "recurring_lines",
    "shared_corpora_dir",
    "split_paragraphs",
]
