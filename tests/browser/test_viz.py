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
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.models.versions import SourceCheck
from tests import test_import_live as live
from tests.browser.conftest import sync_api
from tests.browser.support import BROWSER, DESKTOP, PHONE
from tests.test_differences import ENGLISH, shortened_russian
from tests.test_source_versions import edited_page

pytestmark = BROWSER
expect = sync_api.expect

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
local_site = live.site  # a local en.kremlin.ru (fixture)


@pytest.fixture
def imported(tmp_path):
    """Real pages from 2016 to 2020 (not 62562: the live test imports that one) and the
    built RU/EN pair."""
    pages = [p for p in sorted(PAGES.glob("en-[56]*.html")) if p.stem != "en-62562"]
    pages += [ENGLISH, shortened_russian(tmp_path)]
    call_command("import_meetings", *map(str, pages), stdout=io.StringIO(), stderr=io.StringIO())


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
def test_version_diff_of_a_page_served_twice(open_page, local_site, tmp_path, viewport):
    out = io.StringIO()
    call_command("import_meetings", "--id", "62562", "--lang", "en", "--delay", "0", stdout=out)
    local_site.routes[f"{live.NEWS}/62562"] = edited_page(tmp_path).read_bytes()
    SourceCheck.objects.filter(meeting__kremlin_id=62562).update(next_check_at=timezone.now())
    call_command("import_meetings", "--recheck", "--delay", "0", stdout=out)
    assert "updated (source changed): en/62562" in out.getvalue()
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
def test_flagged_ru_en_difference(open_page, viewport):
    page = open_page("/meetings/51266/side-by-side/", viewport=viewport)
    flagged = page.locator("li.diff--shorter_ru")
    expect(flagged).to_have_count(1)
    expect(flagged.locator(".diff__flag")).to_be_visible()
    expect(flagged.locator(".diff__flag")).to_contain_text("much shorter")
    expect(page.locator(".diff__counts")).to_contain_text("2 only in English, 1 of very uneven")
    page.get_by_role("link", name="All events with differences").click()
    expect(page.locator(".diff__table tbody tr")).to_have_count(1)


@pytest.mark.skipif(not os.environ.get("SCREENSHOT_DIR"), reason="SCREENSHOT_DIR is not set")
def test_screenshots_of_the_map_network_and_diff(open_page, local_site, tmp_path):
    folder = Path(os.environ["SCREENSHOT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    page = open_page("/map/", viewport={"width": 1280, "height": 900})
    page.locator(".map").screenshot(path=folder / "map.png")
    page = open_page("/network/", viewport={"width": 1100, "height": 900})
    page.locator(".net__figure").screenshot(path=folder / "network.png")
    call_command("import_meetings", "--id", "62562", "--lang", "en", "--delay", "0", verbosity=0)
    local_site.routes[f"{live.NEWS}/62562"] = edited_page(tmp_path).read_bytes()
    SourceCheck.objects.filter(meeting__kremlin_id=62562).update(next_check_at=timezone.now())
    call_command("import_meetings", "--recheck", "--delay", "0", verbosity=0)
    page = open_page("/meetings/en/62562/versions/", viewport={"width": 1000, "height": 800})
    page.locator(".versions__change").first.screenshot(path=folder / "version-diff.png")
    for name in ("map", "network", "version-diff"):
        assert (folder / f"{name}.png").stat().st_size > 5_000
