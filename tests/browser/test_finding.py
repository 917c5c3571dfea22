"""End-to-end: finding and following things, in English and Russian, on a desktop and a phone:
a search hit leads to the marked words, the search overview, feeds of exactly what a page
shows, turn-level exports and the person and country pickers (keyboard only).

The README's pictures of the search overview and the pickers are taken here; they are
written only when asked: ``SCREENSHOT_DIR=docs/screenshots .venv/bin/pytest -m browser
tests/browser/test_finding.py -k screenshot``.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest

from meetings.models import Country, Meeting, Participant
from tests.browser.conftest import sync_api
from tests.browser.support import BROWSER, DESKTOP, PHONE, screenshot

pytestmark = BROWSER
expect = sync_api.expect
ATOM = "{http://www.w3.org/2005/Atom}"

VISITORS = [
    pytest.param({"locale": "en-GB", "viewport": DESKTOP}, id="en-desktop"),
    pytest.param({"locale": "ru-RU", "viewport": DESKTOP}, id="ru-desktop"),
    pytest.param(
        {"locale": "en-GB", "viewport": PHONE, "is_mobile": True, "has_touch": True},
        id="en-phone",
    ),
    pytest.param(
        {"locale": "ru-RU", "viewport": PHONE, "is_mobile": True, "has_touch": True},
        id="ru-phone",
    ),
]
WORDS = {
    "en-GB": {"follow": "Follow", "overview": "Passages per year"},
    "ru-RU": {"follow": "Следить", "overview": "Фрагменты по годам"},
}


def open_filters(page) -> None:
    """On a phone the filters fold away once results are shown: unfold them."""
    panel = page.locator("details.filters-panel")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    expect(panel).to_have_attribute("open", "")


def pick_person(page, typed: str, person: Participant):
    """Type the start of a name into the person picker and take its first suggestion, which
    must be ``person``; returns the input."""
    field = page.locator("#id_person")
    field.focus()
    field.press_sequentially(typed)
    options = page.locator("#person-options option")
    expect(options.first).to_have_attribute("value", person.display_name)
    field.fill(options.first.get_attribute("value"))  # what choosing the suggestion does
    return field


@pytest.mark.parametrize("visitor", VISITORS)
def test_a_hit_leads_to_the_words_and_the_overview_counts_them(open_page, visitor):
    page = open_page("/search/?q=gas+pipeline", **visitor)
    words = WORDS[visitor["locale"]]
    overview = page.locator(".overview")
    expect(overview).to_contain_text(words["overview"])
    years = overview.locator(".overview__bars--years li")
    first, last = years.first.locator(".overview__label"), years.last.locator(".overview__label")
    span = int(last.inner_text()) - int(first.inner_text()) + 1
    expect(years).to_have_count(span)  # every year of the range, empty ones too
    expect(overview.locator(".overview__bars").nth(1).locator("a").first).to_be_visible()

    hit = page.locator(".hit").first
    link = hit.locator(".hit__link")
    href = link.get_attribute("href")
    assert re.fullmatch(r"/meetings/en/\d+/\?hl=gas\+pipeline#u-\d+", href), href
    link.click()
    anchor = href.split("#")[1]
    expect(page).to_have_url(re.compile(rf"\?hl=gas\+pipeline#{anchor}$"))
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    expect(page.locator(f"#{anchor}")).to_contain_text(re.compile("pipeline", re.I))


def test_search_overview_screenshot(open_page):
    page = open_page("/search/?q=Syria", viewport=DESKTOP)
    expect(page.locator(".overview")).to_be_visible()
    assert len(screenshot(page.locator(".overview"), "search-overview")) > 10_000


@pytest.mark.parametrize("visitor", [VISITORS[0], VISITORS[3]])
def test_list_rows_for_a_search_show_snippets_leading_to_the_words(open_page, visitor):
    page = open_page("/?q=pipeline", **visitor)
    snippet = page.locator(".meeting-row__snippet").first
    expect(snippet.locator("mark").first).to_have_text(re.compile("pipeline", re.I))
    expect(snippet.locator("a")).to_have_attribute("href", re.compile(r"\?hl=pipeline#u-\d+$"))


@pytest.mark.parametrize("visitor", [VISITORS[0], VISITORS[3]])
def test_a_list_page_links_the_feed_of_exactly_its_filters(open_page, visitor):
    page = open_page("/?country=TR&sort=oldest", **visitor)
    follow = page.locator("a.follow__link")
    expect(follow).to_contain_text(WORDS[visitor["locale"]]["follow"])
    assert follow.get_attribute("href") == "/feeds/meetings/?country=TR"
    href = page.locator('link[rel=alternate][type="application/atom+xml"]').last.get_attribute(
        "href"
    )
    assert href == "/feeds/meetings.atom?country=TR"  # both sites: no lang=
    feed = ET.fromstring(page.request.get(href).body())
    titles = sorted(e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry"))
    expected = (
        Meeting.objects.diplomatic()
        .filter(country_links__country="TR")
        .one_per_event(visitor["locale"][:2])
    )
    assert titles == sorted(expected.values_list("title", flat=True))


def test_a_search_has_a_feed_and_exports_every_matching_turn(open_page):
    page = open_page("/search/?q=Syria")
    assert page.locator("a.follow__link").get_attribute("href") == "/feeds/search/?q=Syria"
    feed_href = page.locator('link[rel=alternate][type="application/atom+xml"]').last
    feed_href = feed_href.get_attribute("href")
    assert feed_href == "/feeds/search.atom?q=Syria"
    entries = ET.fromstring(page.request.get(feed_href).body()).findall(f"{ATOM}entry")
    assert entries
    permalink = entries[0].find(f"{ATOM}link").get("href")
    assert re.search(r"/meetings/en/\d+/u/\d+/$", permalink)

    csv_href = page.locator(".exports a", has_text="CSV").get_attribute("href")
    body = page.request.get(urljoin(page.url, csv_href)).body().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
    count = page.locator(".results__count").inner_text()
    assert len(rows) == int(re.match(r"\d+", count).group())
    assert rows[0]["page"].startswith("http") and "/u/" in rows[0]["page"]


@pytest.mark.parametrize("visitor", VISITORS)
def test_pick_a_person_and_a_country_from_the_keyboard(open_page, visitor):
    erdogan = Participant.objects.filter(name_en__contains="Erdogan").first()
    assert erdogan is not None
    page = open_page("/?q=talks", **visitor)
    open_filters(page)
    pick_person(page, "Erdo", erdogan)
    country = page.locator("#id_country")
    country.focus()
    turkey = Country.objects.get(code="TR").name_en  # as the database names it now
    country.press_sequentially(turkey[:4])
    country.fill(turkey)
    country.press("Enter")

    expect(page).to_have_url(re.compile(rf"^(?=.*[?&]country=TR)(?=.*participant={erdogan.pk}\b)"))
    chips = page.locator(".active-filters a")
    expect(chips).to_have_count(3)  # every filter: the words, the person, the country
    person = chips.filter(has_text=erdogan.display_name)
    # Removing the person from the keyboard keeps the country.
    person.focus()
    person.press("Enter")
    expect(page).to_have_url(re.compile(r"^(?!.*participant=)(?=.*[?&]country=TR)"))
    expect(page.locator(".active-filters a")).to_have_count(2)


@pytest.mark.parametrize("visitor", [VISITORS[0], VISITORS[3]])
def test_pick_a_speaker_on_the_search_page_from_the_keyboard(open_page, visitor):
    kurz = Participant.objects.get(name_en="Sebastian Kurz")
    page = open_page("/search/?q=gas", **visitor)
    open_filters(page)
    pick_person(page, "Kur", kurz).press("Enter")

    expect(page).to_have_url(re.compile(rf"[?&]speaker={kurz.pk}\b"))
    expect(page.locator(".hit__speaker")).to_have_text([re.compile("Kurz")])
    chips = page.locator(".active-filters a")
    expect(chips).to_have_count(2)  # the words and the speaker
    chip = chips.filter(has_text="Kurz")
    chip.focus()
    chip.press("Enter")
    expect(page).to_have_url(re.compile(r"^(?!.*speaker=)(?=.*q=gas)"))


def test_pickers_work_without_javascript(open_page):
    page = open_page("/", java_script_enabled=False)
    page.locator("#id_person").fill("Erdogan")
    page.locator("#id_country").fill(Country.objects.get(code="TR").name_en)
    page.locator("form.filters").get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"participant=\d+"))
    expect(page.locator(".active-filters a")).to_have_count(2)


def test_pickers_screenshot(open_page):
    page = open_page("/?country=TR", viewport=DESKTOP)
    erdogan = Participant.objects.filter(name_en__contains="Erdogan").first()
    page.goto(f"/?country=TR&participant={erdogan.pk}")
    page.locator("#id_person").press_sequentially("Pu")
    expect(page.locator("#person-options option").first).to_be_attached()
    assert len(screenshot(page.locator(".layout-with-sidebar"), "pickers")) > 10_000


@pytest.mark.parametrize("visitor", [VISITORS[1], VISITORS[2]])
def test_readouts_and_the_source_site_filter_are_named(open_page, visitor):
    page = open_page("/?has_transcript=false", **visitor)
    counts = page.locator(".meeting-row__counts").first
    plain = "No transcript" if visitor["locale"] == "en-GB" else "Стенограммы нет"
    expect(counts).to_contain_text(plain)
    expect(counts).not_to_contain_text(re.compile(r"\b0 (turns|реплик|signed|подписан)"))
    label = "Source site" if visitor["locale"] == "en-GB" else "Сайт-источник"
    expect(page.locator('label[for="id_lang"]')).to_have_text(label)
