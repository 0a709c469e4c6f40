"""Reading tables of articles: CSV files, JSON Lines files and in-memory records.

The rows of one table are held in a :class:`TableRows` until the table is read,
so that its date column is read as a whole (:func:`parse_date_column`), then
offered to the collector in order.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from ._date_column import fill_date_column
from ._decode import decode_bytes
from ._records import choose_text_column, record_fields
from ._report import Collector

__all__ = [
    "DELIMITERS",
    "TableRows",
    "looks_like_table",
    "read_csv_file",
    "read_jsonl_file",
    "read_records",
    "read_table_text",
    "sniff_delimiter",
]

logger = logging.getLogger(__name__)


class TableRows:
    """The rows of one table, held until its date column can be read as a whole.

    Has the collector's ``skip`` and ``offer``; :meth:`flush` reads the date column
    with :func:`fill_date_column` and passes every row on, in order.

    Parameters
    ----------
    collector : Collector
        Receives the rows on :meth:`flush`.
    """

    def __init__(self, collector: Collector) -> None:
        self.collector = collector
        self._rows: list[tuple[str, tuple, dict]] = []

    def skip(self, item: str, reason: str, **kwargs) -> None:
        """Hold a row that cannot become an article (see :meth:`Collector.skip`)."""
        self._rows.append(("skip", (item, reason), kwargs))

    def offer(self, item: str, article_id: str, fields: dict[str, str], **kwargs) -> None:
        """Hold a row to offer (see :meth:`Collector.offer`)."""
        self._rows.append(("offer", (item, article_id, fields), kwargs))

    def flush(self) -> None:
        """Read the date column of the held rows and pass them on to the collector."""
        fill_date_column([args[2] for what, args, _ in self._rows if what == "offer"])
        for what, args, kwargs in self._rows:
            getattr(self.collector, what)(*args, **kwargs)
        self._rows = []


def _decode_file(path: Path, collector: Collector) -> tuple[str, str] | None:
    """Read and decode a whole table file; report it as skipped and return None on failure."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        collector.skip(path.name, f"unreadable file ({exc.strerror or exc})")
        return None
    decoded = decode_bytes(data)
    if decoded.error or not decoded.text.strip():
        collector.skip(path.name, decoded.error or "empty file", encoding=decoded.encoding)
        return None
    return decoded.text.replace("\r\n", "\n"), decoded.encoding


def _offer(rows: TableRows, record: Mapping[str, object], text_column: str, *,
           item: str, default_id: str, encoding: str) -> None:
    """Offer one record to the table's rows."""
    id_value, fields = record_fields(record, text_column)
    rows.offer(item, id_value or default_id, fields, source_file=item, encoding=encoding)


@contextlib.contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Raise the csv module's field size limit for the duration of one read."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, limit))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _unique_header(header: list[str]) -> list[str]:
    """Strip column names and make repeated ones unique (``x``, ``x_2``...)."""
    seen: dict[str, int] = {}
    out = []
    for name in (h.strip() for h in header):
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


#: Delimiters a spreadsheet may save a table with, in order of preference.
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


def sniff_delimiter(header: str, *, where: str) -> str:
    """Return the delimiter of a table from its header line.

    Spreadsheets save "CSV" with commas, semicolons (locales with a decimal comma) or
    tabs (Excel's "Unicode Text", UTF-16 with a BOM, saved as ``.txt``). The
    delimiter is the first of :data:`DELIMITERS` that splits the header into columns
    one of which is ``text`` or ``content``.

    Raises
    ------
    ValueError
        When no delimiter gives a ``text`` or ``content`` column; the message names
        the delimiters tried and the columns each one saw.
    """
    seen = []
    for delimiter in DELIMITERS:
        columns = [c.strip().strip('"').strip() for c in
                   next(csv.reader([header], delimiter=delimiter), [])]
        if {"text", "content"} & {c.lower() for c in columns}:
            return delimiter
        seen.append(f"{_DELIMITER_NAMES[delimiter]} {columns}")
    raise ValueError(
        f"{where}: no text column; expected a column named 'text' or 'content' in the "
        f"header line; columns seen with each delimiter: {'; '.join(seen)}"
    )


def looks_like_table(text: str) -> bool:
    """Whether a decoded ``.txt`` file is a table: its first line is a header with a text column."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        sniff_delimiter(header, where="")
    except ValueError:
        return False
    return len(header.split()) <= 60 and "\n" in text


def read_csv_file(path: Path, collector: Collector) -> None:
    """Stream the rows of a table file with a header row into ``collector``.

    The delimiter (comma, semicolon, tab or bar) is sniffed from the header line
    (:func:`sniff_delimiter`). Rows are numbered from 1 after the header; blank
    lines are not rows. The id is the ``id`` column when present and non-empty, else
    ``<file stem>-<row>``.

    Raises
    ------
    ValueError
        If the header has neither a ``text`` nor a ``content`` column under any
        delimiter; the message names the delimiters and the columns they gave.
    """
    decoded = _decode_file(path, collector)
    if decoded is None:
        return
    text, encoding = decoded
    read_table_text(text, encoding, path, collector)


def read_table_text(text: str, encoding: str, path: Path, collector: Collector) -> None:
    """Stream the rows of a decoded table (header row first) into ``collector``.

    Items are ``<file name>:row <n>``; see :func:`read_csv_file`.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    delimiter = sniff_delimiter(text.split("\n", 1)[0], where=path.name)
    with _csv_field_limit(len(text) + 1):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = _unique_header(next(reader, []))
        text_column = choose_text_column(header, where=path.name)
        rows = TableRows(collector)
        row_number = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                row_number += 1
                item = f"{path.name}:row {row_number}"
                rows.skip(item, f"malformed CSV row ({exc})",
                               article_id=f"{path.stem}-{row_number}", encoding=encoding)
                continue
            if not row:
                continue
            row_number += 1
            item = f"{path.name}:row {row_number}"
            if len(row) != len(header):
                rows.skip(
                    item, f"malformed CSV row ({len(row)} fields, header has {len(header)})",
                    article_id=f"{path.stem}-{row_number}", encoding=encoding,
                )
                continue
            _offer(rows, dict(zip(header, row, strict=True)), text_column, item=item,
                   default_id=f"{path.stem}-{row_number}", encoding=encoding)
        rows.flush()


def read_jsonl_file(path: Path, collector: Collector) -> None:
    """Stream the records of a JSON Lines file (one JSON object a line) into ``collector``.

    Rows are numbered by line, from 1; blank lines are not rows. The id is the
    ``id`` field when present and non-empty, else ``<file stem>-<line>``. The
    text field is ``text`` when any record has it, else ``content``.

    Raises
    ------
    ValueError
        If no record has a ``text`` or ``content`` field.
    """
    decoded = _decode_file(path, collector)
    if decoded is None:
        return
    text, encoding = decoded
    parsed: list[tuple[int, object]] = []
    keys: dict[str, None] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value: object = json.loads(line)
        except json.JSONDecodeError as exc:
            value = exc
        if isinstance(value, dict):
            keys.update(dict.fromkeys(value))
        parsed.append((number, value))
    text_column = choose_text_column(keys, where=path.name)
    rows = TableRows(collector)
    for number, value in parsed:
        item = f"{path.name}:row {number}"
        default_id = f"{path.stem}-{number}"
        if isinstance(value, json.JSONDecodeError):
            rows.skip(item, f"malformed JSON line: {value.msg} (column {value.colno})",
                           article_id=default_id, encoding=encoding)
        elif not isinstance(value, dict):
            rows.skip(item, f"malformed JSON line: expected an object, got "
                                 f"{type(value).__name__}",
                           article_id=default_id, encoding=encoding)
        else:
            _offer(rows, value, text_column, item=item, default_id=default_id,
                   encoding=encoding)
    rows.flush()


def read_records(records: Iterable[object], collector: Collector, *, columns: Iterable[str],
                 label: str, id_prefix: str, encoding: str = "") -> None:
    """Stream in-memory records (e.g. one split of a hub dataset) into ``collector``.

    Parameters
    ----------
    records : iterable of mapping
        The records, in order.
    collector : Collector
        Receives one report row per record.
    columns : iterable of str
        The column names, used to choose the text column.
    label : str
        Report items are ``'<label>:<index>'`` (index from 0).
    id_prefix : str
        Default ids are ``'<id_prefix>-<index>'``.
    encoding : str, default=''
        Value of the ``encoding`` column.
    """
    text_column = choose_text_column(columns, where=label)
    rows = TableRows(collector)
    for index, record in enumerate(records):
        item = f"{label}:{index}"
        default_id = f"{id_prefix}-{index}"
        if not isinstance(record, Mapping):
            rows.skip(item, f"malformed record (expected a mapping, got "
                                 f"{type(record).__name__})", article_id=default_id)
            continue
        _offer(rows, record, text_column, item=item, default_id=default_id,
               encoding=encoding)
    rows.flush()
