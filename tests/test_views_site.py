"""``meetings/views/site.py``: ``/healthz`` (does the database answer, how did the last
import go, also on the admin index) and the 503 page when the database is lost."""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings.models import ImportRun
from tests.html import one, text, texts
from tests.test_settings import run_settings

pytestmark = pytest.mark.django_db


def finished_run(**fields) -> ImportRun:
    now = timezone.now()
    return ImportRun.objects.create(
        started_at=now - dt.timedelta(minutes=5), finished_at=now, **fields
    )


def test_healthz_says_the_database_answers_and_no_import_yet(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "last_import": None,
        "static": "ok",
        "cache": "ok",
    }
    assert "no-store" in response["Cache-Control"]


def test_healthz_shows_the_last_finished_import(client):
    finished_run(created=3, skipped=2, failed=0)
    last = finished_run(created=0, unchanged=5, failed=1, failures="x.html: bad")
    ImportRun.objects.create(started_at=timezone.now())  # still running: not "last"

    body = client.get(reverse("healthz")).json()

    assert body["database"] == "ok"
    assert body["last_import"]["finished"] == last.finished_at.isoformat()
    assert (body["last_import"]["unchanged"], body["last_import"]["failed"]) == (5, 1)


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db import OperationalError

    def refuse(*args, **kwargs):  # what a stopped PostgreSQL gives
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response["Retry-After"]


def test_admin_index_shows_the_last_import(admin_client):
    finished_run(created=7, failed=1, failures="bad.html: cannot parse")
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    box = one(response, "#last-import")
    assert text(box.h2) == "Last import"
    assert "created 7, updated 0, unchanged 0, skipped 0, conflicts 0, failed 1" in [
        text(p) for p in box.select("p")
    ]
    assert texts(response, "#last-import pre.import-failures") == ["bad.html: cannot parse"]


def test_admin_index_without_a_run(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert texts(response, "#last-import p") == ["No import has run yet."]


# A lost database -----------------------------------------------------------------------


@pytest.mark.slow
def test_unreachable_database_gives_a_503_with_retry_after_within_seconds():
    # A server that accepts the connection and never says a word: only connect_timeout
    # ends the wait (a closed port would fail at once and prove nothing).
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    code = """
        import json, time
        from django.test import Client
        client = Client(raise_request_exception=False)
        started = time.monotonic()
        response = client.get("/", HTTP_HOST="meetings.example.org")
        print(json.dumps({
            "status": response.status_code,
            "retry_after": response.get("Retry-After"),
            "seconds": time.monotonic() - started,
            "page": response.content.decode(),
        }))
    """
    try:
        result = run_settings(
            code,
            DEBUG="0",
            SECRET_KEY="test-only-" + "x" * 40,
            ALLOWED_HOSTS="meetings.example.org",
            SECURE_SSL_REDIRECT="0",
            DATABASE_URL=f"postgres://nobody@127.0.0.1:{port}/nothing",
            DATABASE_CONNECT_TIMEOUT="2",
        )
    finally:
        silent.close()
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert int(answer["retry_after"]) > 0
    # Ended by the 2 s connect timeout (at most a retry), not by the silent server: with
    # slack for a loaded machine, far from the minutes a hung connection would take.
    assert answer["seconds"] < 10
    assert "Temporarily unavailable" in answer["page"]
    # The log names what happened, for the operator.
    assert "Service Unavailable: /" in result.stderr
