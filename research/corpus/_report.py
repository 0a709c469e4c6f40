"""The article table and ingest report: :class:`Corpus` and the collector that builds them."""

from __future__ import annotations

import hashlib
import logging
import warnings
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ._decode import arabic_share
from ._filter import CorpusFilter
from ._paragraphs import PARAGRAPH_COLUMNS, ParagraphCounter

__all__ = ["ARTICLE_COLUMNS", "REPORT_COLUMNS", "Collector", "Corpus"]

logger = logging.getLogger(__name__)

#: Columns every article table has, in this order; metadata columns follow.
ARTICLE_COLUMNS = ("article_id", "title", "text", "source_file", "encoding", "date")
#: Metadata columns placed right after :data:`ARTICLE_COLUMNS` when present.
_KNOWN_METADATA = (
    "date_origin", "date_raw", "date_note", "date_extracted", "source", "url", "author",
)
#: Columns of the ingest report.
REPORT_COLUMNS = ("item", "article_id", "status", "reason", "encoding", "n_chars")


@dataclass(frozen=True, eq=False)
class Corpus:
    """Articles read from one corpus, with a report that accounts for every input item.

    Attributes
    ----------
    articles : pandas.DataFrame
        One row per loaded article. Columns ``article_id`` (unique), ``title``,
        ``text``, ``source_file``, ``encoding``, ``date`` (``'YYYY-MM-DD'`` or
        ``''``), then metadata (``date_origin``, ``date_raw`` (the date as given,
        when it was not ISO), ``date_note`` (why a given date was not understood),
        ``date_extracted``, ``source``, ``url``, ``author``, other input columns)
        where present. Every column is ``str``.
    report : pandas.DataFrame
        One row per input item: ``item``, ``article_id``, ``status``
        (``'loaded'``, ``'skipped'`` or ``'filtered'``), ``reason`` (``''`` when
        loaded), ``encoding`` and ``n_chars`` (int).
    source : str
        The resolved path read, or ``'hub:<name>'``.
    kind : str
        ``'text_folder'``, ``'files'``, ``'csv'``, ``'jsonl'``, ``'saudinewsnet'`` or ``'hub'``.
    paragraphs : pandas.DataFrame
        Paragraph document frequencies per outlet, the evidence for boilerplate: one
        row per (``source``, ``paragraph_key``) found in at least two articles of the
        outlet, with ``n_articles`` and ``n_stories`` (copies of one story counted
        once); see :func:`research.corpus.paragraph_key`. Counted over every readable
        item, including those the filter rejects (exact duplicates and unusable items
        excepted); a corpus without a ``source`` column is one outlet, ``''``.
    """

    articles: pd.DataFrame = field(repr=False)
    report: pd.DataFrame = field(repr=False)
    source: str = ""
    kind: str = ""
    paragraphs: pd.DataFrame = field(
        repr=False, default_factory=lambda: pd.DataFrame(columns=list(PARAGRAPH_COLUMNS)))

    def summary(self) -> dict[str, object]:
        """Return counts for the run record.

        Returns
        -------
        dict
            ``source``, ``kind``, ``n_items``, ``n_loaded``, ``n_skipped``,
            ``n_filtered`` and ``skip_reasons`` (reason -> count, most common first;
            reasons that name another article are grouped by their first words).
        """
        status = self.report["status"].value_counts()
        skipped = self.report.loc[self.report["status"] == "skipped", "reason"]
        return {
            "source": self.source,
            "kind": self.kind,
            "n_items": len(self.report),
            "n_loaded": int(status.get("loaded", 0)),
            "n_skipped": int(status.get("skipped", 0)),
            "n_filtered": int(status.get("filtered", 0)),
            "skip_reasons": dict(Counter(_reason_kind(r) for r in skipped).most_common()),
        }

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"Corpus(kind={self.kind!r}, source={self.source!r}, loaded={s['n_loaded']}, "
            f"skipped={s['n_skipped']}, filtered={s['n_filtered']})"
        )


def _reason_kind(reason: str) -> str:
    """Group reasons that vary per item ('duplicate of X', 'not Arabic (3 %...)')."""
    for prefix in ("duplicate url", "duplicate article_id", "not Arabic", "too short", "too long",
                   "malformed JSON line", "malformed CSV row", "unreadable"):
        if reason.startswith(prefix):
            return prefix
    return reason


def _dedup_key(text: str) -> bytes:
    """Digest of ``text`` with runs of whitespace collapsed (exact-duplicate key)."""
    return hashlib.blake2b(" ".join(text.split()).encode("utf-8", "surrogatepass"),
                           digest_size=16).digest()


class Collector:
    """Accumulates articles and report rows while a reader streams input items.

    Parameters
    ----------
    filter : CorpusFilter or None
        Selection applied to every usable article.
    min_arabic_ratio : float
        Articles whose share of Arabic letters is below this are skipped.
    min_chars : int
        Articles shorter than this (ignoring surrounding whitespace) are skipped.
    max_chars : int
        Articles longer than this are skipped (a concatenated dump, not an article).
    """

    def __init__(self, *, filter: CorpusFilter | None, min_arabic_ratio: float,
                 min_chars: int, max_chars: int = 1_000_000) -> None:
        self.filter = filter if filter is not None and filter.is_active else None
        self.min_arabic_ratio = min_arabic_ratio
        self.min_chars = min_chars
        self.max_chars = max_chars
        self._rows: list[tuple[str, str, str, str, str, int]] = []
        self._articles: list[dict[str, str]] = []
        self._columns: dict[str, None] = {}
        self._seen_url: dict[str, str] = {}
        self._seen_id: dict[str, str] = {}
        self._counted: set[bytes] = set()
        self._paragraphs = ParagraphCounter()

    def skip(self, item: str, reason: str, *, article_id: str = "", encoding: str = "",
             n_chars: int = 0) -> None:
        """Record an input item that could not become an article."""
        logger.debug("skipped %s: %s", item, reason)
        self._rows.append((item, article_id, "skipped", reason, encoding, n_chars))

    def offer(self, item: str, article_id: str, fields: dict[str, str], *, source_file: str,
              encoding: str) -> str:
        """Check one decoded article and load it, skip it or filter it out.

        Parameters
        ----------
        item : str
            The report's name for the input item.
        article_id : str
            The id to give the article.
        fields : dict of str to str
            ``title``, ``text``, ``date`` and metadata.
        source_file, encoding : str
            Provenance columns of the article.

        Returns
        -------
        str
            The status given: ``'loaded'``, ``'skipped'`` or ``'filtered'``.
        """
        for name in fields:
            self._columns.setdefault(name, None)
        text = fields["text"]
        reason = self._quality_problem(text)
        status = "skipped"
        key = b""
        if not reason:
            key = _dedup_key(text)
            if key not in self._counted:  # boilerplate evidence: every usable text once
                self._counted.add(key)
                self._paragraphs.add(fields.get("source", ""), text)
        if not reason and self.filter is not None:
            reason = self.filter.reject_reason(fields)
            status = "filtered" if reason else status
        if not reason:
            # the same item given twice (same id, or same url) is skipped; the same text
            # under another id is a copy (another outlet's wire copy): it is loaded and
            # joins its story's near-duplicate group (research.corpus.near_duplicate_groups)
            url = str(fields.get("url", "") or "").strip()
            if article_id in self._seen_id:
                reason = f"duplicate article_id {article_id} (first: {self._seen_id[article_id]})"
            elif url and url in self._seen_url:
                reason = f"duplicate url {url} (first: {self._seen_url[url]})"
            else:
                self._seen_id[article_id] = item
                if url:
                    self._seen_url[url] = item
                status = "loaded"
        if status == "loaded":
            self._articles.append(
                {"article_id": article_id, "source_file": source_file, "encoding": encoding,
                 **fields}
            )
        else:
            logger.debug("%s %s: %s", status, item, reason)
        self._rows.append((item, article_id, status, reason, encoding, len(text)))
        return status

    def _quality_problem(self, text: str) -> str:
        """Return why ``text`` is unusable regardless of any filter, or ``''``."""
        if not text:
            return "missing text"
        stripped = text.strip()
        if not stripped:
            return "whitespace only"
        if len(stripped) < self.min_chars:
            return f"too short ({len(stripped)} chars)"
        if len(stripped) > self.max_chars:
            return f"too long ({len(stripped)} chars; limit {self.max_chars})"
        if self.min_arabic_ratio > 0:
            share, n_letters = arabic_share(text)
            if n_letters == 0:
                return "not Arabic (no letters)"
            if share < self.min_arabic_ratio:
                return f"not Arabic (Arabic letters {int(share * 100)}% of letters)"
        return ""

    def finish(self, *, source: str, kind: str) -> Corpus:
        """Build the :class:`Corpus` from everything collected."""
        known = [c for c in _KNOWN_METADATA if c in self._columns]
        extra = [c for c in self._columns if c not in ARTICLE_COLUMNS and c not in known]
        columns = [*ARTICLE_COLUMNS, *known, *extra]
        articles = pd.DataFrame(
            {c: pd.array([a.get(c, "") for a in self._articles], dtype="str") for c in columns},
            columns=columns,
        )
        report = pd.DataFrame(self._rows, columns=list(REPORT_COLUMNS))
        report = report.astype({c: "str" for c in REPORT_COLUMNS if c != "n_chars"})
        report["n_chars"] = report["n_chars"].astype("int64")
        corpus = Corpus(articles=articles, report=report, source=source, kind=kind,
                        paragraphs=self._paragraphs.table())
        summary = corpus.summary()
        logger.info(
            "read %s (%s): %d items, %d loaded, %d skipped, %d filtered; skip reasons: %s",
            source, kind, summary["n_items"], summary["n_loaded"], summary["n_skipped"],
            summary["n_filtered"], summary["skip_reasons"],
        )
        if articles.empty:
            warnings.warn(
                f"no articles loaded from {source}: {summary['n_items']} input items, "
                f"{summary['n_skipped']} skipped, {summary['n_filtered']} filtered; "
                "see Corpus.report for the reasons",
                UserWarning,
                stacklevel=3,
            )
        return corpus
