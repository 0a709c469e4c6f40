"""Boilerplate and teasers of other stories, found by their structure.

Many news pages end, after the body, with short blocks of *other* stories (a
headline, optionally a one-sentence lead), with no marker phrase. They put names
and themes of unrelated stories into the article. Two rules remove them; both only
ever remove lines at the edges of the body or lines shaped like headlines, never
prose between prose paragraphs.

Recurring paragraphs (:func:`recurring_paragraphs`)
    Evidence: a line whose normalised text occurs in at least ``min_stories`` (3)
    different stories of the same outlet, counted over every article read
    (:attr:`research.corpus.Corpus.paragraphs`; copies of one story count once). Two
    are not evidence: one story reprinted, or two stories quoting one statement, share
    lines too; from three different stories on, a shared line is furniture (bylines,
    contact lines, syndication credits, closing formulas, teasers).

    Such a line is removed when it is headline-like (anywhere: a byline, a section
    label, a teaser headline), or when it is in the head or the tail of the article:
    the run of lines from the first (or last) line on that all recur or were already
    removed. It stays when it is prose between unique paragraphs (an official
    statement quoted in several stories is content), and when it is prose at the
    head or tail that shares at least three content words, and a quarter of its
    content words, with the article's own lines: a paragraph of the story itself
    printed in several versions (versions that differ elsewhere do not count as copies
    of one story). A paragraph of the same story brings new facts, so a quarter is
    enough; furniture shares one word at most. The lead of a recurring teaser headline
    gets no such benefit. A recurring line carrying a year (a dateline such as "الرياض
    26 شوال 1436 هـ الموافق 11 أغسطس 2015م واس") is kept outside the tail: it recurs
    because several stories were filed that day, and the date annotation reads it.

Teaser blocks (:func:`teaser_blocks`)
    Even when they recur nowhere (an outlet with one article), teasers are found by
    their shape. Reading back from the last line, the tail is cut into *blocks*: a
    teaser headline optionally followed by a lead. A teaser headline is headline-like
    (no sentence-final punctuation), 6 to 20 words, complete (it neither opens with a
    connective or the conjunction و before a function word or verb, nor ends on a
    particle), with at least three content words and no list marker, contact,
    heading colon or verse mark. A lead is one sentence of 6 to 45 words that is not
    headline-like. A block is a teaser of another story when at most ``max_overlap``
    (half) of its content words (normalised, proclitics and stop words removed) occur
    in the title and the body before the run: teasers of other stories share a
    tenth of their words with the article on average (generic words: president,
    cooperation), a block about the article shares more. The run of teaser blocks that
    ends the article is removed only when

    * it has at least ``min_blocks`` (2) blocks, so that a short closing line is never
      removed alone;
    * it follows a prose paragraph of the body that does not introduce it (a line
      ending with a colon or comma introduces a poem, a quotation or a list);
    * its lines do not rhyme (most lines ending like one of the two before them:
      verse, not headlines).

    Recurring lines inside the run (boilerplate between teasers) are passed over, and
    a block whose lines all recur counts as a teaser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from ._arabic import arabic_stop_words, arabic_tokenize, normalize_arabic, strip_proclitics
from ._segment import split_sentences

__all__ = ["MIN_RECURRING_STORIES", "MIN_TEASER_BLOCKS", "MAX_TEASER_OVERLAP",
           "content_words", "recurring_paragraphs", "teaser_blocks"]

#: Different stories of one outlet that a line must occur in to count as boilerplate.
MIN_RECURRING_STORIES = 3
#: Teaser blocks a tail run needs before it is removed.
MIN_TEASER_BLOCKS = 2
#: Largest share of a teaser block's content words that may occur in the article.
MAX_TEASER_OVERLAP = 0.5

_HEADLINE_WORDS = (6, 20)
_LEAD_WORDS = (6, 45)
_MIN_CONTENT_WORDS = 3
# A recurring paragraph of prose sharing this many words and this share of its words
# with the article's own lines is a paragraph of the story (kept).
_OWN_WORDS = 3
_OWN_SHARE = 0.25
# A year (Hijri 13xx-14xx or Gregorian 20xx), on normalised text (ASCII digits).
_YEAR = re.compile(r"(?<!\d)(?:1[34]\d\d|20\d\d)(?!\d)")
# List items, bullets, continuations (".. ويشير"), table rows: not a headline.
_NOT_A_START = re.compile(r"^\s*(?:[^\w«\"“'(]|\d+\s*[-.)\]:/،]|\(\d)")
_CONTACT = re.compile(r"@|https?:|www\.|\.com\b|\bsms\b", re.IGNORECASE)
# A heading or an introduction to what follows (a quotation, a poem, a list).
_INTRODUCES = re.compile(r"[:：،,]\s*[-–]?\s*$")
# Verse separators and ellipses: poetry and quotations, not headlines.
_VERSE = re.compile(r"\.\.|…|\*\*|\s[*•]\s")
# Sentence connectives that cannot open a headline.
_CONNECTIVES = frozenset({"ان", "لان", "كما", "حيث", "بل", "ثم", "لكن", "او", "ام", "اذ", "الا",
                          "لذا", "لذلك", "كذلك", "ايضا", "اما", "فهل", "فان", "فقد", "حتي"})
# Verbs and adverbs that follow the conjunction و at the start of a sentence
# (the stop-word list covers the attribution verbs: قال، أكد، أضاف ...).
_AFTER_WA = frozenset({"كان", "كانت", "كانوا", "ذكر", "ذكرت", "تابع", "تابعت", "اعلن",
                       "اعلنت", "جاء", "جاءت", "شهد", "شهدت", "قديما", "اخيرا", "حاليا",
                       "بحسب", "وفقا", "طبقا", "عليه", "بذلك", "هكذا"})
# Words that cannot end a headline: the line goes on in the next one.
_OPEN_ENDS = frozenset({"في", "من", "الي", "علي", "عن", "ان", "او", "و", "ثم", "لا", "ما",
                        "مع", "بين", "الذي", "التي", "الذين", "قد", "لم", "لن", "كل", "حتي",
                        "اذا", "لكن", "بل", "لان", "كي"})


@lru_cache(maxsize=4096)
def content_words(line: str) -> frozenset[str]:
    """Return the content words of ``line``: normalised, without proclitics or stop words.

    Parameters
    ----------
    line : str
        Raw text.

    Returns
    -------
    frozenset of str
        Arabic words of two letters or more that are not stop words.
    """
    stop = arabic_stop_words()
    words = (strip_proclitics(t) for t in arabic_tokenize(normalize_arabic(line)))
    return frozenset(w for w in words if len(w) > 1 and w not in stop and w.isalpha()
                     and not w.isascii())


def recurring_paragraphs(lines: Sequence[str], normalized: Sequence[str],
                         removed: dict[int, str], n_stories: Sequence[int], *, title: str,
                         outlet: str, headline: Callable[[int], bool],
                         min_stories: int = MIN_RECURRING_STORIES) -> dict[int, str]:
    """Return the recurring lines that are boilerplate, with the reason.

    Parameters
    ----------
    lines : sequence of str
        The article's non-empty lines.
    normalized : sequence of str
        The same lines, normalised (:func:`research.text.normalize_arabic`).
    removed : dict of int to str
        Lines already removed by other rules (they extend the head and tail runs).
    n_stories : sequence of int
        For each line, in how many stories of the outlet it occurs (0 when unknown).
    title : str
        The article's headline (part of what a recurring paragraph is compared with).
    outlet : str
        The outlet, named in the reason.
    headline : callable
        ``headline(i)`` tells whether line ``i`` is headline-like.
    min_stories : int, default=3
        See the module docstring.

    Returns
    -------
    dict of int to str
        Line index -> ``'recurring paragraph (N stories of OUTLET)'``.
    """
    recurring = [n >= min_stories for n in n_stories]
    dated = [bool(_YEAR.search(line)) for line in normalized]
    n = len(lines)

    def edge(order: range, allow_dated: bool) -> list[int]:
        run = []
        for i in order:
            if i in removed:
                continue
            if not recurring[i] or (dated[i] and not allow_dated):
                break
            run.append(i)
        return run

    edges = edge(range(n), False) + edge(range(n - 1, -1, -1), True)
    # Prose at the edges that is not the lead of a recurring headline may be a
    # paragraph of the story itself that the outlet printed in several versions (an
    # official's statement): it stays when it shares enough words with the article.
    prose = [i for i in edges
             if not headline(i) and not (i > 0 and recurring[i - 1] and headline(i - 1))]
    own: set[int] = set()
    if prose:
        reference = content_words(title).union(*(
            content_words(lines[i]) for i in range(n) if i not in removed and not recurring[i]))
        own = {i for i in prose if _of_the_story(content_words(lines[i]), reference)}
    chosen = set(edges) - own
    chosen |= {i for i in range(n) if recurring[i] and not dated[i] and i not in removed
               and headline(i)}
    where = outlet or "the corpus"
    return {i: f"recurring paragraph ({n_stories[i]} stories of {where})"
            for i in sorted(chosen)}


def _continues(words: list[str]) -> bool:
    """Whether normalised ``words`` go on from a line before or into the next line.

    A headline starts a text: it does not open with a connective ("أن", "كما",
    "لكن") or the conjunction و before a function word, the article, a verb or an
    adverb ("ومن", "والرئيس", "ويضاف", "وكانت", "وقديما"; not "وزير", "وفد",
    "ولي العهد"), and it does not end on a particle ("في", "الذي").
    """
    first, rest = words[0], words[0][1:]
    stop = arabic_stop_words()
    conjunction = first.startswith("و") and len(first) > 2 and first != "ولي" and (
        first in stop or rest in stop or rest in _AFTER_WA or rest.startswith("ال")
        or (rest[0] in "يتن" and len(first) >= 5))
    return conjunction or first in _CONNECTIVES or words[-1] in _OPEN_ENDS


def _teaser_headline(line: str, max_words: int) -> bool:
    """Tell whether ``line`` can head a teaser: 6-20 words, complete, not a list or verse."""
    words = arabic_tokenize(normalize_arabic(line))
    return (_HEADLINE_WORDS[0] <= len(line.split()) <= min(_HEADLINE_WORDS[1], max_words)
            and bool(words) and not _continues(words)
            and not _NOT_A_START.match(line) and not _CONTACT.search(line)
            and not _INTRODUCES.search(line) and not _VERSE.search(line)
            and len(content_words(line)) >= _MIN_CONTENT_WORDS)


def _rhymes(lines: list[str]) -> bool:
    """Whether most lines rhyme with one of the two lines before them (verse).

    Two lines rhyme when their last words differ but end in the same two letters;
    the same last word ("... غزة", "... غزة") is a repeated subject, not a rhyme.
    """
    ends = []
    for line in lines:
        words = [w for w in arabic_tokenize(normalize_arabic(line)) if not w.isascii()]
        ends.append(words[-1] if words else "")
    matches = sum(1 for i in range(1, len(ends))
                  if any(ends[i] and e and e != ends[i] and e[-2:] == ends[i][-2:]
                         for e in ends[max(0, i - 2):i]))
    return len(ends) > 1 and 2 * matches >= len(ends) - 1


def _teaser_lead(line: str) -> bool:
    return (_LEAD_WORDS[0] <= len(line.split()) <= _LEAD_WORDS[1]
            and not _NOT_A_START.match(line) and not _CONTACT.search(line)
            and len(split_sentences(line)) == 1)


def teaser_blocks(lines: Sequence[str], removed: dict[int, str], recurring: Sequence[bool], *,
                  title: str, headline: Callable[[int], bool], max_headline_words: int = 20,
                  min_blocks: int = MIN_TEASER_BLOCKS,
                  max_overlap: float = MAX_TEASER_OVERLAP) -> dict[int, str]:
    """Return the lines of the run of teaser blocks that ends the article.

    Parameters
    ----------
    lines : sequence of str
        The article's non-empty lines.
    removed : dict of int to str
        Lines already removed by other rules (passed over).
    recurring : sequence of bool
        For each line, whether it recurs in other stories of the outlet (passed over
        inside the tail; a block of recurring lines counts as a teaser).
    title : str
        The article's headline (part of what a teaser is compared with).
    headline : callable
        ``headline(i)`` tells whether line ``i`` is headline-like (not prose).
    max_headline_words : int, default=20
        Longest teaser headline, in words.
    min_blocks : int, default=2
        Fewest teaser blocks that make a run.
    max_overlap : float, default=0.5
        Largest share of a block's content words found in the article.

    Returns
    -------
    dict of int to str
        Line index -> ``'teaser block'`` for the non-recurring lines of the run
        (recurring lines are left to :func:`recurring_paragraphs`); empty when there
        is no run of at least ``min_blocks`` teaser blocks.
    """
    kept = [i for i in range(len(lines)) if i not in removed]
    blocks: list[list[int]] = []  # from the last one back
    j = len(kept) - 1
    while j >= 0:
        i = kept[j]
        if (j >= 1 and not headline(i) and _teaser_lead(lines[i]) and headline(kept[j - 1])
                and _teaser_headline(lines[kept[j - 1]], max_headline_words)):
            blocks.append([kept[j - 1], i])
            j -= 2
        elif headline(i) and _teaser_headline(lines[i], max_headline_words):
            blocks.append([i])
            j -= 1
        elif recurring[i]:
            j -= 1
        else:
            break
    boundary = j + 1  # kept[:boundary] is the body the blocks are compared with
    while blocks:
        body = [k for k in kept[:boundary] if not recurring[k]]
        if not body or headline(body[-1]) or _INTRODUCES.search(lines[body[-1]]):
            return {}  # the run does not follow prose, or the body introduces it (a poem)
        if _rhymes([lines[i] for i in sorted(i for block in blocks for i in block)]):
            return {}  # verse, not headlines
        reference = content_words(title).union(*(content_words(lines[k]) for k in body))
        passed = 0
        for block in blocks:
            if not _is_teaser(block, lines, recurring, reference, max_overlap):
                break
            passed += 1
        if passed == len(blocks):
            break
        boundary = kept.index(blocks[passed][-1]) + 1
        blocks = blocks[:passed]
    if len(blocks) < min_blocks:
        return {}
    return {i: "teaser block" for block in blocks for i in block if not recurring[i]}


def _mostly_in(words: frozenset[str], reference: frozenset[str], share: float) -> bool:
    """Whether ``words`` (at least three) are more than ``share`` in ``reference``."""
    return len(words) >= _MIN_CONTENT_WORDS and len(words & reference) > share * len(words)


def _of_the_story(words: frozenset[str], reference: frozenset[str]) -> bool:
    """Whether a paragraph shares three words and a quarter of its words with the story.

    A paragraph of the same story brings new facts, so it shares fewer words with the
    rest of the article than a teaser's lead shares with its headline; three shared
    content words (names, the subject) are already more than furniture (a contact
    line, a syndication credit) ever shares.
    """
    shared = len(words & reference)
    return shared >= _OWN_WORDS and shared >= _OWN_SHARE * len(words)


def _is_teaser(block: list[int], lines: Sequence[str], recurring: Sequence[bool],
               reference: frozenset[str], max_overlap: float) -> bool:
    if all(recurring[i] for i in block):
        return True
    words = frozenset().union(*(content_words(lines[i]) for i in block))
    return len(words) >= _MIN_CONTENT_WORDS and not _mostly_in(words, reference, max_overlap)
