"""A meeting's state in the snapshot's form, for the three-way merge of
:mod:`meetings.importer.save`: what the page says (``source_state``), what the database
holds (``current_state``), and the pieces both are built from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from meetings.importer.merging import DOCUMENT_FIELDS
from meetings.importer.pages import parser_fingerprint
from meetings.importer.people.resolve import _code
from meetings.importer.records import ParsedDocument, ParsedMeeting
from meetings.models import Meeting, Supplement

SNAPSHOT_VERSION = 1


def empty_state() -> dict[str, Any]:
    return {
        "v": SNAPSHOT_VERSION,
        "fields": {},
        "countries": [],
        "participants": {},
        "utterances": {},
        "documents": [],
        "page_documents": [],
    }


def source_state(
    parsed: ParsedMeeting, people: list[int], supplements: list[Supplement]
) -> dict[str, Any]:
    starts_at = Meeting.moscow_datetime(parsed.date, parsed.time)
    page_documents = [document_dict(d) for d in parsed.documents]
    participants: dict[str, str] = {}
    for person, pk in zip(parsed.participants, people, strict=True):
        key = str(pk)
        if not participants.get(key):  # one person named twice: keep the first role printed
            participants[key] = cut(person.role, 300)
    utterances = {}
    for u in parsed.utterances:
        speaker = (
            people[u.speaker] if u.speaker is not None and 0 <= u.speaker < len(people) else None
        )
        utterances[str(u.position)] = {
            "section": cut(u.section, 500),
            "speaker": speaker,
            "speaker_label": cut(u.speaker_label, 300),
            "kind": u.kind,
            "translation_note": cut(u.translation_note, 100),
            "text": u.text,
        }
    return {
        "v": SNAPSHOT_VERSION,
        "parser": parser_fingerprint(),
        "fields": {
            "source_url": cut(parsed.source_url, 500),
            "title": cut(parsed.title, 1000),
            "date": parsed.date.isoformat(),
            "starts_at": iso(starts_at),
            "place": cut(parsed.place, 500),
            "lead": parsed.lead,
            "kind": parsed.kind,
            "is_domestic": parsed.is_domestic,
            "supplement_ids": supplement_ids(parsed),
        },
        "countries": [c for c in dict.fromkeys(_code(x) for x in parsed.countries) if c],
        "participants": participants,
        "utterances": utterances,
        "documents": combine_documents(page_documents, supplements),
        "page_documents": page_documents,
    }


def current_state(meeting: Meeting) -> dict[str, Any]:
    """The meeting as the database holds it, in the snapshot's normalised form."""
    fields = {
        "source_url": meeting.source_url,
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "starts_at": iso(meeting.starts_at),
        "place": meeting.place,
        "lead": meeting.lead,
        "kind": meeting.kind,
        "is_domestic": meeting.is_domestic,
        "supplement_ids": list(meeting.supplement_ids),
    }
    countries = list(
        meeting.country_links.order_by("position", "id").values_list("country_id", flat=True)
    )
    participants = {
        str(pk): role
        for pk, role in meeting.participations.order_by("position", "id").values_list(
            "participant_id", "role"
        )
    }
    utterances = {
        str(row["position"]): {
            "section": row["section"],
            "speaker": row["speaker_id"],
            "speaker_label": row["speaker_label"],
            "kind": row["kind"],
            "translation_note": row["translation_note"],
            "text": row["text"],
        }
        for row in meeting.utterances.order_by("position").values(
            "position", "section", "speaker_id", "speaker_label", "kind", "translation_note", "text"
        )
    }
    documents = [
        {**row, "parties": list(row["parties"])}
        for row in meeting.documents.order_by("position", "id").values(*DOCUMENT_FIELDS)
    ]
    return {
        "v": SNAPSHOT_VERSION,
        "fields": fields,
        "countries": countries,
        "participants": participants,
        "utterances": utterances,
        "documents": documents,
    }


def iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def supplement_ids(parsed: ParsedMeeting) -> list[int]:
    ids = [*parsed.supplement_ids, *(d.supplement_id for d in parsed.documents)]
    return [int(x) for x in dict.fromkeys(ids) if x]


def document_dict(doc: ParsedDocument, supplement_id: int | None = None) -> dict[str, Any]:
    return {
        "title": doc.title,
        "kind": doc.kind,
        "url": cut(doc.url, 500),
        "supplement_id": doc.supplement_id or supplement_id,
        "parties": [cut(p, 200) for p in doc.parties],
    }


def combine_documents(
    page_documents: list[dict[str, Any]], supplements: list[Supplement]
) -> list[dict[str, Any]]:
    """The page's documents, with a supplement's full list replacing the page's link to it."""
    listed = [s for s in supplements if s.documents]
    replaced = {s.supplement_id for s in listed}
    documents = [d for d in page_documents if d.get("supplement_id") not in replaced]
    for supplement in listed:
        documents += supplement.documents
    seen, unique = set(), []
    for doc in documents:
        key = (doc["title"].casefold(), doc["url"])
        if key not in seen:
            seen.add(key)
            unique.append(doc)
    return unique


def cut(text: str | None, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"
