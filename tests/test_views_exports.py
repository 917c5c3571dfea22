"""The list's ?format=json|csv exports and a meeting's own JSON: the export schema plus
"page", and the same filters as the HTML list."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from meetings.exporting import TURN_FIELDS
from tests.factories import (
    add_participant,
    make_document,
    make_meeting,
    make_participant,
    make_utterance,
)
from tests.worlds import pipeline_world

pytestmark = pytest.mark.django_db
SEARCH = reverse("meetings:search")
BOM = "\ufeff"
HOME = reverse("meetings:meeting_list")
SCHEMA = {
    "id", "language", "url", "title", "date", "time", "place", "kind", "countries",
    "participants", "utterances", "signed_documents", "page",
}  # fmt: skip


def jsonl(response) -> list[dict]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()]


@pytest.fixture
def many():
    erdogan = make_participant("Recep Tayyip Erdogan", country="TR")
    for day in range(1, 31):
        meeting = make_meeting(date=dt.date(2019, 3, day), countries=("TR",), title=f"T{day}")
        add_participant(meeting, erdogan, role="President of Turkey")
    old = make_meeting(date=dt.date(2018, 12, 31), countries=("TR",), title="Old")
    make_utterance(old, speaker=erdogan, speaker_label="Erdogan", text="Hello.")
    make_document(old, title="Agreement")
    make_meeting(date=dt.date(2019, 5, 5), countries=("CN",), title="China")
    return erdogan


def test_json_export_has_every_matching_meeting_not_only_a_page(client, many):
    rows = jsonl(client.get(HOME, {"country": "TR", "format": "json"}))
    assert len(rows) == 31
    assert all(set(row) == SCHEMA for row in rows)
    assert all("TR" in row["countries"] for row in rows)
    assert all(row["page"].startswith("http://testserver/meetings/en/") for row in rows)
    old = next(row for row in rows if row["title"] == "Old")
    assert old["utterances"][0]["speaker"] == "Recep Tayyip Erdogan"
    assert old["signed_documents"] == [{"title": "Agreement", "kind": "agreement", "url": ""}]


def test_json_export_agrees_with_the_html_list(client, many):
    params = {"date_from": "2019-01-01", "date_to": "2019-12-31", "country": "TR"}
    rows = jsonl(client.get(HOME, {**params, "format": "json"}))
    assert all(row["date"].startswith("2019-") for row in rows)
    html = client.get(HOME, params)
    assert len(rows) == html.context["page_obj"].paginator.count == 30
    assert {row["page"].removeprefix("http://testserver") for row in rows} >= {
        meeting.get_absolute_url() for meeting in html.context["meetings"]
    }


def test_csv_export_has_a_header_and_the_page_column(client, many):
    response = client.get(HOME, {"year": "2018", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 1
    assert rows[0]["title"] == "Old" and rows[0]["countries"] == "TR"
    assert rows[0]["page"].endswith(rows[0]["id"] + "/")
    assert "utterances" not in rows[0]


def test_export_with_a_bad_filter_is_a_400_with_the_errors(client, many):
    response = client.get(HOME, {"country": "ZZ", "format": "json"})
    assert response.status_code == 400
    assert "country" in response.json()["errors"]


def test_a_meetings_own_json(client, many):
    meeting = make_meeting(kremlin_id=62562, title="Talks", countries=("TR",))
    make_utterance(meeting, speaker_label="Vladimir Putin", text="Good afternoon.")
    for url in ["/meetings/en/62562.json", "/meetings/en/62562/?format=json"]:
        response = client.get(url)
        assert response.status_code == 200
        data = response.json()
        assert set(data) == SCHEMA | {"speakers"}  # the meeting JSON adds share of voice
        assert data["id"] == 62562 and data["utterances"][0]["text"] == "Good afternoon."
        assert data["page"] == "http://testserver/meetings/en/62562/"
    assert client.get("/meetings/en/1.json").status_code == 404


# Turn-level exports: a search's every matching turn, a meeting's turns (the pipeline world)


@pytest.fixture
def world():
    return pipeline_world()


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_search_export_streams_every_matching_turn(client, world):
    for index in range(25):
        meeting = make_meeting(date=dt.date(2019, 1, 1))
        make_utterance(meeting, speaker_label="Putin", text=f"pipeline {index}")
    response = client.get(SEARCH, {"q": "pipeline", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = body(response)
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert len(rows) == 28  # all of them, not a page of 20
    assert tuple(rows[0]) == TURN_FIELDS
    xi_row = next(row for row in rows if row["speaker"] == "Xi Jinping")
    assert xi_row["text"] == "'=SUM(A1) pipeline gas"
    assert xi_row["page"] == "http://testserver/meetings/en/70001/u/2/"
    assert xi_row["meeting_id"] == "70001" and xi_row["date"] == "2014-05-20"


def test_search_export_as_json_lines(client, world):
    response = client.get(SEARCH, {"q": "pipeline", "country": "TR", "format": "json"})
    lines = [json.loads(line) for line in body(response).splitlines()]
    assert lines == [
        {
            "meeting_id": 70002,
            "language": "en",
            "date": "2017-04-08",
            "title": "Talks with Erdogan",
            "position": 1,
            "speaker": "Vladimir Putin",
            "speaker_label": "Vladimir Putin",
            "text": "A pipeline.",
            "page": "http://testserver/meetings/en/70002/u/1/",
        }
    ]


def test_search_export_without_words_is_a_clear_error(client, world):
    response = client.get(SEARCH, {"format": "csv"})
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


def test_meeting_turns_csv(client, world):
    response = client.get("/meetings/en/70001/", {"format": "turns.csv"})
    rows = list(csv.DictReader(io.StringIO(body(response).removeprefix(BOM))))
    assert [(r["position"], r["speaker"]) for r in rows] == [
        ("1", "Vladimir Putin"),
        ("2", "Xi Jinping"),
    ]
