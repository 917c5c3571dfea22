"""``/healthz`` and the admin index: does the database answer, how did the last import go."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings.models import ImportRun

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
    html = response.content.decode()
    assert "Last import" in html
    assert "created 7, updated 0, unchanged 0, skipped 0, conflicts 0, failed 1" in html
    assert "bad.html: cannot parse" in html


def test_admin_index_without_a_run(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert "No import has run yet." in response.content.decode()
