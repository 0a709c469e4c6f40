"""Who the president engaged with, and when: counterparts and dates with their evidence.

Table contract
--------------
:func:`annotate_articles` takes an article table keyed by ``article_id`` (``title``,
``text`` = cleaned body, optional ``file``, ``date``, ``date_note``,
``date_extracted``) and an optional researcher's manifest (:func:`read_manifest`),
and returns two new tables:

``annotated``
    the articles with :data:`ANNOTATION_COLUMNS` (counterpart, its country, role,
    evidence and confidence; the engagement date, its window, source, evidence and
    confidence);
``notes``
    ``article_id, kind, message``: manifest conflicts, unknown dates, dates that
    could not be read (``date_not_understood``), weekdays and Hijri/Gregorian dates
    that contradict a date, and other findings a researcher must see.

Knowledge comes from three editable data files, each validated on load: the
gazetteer of officials and tenures (:func:`load_gazetteer`), the calendar of known
engagements (:func:`load_events`) and the manifest. Per article,
:func:`annotate_text` combines names and titles (:func:`extract_mentions`),
the counterpart choice (:func:`choose_counterpart`), explicit Gregorian and Hijri
dates in the month names of every region (:func:`find_dates`, :data:`MONTHS`,
:data:`HIJRI_MONTHS`, :func:`hijri_to_gregorian`), date-like expressions that
cannot be read (:func:`find_unreadable_dates`), relative words and datelines
(:func:`find_relative`, :func:`dateline_weekday`), tenure windows
(:func:`tenure_window`) and calendar engagements (:func:`match_engagements`). The
calendar never overrides the text: it dates an article only when neither the text
nor a given date does, and no weekday the text names contradicts it.
"""

from ._annotate import ANNOTATION_COLUMNS, DATE_SOURCES, DateSource, annotate_articles
from ._article import ArticleAnnotation, annotate_text
from ._counterparts import Counterpart, choose_counterpart, lead_sentence
from ._date_words import AMBIGUOUS_MONTH_WORDS, HIJRI_MONTHS, MONTHS, ORDINALS, WEEKDAYS_AR
from ._dates import (
    CALENDARS,
    Calendar,
    DateMention,
    UnreadableDate,
    find_dates,
    find_unreadable_dates,
)
from ._engagements import (
    CUES,
    ENGAGEMENT_TYPES,
    EngagementType,
    MinisterEngagement,
    ReportedEngagement,
    clauses,
    find_engagements,
)
from ._events import (
    Anchor,
    Engagement,
    EventCalendar,
    anchor_bound,
    calendar_from_dict,
    events_table,
    load_events,
    match_engagements,
)
from ._gazetteer import (
    ROLES,
    Country,
    Gazetteer,
    NameMention,
    Person,
    Role,
    Tenure,
    TitleRule,
    english_key,
    load_gazetteer,
)
from ._hijri import HIJRI_YEARS, hijri_to_gregorian
from ._manifest import read_manifest
from ._mentions import (
    Mention,
    Scan,
    extract_mentions,
    format_mentions,
    has_meeting_cue,
    resolve_title,
    scan_text,
    sentence_spans,
)
from ._relative import RelativeMention, dateline_weekday, find_relative, resolve_relative
from ._titles import TitleMention, find_titles
from ._windows import Window, parse_iso_window, tenure_window

__all__ = [
    "AMBIGUOUS_MONTH_WORDS",
    "ANNOTATION_COLUMNS",
    "CALENDARS",
    "CUES",
    "DATE_SOURCES",
    "ENGAGEMENT_TYPES",
    "HIJRI_MONTHS",
    "HIJRI_YEARS",
    "MONTHS",
    "ORDINALS",
    "ROLES",
    "WEEKDAYS_AR",
    "Anchor",
    "ArticleAnnotation",
    "Calendar",
    "Counterpart",
    "Country",
    "DateMention",
    "DateSource",
    "EngagementType",
    "Engagement",
    "EventCalendar",
    "Gazetteer",
    "Mention",
    "MinisterEngagement",
    "NameMention",
    "Person",
    "RelativeMention",
    "ReportedEngagement",
    "Role",
    "Scan",
    "Tenure",
    "TitleMention",
    "TitleRule",
    "UnreadableDate",
    "Window",
    "anchor_bound",
    "annotate_articles",
    "annotate_text",
    "calendar_from_dict",
    "choose_counterpart",
    "clauses",
    "dateline_weekday",
    "english_key",
    "events_table",
    "extract_mentions",
    "find_dates",
    "find_engagements",
    "find_relative",
    "find_unreadable_dates",
    "find_titles",
    "format_mentions",
    "lead_sentence",
    "has_meeting_cue",
    "hijri_to_gregorian",
    "load_events",
    "load_gazetteer",
    "match_engagements",
    "parse_iso_window",
    "read_manifest",
    "resolve_relative",
    "resolve_title",
    "scan_text",
    "sentence_spans",
    "tenure_window",
]
