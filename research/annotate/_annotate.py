"""Counterpart and date annotation of an article table: the pipeline's entry point.

:func:`annotate_articles` adds, for every article, the foreign counterpart of Egypt's
president and the date of the engagement, each with its evidence and a confidence,
and merges an optional researcher's manifest (:func:`read_manifest`), which overrides
the inference but is checked against it: contradictions are reported in the returned
notes, never silently accepted.

Per article, :func:`~research.annotate.annotate_text` combines the evidence; the
manifest is read and applied by :func:`~research.annotate.read_manifest` and its
helpers.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Literal, get_args

import pandas as pd

from research._io import progress_bar
from research.corpus import parse_date_column

from ._article import annotate_text
from ._engagements import ENGAGEMENT_TYPES
from ._events import EventCalendar, load_events
from ._gazetteer import Gazetteer, load_gazetteer
from ._manifest import apply_counterpart, apply_given_date, match_manifest
from ._windows import parse_iso_window

__all__ = ["ANNOTATION_COLUMNS", "DATE_SOURCES", "DateSource", "annotate_articles"]

logger = logging.getLogger(__name__)

DateSource = Literal["manifest", "text", "event", "tenure", "unknown"]
DATE_SOURCES: tuple[str, ...] = get_args(DateSource)
ANNOTATION_COLUMNS = (
    "counterpart",
    "counterpart_country",
    "counterpart_role",
    "counterpart_confidence",
    "engagement_type",
    "engagement_evidence",
    "other_engagements",
    "people_mentioned",
    "date",
    "date_min",
    "date_max",
    "date_source",
    "date_evidence",
    "date_confidence",
)
NOTE_COLUMNS = ("article_id", "kind", "message")
_MANIFEST_OWN = {"file", "article_id", "date", "date_evidence", "counterpart", "engagement_type"}


def _reference(row: pd.Series) -> date | None:
    raw = str(row.get("date_extracted", "") or "").strip()
    if not raw or raw.lower() in ("nan", "nat", "none"):
        return None
    try:
        return datetime.fromisoformat(raw[:19].replace("/", "-")).date()
    except ValueError:
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            return None


def _given_dates(articles: pd.DataFrame) -> list[tuple[str, str]]:
    """Return ``(date, note)`` per article from its ``date`` and ``date_note`` columns.

    ``date`` values are read as one column (:func:`research.corpus.parse_date_column`);
    an ISO window (``YYYY-MM``, ``YYYY``, ``START/END``) is kept as given, for
    :func:`apply_given_date`. A value that gives no date comes back as ``''`` with
    its note, and so does a ``date_note`` from the corpus reader.
    """
    n = len(articles)

    def column(name: str) -> list[str]:
        if name not in articles.columns:
            return [""] * n
        values = [str(v if v is not None else "").strip() for v in articles[name]]
        return ["" if v.lower() in ("nan", "nat", "none") else v for v in values]

    raw, reader_notes = column("date"), column("date_note")
    iso, notes = parse_date_column(raw)
    out = []
    for value, day, note, earlier in zip(raw, iso, notes, reader_notes, strict=True):
        if note:
            try:  # a window such as "2019-01" or "2018-01-18/2019-08-15"
                parse_iso_window(value)
                day, note = value, ""
            except ValueError:
                pass
        out.append((day, note or earlier))
    return out


def annotate_articles(
    articles: pd.DataFrame,
    manifest: pd.DataFrame | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    events: EventCalendar | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add counterpart and date columns to an article table.

    Parameters
    ----------
    articles : pandas.DataFrame
        Columns ``article_id``, ``title``, ``text`` (cleaned body); optional ``file``
        or ``source_file`` (matched against the manifest's ``file``), ``date`` (a
        non-empty value counts like a manifest date, unless it is just the date part
        of ``date_extracted``; read as a column with
        :func:`research.corpus.parse_date_column`, so ``10/20/2019`` is 2019-10-20),
        ``date_note`` (why the corpus reader could not read a given date) and
        ``date_extracted`` (publication date: relative words are resolved against it
        and titles name the holder on that day). A given date, even one that cannot
        be read, keeps the events calendar from guessing the day.
    manifest : pandas.DataFrame, optional
        From :func:`read_manifest`; overrides dates and counterparts, adds its other
        columns; contradictions are reported in the notes.
    gazetteer, events : optional
        Defaults: the bundled files.

    Returns
    -------
    annotated : pandas.DataFrame
        A copy of ``articles`` with :data:`ANNOTATION_COLUMNS` and the manifest's
        metadata columns. ``date`` is the day of the engagement (ISO, or '' when
        only a window is known); ``date_min``/``date_max`` bound it (the study period
        when nothing does); ``date_source`` is one of :data:`DATE_SOURCES`.
    notes : pandas.DataFrame
        Columns ``article_id``, ``kind``, ``message``. Kinds: ``manifest_conflict``,
        ``manifest_unmatched``, ``manifest_bad_date``, ``manifest_unknown_counterpart``,
        ``manifest_counterpart_differs``, ``tenure_conflict``, ``date_unknown``,
        ``date_not_understood`` (a date in the text or the date column that gives no
        day), ``date_weekday_conflict`` (the day is not the weekday the text names),
        ``date_calendar_conflict`` (a Hijri and a Gregorian date given for the same
        day disagree).
    """
    missing = {"article_id", "text"} - set(articles.columns)
    if missing:
        raise ValueError(
            f"articles lack required columns {sorted(missing)}; have {list(articles.columns)}"
        )
    gaz = gazetteer or load_gazetteer()
    cal = events or load_events()
    unknown = cal.unknown_counterparts(gaz)
    if unknown:
        logger.warning("calendar engagements with counterparts not in the gazetteer: %s", unknown)
    notes: list[tuple[str, str, str]] = []
    matched, unmatched = ({}, [])
    if manifest is not None and len(manifest):
        matched, unmatched = match_manifest(articles, manifest)
        for r in unmatched:
            key = {k: manifest[k].iat[r] for k in ("file", "article_id") if k in manifest.columns}
            notes.append(
                ("", "manifest_unmatched", f"manifest row {r + 2} {key} matches no article")
            )
    extra_cols = [
        c for c in (manifest.columns if manifest is not None else []) if c not in _MANIFEST_OWN
    ]
    given = _given_dates(articles)
    rows = []
    for pos in progress_bar(range(len(articles)), show=len(articles) >= 200,
                            desc="annotating", unit="article", leave=False):
        row = articles.iloc[pos]
        aid = str(row["article_id"])
        ref = _reference(row)
        corpus_date, date_note = given[pos]
        if ref and corpus_date[:10] == ref.isoformat():
            corpus_date = ""  # only the extraction date again: a reference, not a date
        ann = annotate_text(
            str(row.get("title", "") or ""),
            str(row.get("text", "") or ""),
            reference_date=ref,
            gazetteer=gaz,
            events=cal,
            use_calendar=not (corpus_date or date_note),
        )
        notes += [(aid, k, m) for k, m in ann.notes]
        if date_note:
            notes.append((aid, "date_not_understood", f"corpus date column: {date_note}"))
        out = ann.row()
        mrow = manifest.iloc[matched[pos]] if pos in matched else None
        mdate = str(mrow.get("date", "") or "").strip() if mrow is not None else ""
        mcp = str(mrow.get("counterpart", "") or "").strip() if mrow is not None else ""
        if mdate:
            ev = str(mrow.get("date_evidence", "") or "").strip() or "manifest"
            apply_given_date(out, ann, mdate, f"manifest: {ev}", aid, notes, gaz, mcp)
        elif corpus_date:
            apply_given_date(
                out, ann, corpus_date, "corpus date column", aid, notes, gaz, mcp
            )
        if mcp:
            apply_counterpart(out, ann, mcp, aid, notes, gaz)
        mtype = str(mrow.get("engagement_type", "") or "").strip() if mrow is not None else ""
        if mtype:
            if mtype in ENGAGEMENT_TYPES:
                out["engagement_type"] = mtype
            else:
                notes.append((aid, "manifest_bad_engagement_type",
                              f"engagement_type {mtype!r} is not one of {ENGAGEMENT_TYPES}; "
                              "kept the text's"))
        for c in extra_cols:  # None: keep the article's own value, if any
            out[c] = mrow[c] if mrow is not None and str(mrow[c]).strip() else None
        if out["date_source"] == "unknown":
            notes.append(
                (
                    aid,
                    "date_unknown",
                    "no manifest date, text date, calendar engagement or tenure window",
                )
            )
        rows.append(out)
    result = articles.copy()
    added = pd.DataFrame(rows, index=articles.index)
    for c in ANNOTATION_COLUMNS:
        result[c] = added[c]
    for c in extra_cols:
        if c in ANNOTATION_COLUMNS:
            continue
        given = added[c] if c in added.columns else pd.Series(None, index=added.index, dtype=object)
        result[c] = (
            given.where(given.notna(), result[c]) if c in result.columns else given.fillna("")
        )
    return result, pd.DataFrame(notes, columns=list(NOTE_COLUMNS))
