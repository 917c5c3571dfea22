"""End-to-end (issue 18): the map, the network, a source version's diff and a flagged
RU/EN difference, at desktop and phone width; axe-core checks every page visited.

The changed page and the RU/EN pair are BUILT from real pages (see
tests/test_source_versions.py and tests/test_differences.py): en-62562.html served twice by
a local HTTP server, the second time with one of Putin's turns edited; the synthetic Russian
version of en-51266.html with Seehofer's long turn cut short.

Screenshots for the README only with ``SCREENSHOT_DIR`` set:
``SCREENSHOT_DIR=docs/screenshots .venv/bin/pytest -m browser tests/browser/test_viz.py
-k screenshots``.
"""

from __future__ import annotations

import io
import os
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from meetings.models.versions import SourceCheck
from tests import test_import_live as live
from tests.browser.conftest import committed_for_module, sync_api
from tests.browser.support import BROWSER, DESKTOP, PHONE
from tests.test_differences import shortened_russian
from tests.test_source_versions import edited_page

pytestmark = BROWSER
expect = sync_api.expect

WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


@pytest.fixture(scope="module")
def built(live_site, django_db_blocker, tmp_path_factory):
    """The corpus with the two BUILT changes of this module, committed so the live server
    sees them and undone after the module's last test: en-62562 imported from a local
    en.kremlin.ru, then re-checked there after one of Putin's turns was edited (the
    re-check's output is returned); and the Russian version of 51266 read again with
    Seehofer's long turn cut short (``shortened_russian``)."""
    folder = tmp_path_factory.mktemp("viz")
    server = ThreadingHTTPServer(("127.0.0.1", 0), live.Handler)
    server.daemon_threads = True
    server.site = site = live.Site()  # type: ignore[attr-defined]
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    options = {"backoff": 0.01, "max_backoff": 0.05}
    try:
        with (
            override_settings(
                VAR_DIR=folder / "var",
                KREMLIN_BASE_URLS={"en": site.url, "ru": "http://127.0.0.1:9"},
                KREMLIN_FETCH_OPTIONS=options,
            ),
            committed_for_module(django_db_blocker),
        ):
            out = io.StringIO()
            call_command(
                "import_meetings", "--id", "62562", "--lang", "en", "--delay", "0", stdout=out
            )
            site.routes[f"{live.NEWS}/62562"] = edited_page(folder).read_bytes()
            checks = SourceCheck.objects.filter(meeting__kremlin_id=62562)
            checks.update(next_check_at=timezone.now())
            call_command("import_meetings", "--recheck", "--delay", "0", stdout=out)
            call_command(
                "import_meetings",
                str(shortened_russian(folder)),
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
            yield out.getvalue()
    finally:
        server.shutdown()
        server.server_close()


@WIDTHS
def test_map_links_and_titles_match_the_table(open_page, viewport):
    page = open_page("/map/?from=2016&to=2020", viewport=viewport)
    links = page.locator("svg a.map__link")
    expect(links.first).to_be_attached()
    table = {
        row.get_attribute("data-code"): int(row.locator("td.num").inner_text())
        for row in page.locator(".map__table tbody tr").all()
    }
    drawn = {}
    for link in links.all():
        code = link.get_attribute("data-code")
        title = link.locator("title").text_content()
        count = int(link.get_attribute("data-count"))
        assert title.endswith(f": {count} meeting" + ("" if count == 1 else "s"))
        drawn[code] = count
    assert drawn == {code: n for code, n in table.items() if code in drawn}
    assert drawn, "no country drawn"
    # A keyboard user reaches a country and follows it to the country page, filters kept.
    turkey = page.locator('svg a.map__link[data-code="TR"]')
    turkey.focus()
    assert page.evaluate("() => document.activeElement.getAttribute('data-code')") == "TR"
    page.keyboard.press("Enter")
    page.wait_for_url("**/countries/TR/?from=2016&to=2020")


@WIDTHS
def test_network_nodes_link_person_pages(open_page, viewport):
    page = open_page("/network/", viewport=viewport)
    nodes = page.locator("svg a.net__link")
    expect(nodes.first).to_be_attached()
    rows = page.locator(".net__table tbody tr")
    assert nodes.count() == rows.count()
    first = nodes.first
    name = first.locator("title").text_content().rsplit(":", 1)[0]
    first.click()
    page.wait_for_url("**/people/*/")
    expect(page.locator("h1")).to_contain_text(name)


@WIDTHS
def test_version_diff_of_a_page_served_twice(open_page, built, viewport):
    assert "updated (source changed): en/62562" in built
    page = open_page("/meetings/en/62562/", viewport=viewport)
    note = page.locator(".versions__note")
    expect(note).to_contain_text("Changed since first published")
    note.get_by_role("link", name="See what changed").click()
    page.wait_for_url("**/meetings/en/62562/versions/")
    edited = page.locator(".versions__turn--edited")
    expect(edited).to_have_count(1)
    assert [t.strip(" ,") for t in edited.locator("ins").all_inner_texts()] == ["dear friend"]
    expect(edited.locator(".tag")).to_have_text("turn edited")


@WIDTHS
def test_flagged_ru_en_difference(open_page, built, viewport):
    page = open_page("/meetings/51266/side-by-side/", viewport=viewport)
    flagged = page.locator("li.diff--shorter_ru")
    expect(flagged).to_have_count(1)
    expect(flagged.locator(".diff__flag")).to_be_visible()
    expect(flagged.locator(".diff__flag")).to_contain_text("much shorter")
    expect(page.locator(".diff__counts")).to_contain_text("2 only in English, 1 of very uneven")
    page.get_by_role("link", name="All events with differences").click()
    expect(page.locator(".diff__table tbody tr")).to_have_count(1)


@pytest.mark.skipif(not os.environ.get("SCREENSHOT_DIR"), reason="SCREENSHOT_DIR is not set")
def test_screenshots_of_the_map_network_and_diff(open_page, built):
    folder = Path(os.environ["SCREENSHOT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    page = open_page("/map/", viewport={"width": 1280, "height": 900})
    page.locator(".map").screenshot(path=folder / "map.png")
    page = open_page("/network/", viewport={"width": 1100, "height": 900})
    page.locator(".net__figure").screenshot(path=folder / "network.png")
    page = open_page("/meetings/en/62562/versions/", viewport={"width": 1000, "height": 800})
    page.locator(".versions__change").first.screenshot(path=folder / "version-diff.png")
    for name in ("map", "network", "version-diff"):
        assert (folder / f"{name}.png").stat().st_size > 5_000
