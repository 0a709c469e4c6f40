"""Engagements of Egypt's president with foreign officials, as the article reports them.

A person mentioned is not a person met. An *engagement* is a clause in which the
president himself meets, receives, visits, holds talks with, phones, or exchanges a
message with a foreign official, or meets him at a summit. :func:`find_engagements`
looks for clauses that hold all three of

* an engagement cue (:data:`CUES`: استقبل، التقى، لقاء، مباحثات، بحث مع، اتصال هاتفي،
  برقية، رسالة، قمة ...), outside quoted speech and not an interview with the press
  ("لقاء خص به «الشرق الأوسط»");
* the president (by name or title; not when he is only greeted or represented:
  "نقل تحيات الرئيس السيسي", "نيابة عن الرئيس");
* a foreign official (by name, title or "نظيره").

Clauses are sentences cut at a comma that opens a new statement ("، فيما", "، وكان",
"، كما" ...), so that two foreign officials meeting each other in an article that
mentions the president, a list of leaders, a quote of a foreign official on another
subject, or an official's own cable to a third country give no engagement: the
president is not a party to that clause. Meetings of his ministers with a foreign
official (an Egyptian official and a foreign one around a cue, without the
president) are returned separately, for the notes.

Each engagement gets a type (:data:`ENGAGEMENT_TYPES`): ``call`` and ``message``
from their cues, ``summit`` on a summit's sidelines, else ``hosted`` when the
official came to Egypt, ``visit_abroad`` when the president travelled, ``meeting``
when the text does not say where. Engagements dated more than two weeks before
publication ("وسبق أن", a date a month earlier) are history, not the event the
article reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, get_args

from research.text import ARABIC_LETTER

from ._gazetteer import Gazetteer
from ._mentions import Mention

__all__ = [
    "CUES",
    "ENGAGEMENT_TYPES",
    "EngagementType",
    "ReportedEngagement",
    "MinisterEngagement",
    "clauses",
    "find_engagements",
]

EngagementType = Literal["meeting", "hosted", "visit_abroad", "call", "message", "summit", "none"]
ENGAGEMENT_TYPES: tuple[str, ...] = get_args(EngagementType)

_L = ARABIC_LETTER
_TOKEN = re.compile(f"[{_L}]+|[A-Za-z0-9]+")

#: Engagement cues (normalised Arabic word forms, before clitics) by kind. ``meeting``
#: cues say that two people met or talked, without saying where.
CUES: dict[str, frozenset[str]] = {
    "meeting": frozenset((
        "استقبل يستقبل تستقبل استقبال استقباله استقبالها استقبله استقبلت التقي يلتقي تلتقي "
        "التقاه التقت لقاء لقاءه لقائه لقاءها لقائها لقاءات لقاءاته اجتمع يجتمع يجتمعان اجتماع "
        "اجتماعا اجتماعه اجتماعات مباحثات مباحثاته مباحثاتهما مباحثاتنا محادثات محادثاته "
        "محادثاتهما بحث يبحث يبحثان بحثا تبحث تباحث يتباحث يتباحثان تباحثا مشاورات صافح "
        "يلتقيان التقيا قمه زياره زيارته زيارتي زار يزور وداع ودع حضور بحضور مشاركه مشاركته "
        "توقيع توقيعه وقع وقعا يوقع"
    ).split()),
    "call": frozenset((
        "اتصال اتصالا اتصالات اتصالين هاتفي هاتفيا هاتفيه هاتفيين مكالمه هاتف هاتفه يهاتف"
    ).split()),
    "message": frozenset("برقيه برقيات برقيتي برقيته رساله رسالته رسائل".split()),
}
# Cues that only join two people when both are named close to them.
_WEAK = frozenset(("زياره زيارته زيارتي زار يزور حضور بحضور قمه وداع ودع مشاركه مشاركته "
                   "توقيع توقيعه وقع وقعا يوقع").split())
# An official named as the leadership a relation is "under" is not a party to it.
_REFERENCE = re.compile(
    rf"(?<![{_L}])(?:بقياده|قياده|برعايه|رعايه|توجيهات|رؤيه|عهد|حكومه|وحكومه)"
    rf"(?:\s+\S+){{0,4}}\s*$"
)
# "يدعو ... إلى زيارة": an invitation, not an engagement (its cable or call is one).
_INVITED = re.compile(rf"(?<![{_L}])[وف]?(?:دعا|يدعو|تدعو|دعوه|دعوته|دعت|وجه\s+الدعوه)"
                      rf"(?:\s+\S+){{0,9}}?\s+(?:الي|ل)?\s*$")
_RECEIVED = re.compile(rf"(?<![{_L}])[وف]?(?:تلقي|يتلقي|تلقت|تسلم|يتسلم|تسلمت|استلم)(?![{_L}])")
# "جاء ذلك في برقية / خلال اتصال ...": the engagement of the previous sentence's subject.
_ANAPHOR = re.compile(rf"^\s*(?:و)?(?:جاء|جاءت|ياتي|تاتي)\s+(?:ذلك|هذا|ذلك\s+كله)(?![{_L}])")
# "لقاء/حوار خص به الصحيفة": an interview with the press, not an engagement.
_PRESS = re.compile(
    rf"^\s*(?:\S+\s+){{0,4}}?(?:خص\s+به|خصت\s+به|مع\s+(?:صحيفه|جريده|قناه|وكاله|مجله|تلفزيون|"
    rf"برنامج)|صحفي|تلفزيوني|متلفز|اعلامي)(?![{_L}])"
)
# The president only greeted or represented: not a party to the engagement.
_GREETED = re.compile(
    rf"(?<![{_L}])(?:تحيات|تحياته|تحيه|نيابه\s+عن|ممثلا\s+(?:عن|ل)|مبعوث|موفد|مندوب)"
    rf"(?:\s+\S+){{0,3}}\s*$"
)
# A comma followed by one of these words starts a new statement (a new clause).
_CLAUSE_OPENERS = (
    "فيما بينما كما وكان وكانت وقد وفي ومن واضاف واضافت وقال وقالت واكد واكدت واوضح "
    "واشار واعرب وذكر وتابع واعتبر مشيرا مؤكدا موضحا مضيفا لافتا"
).split() + [r"في\s+حين"]
_CLAUSE_BREAK = re.compile(
    r"[،,]\s*(?=(?:" + "|".join(sorted(_CLAUSE_OPENERS, key=len, reverse=True))
    + rf")(?![{_L}]))|[:\n]"
)
_QUOTE = re.compile(r"«[^»]*»|\"[^\"\n]*\"|“[^”]*”")
_SIDELINES = re.compile(rf"(?<![{_L}])(?:علي\s+هامش|هامش)(?![{_L}])")
_MULTILATERAL = re.compile(
    rf"(?<![{_L}])(?:قمه|مؤتمر|منتدي|اجتماعات)\s+(?:\S+\s+){{0,3}}?"
    rf"(?:العربيه|الافريقيه|الاسلاميه|العشرين|السبع|الامم|الجمعيه|الدوليه|العالميه|"
    rf"الخليجيه|المناخ|الاوروبيه|شرم|دافوس)"
)
_HISTORY = re.compile(
    rf"(?<![{_L}])(?:وسبق|سبق\s+ان|سابقا|في\s+وقت\s+سابق|العام\s+الماضي|الاعوام\s+الماضيه|"
    rf"السنوات\s+الماضيه|عده\s+مرات|منذ\s+عام)(?![{_L}])"
)
_FUTURE = re.compile(
    rf"(?<![{_L}])(?:سيلتقي|سيستقبل|سيجري|سيزور|سيبحث|يعتزم|تعتزم|من\s+المقرر|من\s+المنتظر|"
    rf"من\s+المتوقع|المرتقب|المرتقبه|المقرر)(?![{_L}])"
)


def _bases(token: str) -> set[str]:
    """Return the token and its forms without proclitics (و ف، ب ل ك، ال)."""
    out = {token}
    for t in list(out):
        if t[:1] in "وف" and len(t) > 3:
            out.add(t[1:])
    for t in list(out):
        if t[:1] in "بلك" and len(t) > 3:
            out.add(t[1:])
    for t in list(out):
        if t.startswith("ال") and len(t) > 4:
            out.add(t[2:])
    return out


def clauses(norm: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut sentences into clauses at commas that open a new statement, and at colons.

    Parameters
    ----------
    norm : str
        Normalised text.
    sentences : list of (int, int)
        Sentence spans of ``norm``.

    Returns
    -------
    list of (int, int)
        Clause spans, in text order.
    """
    out = []
    for a, b in sentences:
        start = a
        for m in _CLAUSE_BREAK.finditer(norm, a, b):
            if norm[start:m.start()].strip():
                out.append((start, m.start()))
            start = m.end()
        if norm[start:b].strip():
            out.append((start, b))
    return out


@dataclass(frozen=True)
class ReportedEngagement:
    """An engagement of the president with a foreign official, found in one clause.

    Attributes
    ----------
    candidates : tuple of str
        Person id(s) of the official (several for a title spanning office-holders).
    kind : str
        One of :data:`ENGAGEMENT_TYPES` but ``"none"``.
    clause : tuple of (int, int)
        The clause (span of the normalised text) that reports it.
    cue : str
        The cue word, as normalised.
    where : {"headline", "lead", "body"}
        Where the clause is.
    planned : bool
        Announced, not yet held ("سيلتقي", "من المقرر").
    others : tuple of tuple of str
        Other foreign officials who are parties to the same clause.
    """

    candidates: tuple[str, ...]
    kind: str
    clause: tuple[int, int]
    cue: str
    where: str
    planned: bool = False
    others: tuple[tuple[str, ...], ...] = field(default=())


@dataclass(frozen=True)
class MinisterEngagement:
    """A clause where an Egyptian official other than the president engages a foreign one."""

    official: str
    foreign: tuple[str, ...]
    clause: tuple[int, int]


def _cue_tokens(text: str, offset: int, quotes: list[tuple[int, int]]):
    """Yield (position, kind, cue) of the engagement cues of ``text`` outside quotes."""
    for m in _TOKEN.finditer(text):
        pos = offset + m.start()
        if any(a <= pos < b for a, b in quotes):
            continue
        for base in _bases(m.group(0)):
            for kind, words in CUES.items():
                if base in words:
                    yield pos, kind, base, m.end() + offset
                    break
            else:
                continue
            break


def _is_president(m: Mention, gaz: Gazetteer) -> bool:
    return any(gaz.persons[c].country == gaz.home_country
               and any(t.role == "head_of_state" for t in gaz.persons[c].tenures)
               for c in m.candidates)


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len,
                                                                         reverse=True))


_VISIT = (r"(?:زياره|زيارته|زيارتي|زيارات|زار|يزور|سيزور|وصل|يصل|سيصل|وصوله|توجه|يتوجه|"
          r"قدم|قدوم|مغادرته|غادر|يغادر|جولته|جوله)")


def _place(norm: str, clause: tuple[int, int], sentence: tuple[int, int], gaz: Gazetteer,
           foreign_country: str, president_start: int, foreign_start: int, cue: str,
           cue_pos: int) -> str:
    """``hosted``, ``visit_abroad`` or ``meeting``: who travelled, or where it took place.

    In order: a visit or an arrival towards a place (``زيارة ... إلى القاهرة``, ``وصل
    ... إلى الرياض``) in the clause, then in its sentence; a home location (``في
    القاهرة``) in the sentence; a visit or an arrival in the article; the host named
    as the subject of ``استقبل``.
    """
    home = gaz.countries[gaz.home_country]
    abroad = gaz.countries.get(foreign_country)
    places = {"hosted": home.names + home.places,
              "visit_abroad": (abroad.names + abroad.places) if abroad else ()}

    def travel(where: tuple[int, int]) -> str | None:
        text = norm[where[0]:where[1]]
        for kind, words in places.items():
            if not words:
                continue
            rx = (rf"(?<![{_L}])[وفبل]?{_VISIT}(?![{_L}])(?:\s+\S+){{0,10}}?\s+"
                  rf"(?:الي\s+|ل|لل)(?:ال)?(?:{_alternation(words)})(?![{_L}])")
            if re.search(rx, text):
                return kind
        return None

    def located(where: tuple[int, int]) -> str | None:
        # "في القاهرة" places a meeting; "الوضع في اليمن" is a subject, so only home
        # places count here (going abroad needs a visit or an arrival)
        text = norm[where[0]:where[1]]
        home_rx = rf"(?<![{_L}])(?:في\s+|ب)(?:ال)?(?:{_alternation(places['hosted'])})(?![{_L}])"
        return "hosted" if re.search(home_rx, text) else None

    kind = travel(clause) or travel(sentence) or located(sentence) or travel((0, len(norm)))
    if kind:
        return kind
    if cue in ("استقبل", "يستقبل", "استقبال", "استقبله", "تستقبل", "استقبلت"):
        return "hosted" if president_start < cue_pos < foreign_start or \
            cue_pos < president_start < foreign_start else "visit_abroad"
    return "meeting"


def _addressed(norm: str, cue, mentions: list[Mention]) -> bool:
    """Whether a message cue has its sender or addressee named next to it (not a metaphor).

    "برقية تهنئة لفخامة الرئيس", "رسالة من الملك": a person within 60 characters after
    the cue, or before it after a verb of receiving ("تلقى الرئيس ... برقية"); "بعث رسالة
    قوية للجميع" and "أوصلا رسالة للمتآمرين" have none.
    """
    start, _, _, end = cue
    if any(end <= m.start <= end + 60 for m in mentions):
        return True
    return bool(_RECEIVED.search(norm[max(0, start - 60):start])) and any(
        start - 60 <= m.end <= start for m in mentions)


def find_engagements(
    norm: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    sentences: list[tuple[int, int]],
    *,
    title_end: int = 0,
    lead: tuple[int, int] | None = None,
    reference: date | None = None,
    dated: list[tuple[int, date]] = (),
) -> tuple[list[ReportedEngagement], list[MinisterEngagement]]:
    """Find the president's engagements with foreign officials, clause by clause.

    Parameters
    ----------
    norm : str
        Normalised text (headline, newline, body).
    mentions : list of Mention
        From :func:`research.annotate.extract_mentions`.
    gaz : Gazetteer
    sentences : list of (int, int)
        Sentence spans of ``norm`` (the headline is its own sentence).
    title_end : int, default=0
        End of the headline in ``norm``.
    lead : (int, int), optional
        The lead sentence.
    reference : datetime.date, optional
        Publication date: a clause dated more than 14 days before it is history.
    dated : list of (int, datetime.date)
        Positions and days of the explicit dates of the text.

    Returns
    -------
    engagements : list of ReportedEngagement
        In text order.
    ministers : list of MinisterEngagement
        Egyptian officials other than the president engaging foreign officials.
    """
    quotes = [m.span() for m in _QUOTE.finditer(norm)]
    out: list[ReportedEngagement] = []
    ministers: list[MinisterEngagement] = []
    previous_foreign: list[Mention] = []
    sentence_of = {c: next(((a, b) for a, b in sentences if a <= c[0] < b), c)
                   for c in clauses(norm, sentences)}
    for clause, sentence in sentence_of.items():
        a, b = clause
        inside = [m for m in mentions if a <= m.start < b]
        president = [m for m in inside if _is_president(m, gaz)
                     and not _GREETED.search(norm[max(a, m.start - 60):m.start])]
        foreign = [m for m in inside
                   if not any(gaz.persons[c].country == gaz.home_country for c in m.candidates)
                   and not m.former and not _REFERENCE.search(norm[max(a, m.start - 60):m.start])]
        anaphoric = not foreign and bool(_ANAPHOR.match(norm[a:b]))
        if anaphoric:
            foreign = previous_foreign
        if clause[0] == sentence[0] or not anaphoric:
            previous_foreign = foreign or previous_foreign
        if not foreign:
            continue
        cues = [c for c in _cue_tokens(norm[a:b], a, quotes)
                if not _PRESS.match(norm[c[3]:c[3] + 60])
                and not _INVITED.search(norm[max(a, c[0] - 100):c[0]])
                and (c[1] != "message" or _addressed(norm, c, inside))]
        if not cues:
            continue
        if not president:
            officials = [m for m in inside if m.person_id and not _is_president(m, gaz)
                         and gaz.persons[m.person_id].country == gaz.home_country]
            if officials:
                ministers.append(MinisterEngagement(officials[0].person_id,
                                                    foreign[0].candidates, clause))
            continue
        # the sentence's opening words (a dateline, a timeline's date) belong to the clause
        context = (sentence[0], b) if a - sentence[0] < 60 else clause
        text = norm[a:b]
        if _HISTORY.search(norm[context[0]:context[1]]):
            continue
        if reference is not None and any(
                context[0] <= pos < context[1] and day < reference - timedelta(days=14)
                for pos, day in dated):
            continue
        kinds = {k for _, k, _, _ in cues}
        strong = [c for c in cues if c[2] not in _WEAK]
        met = any(k == "meeting" for _, k, _, _ in strong)
        if not strong:
            # a visit, a presence or a summit joins the two only when they stand close
            near = anaphoric or any(abs(c[0] - p.start) < 80 and abs(c[0] - f.start) < 80
                                    for c in cues for p in president for f in foreign)
            if not near:
                continue
        cue_pos, _, cue, _ = (strong or cues)[0]
        first_p = min(p.start for p in president)
        # the first official named is the party (the sender of a joint cable, the guest
        # received before his delegation); the others are listed
        ordered = sorted(foreign, key=lambda m: m.start)
        seen: list[tuple[str, ...]] = []
        for m in ordered:
            if m.candidates not in seen:
                seen.append(m.candidates)
        if "call" in kinds:
            kind = "call"
        elif "message" in kinds and not met:
            kind = "message"
        elif _SIDELINES.search(text) and _MULTILATERAL.search(text):
            kind = "summit"
        elif _MULTILATERAL.search(text) and cue == "قمه":
            kind = "summit"
        else:
            party = min((m for m in foreign if m.candidates == seen[0]),
                        key=lambda m: abs(m.start - cue_pos))
            kind = _place(norm, clause, sentence, gaz, gaz.persons[seen[0][0]].country,
                          first_p, party.start, cue, cue_pos)
        where = "headline" if a < title_end else ("lead" if lead and lead[0] <= a < lead[1]
                                                  else "body")
        out.append(ReportedEngagement(seen[0], kind, clause, cue, where,
                                      bool(_FUTURE.search(text)), tuple(seen[1:])))
    return out, ministers
