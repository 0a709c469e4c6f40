"""Who is mentioned: names, titles paired with names, titles resolved to holders.

:func:`scan_text` finds names and titles and pairs a title with the name next to it
("وزير الدفاع الأميركي جيمس ماتيس"); :func:`extract_mentions` resolves the remaining
titles to the office holder(s) within a date window (several holders give an
ambiguous mention). :func:`sentence_spans` and :func:`has_meeting_cue` give the
sentences and the meeting or call cues (استقبل، التقى، بحث مع، اتصال هاتفي ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from research.text import ARABIC_LETTER, WORD_END, WORD_START

from ._gazetteer import Gazetteer, NameMention
from ._titles import TitleMention, find_titles

__all__ = [
    "Mention",
    "Scan",
    "scan_text",
    "extract_mentions",
    "resolve_title",
    "format_mentions",
    "sentence_spans",
    "has_meeting_cue",
]

_L = ARABIC_LETTER
_HONORIFICS = frozenset(
    (
        "السيناتور السفير الدكتور الاميرال معالي الشيخ الامير العقيد الجنرال المشير فخامه "
        "الاميره السيده السيد اول السفيره المستشار الرئيس د الملك سمو اللواء الفريق دوله "
        "السلطان"
    ).split()
)
_GREETING = re.compile(
    rf"(?<![{ARABIC_LETTER}])(?:تحيات|تحياته|تحياتها|تحيه|رساله|نيابه\s+عن|مبعوث|المبعوث)"
    rf"(?![{ARABIC_LETTER}])"
)
_SENTENCE_END = re.compile(r"[.!?؟؛\n]+")
# Between a title and the name it introduces: punctuation and up to three honorifics.
_HONORIFIC_GAP = re.compile(
    r"^[\s،,:\"«»'()\-–]*(?:(?:"
    + "|".join(sorted(_HONORIFICS, key=len, reverse=True))
    + r")[\s،,\"«»'()]+){0,3}$"
)
# Between a name and a title in apposition after it: a comma at most.
_APPOSITION_GAP = re.compile(r"^[\s،,\-–]{0,4}$")
_MEETING_EXACT = frozenset(
    (
        "الزياره تلقي لقاءه يلتقي يزور زيارته يتلقي اتصالا هاتفيا اتصال يبحث لقاء قمه بحث "
        "الاجتماع زياره اللقاء زار ويلتقي لاستقبال تبحث اجتماعا اجتماع لقائه اللقاءات "
        "تلقت بحثا اتصل استقبال باستقبال التقي يبحثان الاتصال القمه لقاءات"
    ).split()
)
_MEETING_STEMS = tuple(
    (
        "استقبل يستقبل التقي التقت يلتقي اجتمع يجتمع تجتمع مباحث محادث تباحث يتباحث هاتف "
        "استعرض يستعرض اتصالات"
    ).split()
)


@dataclass(frozen=True)
class Mention:
    """A resolved mention: one person, or several candidates for an ambiguous title.

    ``titled`` marks a name given with a title or role phrase ("the official named in
    their role"); only such mentions bound the date window.
    """

    start: int
    end: int
    candidates: tuple[str, ...]
    role: str | None = None
    via: str = "name"  # "name" | "title"
    former: bool = False
    weight: float = 1.0
    title: str = ""
    titled: bool = False

    @property
    def person_id(self) -> str | None:
        """The person, when the mention is not ambiguous."""
        return self.candidates[0] if len(self.candidates) == 1 else None


def sentence_spans(norm: str) -> list[tuple[int, int]]:
    """Split normalised text into sentence spans at ``. ! ? ؟ ؛`` and newlines."""
    spans, pos = [], 0
    for m in _SENTENCE_END.finditer(norm):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(norm):
        spans.append((pos, len(norm)))
    return spans


def _bases(tok: str) -> set[str]:
    """Return the token and its forms without proclitics (و ف، ب ل ك، ال)."""
    out = {tok}
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


def has_meeting_cue(sentence: str) -> bool:
    """Return True when a normalised sentence contains a meeting or call cue."""
    for tok in re.findall(f"[{_L}]+", sentence):
        for t in _bases(tok):
            if t in _MEETING_EXACT or any(t.startswith(s) for s in _MEETING_STEMS):
                return True
    return False


@dataclass(frozen=True)
class Scan:
    """Date-independent findings in a text: names, titles and their pairing."""

    names: tuple[NameMention, ...]
    titles: tuple[TitleMention, ...]
    attached: dict  # name index -> title index
    bare_roles: dict  # name index -> role of a bare role phrase ("الرئيس ماكرون")
    sentences: tuple[tuple[int, int], ...]


@lru_cache(maxsize=8)
def _bare_role_pattern(gaz: Gazetteer):
    phrases = {p: r for r, ps in gaz.role_phrases.items() for p in ps}
    alt = "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True)
    )
    hon = "|".join(sorted(_HONORIFICS, key=len, reverse=True))
    rx = re.compile(
        f"{WORD_START}[وف]?[بلك]?(?P<phrase>{alt})[\\s،,:\"«»'()]*(?:(?:{hon})[\\s،,\"«»'()]+){{0,3}}$"
    )
    return rx, phrases


def scan_text(norm: str, gaz: Gazetteer) -> Scan:
    """Find names and titles and pair titles with adjacent names of the same country.

    A title before a name may be separated from it by honorifics ("وزير الدفاع
    المصري، الفريق أول صدقي صبحي"); a title after a name only by a comma
    ("دانيال كوتس، رئيس جهاز الاستخبارات الوطنية الأمريكي"). A bare role phrase
    right before a name ("الرئيس إيمانويل ماكرون") gives the role when the person
    holds it.
    """
    names = gaz.find_names(norm)
    titles = find_titles(norm, gaz, names)
    attached: dict[int, int] = {}
    used: set[int] = set()
    hon, after = _HONORIFIC_GAP, _APPOSITION_GAP
    for before_name in (True, False):
        for ti, t in enumerate(titles):
            if ti in used:
                continue
            for ni, n in enumerate(names):
                if ni in attached or gaz.persons[n.person_id].country != t.country:
                    continue
                ok = (
                    (
                        n.start >= t.end
                        and n.start - t.end <= 40
                        and hon.match(norm[t.end : n.start])
                    )
                    if before_name
                    else (n.end <= t.start and after.match(norm[n.end : t.start]))
                )
                if ok:
                    attached[ni] = ti
                    used.add(ti)
                    break
    rx, phrases = _bare_role_pattern(gaz)
    bare = {}
    for ni, n in enumerate(names):
        if ni in attached:
            continue
        m = rx.search(norm[max(0, n.start - 60) : n.start])
        if m:
            role = phrases[" ".join(m.group("phrase").split())]
            if any(t.role == role for t in gaz.persons[n.person_id].tenures):
                bare[ni] = role
    return Scan(tuple(names), tuple(titles), attached, bare, tuple(sentence_spans(norm)))


def resolve_title(
    t: TitleMention, gaz: Gazetteer, start: date, end: date, role: str | None = None
) -> tuple[str, ...]:
    """Return the ids of the holders of a title within ``[start, end]``.

    Office keywords inside the title ("الوطنية" for the US DNI) narrow the holders;
    without them, holders flagged ``default`` are preferred when several offices
    share the role. Several remaining holders mean the window spans a change of
    office-holder.
    """
    role = t.role or role
    if role is None:
        return ()
    pairs = gaz.holders(t.country, role, start, end, office=t.office or None)
    keyed = [
        (p, ten)
        for p, ten in pairs
        if ten.office_keywords and any(k in t.text for k in ten.office_keywords)
    ]
    if keyed:
        pairs = keyed
    elif len({ten.office for _, ten in pairs}) > 1 and any(ten.default for _, ten in pairs):
        pairs = [(p, ten) for p, ten in pairs if ten.default]
    return tuple(dict.fromkeys(p.id for p, _ in pairs))


def _context_weight(norm: str, start: int) -> float:
    """0.3 for an official only greeted or represented ("نقل تحيات X", "نيابة عن X")."""
    before = norm[max(0, start - 100) : start]
    cut = max(before.rfind(c) for c in ".!?؟؛\n")
    before = before[cut + 1 :]
    cues = list(_GREETING.finditer(before))
    if not cues or has_meeting_cue(before[cues[-1].end() :]):
        return 1.0
    return 0.3


def extract_mentions(
    norm: str,
    gaz: Gazetteer,
    start: date | None = None,
    end: date | None = None,
    *,
    scan: Scan | None = None,
) -> tuple[list[Mention], list[TitleMention]]:
    """Find names and titles, attach titles to names and resolve the rest.

    Parameters
    ----------
    norm : str
        Normalised text.
    gaz : Gazetteer
        The gazetteer.
    start, end : datetime.date, optional
        Date window used to resolve titles without a name; the study period when
        omitted.
    scan : Scan, optional
        Result of :func:`scan_text` for ``norm``, to avoid scanning again.

    Returns
    -------
    mentions : list of Mention
        Name mentions (``titled`` when named in their role, with that role) and
        resolved titles, in text order. A title with several holders in the window
        goes to the holder the article names elsewhere, if any.
    titles : list of TitleMention
        All titles found (attached or not), for evidence.
    """
    start = start or gaz.period[0]
    end = end or gaz.period[1]
    scan = scan or scan_text(norm, gaz)
    mentions: list[Mention] = []
    for ni, n in enumerate(scan.names):
        t = scan.titles[scan.attached[ni]] if ni in scan.attached else None
        mentions.append(
            Mention(
                n.start,
                n.end,
                (n.person_id,),
                role=t.role if t else scan.bare_roles.get(ni),
                via="name",
                former=bool(t and t.former) or _former_after(norm, n.end),
                weight=_context_weight(norm, min(n.start, t.start) if t else n.start),
                title=t.text if t else "",
                titled=t is not None or ni in scan.bare_roles,
            )
        )
    used = set(scan.attached.values())
    named_ids = {n.person_id for n in scan.names}
    for ti, t in enumerate(scan.titles):
        if ti in used or t.former:
            continue
        role = t.role or _subject_role(t, mentions, gaz, scan.sentences, start, end)
        ids = resolve_title(t, gaz, start, end, role)
        if len(ids) > 1 and (named := [i for i in ids if i in named_ids]):
            ids = tuple(named)  # the holder the article names elsewhere
        if ids:
            mentions.append(
                Mention(
                    t.start,
                    t.end,
                    ids,
                    role=role,
                    via="title",
                    weight=_context_weight(norm, t.start),
                    title=t.text,
                )
            )
    mentions.sort(key=lambda m: m.start)
    return mentions, list(scan.titles)


def _former_after(norm: str, end: int) -> bool:
    return bool(
        re.match(r"\s*[،,]?\s*(?:السابق|السابقه|الاسبق|الراحل)" + WORD_END, norm[end : end + 14])
    )


def _subject_role(t, mentions, gaz, sentences, start, end) -> str:
    """Role of the Egyptian official that "نظيره" refers to (default: head of state)."""
    s0 = next((a for a, b in sentences if a <= t.start < b), 0)
    for m in sorted(mentions, key=lambda m: -m.start):
        if m.start >= t.start or m.start < s0 or m.person_id is None:
            continue
        p = gaz.persons[m.person_id]
        if p.country != gaz.home_country:
            continue
        if m.role:
            return m.role
        roles = [
            ten.role
            for ten in p.tenures
            if gaz.interval(ten)[0] <= end and start <= gaz.interval(ten)[1]
        ]
        return "head_of_state" if "head_of_state" in roles or not roles else roles[0]
    return "head_of_state"


def format_mentions(mentions: list[Mention], gaz: Gazetteer) -> str:
    """Return ``"Jim Mattis:5; Sedki Sobhy:2"``: resolved persons by count, then name."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.person_id:
            counts[m.person_id] = counts.get(m.person_id, 0) + 1
    rows = sorted(
        ((gaz.persons[p].name, c) for p, c in counts.items()), key=lambda x: (-x[1], x[0])
    )
    return "; ".join(f"{name}:{c}" for name, c in rows)
