"""End-to-end (issue 16, web side): the names people type, the links people keep and the
frictions of a long session, on the saved kremlin.ru pages, in English and Russian, on a
desktop and a phone (axe-core checks every page visited)."""

from __future__ import annotations

import re

import psycopg
import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from meetings.models import Participant
from tests.browser.conftest import sync_api
from tests.browser.support import BROWSER, DESKTOP, PHONE

pytestmark = BROWSER
expect = sync_api.expect

EN_DESKTOP = pytest.param({"locale": "en-GB", "viewport": DESKTOP}, id="en-desktop")
RU_PHONE = pytest.param(
    {"locale": "ru-RU", "viewport": PHONE, "is_mobile": True, "has_touch": True}, id="ru-phone"
)
EN_PHONE = pytest.param(
    {"locale": "en-GB", "viewport": PHONE, "is_mobile": True, "has_touch": True}, id="en-phone"
)


def open_filters(page) -> None:
    panel = page.locator("details.filters-panel")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    expect(panel).to_have_attribute("open", "")


# Names people type ------------------------------------------------------------------------


def test_person_search_and_picker_are_accent_blind(open_page):
    page = open_page("/people/?q=Erdoğan")  # the pages spell him "Erdogan"
    expect(page.locator("tbody th a")).to_have_text(["Recep Tayyip Erdogan"])
    page.goto("/")
    field = page.locator("#id_person")
    field.press_sequentially("erdoğ")
    options = page.locator("#person-options option")
    expect(options.first).to_have_attribute("value", "Recep Tayyip Erdogan")


@pytest.mark.parametrize(
    ("visitor", "typed", "name"),
    [
        pytest.param({"locale": "en-GB", "viewport": DESKTOP}, "turk", "Türkiye", id="en"),
        pytest.param(
            {"locale": "ru-RU", "viewport": PHONE, "is_mobile": True}, "турц", "Турция", id="ru"
        ),
    ],
)
def test_typing_part_of_a_common_name_suggests_the_country(open_page, visitor, typed, name):
    page = open_page("/", **visitor)
    open_filters(page)
    # What the browser's suggestion list matches: an option's value and its label.
    matching = page.eval_on_selector_all(
        "#country-options option",
        "(options, typed) => options.filter(o => (o.value + ' ' + o.label).toLowerCase()"
        ".includes(typed)).map(o => o.value)",
        typed,
    )
    assert name in matching
    label = page.locator(f'#country-options option[value="{name}"]').get_attribute("label")
    assert "Turkey" in label
    page.locator("#id_country").fill(name)
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]country=TR(&|$)"))
    expect(page.locator(".active-filters a")).to_have_text([f"{name} ×"])


# Links people keep ------------------------------------------------------------------------


@pytest.fixture
def committed():
    """A connection of its own, in autocommit: what it writes the live server sees (the
    browser tests' ORM writes are rolled back, unseen by the server). Tests undo what they
    write through it."""
    settings = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"],
        password=settings["PASSWORD"] or None,
    )
    with psycopg.connect(conninfo, autocommit=True) as db:
        yield db


@pytest.fixture
def merged_away(committed):
    """An editor's merge as the live server sees it: a merged-away id recorded for the kept
    person, removed again afterwards. Returns (old id, kept person)."""
    kept = Participant.objects.get(name="Recep Tayyip Erdogan")
    old = Participant.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    committed.execute(
        "INSERT INTO meetings_mergedparticipant (merged_id, kept_id, name, merged_at)"
        " VALUES (%s, %s, %s, now())",
        (old, kept.pk, "Recep Erdogan"),
    )
    try:
        yield old, kept
    finally:
        committed.execute("DELETE FROM meetings_mergedparticipant WHERE merged_id = %s", (old,))


@pytest.fixture
def editor(committed):
    """A superuser the live server can sign in, removed again afterwards (with the sign-in
    records django-axes kept)."""
    name = "reader-editor"
    committed.execute(
        "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,"
        " email, is_staff, is_active, date_joined) VALUES (%s, true, %s, '', '', '', true,"
        " true, now())",
        (make_password("editor-password"), name),
    )
    try:
        yield name, "editor-password"
    finally:
        for table in ("axes_accesslog", "axes_accessattempt", "axes_accessfailurelog"):
            committed.execute(f"DELETE FROM {table} WHERE username = %s", (name,))  # noqa: S608
        committed.execute(
            "DELETE FROM django_admin_log WHERE user_id IN"
            " (SELECT id FROM auth_user WHERE username = %s)",
            (name,),
        )
        committed.execute("DELETE FROM django_session")  # the editor's, in the test database
        committed.execute("DELETE FROM auth_user WHERE username = %s", (name,))


def test_links_to_a_merged_person_lead_to_the_kept_one(open_page, merged_away):
    old, kept = merged_away
    page = open_page(f"/people/{old}/")
    expect(page).to_have_url(re.compile(rf"/people/{kept.pk}/$"))
    expect(page.locator("h1")).to_have_text("Recep Tayyip Erdogan")
    page.goto(f"/?participant={old}")
    expect(page).to_have_url(re.compile(rf"\?participant={kept.pk}$"))
    expect(page.locator(".active-filters a")).to_have_text(["Recep Tayyip Erdogan ×"])
    feed = page.request.get(f"/feeds/meetings.atom?participant={old}", max_redirects=0)
    assert feed.status == 301
    assert feed.headers["location"] == f"/feeds/meetings.atom?participant={kept.pk}"


def test_pages_are_revalidated_by_the_browser_and_kept_by_a_cdn(open_page):
    page = open_page("/countries/KZ/")
    response = page.reload()
    directives = {d.strip() for d in response.headers["cache-control"].split(",")}
    assert {"public", "max-age=0", "must-revalidate"} <= directives
    assert any(d.startswith("s-maxage=") for d in directives)
    again = page.request.get("/countries/KZ/", headers={"If-None-Match": response.headers["etag"]})
    assert again.status == 304


@pytest.mark.parametrize("visitor", [EN_DESKTOP, RU_PHONE])
def test_a_meeting_missing_in_one_language_offers_the_other(open_page, visitor):
    page = open_page("/meetings/en/67748/", **visitor)
    link = page.locator(".only-version a")
    expect(link).to_have_attribute("hreflang", "ru")
    link.click()
    expect(page).to_have_url(re.compile(r"/meetings/ru/67748/$"))
    expect(page.locator("h1")).to_contain_text("Токаев")


@pytest.mark.parametrize("visitor", [EN_DESKTOP, RU_PHONE])
def test_kazakhstan_last_meeting_heads_its_latest_meetings(open_page, visitor):
    page = open_page("/countries/KZ/", **visitor)
    last = page.locator("dl div").filter(
        has=page.locator("dt", has_text=re.compile("Last meeting|Последняя встреча"))
    )
    first_row = page.locator("#latest-heading ~ ol .meeting-row").first
    expect(first_row.locator("time")).to_have_attribute("datetime", "2022-02-10")
    expect(first_row.locator("time")).to_have_text(last.locator("dd").inner_text())


# Frictions in lists and feeds -------------------------------------------------------------


@pytest.mark.parametrize("visitor", [EN_DESKTOP, EN_PHONE])
def test_every_filter_has_a_chip_in_sight(open_page, visitor):
    page = open_page("/?country=CN&year=2017&kind=meeting", **visitor)
    chips = page.locator(".active-filters a")
    expect(chips).to_have_text(["China ×", "Year: 2017 ×", "Kind: Meeting ×"])
    for chip in chips.all():  # on a phone too, with the filter panel folded away
        expect(chip).to_be_visible()
    chips.nth(1).click()
    expect(page).to_have_url(re.compile(r"/\?country=CN&kind=meeting$"))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_shared_addresses_carry_no_empty_fields(open_page, javascript):
    page = open_page("/", java_script_enabled=javascript)
    page.locator("#id_q").fill("Syria")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/\?q=Syria&sort=newest$"))


def test_a_fractional_year_is_refused(open_page):
    page = open_page("/?year=2015.5")
    expect(page.locator("#results-heading")).to_have_text("Please correct the filters.")
    expect(page.locator("#id_year-errors, .field--error").first).to_be_visible()


@pytest.mark.parametrize("visitor", [EN_DESKTOP, RU_PHONE])
def test_numbered_pages_and_a_helpful_404_past_the_end(open_page, visitor):
    page = open_page("/", **visitor)
    nav = page.locator("nav.pagination")
    expect(nav.locator(".pagination__pages a")).to_have_text(["1", "2", "3"])
    nav.locator(".pagination__pages a", has_text="3").click()
    expect(page).to_have_url(re.compile(r"\?page=3$"))
    expect(nav.locator("[aria-current=page]")).to_have_text("3")
    expect(nav.locator("a[rel=prev]")).to_be_visible()
    response = page.goto("/?page=999999")
    assert response.status == 404
    page.locator("main a[href*='page=']").click()
    expect(page).to_have_url(re.compile(r"\?page=3$"))
    expect(page.locator(".meeting-row").first).to_be_visible()


def test_rows_speak_plainly(open_page):
    page = open_page("/?has_transcript=false")
    counts = page.locator(".meeting-row__counts")
    expect(counts.first).to_have_text("No transcript: a report of the meeting")
    for text in counts.all_inner_texts():
        assert not re.search(r"\b0 signed|readout", text)


@pytest.mark.parametrize("visitor", [EN_DESKTOP, RU_PHONE])
def test_follow_gives_a_page_that_says_what_to_do(open_page, visitor):
    page = open_page("/?country=TR&year=2017", **visitor)
    page.locator("a.follow__link").click()
    expect(page).to_have_url(re.compile(r"/feeds/meetings/\?country=TR&year=2017$"))
    address = page.locator("#feed-address")
    expect(address).to_have_value(re.compile(r"/feeds/meetings\.atom\?country=TR&year=2017$"))
    # A feed reader asks in its own language; here, the visitor's.
    feed = page.request.get(address.input_value(), headers={"Accept-Language": visitor["locale"]})
    title = re.search(r"<title>(.*?)</title>", feed.text()).group(1)
    expect(page.locator(".follow-page__what")).to_have_text(title)
    assert "2017" in title and ("Türkiye" in title or "Турция" in title)


# The admin --------------------------------------------------------------------------------


def test_admin_sidebar_and_meeting_form(open_page, editor):
    username, password = editor
    page = open_page("/admin/login/?next=/admin/meetings/participant/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("input[type=submit]").click()
    sidebar = page.locator("#changelist-filter")
    expect(sidebar).to_be_visible()
    assert sidebar.bounding_box()["height"] < 2000  # not ~250 countries
    page.locator("#result_list tbody a").first.wait_for()
    page.goto("/admin/meetings/meeting/")
    page.locator("#result_list tbody th a").first.click()
    expect(page.locator('input[name="date"]')).to_have_count(1)
    expect(page.locator('input[name="start_time"]')).to_have_count(1)
    expect(page.locator('input[name="kremlin_id"], input[name="source_url"]')).to_have_count(0)
