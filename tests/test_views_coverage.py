"""Coverage shown (issue 16): periods the archive does not hold read "not in the archive" on
timelines, the search overview and filtered lists, never 0; rates count held time only; the
``/coverage/`` page; and without any recorded coverage the pages stay as they were."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from meetings.models import aggregates
from meetings.models.coverage import record_days
from meetings.web.coverage import archive_coverage, meeting_frequency
from tests.factories import add_participant, make_meeting, make_participant, make_utterance

pytestmark = pytest.mark.django_db

HOLES = {2004, 2007, 2008, 2015}  # the years the bulk mirror has no pages for


def crawl(start: dt.date, end: dt.date, skip: set[int] = HOLES, site: str = "en") -> None:
    """What a crawl of the listing from ``start`` to ``end`` records (less the hole years)."""
    days = [start + dt.timedelta(n) for n in range((end - start).days + 1)]
    record_days(site, [day for day in days if day.year not in skip], via="crawl")


@pytest.fixture
def china():
    putin = make_participant("Vladimir Putin", country="RU")
    xi = make_participant("Xi Jinping", country="CN")
    for day in (dt.date(2013, 3, 22), dt.date(2014, 5, 20), dt.date(2016, 6, 25)):
        meeting = make_meeting(date=day, countries=("CN",), kind="talks", title=f"Talks {day}")
        add_participant(meeting, putin)
        add_participant(meeting, xi)
        make_utterance(meeting, speaker=putin, speaker_label="Putin", text="Gas and oil.")
    aggregates.refresh()
    return {"putin": putin, "xi": xi}


def timeline(html: bytes) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {
        li.select_one(".timeline__year").get_text(strip=True): " ".join(
            li.select_one(".timeline__count").get_text(" ", strip=True).split()
        )
        for li in soup.select("ol.timeline li")
    }


def test_country_timeline_shows_a_year_not_held_as_not_in_the_archive(client, china):
    crawl(dt.date(2000, 1, 1), dt.date(2020, 12, 31))
    response = client.get(reverse("meetings:country_detail", args=["cn"]))
    years = timeline(response.content)
    assert years == {
        "2013": "1 meeting",
        "2014": "1 meeting",
        "2015": "not in the archive",  # not "0 meetings"
        "2016": "1 meeting",
    }
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("ol.timeline li.timeline__hole .timeline__year").text == "2015"


def test_person_timeline_keeps_a_held_empty_year_at_zero(client, china):
    crawl(dt.date(2000, 1, 1), dt.date(2020, 12, 31), skip={2014})
    response = client.get(china["xi"].get_absolute_url())
    years = timeline(response.content)
    assert years == {
        "2013": "1 meeting",
        "2014": "1 meeting (the archive holds only part of this year)",
        "2015": "0 meetings",  # held, and nothing happened
        "2016": "1 meeting",
    }


def test_rates_count_only_the_time_the_archive_holds(client, china):
    crawl(dt.date(2000, 1, 1), dt.date(2020, 12, 31))
    response = client.get(reverse("meetings:country_detail", args=["cn"]))
    frequency = response.context["frequency"]
    # 2013-03-22 .. 2016-06-25 is 1,191 days; 2015 (365 days) is not held: 826 days, 2 gaps.
    assert frequency["average_gap_days"] == 413
    assert frequency["per_year"] == round(3 / (826 / 365.25), 1)
    assert frequency["excluded_years"] == [2015]
    soup = BeautifulSoup(response.content, "html.parser")
    note = soup.select_one(".stats__note dd").get_text(" ", strip=True)
    assert note.startswith("2015")


def test_without_recorded_coverage_the_rates_span_the_whole_time(china):
    coverage = archive_coverage()
    assert not coverage.known
    first, last = dt.date(2013, 3, 22), dt.date(2016, 6, 25)
    assert meeting_frequency(first, last, 3, coverage)["average_gap_days"] == round(1191 / 2)


def test_a_filtered_list_of_a_year_not_held_says_not_in_the_archive(client, china):
    crawl(dt.date(2000, 1, 1), dt.date(2020, 12, 31))
    response = client.get("/?country=CN&year=2015&kind=talks")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#results-heading").get_text(strip=True) == "Not in the archive"
    notice = soup.select_one(".coverage-notice").get_text(" ", strip=True)
    assert "no pages of 2015" in notice
    assert "No meetings match these filters." not in soup.get_text()
    assert soup.select_one(".coverage-notice a")["href"] == reverse("meetings:coverage")


def test_a_held_year_without_meetings_still_says_no_meetings_match(client, china):
    crawl(dt.date(2000, 1, 1), dt.date(2020, 12, 31))
    soup = BeautifulSoup(client.get("/?country=CN&year=2017").content, "html.parser")
    assert soup.select_one("#results-heading").get_text(strip=True) == "0 meetings"
    assert soup.select_one(".coverage-notice") is None


def test_a_range_over_a_hole_warns_that_results_are_missing(client, china):
    crawl(dt.date(2000, 1, 1), dt.date(2020, 12, 31))
    response = client.get("/?country=CN&date_from=2013-01-01&date_to=2016-12-31")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#results-heading").get_text(strip=True) == "3 meetings"
    notice = soup.select_one(".coverage-notice").get_text(" ", strip=True)
    assert "Partly in the archive" in notice and "does not hold 2015" in notice


def test_search_overview_marks_years_not_held(client, china):
    crawl(dt.date(2000, 1, 1), dt.date(2020, 12, 31))
    response = client.get("/search/?q=gas")
    soup = BeautifulSoup(response.content, "html.parser")
    rows = {
        li.select_one(".overview__label").get_text(strip=True): li.select_one(
            ".overview__count"
        ).get_text(strip=True)
        for li in soup.select(".overview__bars--years li")
    }
    assert rows == {"2013": "1", "2014": "1", "2015": "not in the archive", "2016": "1"}


def test_coverage_page_shows_each_site_per_month(client, china):
    crawl(dt.date(2014, 1, 1), dt.date(2016, 12, 31))
    record_days("ru", [dt.date(2016, 2, 1)], via="pages")  # one page: a few days only
    soup = BeautifulSoup(client.get(reverse("meetings:coverage")).content, "html.parser")
    english = soup.select_one("section[aria-labelledby=coverage-en] table")
    rows = {tr.th.contents[0].strip(): tr for tr in english.select("tbody tr")}
    assert "not in the archive" in rows["2015"].th.get_text()
    assert "coverage__hole" not in rows["2014"].get("class", [])
    cells = rows["2016"].select("td")
    assert [cell.get_text(strip=True) for cell in cells[:2]] == ["31", "29"]
    assert cells[0]["class"] == ["coverage--held"]
    missing = rows["2015"].select("td")[0]
    assert missing["class"] == ["coverage--missing"]
    assert missing.select_one(".visually-hidden").text == "not in the archive"
    russian = soup.select_one("section[aria-labelledby=coverage-ru] table")
    february = russian.select("tbody tr")[0].select("td")[1]
    assert february["class"] == ["coverage--partly"] and february.text == "1"


def test_coverage_page_in_russian_says_net_v_arkhive(china):
    crawl(dt.date(2014, 1, 1), dt.date(2016, 12, 31))
    client = Client(headers={"accept-language": "ru"})
    soup = BeautifulSoup(client.get(reverse("meetings:coverage")).content, "html.parser")
    assert soup.h1.text == "Что есть в архиве"
    hole = soup.select_one("tr.coverage__hole .coverage__year-note")
    assert hole.text == "нет в архиве"


def test_without_recorded_coverage_pages_are_as_before(client, china):
    years = timeline(client.get(reverse("meetings:country_detail", args=["cn"])).content)
    assert years["2015"] == "0 meetings"
    soup = BeautifulSoup(client.get("/?country=CN&year=2015").content, "html.parser")
    assert soup.select_one("#results-heading").get_text(strip=True) == "0 meetings"


def test_coverage_costs_one_query_on_the_primary_key_once_counted(django_assert_num_queries, china):
    crawl(dt.date(2000, 1, 1), dt.date(2020, 12, 31))
    with django_assert_num_queries(2):  # the newest id, then the counts (cached)
        coverage = archive_coverage("en")
    assert coverage.missing_years(2003, 2009) == [2004, 2007, 2008]
    with django_assert_num_queries(1) as queries:
        assert archive_coverage("en") == coverage
    assert "GROUP BY" not in queries.captured_queries[0]["sql"]
    # A new import's days are seen at once: the newest id names a new cache entry.
    record_days("en", [dt.date(2007, d, 1) for d in range(1, 13)], via="crawl")
    record_days("en", [dt.date(2007, m, d) for m in range(1, 13) for d in (2, 3)], via="crawl")
    assert archive_coverage("en").year_held(2007)
