"""A scriptable local kremlin.ru for the fetcher's and the listing crawler's tests: a real
HTTP server on 127.0.0.1 whose paths answer scripted replies, a clock that moves only when
the fetcher sleeps, and a guard that fails a test trying to reach any other address.

Registered for every test module by ``tests/conftest.py``; a module that fetches says
``pytestmark = pytest.mark.usefixtures("no_internet")``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from meetings.importer.fetch import Fetcher

FIXTURES = Path(__file__).parent / "fixtures" / "fetch" / "en"
NEWS = "/events/president/news"


# --- a scriptable local site ------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"<html></html>"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds the server waits before answering (for timeouts)


@dataclass
class Hit:
    path: str
    at: float  # time.monotonic() when the request arrived
    headers: dict[str, str]  # names lower-cased


class Site:
    """Routes paths to scripted replies; each path's replies are used in turn, the last repeats."""

    def __init__(self) -> None:
        self.url = ""
        self.routes: dict[str, list[Reply]] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def page(self, path: str, fixture: str) -> None:
        self.route(path, Reply(body=(FIXTURES / fixture).read_bytes()))

    def reply_for(self, path: str) -> Reply:
        with self._lock:
            replies = self.routes.get(path)
            if not replies:
                return Reply(status=404, body=b"not found")
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.hits.append(Hit(path, time.monotonic(), headers))

    def paths(self) -> list[str]:
        """Paths requested, in order, leaving out /robots.txt."""
        return [hit.path for hit in self.hits if hit.path != "/robots.txt"]

    def count(self, path: str) -> int:
        return [hit.path for hit in self.hits].count(path)


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        site = self.server.site
        site.record(self.path, {k.lower(): v for k, v in self.headers.items()})
        reply = site.reply_for(self.path)
        if reply.delay:
            time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    site: Site


@pytest.fixture
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if anything tries to connect anywhere but the local test server."""
    real = socket.create_connection

    def local_only(address, *args, **kwargs):
        host = address[0]
        if host not in ("127.0.0.1", "localhost"):
            raise AssertionError(f"test tried to reach the network: {address}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", local_only)


@pytest.fixture
def site() -> Iterator[Site]:
    server = _SiteServer(("127.0.0.1", 0), _Handler)
    server.site = Site()
    server.site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server.site
    finally:
        server.shutdown()
        server.server_close()


class FakeClock:
    """A clock that only moves when the fetcher sleeps; records each requested sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_fetcher(site: Site, tmp_path: Path, clock: FakeClock) -> Callable[..., Fetcher]:
    def make(**overrides) -> Fetcher:
        options = {
            "cache_dir": tmp_path / "cache",
            "delay": 0.0,
            "backoff": 1.0,
            "timeout": 5.0,
            "base_urls": {"en": site.url, "ru": site.url},
            "sleep": clock.sleep,
            "clock": clock,
            "respect_robots": False,  # robots.txt has its own tests in test_fetch.py
        }
        return Fetcher(**{**options, **overrides})

    return make
