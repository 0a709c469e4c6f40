"""Who is mentioned, and who is the foreign counterpart of Egypt's president.

Works on Arabic-normalised text (:class:`research.gazetteer.NormalizedText`):

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
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from research.gazetteer import (
    ARABIC_LETTER,
    Gazetteer,
    NameMention,
    alias_regex,
    core_key,
    spelling_keys,
)

__all__ = [
    "TitleMention",
    "Mention",
    "Scan",
    "scan_text",
    "Counterpart",
    "find_titles",
    "extract_mentions",
    "resolve_title",
    "format_mentions",
    "choose_counterpart",
    "sentence_spans",
    "has_meeting_cue",
    "role_in_window",
]

_L = ARABIC_LETTER
_BEFORE = f"(?<![{_L}A-Za-z0-9])"
_AFTER = f"(?![{_L}A-Za-z0-9])"
_FORMER = r"(?P<former>\s+(?:السابق|السابقه|الاسبق|الراحل))?"
_COUNTERPART_WORDS = "نظيره|نظيرها|نظيرته|نظيرتها|نظرائه|نظيريه"
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
class TitleMention:
    """A role title in normalised text.

    ``role`` is None for ``نظيره`` + adjective ("his counterpart"), whose role is
    that of the Egyptian official it refers to.
    """

    start: int
    end: int
    country: str
    role: str | None
    office: str
    text: str
    kind: str  # "generic" | "special" | "counterpart"
    former: bool = False


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


# ---------------------------------------------------------------------------- titles
@lru_cache(maxsize=8)
def _title_patterns(gaz: Gazetteer):
    adj: dict[str, str] = {}
    for c in gaz.countries.values():
        for a in c.adjectives + c.names:
            adj.setdefault(a, c.code)
    adj_alt = "|".join(
        re.escape(a).replace(r"\ ", r"\s+") for a in sorted(adj, key=len, reverse=True)
    )
    phrase_role: dict[str, str] = {}
    for role, phrases in gaz.role_phrases.items():
        for p in phrases:
            phrase_role.setdefault(p, role)

    def alt(items):
        return "|".join(
            re.escape(p).replace(r"\ ", r"\s+") for p in sorted(items, key=len, reverse=True)
        )

    multi = [p for p in phrase_role if " " in p]
    single = [p for p in phrase_role if " " not in p]
    word = f"[{_L}]+"
    pat_multi = re.compile(
        f"{_BEFORE}[وف]?[بلك]?(?P<phrase>{alt(multi)})(?P<gap>(?:\\s+{word}){{0,2}}?)"
        f"\\s+(?P<adj>{adj_alt}){_AFTER}{_FORMER}"
    )
    pat_single = re.compile(
        f"{_BEFORE}[وف]?[بلك]?(?P<phrase>{alt(single)})\\s+(?P<adj>{adj_alt}){_AFTER}{_FORMER}"
    )
    pat_counter = re.compile(
        f"{_BEFORE}[وف]?[بلك]?(?P<phrase>{_COUNTERPART_WORDS})\\s+(?P<adj>{adj_alt}){_AFTER}{_FORMER}"
    )
    special_map = {}
    for rule in gaz.titles:
        for p in rule.patterns:
            for k in spelling_keys(p):
                special_map[k] = rule
    special = alias_regex([p for r in gaz.titles for p in r.patterns])
    return pat_multi, pat_single, pat_counter, special, special_map, phrase_role, adj


def find_titles(norm: str, gaz: Gazetteer, names: list[NameMention] = ()) -> list[TitleMention]:
    """Find role titles in normalised text.

    Parameters
    ----------
    norm : str
        Normalised text.
    gaz : Gazetteer
        Gazetteer providing role phrases, countries and special titles.
    names : list of NameMention, optional
        Name spans; a title may not contain a name in its middle.

    Returns
    -------
    list of TitleMention
        Non-overlapping, in text order; longer titles win.
    """
    pat_multi, pat_single, pat_counter, special, special_map, phrase_role, adj = _title_patterns(
        gaz
    )
    found: list[TitleMention] = []

    def key(text: str) -> str:
        return " ".join(text.split())

    for pat, kind in (
        (pat_multi, "generic"),
        (pat_single, "generic"),
        (pat_counter, "counterpart"),
    ):
        for m in pat.finditer(norm):
            gap = (m.group("gap") or "") if "gap" in m.groupdict() else ""
            g0, g1 = m.span("phrase")[1], m.start("adj")
            if gap and any(n.start < g1 and g0 < n.end for n in names):
                continue
            role = phrase_role.get(key(m.group("phrase"))) if kind == "generic" else None
            found.append(
                TitleMention(
                    m.start("phrase"),
                    m.end(),
                    adj[key(m.group("adj"))],
                    role,
                    "",
                    norm[m.start("phrase") : m.end("adj")],
                    kind,
                    bool(m.group("former")),
                )
            )
    for m in special.finditer(norm):
        rule = special_map.get(core_key(m.group("core")))
        if rule is None:
            continue
        found.append(
            TitleMention(
                m.start("core"),
                m.end("core"),
                rule.country,
                rule.role,
                rule.office,
                m.group("core"),
                "special",
            )
        )
    found.sort(key=lambda t: (-(t.end - t.start), t.start))
    kept: list[TitleMention] = []
    for t in found:
        if any(t.start < k.end and k.start < t.end for k in kept):
            continue
        if any(n.start <= t.start < n.end for n in names):  # starts inside a name
            continue
        kept.append(t)
    return sorted(kept, key=lambda t: t.start)


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


# ---------------------------------------------------------------------------- mentions
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
        f"{_BEFORE}[وف]?[بلك]?(?P<phrase>{alt})[\\s،,:\"«»'()]*(?:(?:{hon})[\\s،,\"«»'()]+){{0,3}}$"
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
        re.match(r"\s*[،,]?\s*(?:السابق|السابقه|الاسبق|الراحل)" + _AFTER, norm[end : end + 14])
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


# ---------------------------------------------------------------------------- primary
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
        if active and not any(_in_office(gaz.persons[c], gaz, *active) for c in cands):
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


def _in_office(person, gaz: Gazetteer, start: date, end: date) -> bool:
    return not person.tenures or any(
        gaz.interval(t)[0] <= end and start <= gaz.interval(t)[1] for t in person.tenures
    )


def role_in_window(person, gaz: Gazetteer, start: date, end: date) -> str:
    """Return the most senior role ``person`` holds within ``[start, end]`` ('' if none)."""
    order = [
        "head_of_state",
        "head_of_government",
        "foreign_minister",
        "defense_minister",
        "intelligence_chief",
        "envoy",
        "other",
    ]
    roles = {
        t.role for t in person.tenures if gaz.interval(t)[0] <= end and start <= gaz.interval(t)[1]
    }
    return next((r for r in order if r in roles), "")
