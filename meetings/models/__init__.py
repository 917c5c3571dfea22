"""What Kremlin Meetings stores: meetings from kremlin.ru, who took part, what was said, and
what was signed; the kept aggregates read from them; the import log.

Every row that comes from the source keeps what the page printed (the speaker label, the
role) next to what we resolved (the participant), so editors can see and fix the resolution.

One module per concern: ``catalogue`` (countries, people), ``meetings`` (events and their
links), ``transcript`` (utterances, signed documents, supplements), ``aggregates`` (the
materialized views with their refresh), ``imports`` (import runs). Everything is importable
from ``meetings.models`` as before; the app label and tables are unchanged.
"""

from meetings.models.aggregates import (
    Aggregate,
    CountrySpeaker,
    CountryStats,
    CountryYear,
    PersonCoSpeaker,
    PersonCountry,
    PersonRole,
    PersonStats,
    PersonYear,
)
from meetings.models.catalogue import Country, Participant, localized
from meetings.models.choices import (
    MOSCOW,
    SITE_HOSTS,
    DocumentKind,
    Language,
    MeetingKind,
    UtteranceKind,
)
from meetings.models.coverage import CoveredDay
from meetings.models.imports import ImportRun
from meetings.models.meetings import Meeting, MeetingCountry, Participation
from meetings.models.merges import MergedParticipant, record_merge
from meetings.models.transcript import SignedDocument, Supplement, Utterance
from meetings.models.versions import BilingualDifference, SourceCheck, SourceVersion

__all__ = [
    "BilingualDifference",
    "SourceCheck",
    "SourceVersion",
    "MOSCOW",
    "SITE_HOSTS",
    "Aggregate",
    "Country",
    "CoveredDay",
    "CountrySpeaker",
    "CountryStats",
    "CountryYear",
    "DocumentKind",
    "ImportRun",
    "Language",
    "Meeting",
    "MeetingCountry",
    "MeetingKind",
    "MergedParticipant",
    "Participant",
    "Participation",
    "PersonCoSpeaker",
    "PersonCountry",
    "PersonRole",
    "PersonStats",
    "PersonYear",
    "SignedDocument",
    "Supplement",
    "Utterance",
    "UtteranceKind",
    "localized",
    "record_merge",
]
