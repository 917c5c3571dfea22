"""Live fetching (``meetings/importer/fetch.py``): URLs, politeness, the cache, retries and
robots.txt, against a local HTTP server (``tests/fake_site.py``).

No database and no internet: every request goes to 127.0.0.1, and a guard fails the test if
anything tries to connect elsewhere.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import socket
import time
from pathlib import Path

import pytest

from meetings.importer import fetch, transfer
from meetings.importer.fetch import FetchBlocked, Fetcher, FetchError
from tests.fake_site import NEWS, FakeClock, Reply, Site

pytestmark = pytest.mark.usefixtures("no_internet")
D = dt.date


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
    """The project's own robots.txt (meetings/views/site.py) keeps crawlers off its exports
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
