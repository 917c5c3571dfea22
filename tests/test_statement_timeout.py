"""No query outlives its request: web connections carry ``statement_timeout`` =
``DATABASE_STATEMENT_TIMEOUT``, below gunicorn's timeout; commands lift it
(kremlin_meetings/statements.py).

The slow query is real: another session holds a lock on the meetings table, so the home
page's query waits inside PostgreSQL exactly as a runaway plan would.
"""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request

import psycopg
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection

from kremlin_meetings.statements import with_statement_timeout
from tests.databases import database_url
from tests.factories import make_meeting
from tests.test_gunicorn import serving
from tests.test_settings import run_manage


def _dsn() -> dict:
    params = connection.get_connection_params()
    return {k: params[k] for k in ("dbname", "user", "host", "port") if params.get(k)}


@pytest.fixture
def production_gunicorn(tmp_path):
    """gunicorn with production settings on the test database: a 1 s statement timeout
    under a 4 s worker timeout."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DEBUG="0",
        SECRET_KEY="statement-timeout-test-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url(),
        DATABASE_STATEMENT_TIMEOUT="1",
        GUNICORN_TIMEOUT="4",
        PAGE_CACHE_SECONDS="0",
        KM_VAR_DIR=str(tmp_path),
    )
    with serving(env) as port:
        yield port


def waiting_on_a_lock(blocker: psycopg.Connection) -> int:
    row = blocker.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
    ).fetchone()
    return row[0] if row else 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_slow_query_is_cancelled_with_the_503_page_and_leaves_nothing_running(
    production_gunicorn,
):
    make_meeting(kremlin_id=1, title="Talks with the Sultan")
    with psycopg.connect(**_dsn(), autocommit=False) as blocker:
        blocker.execute("LOCK TABLE meetings_meeting IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{production_gunicorn}/", timeout=10
            ) as answer:
                status, body = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        elapsed = time.monotonic() - started
        # The page's query is gone from PostgreSQL while the lock is still held.
        lingering = waiting_on_a_lock(blocker)
        blocker.rollback()

    assert status == 503
    heading = BeautifulSoup(body, "html.parser").select_one("h1")
    assert heading is not None and heading.get_text().startswith("Temporarily unavailable")
    # Cancelled by PostgreSQL, not killed by gunicorn at 4 s: a killed worker sends no page
    # at all, so the site's 503 page above is the proof (no wall-clock bound: a loaded
    # machine stretches it).
    assert elapsed < 30
    assert lingering == 0


def test_web_connections_get_the_statement_timeout_from_the_setting():
    options = settings.DATABASES["default"]["OPTIONS"]["options"]
    assert "jit=off" in options
    assert "statement_timeout=" in options
    assert with_statement_timeout("-c jit=off -c statement_timeout=25000", 0) == (
        "-c jit=off -c statement_timeout=0"
    )


def test_a_statement_timeout_not_below_gunicorns_is_refused():
    result = run_manage("check", DEBUG="1", GUNICORN_TIMEOUT="20", DATABASE_STATEMENT_TIMEOUT="20")
    assert result.returncode != 0
    assert "DATABASE_STATEMENT_TIMEOUT=20 must be below GUNICORN_TIMEOUT=20" in result.stderr


@pytest.mark.django_db
def test_the_default_is_five_seconds_below_gunicorns():
    result = run_manage(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor();"
        " c.execute('SHOW statement_timeout'); print(c.fetchone()[0])",
        DEBUG="1",
        GUNICORN_TIMEOUT="12",
        DATABASE_URL=database_url(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "7s"
