"""``data_changed``: imports and admin changes announce it; the aggregates and the page cache
listen; QuerySet builders never refresh the aggregates themselves."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import caching, signals
from meetings.importer import run
from meetings.models import Country, Participant, aggregates
from tests.factories import add_participant, make_meeting, make_participant
from tests.test_import_outcomes import REAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def announcements():
    heard: list[object] = []

    def listener(sender, **kwargs):
        heard.append(sender)

    signals.data_changed.connect(listener, dispatch_uid="tests.listener")
    yield heard
    signals.data_changed.disconnect(dispatch_uid="tests.listener")


def aggregates_current() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(aggregates._CURRENT)
        return cursor.fetchone()[0]


def test_an_import_that_writes_announces_once_and_one_that_does_not_stays_quiet(announcements):
    with run.recorded("test") as summaries:
        summaries.append(run.import_paths([REAL]))
    assert len(announcements) == 1
    with run.recorded("test again") as summaries:
        summaries.append(run.import_paths([REAL]))  # unchanged: nothing to announce
    assert len(announcements) == 1


def test_an_admin_change_announces_once_committed(
    announcements, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    editor = User.objects.create_superuser("editor", "e@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        LogEntry.objects.log_actions(editor.pk, [meeting], CHANGE)
    assert announcements == []  # not before the commit
    for callback in callbacks:
        callback()
    assert announcements == [LogEntry]


def test_the_aggregates_and_the_page_cache_listen():
    person = make_participant("Recep Erdogan")
    add_participant(make_meeting(countries=("TR",)), person)
    generation = caching.data_generation()
    assert not aggregates_current()  # the write came after the last refresh
    signals.announce(sender=None)
    assert aggregates_current()
    assert caching.data_generation() != generation
    assert Participant.objects.with_event_counts().get(pk=person.pk).meeting_count == 1


def test_building_a_picker_query_never_refreshes_the_aggregates():
    make_meeting(countries=("TR",))  # the aggregates are now behind
    with CaptureQueriesContext(connection) as queries:
        countries = list(Country.objects.with_meeting_stats())
    assert countries and len(queries) == 1
    assert not any("REFRESH" in query["sql"] for query in queries.captured_queries)
    assert not aggregates_current()  # left to the view's once-per-request check
    aggregates.ensure_fresh()
    assert aggregates_current()
