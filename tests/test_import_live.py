"""``import_meetings --id/--url/--crawl`` against a local HTTP server serving saved pages.

No internet: the command's base URLs point at 127.0.0.1 (``KREMLIN_BASE_URLS``) and a guard
fails the test if anything connects elsewhere. Fetcher details (backoff, Retry-After,
robots.txt) are tested in ``test_fetch.py``; these tests are about the import runs.
"""

from __future__ import annotations

import datetime as dt
import io
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.models import ImportRun, Meeting
from meetings.models.coverage import CoveredDay, covered_days
from tests.test_import import SUPPLEMENT_3762

PAGES = Path(__file__).parent / "fixtures" / "pages"
LISTINGS = Path(__file__).parent / "fixtures" / "fetch" / "en" / "listings"
NEWS = "/events/president/news"
D = dt.date

pytestmark = pytest.mark.django_db


class Site:
    """en.kremlin.ru as saved: event pages from tests/fixtures/pages, listings, supplements."""

    def __init__(self) -> None:
        self.url = ""
        self.forbidden = False
        self.hits: list[tuple[str, float]] = []
        self.routes: dict[str, bytes] = {
            f"{NEWS}/by-date/11.01.2020": (LISTINGS / "by-date" / "11.01.2020.html").read_bytes(),
            # The page before the one holding 11.01.2020: all newer, so out of range.
            f"{NEWS}/page/33": (LISTINGS / "by-date" / "07.02.2020.html").read_bytes(),
            "/supplement/3762": SUPPLEMENT_3762.encode(),
        }
        for page in PAGES.glob("en-[0-9]*.html"):
            self.routes[f"{NEWS}/{page.stem.removeprefix('en-')}"] = page.read_bytes()

    def event_hits(self) -> list[str]:
        return [path for path, _ in self.hits if path != "/robots.txt"]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        site: Site = self.server.site  # type: ignore[attr-defined]
        site.hits.append((self.path, time.monotonic()))
        body = site.routes.get(self.path)
        status = 403 if site.forbidden else (200 if body is not None else 404)
        body = body if status == 200 else b"no"
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.create_connection

    def local_only(address, *args, **kwargs):
        if address[0] not in ("127.0.0.1", "localhost"):
            raise AssertionError(f"test tried to reach the network: {address}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", local_only)


@pytest.fixture
def site(settings, tmp_path) -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.site = Site()  # type: ignore[attr-defined]
    server.site.url = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    settings.VAR_DIR = tmp_path / "var"
    settings.KREMLIN_BASE_URLS = {"en": server.site.url, "ru": "http://127.0.0.1:9"}  # type: ignore[attr-defined]
    settings.KREMLIN_FETCH_OPTIONS = {"backoff": 0.01, "max_backoff": 0.05}
    try:
        yield server.site  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_meetings", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_id_fetches_and_imports_the_event(site):
    out, _ = command("--id", "62562", "--lang", "en", "--delay", "0")
    assert "created 1," in out
    meeting = Meeting.objects.get(kremlin_id=62562, language="en")
    assert meeting.source_url == "http://en.kremlin.ru/events/president/news/62562"
    assert meeting.utterances.exists()
    assert site.event_hits() == [f"{NEWS}/62562"]


def test_second_run_reuses_the_cache_and_refresh_refetches(site, settings):
    command("--id", "62562", "--lang", "en", "--delay", "0")
    assert (settings.VAR_DIR / "cache").is_dir()
    out, _ = command("--id", "62562", "--lang", "en", "--delay", "0")
    assert "unchanged 1" in out
    assert site.event_hits() == [f"{NEWS}/62562"]  # no second request
    out, _ = command("--id", "62562", "--lang", "en", "--delay", "0", "--refresh")
    assert "unchanged 1" in out
    assert site.event_hits() == [f"{NEWS}/62562"] * 2


def test_url_imports_that_page(site):
    out, _ = command("--url", f"{site.url}{NEWS}/62936", "--delay", "0")
    assert "created 1," in out
    assert Meeting.objects.get().title == "Russian-Turkish talks"


def test_delay_is_honoured_between_requests(site):
    command("--id", "62562", "--id", "62936", "--id", "62752", "--lang", "en", "--delay", "0.3")
    starts = [at for path, at in site.hits if path != "/robots.txt"]
    assert len(starts) == 3
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    # The site notes a request when its thread gets to it: on a busy machine one arrival can
    # be noted late, which lengthens one gap and shortens the next. Over the run the delay
    # holds (at least 0.6 s for two gaps), and no gap comes near no delay at all.
    assert sum(gaps) >= 0.59
    assert min(gaps) >= 0.15


def test_crawl_imports_the_days_events_and_reports_missing_ones(site):
    with pytest.raises(CommandError, match="input"):
        out, err = command(
            "--crawl",
            "--lang",
            "en",
            "--since",
            "2020-01-11",
            "--until",
            "2020-01-11",
            "--delay",
            "0",
        )
    imported = set(Meeting.objects.values_list("kremlin_id", flat=True))
    assert imported == {62562, 62563}  # the two of that day's events we have pages for
    fetched = site.event_hits()
    for kremlin_id in (62568, 62565, 62562, 62554, 62564, 62563):
        assert f"{NEWS}/{kremlin_id}" in fetched
    assert f"{NEWS}/62561" not in fetched  # the day before is out of range


def test_crawl_failures_are_one_line_each(site):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_meetings",
            "--crawl",
            "--lang",
            "en",
            "--since",
            "2020-01-11",
            "--until",
            "2020-01-11",
            "--delay",
            "0",
            stdout=io.StringIO(),
            stderr=err,
        )
    lines = err.getvalue().splitlines()
    assert len(lines) == 4  # 62568, 62565, 62554, 62564 are not on the test site
    assert all("HTTP 404" in line and f"{NEWS}/" in line for line in lines)


def test_live_import_fetches_linked_supplements(site):
    out, _ = command("--id", "28260", "--lang", "en", "--delay", "0")
    assert "created 2," in out  # the event and its supplement page
    meeting = Meeting.objects.get(kremlin_id=28260)
    assert [d.kind for d in meeting.documents.order_by("position")] == [
        "declaration",
        "agreement",
    ]
    assert "/supplement/3762" in site.event_hits()


def test_403_stops_cleanly_after_saving_what_was_done(site):
    command("--id", "62562", "--lang", "en", "--delay", "0")
    site.forbidden = True
    with pytest.raises(CommandError, match="refusing"):
        command("--id", "62936", "--id", "62752", "--lang", "en", "--delay", "0", "--refresh")
    assert Meeting.objects.filter(kremlin_id=62562).exists()
    assert not Meeting.objects.filter(kremlin_id=62936).exists()


def test_no_network_stops_within_seconds_with_one_line(site):
    # kremlin.ru points at 127.0.0.1:9 here, where nothing listens: what an import without
    # network sees. It used to retry for 71 s.
    started = time.monotonic()
    with pytest.raises(
        CommandError, match=r"stopped early: .*cannot reach 127\.0\.0\.1:9"
    ) as caught:
        command("--id", "62562", "--lang", "ru", "--delay", "0")
    assert time.monotonic() - started < 5
    assert "\n" not in str(caught.value)


def test_a_listing_page_cut_short_is_fetched_again_and_reported(site, tmp_path):
    by_date = f"{NEWS}/by-date/11.01.2020"
    site.routes[by_date] = site.routes[by_date][:18_000]  # status 200, 18 kB of 47
    report = tmp_path / "report.tsv"
    with pytest.raises(CommandError, match="input"):
        command(
            "--crawl", "--lang", "en", "--since", "2020-01-11", "--until", "2020-01-11",
            "--delay", "0", "--report", str(report),
        )  # fmt: skip
    assert [path for path in site.event_hits() if path == by_date] == [by_date, by_date]
    failed = [line for line in report.read_text().splitlines() if line.startswith("failed\t")]
    listing = f"failed\t{site.url}{by_date}: "
    incomplete = "listing page incomplete twice (cut short: no closing </html>)"
    assert f"{listing}{incomplete}; events on it may be missing" in failed
    assert any(
        line.startswith(f"{listing}listing entry not read: an entry without") for line in failed
    )

    run = ImportRun.objects.get()
    assert run.failed == len(failed) == len(run.failures.splitlines())
    assert set(run.failures.splitlines()) == {line.removeprefix("failed\t") for line in failed}
    summary = report.read_text().splitlines()[-1]
    assert summary == f"summary\t{run.summary_line()}"
    # 62562 was listed before the cut and is imported; 62563, listed after it, is not.
    assert set(Meeting.objects.values_list("kremlin_id", flat=True)) == {62562}
    # The day was not seen whole: not covered.
    assert covered_days("en", D(2020, 1, 11), D(2020, 1, 11)) == set()


def test_a_whole_crawl_records_its_days_as_covered(site):
    with pytest.raises(CommandError, match="input"):  # four of the day's pages are not served
        command(
            "--crawl", "--lang", "en", "--since", "2020-01-10", "--until", "2020-01-11",
            "--delay", "0",
        )  # fmt: skip
    assert covered_days("en", D(2020, 1, 1), D(2020, 1, 31)) == {D(2020, 1, 10), D(2020, 1, 11)}
    assert covered_days("ru", D(2020, 1, 1), D(2020, 1, 31)) == set()
    run = ImportRun.objects.get()
    assert set(CoveredDay.objects.values_list("via", "run_id")) == {("crawl", run.pk)}
