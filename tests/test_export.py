"""The public export: ``export_meetings`` as JSONL and CSV, exactly as documented."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from meetings.exporting import iter_csv, iter_jsonl, meeting_to_dict, safe_cell
from meetings.models import Meeting
from tests.factories import (
    add_participant,
    make_document,
    make_meeting,
    make_participant,
    make_utterance,
)
from tests.worlds import pipeline_world

MOSCOW = ZoneInfo("Europe/Moscow")
pytestmark = pytest.mark.django_db
HOME = reverse("meetings:meeting_list")
BOM = "\ufeff"


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_meetings", *args, stdout=out)
    return out.getvalue().removeprefix("\ufeff")


def jsonl(*args: str) -> list[dict]:
    return [json.loads(line) for line in export(*args).splitlines()]


@pytest.fixture
def talks() -> Meeting:
    meeting = make_meeting(
        kremlin_id=62936,
        title="Russian-Turkish talks",
        date=dt.date(2020, 3, 5),
        starts_at=dt.datetime(2020, 3, 5, 19, 0, tzinfo=MOSCOW),
        place="The Kremlin, Moscow",
        kind="talks",
        countries=("TR", "SY"),
    )
    putin = make_participant("Vladimir Putin", country="RU")
    erdogan = make_participant("Recep Tayyip Erdogan", country="TR")
    add_participant(meeting, putin, "President of Russia")
    add_participant(meeting, erdogan, "President of Turkey")
    make_utterance(meeting, kind="narrative", text="The talks began.")
    make_utterance(
        meeting,
        section="Beginning of talks",
        speaker=putin,
        speaker_label="President of Russia Vladimir Putin",
        text="Mr President, friends,\nWelcome to Moscow.",
    )
    make_utterance(
        meeting,
        section="Beginning of talks",
        speaker_label="Question",
        kind="question",
        text="A question?",
    )
    make_document(
        meeting,
        title="Additional Protocol",
        kind="agreement",
        url="http://en.kremlin.ru/supplement/5500",
    )
    return meeting


def test_jsonl_schema_exactly(talks):
    [line] = jsonl()
    assert line == {
        "id": 62936,
        "language": "en",
        "url": "http://en.kremlin.ru/events/president/news/62936",
        "title": "Russian-Turkish talks",
        "date": "2020-03-05",
        "time": "19:00",
        "place": "The Kremlin, Moscow",
        "kind": "talks",
        "countries": ["TR", "SY"],
        "participants": [
            {"name": "Vladimir Putin", "role": "President of Russia", "country": "RU"},
            {"name": "Recep Tayyip Erdogan", "role": "President of Turkey", "country": "TR"},
        ],
        "utterances": [
            {
                "position": 1,
                "section": "",
                "speaker": None,
                "speaker_label": "",
                "kind": "narrative",
                "text": "The talks began.",
            },
            {
                "position": 2,
                "section": "Beginning of talks",
                "speaker": "Vladimir Putin",
                "speaker_label": "President of Russia Vladimir Putin",
                "kind": "speech",
                "text": "Mr President, friends,\nWelcome to Moscow.",
            },
            {
                "position": 3,
                "section": "Beginning of talks",
                "speaker": None,
                "speaker_label": "Question",
                "kind": "question",
                "text": "A question?",
            },
        ],
        "signed_documents": [
            {
                "title": "Additional Protocol",
                "kind": "agreement",
                "url": "http://en.kremlin.ru/supplement/5500",
            }
        ],
    }


def test_time_is_null_without_one_and_moscow_time_otherwise():
    make_meeting(date=dt.date(2001, 1, 1))
    # Stored as 20:30 UTC; the export prints Moscow time.
    make_meeting(date=dt.date(2001, 1, 2), starts_at=dt.datetime(2001, 1, 2, 20, 30, tzinfo=dt.UTC))
    assert [m["time"] for m in jsonl()] == [None, "23:30"]


def test_csv_has_the_same_fields_without_utterances(talks):
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv"))))
    assert rows == [
        {
            "id": "62936",
            "language": "en",
            "url": "http://en.kremlin.ru/events/president/news/62936",
            "title": "Russian-Turkish talks",
            "date": "2020-03-05",
            "time": "19:00",
            "place": "The Kremlin, Moscow",
            "kind": "talks",
            "countries": "TR; SY",
            "participants": "Vladimir Putin (President of Russia); "
            "Recep Tayyip Erdogan (President of Turkey)",
            "signed_documents": "Additional Protocol",
        }
    ]


def test_russian_meeting_exports_russian_names():
    meeting = make_meeting(language="ru", title="Встреча", countries=("KZ",))
    tokayev = make_participant(
        "Касым-Жомарт Токаев", name_en="Kassym-Jomart Tokayev", name_ru="Касым-Жомарт Токаев"
    )
    add_participant(meeting, tokayev, "Президент Казахстана")
    make_utterance(meeting, speaker=tokayev, speaker_label="К.-Ж.Токаев", text="Благодарю.")
    [line] = jsonl()
    assert line["participants"][0]["name"] == "Касым-Жомарт Токаев"
    assert line["utterances"][0]["speaker"] == "Касым-Жомарт Токаев"
    assert "Благодарю." in export()  # not \u-escaped


@pytest.fixture
def spread():
    make_meeting(kremlin_id=1, date=dt.date(2019, 12, 31), countries=("TR",))
    make_meeting(kremlin_id=2, date=dt.date(2020, 1, 1), countries=("TR", "DE"))
    make_meeting(kremlin_id=3, date=dt.date(2020, 6, 30), countries=("DE",))
    make_meeting(kremlin_id=4, date=dt.date(2020, 7, 1), countries=("TR",))
    make_meeting(kremlin_id=5, date=dt.date(2020, 3, 1))


def test_filters_agree_with_the_data(spread):
    assert [m["id"] for m in jsonl("--country", "TR")] == [1, 2, 4]
    assert [m["id"] for m in jsonl("--country", "de")] == [2, 3]
    assert [m["id"] for m in jsonl("--since", "2020-01-01", "--until", "2020-06-30")] == [2, 5, 3]
    assert [m["id"] for m in jsonl("--country", "TR", "--since", "2020-01-01")] == [2, 4]
    csv_ids = [
        r["id"] for r in csv.DictReader(io.StringIO(export("--format", "csv", "--country", "TR")))
    ]
    assert csv_ids == ["1", "2", "4"]
    for line in jsonl("--country", "DE"):
        assert "DE" in line["countries"]


def test_bad_filters_are_refused(spread):
    with pytest.raises(CommandError, match="unknown country"):
        export("--country", "ZZ")
    with pytest.raises(CommandError, match="before"):
        export("--since", "2020-02-01", "--until", "2020-01-01")
    with pytest.raises(CommandError, match="not a date"):
        export("--since", "01.02.2020")


def test_output_file(tmp_path, talks):
    target = tmp_path / "meetings.jsonl"
    assert export("--output", str(target)) == ""
    assert json.loads(target.read_text(encoding="utf-8"))["id"] == 62936


def test_query_count_does_not_grow_with_meetings(django_assert_max_num_queries, talks):
    with django_assert_max_num_queries(6) as few:
        list(iter_jsonl())
    for i in range(10):
        meeting = make_meeting(countries=("TR",))
        make_utterance(meeting, text=f"Turn {i}")
        make_document(meeting)
    with django_assert_max_num_queries(len(few.captured_queries)):
        lines = list(iter_jsonl(chunk_size=50))
    assert len(lines) == 11


def test_ui_gets_a_page_key(talks):
    def page(meeting):
        return f"https://meetings.example/{meeting.language}/{meeting.kremlin_id}/"

    [line] = [json.loads(x) for x in iter_jsonl(page_url=page)]
    assert line["page"] == "https://meetings.example/en/62936/"
    rows = list(csv.DictReader(io.StringIO("".join(iter_csv(page_url=page)))))
    assert rows[0]["page"] == "https://meetings.example/en/62936/"
    assert "page" not in meeting_to_dict(Meeting.objects.get())


def test_a_list_views_queryset_can_be_exported(talks):
    listed = Meeting.objects.diplomatic().for_list()  # has its own prefetches and annotations
    [line] = [json.loads(x) for x in iter_jsonl(listed)]
    assert line["participants"][1]["name"] == "Recep Tayyip Erdogan"
    assert [
        row.split(",")[0] for row in "".join(iter_csv(listed)).removeprefix("\ufeff").splitlines()
    ] == ["id", "62936"]


# Turns, and cells a spreadsheet would run as a formula --------------------------------------


@pytest.fixture
def world():
    return pipeline_world()


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_export_command_writes_turns_csv(world, tmp_path):
    out = tmp_path / "turns.csv"
    call_command(
        "export_meetings",
        "--format",
        "turns-csv",
        "--country",
        "CN",
        "--site-url",
        "https://example.org/",
        "--output",
        str(out),
    )
    text = out.read_text(encoding="utf-8")
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert [r["page"] for r in rows] == [
        "https://example.org/meetings/en/70001/u/1/",
        "https://example.org/meetings/en/70001/u/2/",
    ]
    assert rows[1]["text"].startswith("'=")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+7 495", "'+7 495"),
        ("-1", "'-1"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Talks", "Talks"),
        ("", ""),
        (5, 5),
    ],
)
def test_cells_that_would_start_a_formula_are_quoted(value, written):
    assert safe_cell(value) == written


def test_meeting_csv_is_safe_in_the_web_and_the_command(client):
    make_meeting(title="=cmd|' /C calc'!A0", countries=("TR",))
    web = body(client.get(HOME, {"format": "csv"}))
    command = "".join(iter_csv())
    for text in (web, command):
        assert text.startswith(BOM)
        (row,) = csv.DictReader(io.StringIO(text.removeprefix(BOM)))
        assert row["title"] == "'=cmd|' /C calc'!A0"
