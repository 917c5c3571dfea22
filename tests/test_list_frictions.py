"""Frictions of a long session on the lists and feeds: a chip for every filter, clean
shared URLs, whole years, numbered pages and a 404 that offers the last one, plain words on
the rows, grouped numbers, feed titles naming their filters, search feed entries at the
match and the page a "Follow" link opens; and the admin's meeting form and filters."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from meetings.models import Meeting, aggregates
from tests.factories import add_participant, make_meeting, make_participant, make_utterance

ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def chips(response) -> dict[str, str]:
    return {a.get_text(strip=True): a["href"] for a in parse(response).select(".active-filters a")}


@pytest.fixture
def china():
    xi = make_participant("Xi Jinping", country="CN")
    talks = make_meeting(title="Talks with Xi", date=dt.date(2016, 6, 25), countries=("CN",))
    add_participant(talks, xi)
    make_utterance(
        talks,
        speaker=xi,
        speaker_label="Xi Jinping",
        text=" ".join(f"opening{i}" for i in range(200)) + " the gas pipeline to China ends here",
    )
    make_meeting(
        title="Call with Xi", date=dt.date(2016, 7, 1), countries=("CN",), kind="telephone"
    )
    aggregates.refresh()
    return xi


def test_every_active_filter_has_a_chip_that_removes_it(client, china):
    response = client.get("/", {"country": "CN", "year": "2016", "kind": "talks"})
    found = chips(response)
    assert found == {
        "China ×": "?year=2016&kind=talks",
        "Year: 2016 ×": "?country=CN&kind=talks",
        "Kind: Talks ×": "?country=CN&year=2016",
    }
    words = chips(client.get("/", {"q": "gas", "has_transcript": "true", "lang": "en"}))
    assert set(words) == {"Words: gas ×", "With a transcript: Yes ×", "Source site: English ×"}


def test_chips_are_outside_the_folding_filter_panel(client, china):
    page = parse(client.get("/", {"country": "CN", "year": "2016"}))
    chip_list = page.select_one(".active-filters")
    assert chip_list is not None and chip_list.find_parent("details") is None


def test_a_url_with_empty_fields_redirects_to_the_clean_one(client, china):
    response = client.get("/?q=&country=CN&date_from=&date_to=&year=&kind=&sort=newest")
    assert response.status_code == 302
    assert response["Location"] == "/?country=CN&sort=newest"
    bare = client.get("/?q=&date_from=")
    assert bare.status_code == 302 and bare["Location"] == "/"
    assert client.get("/search/?q=gas&lang=").headers["Location"] == "/search/?q=gas"
    # Dropping empty fields changes no filter: the reader stays on the page they were on.
    assert client.get("/?kind=&page=2").headers["Location"] == "/?page=2"


def test_a_fractional_year_is_a_form_error(client, china):
    page = parse(client.get("/", {"year": "2015.5"}))
    assert page.select_one("#results-heading").get_text(strip=True) == "Please correct the filters."
    assert page.select_one("#id_year").find_parent(class_="field--error") is not None


@pytest.fixture
def many():
    for day in range(1, 31):
        for n in range(5):
            make_meeting(date=dt.date(2019, 1, day), title=f"Talks {day}-{n}")


def test_numbered_pagination_reaches_first_and_last(client, many):
    page = parse(client.get("/", {"page": "3"}))  # 150 meetings, 25 a page: 6 pages
    nav = page.select_one("nav.pagination")
    numbers = [a.get_text(strip=True) for a in nav.select(".pagination__pages a")]
    assert numbers == ["1", "2", "3", "4", "5", "6"]
    assert nav.select_one("[aria-current=page]").get_text(strip=True) == "3"
    assert nav.select_one("a[rel=prev]")["href"] == "?page=2"
    assert nav.select_one("a[rel=next]")["href"] == "?page=4"
    assert nav.select_one('a[aria-label="6, last page"]')["href"] == "?page=6"


def test_a_page_past_the_end_offers_the_last_page(client, many):
    response = client.get("/", {"page": "999999", "kind": "talks"})
    assert response.status_code == 404
    page = parse(response)
    link = page.select_one("main a[href*='page=']")
    assert link["href"] == "/?kind=talks&page=6"
    assert "only 6 pages" in page.select_one("main").get_text()
    assert client.get("/", {"page": "0"}).status_code == 404


def test_rows_say_no_transcript_and_no_zero_documents(client, china):
    rows = parse(client.get("/", {"kind": "telephone"})).select(".meeting-row__counts")
    assert [r.get_text(" ", strip=True) for r in rows] == ["No transcript: a report of the meeting"]


def test_numbers_are_grouped_by_the_readers_language(client, many):
    Meeting.objects.bulk_create(
        Meeting(
            kremlin_id=500000 + i,
            language="en",
            source_url=f"http://en.kremlin.ru/events/president/news/{500000 + i}",
            title=f"Meeting {i}",
            date=dt.date(2020, 1, 1),
            kind="talks",
        )
        for i in range(1000)
    )
    english = parse(client.get("/", HTTP_ACCEPT_LANGUAGE="en")).select_one("#results-heading")
    assert english.get_text(strip=True) == "1,150 meetings"
    russian = parse(client.get("/", HTTP_ACCEPT_LANGUAGE="ru")).select_one("#results-heading")
    assert russian.get_text(strip=True) == "1\xa0150 встреч"


def atom(response) -> ET.Element:
    assert response.status_code == 200, response.content
    return ET.fromstring(response.content)


def test_list_feed_title_names_its_filters(client, china):
    root = atom(client.get("/feeds/meetings.atom", {"country": "CN", "year": "2016"}))
    assert root.findtext(f"{ATOM}title") == "Kremlin Meetings: meetings — China, Year: 2016"
    plain = atom(client.get("/feeds/meetings.atom"))
    assert plain.findtext(f"{ATOM}title") == "Kremlin Meetings: latest meetings"


def test_search_feed_title_quotes_the_words_once(client, china):
    phrase = atom(client.get("/feeds/search.atom", {"q": '"gas pipeline"'}))
    assert phrase.findtext(f"{ATOM}title") == 'Kremlin Meetings: "gas pipeline" said'
    words = atom(client.get("/feeds/search.atom", {"q": "pipeline", "speaker": china.pk}))
    assert words.findtext(f"{ATOM}title") == "Kremlin Meetings: “pipeline” said — Xi Jinping"


def test_search_feed_entry_starts_at_the_match(client, china):
    root = atom(client.get("/feeds/search.atom", {"q": "pipeline"}))
    summary = BeautifulSoup(root.find(f"{ATOM}entry").findtext(f"{ATOM}summary"), "html.parser")
    passage = summary.p.get_text()
    assert passage.startswith("… ") and "opening0 " not in passage
    assert summary.p.mark.get_text() == "pipeline"


@pytest.mark.parametrize(
    ("page", "follow", "feed", "title"),
    [
        (
            "/?country=CN&kind=talks",
            "/feeds/meetings/?country=CN&kind=talks",
            "http://testserver/feeds/meetings.atom?country=CN&kind=talks",
            "Kremlin Meetings: meetings — China, Kind: Talks",
        ),
        (
            "/search/?q=pipeline",
            "/feeds/search/?q=pipeline",
            "http://testserver/feeds/search.atom?q=pipeline",
            "Kremlin Meetings: “pipeline” said",
        ),
    ],
)
def test_follow_opens_a_page_that_says_what_to_do_with_the_feed(
    client, china, page, follow, feed, title
):
    link = parse(client.get(page)).select_one("a.follow__link")
    assert link["href"] == follow
    landing = parse(client.get(follow))
    assert landing.select_one("#feed-address")["value"] == feed
    assert landing.select_one(".follow-page__what").get_text(strip=True) == title
    assert "feed reader" in landing.select_one("main").get_text()
    assert client.get("/feeds/search/").status_code == 400


def test_admin_country_filter_lists_only_countries_that_occur(admin_client, china):
    page = parse(admin_client.get(reverse("admin:meetings_participant_changelist")))
    choices = [a.get_text(strip=True) for a in page.select("#changelist-filter li a")]
    assert choices == ["All", "China", "-"]  # "-": people with no country


def test_admin_meeting_form_shows_the_date_once_and_keeps_the_source_read_only(admin_client, china):
    meeting = Meeting.objects.get(title="Talks with Xi")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    page = parse(admin_client.get(url))
    assert len(page.select('input[name="date"]')) == 1
    assert page.select('input[name^="starts_at"]') == []
    assert page.select_one('input[name="start_time"]') is not None
    assert page.select_one('input[name="kremlin_id"]') is None
    assert page.select_one('input[name="source_url"]') is None
    assert page.select_one(".field-kremlin_id .readonly").get_text(strip=True) == str(
        meeting.kremlin_id
    )


@pytest.mark.parametrize("typed", ["Turkey", "Турция", "turkiye"])
def test_a_country_by_a_common_name_goes_to_its_code(client, typed):
    # The picker's plain input sends what was typed; the list takes any common name.
    response = client.get("/", {"country": typed})
    assert response.status_code == 302 and response["Location"] == "/?country=TR"
