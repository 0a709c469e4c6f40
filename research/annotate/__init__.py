"""Who the president engaged with, and when: counterparts and dates with their evidence.

Table contract
--------------
:func:`annotate_articles` takes an article table keyed by ``article_id`` (``title``,
``text`` = cleaned body, optional ``file``, ``date``, ``date_extracted``) and an
optional researcher's manifest (:func:`read_manifest`), and returns two new tables:

``annotated``
    the articles with :data:`ANNOTATION_COLUMNS` (counterpart, its country, role,
    evidence and confidence; the engagement date, its window, source, evidence and
    confidence);
``notes``
    ``article_id, kind, message``: manifest conflicts, unknown dates and other
    findings a researcher must see.

Knowledge comes from three editable data files, each validated on load: the
gazetteer of officials and tenures (:func:`load_gazetteer`), the calendar of known
engagements (:func:`load_events`) and the manifest. Per article,
:func:`annotate_text` combines names and titles (:func:`extract_mentions`),
the counterpart choice (:func:`choose_counterpart`), explicit and relative dates
(:func:`find_dates`, :func:`find_relative`), tenure windows
(:func:`tenure_window`) and calendar engagements (:func:`match_engagements`).
"""

from ._annotate import ANNOTATION_COLUMNS, DATE_SOURCES, DateSource, annotate_articles
from ._article import ArticleAnnotation, annotate_text
from ._counterparts import Counterpart, choose_counterpart, lead_sentence
from ._date_words import MONTHS, ORDINALS, WEEKDAYS_AR
from ._dates import DateMention, RelativeMention, find_dates, find_relative, resolve_relative
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
from ._titles import TitleMention, find_titles
from ._windows import Window, parse_iso_window, tenure_window

__all__ = [
    "ANNOTATION_COLUMNS",
    "CUES",
    "DATE_SOURCES",
    "ENGAGEMENT_TYPES",
    "MONTHS",
    "ORDINALS",
    "ROLES",
    "WEEKDAYS_AR",
    "Anchor",
    "ArticleAnnotation",
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
    "Window",
    "anchor_bound",
    "annotate_articles",
    "annotate_text",
    "calendar_from_dict",
    "choose_counterpart",
    "clauses",
    "english_key",
    "events_table",
    "extract_mentions",
    "find_dates",
    "find_engagements",
    "find_relative",
    "find_titles",
    "format_mentions",
    "lead_sentence",
    "has_meeting_cue",
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
