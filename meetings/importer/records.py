"""Plain records that the parser produces and the saver consumes.

The parser (``parse.py``) turns page text into these dataclasses without touching the
database or the network; ``save.py`` writes them. Keeping the boundary to plain data is
what lets the parser be tested on hundreds of saved pages in seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

LANGUAGES = ("ru", "en")

# Meeting.kind values (kept in step with meetings.models.MeetingKind).
MEETING_KINDS = (
    "talks",
    "meeting",
    "telephone",
    "summit",
    "press",
    "visit",
    "message",
    "interview",
    "decree",
    "forum",
    "ceremony",
    "other",
)

# Utterance.kind values (kept in step with meetings.models.UtteranceKind).
UTTERANCE_KINDS = ("speech", "question", "narrative", "omission")

# SignedDocument.kind values (kept in step with meetings.models.DocumentKind).
DOCUMENT_KINDS = ("agreement", "memorandum", "joint_statement", "declaration", "programme", "other")


class ParseError(ValueError):
    """The input is not something we can import; the message says why in one line."""


class PageSkipped(ParseError):
    """A real kremlin.ru page with nothing to import by design (an announcement, a photo or
    video page, a listing): the run counts it as skipped with ``reason``, not as failed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class ParsedParticipant:
    """A person named on a page, with what the page says about them at that meeting."""

    name: str  # full name in the page's language, nominative: "Касым-Жомарт Токаев"
    role: str = ""  # role held at this meeting, as printed: "President of Turkey"
    country: str | None = None  # ISO 3166 alpha-2 (or kremlin.ru's XA/XO) of the person
    kremlin_id: int | None = None  # /catalog/persons/<id>/ when the page tags the person
    aliases: list[str] = field(default_factory=list)  # every label/name form seen on the page


@dataclass
class ParsedUtterance:
    position: int  # 1-based, dense, in page order
    kind: str  # one of UTTERANCE_KINDS
    text: str  # plain text; paragraphs joined with "\n"
    section: str = ""  # section heading in force ("" before the first one)
    speaker_label: str = ""  # label exactly as printed, without colon/translation note
    speaker: int | None = None  # index into ParsedMeeting.participants
    translation_note: str = ""  # "retranslated", "как переведено", ...


@dataclass
class ParsedDocument:
    title: str
    kind: str  # one of DOCUMENT_KINDS
    url: str = ""  # absolute URL of the source (supplement page, or the document itself)
    supplement_id: int | None = None
    parties: list[str] = field(default_factory=list)  # as printed ("Russia", "Turkey", ...)


@dataclass
class ParsedMeeting:
    kremlin_id: int
    language: str  # "ru" | "en"
    source_url: str  # canonical live URL: http://kremlin.ru/events/president/news/<id>
    title: str
    date: dt.date
    time: dt.time | None = None  # Moscow local time as printed
    place: str = ""
    lead: str = ""
    kind: str = "other"
    countries: list[str] = field(default_factory=list)  # ISO2, page order, no duplicates
    country_names: dict[str, str] = field(default_factory=dict)  # ISO2 -> name as printed
    participants: list[ParsedParticipant] = field(default_factory=list)
    utterances: list[ParsedUtterance] = field(default_factory=list)
    documents: list[ParsedDocument] = field(default_factory=list)
    supplement_ids: list[int] = field(default_factory=list)  # /supplement/<id> linked
    is_domestic: bool = False  # no foreign country or international organisation
    domestic_reason: str = ""  # why the page counts as domestic (for the import's skip report)


@dataclass
class ParsedSupplement:
    """A /supplement/<id> page: e.g. the list of documents signed during a visit."""

    supplement_id: int
    language: str
    source_url: str
    title: str
    meeting_ids: list[int] = field(default_factory=list)  # event ids the page links to
    documents: list[ParsedDocument] = field(default_factory=list)
