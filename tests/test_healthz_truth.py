"""``/healthz`` never lies: asked of the database every time (never from the page cache, a
proxy or a browser), bounded in time, 503 when the static files' manifest cannot be read, and
``Retry-After`` from the one setting (meetings/web/health.py)."""

from __future__ import annotations

import time
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"healthz-{uuid.uuid4()}",
        }
    }
    return settings


def test_healthz_is_no_store_and_never_served_from_the_page_cache(client, page_cache, monkeypatch):
    first = client.get("/healthz")
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]

    def refuse(*args, **kwargs):  # PostgreSQL stopped after the first answer
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    second = client.get("/healthz")
    assert second.status_code == 503
    assert second.json()["database"] == "error"
    assert "no-store" in second["Cache-Control"]


def test_retry_after_comes_from_the_one_setting(client, settings, monkeypatch):
    settings.DATABASE_RETRY_AFTER_SECONDS = 7

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert (response.status_code, response["Retry-After"]) == (503, "7")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthz_answers_within_the_connect_timeout_when_the_database_hangs(client, settings):
    """A server that takes the connection but never answers (here: a lock held by another
    session) is down too; the answer comes within DATABASE_CONNECT_TIMEOUT."""
    settings.DATABASE_CONNECT_TIMEOUT = 1
    params = connection.get_connection_params()
    dsn = {k: params[k] for k in ("dbname", "user", "host", "port") if params.get(k)}
    with psycopg.connect(**dsn) as blocker:
        blocker.execute("LOCK TABLE meetings_importrun IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
        blocker.rollback()
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert elapsed < 2.5


def test_healthz_is_503_when_the_static_manifest_is_missing(client, settings, tmp_path):
    """Production storage before collectstatic: every page would 500, so /healthz says so."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["database"], body["static"]) == ("ok", "error")
    assert "css/site.css" in body["static_error"]
    assert response["Retry-After"] == str(settings.DATABASE_RETRY_AFTER_SECONDS)


def test_healthz_is_200_once_collectstatic_wrote_the_manifest(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["static"] == "ok"
