"""Redis is an accelerator, never a dependency (kremlin_meetings/cache.py).

A real redis-server on a free port, killed or stopped (SIGSTOP) mid-run, not a mock: pages
render uncached with one warning a minute, ``/healthz`` says ``"cache": "error"`` with 200,
an import finishes, and when Redis answers again a new data generation retires the pages
rendered before a change it missed.
"""

from __future__ import annotations

import logging
import shutil
import signal
import socket
import subprocess
import time
import uuid

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache

from kremlin_meetings import cache as resilient
from meetings import caching
from meetings.importer import run
from meetings.models import Meeting
from tests.factories import make_meeting
from tests.test_import_outcomes import REAL

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Redis:
    """A redis-server of the test's own, on a free port, without persistence."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:  # alive, holding its data, answering nothing
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis(settings, monkeypatch):
    server = Redis()
    server.start()
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "kremlin_meetings.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "KEY_PREFIX": f"test-{uuid.uuid4()}",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    # A fresh process's outage state, and a retry window short enough for a test.
    monkeypatch.setattr(resilient, "outage", resilient._Outage())
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0.5)
    yield server
    if server.process is not None and server.process.poll() is None:
        server.resume()
        server.kill()


def titles(response) -> list[str]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(strip=True) for h in soup.select(".meeting-row__title")]


def warnings_of(caplog) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "kremlin_meetings.cache" and r.levelno == logging.WARNING
    ]


def test_pages_render_uncached_with_one_warning_when_redis_dies(client, redis, caplog):
    make_meeting(kremlin_id=1, title="Talks with the Sultan")
    assert titles(client.get("/")) == ["Talks with the Sultan"]
    assert caching.data_generation() is not None  # Redis holds the generation

    redis.kill()
    caplog.set_level(logging.WARNING, logger="kremlin_meetings.cache")
    for _ in range(5):
        assert titles(client.get("/")) == ["Talks with the Sultan"]
        time.sleep(0.2)  # past the retry window now and then: Redis is asked again
    Meeting.objects.filter(kremlin_id=1).update(title="Talks with the Emir")
    assert titles(client.get("/")) == ["Talks with the Emir"]  # rendered, not remembered

    assert len(warnings_of(caplog)) == 1
    assert "Redis cache unreachable" in warnings_of(caplog)[0].getMessage()


def test_healthz_reports_the_cache_error_and_stays_200(client, redis):
    assert client.get("/healthz").json()["cache"] == "ok"
    redis.kill()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["cache"] == "error"


def test_an_import_finishes_while_redis_is_down(redis):
    redis.kill()
    with run.recorded("test") as summaries:
        summaries.append(run.import_paths([REAL]))  # data_changed's receivers must not raise
    assert Meeting.objects.count() == 1
    assert summaries[0].created == 1


def test_a_change_missed_while_redis_hung_retires_the_pages_when_it_answers(client, redis):
    make_meeting(kremlin_id=1, title="Talks with the Sultan")
    assert titles(client.get("/")) == ["Talks with the Sultan"]  # cached in Redis

    redis.stop()  # Redis keeps the old generation and page, but cannot be told
    with run.recorded("test") as summaries:
        summaries.append(run.import_paths([REAL]))
    assert summaries[0].created == 1
    redis.resume()
    time.sleep(resilient.RETRY_SECONDS + 0.1)

    shown = titles(client.get("/"))
    assert len(shown) == 2  # not the page cached before the import
    assert "Talks with the Sultan" in shown
    assert cache.get(caching.GENERATION_KEY) is not None  # the generation is back in Redis
    assert titles(client.get("/")) == shown
