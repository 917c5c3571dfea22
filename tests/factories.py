"""Small explicit builders for tests: ``make_meeting(**overrides)`` and friends.

Each returns a saved row with sensible defaults; pass only what the test is about.
"""

from __future__ import annotations

import datetime as dt
import itertools

from meetings.models import (
    Country,
    Meeting,
    MeetingCountry,
    Participant,
    Participation,
    SignedDocument,
    Utterance,
)

_ids = itertools.count(900000)


def make_meeting(*, countries: tuple[str, ...] = (), **overrides) -> Meeting:
    kremlin_id = overrides.pop("kremlin_id", next(_ids))
    language = overrides.pop("language", "en")
    host = "kremlin.ru" if language == "ru" else "en.kremlin.ru"
    fields = {
        "kremlin_id": kremlin_id,
        "language": language,
        "source_url": f"http://{host}/events/president/news/{kremlin_id}",
        "title": f"Talks {kremlin_id}",
        "date": dt.date(2019, 6, 1),
        "kind": "talks",
    }
    fields.update(overrides)
    meeting = Meeting.objects.create(**fields)
    for position, code in enumerate(countries):
        MeetingCountry.objects.create(
            meeting=meeting, country=Country.objects.get(code=code), position=position
        )
    return meeting


def make_participant(name: str = "Vladimir Putin", **overrides) -> Participant:
    fields = {"name": name, "name_en": name, "aliases": [name]}
    country = overrides.pop("country", None)
    if country:
        fields["country"] = Country.objects.get(code=country)
    fields.update(overrides)
    return Participant.objects.create(**fields)


def add_participant(meeting: Meeting, participant: Participant, role: str = "") -> Participation:
    position = meeting.participations.count()
    return Participation.objects.create(
        meeting=meeting, participant=participant, role=role, position=position
    )


def make_utterance(meeting: Meeting, **overrides) -> Utterance:
    fields = {
        "meeting": meeting,
        "position": meeting.utterances.count() + 1,
        "kind": "speech",
        "text": "Good afternoon.",
        "language": meeting.language,
    }
    fields.update(overrides)
    return Utterance.objects.create(**fields)


def make_document(meeting: Meeting, **overrides) -> SignedDocument:
    fields = {"meeting": meeting, "title": "Agreement on cooperation", "kind": "agreement"}
    fields.update(overrides)
    return SignedDocument.objects.create(**fields)
