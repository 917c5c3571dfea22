"""Corrections are cheap: an admin save returns without refreshing the kept counts (a thread
does it right after, meetings/signals.py), the public pages show the change on the next
request, and the counts follow within seconds. The admin's heavy queries are bounded
(meetings/admin_queries.py)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.admin_queries import TURNS_PER_PAGE, speaker_choices
from meetings.models import PersonStats, aggregates
from tests.factories import add_participant, make_meeting, make_participant, make_utterance


def refreshes_in(queries: list[dict]) -> list[str]:
    return [q["sql"] for q in queries if "REFRESH MATERIALIZED VIEW" in q["sql"]]


def wait_for_background_refresh(seconds: float = 30) -> None:
    for thread in threading.enumerate():
        if thread.name == "aggregates-refresh":
            thread.join(seconds)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_admin_save_returns_before_the_counts_are_refreshed_and_they_follow(
    admin_client, settings
):
    settings.AGGREGATES_REFRESH_IN_BACKGROUND = True
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"save-{uuid.uuid4()}",
        }
    }
    meeting = make_meeting(kremlin_id=7, title="Talks with the Sultan")
    person = make_participant("Recep Erdogan")
    aggregates.refresh()
    page = admin_client.get  # signed in; the public check below uses a fresh client
    assert page(f"/admin/meetings/meeting/{meeting.pk}/change/").status_code == 200

    with CaptureQueriesContext(connection) as during:
        response = admin_client.post(
            "/admin/meetings/participation/add/",
            {"meeting": meeting.pk, "participant": person.pk, "role": "President", "position": 0},
        )
    assert response.status_code == 302
    assert refreshes_in(during.captured_queries) == []  # the editor did not wait for them

    wait_for_background_refresh()
    assert PersonStats.objects.get(participant=person).meetings == 1


@pytest.mark.django_db
def test_a_meeting_page_shows_an_edit_on_the_next_request(
    admin_client, client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"edit-{uuid.uuid4()}",
        }
    }
    meeting = make_meeting(kremlin_id=8, title="Talks with the Sultan")
    assert "Talks with the Sultan" in title_of(client.get("/meetings/en/8/"))
    form = admin_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    data = form_data(form)
    data["title"] = "Talks with the Emir"
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin_client.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    assert saved.status_code == 302
    assert title_of(client.get("/meetings/en/8/")) == "Talks with the Emir"


def title_of(response) -> str:
    heading = BeautifulSoup(response.content, "html.parser").select_one("main h1")
    assert heading is not None
    return heading.get_text(strip=True)


def form_data(response) -> dict[str, str]:
    soup = BeautifulSoup(response.content, "html.parser")
    data: dict[str, str] = {}
    for element in soup.select("form#meeting_form [name]"):
        name = element["name"]
        if element.name == "textarea":
            data[name] = element.get_text()
        elif element.name == "select":
            chosen = element.select_one("option[selected]")
            data[name] = chosen.get("value", "") if chosen else ""
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                data[name] = element.get("value", "on")
        elif element.get("type") not in ("submit", "button"):
            data[name] = element.get("value", "")
    return data


@pytest.mark.django_db
def test_speaker_choices_are_the_meetings_people_in_one_query_without_distinct():
    meeting = make_meeting()
    guest = make_participant("Recep Erdogan")
    host = make_participant("Vladimir Putin")
    stranger = make_participant("Xi Jinping")
    add_participant(meeting, guest)
    make_utterance(meeting, speaker=host, speaker_label="Vladimir Putin")
    make_utterance(make_meeting(), speaker=stranger, speaker_label="Xi Jinping")
    with CaptureQueriesContext(connection) as queries:
        choices = speaker_choices(meeting)
    assert choices == [("", "---------"), (guest.pk, "Recep Erdogan"), (host.pk, "Vladimir Putin")]
    assert len(queries.captured_queries) == 1
    assert "DISTINCT" not in queries.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_the_transcript_inline_shows_a_page_of_turns(admin_client):
    meeting = make_meeting()
    for n in range(TURNS_PER_PAGE + 3):
        make_utterance(meeting, text=f"Turn number {n + 1}.")
    change = f"/admin/meetings/meeting/{meeting.pk}/change/"
    first = BeautifulSoup(admin_client.get(change).content, "html.parser")
    assert first.select_one("#id_utterances-TOTAL_FORMS")["value"] == str(TURNS_PER_PAGE)
    second = BeautifulSoup(admin_client.get(change + "?turns=2").content, "html.parser")
    assert second.select_one("#id_utterances-TOTAL_FORMS")["value"] == "3"
    texts = [
        t.get_text().strip()
        for t in second.select("textarea[name^='utterances-'][name$='-text']")
        if "__prefix__" not in t["name"]
    ]
    assert texts == [f"Turn number {n}." for n in range(TURNS_PER_PAGE + 1, TURNS_PER_PAGE + 4)]
    pages = second.select("nav.transcript-pages a")
    assert [a["href"] for a in pages] == ["?turns=1"]


@pytest.mark.django_db
def test_utterance_search_uses_the_stored_vector(admin_client):
    meeting = make_meeting()
    make_utterance(meeting, text="We discussed gas supplies to Europe.")
    make_utterance(meeting, text="Thank you, colleagues.")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/admin/meetings/utterance/?q=gas")
    rows = BeautifulSoup(response.content, "html.parser").select("#result_list tbody tr")
    assert len(rows) == 1
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "search_vector" in sql
    assert "UPPER" not in sql  # no icontains over every text
    started = time.monotonic()
    assert admin_client.get("/admin/meetings/utterance/?q=").status_code == 200
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_meetings_filtered_by_country_without_distinct(admin_client):
    make_meeting(title="Talks in Ankara", countries=("TR",))
    make_meeting(title="Talks in Beijing", countries=("CN",))
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/admin/meetings/meeting/?country=TR")
    soup = BeautifulSoup(response.content, "html.parser")
    titles = [td.get_text() for td in soup.select("#result_list tbody td.field-title")]
    assert titles == ["Talks in Ankara"]
    rows = [q["sql"] for q in queries.captured_queries if '"meetings_meeting"."title"' in q["sql"]]
    assert rows and not any("DISTINCT" in sql for sql in rows)  # (the date bar's is its own)
