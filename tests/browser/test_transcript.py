"""End-to-end: the transcript tools of issue 10 in Chromium, in English and Russian, at
desktop and phone width: speaker colours, marks of the ?hl= words, share of voice, the
highlight tools and their keyboard shortcuts, citations, readouts.

Screenshots for the README: ``SCREENSHOT_DIR=docs/screenshots .venv/bin/pytest -m browser
tests/browser/test_transcript.py -k screenshots`` (without it they are taken, not written).
"""

from __future__ import annotations

import itertools
import re

import pytest

from meetings.colors import MIN_DELTA_E, delta_e
from tests.browser.conftest import sync_api
from tests.browser.support import BROWSER, DESKTOP, PHONE, screenshot

pytestmark = BROWSER
expect = sync_api.expect

CONFERENCE = "/meetings/en/57201/"  # Putin, Erdogan, Rouhani and questions (issue 10)
READOUT = "/meetings/en/62563/"  # a telephone conversation: a readout, no transcript
WINDOWS = {
    "en-desktop": {"locale": "en-GB", "viewport": DESKTOP},
    "ru-desktop": {"locale": "ru-RU", "viewport": DESKTOP},
    "en-phone": {"locale": "en-GB", "viewport": PHONE, "is_mobile": True, "has_touch": True},
    "ru-phone": {"locale": "ru-RU", "viewport": PHONE, "is_mobile": True, "has_touch": True},
}
TEXT = {
    "en": {
        "matches": "49 matches for “Syria”",
        "words": "of words",
        "only": "Only this speaker",
        "next_match": "Next match",
        "previous_match": "Previous match",
        "next_turn": "Next turn of this speaker",
        "shortcuts": "Keyboard shortcuts",
        "copy_link": "Copy the link",
        "copy_citation": "Copy citation",
        "copied": "Link copied",
        "credit": "President of Russia, kremlin.ru, CC BY 4.0",
        "readout": "No transcript: a report of the meeting",
    },
    "ru": {
        "matches": "49 совпадений со словами «Syria»",
        "words": "слов",
        "only": "Только этот выступающий",
        "next_match": "Следующее совпадение",
        "previous_match": "Предыдущее совпадение",
        "next_turn": "Следующая реплика выступающего",
        "shortcuts": "Клавиши быстрого доступа",
        "copy_link": "Копировать ссылку",
        "copy_citation": "Копировать цитату",
        "copied": "Ссылка скопирована",
        "credit": "Президент России, kremlin.ru, CC BY 4.0",
        "readout": "Стенограммы нет: сообщение о встрече",
    },
}
windows = pytest.mark.parametrize("window", list(WINDOWS))


def text(window: str) -> dict[str, str]:
    return TEXT[window[:2]]


def hex_colour(css: str) -> str:
    r, g, b = (int(part) for part in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@windows
def test_speakers_are_clearly_distinct_and_show_their_share(open_page, window):
    page = open_page(CONFERENCE, **WINDOWS[window])
    entries = page.locator(".legend__entry")
    expect(entries).to_have_count(5)
    speakers = page.locator(".legend__entry:not(.speaker-question):not(.speaker-remark)")
    colours = [
        hex_colour(swatch.evaluate("s => getComputedStyle(s).backgroundColor"))
        for swatch in speakers.locator(".swatch").all()
    ]
    assert len(colours) == 3
    for first, second in itertools.combinations(colours, 2):
        assert delta_e(first, second) >= MIN_DELTA_E, (first, second)
    # Every turn wears its speaker's colour, the legend's.
    for entry in speakers.all():
        key = entry.get_attribute("data-speaker")
        swatch = entry.locator(".swatch").evaluate("s => getComputedStyle(s).backgroundColor")
        turn = page.locator(f'.turn[data-speaker="{key}"]').first
        assert turn.evaluate("t => getComputedStyle(t).borderLeftColor") == swatch
    # Share of voice: a percentage per speaker, adding up to about 100.
    shares = [
        int(re.search(r"(\d+)%", count)[1])
        for count in page.locator(".legend__count").all_inner_texts()
    ]
    assert 98 <= sum(shares) <= 102
    expect(entries.first).to_contain_text(text(window)["words"])
    assert page.locator("main [style]").count() == 0


@windows
def test_marks_of_the_search_words_and_their_navigation(open_page, window):
    words = text(window)
    page = open_page(f"{CONFERENCE}?hl=Syria#u-3", **WINDOWS[window])
    marks = page.locator(".turn__text mark")
    expect(marks).to_have_count(49)
    expect(page.locator(".marks__summary")).to_contain_text(words["matches"])
    next_match = page.get_by_role("button", name=words["next_match"])
    # Arriving at turn 3, the next match is the first one from turn 3 on, not match 1
    # (issue 16).
    first = page.evaluate(
        "() => Array.from(document.querySelectorAll('.turn__text mark'))"
        ".findIndex(m => Number(m.closest('.turn').id.slice(2)) >= 3)"
    )
    next_match.click()
    expect(marks.nth(first)).to_have_class(re.compile(r"\bis-current\b"))
    expect(page.locator(".marks__position")).to_contain_text(f" {first + 1} / 49")
    expect(marks.nth(first)).to_be_in_viewport()
    next_match.click()
    expect(page.locator(".marks__position")).to_contain_text(f" {first + 2} / 49")
    for _ in range(first + 2):
        page.get_by_role("button", name=words["previous_match"]).click()
    expect(page.locator(".marks__position")).to_contain_text("49 / 49")
    expect(marks.nth(48)).to_be_in_viewport()
    page.locator("body").press("n")
    expect(page.locator(".marks__position")).to_contain_text("1 / 49")


def test_marks_work_without_javascript_and_from_search(open_page):
    page = open_page("/search/?q=Syria", java_script_enabled=False)
    page.locator(".hit__link").first.click()
    page.goto(page.url.split("#")[0] + "?hl=Syria")  # the hit's link gains hl= (finding)
    expect(page.locator(".turn__text mark").first).to_be_visible()
    expect(page.get_by_role("button", name="Next match")).to_be_hidden()
    page.get_by_role("link", name="First match").click()
    expect(page).to_have_url(re.compile(r"#m-1$"))
    expect(page.locator("#m-1")).to_be_in_viewport()
    # Russian stemming as search has it: covered on the server (tests/test_views_transcript).


def test_hl_cannot_inject_markup(open_page):
    page = open_page(f"{CONFERENCE}?hl=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%20Syria")
    expect(page.locator(".marks__summary")).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("main img").count() == 0


@windows
def test_highlight_tools_from_the_keyboard(open_page, window):
    words = text(window)
    page = open_page(CONFERENCE, **WINDOWS[window])
    expect(page.locator(".shortcuts")).to_be_visible()
    page.locator(".shortcuts summary").click()
    expect(page.locator(".shortcuts__list")).to_contain_text("j")
    only = page.get_by_role("button", name=words["only"])
    expect(only).to_be_disabled()  # nobody highlighted yet

    page.locator("body").press("2")  # the second speaker
    active = page.locator(".legend__speaker.is-active")
    expect(active).to_have_count(1)
    speaker = active.get_attribute("data-speaker")
    expect(active).to_be_focused()
    outline = active.evaluate("a => getComputedStyle(a).outlineStyle")
    assert outline != "none"  # visible focus
    mine = page.locator(f'.turn[data-speaker="{speaker}"]')
    others = page.locator(f'.turn.is-dimmed:not([data-speaker="{speaker}"])')
    expect(mine.first).to_have_class(re.compile(r"\bis-highlighted\b"))

    page.locator("body").press("o")  # only this speaker: the others collapse
    expect(page.locator("#transcript")).to_have_class(re.compile(r"\bis-only\b"))
    expect(only).to_have_attribute("aria-pressed", "true")
    expect(others.first.locator(".turn__text")).to_be_hidden()
    expect(others.first.locator(".turn__header")).to_be_visible()
    expect(mine.first.locator(".turn__text")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"speaker={speaker}&only=1"))

    page.locator("body").press("j")
    expect(mine.first).to_have_class(re.compile(r"\bis-current\b"))
    page.get_by_role("button", name=words["next_turn"]).click()
    expect(mine.nth(1)).to_have_class(re.compile(r"\bis-current\b"))
    expect(mine.nth(1)).to_be_in_viewport()
    page.locator("body").press("k")
    expect(mine.first).to_have_class(re.compile(r"\bis-current\b"))

    only.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#transcript")).not_to_have_class(re.compile(r"\bis-only\b"))
    expect(others.first.locator(".turn__text")).to_be_visible()
    page.locator("body").press("Escape")
    expect(page.locator("#transcript .turn.is-dimmed")).to_have_count(0)


def test_only_this_speaker_works_without_javascript(open_page):
    page = open_page(CONFERENCE, java_script_enabled=False)
    page.locator(".legend__speaker[data-speaker]", has_text="Rouhani").first.click()
    page.get_by_role("link", name="Only this speaker").click()
    expect(page).to_have_url(re.compile(r"only=1"))
    expect(page.locator(".turn.is-dimmed .turn__text").first).to_be_hidden()
    expect(page.locator(".turn.is-highlighted .turn__text").first).to_be_visible()


@windows
def test_citation_copy_buttons_and_downloads(open_page, window):
    words = text(window)
    page = open_page(f"{CONFERENCE}u/5/", **WINDOWS[window])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    citation = page.locator(".citation")
    expect(citation).to_contain_text(words["credit"])
    expect(citation).to_contain_text("http://en.kremlin.ru/events/president/news/57201")
    permalink = page.url.split("#")[0]
    expect(citation.locator(".citation__permalink")).to_have_text(permalink)

    page.get_by_role("button", name=words["copy_link"]).click()
    expect(page.locator(".citation__status")).to_have_text(words["copied"])
    assert page.evaluate("navigator.clipboard.readText()") == permalink
    page.get_by_role("button", name=words["copy_citation"]).click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert permalink in copied and words["credit"] in copied

    bib = page.request.get(citation.get_by_role("link", name="BibTeX").get_attribute("href"))
    assert bib.headers["content-type"] == "application/x-bibtex; charset=utf-8"
    assert bib.text().startswith("@misc{kremlin-en-57201-5,")
    ris = page.request.get(citation.get_by_role("link", name="RIS").get_attribute("href"))
    assert ris.headers["content-type"] == "application/x-research-info-systems; charset=utf-8"
    assert f"UR  - {permalink}" in ris.text()


@pytest.mark.parametrize("window", ["en-desktop", "ru-phone"])
def test_a_readout_says_so(open_page, window):
    page = open_page(READOUT, **WINDOWS[window])
    facts = page.locator(".meeting__facts")
    expect(facts).to_contain_text(text(window)["readout"])
    expect(facts).not_to_contain_text(re.compile(r"\b0 (turns|реплик)"))


def test_screenshots_of_the_transcript(open_page):
    """The README's pictures: highlighting with "only this speaker", and marks."""
    page = open_page(CONFERENCE + "?hl=Syria", viewport={"width": 1100, "height": 900})
    page.get_by_role("button", name="Next match").click()
    page.get_by_role("button", name="Next match").click()
    pictures = [screenshot(page, "transcript-marks")]
    page.locator("body").press("2")
    page.locator("body").press("o")
    page.locator("body").press("j")
    pictures.append(screenshot(page, "transcript-highlight"))
    phone = open_page(CONFERENCE + "u/5/", locale="ru-RU", viewport=PHONE, is_mobile=True)
    phone.locator(".citation").scroll_into_view_if_needed()
    pictures.append(screenshot(phone, "utterance-citation-phone-ru"))
    assert all(len(png) > 10_000 for png in pictures)
