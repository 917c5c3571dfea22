"""API rows built directly: DRF's per-field machinery and a ``reverse()`` per address made
a page of 500 meetings take seconds. The serializers (``serializers.py``) still declare every
field, for the OpenAPI document; their ``to_representation()`` calls these."""

from __future__ import annotations

import html
from typing import Any

from meetings import search
from meetings.api.links import Links
from meetings.models import Meeting, Participant, Utterance


def person_ref(links: Links, person: Participant) -> dict[str, Any]:
    return {
        "url": links.url("meetings:person_detail", person.pk),
        "api_url": links.url("api:person-detail", person.pk),
        "id": person.pk,
        "name": person.display_name,
    }


def _time(meeting: Meeting) -> str | None:
    local = meeting.local_start
    return local.strftime("%H:%M") if local else None


def meeting_row(links: Links, meeting: Meeting) -> dict[str, Any]:
    """A list's meeting: its reference with what the list shows, ``source_url`` still last."""
    row = meeting_ref(links, meeting)
    source_url = row.pop("source_url")
    row.update(
        time=_time(meeting),
        place=meeting.place,
        kind=meeting.kind,
        # Lists, not managers: Meeting.objects.for_api_list() reads them.
        countries=[c.code for c in meeting.country_list],  # type: ignore[attr-defined]
        participants=[
            {"person": person_ref(links, p.participant), "role": p.role}
            for p in meeting.participation_list  # type: ignore[attr-defined]
        ],
        turn_count=meeting.turn_count,  # type: ignore[attr-defined]  # annotated
        document_count=meeting.document_count,  # type: ignore[attr-defined]  # annotated
        source_url=source_url,
    )
    return row


def meeting_ref(links: Links, meeting: Meeting) -> dict[str, Any]:
    language, kremlin_id = meeting.language, meeting.kremlin_id
    return {
        "url": links.url("meetings:meeting_detail", language, kremlin_id),
        "api_url": links.url("api:meeting-detail", language, kremlin_id),
        "id": kremlin_id,
        "language": language,
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "source_url": meeting.source_url,
    }


def headline_html(turn: Utterance) -> str:
    marked = html.escape(getattr(turn, "headline", "") or "")
    return marked.replace(search.HIGHLIGHT_START, "<mark>").replace(
        search.HIGHLIGHT_STOP, "</mark>"
    )


def utterance_row(links: Links, turn: Utterance) -> dict[str, Any]:
    meeting = turn.meeting
    return {
        "id": turn.pk,
        "meeting": meeting_ref(links, meeting),
        "position": turn.position,
        "section": turn.section,
        "speaker": None if turn.speaker is None else person_ref(links, turn.speaker),
        "speaker_label": turn.speaker_label,
        "kind": turn.kind,
        "text": turn.text,
        "headline": headline_html(turn),
        "rank": turn.rank,  # type: ignore[attr-defined]  # annotated
        "url": links.url(
            "meetings:utterance_detail", meeting.language, meeting.kremlin_id, turn.position
        ),
        "source_url": meeting.source_url,
    }
