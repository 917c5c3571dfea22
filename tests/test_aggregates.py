"""The per-person and per-country aggregates follow the data: refreshed by an import and by
an editor's save, and caught up by the pages themselves after any other write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from meetings.models import ImportRun, Participant, PersonStats, PersonYear, aggregates
from tests.factories import add_participant, make_meeting, make_participant, make_utterance

PAGES = Path(__file__).parent / "fixtures" / "pages"
pytestmark = pytest.mark.django_db


def current() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(aggregates._CURRENT)
        return cursor.fetchone()[0]


def meetings_shown(client, person: Participant) -> int:
    return client.get(person.get_absolute_url()).context["meeting_total"]


@pytest.fixture
def erdogan():
    person = make_participant("Recep Tayyip Erdogan", country="TR")
    add_participant(make_meeting(date=dt.date(2019, 4, 8), countries=("TR",)), person)
    aggregates.refresh()
    return person


def test_pages_catch_up_with_a_write_made_elsewhere(client, erdogan):
    assert meetings_shown(client, erdogan) == 1
    add_participant(make_meeting(date=dt.date(2020, 3, 5), countries=("TR",)), erdogan)
    assert not current()  # the triggers noticed
    assert meetings_shown(client, erdogan) == 2
    assert current()
    people = client.get("/people/").context["people"]
    assert [(p.name, p.meeting_count) for p in people] == [("Recep Tayyip Erdogan", 2)]


def test_pages_wait_for_a_running_import_to_refresh(client, erdogan):
    run = ImportRun.objects.create(started_at=timezone.now())
    add_participant(make_meeting(date=dt.date(2020, 3, 5)), erdogan)
    assert meetings_shown(client, erdogan) == 1  # no refresh per page during the import
    run.finished_at = timezone.now()
    run.save()
    assert meetings_shown(client, erdogan) == 2


def test_an_import_leaves_them_current(client):
    call_command("import_meetings", str(PAGES / "en-54059.html"), verbosity=0)  # Putin, Dodon
    assert current()  # without any page asking
    dodon = Participant.objects.get(name_en="Igor Dodon")
    assert PersonStats.objects.get(participant=dodon).meetings == 1


def test_an_editors_save_refreshes_them_once_committed(erdogan, django_capture_on_commit_callbacks):
    add_participant(make_meeting(date=dt.date(2021, 1, 1)), erdogan)
    editor = User.objects.create_superuser("editor", "e@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        LogEntry.objects.log_actions(editor.pk, [erdogan], CHANGE)
    assert current()
    years = PersonYear.objects.filter(participant=erdogan).values_list("year", "meetings")
    assert sorted(years) == [(2019, 1), (2021, 1)]


def test_person_words_count_only_their_turns_in_their_meetings(erdogan):
    putin = make_participant("Vladimir Putin", country="RU")
    meeting = make_meeting(date=dt.date(2022, 6, 1))
    add_participant(meeting, erdogan)
    add_participant(meeting, putin)
    make_utterance(meeting, speaker=erdogan, speaker_label="Erdogan", text="One two  three\n four.")
    make_utterance(meeting, speaker=putin, speaker_label="Putin", text="Five six.")
    make_utterance(meeting, speaker_label="", kind="narrative", text="Not anybody's words.")
    aggregates.refresh()
    year = PersonYear.objects.get(participant=erdogan, year=2022)
    assert (year.words_own, year.words_all) == (4, 6)
