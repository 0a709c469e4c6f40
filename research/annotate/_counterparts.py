"""The counterpart of an article: the foreign official the president engaged with.

Works on Arabic-normalised text (:class:`research.text.NormalizedText`):

1. :func:`research.annotate.extract_mentions` finds names and titles of officials;
2. :func:`research.annotate.find_engagements` finds the clauses in which the president
   himself meets, receives, visits, phones or exchanges a message with a foreign
   official (a person mentioned is not a person met);
3. :func:`choose_counterpart` takes the primary engagement: the headline's, else the
   lead's, else the one reported in most clauses, else the first; the others are
   listed. An article that reports no engagement has no counterpart.

Officials of the home side (Egypt) are recognised and counted but never returned;
their own engagements with foreign officials are returned for the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ._engagements import ReportedEngagement, find_engagements
from ._gazetteer import Gazetteer
from ._mentions import Mention, sentence_spans

__all__ = ["Counterpart", "choose_counterpart", "lead_sentence"]


@dataclass(frozen=True)
class Counterpart:
    """The primary counterpart of an article (empty fields when none was found).

    Attributes
    ----------
    person_id, name, country, role : str
        The official (``person_id`` empty for a title spanning several office-holders,
        whose ids are in ``candidates``).
    confidence : float
        In [0, 1]: where the engagement is reported (headline, lead, body), how many
        clauses report it, how explicit its cue is; calibrated on a labelled sample
        (see the README).
    evidence : tuple of (int, int) or None
        Span of the clause that reports the engagement (normalised text).
    candidates : tuple of str
    note : str
    engagement_type : str
        One of :data:`research.annotate.ENGAGEMENT_TYPES`.
    planned : bool
        Announced, not yet held.
    others : tuple of str
        Names of the other officials the article reports the president engaging.
    ministers : tuple of str
        "official with foreign official" for engagements of Egyptian officials other
        than the president.
    """

    person_id: str = ""
    name: str = ""
    country: str = ""
    role: str = ""
    confidence: float = 0.0
    evidence: tuple[int, int] | None = None
    candidates: tuple[str, ...] = ()
    note: str = ""
    engagement_type: str = "none"
    planned: bool = False
    others: tuple[str, ...] = field(default=())
    ministers: tuple[str, ...] = field(default=())


def lead_sentence(norm: str, sentences: list[tuple[int, int]],
                  title_end: int) -> tuple[int, int] | None:
    """Return the first body sentence of at least six words (the lead), if any."""
    return next(
        ((a, b) for a, b in sentences
         if a >= title_end and len(norm[a:b].split()) >= 6 and "ارشيفيه" not in norm[a:b]),
        None,
    )


_WHERE_RANK = {"headline": 0, "lead": 1, "body": 2}
_WHERE_CONFIDENCE = {"headline": 0.9, "lead": 0.85, "body": 0.65}


def choose_counterpart(
    norm: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    *,
    title_end: int = 0,
    active: tuple[date, date] | None = None,
    reference: date | None = None,
    dated: list[tuple[int, date]] = (),
) -> Counterpart:
    """Pick the foreign official whom Egypt's president engaged with, as the article reports.

    Parameters
    ----------
    norm : str
        Normalised text; when the article has a headline it is ``norm[:title_end]``.
    mentions : list of Mention
        From :func:`research.annotate.extract_mentions`.
    gaz : Gazetteer
        The gazetteer.
    title_end : int, default=0
        End of the headline in ``norm`` (0: no headline).
    active : tuple of datetime.date, optional
        When the engagement can have taken place; officials holding no listed office
        then are historical mentions and are not candidates.
    reference : datetime.date, optional
        Publication date (engagements dated two weeks or more before it are history).
    dated : list of (int, datetime.date)
        Positions and days of the explicit dates in ``norm``.

    Returns
    -------
    Counterpart
        Empty (``engagement_type="none"``) when the article reports no engagement of
        the president. For an ambiguous title the person is left empty, country and
        role are filled and ``candidates`` lists the possible holders.
    """
    sentences = sentence_spans(norm)
    if title_end and (0, title_end) not in sentences:
        sentences = [(0, title_end)] + [(max(a, title_end), b) for a, b in sentences
                                         if b > title_end]
    lead = lead_sentence(norm, sentences, title_end)
    found, ministers = find_engagements(norm, mentions, gaz, sentences, title_end=title_end,
                                        lead=lead, reference=reference, dated=dated)
    if active:
        found = [e for e in found if any(gaz.in_office(c, *active) for c in e.candidates)]
    minister_notes = tuple(dict.fromkeys(
        f"{gaz.persons[m.official].name} with "
        + " / ".join(gaz.persons[c].name for c in m.foreign) for m in ministers))
    if not found:
        return Counterpart(ministers=minister_notes)
    support: dict[tuple[str, ...], list[ReportedEngagement]] = {}
    for e in found:
        support.setdefault(e.candidates, []).append(e)
    ranked = sorted(
        support.items(),
        key=lambda kv: (min(_WHERE_RANK[e.where] for e in kv[1]), -len(kv[1]),
                        kv[1][0].clause[0]))
    cands, reports = ranked[0]
    best = min(reports, key=lambda e: (_WHERE_RANK[e.where], e.clause[0]))
    conf = _WHERE_CONFIDENCE[best.where] + 0.05 * min(len(reports) - 1, 2)
    if all(e.cue in ("زياره", "زيارته", "زار", "يزور", "حضور", "بحضور", "قمه") for e in reports):
        conf -= 0.15
    conf = min(conf, 1.0)
    others = tuple(dict.fromkeys(
        " or ".join(gaz.persons[c].name for c in other)
        for other in [k for k, _ in ranked[1:]] + [o for e in reports for o in e.others]
        if other != cands))
    role = next((m.role for m in mentions if m.candidates == cands and m.role), "") or ""
    kind = best.kind
    if kind == "meeting":  # another report of the same engagement may say where it was
        kind = next((e.kind for e in reports if e.kind in ("hosted", "visit_abroad")), kind)
    common = {"evidence": best.clause, "engagement_type": kind, "planned": best.planned,
              "others": others, "ministers": minister_notes, "candidates": cands}
    people = [gaz.persons[c] for c in cands]
    if len(people) == 1:
        p = people[0]
        return Counterpart(p.id, p.name, p.country, role, round(conf, 2), **common)
    note = "title spans several office-holders: " + " or ".join(p.name for p in people)
    return Counterpart("", "", people[0].country, role, round(conf * 0.6, 2), note=note,
                       **common)
