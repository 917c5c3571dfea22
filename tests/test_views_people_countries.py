"""People and countries: lists with meeting counts, and a page for each."""

from __future__ import annotations

import datetime as dt

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
from tests.html import hrefs, one, select, text, texts
from tests.worlds import pipeline_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def turkey_story():
    putin = make_participant("Vladimir Putin", country="RU")
    erdogan = make_participant("Recep Tayyip Erdogan", country="TR", aliases=["Р.Эрдоган"])
    meetings = []
    for day, role in [
        (dt.date(2015, 1, 10), "Prime Minister of Turkey"),
        (dt.date(2019, 4, 8), "President of Turkey"),
        (dt.date(2019, 9, 16), "President of Turkey"),
    ]:
        meeting = make_meeting(date=day, countries=("TR",), title=f"Talks {day:%Y-%m-%d}")
        add_participant(meeting, putin, role="President of Russia")
        add_participant(meeting, erdogan, role=role)
        make_utterance(meeting, speaker=erdogan, speaker_label="Erdogan", text="One two three.")
        meetings.append(meeting)
    # The same event on the Russian site counts once.
    twin = make_meeting(
        kremlin_id=meetings[-1].kremlin_id,
        language="ru",
        date=dt.date(2019, 9, 16),
        countries=("TR",),
        title="Переговоры",
    )
    add_participant(twin, erdogan, role="Президент Турции")
    make_utterance(twin, speaker=erdogan, speaker_label="Р.Эрдоган", text="Раз два.")
    make_document(meetings[1], title="Agreement on gas transit")
    china = make_meeting(date=dt.date(2020, 1, 1), countries=("CN",))
    add_participant(china, putin)
    return {"putin": putin, "erdogan": erdogan, "meetings": meetings, "twin": twin}


def test_people_list_with_event_counts(client, turkey_story):
    response = client.get(reverse("meetings:person_list"))
    assert response.status_code == 200
    people = list(response.context["people"])
    assert [(p.name, p.meeting_count) for p in people] == [
        ("Vladimir Putin", 4),
        ("Recep Tayyip Erdogan", 3),
    ]


@pytest.mark.parametrize("query", ["erdo", "ERDOGAN", "Эрдоган"])
def test_people_searchable_by_name_and_printed_labels(client, turkey_story, query):
    response = client.get(reverse("meetings:person_list"), {"q": query})
    assert [p.name for p in response.context["people"]] == ["Recep Tayyip Erdogan"]


@pytest.mark.parametrize("query", ["%", "_", "\\", "x" * 500, "<script>"])
def test_people_search_odd_input(client, turkey_story, query):
    response = client.get(reverse("meetings:person_list"), {"q": query})
    assert response.status_code == 200
    assert not select(response, "main script")


def test_people_list_past_the_end_is_a_404(client, turkey_story):
    assert client.get(reverse("meetings:person_list"), {"page": 5}).status_code == 404


def test_person_page(client, turkey_story, django_assert_max_num_queries):
    erdogan = turkey_story["erdogan"]
    aggregates.refresh()  # as the import does when it ends: the page only reads
    # The aggregates check, the person, years, roles, countries, co-speakers, latest (3), and
    # what the archive holds (meetings.web.coverage: one grouped query over covered days).
    with django_assert_max_num_queries(10):
        response = client.get(erdogan.get_absolute_url())
    assert response.status_code == 200
    context = response.context
    assert [(row["year"], row["n"]) for row in context["timeline"]] == [
        (2015, 1),
        (2016, 0),
        (2017, 0),
        (2018, 0),
        (2019, 2),
    ]
    assert context["speech"] == {"turns": 4, "words": 3 * 3 + 2}
    roles = {row["role"] for row in context["roles"]}
    assert roles == {"Prime Minister of Turkey", "President of Turkey", "Президент Турции"}
    assert [(row["country__code"], row["n"]) for row in context["countries"]] == [("TR", 3)]
    assert "Talks 2019-09-16" in texts(response, "main a")
    assert f"/?participant={erdogan.pk}" in hrefs(response, "main a")
    assert context["span"] == {"first": dt.date(2015, 1, 10), "last": dt.date(2019, 9, 16)}


def test_unknown_person_is_a_404(client):
    assert client.get("/people/999999/").status_code == 404


def test_country_list_counts_events_and_shows_the_last(client, turkey_story):
    response = client.get(reverse("meetings:country_list"))
    assert response.status_code == 200
    rows = [(c.code, c.meeting_count, c.last_meeting) for c in response.context["countries"]]
    assert rows == [("TR", 3, dt.date(2019, 9, 16)), ("CN", 1, dt.date(2020, 1, 1))]
    by_name = client.get(reverse("meetings:country_list"), {"sort": "name"})
    assert [c.code for c in by_name.context["countries"]] == ["CN", "TR"]


def test_country_page(client, turkey_story, django_assert_max_num_queries):
    aggregates.refresh()  # as the import does when it ends: the page only reads
    # The aggregates check, the country, years, leaders, its language, documents, latest (3),
    # share of voice (2), and what the archive holds (one grouped query over covered days).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:country_detail", args=["tr"]))
    assert response.status_code == 200
    context = response.context
    assert [(row["year"], row["n"]) for row in context["timeline"]] == [
        (2015, 1),
        (2016, 0),
        (2017, 0),
        (2018, 0),
        (2019, 2),
    ]
    assert context["stats"] == {
        "first": dt.date(2015, 1, 10),
        "last": dt.date(2019, 9, 16),
        "events": 3,
    }
    assert [(p.name, p.n) for p in context["leaders"]] == [("Recep Tayyip Erdogan", 3)]
    assert [d.title for d in context["documents"]] == ["Agreement on gas transit"]
    assert context["frequency"]["average_gap_days"] == round(
        (dt.date(2019, 9, 16) - dt.date(2015, 1, 10)).days / 2
    )
    assert [t for t in texts(response, ".documents li") if "Agreement on gas transit" in t]
    stats = {text(row.dt): text(row.dd) for row in select(response, "dl.stats > div")}
    assert "Meetings per year" in stats
    assert "/?country=TR" in hrefs(response, "main a")


def test_country_without_meetings_and_unknown_country(client):
    assert client.get(reverse("meetings:country_detail", args=["AQ"])).status_code == 200
    assert client.get("/countries/QQ/").status_code == 404
    assert client.get("/countries/TOOLONG/").status_code == 404


def test_people_and_country_pages_in_russian(client, turkey_story):
    client.cookies["django_language"] = "ru"
    response = client.get(reverse("meetings:country_detail", args=["TR"]))
    assert one(response, "html")["lang"] == "ru"
    assert texts(response, "h1") == ["Турция"]
    # Russian month names from the active locale, not English ones.
    assert "16 сентября 2019 г." in texts(response, ".meeting-row time")


def test_country_page_falls_back_to_the_imported_language(client, turkey_story):
    from meetings.models import Meeting

    Meeting.objects.filter(language="en").delete()  # only the Russian site's page is left
    response = client.get(reverse("meetings:country_detail", args=["TR"]))
    assert [m.title for m in response.context["latest"]] == ["Переговоры"]


# One event, two languages ---------------------------------------------------------------


@pytest.fixture
def bilingual_event():
    english = make_meeting(kremlin_id=61000, title="Talks with the Emir")
    russian = make_meeting(kremlin_id=61000, language="ru", title="Переговоры с эмиром")
    english_only = make_meeting(kremlin_id=61001, title="Telephone call with the Shah")
    return english, russian, english_only


def titles(response) -> list[str]:
    return [meeting.title for meeting in response.context["meetings"]]


def test_list_shows_one_row_per_event_in_the_interface_language(client, bilingual_event):
    english = client.get("/", headers={"accept-language": "en"})
    assert sorted(titles(english)) == ["Talks with the Emir", "Telephone call with the Shah"]
    assert texts(english, ".tag--other-language") == ["+RU"]  # the other version's marker
    russian = client.get("/", headers={"accept-language": "ru"})
    assert sorted(titles(russian)) == ["Telephone call with the Shah", "Переговоры с эмиром"]
    assert texts(russian, ".tag--other-language") == ["+EN"]


def test_lang_still_filters_to_one_site(client, bilingual_event):
    assert titles(client.get("/?lang=ru", headers={"accept-language": "en"})) == [
        "Переговоры с эмиром"
    ]
    assert len(titles(client.get("/?lang=en", headers={"accept-language": "ru"}))) == 2


def test_other_version_shown_when_the_preferred_does_not_match(client, bilingual_event):
    response = client.get("/?q=эмир", headers={"accept-language": "en"})
    assert titles(response) == ["Переговоры с эмиром"]


def test_export_keeps_every_language_version(client, bilingual_event):
    lines = client.get("/?format=json").getvalue().decode().strip().splitlines()
    assert len(lines) == 3


def test_timeline_includes_empty_years_and_has_no_inline_style(client, turkey_story):
    response = client.get(reverse("meetings:country_detail", args=["TR"]))
    years = [row["year"] for row in response.context["timeline"]]
    assert years == list(range(2015, 2020))  # 2016-2018 had no meeting and still show
    bars = {row["year"]: row["bar"] for row in response.context["timeline"]}
    assert bars[2016] == "bar--w0" and bars[2019] == "bar--w100" and bars[2015] == "bar--w50"
    assert [bar["class"] for bar in select(response, ".timeline__bar")][-1] == [
        "timeline__bar",
        "bar--w100",
    ]
    assert not select(response, "[style]")
    person = client.get(reverse("meetings:person_detail", args=[turkey_story["erdogan"].pk]))
    assert [row["year"] for row in person.context["timeline"]] == list(range(2015, 2020))


def test_person_page_links_its_feed(client, turkey_story):
    erdogan = turkey_story["erdogan"]
    response = client.get(reverse("meetings:person_detail", args=[erdogan.pk]))
    # Both sites' meetings (no lang=); "Follow" opens the feed's landing page.
    feed = f"/feeds/meetings.atom?participant={erdogan.pk}"
    feeds = select(response, 'head link[rel="alternate"][type="application/atom+xml"]')
    assert [link["href"] for link in feeds if link["title"].startswith("Meetings of")] == [feed]
    follow = f'main a[href="/feeds/meetings/?participant={erdogan.pk}"]'
    assert texts(response, follow) == ["Follow (Atom feed)"]
    russian = client.get(
        reverse("meetings:person_detail", args=[erdogan.pk]), headers={"accept-language": "ru"}
    )
    assert texts(russian, follow) == ["Следить (лента Atom)"]


def test_country_page_lists_a_bounded_number_of_documents(client):
    from meetings.views.countries import COUNTRY_DOCUMENTS

    meeting = make_meeting(countries=("TR",))
    for n in range(COUNTRY_DOCUMENTS + 3):
        make_document(meeting, title=f"Agreement {n}", position=n)
    response = client.get(reverse("meetings:country_detail", args=["TR"]))
    assert len(response.context["documents"]) == COUNTRY_DOCUMENTS


@pytest.fixture
def world():
    return pipeline_world()


def test_person_suggestions(client, world):
    data = client.get(reverse("meetings:person_suggestions"), {"q": "xi"}).json()
    assert data["results"] == [
        {"id": world["xi"].pk, "name": "Xi Jinping", "meetings": 1, "label": "1 meeting"}
    ]
    assert client.get(reverse("meetings:person_suggestions"), {"q": "x"}).json() == {"results": []}
