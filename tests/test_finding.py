"""Finding and following: hits that lead to the words, the search overview, feeds of any
filter or search, turn-level exports, spreadsheet-safe CSV and the pickers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings.exporting import TURN_FIELDS, iter_csv, safe_cell
from meetings.models import Country, aggregates
from tests.factories import add_participant, make_meeting, make_participant, make_utterance

pytestmark = pytest.mark.django_db
HOME = reverse("meetings:meeting_list")
SEARCH = reverse("meetings:search")
ATOM = "{http://www.w3.org/2005/Atom}"
BOM = "\ufeff"


def atom_entries(response) -> list[ET.Element]:
    assert response.status_code == 200, response.content
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def world():
    putin = make_participant("Vladimir Putin", country="RU")
    xi = make_participant("Xi Jinping", country="CN")
    erdogan = make_participant("Recep Tayyip Erdogan", country="TR")
    china = make_meeting(
        kremlin_id=70001, date=dt.date(2014, 5, 20), countries=("CN",), title="Talks with Xi"
    )
    add_participant(china, xi)
    make_utterance(
        china,
        speaker=putin,
        speaker_label="Vladimir Putin",
        text=" ".join(f"before{i}" for i in range(40))
        + " the pipeline to China "
        + " ".join(f"after{i}" for i in range(40)),
    )
    make_utterance(china, speaker=xi, speaker_label="Xi Jinping", text="=SUM(A1) pipeline gas")
    turkey = make_meeting(
        kremlin_id=70002, date=dt.date(2017, 4, 8), countries=("TR",), title="Talks with Erdogan"
    )
    add_participant(turkey, erdogan)
    make_utterance(turkey, speaker=putin, speaker_label="Vladimir Putin", text="A pipeline.")
    call = make_meeting(
        kremlin_id=70003, date=dt.date(2018, 1, 1), countries=("CN",), kind="telephone"
    )
    return {"putin": putin, "xi": xi, "erdogan": erdogan, "china": china, "turkey": turkey,
            "call": call}  # fmt: skip


# From hit to words ------------------------------------------------------------------------


def test_every_hit_links_to_its_transcript_with_the_words(client, world):
    html = client.get(SEARCH, {"q": "pipeline gas"}).content.decode()
    assert 'href="/meetings/en/70001/?hl=pipeline+gas#u-2"' in html


def test_snippets_show_context_on_both_sides(client, world):
    response = client.get(SEARCH, {"q": "pipeline", "sort": "oldest"})
    long_hit = response.context["page_obj"][0]
    assert long_hit.position == 1
    before, _, after = long_hit.headline.partition("pipeline")
    assert "before39" in before and "after0" in after
    assert long_hit.headline.startswith("… ") and long_hit.headline.endswith(" …")


def test_list_rows_for_a_search_show_a_snippet_leading_to_the_words(client, world):
    response = client.get(HOME, {"q": "pipeline", "country": "TR"})
    html = response.content.decode()
    assert 'class="meeting-row__snippet"' in html
    assert "A <mark>pipeline</mark>." in html
    assert 'href="/meetings/en/70002/?hl=pipeline#u-1"' in html


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


# Search overview ----------------------------------------------------------------------


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
    html = response.content.decode()
    assert "Passages per year" in html and 'class="bar bar--w50"' in html
    assert "style=" not in html.split('class="overview"')[1].split("</section>")[0]


# Feeds --------------------------------------------------------------------------------


def test_meetings_feed_takes_every_list_filter(client, world):
    titles = lambda query: [  # noqa: E731
        e.findtext(f"{ATOM}title")
        for e in atom_entries(client.get(f"/feeds/meetings.atom?{query}"))
    ]
    assert titles("country=TR") == ["Talks with Erdogan"]
    assert titles(f"participant={world['xi'].pk}") == ["Talks with Xi"]
    assert titles("q=pipeline&year=2014") == ["Talks with Xi"]
    assert titles("kind=telephone") == ["Talks 70003"]
    assert len(titles("")) == 3


def test_meetings_feed_refuses_a_bad_filter_with_the_reason(client, world):
    response = client.get("/feeds/meetings.atom", {"country": "ZZ", "date_from": "x"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "country:" in text and "date_from:" in text


def test_list_page_links_the_feed_of_exactly_its_filters(client, world):
    html = client.get(HOME, {"country": "CN", "kind": "talks", "page": "1"}).content.decode()
    # No lang=: the page lists both sites' meetings, and so does its feed.
    feed = "/feeds/meetings.atom?country=CN&amp;kind=talks"
    assert '<link rel="alternate" type="application/atom+xml" title="Meetings matching' in html
    assert f'href="{feed}"' in html
    # "Follow" opens the feed's landing page, which says what to do with the address.
    follow = "/feeds/meetings/?country=CN&amp;kind=talks"
    assert f'<a class="follow__link" href="{follow}"' in html


def test_search_feed_lists_newest_matching_turns_with_permalinks(client, world):
    entries = atom_entries(client.get("/feeds/search.atom", {"q": "pipeline"}))
    links = [
        next(
            link.get("href") for link in e.findall(f"{ATOM}link") if link.get("rel") == "alternate"
        )
        for e in entries
    ]
    assert links == [
        "http://testserver/meetings/en/70002/u/1/",
        "http://testserver/meetings/en/70001/u/1/",
        "http://testserver/meetings/en/70001/u/2/",
    ]
    assert entries[0].findtext(f"{ATOM}published").startswith("2017-04-08")
    speaker = client.get("/feeds/search.atom", {"q": "pipeline", "speaker": world["xi"].pk})
    assert len(atom_entries(speaker)) == 1
    assert client.get("/feeds/search.atom").status_code == 400


def test_search_page_links_its_feed(client, world):
    html = client.get(SEARCH, {"q": "pipeline", "page": "1"}).content.decode()
    assert 'href="/feeds/search.atom?q=pipeline"' in html


def test_feed_updated_is_when_content_changed_not_the_last_import(client, world):
    changed = dt.datetime(2020, 1, 2, 3, 4, tzinfo=dt.UTC)
    world["turkey"].content_changed_at = changed
    world["turkey"].last_imported_at = timezone.now()
    world["turkey"].save()
    (entry,) = atom_entries(client.get("/feeds/meetings.atom", {"country": "TR"}))
    assert entry.findtext(f"{ATOM}updated").startswith("2020-01-02T03:04")


# Exports ------------------------------------------------------------------------------


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


# Pickers and labels -------------------------------------------------------------------


def test_person_filter_is_a_removable_chip_with_the_name(client, world):
    response = client.get(HOME, {"participant": world["xi"].pk, "country": "CN"})
    html = response.content.decode()
    assert ">Xi Jinping ×</a>" in html and ">China ×</a>" in html
    assert 'href="?country=CN" aria-label="Remove Xi Jinping"' in html
    assert f'href="?participant={world["xi"].pk}" aria-label="Remove China"' in html


def test_a_typed_name_becomes_the_participant(client, world):
    response = client.get(HOME, {"person": "xi jinping", "country": "china"})
    assert response.status_code == 302
    assert response["Location"] == f"/?country=CN&participant={world['xi'].pk}"
    partial = client.get(HOME, {"person": "Erdog"})
    assert partial["Location"] == f"/?participant={world['erdogan'].pk}"


def test_an_unknown_name_is_a_form_error(client, world):
    response = client.get(HOME, {"person": "Nobody Atall"})
    assert response.status_code == 200
    assert "Nobody called “Nobody Atall” was found." in response.content.decode()


def test_search_speaker_is_picked_by_name_and_shown_as_a_chip(client, world):
    response = client.get(SEARCH, {"q": "pipeline", "person": "vladimir putin"})
    assert response.status_code == 302
    assert response["Location"] == f"{SEARCH}?q=pipeline&speaker={world['putin'].pk}"
    response = client.get(response["Location"])
    assert {hit.speaker for hit in response.context["page_obj"]} == {world["putin"]}
    html = response.content.decode()
    assert 'href="?q=pipeline" aria-label="Remove Vladimir Putin"' in html
    assert "<select" not in html.split('class="filters"')[1].split("</form>")[0].split("lang")[0]


def test_search_speaker_name_must_be_someone_who_spoke(client, world):
    # Erdogan took part in a meeting but has no turn: he is not a speaker to search.
    response = client.get(SEARCH, {"q": "pipeline", "person": "Erdogan"})
    assert response.status_code == 200
    assert "Nobody called “Erdogan” was found." in response.content.decode()
    assert response.context["page_obj"] is None


def test_a_search_without_hits_says_nothing_was_found(client, world):
    html = client.get(SEARCH, {"q": "pipeline", "speaker": world["xi"].pk, "lang": "ru"})
    text = html.content.decode()
    assert "0 passages" in text and "Nothing found." in text


def test_search_feed_takes_a_speaker_by_name(client, world):
    entries = atom_entries(
        client.get("/feeds/search.atom", {"q": "pipeline", "person": "Xi Jinping"})
    )
    assert len(entries) == 1


def test_country_picker_lists_countries_with_meetings_first_with_counts(client, world):
    html = client.get(HOME).content.decode()
    datalist = html.split('<datalist id="country-options">')[1].split("</datalist>")[0]
    turkey = f'value="{Country.objects.get(code="TR").name_en}"'
    assert datalist.index('value="China"') < datalist.index(turkey)
    assert datalist.index(turkey) < datalist.index('value="Afghanistan"')
    assert '<option value="China" label="2 meetings · Китай, КНР">' in datalist
    # The label carries the names people type: "Turk" finds Türkiye, so does "Турц".
    labels = {o["value"]: o["label"] for o in BeautifulSoup(datalist, "html.parser")("option")}
    assert "Turkey" in labels["Türkiye"] and "Турция" in labels["Türkiye"]
    assert "Britain" in labels["United Kingdom"] and "USA" in labels["United States"]
    assert "<select" not in html.split('class="filters"')[1].split("</form>")[0].split("kind")[0]


def test_person_suggestions(client, world):
    data = client.get(reverse("meetings:person_suggestions"), {"q": "xi"}).json()
    assert data["results"] == [
        {"id": world["xi"].pk, "name": "Xi Jinping", "meetings": 1, "label": "1 meeting"}
    ]
    assert client.get(reverse("meetings:person_suggestions"), {"q": "x"}).json() == {"results": []}


def test_rows_without_transcript_say_so_and_the_language_filter_names_the_site(client, world):
    html = client.get(HOME, {"kind": "telephone"}).content.decode()
    assert "No transcript: a report of the meeting" in html and "0 turns" not in html
    assert "0 signed documents" not in html
    assert '<label for="id_lang">Source site</label>' in html


def test_new_strings_are_in_russian(client, world):
    client.cookies["django_language"] = "ru"
    html = client.get(HOME, {"country": "CN"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Сайт-источник" in html and "Следить за этими встречами" in html
    search = client.get(SEARCH, {"q": "pipeline"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Фрагменты по годам" in search and "Следить за этим запросом" in search


def test_chosen_countries_are_checkboxes_that_can_be_unticked(client, world):
    html = client.get(SEARCH, {"q": "pipeline", "country": ["cn", "TR"]}).content.decode()
    assert '<input type="checkbox" name="country" value="CN" checked> China</label>' in html
    assert '<input type="checkbox" name="country" value="TR" checked>' in html
