"""Live fetching and listing crawls, against a local HTTP server serving saved pages.

No database and no internet: every request goes to 127.0.0.1, and a guard fails the test if
anything tries to connect elsewhere.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from meetings.importer import fetch, transfer
from meetings.importer.fetch import FetchBlocked, Fetcher, FetchError
from meetings.importer.listing import CrawlStats, crawl, parse_listing

FIXTURES = Path(__file__).parent / "fixtures" / "fetch" / "en"
NEWS = "/events/president/news"
D = dt.date


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


@pytest.fixture(autouse=True)
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
            "respect_robots": False,  # robots.txt has its own tests below
        }
        return Fetcher(**{**options, **overrides})

    return make


# --- synthetic listing pages in the site's markup ---------------------------------------------


def listing_page(
    entries: list[tuple[int, str, str]],
    *,
    page: int,
    prev_href: str | None = None,
    next_href: str | None = None,
) -> bytes:
    """A listing page in the real markup; entries are (id, ISO date, title), links absolute."""
    items = "".join(
        f'<div class="hentry h-entry hentry_event" data-id="{kremlin_id}" role="listitem">'
        f'<h3 class="hentry__title hentry__title_special">'
        f'<a href="http://en.kremlin.ru{NEWS}/{kremlin_id}" rel="bookmark" itemprop="url">'
        f'<span class="entry-title p-name" itemprop="name">{title}</span>'
        f'<span class="hentry__meta"><time class="published dt-published" datetime="{date}" '
        f'itemprop="datePublished">{date}, 12:00</time></span></a></h3></div>'
        for kremlin_id, date, title in entries
    )
    prev = (
        f'<a href="{prev_href}" class="button button_white more more-prev" rel="prev">Next</a>'
        if prev_href
        else ""
    )
    nxt = (
        f'<a href="{next_href}" class="button button_green more more-next" rel="next">Previous</a>'
        if next_href
        else ""
    )
    return (
        f'<!doctype html><html lang="en"><body><div class="events" id="events">{prev}'
        f'<div class="entry-content lister-page" role="list" data-page="{page}" '
        f'data-pages="1198">{items}</div>{nxt}</div></body></html>'
    ).encode()


def page_one() -> Reply:
    """Page 1: twenty items (a full page) newer than the saved page 2, one a day from 28
    August and the last thirteen on 21 August, linking to page 2 the live site's way."""
    entries = [(63912 + n, f"2020-08-{28 - min(n, 7)}", f"Item {n}") for n in range(20)]
    return Reply(body=listing_page(entries, page=1, next_href=f"http://en.kremlin.ru{NEWS}/page/2"))


PAGE_ONE_IDS = list(range(63912, 63932))
PAGE_TWO_IDS = [
    63911, 63908, 63907, 63904, 63903, 63906, 63905, 63900, 63898, 63897,
    63896, 63894, 63893, 63892, 63887, 63888, 63886, 63885, 63884, 63883,
]  # fmt: skip


def serve_pages_2_3_10(site: Site) -> None:
    for number in (2, 3, 10):
        site.page(f"{NEWS}/page/{number}", f"listings/page/{number}.html")


# --- URL helpers ------------------------------------------------------------------------------


def test_url_helpers_build_live_site_urls() -> None:
    assert fetch.event_url(63917, "en") == "http://en.kremlin.ru/events/president/news/63917"
    assert fetch.event_url(63917, "ru") == "http://kremlin.ru/events/president/news/63917"
    assert fetch.text_version_url(677, "ru") == "http://kremlin.ru/events/president/news/copy/677"
    assert fetch.listing_url("en") == "http://en.kremlin.ru/events/president/news"
    assert fetch.listing_url("en", page=3) == "http://en.kremlin.ru/events/president/news/page/3"
    assert (
        fetch.by_date_url("ru", D(2020, 3, 5))
        == "http://kremlin.ru/events/president/news/by-date/05.03.2020"
    )
    with pytest.raises(ValueError):
        fetch.event_url(1, "de")


def test_url_helpers_use_overridden_base_urls() -> None:
    bases = {"en": "http://127.0.0.1:8000/", "ru": "http://127.0.0.1:8001"}
    assert fetch.event_url(5, "en", bases) == "http://127.0.0.1:8000/events/president/news/5"
    assert fetch.language_of_url("http://127.0.0.1:8001/events/president/news/5", bases) == "ru"


@pytest.mark.parametrize(
    ("url", "lang"),
    [
        ("http://en.kremlin.ru/events/president/news/63917", "en"),
        ("https://en.kremlin.ru/events/president/news/63917", "en"),
        ("http://kremlin.ru/events/president/news/63917", "ru"),
        ("https://www.kremlin.ru/events/president/news/63917", "ru"),
    ],
)
def test_language_of_url(url: str, lang: str) -> None:
    assert fetch.language_of_url(url) == lang


def test_rebase_moves_live_links_onto_the_configured_site() -> None:
    fetcher = Fetcher(Path("/nonexistent"), base_urls={"en": "http://127.0.0.1:9/m/"})
    assert (
        fetcher.rebase("http://en.kremlin.ru/supplement/5522")
        == "http://127.0.0.1:9/m/supplement/5522"
    )


def test_language_of_url_refuses_other_sites() -> None:
    with pytest.raises(ValueError, match="not a kremlin.ru"):
        fetch.language_of_url("http://example.com/events/president/news/1")


# --- fetching ---------------------------------------------------------------------------------


def test_fetch_returns_page_and_identifies_itself(site: Site, make_fetcher) -> None:
    site.page(f"{NEWS}/63917", "events/63917.html")
    result = make_fetcher().fetch_event(63917, "en")

    assert b"Telephone conversation with European Council President Charles Michel" in (
        result.content
    )
    assert result.final_url == f"{site.url}{NEWS}/63917"
    assert not result.from_cache
    user_agent = site.hits[0].headers["user-agent"]
    assert user_agent.startswith("KremlinMeetings/")
    assert user_agent.endswith("(research archive)")


def test_text_decodes_the_declared_charset(site: Site, make_fetcher) -> None:
    site.page(f"{NEWS}/63917", "events/63917.html")
    site.route("/cp", Reply(body='<meta charset="windows-1251">Путин'.encode("cp1251")))
    fetcher = make_fetcher()

    assert "Charles Michel" in fetcher.fetch_event(63917, "en").text
    assert fetcher.fetch(f"{site.url}/cp").text.endswith("Путин")


def test_user_agent_can_name_the_deployment(site: Site, make_fetcher) -> None:
    site.route("/a", Reply())
    make_fetcher(user_agent=fetch.make_user_agent("https://meetings.example.org/about")).fetch(
        f"{site.url}/a"
    )
    assert (
        "(+https://meetings.example.org/about; research archive)"
        in (site.hits[0].headers["user-agent"])
    )


def test_delay_is_honoured_between_requests_on_the_wire(site: Site, make_fetcher) -> None:
    for n in range(3):
        site.route(f"/p{n}", Reply(body=b"ok"))
    fetcher = make_fetcher(delay=0.5, sleep=time.sleep, clock=time.monotonic)

    for n in range(3):
        fetcher.fetch(f"{site.url}/p{n}")

    arrivals = [hit.at for hit in site.hits]
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
    assert len(gaps) == 2
    # The delay counts from each request's start in the client; arrival at the server lags
    # that start by a few ms, more on a loaded machine, so allow 0.1 s of it (without a
    # delay the gaps are about 1 ms).
    assert all(gap >= 0.4 for gap in gaps), gaps


def test_delay_counts_from_the_start_of_the_last_request(
    site: Site, make_fetcher, clock: FakeClock
) -> None:
    site.route("/a", Reply())
    site.route("/b", Reply())
    fetcher = make_fetcher(delay=3.0)

    fetcher.fetch(f"{site.url}/a")
    clock.now += 1.0  # the caller parsed for a second
    fetcher.fetch(f"{site.url}/b")

    assert clock.sleeps == [2.0]


def test_cache_hits_neither_wait_nor_request(site: Site, make_fetcher, clock: FakeClock) -> None:
    site.page(f"{NEWS}/63917", "events/63917.html")
    fetcher = make_fetcher(delay=3.0)

    first = fetcher.fetch_event(63917, "en")
    second = fetcher.fetch_event(63917, "en")

    assert site.count(f"{NEWS}/63917") == 1
    assert second.from_cache and second.content == first.content
    assert clock.sleeps == []


def test_cache_survives_a_new_fetcher_and_is_keyed_by_host_and_path(
    site: Site, make_fetcher, tmp_path: Path
) -> None:
    site.page(f"{NEWS}/63917", "events/63917.html")
    make_fetcher().fetch_event(63917, "en")

    again = make_fetcher().fetch_event(63917, "en")

    assert again.from_cache
    assert site.count(f"{NEWS}/63917") == 1
    host = site.url.removeprefix("http://").replace(":", "_")
    cached = tmp_path / "cache" / host / "events/president/news/63917.html"
    assert cached.read_bytes() == again.content
    assert not [p for p in cached.parent.iterdir() if p.name.endswith(".tmp")]


def test_an_interrupted_cache_write_leaves_no_half_file(
    site: Site, make_fetcher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.route("/page", Reply(body=b"complete page"))

    def crash(src, dst):
        raise OSError("disk full")

    with monkeypatch.context() as patch, pytest.raises(OSError, match="disk full"):
        patch.setattr(transfer.os, "replace", crash)
        make_fetcher().fetch(f"{site.url}/page")

    assert [p for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []
    assert make_fetcher().fetch(f"{site.url}/page").from_cache is False


def test_refresh_refetches_and_overwrites_the_cache(site: Site, make_fetcher) -> None:
    site.route("/page", Reply(body=b"old"), Reply(body=b"new"))
    make_fetcher().fetch(f"{site.url}/page")

    refreshed = make_fetcher(refresh=True).fetch(f"{site.url}/page")
    cached = make_fetcher().fetch(f"{site.url}/page")

    assert refreshed.content == b"new" and not refreshed.from_cache
    assert cached.content == b"new" and cached.from_cache
    assert site.count("/page") == 2


def test_redirect_returns_and_remembers_the_final_url(site: Site, make_fetcher) -> None:
    site.route("/old", Reply(status=301, headers={"Location": "/new"}))
    site.route("/new", Reply(body=b"moved here"))

    fresh = make_fetcher().fetch(f"{site.url}/old")
    cached = make_fetcher().fetch(f"{site.url}/old")

    assert fresh.content == b"moved here"
    assert fresh.final_url == cached.final_url == f"{site.url}/new"
    assert cached.from_cache


def test_gzip_responses_are_decompressed(site: Site, make_fetcher) -> None:
    site.route("/z", Reply(body=gzip.compress(b"packed"), headers={"Content-Encoding": "gzip"}))
    assert make_fetcher().fetch(f"{site.url}/z").content == b"packed"
    assert "gzip" in site.hits[0].headers["accept-encoding"]


def test_429_waits_as_long_as_retry_after_says(site: Site, make_fetcher, clock: FakeClock) -> None:
    site.route("/busy", Reply(status=429, headers={"Retry-After": "7"}), Reply(body=b"ok"))

    result = make_fetcher().fetch(f"{site.url}/busy")

    assert result.content == b"ok"
    assert site.count("/busy") == 2
    assert clock.sleeps == [7.0]


def test_retry_after_may_be_an_http_date(site: Site, make_fetcher, clock: FakeClock) -> None:
    soon = email.utils.format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30))
    site.route("/busy", Reply(status=503, headers={"Retry-After": soon}), Reply(body=b"ok"))

    assert make_fetcher().fetch(f"{site.url}/busy").content == b"ok"
    assert len(clock.sleeps) == 1 and 25 <= clock.sleeps[0] <= 30


def test_corrupt_compressed_body_is_retried(site: Site, make_fetcher) -> None:
    site.route(
        "/z",
        Reply(body=b"not gzip at all", headers={"Content-Encoding": "gzip"}),
        Reply(body=b"fine"),
    )
    assert make_fetcher().fetch(f"{site.url}/z").content == b"fine"


def test_very_long_retry_after_stops_the_run(site: Site, make_fetcher) -> None:
    site.route("/busy", Reply(status=503, headers={"Retry-After": "86400"}))
    with pytest.raises(FetchBlocked, match="wait 86400 s"):
        make_fetcher().fetch(f"{site.url}/busy")


def test_server_errors_are_retried_with_exponential_backoff(
    site: Site, make_fetcher, clock: FakeClock
) -> None:
    site.route("/flaky", Reply(status=500), Reply(status=502), Reply(body=b"ok"))

    result = make_fetcher(backoff=2.0).fetch(f"{site.url}/flaky")

    assert result.content == b"ok"
    assert site.count("/flaky") == 3
    assert clock.sleeps == [2.0, 4.0]


def test_server_errors_give_up_after_the_retries(site: Site, make_fetcher) -> None:
    site.route("/down", Reply(status=503))
    with pytest.raises(FetchError) as failure:
        make_fetcher(retries=2).fetch(f"{site.url}/down")
    assert failure.value.status == 503
    assert site.count("/down") == 3


def test_repeated_403_stops_with_a_plain_message(site: Site, make_fetcher) -> None:
    site.route(f"{NEWS}/1", Reply(status=403))

    with pytest.raises(FetchBlocked) as blocked:
        make_fetcher(retries=5).fetch_event(1, "en")

    message = str(blocked.value)
    assert "refusing us" in message
    assert "retry later" in message and "delay" in message
    assert site.count(f"{NEWS}/1") == 3


def test_403s_in_a_row_across_pages_also_stop(site: Site, make_fetcher) -> None:
    site.route("/a", Reply(status=403))
    site.route("/b", Reply(status=403))
    fetcher = make_fetcher(retries=0)

    with pytest.raises(FetchError) as first:
        fetcher.fetch(f"{site.url}/a")
    assert not isinstance(first.value, FetchBlocked)
    with pytest.raises(FetchError):
        fetcher.fetch(f"{site.url}/b")
    with pytest.raises(FetchBlocked):
        fetcher.fetch(f"{site.url}/a")


def test_pages_failing_one_after_another_stop_the_run(site: Site, make_fetcher) -> None:
    for path in ("/a", "/b", "/c"):
        site.route(path, Reply(status=503))
    fetcher = make_fetcher(retries=1)

    for path in ("/a", "/b"):
        with pytest.raises(FetchError) as failed:
            fetcher.fetch(f"{site.url}{path}")
        assert not isinstance(failed.value, FetchBlocked)
    with pytest.raises(FetchBlocked, match="keeps failing .3 pages in a row"):
        fetcher.fetch(f"{site.url}/c")


def test_a_page_that_works_resets_the_failure_count(site: Site, make_fetcher) -> None:
    site.route("/down", Reply(status=500))
    site.route("/up", Reply(body=b"ok"))
    site.route("/missing", Reply(status=404))
    fetcher = make_fetcher(retries=0)

    for path in ("/down", "/down", "/up", "/down", "/missing", "/down", "/down"):
        try:
            fetcher.fetch(f"{site.url}{path}", use_cache=False)
        except FetchBlocked:
            pytest.fail(f"blocked at {path}: a success or a 404 must reset the count")
        except FetchError:
            pass


def test_404_is_a_fetch_error_for_that_url_without_retries(site: Site, make_fetcher) -> None:
    fetcher = make_fetcher()
    with pytest.raises(FetchError) as missing:
        fetcher.fetch_event(99999999, "en")

    assert not isinstance(missing.value, FetchBlocked)
    assert missing.value.status == 404
    assert missing.value.url == f"{site.url}{NEWS}/99999999"
    assert missing.value.detail == "HTTP 404 Not Found"
    assert site.count(f"{NEWS}/99999999") == 1
    site.route("/fine", Reply(body=b"ok"))
    assert fetcher.fetch(f"{site.url}/fine").content == b"ok"  # the fetcher carries on


def test_timeouts_are_retried(site: Site, make_fetcher) -> None:
    site.route("/slow", Reply(body=b"late", delay=2.0), Reply(body=b"ok"))

    # 0.5 s: ample for the quick reply on a loaded machine, a quarter of the slow one.
    result = make_fetcher(timeout=0.5).fetch(f"{site.url}/slow")

    assert result.content == b"ok"
    assert site.count("/slow") == 2


def test_endless_timeouts_become_a_fetch_error(site: Site, make_fetcher) -> None:
    site.route("/slow", Reply(delay=1.0))
    with pytest.raises(FetchError, match="network error after 2 tries"):
        make_fetcher(timeout=0.2, retries=1).fetch(f"{site.url}/slow")


def test_connection_refused_stops_at_once_with_one_line(make_fetcher, clock: FakeClock) -> None:
    # No network, or the site down: retrying made a live import hang for 71 s.
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchBlocked, match=f"cannot reach 127.0.0.1:{port}") as caught:
        make_fetcher(retries=2).fetch(f"http://127.0.0.1:{port}/x")
    assert clock.sleeps == []
    assert "\n" not in str(caught.value)


def test_a_name_that_does_not_resolve_stops_at_once(
    make_fetcher, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_dns(address, *args, **kwargs):  # what a machine without network answers
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "create_connection", no_dns)
    with pytest.raises(FetchBlocked, match="cannot reach kremlin.invalid"):
        make_fetcher(retries=2).fetch("http://kremlin.invalid/x")
    assert clock.sleeps == []


def test_robots_txt_disallowed_pages_are_not_fetched(site: Site, make_fetcher) -> None:
    site.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /search\n"))
    site.route("/search", Reply(body=b"results"))
    site.page(f"{NEWS}/63917", "events/63917.html")
    fetcher = make_fetcher(respect_robots=True)

    with pytest.raises(FetchError, match="robots.txt"):
        fetcher.fetch(f"{site.url}/search")
    fetcher.fetch_event(63917, "en")

    assert site.paths() == [f"{NEWS}/63917"]
    assert site.count("/robots.txt") == 1  # read once per site


def test_robots_txt_wildcards_are_read_as_rfc_9309_says(site: Site, make_fetcher) -> None:
    """The project's own robots.txt (meetings/site_views.py) keeps crawlers off its exports
    with ``/*?*format=``: a rule urllib.robotparser reads as a literal path."""
    from django.test import Client

    robots = Client().get("/robots.txt").content
    assert b"Disallow: /*?*format=" in robots
    site.route("/robots.txt", Reply(body=robots))
    site.route("/meetings/?country=CN", Reply(body=b"list"))
    fetcher = make_fetcher(respect_robots=True)

    with pytest.raises(FetchError, match="robots.txt"):
        fetcher.fetch(f"{site.url}/meetings/?country=CN&format=csv")
    assert fetcher.fetch(f"{site.url}/meetings/?country=CN").content == b"list"
    assert site.paths() == ["/meetings/?country=CN"]


def test_robots_txt_crawl_delay_slows_us_down(site: Site, make_fetcher, clock: FakeClock) -> None:
    site.route("/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 10\n"))
    site.route("/a", Reply())
    site.route("/b", Reply())
    fetcher = make_fetcher(respect_robots=True, delay=3.0)

    fetcher.fetch(f"{site.url}/a")
    fetcher.fetch(f"{site.url}/b")

    assert clock.sleeps == [10.0, 10.0]  # robots.txt -> /a -> /b


def test_missing_robots_txt_allows_everything(site: Site, make_fetcher) -> None:
    site.route("/a", Reply(body=b"ok"))
    assert make_fetcher(respect_robots=True).fetch(f"{site.url}/a").content == b"ok"
    assert site.count("/robots.txt") == 1


# --- parsing listing pages --------------------------------------------------------------------


def test_parse_listing_reads_entries_and_mirror_links() -> None:
    url = f"http://en.kremlin.ru{NEWS}/page/2"
    page = parse_listing((FIXTURES / "listings/page/2.html").read_bytes(), url)

    assert [e.kremlin_id for e in page.entries] == PAGE_TWO_IDS
    first = page.entries[0]
    assert first.url == f"http://en.kremlin.ru{NEWS}/63911"
    assert first.date == D(2020, 8, 19)
    assert first.title == (
        "Greetings on opening of Biryusa 2020 Territory of Proactive Youth forum"
    )
    assert page.entries[-1].date == D(2020, 8, 12)
    assert (page.page, page.next_page, page.prev_page) == (2, 3, 1)
    assert page.next_url == f"http://en.kremlin.ru{NEWS}/page/3"
    assert page.prev_url == f"http://en.kremlin.ru{NEWS}"


def test_parse_by_date_page_links_into_the_paged_listing() -> None:
    url = f"http://en.kremlin.ru{NEWS}/by-date/05.03.2020"
    page = parse_listing((FIXTURES / "listings/by-date/05.03.2020.html").read_bytes(), url)

    assert page.page == 24
    assert page.next_url == f"http://en.kremlin.ru{NEWS}/page/25"
    assert [e.date for e in page.entries[-6:]] == [D(2020, 3, 5)] * 6
    assert page.entries[0].date == D(2020, 3, 10)


def test_parse_listing_last_page_has_nothing_older() -> None:
    body = listing_page([(1, "2000-01-01", "First item")], page=1198, prev_href="1197")
    page = parse_listing(body, f"http://en.kremlin.ru{NEWS}/page/1198")
    assert not page.has_older
    assert page.prev_page == 1197
    assert page.entries[0].url == f"http://en.kremlin.ru{NEWS}/1"


# --- crawling ---------------------------------------------------------------------------------


def test_crawl_walks_from_page_one_until_entries_get_older_than_since(
    site: Site, make_fetcher
) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)

    ids = [e.kremlin_id for e in crawl(make_fetcher(), "en", since=D(2020, 8, 10))]

    page_three_from_10_august = [63882, 63881, 63877, 63879, 63875, 63874, 63872]
    assert ids == PAGE_ONE_IDS + PAGE_TWO_IDS + page_three_from_10_august
    assert site.paths() == [NEWS, f"{NEWS}/page/2", f"{NEWS}/page/3"]  # never page/4


def test_crawl_jumps_to_until_through_by_date(site: Site, make_fetcher) -> None:
    site.page(f"{NEWS}/by-date/05.03.2020", "listings/by-date/05.03.2020.html")
    older = [(62935, "2020-03-05", "a"), (62930, "2020-03-04", "b"), (62920, "2020-02-28", "c")]
    older += [(62900 + n, "2020-02-27", "filler") for n in range(17)]  # a full page of 20
    site.route(f"{NEWS}/page/25", Reply(body=listing_page(older, page=25, next_href="26")))

    entries = list(crawl(make_fetcher(), "en", since=D(2020, 3, 1), until=D(2020, 3, 5)))

    assert [e.kremlin_id for e in entries] == [
        62948, 62936, 62946, 62945, 62937, 62938, 62935, 62930,
    ]  # fmt: skip
    assert all(D(2020, 3, 1) <= e.date <= D(2020, 3, 5) for e in entries)
    assert site.paths() == [f"{NEWS}/by-date/05.03.2020", f"{NEWS}/page/25"]


def test_crawl_steps_back_when_until_may_begin_on_a_newer_page(site: Site, make_fetcher) -> None:
    site.page(f"{NEWS}/by-date/11.01.2020", "listings/by-date/11.01.2020.html")
    newer = [(62580 + n, "2020-01-14", "filler") for n in range(17)]  # a full page of 20
    newer += [(62572, "2020-01-13", "x"), (62570, "2020-01-12", "y"), (62569, "2020-01-11", "z")]
    site.route(f"{NEWS}/page/33", Reply(body=listing_page(newer, page=33, next_href="34")))

    ids = [
        e.kremlin_id
        for e in crawl(make_fetcher(), "en", since=D(2020, 1, 10), until=D(2020, 1, 11))
    ]

    assert ids == [62569, 62568, 62565, 62562, 62554, 62564, 62563, 62561, 62559]
    # page 34 is the by-date page already in hand; page 32 cannot hold 11 January.
    assert site.paths() == [f"{NEWS}/by-date/11.01.2020", f"{NEWS}/page/33"]


def test_crawl_falls_back_to_page_one_when_by_date_is_missing(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)

    ids = [
        e.kremlin_id
        for e in crawl(make_fetcher(), "en", since=D(2020, 8, 17), until=D(2020, 8, 18))
    ]

    assert ids == [63908, 63907, 63904, 63903, 63906, 63905, 63900, 63898, 63897]
    assert site.paths()[0] == f"{NEWS}/by-date/18.08.2020"


def test_crawl_starts_from_page_one_when_by_date_lists_nothing(site: Site, make_fetcher) -> None:
    site.route(f"{NEWS}/by-date/01.01.2030", Reply(body=listing_page([], page=1)))
    site.route(NEWS, page_one())

    ids = [
        e.kremlin_id for e in crawl(make_fetcher(), "en", since=D(2020, 8, 27), until=D(2030, 1, 1))
    ]

    assert ids == [63912, 63913]  # 28 and 27 August


def test_crawl_never_loops_on_a_page_linking_to_itself(site: Site, make_fetcher) -> None:
    body = listing_page([(n, "2020-08-05", "e") for n in range(5, 25)], page=1, next_href=NEWS)
    site.route(NEWS, Reply(body=body))
    ids = [e.kremlin_id for e in crawl(make_fetcher(), "en", since=D(2020, 1, 1))]
    assert ids == list(range(5, 25))
    assert site.count(NEWS) == 1


def test_crawl_stops_after_max_pages(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)
    ids = [e.kremlin_id for e in crawl(make_fetcher(), "en", since=D(2020, 1, 1), max_pages=2)]
    assert ids == PAGE_ONE_IDS + PAGE_TWO_IDS
    assert site.paths() == [NEWS, f"{NEWS}/page/2"]


def test_crawl_hands_out_event_urls_on_the_fetchers_site(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())  # the page links to http://en.kremlin.ru/... absolutely
    entry = next(crawl(make_fetcher(), "en", since=D(2020, 8, 28)))
    assert entry.url == f"{site.url}{NEWS}/63912"


def test_crawl_yields_each_id_once_when_items_shift_between_pages(site: Site, make_fetcher) -> None:
    first = [(100 + n, "2020-08-04", "d") for n in range(18)]  # a full page of 20
    first += [(3, "2020-08-03", "c"), (2, "2020-08-02", "b")]
    second = [(2, "2020-08-02", "b"), (1, "2020-08-01", "a")]  # 2 slid down a page meanwhile
    site.route(NEWS, Reply(body=listing_page(first, page=1, next_href=f"{NEWS}/page/2")))
    site.route(f"{NEWS}/page/2", Reply(body=listing_page(second, page=2)))

    ids = [e.kremlin_id for e in crawl(make_fetcher(), "en", since=D(2020, 1, 1))]

    assert ids == [*range(100, 118), 3, 2, 1]


def test_crawl_refetches_listing_pages_on_every_run(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)
    fetcher = make_fetcher()

    list(crawl(fetcher, "en", since=D(2020, 8, 20)))
    list(crawl(fetcher, "en", since=D(2020, 8, 20)))

    assert site.count(NEWS) == 2


def test_crawl_skips_failed_listing_pages_and_counts_them(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)  # pages 4-9 are missing: 404
    stats = CrawlStats()

    ids = [
        e.kremlin_id
        for e in crawl(make_fetcher(), "en", since=D(2020, 6, 15), stats=stats, max_failed_pages=7)
    ]

    assert ids[-8:] == [63523, 63537, 63517, 63513, 63510, 63509, 63508, 63507]
    assert stats.pages_failed == [f"{site.url}{NEWS}/page/{n}" for n in range(4, 10)]
    assert stats.pages_fetched == 4
    assert stats.entries_yielded == len(ids)


def test_crawl_stops_after_too_many_failed_listing_pages(site: Site, make_fetcher) -> None:
    site.route(NEWS, page_one())
    serve_pages_2_3_10(site)
    yielded = []

    with pytest.raises(FetchError, match="3 listing page"):
        for entry in crawl(make_fetcher(), "en", since=D(2020, 6, 15)):
            yielded.append(entry.kremlin_id)

    assert yielded[-1] == 63779  # everything up to the gap was handed over first
    assert f"{NEWS}/page/7" not in site.paths()


def test_crawl_stops_when_the_site_blocks_us(site: Site, make_fetcher) -> None:
    site.route(NEWS, Reply(status=403))
    with pytest.raises(FetchBlocked):
        list(crawl(make_fetcher(), "en", since=D(2020, 1, 1)))


def test_crawl_rejects_an_inverted_range(make_fetcher) -> None:
    with pytest.raises(ValueError, match="before since"):
        list(crawl(make_fetcher(), "en", since=D(2020, 2, 1), until=D(2020, 1, 1)))
