"""The meeting list (home, ``meetings/views/meetings.py``) and its filters, and the error
pages. The meeting page and a turn's own page are in test_views_transcript.py."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from meetings.models import aggregates
from tests.factories import (
    add_participant,
    make_document,
    make_meeting,
    make_participant,
    make_utterance,
)
from tests.html import hrefs, one, select, text, texts
from tests.worlds import pipeline_world

pytestmark = pytest.mark.django_db

HOME = reverse("meetings:meeting_list")


def titles(response) -> list[str]:
    return [meeting.title for meeting in response.context["meetings"]]


@pytest.fixture
def three_meetings():
    erdogan = make_participant("Recep Tayyip Erdogan", country="TR")
    turkey = make_meeting(
        title="Talks with Erdogan",
        date=dt.date(2019, 4, 8),
        countries=("TR",),
        kind="talks",
        place="Moscow, the Kremlin",
    )
    add_participant(turkey, erdogan, role="President of Turkey")
    make_utterance(turkey, speaker=erdogan, speaker_label="Recep Tayyip Erdogan", text="Gas.")
    make_document(turkey, title="Memorandum on gas")
    china = make_meeting(
        title="Telephone conversation with Xi Jinping",
        date=dt.date(2020, 1, 20),
        countries=("CN",),
        kind="telephone",
        language="ru",
    )
    germany = make_meeting(
        title="Meeting with Angela Merkel", date=dt.date(2018, 8, 18), countries=("DE", "FR")
    )
    return {"turkey": turkey, "china": china, "germany": germany, "erdogan": erdogan}


def test_home_lists_newest_first_with_count_and_row_details(client, three_meetings):
    response = client.get(HOME)
    assert response.status_code == 200
    assert titles(response) == [
        "Telephone conversation with Xi Jinping",
        "Talks with Erdogan",
        "Meeting with Angela Merkel",
    ]
    assert texts(response, ".results__count") == ["3 meetings"]
    (turkey,) = [row for row in select(response, ".meeting-row") if "Erdogan" in text(row.h3)]
    assert "· Moscow, the Kremlin ·" in text(turkey.select_one(".meeting-row__meta"))
    assert text(turkey.select_one(".meeting-row__people")) == "Recep Tayyip Erdogan"
    assert text(turkey.select_one(".meeting-row__counts")) == "1 turn · 1 signed document"
    assert text(turkey.select_one(".meeting-row__countries")) in ("Türkiye", "Turkey")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=TR", ["Talks with Erdogan"]),
        ("country=tr", ["Talks with Erdogan"]),
        ("country=TR&country=CN", ["Telephone conversation with Xi Jinping", "Talks with Erdogan"]),
        ("country=FR", ["Meeting with Angela Merkel"]),
        ("date_from=2019-01-01&date_to=2019-12-31", ["Talks with Erdogan"]),
        ("date_from=2019-01-01", ["Telephone conversation with Xi Jinping", "Talks with Erdogan"]),
        ("date_to=2018-12-31", ["Meeting with Angela Merkel"]),
        ("year=2020", ["Telephone conversation with Xi Jinping"]),
        ("kind=telephone", ["Telephone conversation with Xi Jinping"]),
        ("lang=ru", ["Telephone conversation with Xi Jinping"]),
        ("lang=en", ["Talks with Erdogan", "Meeting with Angela Merkel"]),
        ("has_transcript=true", ["Talks with Erdogan"]),
        (
            "has_transcript=false",
            ["Telephone conversation with Xi Jinping", "Meeting with Angela Merkel"],
        ),
        ("has_documents=1", ["Talks with Erdogan"]),
        (
            "has_documents=no",
            ["Telephone conversation with Xi Jinping", "Meeting with Angela Merkel"],
        ),
        (
            "sort=oldest",
            [
                "Meeting with Angela Merkel",
                "Talks with Erdogan",
                "Telephone conversation with Xi Jinping",
            ],
        ),
        ("sort=newest&country=TR", ["Talks with Erdogan"]),
    ],
)
def test_each_filter_narrows_the_list(client, three_meetings, query, expected):
    response = client.get(f"{HOME}?{query}")
    assert response.status_code == 200
    assert not response.context["filter"].form.errors
    assert titles(response) == expected


def test_participant_filter_names_the_person(client, three_meetings):
    erdogan = three_meetings["erdogan"]
    response = client.get(HOME, {"participant": erdogan.pk})
    assert titles(response) == ["Talks with Erdogan"]
    # An active filter is a chip with the person's name that removes it.
    assert response.context["filter_chips"] == [("Recep Tayyip Erdogan", "?")]
    (chip,) = select(response, ".active-filters a")
    assert (text(chip), chip["aria-label"]) == (
        "Recep Tayyip Erdogan ×",
        "Remove Recep Tayyip Erdogan",
    )


def test_text_search_finds_title_lead_and_transcript(client):
    make_meeting(title="Talks on energy", date=dt.date(2019, 1, 1))
    make_meeting(title="Other", lead="Questions of energy supply were discussed.")
    spoken = make_meeting(title="Silent title", date=dt.date(2017, 1, 1))
    make_utterance(spoken, speaker_label="Vladimir Putin", text="We discussed energy prices.")
    make_meeting(title="Nothing relevant")
    russian = make_meeting(title="Переговоры", language="ru")
    make_utterance(russian, speaker_label="В.Путин", text="Мы обсудили поставки газа.")

    response = client.get(HOME, {"q": "energy"})
    assert sorted(titles(response)) == ["Other", "Silent title", "Talks on energy"]
    # Relevance by default when searching: a title match outranks one line of transcript.
    assert titles(response)[0] == "Talks on energy"
    # Russian stemming: "газ" finds "газа".
    assert titles(client.get(HOME, {"q": "газ"})) == ["Переговоры"]
    # websearch syntax: a minus excludes.
    assert "Other" not in titles(client.get(HOME, {"q": "energy -supply"}))
    assert sorted(titles(client.get(HOME, {"q": "energy", "sort": "oldest"}))) == sorted(
        ["Other", "Silent title", "Talks on energy"]
    )


@pytest.mark.parametrize(
    "query",
    [
        "country=ZZ",
        "date_from=yesterday",
        "date_to=2019-02-30",
        "date_from=2020-01-01&date_to=2019-01-01",
        "year=abc",
        "year=99999999999999999999",
        "kind=war",
        "lang=de",
        "has_transcript=maybe",
        "has_documents=2",
        "sort=sideways",
        "participant=abc",
        "participant=999999",
        "q=" + "x" * 400,
    ],
)
def test_bad_values_show_the_form_error_not_a_server_error(client, three_meetings, query):
    response = client.get(f"{HOME}?{query}")
    assert response.status_code == 200
    assert response.context["filter"].form.errors
    assert all(text(alert) for alert in select(response, 'form.filters [role="alert"]'))
    assert select(response, 'form.filters [role="alert"]')
    assert titles(response) == []


@pytest.mark.parametrize("query", ["q=%22unclosed", "q=-", "q=or", "q=!!!", "q=a%26b|c", "q=%27"])
def test_odd_search_syntax_never_fails(client, three_meetings, query):
    assert client.get(f"{HOME}?{query}").status_code == 200


def test_relevance_without_words_falls_back_to_newest(client, three_meetings):
    response = client.get(HOME, {"sort": "relevance"})
    assert titles(response)[0] == "Telephone conversation with Xi Jinping"


def test_25_per_page_and_page_links_keep_the_filters(client):
    for day in range(1, 31):
        make_meeting(title=f"Talks {day}", date=dt.date(2019, 5, day), countries=("TR",))
    make_meeting(title="Elsewhere", countries=("CN",))
    response = client.get(HOME, {"country": "TR"})
    assert len(response.context["meetings"]) == 25
    assert texts(response, ".results__count") == ["30 meetings"]
    next_link = one(response, 'a[rel="next"]')["href"]
    assert "country=TR" in next_link and "page=2" in next_link
    second = client.get(HOME + next_link)
    assert titles(second) == [f"Talks {day}" for day in range(5, 0, -1)]
    assert "page=1" in one(second, 'a[rel="prev"]')["href"]
    assert not select(second, 'a[rel="next"]')


@pytest.mark.parametrize("page", ["2", "0", "-1", "abc", "99999999999999999999"])
def test_a_page_past_the_end_is_a_404(client, three_meetings, page):
    response = client.get(HOME, {"page": page})
    assert response.status_code == 404
    assert texts(response, "h1") == ["Page not found"]


def test_list_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries):
    putin = make_participant("Vladimir Putin")
    for index in range(30):
        meeting = make_meeting(countries=("TR", "DE"), date=dt.date(2019, 1, 1 + index % 28))
        add_participant(meeting, putin)
        add_participant(meeting, make_participant(f"Guest {index}", country="TR"))
        make_utterance(meeting, speaker=putin, speaker_label="Putin")
        make_document(meeting)
    # The page's ids first, then only its rows (deep pages read no skipped rows): one query
    # more than fetching the rows at once, whatever the page. The picker's counts are read
    # from the aggregates, after one query that checks they are current.
    aggregates.refresh()  # as the import does when it ends
    with django_assert_max_num_queries(10):
        response = client.get(
            HOME, {"country": ["TR", "DE"], "participant": putin.pk, "q": "afternoon"}
        )
    assert response.status_code == 200
    assert len(response.context["meetings"]) == 25


# Filter chips and error pages ----------------------------------------------------------


def test_chosen_countries_show_as_removable_chips(client, three_meetings):
    response = client.get(HOME, {"country": ["TR", "CN"], "page": "1"})
    chips = response.context["filter_chips"]
    assert [name for name, _ in chips] == ["Türkiye", "China"]
    assert chips[0][1] == "?country=CN"
    assert [a["aria-label"] for a in select(response, ".active-filters a")] == [
        "Remove Türkiye",
        "Remove China",
    ]


def test_not_found_page_in_production_uses_the_site_layout(client, settings, three_meetings):
    settings.DEBUG = False
    response = client.get("/meetings/en/999999/")
    assert response.status_code == 404
    main = one(response, "main#main-content")
    assert "There is no page at this address" in text(main)


def test_server_error_page_needs_no_context():
    from django.template.loader import get_template

    page = BeautifulSoup(get_template("500.html").render(), "lxml")
    assert text(page.h1) == "Server error · Ошибка сервера"


# A search on the list (the pipeline world) ---------------------------------------------------


@pytest.fixture
def world():
    return pipeline_world()


def test_list_rows_for_a_search_show_a_snippet_leading_to_the_words(client, world):
    response = client.get(HOME, {"q": "pipeline", "country": "TR"})
    snippet = one(response, ".meeting-row__snippet")
    assert [str(mark) for mark in snippet.select("mark")] == ["<mark>pipeline</mark>"]
    assert text(snippet).startswith("A pipeline.")
    assert snippet.a["href"] == "/meetings/en/70002/?hl=pipeline#u-1"


def test_list_snippets_cost_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    for index in range(30):
        meeting = make_meeting(countries=("TR",))
        make_utterance(meeting, speaker_label="Putin", text=f"pipeline {index}")
    # Snippets add two queries (best turns, their headlines) whatever the page's size; the
    # lead's headline only when a row matched by its title or lead alone. The page's ids are
    # read before its rows, with the total (views.paginate, ranked). The picker's counts
    # come from the aggregates, after one query that checks they are current.
    aggregates.refresh()  # as the import does when it ends
    with django_assert_num_queries(8):
        response = client.get(HOME, {"q": "pipeline"})
    assert len(response.context["meetings"]) == 25


def test_list_page_links_the_feed_of_exactly_its_filters(client, world):
    response = client.get(HOME, {"country": "CN", "kind": "talks", "page": "1"})
    # No lang=: the page lists both sites' meetings, and so does its feed.
    feed = "/feeds/meetings.atom?country=CN&kind=talks"
    feeds = select(response, 'head link[rel="alternate"][type="application/atom+xml"]')
    assert [link["href"] for link in feeds if link["title"].startswith("Meetings matching")] == [
        feed
    ]
    # "Follow" opens the feed's landing page, which says what to do with the address.
    assert hrefs(response, "a.follow__link") == ["/feeds/meetings/?country=CN&kind=talks"]
