"""The record of a run (``meetings/importer/run_log.py``) however the run ends.

The process-killing cases (a killed worker, forkserver or import) are in
``test_import_survives.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from meetings import caching
from meetings.importer import run_log
from meetings.models import ImportRun, Meeting, aggregates
from tests.factories import add_participant, make_meeting, make_participant
from tests.test_import import copy_pages

pytestmark = pytest.mark.django_db

NAMES = ("en-62562.html", "en-62936.html", "en-62752.html")
D = dt.date


def test_a_run_that_ends_by_an_exception_says_why_and_keeps_its_counts(tmp_path, settings):
    folder = copy_pages(tmp_path, *NAMES)
    settings.KREMLIN_FETCH_OPTIONS = {"timeout": 0}  # the fetcher refuses to be built
    generation = caching.data_generation()
    err = io.StringIO()
    with pytest.raises(CommandError, match="stopped early: crashed: ValueError: need delay"):
        call_command("import_meetings", str(folder), "--id", "1", stdout=io.StringIO(), stderr=err)
    assert "Traceback" not in err.getvalue()  # one line; the traceback with -v 3
    run = ImportRun.objects.get()
    assert run.finished_at is not None
    assert run.stopped.startswith("crashed: ValueError: need delay")
    assert run.created == Meeting.objects.count() == 3  # what was written before the crash
    assert caching.data_generation() != generation  # and announced: cached pages are stale


def test_an_import_finishes_and_is_recorded_when_the_cache_is_down(tmp_path, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    folder = copy_pages(tmp_path, *NAMES)
    out = io.StringIO()
    with caplog.at_level(logging.ERROR, logger="meetings.importer.run_log"):
        call_command("import_meetings", str(folder), stdout=out, stderr=io.StringIO())
    assert "created 3," in out.getvalue()
    run = ImportRun.objects.get()
    assert (run.created, run.stopped) == (3, "")
    assert run.finished_at is not None
    assert "retire_pages failed on the change (ConnectionError" in caplog.text


def test_a_run_whose_process_is_gone_or_silent_is_dead():
    now = timezone.now()
    alive = ImportRun.objects.create(
        started_at=now, heartbeat_at=now, pid=os.getpid(), host=run_log.HOST
    )
    gone = ImportRun.objects.create(
        started_at=now, heartbeat_at=now, pid=_a_free_pid(), host=run_log.HOST
    )
    silent = ImportRun.objects.create(
        started_at=now - dt.timedelta(hours=1),
        heartbeat_at=now - ImportRun.STALE_AFTER - dt.timedelta(seconds=1),
        pid=os.getpid(),
        host="another-host",
    )
    elsewhere = ImportRun.objects.create(
        started_at=now, heartbeat_at=now, pid=_a_free_pid(), host="another-host"
    )
    assert [r.state for r in (alive, gone, silent, elsewhere)] == [
        "running",
        "dead",
        "dead",
        "running",  # another host's process cannot be looked up: its heartbeat decides
    ]
    assert set(ImportRun.objects.running()) == {alive, elsewhere}

    closed = run_log.close_dead_runs()
    assert {r.pk for r in closed} == {gone.pk, silent.pk}
    silent.refresh_from_db()
    assert silent.finished_at == silent.heartbeat_at
    assert silent.stopped.startswith("the import process died")
    assert "(last sign of life" in silent.stopped


def _a_free_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


@pytest.mark.parametrize("dead", ["process gone", "heartbeat stale"])
def test_a_dead_import_does_not_hold_the_kept_counts_back(client, dead):
    person = make_participant("Recep Tayyip Erdogan", country="TR")
    add_participant(make_meeting(date=D(2019, 4, 8), countries=("TR",)), person)
    aggregates.refresh()
    now = timezone.now()
    alive = ImportRun.objects.create(
        started_at=now, heartbeat_at=now, pid=os.getpid(), host=run_log.HOST
    )
    add_participant(make_meeting(date=D(2020, 3, 5), countries=("TR",)), person)
    assert client.get(person.get_absolute_url()).context["meeting_total"] == 1  # it waits

    if dead == "process gone":
        alive.pid = _a_free_pid()
    else:
        alive.heartbeat_at = now - ImportRun.STALE_AFTER - dt.timedelta(seconds=1)
    alive.save()
    assert client.get(person.get_absolute_url()).context["meeting_total"] == 2
