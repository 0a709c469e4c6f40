"""Who is mentioned, and who is the foreign counterpart of Egypt's president.

Works on Arabic-normalised text (:class:`research.text.NormalizedText`):

1. :func:`find_titles` finds role titles ("وزير الخارجية الأمريكي", "خادم الحرمين
   الشريفين", "نظيره الأمريكي").
2. :func:`extract_mentions` finds names, attaches a title that stands next to a name
   ("وزير الدفاع الأميركي جيمس ماتيس") and resolves the remaining titles to the office
   holder(s) within a date window: one holder gives a person, several give an
   ambiguous mention (the window spans a change of office-holder).
3. :func:`choose_counterpart` scores the foreign candidates by headline and lead
   position, meeting verbs (استقبل، التقى، بحث مع، اجتمع، اتصال هاتفي ...) and counts.

Officials of the home side (Egypt) are recognised and counted but never returned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from ._gazetteer import Gazetteer
from ._mentions import Mention, has_meeting_cue, sentence_spans

__all__ = ["Counterpart", "choose_counterpart"]


@dataclass(frozen=True)
class Counterpart:
    """The primary counterpart of an article (empty fields when none was found)."""

    person_id: str = ""
    name: str = ""
    country: str = ""
    role: str = ""
    confidence: float = 0.0
    evidence: tuple[int, int] | None = None
    candidates: tuple[str, ...] = ()
    note: str = ""


def choose_counterpart(
    norm: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    *,
    title_end: int = 0,
    active: tuple[date, date] | None = None,
) -> Counterpart:
    """Pick the foreign official who meets, calls or is received by Egypt's president.

    Parameters
    ----------
    norm : str
        Normalised text; when the article has a headline it is ``norm[:title_end]``.
    mentions : list of Mention
        From :func:`extract_mentions`.
    gaz : Gazetteer
        The gazetteer.
    title_end : int, default=0
        End of the headline in ``norm`` (0: no headline).
    active : tuple of datetime.date, optional
        When the engagement can have taken place; officials holding no listed office
        then are historical mentions and are not candidates.

    Returns
    -------
    Counterpart
        Empty when no foreign official is mentioned. For an ambiguous title the
        person is left empty, country and role are filled and ``candidates`` lists
        the possible holders.
    """
    sentences = sentence_spans(norm)
    sisi = {
        m.start
        for m in mentions
        if m.person_id
        and gaz.persons[m.person_id].country == gaz.home_country
        and any(t.role == "head_of_state" for t in gaz.persons[m.person_id].tenures)
    }
    lead = next(
        (
            (a, b)
            for a, b in sentences
            if a >= title_end and len(norm[a:b].split()) >= 6 and "ارشيفيه" not in norm[a:b]
        ),
        None,
    )
    cue = {s: has_meeting_cue(norm[s[0] : s[1]]) for s in sentences}

    def sentence_of(pos: int) -> tuple[int, int]:
        return next((s for s in sentences if s[0] <= pos < s[1]), (pos, pos))

    scores: dict[tuple[str, ...], dict] = {}
    for m in mentions:
        if any(gaz.persons[c].country == gaz.home_country for c in m.candidates):
            continue
        rec = scores.setdefault(
            m.candidates,
            {"w": 0.0, "head": 0, "lead": 0, "meet": set(), "first": m.start, "best": None},
        )
        w = m.weight * (0.5 if m.former else 1.0)
        rec["w"] += w
        s = sentence_of(m.start)
        if m.start < title_end:
            rec["head"] = 3
            rec["best"] = rec["best"] or s
        if lead and s == lead:
            rec["lead"] = 2
        if cue.get(s) and m.weight >= 1.0 and not m.former:
            with_sisi = any(s[0] <= p < s[1] for p in sisi)
            rec["meet"].add((s, with_sisi))
    if not scores:
        return Counterpart()
    ranked = []
    for cands, rec in scores.items():
        meet = sorted(rec["meet"], key=lambda x: (-x[1], x[0][0]))[:3]
        score = 2 * math.log1p(rec["w"]) + rec["head"] + rec["lead"] + sum(1.5 + x[1] for x in meet)
        if len(cands) > 1:
            score *= 0.8
        if active and not any(gaz.in_office(c, *active) for c in cands):
            continue  # out of office then: a historical mention, not a counterpart
        best = meet[0][0] if meet else (rec["best"] or sentence_of(rec["first"]))
        ranked.append((score, -rec["first"], cands, best))
    if not ranked:
        return Counterpart()
    ranked.sort(reverse=True)
    top, _, cands, best = ranked[0]
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    conf = (top / (top + second) if second else 1.0) * min(1.0, top / 6.0)
    people = [gaz.persons[c] for c in cands]
    if len(people) == 1:
        p = people[0]
        role = next((m.role for m in mentions if m.candidates == cands and m.role), None)
        return Counterpart(p.id, p.name, p.country, role or "", round(conf, 2), best, cands)
    role = next((m.role for m in mentions if m.candidates == cands and m.role), "") or ""
    note = "title spans several office-holders: " + " or ".join(p.name for p in people)
    return Counterpart("", "", people[0].country, role, round(conf * 0.6, 2), best, cands, note)
