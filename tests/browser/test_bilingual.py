"""End-to-end: both language versions of one event, side by side and switched in place.

The pair: synthetic: real Russian HTML is not available here. ru-51266.html is the real
en.kremlin.ru page en-51266.html with a Russian text swapped in
(tests/fixtures/pages-bilingual/make_synthetic.py); the Russian transcript has 8 items, the
English one 10. Both are in the corpus the package imports (conftest.CORPUS).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import sync_api
from tests.browser.support import BROWSER, DESKTOP, PHONE

pytestmark = BROWSER
expect = sync_api.expect

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAIR = [FIXTURES / "pages" / "en-51266.html", FIXTURES / "pages-bilingual" / "ru-51266.html"]
COMPARE = "/meetings/51266/side-by-side/"


def boxes(locator) -> list[dict]:
    return [cell.bounding_box() for cell in locator.all()]


@pytest.mark.parametrize(
    ("viewport", "locale", "heading", "gap_text"),
    [
        (
            DESKTOP,
            "en-GB",
            "Both versions side by side",
            "No matching turn in the Russian version.",
        ),
        (PHONE, "en-GB", "Both versions side by side", "No matching turn in the Russian version."),
        (DESKTOP, "ru-RU", "Обе версии рядом", "Нет соответствующей реплики в русской версии."),
        (PHONE, "ru-RU", "Обе версии рядом", "Нет соответствующей реплики в русской версии."),
    ],
    ids=["desktop-en", "phone-en", "desktop-ru", "phone-ru"],
)
def test_side_by_side_pairs_on_a_desktop_and_stacks_on_a_phone(
    open_page, viewport, locale, heading, gap_text
):
    page = open_page(COMPARE, viewport=viewport, locale=locale)
    expect(page.locator("h1")).to_have_text(heading)
    rows = page.locator(".compare__row")
    expect(rows).to_have_count(10)
    gaps = page.locator(".compare__cell--gap")
    expect(gaps).to_have_count(2)
    expect(gaps.first).to_have_text(gap_text)
    expect(gaps.first).to_be_visible()
    first = rows.first.locator(".compare__cell")
    expect(first.nth(0)).to_have_attribute("lang", "ru")
    expect(first.nth(1)).to_have_attribute("lang", "en")
    expect(first.nth(0).locator(".compare__speaker")).to_have_text(
        "Президент России Владимир Путин"
    )
    expect(first.nth(1).locator(".compare__speaker")).to_have_text(
        "President of Russia Vladimir Putin"
    )
    left, right = boxes(first)
    if viewport is PHONE:
        # Stacked: the English cell under the Russian one, both the width of the column.
        assert right["y"] >= left["y"] + left["height"] - 1
        assert abs(left["x"] - right["x"]) < 1
    else:
        # Side by side: the same row, the English cell to the right.
        assert abs(left["y"] - right["y"]) < 1
        assert right["x"] >= left["x"] + left["width"]
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page scrolls sideways"


def test_keyboard_reaches_a_turn_permalink_and_follows_it(open_page):
    page = open_page(COMPARE)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('compare__link')"):
            break
    else:
        pytest.fail("no turn permalink reachable with the keyboard")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == "/meetings/ru/51266/u/1/"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/meetings/ru/51266/u/1/$"))


def test_other_version_link_lands_on_the_aligned_turn(open_page):
    page = open_page("/meetings/en/51266/#u-9")
    russian = page.locator('.meeting__links a[hreflang="ru"]')
    # English turn 9 (Putin's "I understand that she supports …") is Russian turn 7.
    expect(russian).to_have_attribute("href", re.compile(r"/meetings/ru/51266/#u-7$"))
    # The reader follows a turn link further up: the link follows.
    page.evaluate("() => { window.location.hash = 'u-4'; }")
    expect(russian).to_have_attribute("href", re.compile(r"/meetings/ru/51266/#u-4$"))
    # A turn missing from the Russian version goes to the Russian turn before it.
    page.evaluate("() => { window.location.hash = 'u-8'; }")
    expect(russian).to_have_attribute("href", re.compile(r"/meetings/ru/51266/#u-6$"))
    russian.click()
    expect(page).to_have_url(re.compile(r"/meetings/ru/51266/#u-6$"))
    expect(page.locator("#u-6")).to_be_in_viewport()
    # Back at the top, where the link is, the link keeps the last place read.
    page.evaluate("() => window.scrollTo(0, 0)")
    english = page.locator('.meeting__links a[hreflang="en"]')
    english.focus()
    expect(english).to_have_attribute("href", re.compile(r"/meetings/en/51266/#u-6$"))


def test_scrolling_moves_the_link_along(open_page):
    page = open_page("/meetings/ru/51266/", viewport=PHONE)
    english = page.locator('.meeting__links a[hreflang="en"]')
    english.focus()  # nothing read yet: the top of the other version
    expect(english).to_have_attribute("href", "/meetings/en/51266/")
    page.locator("#u-7").scroll_into_view_if_needed()
    # Turn 7 at an eighth of the window: above the reading line, so it is the one read.
    page.evaluate(
        "() => window.scrollBy(0,"
        " document.getElementById('u-7').getBoundingClientRect().top - window.innerHeight / 8)"
    )
    expect(english).to_have_attribute("href", re.compile(r"/meetings/en/51266/#u-9$"))


def test_without_javascript_the_link_goes_to_the_top_of_the_other_version(open_page):
    page = open_page("/meetings/en/51266/#u-9", java_script_enabled=False)
    russian = page.locator('.meeting__links a[hreflang="ru"]')
    expect(russian).to_have_attribute("href", "/meetings/ru/51266/")
    page.get_by_role("link", name="Both versions side by side").click()
    expect(page).to_have_url(re.compile(re.escape(COMPARE) + "$"))
    expect(page.locator(".compare__row")).to_have_count(10)
