"""Keep every distinct text of a source page (issue 18).

An import hands each meeting page it saves to :func:`keep`: the page's normalised text
(title, lead, participants, turns as the parser read them) is compared by hash with the
latest kept version, and only a different text is stored, with when it was first seen. An
editor's correction never passes here (it changes the meeting, not what the source said),
so it never shows as a version. A page whose bytes are the same as the latest version's but
whose text differs was re-read by a newer parser: the version is re-normalised in place,
not counted as a change of the source.

:func:`next_check` is the re-check schedule of ``import_meetings --recheck`` (NewsDiffs'
idea): a page is read again daily in its first month, weekly in its first year, monthly
after that, counted from the event's date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import connection
from django.db.models import F

from meetings.importer.records import ParsedMeeting
from meetings.models.versions import SourceCheck, SourceVersion

# (age of the page less than, re-read every)
SCHEDULE = (
    (dt.timedelta(days=31), dt.timedelta(days=1)),
    (dt.timedelta(days=365), dt.timedelta(days=7)),
)
LATER = dt.timedelta(days=30)


def normalised(parsed: ParsedMeeting) -> dict[str, Any]:
    """What a reader sees of the page, in a stable form: what versions are compared on."""
    return {
        "title": parsed.title,
        "lead": parsed.lead,
        "participants": [f"{p.name} ({p.role})" if p.role else p.name for p in parsed.participants],
        "turns": [
            {"speaker": u.speaker_label, "kind": u.kind, "text": u.text} for u in parsed.utterances
        ],
    }


def encode(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def text_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(encode(content).encode("utf-8")).hexdigest()


def next_check(event_date: dt.date, now: dt.datetime) -> dt.datetime:
    """When a page of an event on ``event_date``, read at ``now``, is due again."""
    age = now.date() - event_date
    for younger_than, every in SCHEDULE:
        if age < younger_than:
            return now + every
    return now + LATER


def keep(
    meeting_id: int, parsed: ParsedMeeting, raw_hash: str, now: dt.datetime, created: bool
) -> bool:
    """Record the page's text if it is new; True when the source changed since the last
    version kept (the first version of a page is no change)."""
    content = normalised(parsed)
    encoded = encode(content)
    digest = hashlib.sha256(encoded.encode("utf-8")).hexdigest()
    latest = None
    if not created:
        latest = (
            SourceVersion.objects.filter(meeting_id=meeting_id)
            .order_by("-number")
            .values("pk", "number", "text_hash", "raw_hash")
            .first()
        )
    if latest is None:
        _first(meeting_id, encoded, digest, raw_hash, now, next_check(parsed.date, now))
        return False
    if latest["text_hash"] == digest:
        return False
    if latest["raw_hash"] == raw_hash:  # the same bytes read by a newer parser
        SourceVersion.objects.filter(pk=latest["pk"]).update(text_hash=digest, content=content)
        return False
    SourceVersion.objects.create(
        meeting_id=meeting_id,
        number=latest["number"] + 1,
        seen_at=now,
        raw_hash=raw_hash,
        text_hash=digest,
        content=content,
    )
    SourceCheck.objects.filter(meeting_id=meeting_id).update(
        changes=F("changes") + 1, changed_at=now
    )
    return True


# The first version and the page's check in one statement: an import's cost per page is
# mostly round trips, and this is every page of a first import.
_FIRST = f"""
    WITH version AS (
        INSERT INTO {SourceVersion._meta.db_table}
               (meeting_id, number, seen_at, raw_hash, text_hash, content)
        VALUES (%(meeting)s, 1, %(now)s, %(raw)s, %(digest)s, %(content)s::jsonb)
        RETURNING meeting_id)
    INSERT INTO {SourceCheck._meta.db_table}
           (meeting_id, first_seen_at, checked_at, next_check_at, changes)
    SELECT meeting_id, %(now)s, %(now)s, %(next)s, 0 FROM version
    ON CONFLICT (meeting_id) DO UPDATE
       SET checked_at = EXCLUDED.checked_at, next_check_at = EXCLUDED.next_check_at
"""


def _first(
    meeting_id: int, encoded: str, digest: str, raw_hash: str, now: dt.datetime, due: dt.datetime
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            _FIRST,
            {
                "meeting": meeting_id,
                "now": now,
                "raw": raw_hash,
                "digest": digest,
                "content": encoded,
                "next": due,
            },
        )


def mark_checked(meeting_ids: list[int], now: dt.datetime) -> None:
    """The pages were read again at ``now``: schedule their next reading."""
    for check in (
        SourceCheck.objects.filter(meeting_id__in=meeting_ids)
        .select_related("meeting")
        .only("meeting_id", "meeting__date")
    ):
        SourceCheck.objects.filter(pk=check.pk).update(
            checked_at=now, next_check_at=next_check(check.meeting.date, now)
        )
