"""Role titles in normalised Arabic text ("وزير الخارجية الأمريكي", "نظيره الفرنسي").

:func:`find_titles` finds generic titles (a role phrase and a country adjective),
country-specific titles from the gazetteer ("خادم الحرمين الشريفين") and
``نظيره`` + adjective ("his counterpart"), as :class:`TitleMention` spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from research.text import ARABIC_LETTER, WORD_END, WORD_START, alias_regex, core_key, spelling_keys

from ._gazetteer import Gazetteer, NameMention

__all__ = ["TitleMention", "find_titles"]

_L = ARABIC_LETTER
_BEFORE = WORD_START
_AFTER = WORD_END
_FORMER = r"(?P<former>\s+(?:السابق|السابقه|الاسبق|الراحل))?"
_COUNTERPART_WORDS = "نظيره|نظيرها|نظيرته|نظيرتها|نظرائه|نظيريه"


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
