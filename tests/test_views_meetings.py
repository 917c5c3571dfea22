"""The meeting list (home) and its filters, the meeting page and an utterance's own page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from meetings.models import aggregates
from tests.factories import (
    add_participant,
    make_document,
    make_meeting,
    make_participant,
    make_utterance,
)

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
    html = response.content.decode()
    assert "3 meetings" in html
    assert "Moscow, the Kremlin" in html
    assert "Recep Tayyip Erdogan" in html
    assert "1 turn" in html
    assert "1 signed document" in html
    assert "Türkiye" in html or "Turkey" in html


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
    assert 'aria-label="Remove Recep Tayyip Erdogan">Recep Tayyip Erdogan ×</a>' in (
        response.content.decode()
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
    assert 'role="alert"' in response.content.decode()
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
    html = response.content.decode()
    assert "30 meetings" in html
    next_link = re.search(r'<a rel="next" href="([^"]+)"', html).group(1)
    assert "country=TR" in next_link and "page=2" in next_link
    second = client.get(HOME + next_link.replace("&amp;", "&"))
    assert titles(second) == [f"Talks {day}" for day in range(5, 0, -1)]
    assert 'rel="prev"' in second.content.decode()


@pytest.mark.parametrize("page", ["2", "0", "-1", "abc", "99999999999999999999"])
def test_a_page_past_the_end_is_a_404(client, three_meetings, page):
    response = client.get(HOME, {"page": page})
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


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


# The meeting page ---------------------------------------------------------------------


@pytest.fixture
def talks():
    putin = make_participant("Vladimir Putin", country="RU")
    tokayev = make_participant("Kassym-Jomart Tokayev", country="KZ")
    meeting = make_meeting(
        kremlin_id=67758,
        title="Russian-Kazakhstani talks",
        date=dt.date(2022, 2, 10),
        starts_at=dt.datetime(2022, 2, 10, 14, 45, tzinfo=dt.UTC),
        place="Moscow, the Kremlin",
        lead="The talks began in a restricted format.",
        countries=("KZ",),
    )
    add_participant(meeting, putin, role="President of Russia")
    add_participant(meeting, tokayev, role="President of Kazakhstan")
    section = "Beginning of Russian-Kazakhstani talks"
    make_utterance(
        meeting,
        section=section,
        speaker=putin,
        speaker_label="Vladimir Putin",
        text="Mr President, friends,\nWelcome to Moscow.",
    )
    make_utterance(
        meeting,
        section=section,
        speaker=tokayev,
        speaker_label="Kassym-Jomart Tokayev",
        text="Thank you.",
        translation_note="retranslated",
    )
    make_utterance(meeting, section=section, kind="omission", text="<…>")
    make_utterance(
        meeting,
        section="Statements for the press",
        kind="narrative",
        text="After the talks, the presidents made statements.",
    )
    make_document(
        meeting,
        title="Declaration on allied cooperation",
        kind="declaration",
        url="http://en.kremlin.ru/supplement/5746",
    )
    russian = make_meeting(
        kremlin_id=67758, language="ru", title="Российско-казахстанские переговоры"
    )
    meeting.counterpart = russian
    meeting.save()
    return {"meeting": meeting, "putin": putin, "tokayev": tokayev, "russian": russian}


def test_meeting_page_shows_everything_about_the_meeting(client, talks):
    response = client.get(talks["meeting"].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Russian-Kazakhstani talks" in html
    assert "Feb. 10, 2022" in html
    assert "17:45 Moscow time" in html  # stored in UTC, shown in Moscow time
    assert "Moscow, the Kremlin" in html
    assert "President of Kazakhstan" in html
    assert "The talks began in a restricted format." in html
    assert 'href="#s-1"' in html and 'id="s-1"' in html and 'id="s-2"' in html
    assert html.count('class="turn ') == 4
    for position in range(1, 5):
        assert f'id="u-{position}"' in html
        assert reverse("meetings:utterance_detail", args=["en", 67758, position]) in html
    assert "turn--omission" in html and "turn--narrative" in html
    assert "(retranslated)" in html
    assert "<p>Mr President, friends,</p>\n<p>Welcome to Moscow.</p>" in html
    assert "Declaration on allied cooperation" in html
    assert 'href="http://en.kremlin.ru/events/president/news/67758"' in html
    assert 'href="/meetings/ru/67758/"' in html
    assert "CC BY" in html or "Creative Commons Attribution" in html
    assert "President of Russia, kremlin.ru" in html


def test_counterpart_found_without_the_link(client, talks):
    response = client.get(talks["russian"].get_absolute_url())
    assert 'href="/meetings/en/67758/"' in response.content.decode()


def test_each_speaker_has_a_stable_colour_and_a_legend_link(client, talks):
    putin = talks["putin"]
    html = client.get(talks["meeting"].get_absolute_url()).content.decode()
    again = client.get(talks["meeting"].get_absolute_url()).content.decode()
    colours = re.findall(r'id="u-(\d+)"\s+class="turn turn--\w+ (speaker-[\w-]+)', html)
    assert colours == re.findall(r'id="u-(\d+)"\s+class="turn turn--\w+ (speaker-[\w-]+)', again)
    assert colours[:2] == [("1", "speaker-1"), ("2", "speaker-2")]  # in order of first turn
    assert f'data-speaker="{putin.pk}"' in html
    assert f"?speaker={putin.pk}#transcript" in html
    assert "style=" not in html


def test_choosing_a_speaker_without_javascript_highlights_their_turns(client, talks):
    putin = talks["putin"]
    html = client.get(talks["meeting"].get_absolute_url(), {"speaker": putin.pk}).content.decode()
    turns = dict(re.findall(r'id="u-(\d+)"\s+class="([^"]+)"', html))
    assert "is-highlighted" in turns["1"]
    assert "is-dimmed" in turns["2"] and "is-highlighted" not in turns["2"]
    assert 'aria-pressed="true"' in html
    assert "Show all speakers" in html


@pytest.mark.parametrize("speaker", ["abc", "-1", "99999999999999999999999", "<script>", "other"])
def test_a_bad_speaker_parameter_is_ignored(client, talks, speaker):
    if speaker == "other":  # a real participant who does not speak in this meeting
        speaker = make_participant("Someone Else").pk
    response = client.get(talks["meeting"].get_absolute_url(), {"speaker": speaker})
    assert response.status_code == 200
    assert "is-dimmed" not in response.content.decode()


def test_transcript_text_is_always_escaped(client):
    meeting = make_meeting(title="<script>alert('title')</script>", lead="<b>lead</b>")
    make_utterance(
        meeting,
        speaker_label="<img src=x onerror=alert(1)>",
        text="<script>alert(1)</script>\nsecond",
    )
    make_utterance(meeting, kind="narrative", section="<i>section</i>", text="&amp; <b>bold</b>")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html and "<b>lead</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp;amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<i>section</i>" not in html
    list_html = client.get(HOME).content.decode()
    assert "<script>alert('title')" not in list_html


def test_a_500_turn_transcript_costs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    meeting = make_meeting(countries=("TR", "CN"))
    speakers = [make_participant(f"Speaker {n}") for n in range(6)]
    for person in speakers:
        add_participant(meeting, person, role="Guest")
    from meetings.models import Utterance

    Utterance.objects.bulk_create(
        Utterance(
            meeting=meeting,
            position=n,
            section=f"Part {n // 100}",
            speaker=speakers[n % 6],
            speaker_label=f"Speaker {n % 6}",
            text="Words " * 50,
            language="en",
        )
        for n in range(1, 501)
    )
    for _ in range(3):
        make_document(meeting)
    with django_assert_max_num_queries(10):
        response = client.get(meeting.get_absolute_url(), {"speaker": speakers[0].pk})
    html = response.content.decode()
    assert html.count('id="u-') == 500
    assert html.count("is-highlighted") == 83  # turns 6, 12, ... 498


def test_unknown_meeting_or_language_is_a_404(client, talks):
    assert client.get("/meetings/en/1/").status_code == 404
    assert client.get("/meetings/de/67758/").status_code == 404
    assert client.get("/meetings/en/67758/u/99/").status_code == 404


def test_utterance_page_shows_it_in_context(client, talks):
    url = reverse("meetings:utterance_detail", args=["en", 67758, 2])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="u-2"\s+class="[^"]*is-highlighted', html)
    assert 'id="u-1"' in html and 'id="u-4"' in html
    assert f"{talks['meeting'].get_absolute_url()}#u-2" in html
    assert "Thank you." in html


def test_chosen_countries_show_as_removable_chips(client, three_meetings):
    response = client.get(HOME, {"country": ["TR", "CN"], "page": "1"})
    chips = response.context["filter_chips"]
    assert [name for name, _ in chips] == ["Türkiye", "China"]
    assert chips[0][1] == "?country=CN"
    assert 'aria-label="Remove China"' in response.content.decode()


def test_not_found_page_in_production_uses_the_site_layout(client, settings, three_meetings):
    settings.DEBUG = False
    response = client.get("/meetings/en/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no page at this address" in html
    assert 'id="main-content"' in html


def test_server_error_page_needs_no_context():
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert "Server error" in html and "Ошибка сервера" in html


def test_links_from_a_source_page_are_only_web_addresses(client):
    meeting = make_meeting(source_url="javascript:alert(1)")
    make_document(meeting, title="Bad link", url="javascript:alert(2)")
    make_document(meeting, title="Good link", url="http://en.kremlin.ru/supplement/1")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "javascript:" not in html
    assert '<a href="http://en.kremlin.ru/supplement/1" rel="external">Good link</a>' in html
