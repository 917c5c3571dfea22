"""Full-text search over what was said, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from meetings.models import aggregates
from meetings.search import HIGHLIGHT_START, HIGHLIGHT_STOP
from meetings.templatetags.meetings_tags import highlight
from tests.factories import make_meeting, make_participant, make_utterance
from tests.html import hrefs, one, select, text, texts
from tests.worlds import pipeline_world

pytestmark = pytest.mark.django_db
SEARCH = reverse("meetings:search")


@pytest.fixture
def said():
    putin = make_participant("Vladimir Putin", country="RU")
    erdogan = make_participant("Recep Tayyip Erdogan", country="TR")
    turkey = make_meeting(kremlin_id=60001, date=dt.date(2019, 4, 8), countries=("TR",))
    make_utterance(
        turkey,
        speaker=putin,
        speaker_label="Vladimir Putin",
        text="The TurkStream gas pipeline is nearly finished.",
    )
    make_utterance(
        turkey,
        speaker=erdogan,
        speaker_label="Recep Tayyip Erdogan",
        text="Gas supplies and tourism matter to us.",
    )
    china = make_meeting(kremlin_id=60002, date=dt.date(2014, 5, 20), countries=("CN",))
    make_utterance(
        china,
        speaker=putin,
        speaker_label="Vladimir Putin",
        text="The Power of Siberia pipeline will carry gas to China.",
    )
    russian = make_meeting(
        kremlin_id=60001, language="ru", date=dt.date(2019, 4, 8), countries=("TR",)
    )
    make_utterance(
        russian,
        speaker=putin,
        speaker_label="В.Путин",
        text="Строительство газопровода «Турецкий поток» почти завершено.\nПоставки растут.",
    )
    return {
        "putin": putin,
        "erdogan": erdogan,
        "turkey": turkey,
        "china": china,
        "russian": russian,
    }


def hits(response) -> list[tuple[int, int, str]]:
    page = response.context["page_obj"]
    return [] if page is None else [(h.meeting.kremlin_id, h.position, h.language) for h in page]


def test_search_finds_what_was_said_with_highlighted_snippets(client, said):
    response = client.get(SEARCH, {"q": "pipeline"})
    assert response.status_code == 200
    assert sorted(hits(response)) == [(60001, 1, "en"), (60002, 1, "en")]
    assert {str(mark) for mark in select(response, ".hit__text mark")} == {"<mark>pipeline</mark>"}
    assert f"{said['turkey'].get_absolute_url()}?hl=pipeline#u-1" in hrefs(response, "a.hit__link")


def test_russian_text_is_stemmed_in_russian(client, said):
    assert hits(client.get(SEARCH, {"q": "газопроводы"})) == [(60001, 1, "ru")]
    assert hits(client.get(SEARCH, {"q": "поставка"})) == [(60001, 1, "ru")]


def test_websearch_syntax(client, said):
    assert hits(client.get(SEARCH, {"q": '"gas pipeline"'})) == [(60001, 1, "en")]
    assert sorted(hits(client.get(SEARCH, {"q": "tourism or siberia"}))) == [
        (60001, 2, "en"),
        (60002, 1, "en"),
    ]
    assert hits(client.get(SEARCH, {"q": "pipeline -siberia"})) == [(60001, 1, "en")]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lang": "ru"}, [(60001, 1, "ru")]),
        ({"lang": "en", "country": "CN"}, [(60002, 1, "en")]),
        ({"date_from": "2015-01-01", "lang": "en"}, [(60001, 1, "en"), (60001, 2, "en")]),
        ({"date_to": "2015-01-01"}, [(60002, 1, "en")]),
        ({"sort": "oldest", "lang": "en"}, [(60002, 1, "en"), (60001, 1, "en"), (60001, 2, "en")]),
    ],
)
def test_search_filters(client, said, params, expected):
    response = client.get(SEARCH, {"q": "gas OR газопровод", **params})
    assert hits(response) == expected


def test_search_by_speaker(client, said):
    response = client.get(SEARCH, {"q": "gas", "speaker": said["erdogan"].pk})
    assert hits(response) == [(60001, 2, "en")]
    assert texts(response, ".hit__speaker") == ["Recep Tayyip Erdogan:"]


def test_relevance_puts_the_best_match_first(client, said):
    meeting = make_meeting(date=dt.date(2001, 1, 1))
    make_utterance(meeting, speaker_label="A", text="Tourism, tourism and more tourism.")
    assert hits(client.get(SEARCH, {"q": "tourism"}))[0] == (meeting.kremlin_id, 1, "en")


@pytest.mark.parametrize(
    "query",
    [
        "q=",
        "",
        "q=%22",
        "q=-",
        "q=!",
        "q=a|b&c",
        "lang=xx&q=gas",
        "speaker=abc&q=gas",
        "date_from=nope&q=gas",
        "country=ZZ&q=gas",
        "sort=up&q=gas",
        "q=gas&page=9",
        "q=gas&page=x",
    ],
)
def test_odd_searches_never_fail(client, said, query):
    response = client.get(f"{SEARCH}?{query}", follow=True)  # ?q= goes to the bare page
    assert response.status_code in (200, 404)
    if "page=" in query:
        assert response.status_code == 404


def test_snippets_escape_the_text_before_highlighting(client):
    meeting = make_meeting()
    make_utterance(
        meeting, speaker_label="<b>X</b>", text="<script>alert('gas')</script> gas & oil"
    )
    response = client.get(SEARCH, {"q": "gas"})
    quote = one(response, ".hit__text")
    assert not quote.select("script, b")  # the page's text, never its markup
    assert [str(mark) for mark in quote.select("mark")] == ["<mark>gas</mark>"]
    assert text(one(response, ".hit__speaker")) == "<b>X</b>:"
    assert "gas & oil" in text(quote)


def test_highlight_filter_only_adds_marks():
    text = f"a <i>{HIGHLIGHT_START}b{HIGHLIGHT_STOP}</i> {HIGHLIGHT_START}c"
    assert highlight(text) == "a &lt;i&gt;<mark>b</mark>&lt;/i&gt; <mark>c</mark>"


def test_search_queries_are_fixed_in_number(client, said, django_assert_max_num_queries):
    for index in range(40):
        meeting = make_meeting(countries=("TR",))
        make_utterance(meeting, speaker=said["putin"], speaker_label="Putin", text=f"gas {index}")
    # The aggregates check, the picker's countries, the chosen speaker, the speaker choices,
    # one pass over the matches (the page's ids, the total and the overview), the page's rows
    # with their headlines.
    aggregates.refresh()  # as the import does when it ends
    with django_assert_max_num_queries(6):
        response = client.get(SEARCH, {"q": "gas", "country": "TR", "speaker": said["putin"].pk})
    assert len(response.context["page_obj"]) == 20
    assert "country=TR" in one(response, 'a[rel="next"]')["href"]


def test_a_match_deep_in_a_long_turn_still_gets_its_headline(client):
    meeting = make_meeting(countries=("TR",))
    make_utterance(
        meeting, speaker_label="Putin", text="Wheat and barley. " * 400 + "A lunar base."
    )
    make_utterance(meeting, speaker_label="Erdogan", text="A lunar rover at the start.")
    response = client.get(SEARCH, {"q": "lunar"})
    assert [text(mark) for mark in select(response, ".hit__text mark")] == ["lunar", "lunar"]
    assert any("A lunar base" in quote for quote in texts(response, ".hit__text"))


# From a hit to the words, and the overview (the pipeline world) ----------------------------


@pytest.fixture
def world():
    return pipeline_world()


def test_every_hit_links_to_its_transcript_with_the_words(client, world):
    response = client.get(SEARCH, {"q": "pipeline gas"})
    assert hrefs(response, "a.hit__link") == ["/meetings/en/70001/?hl=pipeline+gas#u-2"]


def test_snippets_show_context_on_both_sides(client, world):
    response = client.get(SEARCH, {"q": "pipeline", "sort": "oldest"})
    long_hit = response.context["page_obj"][0]
    assert long_hit.position == 1
    before, _, after = long_hit.headline.partition("pipeline")
    assert "before39" in before and "after0" in after
    assert long_hit.headline.startswith("… ") and long_hit.headline.endswith(" …")


def test_overview_counts_hits_per_year_including_empty_years(client, world):
    overview = client.get(SEARCH, {"q": "pipeline"}).context["overview"]
    years = [(row["year"], row["n"]) for row in overview["years"]]
    assert years == [(2014, 2), (2015, 0), (2016, 0), (2017, 1)]
    assert overview["years"][0]["bar"] == "bar--w100"
    assert overview["years"][1]["bar"] == "bar--w0"


def test_overview_years_follow_the_chosen_range(client, world):
    overview = client.get(
        SEARCH, {"q": "pipeline", "date_from": "2013-01-01", "date_to": "2018-12-31"}
    ).context["overview"]
    assert [row["year"] for row in overview["years"]] == list(range(2013, 2019))


def test_overview_names_the_top_speakers_and_countries(client, world):
    response = client.get(SEARCH, {"q": "pipeline"})
    overview = response.context["overview"]
    assert [(r["item"].display_name, r["n"]) for r in overview["speakers"]] == [
        ("Vladimir Putin", 2),
        ("Xi Jinping", 1),
    ]
    assert [(r["item"].code, r["n"]) for r in overview["countries"]] == [("CN", 1), ("TR", 1)]
    parts = {
        text(part.figcaption): [
            (text(row.select_one(".overview__label")), row.select_one(".bar")["class"])
            for row in part.select("li")
        ]
        for part in select(response, ".overview .overview__part")
    }
    assert parts["Passages per year"][0] == ("2014", ["bar", "bar--w100"])
    assert parts["Top speakers"] == [
        ("Vladimir Putin", ["bar", "bar--w100"]),
        ("Xi Jinping", ["bar", "bar--w50"]),
    ]
    # Bar widths are classes: nothing in the overview needs an inline style.
    assert not select(response, ".overview [style]")


def test_search_page_links_its_feed(client, world):
    response = client.get(SEARCH, {"q": "pipeline", "page": "1"})
    assert hrefs(response, "a.follow__link") == ["/feeds/search/?q=pipeline"]  # landing page
    feeds = select(response, 'head link[rel="alternate"][type="application/atom+xml"]')
    assert {link["title"]: link["href"] for link in feeds}["Passages matching this search"] == (
        "/feeds/search.atom?q=pipeline"
    )
