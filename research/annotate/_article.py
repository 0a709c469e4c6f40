"""Counterpart and date of one article, from its own text.

:func:`annotate_text` combines the evidence iteratively: names give tenure windows,
the windows resolve titles without a name ("وزير الخارجية الأمريكي"), the
counterpart and the sentence that names him select the relative date words and
calendar engagements, and a day, once found, resolves the titles again. The result
is an :class:`ArticleAnnotation`, before any manifest is applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from research.text import NormalizedText, clean_article

from ._counterparts import Counterpart, choose_counterpart, lead_sentence
from ._date_words import WEEKDAYS_AR
from ._dates import find_dates, find_unreadable_dates
from ._events import EventCalendar, anchor_bound, load_events, match_engagements
from ._gazetteer import Gazetteer, load_gazetteer
from ._mentions import extract_mentions, format_mentions, scan_text
from ._relative import dateline_weekday, find_relative, resolve_relative
from ._text_dates import TextDates
from ._windows import Window, tenure_window

__all__ = ["ArticleAnnotation", "annotate_text"]


@dataclass
class ArticleAnnotation:
    """Annotation of one article, before any manifest is applied."""

    counterpart: Counterpart
    counterpart_role: str
    people_mentioned: str
    engagement_evidence: str
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
            "counterpart_confidence": float(cp.confidence),
            "engagement_type": cp.engagement_type,
            "engagement_evidence": self.engagement_evidence,
            "other_engagements": "; ".join(cp.others),
            "people_mentioned": self.people_mentioned,
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


def _extraction_body(text: str, title: str) -> str:
    """Return ``text`` without boilerplate, for extraction only.

    :func:`research.text.clean_article` drops related-links blocks ("اقرأ أيضاً",
    "قد يهمك", "ترشيحاتنا") up to the next prose line, prompts, captions and repeated
    lines. Without a ``title`` it takes a headline-like first line for the title; that
    line is kept here, so that the headline is still read.
    """
    cleaned = clean_article(text, title)
    if not title and cleaned.removed and cleaned.removed[0][1] == "title":
        return cleaned.title + (f"\n{cleaned.body}" if cleaned.body else "")
    return cleaned.body


def annotate_text(
    title: str,
    text: str,
    *,
    reference_date: date | None = None,
    gazetteer: Gazetteer | None = None,
    events: EventCalendar | None = None,
    use_calendar: bool = True,
) -> ArticleAnnotation:
    """Find the counterpart and date of one article (no manifest).

    Parameters
    ----------
    title, text : str
        Headline (may be empty) and cleaned body. Related-links blocks, prompts,
        captions and repeated lines left in ``text`` are not read (see
        :func:`research.text.clean_article`).
    reference_date : datetime.date, optional
        Publication date known from the corpus (e.g. SaudiNewsNet ``date_extracted``);
        relative words ("أمس", "اليوم الخميس") are resolved against it.
    gazetteer, events : optional
        Defaults: the bundled gazetteer and events calendar.
    use_calendar : bool, default=True
        Whether a calendar engagement may give the day. The calendar never
        overrides the text: it is consulted only when the text gives no explicit
        date (readable or not) where the article's date is written, and no weekday
        the text names contradicts the engagement. Pass False when a date was given
        for the article (a corpus date column), even one that could not be read.

    Returns
    -------
    ArticleAnnotation
        ``notes`` kinds: ``tenure_conflict``, ``date_not_understood`` (a date-like
        expression that gives no day), ``date_weekday_conflict`` (the day chosen is
        not the weekday the text names), ``date_calendar_conflict`` (a Hijri and a
        Gregorian date given for the same day disagree).
    """
    gaz = gazetteer or load_gazetteer()
    cal = events or load_events()
    title = (title or "").strip()
    body = _extraction_body(text or "", title)
    nt = NormalizedText(f"{title}\n{body}" if title else body)
    norm = nt.norm
    title_end = len(NormalizedText(title).norm) if title else 0
    notes: list[tuple[str, str]] = []

    # 1. Officials named in their roles bound the window; titles are resolved in it
    #    (at the publication date when known) and the counterpart is chosen. The
    #    counterpart's own tenure then narrows the window and titles are resolved again.
    scan = scan_text(norm, gaz)
    found = find_dates(norm, gaz.period)
    dated = _dated(found, reference_date)
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
        and (active is None or gaz.in_office(m.person_id, *active))
    ]
    win = _DateWindow(named, gaz, cal, nt, reference_date)
    cp = Counterpart()
    for _ in range(2):
        lo, hi = (reference_date, reference_date) if reference_date else win.window.hull()
        mentions, _ = extract_mentions(norm, gaz, lo, hi, scan=scan)
        cp = choose_counterpart(
            norm, mentions, gaz, title_end=title_end, active=active or win.window.hull(),
            reference=reference_date, dated=dated,
        )
        if not cp.person_id or any(pid == cp.person_id for pid, _ in named):
            break
        if active and not gaz.in_office(cp.person_id, *active):
            break
        trial = _DateWindow(named + [(cp.person_id, None)], gaz, cal, nt, reference_date)
        if trial.window.empty or trial.window == win.window:
            break
        win = trial
    notes += win.notes
    tenure, window, evidence = win.tenure, win.window, list(win.evidence)

    # 2. The counterpart's sentence, the lead and the headline give relative words,
    #    explicit dates and the weekday; the calendar pins the day.
    lead = lead_sentence(norm, list(scan.sentences), title_end)
    evidence_sentence = _sentence_of(scan.sentences, cp.evidence)
    focus = [s for s in (cp.evidence, evidence_sentence, lead,
                         (0, title_end) if title_end else None) if s]
    rels = find_relative(norm)
    rel = next((r for s in focus for r in rels if s[0] <= r.start < s[1]), None)
    unreadable = find_unreadable_dates(norm, gaz.period)
    rejected = [
        f"rejected '{nt.original(d.start, d.end)}' ({d.reason})"
        for d in [*found, *unreadable]
        if d.historical
    ]
    dateline = dateline_weekday(norm, title_end)
    cue = rel.weekday if rel and rel.weekday is not None else None
    if cue is None and dateline is not None:  # the dateline names the publication day
        cue = (dateline + ((rel.offset or 0) if rel else 0)) % 7
    text_dates = TextDates(found, unreadable, focus, nt, cue)
    notes += text_dates.notes()

    day, source, conf, how = _pick_day(
        cp, rel, text_dates, window, reference_date, cal, use_calendar, notes
    )
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
        cp2 = choose_counterpart(norm, mentions, gaz, title_end=title_end, active=(day, day),
                                 reference=reference_date, dated=dated)
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
        role = gaz.role_in_window(cp.person_id, dmin, dmax)
    notes += [("minister_engagement", m) for m in cp.ministers]
    shown = _sentence_of(scan.sentences, cp.evidence) or cp.evidence
    return ArticleAnnotation(
        counterpart=cp,
        counterpart_role=role,
        people_mentioned=format_mentions(mentions, gaz),
        engagement_evidence=(_clip_quote(nt.original(*shown)) if shown else "")
        + (f" [{cp.note}]" if cp.note else "") + (" [announced]" if cp.planned else ""),
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


def _sentence_of(sentences, span) -> tuple[int, int] | None:
    """Return the sentence that holds a clause span (None when there is no span)."""
    if not span:
        return None
    return next(((a, b) for a, b in sentences if a <= span[0] < b), span)


def _dated(found, reference: date | None) -> list[tuple[int, date]]:
    """Positions and days of the explicit dates (a year-less date takes the reference year)."""
    out = []
    for d in found:
        day = d.as_date(reference.year if reference else None)
        if day is not None and (d.year is None or not d.historical
                                or "outside the study period" not in d.reason):
            out.append((d.start, day))
    return out


def _pick_day(cp, rel, text_dates, window, reference, cal, use_calendar, notes):
    """Return (day, source, confidence, evidence) from the text or the calendar, if any."""
    nt = text_dates.nt
    if reference and rel and not text_dates.is_weekday_of_a_date(rel):
        day, agrees = resolve_relative(rel, reference)
        how = f"'{nt.original(rel.start, rel.end)}' relative to the publication date {reference}"
        return (
            day,
            "text",
            0.85 if agrees else 0.6,
            how + ("" if agrees else " (weekday overrides the offset)"),
        )
    day, conf, how = text_dates.choose(window, reference, notes)
    if day or how:  # a day, or an explicit date that could not be used: no calendar guess
        return day, ("text" if day else ""), conf, how
    if not cp.person_id:
        return None, "", 0.0, ""
    if not use_calendar:
        return None, "", 0.0, "calendar not consulted: a date was given for the article"
    weekday = text_dates.cue
    matches, _ = match_engagements(cal, cp.person_id, window, nt.norm, weekday)
    if len(matches) > 1:
        return None, "", 0.0, "calendar candidates: " + ", ".join(e.id for e in matches)
    if not matches:
        return None, "", 0.0, ""
    e = matches[0]
    how = f"calendar engagement {e.id} ({cp.name}, {e.place}, {e.date:%A} {e.date})"
    ruled_out = text_dates.contradiction(e.date, reference)
    if ruled_out:
        return None, "", 0.0, f"{how} not used: the text gives {ruled_out}"
    if rel and rel.weekday is not None:
        how += f"; text '{nt.original(rel.start, rel.end)}' agrees"
    elif weekday is not None:
        how += f"; the dateline's weekday ({WEEKDAYS_AR[weekday]}) agrees"
    return (
        e.date,
        "event",
        0.9 if weekday is not None else 0.8,
        (how + f"; only {cp.name} engagement in the window"),
    )
