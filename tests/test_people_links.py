"""Names people type and links people keep: accent-blind person search, merged ids that
redirect to the kept person, the 404 that offers the other language's version, and the
country page's last meeting agreeing with its latest meetings. On real saved pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from meetings.editing import merge_participants, split_participant
from meetings.models import Meeting, MergedParticipant, aggregates
from tests.factories import add_participant, make_meeting, make_participant

PAGES = Path(__file__).parent / "fixtures" / "pages"
pytestmark = pytest.mark.django_db


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def imported():
    call_command("import_meetings", str(PAGES), verbosity=0)  # refreshes the aggregates too


@pytest.fixture
def erdogan():
    person = make_participant("Recep Tayyip Erdoğan", name_ru="Реджеп Тайип Эрдоган")
    add_participant(make_meeting(title="Talks with Erdoğan", countries=("TR",)), person)
    aggregates.refresh()
    return person


@pytest.mark.parametrize("typed", ["Erdoğan", "erdogan", "ERDOGAN", "эрдоган", "ЭРДОГАН"])
def test_person_search_is_accent_and_case_blind(client, erdogan, typed):
    rows = parse(client.get(reverse("meetings:person_list"), {"q": typed})).select("tbody th a")
    assert [a.get_text(strip=True) for a in rows] == ["Recep Tayyip Erdoğan"]
    suggested = client.get(reverse("meetings:person_suggestions"), {"q": typed}).json()
    assert [p["id"] for p in suggested["results"]] == [erdogan.pk]


def test_person_search_still_refuses_other_names(client, erdogan):
    rows = parse(client.get(reverse("meetings:person_list"), {"q": "Erdemir"}))
    assert rows.select("tbody th a") == []


@pytest.fixture
def merged():
    """Two rows for one man; the editor keeps the second."""
    kept = make_participant("Ilham Aliyev", country="AZ")
    gone = make_participant("Ilkham Aliyev", country="AZ")
    meeting = make_meeting(title="Talks with Ilkham Aliyev", countries=("AZ",))
    add_participant(meeting, gone)
    gone_pk = gone.pk
    merge_participants(kept, [gone])
    aggregates.refresh()
    return gone_pk, kept


def test_merged_person_page_redirects_permanently(client, merged):
    gone, kept = merged
    response = client.get(reverse("meetings:person_detail", args=[gone]))
    assert response.status_code == 301
    assert response["Location"] == kept.get_absolute_url()
    assert client.get(reverse("meetings:person_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/", "participant"),
        ("/search/", "speaker"),
        ("/feeds/meetings.atom", "participant"),
        ("/feeds/search.atom", "speaker"),
    ],
)
def test_merged_id_in_a_filter_redirects_to_the_kept_person(client, merged, path, parameter):
    gone, kept = merged
    response = client.get(path, {parameter: str(gone), "q": "Aliyev", "kind": "talks"})
    assert response.status_code == 301
    assert response["Location"] == f"{path}?{parameter}={kept.pk}&q=Aliyev&kind=talks"


def test_unknown_participant_is_still_a_form_error(client, merged):
    response = client.get("/", {"participant": "999999"})
    assert response.status_code == 200
    assert parse(response).select_one("#results-heading").get_text(strip=True) == (
        "Please correct the filters."
    )


def test_a_second_merge_keeps_old_links_one_step_from_the_person(client, merged):
    gone, kept = merged
    final = make_participant("Ilham Heydar oglu Aliyev", country="AZ")
    kept_pk = kept.pk
    merge_participants(final, [kept])
    assert set(MergedParticipant.objects.values_list("merged_id", "kept_id")) == {
        (gone, final.pk),
        (kept_pk, final.pk),
    }
    for old in (gone, kept_pk):
        response = client.get(reverse("meetings:person_detail", args=[old]))
        assert response["Location"] == final.get_absolute_url()


def test_a_split_keeps_the_persons_id(client):
    person = make_participant("Ilham Aliyev", country="AZ")
    meetings = [make_meeting(countries=("AZ",)) for _ in range(2)]
    for meeting in meetings:
        add_participant(meeting, person)
    new = split_participant(person, "Heydar Aliyev", meeting_ids=[meetings[0].pk])
    aggregates.refresh()
    assert client.get(person.get_absolute_url()).status_code == 200
    assert client.get(new.get_absolute_url()).status_code == 200
    assert not MergedParticipant.objects.exists()


def test_meeting_in_the_missing_language_offers_the_other_version(client, imported):
    # The Tokayev meeting of 10 February 2022 was imported from its Russian text version.
    assert not Meeting.objects.filter(kremlin_id=67748, language="en").exists()
    response = client.get("/meetings/en/67748/")
    assert response.status_code == 404
    page = parse(response)
    assert page.h1.get_text(strip=True) == "This meeting is in the archive in Russian only"
    link = page.select_one(".only-version a")
    assert link["href"] == "/meetings/ru/67748/" and link["hreflang"] == "ru"
    assert "Токаев" in link.get_text()
    bare = client.get("/meetings/en/1/")
    assert bare.status_code == 404 and parse(bare).select_one(".only-version") is None


@pytest.mark.parametrize("language", ["en", "ru"])
def test_kazakhstan_last_meeting_is_the_first_of_its_latest_meetings(client, imported, language):
    page = parse(client.get("/countries/KZ/", HTTP_ACCEPT_LANGUAGE=language))
    last = next(
        div.dd.get_text(strip=True)
        for div in page.select("dl div")
        if div.dt.get_text(strip=True) in ("Last meeting", "Последняя встреча")
    )
    rows = page.select_one("#latest-heading ~ ol").select(".meeting-row__meta time")
    assert rows[0]["datetime"] == "2022-02-10"  # the Russian-only meeting, in either language
    assert rows[0].get_text(strip=True) == last
    dates = [row["datetime"] for row in rows]
    assert dates == sorted(dates, reverse=True)
