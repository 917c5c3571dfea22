"""A re-import keeps what editors corrected (``meetings/importer/conflicts.py`` and
``merging.py``): the source's own changes apply, an editor's correction of the same field
stays and is reported as a conflict naming the people, ``--take-source`` gives way.

Real pages from ``tests/fixtures/pages`` on real PostgreSQL; see test_import.py for the rest
of the import.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from meetings.models import Meeting, MeetingCountry, Participant
from tests.test_import import PAGES, command

pytestmark = pytest.mark.django_db


def _changed_copy(tmp_path: Path) -> Path:
    """en-62562 as if the site had since edited the first speech and retitled the page."""
    html = (PAGES / "en-62562.html").read_text(encoding="utf-8")
    html = html.replace("Russian-German talks", "Russian-German talks in the Kremlin")
    changed = tmp_path / "en-62562-changed.html"
    changed.write_text(html, encoding="utf-8")
    return changed


def test_reimport_keeps_admin_correction(tmp_path):
    command(str(PAGES / "en-62562.html"))
    meeting = Meeting.objects.get(kremlin_id=62562, language="en")
    title_before = meeting.title
    # An editor fixes a speaker and the meeting's country, through the ORM as the admin does.
    turn = meeting.utterances.exclude(speaker=None).order_by("position").first()
    editor_pick = Participant.objects.create(name="Somebody Else", aliases=["Somebody Else"])
    turn.speaker = editor_pick
    turn.save()
    MeetingCountry.objects.filter(meeting=meeting).update(country="AT")
    # The source changes the same country (and its title, which nobody corrected).
    html = (PAGES / "en-62562.html").read_text(encoding="utf-8")
    html = html.replace("Russian-German talks", "Russian-German talks in the Kremlin")
    html = html.replace("/catalog/countries/DE/", "/catalog/countries/FR/")
    changed = tmp_path / "en-62562.html"
    changed.write_text(html, encoding="utf-8")
    assert "/catalog/countries/FR/" in html

    out, _ = command(str(changed))

    assert "conflicts 1" in out
    assert "conflict: en/62562: countries: kept the editor's ['AT']" in out
    meeting.refresh_from_db()
    assert meeting.title != title_before  # the source's own change applied
    assert list(meeting.countries.values_list("code", flat=True)) == ["AT"]  # correction kept
    turn.refresh_from_db()
    assert turn.speaker == editor_pick  # correction kept

    # A later import of the same changed page keeps the corrections and is unchanged.
    out, _ = command(str(changed))
    assert "unchanged 1" in out
    assert list(meeting.countries.values_list("code", flat=True)) == ["AT"]

    out, _ = command("--take-source", str(changed))
    assert "updated 1" in out
    assert list(meeting.countries.values_list("code", flat=True)) == ["FR"]
    turn.refresh_from_db()
    assert turn.speaker != editor_pick


def test_correction_without_source_change_is_no_conflict(tmp_path):
    command(str(PAGES / "en-62562.html"))
    meeting = Meeting.objects.get(kremlin_id=62562, language="en")
    meeting.place = "Corrected place"
    meeting.save()
    out, _ = command(str(_changed_copy(tmp_path)))
    assert "updated 1" in out and "conflicts 0" in out
    meeting.refresh_from_db()
    assert meeting.place == "Corrected place"
    assert meeting.title == "Russian-German talks in the Kremlin"


def test_deleted_utterance_stays_deleted(tmp_path):
    command(str(PAGES / "en-62562.html"))
    meeting = Meeting.objects.get(kremlin_id=62562, language="en")
    count = meeting.utterances.count()
    meeting.utterances.get(position=count).delete()
    command(str(_changed_copy(tmp_path)))
    assert meeting.utterances.count() == count - 1


def test_conflict_lines_name_the_people():
    from meetings.importer.records import ParsedMeeting, ParsedParticipant, ParsedUtterance
    from meetings.importer.save import save_meeting

    def talks(second_speaker: int) -> ParsedMeeting:
        return ParsedMeeting(
            kremlin_id=5,
            language="en",
            source_url="http://en.kremlin.ru/events/president/news/5",
            title="Russian-Turkish talks",
            date=dt.date(2020, 3, 5),
            countries=["TR"],
            participants=[
                ParsedParticipant(name="Vladimir Putin", role="President of Russia"),
                ParsedParticipant(name="Recep Tayyip Erdogan", role="President of Turkey"),
            ],
            utterances=[
                ParsedUtterance(1, "speech", "Welcome.", speaker_label="Putin", speaker=0),
                ParsedUtterance(2, "speech", "Thank you.", speaker_label="Erdogan", speaker=1),
                ParsedUtterance(
                    3, "speech", "Indeed.", speaker_label="Erdogan", speaker=second_speaker
                ),
            ],
        )

    save_meeting(talks(1), raw_hash="a")
    meeting = Meeting.objects.get(kremlin_id=5)
    interpreter = Participant.objects.create(name="An Interpreter")
    meeting.utterances.filter(position=3).update(speaker=interpreter)

    outcome = save_meeting(talks(0), raw_hash="b")

    assert outcome.status == "conflict"
    assert outcome.conflicts == [
        "en/5: utterance 3 speaker: kept the editor's An Interpreter, "
        "the source now has Vladimir Putin"
    ]
    assert meeting.utterances.get(position=3).speaker == interpreter
