"""Counterpart and date annotation of an article table: the pipeline's entry point.

:func:`annotate_articles` adds, for every article, the foreign counterpart of Egypt's
president and the date of the engagement, each with its evidence and a confidence,
and merges an optional researcher's manifest (:func:`read_manifest`), which overrides
the inference but is checked against it: contradictions are reported in the returned
notes, never silently accepted.

Per article (:func:`annotate_text`), evidence is combined iteratively: names give
tenure windows, the windows resolve titles without a name ("وزير الخارجية الأمريكي"),
the counterpart and the sentence that names him select the relative date words and
calendar engagements, and a day, once found, resolves the titles again.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

import pandas as pd

from research.counterparts import (
    Counterpart,
    choose_counterpart,
    extract_mentions,
    format_mentions,
    role_in_window,
    scan_text,
)
from research.dates import (
    EventCalendar,
    Window,
    anchor_bound,
    find_dates,
    find_relative,
    load_events,
    match_engagements,
    parse_iso_window,
    resolve_relative,
    tenure_window,
)
from research.gazetteer import Gazetteer, NormalizedText, load_gazetteer

__all__ = [
    "ANNOTATION_COLUMNS",
    "DATE_SOURCES",
    "ArticleAnnotation",
    "annotate_text",
    "annotate_articles",
    "read_manifest",
    "strip_related",
]

logger = logging.getLogger(__name__)

DateSource = Literal["manifest", "text", "event", "tenure", "unknown"]
DATE_SOURCES: tuple[str, ...] = ("manifest", "text", "event", "tenure", "unknown")
ANNOTATION_COLUMNS = (
    "counterpart",
    "counterpart_country",
    "counterpart_role",
    "counterparts_mentioned",
    "counterpart_evidence",
    "counterpart_confidence",
    "date",
    "date_min",
    "date_max",
    "date_source",
    "date_evidence",
    "date_confidence",
)
NOTE_COLUMNS = ("article_id", "kind", "message")
_MANIFEST_OWN = {"file", "article_id", "date", "date_evidence", "counterpart"}

_RELATED = re.compile(
    r"^\s*(?:اقرا\s+ايضا|اقرا\s+المزيد|قد\s+يهمك|ترشيحاتنا|شاهد\s+ايضا|لم\s+تشترك\s+بعد|"
    r"انشئ\s+حسابا|اخبار\s+ذات\s+صله|مواضيع\s+ذات\s+صله|اقرا\s+كمان)"
)


def strip_related(text: str) -> str:
    """Drop related-headline blocks ("اقرأ أيضاً", "قد يهمك أيضاً", site footers).

    A marker line is dropped with the short headline-like lines that follow it; the
    article resumes at the first line that reads as a paragraph (ends with a full
    stop or has 25 words or more). Used for extraction only; the table keeps the text.
    """
    from research.arabic import normalize_arabic

    out, skipping = [], False
    for line in text.split("\n"):
        norm = normalize_arabic(line)
        if _RELATED.match(norm):
            skipping = True
            continue
        stripped = line.strip()
        if (
            skipping
            and stripped
            and (stripped.endswith((".", ".»", '."', "..")) or len(stripped.split()) >= 25)
        ):
            skipping = False
        if not skipping:
            out.append(line)
    return "\n".join(out)


@dataclass
class ArticleAnnotation:
    """Annotation of one article, before any manifest is applied."""

    counterpart: Counterpart
    counterpart_role: str
    counterparts_mentioned: str
    counterpart_evidence: str
    date: date | None
    date_min: date | None
    date_max: date | None
    date_source: str
    date_evidence: str
    date_confidence: float
    tenure: Window
    tenure_evidence: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def row(self) -> dict:
        """Return the output columns as a dict of strings and floats."""

        def iso(d: date | None) -> str:
            return d.isoformat() if d else ""

        cp = self.counterpart
        return {
            "counterpart": cp.name,
            "counterpart_country": cp.country,
            "counterpart_role": self.counterpart_role,
            "counterparts_mentioned": self.counterparts_mentioned,
            "counterpart_evidence": self.counterpart_evidence,
            "counterpart_confidence": float(cp.confidence),
            "date": iso(self.date),
            "date_min": iso(self.date_min),
            "date_max": iso(self.date_max),
            "date_source": self.date_source,
            "date_evidence": self.date_evidence,
            "date_confidence": float(self.date_confidence),
        }


def _clip_quote(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def annotate_text(
    title: str,
    text: str,
    *,
    reference_date: date | None = None,
    gazetteer: Gazetteer | None = None,
    events: EventCalendar | None = None,
) -> ArticleAnnotation:
    """Find the counterpart and date of one article (no manifest).

    Parameters
    ----------
    title, text : str
        Headline (may be empty) and cleaned body.
    reference_date : datetime.date, optional
        Publication date known from the corpus (e.g. SaudiNewsNet ``date_extracted``);
        relative words ("أمس", "اليوم الخميس") are resolved against it.
    gazetteer, events : optional
        Defaults: the bundled gazetteer and events calendar.

    Returns
    -------
    ArticleAnnotation
    """
    gaz = gazetteer or load_gazetteer()
    cal = events or load_events()
    title = (title or "").strip()
    body = strip_related(text or "")
    nt = NormalizedText(f"{title}\n{body}" if title else body)
    norm = nt.norm
    title_end = len(NormalizedText(title).norm) if title else 0
    notes: list[tuple[str, str]] = []

    # 1. Officials named in their roles bound the window; titles are resolved in it
    #    (at the publication date when known) and the counterpart is chosen. The
    #    counterpart's own tenure then narrows the window and titles are resolved again.
    scan = scan_text(norm, gaz)
    mentions, _ = extract_mentions(norm, gaz, scan=scan)
    active = None
    if reference_date:  # officials out of office at publication are historical mentions
        active = (reference_date - timedelta(days=30), reference_date + timedelta(days=2))
    named = [
        (m.person_id, m.role)
        for m in mentions
        if m.via == "name"
        and m.titled
        and m.person_id
        and not m.former
        and (active is None or _in_office(gaz, m.person_id, *active))
    ]
    win = _DateWindow(named, gaz, cal, nt, reference_date)
    cp = Counterpart()
    for _ in range(2):
        lo, hi = (reference_date, reference_date) if reference_date else win.window.hull()
        mentions, _ = extract_mentions(norm, gaz, lo, hi, scan=scan)
        cp = choose_counterpart(
            norm, mentions, gaz, title_end=title_end, active=active or win.window.hull()
        )
        if not cp.person_id or any(pid == cp.person_id for pid, _ in named):
            break
        if active and not _in_office(gaz, cp.person_id, *active):
            break
        trial = _DateWindow(named + [(cp.person_id, None)], gaz, cal, nt, reference_date)
        if trial.window.empty or trial.window == win.window:
            break
        win = trial
    notes += win.notes
    tenure, window, evidence = win.tenure, win.window, list(win.evidence)

    # 2. The counterpart's sentence, the lead and the headline give relative words,
    #    explicit dates and the weekday; the calendar pins the day.
    sentences = scan.sentences
    lead = next(
        (
            (a, b)
            for a, b in sentences
            if a >= title_end and len(norm[a:b].split()) >= 6 and "ارشيفيه" not in norm[a:b]
        ),
        None,
    )
    focus = [s for s in (cp.evidence, lead, (0, title_end) if title_end else None) if s]
    rels = find_relative(norm)
    rel = next((r for s in focus for r in rels if s[0] <= r.start < s[1]), None)
    found = find_dates(norm, gaz.period)
    rejected = [
        f"rejected '{nt.original(d.start, d.end)}' ({d.reason})" for d in found if d.historical
    ]

    day, source, conf, how = _pick_day(cp, rel, found, focus, window, reference_date, cal, nt)
    if day is not None and not tenure.contains(day, slack=3):
        notes.append(
            (
                "tenure_conflict",
                f"{source} date {day} is outside the tenure window of the officials named",
            )
        )
        conf = min(conf, 0.5)

    # 3. A day, once known, resolves the titles again.
    if day is not None:
        mentions, _ = extract_mentions(norm, gaz, day, day, scan=scan)
        cp2 = choose_counterpart(norm, mentions, gaz, title_end=title_end, active=(day, day))
        if not cp.person_id or cp2.person_id == cp.person_id:
            cp = cp2

    if day is not None:
        dmin = dmax = day
        evidence = [how] + evidence
    else:
        dmin, dmax = window.hull()
        narrowed = bool(win.tenure_evidence) or win.anchored
        source = (
            "tenure"
            if narrowed and window.days() < 0.9 * Window.between(*gaz.period).days()
            else "unknown"
        )
        conf = (
            0.0
            if source == "unknown"
            else (0.5 if window.days() <= 31 else 0.35 if window.days() <= 366 else 0.2)
        )
        if how:
            evidence.append(how)
    role = cp.role
    if cp.person_id and not role:
        role = role_in_window(gaz.persons[cp.person_id], gaz, dmin, dmax)
    return ArticleAnnotation(
        counterpart=cp,
        counterpart_role=role,
        counterparts_mentioned=format_mentions(mentions, gaz),
        counterpart_evidence=(_clip_quote(nt.original(*cp.evidence)) if cp.evidence else "")
        + (f" [{cp.note}]" if cp.note else ""),
        date=day,
        date_min=dmin,
        date_max=dmax,
        date_source=source,
        date_evidence="; ".join(evidence + rejected),
        date_confidence=round(conf, 2),
        tenure=tenure,
        tenure_evidence=win.tenure_evidence,
        notes=notes,
    )


class _DateWindow:
    """Tenure intersection, clipped by anchors and the publication date."""

    def __init__(self, named, gaz, cal, nt, reference_date):
        order: dict[str, int] = {}
        for pid, _ in named:
            order[pid] = order.get(pid, 0) + 1
        named = sorted(named, key=lambda c: -order[c[0]])
        self.tenure, self.tenure_evidence, conflicts = tenure_window(named, gaz)
        self.notes = [("tenure_conflict", c) for c in conflicts]
        self.window = self.tenure
        self.evidence = (
            [f"tenures: {' ∩ '.join(self.tenure_evidence)}"] if self.tenure_evidence else []
        )
        self.anchored = False
        anchor = anchor_bound(nt.norm, cal)
        if anchor:
            clipped = self.window.clip(lo=anchor[0].date)
            if clipped.empty:
                self.notes.append(
                    (
                        "tenure_conflict",
                        f"anchor {anchor[0].id} ({anchor[0].date}) is after the tenure window",
                    )
                )
            else:
                self.window, self.anchored = clipped, True
                self.evidence.append(
                    f"mentions '{nt.original(anchor[1], anchor[2]).strip()}' "
                    f"(anchor {anchor[0].id}, {anchor[0].date}): not earlier"
                )
        if reference_date:
            clipped = self.window.clip(hi=reference_date + timedelta(days=2))
            self.window = clipped if not clipped.empty else self.window


def _pick_day(cp, rel, found, focus, window, reference, cal, nt):
    """Return (day, source, confidence, evidence) from the text or the calendar, if any."""
    if reference and rel:
        day, agrees = resolve_relative(rel, reference)
        how = f"'{nt.original(rel.start, rel.end)}' relative to the publication date {reference}"
        return (
            day,
            "text",
            0.85 if agrees else 0.6,
            how + ("" if agrees else " (weekday overrides the offset)"),
        )
    day, how = _explicit_date(found, focus, window, reference, nt)
    if day:
        return day, "text", 0.8, how
    if not cp.person_id:
        return None, "", 0.0, ""
    weekday = rel.weekday if rel else None
    matches, _ = match_engagements(cal, cp.person_id, window, nt.norm, weekday)
    if len(matches) > 1:
        return None, "", 0.0, "calendar candidates: " + ", ".join(e.id for e in matches)
    if not matches:
        return None, "", 0.0, ""
    e = matches[0]
    how = f"calendar engagement {e.id} ({cp.name}, {e.place}, {e.date:%A} {e.date})"
    if weekday is not None:
        how += f"; text '{nt.original(rel.start, rel.end)}' agrees"
    return (
        e.date,
        "event",
        0.9 if weekday is not None else 0.8,
        (how + f"; only {cp.name} engagement in the window"),
    )


def _in_office(gaz: Gazetteer, pid: str, start: date, end: date) -> bool:
    p = gaz.persons[pid]
    return not p.tenures or any(
        gaz.interval(t)[0] <= end and start <= gaz.interval(t)[1] for t in p.tenures
    )


def _explicit_date(found, focus, window, reference, nt) -> tuple[date | None, str]:
    """Pick an explicit date from the counterpart's sentence, lead, headline or dateline."""
    usable = []
    for d in found:
        if d.historical or d.kind == "month_year":
            continue
        if d.kind == "full":
            day = d.as_date()
        elif reference:
            options = [
                x
                for x in (
                    d.as_date(reference.year - 1),
                    d.as_date(reference.year),
                    d.as_date(reference.year + 1),
                )
                if x
            ]
            day = min(options, key=lambda x: abs((x - reference).days)) if options else None
        else:
            lo, hi = window.hull()
            options = [
                x for y in range(lo.year, hi.year + 1) if (x := d.as_date(y)) and window.contains(x)
            ]
            day = options[0] if len(options) == 1 else None
        if reference and day and abs((day - reference).days) > 7:
            continue  # far from the publication date: another event
        if day and window.contains(day, slack=3):
            usable.append((d, day))
    spans = list(focus) + [(0, 300)]
    for s in spans:
        for d, day in usable:
            if s[0] <= d.start < s[1]:
                return day, f"'{nt.original(d.start, d.end)}' in the text"
    return None, ""


# ---------------------------------------------------------------------------- manifest
def read_manifest(
    path: str | Path, *, errors: Literal["raise", "report"] = "raise"
) -> pd.DataFrame:
    """Read and validate a researcher's manifest (CSV).

    Parameters
    ----------
    path : str or Path
        CSV with a key column ``file`` (file name of the article) and/or
        ``article_id``, an optional ``date`` (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``
        or ``START/END``), optional ``date_evidence`` and ``counterpart`` (English
        name, id or Arabic alias from the gazetteer) and any other metadata columns.
    errors : {"raise", "report"}, default="raise"
        What to do with malformed dates: raise, or keep them so that
        :func:`annotate_articles` lists them in its notes.

    Returns
    -------
    pandas.DataFrame
        All columns as strings, empty cells as ''.

    Raises
    ------
    FileNotFoundError, ValueError
        Missing file; no key column; a row without a key; duplicate keys; a malformed
        date (with ``errors="raise"``). Messages name the row and the value.
    """
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', got {errors!r}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"manifest not found: {path}")
    df = pd.read_csv(path, dtype=str, keep_default_na=False).rename(
        columns=lambda c: str(c).strip()
    )
    keys = [c for c in ("file", "article_id") if c in df.columns]
    if not keys:
        raise ValueError(
            f"manifest {path} needs a key column 'file' or 'article_id'; "
            f"columns: {list(df.columns)}"
        )
    df = df.apply(lambda col: col.str.strip())
    missing = [i + 2 for i in range(len(df)) if not any(df[k].iat[i] for k in keys)]
    if missing:
        raise ValueError(f"manifest {path}: rows {missing} have no {' or '.join(keys)}")
    for k in keys:
        dup = df[k][(df[k] != "") & df[k].duplicated()]
        if len(dup):
            raise ValueError(f"manifest {path}: duplicate {k} values {sorted(set(dup))}")
    if "date" in df.columns and errors == "raise":
        for i, value in enumerate(df["date"]):
            if value:
                try:
                    parse_iso_window(value)
                except ValueError as exc:
                    raise ValueError(f"manifest {path}: row {i + 2}: date {exc}") from None
    return df


def _match_manifest(
    articles: pd.DataFrame, manifest: pd.DataFrame
) -> tuple[dict[int, int], list[int]]:
    """Map article positions to manifest rows; return (matches, unmatched manifest rows)."""
    ids = articles["article_id"].astype(str).tolist()
    col = next((c for c in ("file", "source_file") if c in articles.columns), None)
    files = articles[col].astype(str).tolist() if col else [""] * len(ids)
    by_file = {Path(f).name: i for i, f in enumerate(files) if f}
    by_id = {a: i for i, a in enumerate(ids)}
    matched, unmatched = {}, []
    for r in range(len(manifest)):
        f = str(manifest["file"].iat[r]) if "file" in manifest.columns else ""
        a = str(manifest["article_id"].iat[r]) if "article_id" in manifest.columns else ""
        pos = None
        if f:
            name = Path(f).name
            pos = by_file.get(name, by_id.get(name, by_id.get(Path(name).stem)))
        if pos is None and a:
            pos = by_id.get(a)
        if pos is None:
            unmatched.append(r)
        elif pos not in matched:
            matched[pos] = r
    return matched, unmatched


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


def _apply_given_date(
    out: dict,
    ann: ArticleAnnotation,
    value: str,
    evidence: str,
    aid: str,
    notes: list,
    gaz: Gazetteer,
    manifest_cp: str,
) -> None:
    """Override the inferred date with a manifest/corpus date and report contradictions."""
    try:
        lo, hi = parse_iso_window(value)
    except ValueError as exc:
        notes.append((aid, "manifest_bad_date", f"{evidence}: {exc}; inferred date kept"))
        return
    problems = []
    if ann.tenure_evidence and Window.between(lo, hi).intersect(ann.tenure).empty:
        a, b = ann.tenure.hull() if not ann.tenure.empty else (None, None)
        problems.append(
            f"{value} is outside the tenure window {a}..{b} of " + "; ".join(ann.tenure_evidence)
        )
    if (
        ann.date
        and ann.date_source in ("text", "event")
        and not (lo - timedelta(days=2) <= ann.date <= hi + timedelta(days=2))
    ):
        problems.append(
            f"{value} contradicts the {ann.date_source} date {ann.date} "
            f"({ann.date_evidence.split(';')[0]})"
        )
    if manifest_cp:
        try:
            p = gaz.person(manifest_cp)
            if not any(gaz.interval(t)[0] <= hi and lo <= gaz.interval(t)[1] for t in p.tenures):
                problems.append(f"{p.name} held no listed office on {value}")
        except KeyError:
            pass
    for msg in problems:
        notes.append((aid, "manifest_conflict", f"{evidence}: {msg}"))
    out.update(
        {
            "date": lo.isoformat() if lo == hi else "",
            "date_min": lo.isoformat(),
            "date_max": hi.isoformat(),
            "date_source": "manifest",
            "date_evidence": evidence
            + (f" [conflict: {' | '.join(problems)}]" if problems else ""),
            "date_confidence": 0.5 if problems else 1.0,
        }
    )


def _apply_counterpart(
    out: dict, ann: ArticleAnnotation, value: str, aid: str, notes: list, gaz: Gazetteer
) -> None:
    try:
        p = gaz.person(value)
    except KeyError:
        notes.append(
            (
                aid,
                "manifest_unknown_counterpart",
                f"counterpart {value!r} is not in the gazetteer; kept as written",
            )
        )
        out.update(
            counterpart=value,
            counterpart_country="",
            counterpart_role="",
            counterpart_evidence="manifest",
            counterpart_confidence=1.0,
        )
        return
    if ann.counterpart.person_id and ann.counterpart.person_id != p.id:
        notes.append(
            (
                aid,
                "manifest_counterpart_differs",
                f"manifest says {p.name}, the text suggests {ann.counterpart.name}",
            )
        )
    lo = date.fromisoformat(out["date_min"]) if out["date_min"] else gaz.period[0]
    hi = date.fromisoformat(out["date_max"]) if out["date_max"] else gaz.period[1]
    same = ann.counterpart.person_id == p.id
    out.update(
        counterpart=p.name,
        counterpart_country=p.country,
        counterpart_role=(out["counterpart_role"] if same else "")
        or role_in_window(p, gaz, lo, hi),
        counterpart_evidence=f"manifest; text: {out['counterpart_evidence']}"
        if same
        else "manifest",
        counterpart_confidence=1.0,
    )


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
        of ``date_extracted``) and ``date_extracted`` (publication date: relative
        words are resolved against it and titles name the holder on that day).
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
        ``manifest_counterpart_differs``, ``tenure_conflict``, ``date_unknown``.
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
        matched, unmatched = _match_manifest(articles, manifest)
        for r in unmatched:
            key = {k: manifest[k].iat[r] for k in ("file", "article_id") if k in manifest.columns}
            notes.append(
                ("", "manifest_unmatched", f"manifest row {r + 2} {key} matches no article")
            )
    extra_cols = [
        c for c in (manifest.columns if manifest is not None else []) if c not in _MANIFEST_OWN
    ]
    rows = []
    for pos in range(len(articles)):
        row = articles.iloc[pos]
        aid = str(row["article_id"])
        ann = annotate_text(
            str(row.get("title", "") or ""),
            str(row.get("text", "") or ""),
            reference_date=_reference(row),
            gazetteer=gaz,
            events=cal,
        )
        notes += [(aid, k, m) for k, m in ann.notes]
        out = ann.row()
        corpus_date = str(row.get("date", "") or "").strip() if "date" in articles.columns else ""
        ref = _reference(row)
        if corpus_date.lower() in ("nan", "nat", "none") or (
            ref and corpus_date[:10] == ref.isoformat()
        ):
            corpus_date = ""  # empty, or only the extraction date again: a reference, not a date
        mrow = manifest.iloc[matched[pos]] if pos in matched else None
        mdate = str(mrow.get("date", "") or "").strip() if mrow is not None else ""
        mcp = str(mrow.get("counterpart", "") or "").strip() if mrow is not None else ""
        if mdate:
            ev = str(mrow.get("date_evidence", "") or "").strip() or "manifest"
            _apply_given_date(out, ann, mdate, f"manifest: {ev}", aid, notes, gaz, mcp)
        elif corpus_date:
            _apply_given_date(
                out, ann, corpus_date[:10], "corpus date column", aid, notes, gaz, mcp
            )
        if mcp:
            _apply_counterpart(out, ann, mcp, aid, notes, gaz)
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
