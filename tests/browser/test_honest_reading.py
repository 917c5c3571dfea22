"""End-to-end, issue 16 (web side, part B), in Chromium at desktop and phone width: periods
the archive does not hold shown as such; big transcripts that fit (the Valdai session, 24
speakers); ``n`` from the reader's place with the counter in view; the turn's own page
turn-first; the Russian interface's typography and its word on a mostly English archive."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from meetings.models.coverage import record_days
from tests.browser.conftest import committed_for_module, sync_api
from tests.browser.support import BROWSER, DESKTOP, PHONE

pytestmark = BROWSER
expect = sync_api.expect

VALDAI = Path(__file__).resolve().parents[1] / "fixtures" / "pages-big" / "en-55882.html"
HOLES = {2004, 2007, 2008, 2015}  # the years the bulk mirror holds no page of
WINDOWS = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}
windows = pytest.mark.parametrize("window", list(WINDOWS))


@pytest.fixture(scope="module")
def crawled(live_site, django_db_blocker):
    """Coverage as a crawl of en.kremlin.ru from 2000 to 2020 records it, less the years the
    mirror has no pages for: committed for this module's tests, removed after them."""
    start, end = dt.date(2000, 1, 1), dt.date(2020, 12, 31)
    days = [start + dt.timedelta(n) for n in range((end - start).days + 1)]
    with committed_for_module(django_db_blocker):
        record_days("en", [day for day in days if day.year not in HOLES], via="crawl")
        yield


@pytest.fixture(scope="module")
def valdai(live_site, django_db_blocker):
    """The Valdai session: a forum the importer files as domestic unless asked. Committed
    for this module's tests, removed after them."""
    with committed_for_module(django_db_blocker):
        call_command("import_meetings", str(VALDAI), include_domestic=True, verbosity=0)
        yield "/meetings/en/55882/"


def _timeline(page) -> dict[str, str]:
    rows = {}
    for row in page.locator("ol.timeline li").all():
        year = row.locator(".timeline__year").inner_text().strip()
        rows[year] = " ".join(row.locator(".timeline__count").inner_text().split())
    return rows


# 1. Coverage ---------------------------------------------------------------------------


@windows
def test_timelines_and_rates_show_holes_as_not_in_the_archive(open_page, crawled, window):
    page = open_page("/countries/CN/", **WINDOWS[window])
    years = _timeline(page)
    assert years["2013"] == "1 meeting"
    assert years["2015"] == "not in the archive"  # the issue: it printed "0"
    assert years["2014"] == "0 meetings"  # held, and no meeting
    hole = page.locator("ol.timeline li.timeline__hole", has_text="2015")
    expect(hole).to_be_visible()
    note = page.locator(".stats__note")
    expect(note).to_contain_text("2015")
    expect(note).to_contain_text("left out of the rates")

    person = open_page("/people/", **WINDOWS[window])
    person.get_by_role("link", name="Vladimir Putin").first.click()
    years = _timeline(person)
    for hole_year in ("2004", "2007", "2008", "2015"):
        assert years[hole_year] == "not in the archive", hole_year
    assert years["2006"] == "0 meetings"
    person.locator("main").get_by_role("link", name="What the archive holds").click()
    expect(person).to_have_url(re.compile(r"/coverage/$"))


@windows
def test_a_filtered_list_of_a_year_not_held_says_so(open_page, crawled, window):
    page = open_page("/?country=CN&year=2015&kind=talks", **WINDOWS[window])
    expect(page.locator("#results-heading")).to_have_text("Not in the archive")
    notice = page.locator(".coverage-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("no pages of 2015")
    expect(page.get_by_text("No meetings match these filters.")).to_have_count(0)
    # A year the archive holds keeps its honest zero.
    held = open_page("/?country=CN&year=2014", **WINDOWS[window])
    expect(held.locator("#results-heading")).to_have_text("0 meetings")
    expect(held.get_by_text("No meetings match these filters.")).to_be_visible()


@windows
def test_search_overview_and_coverage_page(open_page, crawled, window):
    page = open_page("/search/?q=gas", **WINDOWS[window])
    years = page.locator(".overview__bars--years li")
    hole = years.filter(has=page.locator(".overview__label", has_text=re.compile("^2007$")))
    expect(hole.locator(".overview__count")).to_have_text("not in the archive")
    expect(hole).to_have_class(re.compile(r"\boverview__hole\b"))

    coverage = open_page("/coverage/", **WINDOWS[window])
    english = coverage.locator("section[aria-labelledby=coverage-en]")
    row = english.locator("tbody tr", has=coverage.locator("th", has_text="2015"))
    expect(row.locator("th")).to_contain_text("not in the archive")
    expect(row.locator("td.coverage--missing")).to_have_count(12)
    held = english.locator("tbody tr", has=coverage.locator("th", has_text="2016"))
    expect(held.locator("td").first).to_have_text("31")
    expect(held.locator("td.coverage--held")).to_have_count(12)


def test_coverage_in_russian(open_page, crawled):
    page = open_page("/countries/CN/", locale="ru-RU")
    assert _timeline(page)["2015"] == "нет в архиве"
    coverage = open_page("/coverage/", locale="ru-RU", viewport=PHONE, is_mobile=True)
    expect(coverage.locator("h1")).to_have_text("Что есть в архиве")


# 2. Big transcripts ----------------------------------------------------------------------


def test_a_big_legend_keeps_its_tools_and_tells_every_speaker_apart(open_page, valdai):
    page = open_page(valdai + "#transcript", viewport=DESKTOP)
    entries = page.locator(".legend__entry")
    expect(entries.nth(23)).to_be_attached()  # 24 speakers in the issue (or one more found)
    # Unique within the meeting: colour class, pattern and number together.
    looks = [
        entry.evaluate(
            "e => { const s = getComputedStyle(e.querySelector('.swatch'));"
            " const c = getComputedStyle(e.querySelector('.legend__speaker'));"
            " return [c.color, c.borderTopStyle, s.backgroundColor, e.innerText.trim()"
            ".split(/\\s/)[0]].join('|'); }"
        )
        for entry in entries.all()
    ]
    assert len(set(looks)) == entries.count()
    putin = entries.filter(has_text="Vladimir Putin")
    yunusov = entries.filter(has_text="Ruslan Yunusov")
    assert putin.evaluate(
        "e => getComputedStyle(e.querySelector('.legend__speaker')).borderTopStyle"
    ) != yunusov.evaluate(
        "e => getComputedStyle(e.querySelector('.legend__speaker')).borderTopStyle"
    )
    expect(yunusov.locator(".swatch")).to_have_text(re.compile(r"^(1[3-9]|2\d)$"))
    # No "0 % of words": a speaker with a few words has "<1%".
    counts = page.locator(".legend__count").all_inner_texts()
    assert not [count for count in counts if re.search(r"\b0% of words", count)]
    assert any("<1% of words" in count for count in counts)
    # The tools are not cut off by a capped legend: choose a speaker, all are in view.
    page.locator(".legend__speaker", has_text="Hamid Karzai").click()
    page.mouse.wheel(0, 3000)
    for name in ("Only this speaker", "Previous turn of this speaker", "Next turn of this speaker"):
        expect(page.get_by_role("button", name=name)).to_be_in_viewport(ratio=1)
    expect(page.locator(".shortcuts > summary")).to_be_in_viewport(ratio=1)
    # Next turn of this speaker lands below the sticky legend, not under it.
    page.get_by_role("button", name="Next turn of this speaker").click()
    current = page.locator(".turn.is-current")
    legend_bottom = page.locator(".legend").evaluate("l => l.getBoundingClientRect().bottom")
    assert current.evaluate("t => t.getBoundingClientRect().top") >= legend_bottom - 2
    assert page.locator("main [style]").count() == 0  # no inline style, even from the script


def test_on_a_phone_the_big_legend_is_one_row_not_a_screen_of_chips(open_page, valdai):
    page = open_page(valdai + "#transcript", viewport=PHONE, is_mobile=True, has_touch=True)
    legend = page.locator(".legend")
    height = legend.evaluate("l => l.getBoundingClientRect().height")
    assert height < 200, height  # the issue: 1,150 px
    first_turn = page.locator(".turn").first
    gap = first_turn.evaluate("t => t.getBoundingClientRect().top") - legend.evaluate(
        "l => l.getBoundingClientRect().top"
    )
    assert gap < PHONE["height"] / 3, gap
    # Every speaker stays reachable: the row scrolls sideways.
    last = page.locator(".legend__entry").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    last.locator(".legend__speaker").click()
    expect(page.get_by_role("button", name="Next turn of this speaker")).to_be_visible()


# 3. n from the reader's place ------------------------------------------------------------


@windows
def test_n_from_a_search_hit_goes_on_from_where_the_reader_landed(open_page, window):
    # Two matches of "gas": turn 6 and turn 8. Arriving at turn 8, n is match 2, not 1.
    page = open_page("/meetings/en/17622/?hl=gas#u-8", **WINDOWS[window])
    expect(page.locator("#u-8")).to_be_in_viewport()
    page.locator("body").press("n")
    expect(page.locator(".marks__position")).to_contain_text("2 / 2")
    expect(page.locator("#u-8 mark.is-current")).to_be_in_viewport()
    assert page.locator("main [style]").count() == 0
    # The counter stays in view wherever the reader is.
    page.evaluate("document.getElementById('u-4').scrollIntoView({block: 'start'})")
    expect(page.locator(".marks__summary")).to_be_in_viewport(ratio=1)
    # Having scrolled back above turn 6, n goes to the match after the new place: turn 6's.
    page.locator("body").press("n")
    expect(page.locator(".marks__position")).to_contain_text("1 / 2")
    expect(page.locator("#u-6 mark.is-current")).to_be_in_viewport()


# 4. The turn's own page --------------------------------------------------------------------


@windows
def test_the_permalink_page_shows_the_turn_first_and_its_citation_near_it(open_page, window):
    page = open_page("/meetings/en/57201/u/20/", **WINDOWS[window])
    turn = page.locator("#u-20")
    expect(turn).to_be_in_viewport()
    tops = {
        name: page.locator(selector).evaluate("e => e.getBoundingClientRect().top + scrollY")
        for name, selector in {
            "turn": "#u-20",
            "cite": "#citation-heading",
            "before": "#u-19",
            "after": "#u-21",
        }.items()
    }
    assert tops["turn"] < tops["cite"] < tops["before"] < tops["after"], tops
    assert tops["turn"] < 400, tops
    turn_bottom = turn.evaluate("e => e.getBoundingClientRect().bottom + scrollY")
    assert tops["cite"] - turn_bottom < 100, (tops, turn_bottom)


# 5. The Russian interface -----------------------------------------------------------------


def test_russian_search_that_finds_nothing_says_the_archive_is_mostly_english(open_page):
    page = open_page("/search/?q=газ", locale="ru-RU")
    expect(page.locator("#results-heading")).to_have_text("0 фрагментов")
    note = page.locator(".language-note")
    expect(note).to_contain_text("Почти всё, что импортировано, — на английском")
    note.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/search/\?lang=en$"))


@pytest.mark.parametrize("window", list(WINDOWS))
def test_russian_typography_citations_credit_and_roles(open_page, window):
    page = open_page("/meetings/en/57201/u/20/", locale="ru-RU", **WINDOWS[window])
    citation = page.locator("#citation-text")
    expect(citation).to_contain_text("«")
    expect(citation).to_contain_text("»")
    assert "“" not in citation.inner_text()
    footer = page.locator(".site-footer")
    expect(footer).to_contain_text("Тексты встреч: Президент России, kremlin.ru")
    expect(footer.get_by_role("link", name="Президент России, kremlin.ru")).to_have_attribute(
        "href", "http://kremlin.ru/about/copyrights"
    )
    # A person's roles printed in English: shown as printed, marked English, and said so.
    person = open_page("/people/", locale="ru-RU", **WINDOWS[window])
    person.get_by_role("link", name=re.compile("Эрдоган|Erdogan")).first.click()
    role = person.locator("#roles-heading + ul li").first
    expect(role.locator("span[lang=en]").first).to_be_visible()
    expect(role.locator(".role__printed")).to_have_text("(как напечатано на en.kremlin.ru)")
