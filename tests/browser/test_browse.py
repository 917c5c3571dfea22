"""End-to-end: a visitor browses real imported pages in Debian's Chromium through Playwright.

Run alone with ``pytest -m browser``; the fixtures (and the axe-core check on every page
visited) are in ``conftest.py`` beside this file.
"""

from __future__ import annotations

import re

import pytest

from meetings.models import Country, Meeting
from tests.browser.conftest import sync_api
from tests.browser.support import BROWSER, PHONE

pytestmark = BROWSER
expect = sync_api.expect


def row_dates(page) -> list[str]:
    return page.locator(".meeting-row time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )


def test_filter_by_country_and_dates_then_open_a_meeting(open_page):
    page = open_page("/")
    # The country picker takes a name, as the database holds it (pycountry's "Türkiye", or
    # "Turkey" where an earlier import named the country from a page).
    page.locator("#id_country").fill(Country.objects.get(code="TR").name_en)
    page.locator("#id_date_from").fill("2017-01-01")
    page.locator("#id_date_to").fill("2018-12-31")
    page.locator("form.filters").get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(r"country=TR"))
    expect(page).to_have_url(re.compile(r"date_from=2017-01-01"))
    expected = list(
        Meeting.objects.filter(
            country_links__country="TR", date__range=("2017-01-01", "2018-12-31")
        ).values_list("title", flat=True)
    )
    assert len(expected) >= 2  # the fixtures hold talks with Turkey in 2017 and 2018
    rows = page.locator(".meeting-row")
    expect(rows).to_have_count(len(expected))
    expect(page.locator(".results__count")).to_contain_text(f"{len(expected)} meetings")
    assert sorted(rows.locator(".meeting-row__title").all_inner_texts()) == sorted(expected)
    assert all("2017-01-01" <= date <= "2018-12-31" for date in row_dates(page))
    for row in rows.all():
        expect(row.locator(".meeting-row__countries")).to_contain_text(re.compile("Türkiye|Turkey"))
    # The form remembers the filters.
    expect(page.locator("#id_date_from")).to_have_value("2017-01-01")

    title = rows.first.locator(".meeting-row__title a")
    expected = title.inner_text()
    title.click()
    expect(page.locator("h1")).to_have_text(expected)
    expect(page.locator(".meeting__facts")).to_contain_text(re.compile("Türkiye|Turkey"))


def test_bad_filter_value_shows_the_form_error(open_page):
    page = open_page("/?date_from=2019-05-01&date_to=2018-01-01")
    expect(page.locator(".field__errors")).to_contain_text("before the start date")
    expect(page.locator(".meeting-row")).to_have_count(0)


def look(turn) -> tuple[str, ...]:
    """What the eye sees of a turn: its text colour, background, border and opacity."""
    return tuple(
        turn.evaluate(
            "turn => { const s = getComputedStyle(turn); return [s.color, s.backgroundColor,"
            " s.borderLeftColor, s.borderLeftWidth, s.opacity]; }"
        )
    )


def _speaker_turns(page, speaker: str):
    return page.locator(f'#transcript .turn[data-speaker="{speaker}"]')


def _other_turns(page, speaker: str):
    return page.locator(f'#transcript .turn:not([data-speaker="{speaker}"])')


def test_choosing_a_speaker_highlights_only_their_turns(open_page):
    page = open_page("/meetings/en/57201/")
    link = page.locator(".legend__speaker[data-speaker]", has_text="Erdogan").first
    speaker = link.get_attribute("data-speaker")
    url_before = page.url
    look_before_dimmed = look(_other_turns(page, speaker).first)

    link.click()

    mine, others = _speaker_turns(page, speaker), _other_turns(page, speaker)
    assert mine.count() >= 5 and others.count() >= 5
    for turn in mine.all():
        expect(turn).to_have_class(re.compile(r"\bis-highlighted\b"))
    for turn in others.all():
        expect(turn).to_have_class(re.compile(r"\bis-dimmed\b"))
        expect(turn).not_to_have_class(re.compile(r"\bis-highlighted\b"))
    expect(link).to_have_attribute("aria-pressed", "true")
    # Instant: no page load, yet the address can be shared.
    assert page.url.split("?")[0] == url_before.split("?")[0]
    expect(page).to_have_url(re.compile(rf"speaker={speaker}"))
    # The difference is visible, not only a class name.
    assert look(others.first) != look(mine.first)
    assert look(others.first) != look_before_dimmed

    link.click()  # choosing them again shows everyone
    expect(page.locator("#transcript .turn.is-dimmed")).to_have_count(0)
    expect(page.locator("#transcript .turn.is-highlighted")).to_have_count(0)
    expect(link).to_have_attribute("aria-pressed", "false")


def test_choosing_a_speaker_works_without_javascript(open_page):
    page = open_page("/meetings/en/57201/", java_script_enabled=False)
    link = page.locator(".legend__speaker[data-speaker]", has_text="Rouhani").first
    speaker = link.get_attribute("data-speaker")
    link.click()
    expect(page).to_have_url(re.compile(rf"\?speaker={speaker}#transcript$"))
    for turn in _speaker_turns(page, speaker).all():
        expect(turn).to_have_class(re.compile(r"\bis-highlighted\b"))
    for turn in _other_turns(page, speaker).all():
        expect(turn).to_have_class(re.compile(r"\bis-dimmed\b"))


def test_following_an_utterance_link_lands_on_it(open_page):
    page = open_page("/meetings/en/57201/", viewport={"width": 1024, "height": 600})
    turn = page.locator("#u-20")
    text = turn.locator(".turn__text").inner_text()[:60]
    turn.locator(".turn__link").click()

    # The turn's own page shows it in context ...
    expect(page).to_have_url(re.compile(r"/meetings/en/57201/u/20/$"))
    expect(page.locator("#u-20")).to_contain_text(text)
    expect(page.locator("#u-19")).to_be_visible()
    # ... and leads back to exactly that place in the full transcript.
    page.get_by_role("link", name=re.compile("full transcript")).click()
    expect(page).to_have_url(re.compile(r"/meetings/en/57201/#u-20$"))
    expect(page.locator("#u-20")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    expect(page.locator("#u-1")).not_to_be_in_viewport()


def test_search_a_phrase_and_open_the_hit(open_page):
    page = open_page("/search/")
    page.locator("#id_q").fill('"safe zones"')
    page.locator("#id_q").press("Enter")

    hits = page.locator(".hit")
    expect(hits.first).to_be_visible()
    for hit in hits.all():
        expect(hit.locator("mark").first).to_have_text(re.compile(r"safe|zones", re.I))
    hit_link = hits.first.locator(".hit__link")
    anchor = hit_link.get_attribute("href").split("#")[1]
    hit_link.click()

    expect(page).to_have_url(re.compile(rf"/meetings/en/\d+/\?hl=[^#]+#{anchor}$"))
    target = page.locator(f"#{anchor}")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text(re.compile(r"safe zones?", re.I))


def test_switching_the_language(open_page):
    page = open_page("/?country=TR")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_contain_text("Countries")

    page.locator("#language-select").select_option("ru")  # submits itself

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page).to_have_url(re.compile(r"/\?country=TR$"))  # the same page and filters
    nav = page.get_by_role("navigation", name="Основное меню")
    expect(nav).to_contain_text("Страны")
    # Dates the Russian way, "18 мая 2020 г." (Playwright's patterns run in JavaScript: no \w).
    expect(page.locator(".meeting-row time").first).to_have_text(
        re.compile(r"^\d{1,2} [а-я]+ \d{4}")
    )

    page.reload()  # the choice sticks
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Countries")


def test_switching_the_language_without_javascript(open_page):
    page = open_page("/countries/", java_script_enabled=False)
    page.locator("#language-select").select_option("ru")
    page.locator(".language-switcher button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page).to_have_url(re.compile(r"/countries/$"))


def test_russian_browser_gets_russian_interface(open_page):
    page = open_page("/", locale="ru-RU")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text("Встречи")


@pytest.mark.parametrize("path", ["/", "/meetings/en/57201/", "/search/?q=Syria", "/countries/"])
def test_pages_fit_a_phone(open_page, path):
    page = open_page(path, viewport=PHONE, is_mobile=True, has_touch=True)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    expect(page.locator("main h1")).to_be_in_viewport()
