"""The JSON API (meetings/api/): what a researcher paging through it from code relies on."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import search, signals
from meetings.models import Country, Meeting, Participant, PersonRole, Utterance, aggregates
from tests import real_pages
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(scope="module", autouse=True)
def pages(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), real_pages.imported() as summary:
        yield summary


@pytest.fixture(autouse=True)
def no_throttle(settings):
    settings.API_THROTTLE_RATE = ""


def get_json(client, url: str, status: int = 200, **extra) -> dict:
    response = client.get(url, **extra)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    assert response["API-Version"] == "1"
    return response.json()


def walk(client, url: str) -> list[dict]:
    """Every result, following ``next`` links (a cursor that does not advance fails)."""
    rows, seen = [], set()
    while url:
        assert url not in seen and len(seen) < 300, f"the cursor repeats: {url}"
        seen.add(url)
        page = get_json(client, url)
        rows += page["results"]
        url = page["next"]
    return rows


def export_rows(client, query: str) -> list[tuple[int, str]]:
    response = client.get(f"/?{query}&format=json" if query else "/?format=json")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    return sorted((row["id"], row["language"]) for row in map(json.loads, lines))


# Meetings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "country=TR",
        "country=CN&country=IN",
        "kind=talks",
        "has_transcript=false",
        "q=gas",
        "year=2019",
    ],
)
def test_paging_through_a_filter_yields_the_rows_of_its_json_export(client, query):
    url = f"/api/v1/meetings/?page_size=7&{query}"
    rows = walk(client, url)
    found = sorted((row["id"], row["language"]) for row in rows)
    assert found == export_rows(client, query)
    assert len(found) == len(set(found))  # no row twice across pages
    assert found  # every filter above matches something in the fixtures


def test_newest_first_by_default_and_oldest_on_request(client):
    newest = [(r["date"], r["id"]) for r in walk(client, "/api/v1/meetings/?page_size=10")]
    dates = [date for date, _ in newest]
    assert dates == sorted(dates, reverse=True)
    oldest = [r["date"] for r in walk(client, "/api/v1/meetings/?page_size=500&sort=oldest")]
    assert oldest == sorted(dates)


def test_a_meeting_carries_its_page_its_source_and_its_api_address(client):
    meeting = Meeting.objects.get(language="en", kremlin_id=51266)
    rows = walk(client, "/api/v1/meetings/?page_size=500")
    row = next(r for r in rows if (r["id"], r["language"]) == (51266, "en"))
    assert row["url"] == "http://testserver/meetings/en/51266/"
    assert row["source_url"] == meeting.source_url
    assert row["title"] == meeting.title
    assert row["countries"] == list(meeting.countries.values_list("code", flat=True))
    people = [p["person"]["id"] for p in row["participants"]]
    assert people == list(
        meeting.participations.order_by("position", "id").values_list("participant", flat=True)
    )
    detail = get_json(client, row["api_url"])
    assert detail["id"] == 51266 and detail["language"] == "en"


def test_the_first_page_counts_every_meeting_and_links_only_forward(client):
    page = get_json(client, "/api/v1/meetings/?page_size=5")
    assert page["count"] == Meeting.objects.count()
    assert page["previous"] is None
    second = get_json(client, page["next"])
    assert second["previous"]
    back = get_json(client, second["previous"])
    assert [r["api_url"] for r in back["results"]] == [r["api_url"] for r in page["results"]]


def test_a_cursor_stays_put_while_an_import_adds_meetings(client):
    page = get_json(client, "/api/v1/meetings/?page_size=5")
    first = [(r["id"], r["language"]) for r in page["results"]]
    make_meeting(kremlin_id=99999901, date=page["results"][0]["date"])  # newer than the cursor
    make_meeting(kremlin_id=99999902, date="2030-01-01")
    rest = [(r["id"], r["language"]) for r in walk(client, page["next"])]
    assert not set(first) & set(rest)
    expected = sorted(Meeting.objects.values_list("kremlin_id", "language"))
    missed = sorted(set(expected) - set(first) - set(rest))
    assert missed == [
        (99999901, "en"),
        (99999902, "en"),
    ]  # added before the cursor: not in its pages


def test_page_size_up_to_500(client):
    assert (
        len(get_json(client, "/api/v1/meetings/?page_size=500")["results"])
        == Meeting.objects.count()
    )
    errors = get_json(client, "/api/v1/meetings/?page_size=501", status=400)["errors"]
    assert errors["page_size"][0]["message"] == "Give a whole number from 1 to 500."


def test_a_cursor_it_did_not_give_out_is_a_json_400(client):
    for cursor in ("zzz", "eyJ2IjpbIngiLDFdLCJiIjowfQ", "eyJ2IjpbXSwiYiI6MH0"):
        errors = get_json(client, f"/api/v1/meetings/?cursor={cursor}", status=400)["errors"]
        assert errors["cursor"][0]["message"] == "This cursor is not one this API gave out."


def test_filter_errors_are_the_forms_own_messages(client):
    query = "country=ZZ&date_from=2020-01-01&date_to=2019-01-01&has_documents=perhaps"
    api = get_json(client, f"/api/v1/meetings/?{query}", status=400)["errors"]
    page = client.get(f"/?{query}&format=json").json()["errors"]
    assert api == page
    assert api["date_to"][0]["message"] == "The end date is before the start date."


def test_a_person_typed_by_name_filters_as_on_the_list(client):
    person = (
        Participant.objects.filter(name_en__icontains="Erdogan").first()
        or Participant.objects.filter(name__icontains="Erdo").first()
    )
    assert person is not None
    by_name = walk(client, "/api/v1/meetings/?page_size=50&person=Erdogan")
    by_id = walk(client, f"/api/v1/meetings/?page_size=50&participant={person.pk}")
    assert by_name == by_id and by_id
    nobody = get_json(client, "/api/v1/meetings/?person=Nobody%20Atall", status=400)["errors"]
    assert nobody["person"][0]["message"] == "Nobody called “Nobody Atall” was found."


def test_meeting_detail_has_participants_countries_documents_and_the_transcript(client):
    meeting = Meeting.objects.filter(documents__isnull=False).distinct().first()
    assert meeting is not None
    data = get_json(client, f"/api/v1/meetings/{meeting.language}/{meeting.kremlin_id}/")
    turns = list(meeting.utterances.order_by("position"))
    assert [u["position"] for u in data["utterances"]] == [u.position for u in turns]
    assert [u["text"] for u in data["utterances"]] == [u.text for u in turns]
    assert data["utterances"][0]["url"].endswith(f"/u/{turns[0].position}/")
    assert [d["title"] for d in data["documents"]] == list(
        meeting.documents.order_by("position", "id").values_list("title", flat=True)
    )
    assert {c["code"] for c in data["countries"]} == set(
        meeting.countries.values_list("code", flat=True)
    )
    assert (
        data["tei_url"]
        == f"http://testserver/meetings/{meeting.language}/{meeting.kremlin_id}.tei.xml"
    )
    assert data["source_url"] == meeting.source_url


def test_meeting_detail_links_the_other_language_version(client):
    english = make_meeting(kremlin_id=real_pages.RUSSIAN_ID, language="en")
    data = get_json(client, f"/api/v1/meetings/ru/{real_pages.RUSSIAN_ID}/")
    assert data["other_language"] == f"http://testserver/api/v1/meetings/en/{english.kremlin_id}/"


def test_unknown_meeting_language_or_address_is_a_json_404(client):
    for url in ("/api/v1/meetings/en/1/", "/api/v1/meetings/xx/51266/", "/api/v1/nothing/"):
        errors = get_json(client, url, status=404)["errors"]
        assert errors["__all__"][0]["code"] in {"not_found"}


def test_the_list_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    get_json(client, "/api/v1/meetings/?page_size=5")  # the aggregates brought up to date
    with django_assert_max_num_queries(8):
        get_json(client, "/api/v1/meetings/?page_size=500")


# Utterances -------------------------------------------------------------------------------


def test_a_search_needs_words(client):
    errors = get_json(client, "/api/v1/utterances/", status=400)["errors"]
    assert errors == {"q": [{"message": "Type some words to search.", "code": "required"}]}


def test_search_finds_the_turns_with_a_marked_headline_ranked(client):
    rows = walk(client, "/api/v1/utterances/?q=gas&page_size=3")
    expected = Utterance.objects.search("gas").count()
    assert len(rows) == expected > 3
    ranks = [row["rank"] for row in rows]
    assert ranks == sorted(ranks, reverse=True)
    assert all("<mark>" in row["headline"] for row in rows)
    row = rows[0]
    turn = Utterance.objects.select_related("meeting").get(pk=row["id"])
    assert row["url"] == f"http://testserver{turn.get_absolute_url()}"
    assert row["source_url"] == turn.meeting.source_url
    assert row["meeting"]["api_url"].endswith(
        f"/api/v1/meetings/{turn.meeting.language}/{turn.meeting.kremlin_id}/"
    )


def test_search_comes_20_a_page_as_on_the_search_page_lists_100(client):
    assert Utterance.objects.search("cooperation").count() > 20
    page = get_json(client, "/api/v1/utterances/?q=cooperation")
    assert len(page["results"]) == 20 and page["next"]
    assert Meeting.objects.count() > 20
    assert len(get_json(client, "/api/v1/meetings/")["results"]) == min(
        100, Meeting.objects.count()
    )


def test_search_by_date_pages_in_date_order(client):
    rows = walk(client, "/api/v1/utterances/?q=cooperation&sort=oldest&page_size=4")
    keys = [(row["meeting"]["date"], row["position"]) for row in rows]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    assert (
        len({row["id"] for row in rows})
        == len(rows)
        == Utterance.objects.search("cooperation").count()
    )


@pytest.mark.parametrize("window", [1, 3, 2000])
@pytest.mark.parametrize("sort", ["newest", "oldest"])
@pytest.mark.parametrize("words", ["cooperation", "Syria", "gas -oil"])
def test_search_by_date_gives_the_date_order_whichever_way_the_hits_are_found(
    client, monkeypatch, window, sort, words
):
    """A window smaller than the fixtures makes the date walk fall short, so the hits are
    found through the text index and sorted; one larger than them walks every meeting."""
    monkeypatch.setattr(search, "DATE_WALK_WINDOW", window)
    order = ("-meeting__date", "-meeting_id", "position")
    if sort == "oldest":
        order = ("meeting__date", "meeting_id", "position")
    expected = list(Utterance.objects.search(words).order_by(*order).values_list("id", flat=True))
    assert len(expected) > 3  # more than a page: the cursor is used
    url, pages = f"/api/v1/utterances/?q={words}&sort={sort}&page_size=3", []
    with CaptureQueriesContext(connection) as queries:
        while url:
            page = get_json(client, url)
            pages.append([row["id"] for row in page["results"]])
            url, previous = page["next"], page["previous"]
    assert [pk for ids in pages for pk in ids] == expected
    sorted_hits = any("AS MATERIALIZED" in query["sql"] for query in queries.captured_queries)
    if window in (1, 2000):  # falls short at once; holds every meeting
        assert sorted_hits == (window == 1)
    backwards = []
    while previous:
        page = get_json(client, previous)
        backwards.append([row["id"] for row in page["results"]])
        previous = page["previous"]
    assert backwards == pages[-2::-1]


# People and countries ---------------------------------------------------------------------


def test_people_are_popolo_persons_with_the_kremlin_id(client):
    person = Participant.objects.filter(kremlin_person_id__isnull=False).order_by("id").first()
    data = get_json(client, f"/api/v1/people/{person.pk}/")
    assert data["id"] == person.pk and data["name"] == person.name
    assert data["identifiers"] == [
        {"scheme": "kremlin.ru/catalog/persons", "identifier": str(person.kremlin_person_id)}
    ]
    assert data["aliases"] == person.aliases
    names = {entry["name"] for entry in data["other_names"]}
    assert set(person.aliases) - {person.name} <= names
    assert data["url"] == f"http://testserver/people/{person.pk}/"
    assert data["source_url"].endswith(f"/catalog/persons/{person.kremlin_person_id}/events")


def test_memberships_are_the_roles_held_at_meetings_with_their_dates(client):
    aggregates.ensure_fresh()
    role = PersonRole.objects.order_by("-n", "participant_id").first()
    data = get_json(client, f"/api/v1/people/{role.participant_id}/")
    expected = {
        (r.role, r.language, r.first.isoformat(), r.last.isoformat(), r.n)
        for r in PersonRole.objects.filter(participant_id=role.participant_id)
    }
    found = {
        (m["role"], m["language"], m["start_date"], m["end_date"], m["meetings"])
        for m in data["memberships"]
    }
    assert found == expected
    assert all(m["person_id"] == role.participant_id for m in data["memberships"])


def test_people_list_searches_names_and_counts(client):
    page = get_json(client, "/api/v1/people/?q=Putin")
    assert page["count"] == len(page["results"]) >= 1
    assert all("putin" in json.dumps(p, ensure_ascii=False).lower() for p in page["results"])


def test_countries_are_popolo_organizations(client):
    data = get_json(client, "/api/v1/countries/tr/")
    assert data["id"] == "TR" and data["classification"] == "country"
    assert data["identifiers"] == [{"scheme": "ISO 3166-1 alpha-2", "identifier": "TR"}]
    assert data["meeting_count"] >= 1
    everything = walk(client, "/api/v1/countries/?page_size=100")
    assert "TR" in {c["id"] for c in everything}


def test_import_runs_show_counts_not_arguments(client, pages):
    from meetings.importer import run

    with run.recorded("secret-looking --arguments"):
        pass
    rows = walk(client, "/api/v1/imports/")
    assert rows and "arguments" not in rows[0] and "failures" not in rows[0]
    assert {"created", "updated", "unchanged", "skipped", "failed"} <= set(rows[0])


# HTTP: methods, CORS, throttling, caching -------------------------------------------------


def test_only_get_head_and_options(client):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/meetings/")
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["API-Version"] == "1"
        assert "not allowed" in response.json()["errors"]["__all__"][0]["message"]
    options = client.options("/api/v1/meetings/")
    assert options.status_code == 200 and options["Allow"] == "GET, HEAD, OPTIONS"
    assert client.head("/api/v1/meetings/").status_code == 200


def test_cors_is_open_for_reading(client):
    response = client.get("/api/v1/countries/TR/", HTTP_ORIGIN="https://notebook.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/meetings/",
        HTTP_ORIGIN="https://notebook.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


@override_settings(CACHES=LOCAL_CACHE, API_THROTTLE_RATE="3/min")
def test_too_many_requests_from_one_address_is_429_with_retry_after(client):
    cache.clear()
    for _ in range(3):
        get_json(client, "/api/v1/countries/TR/", REMOTE_ADDR="198.51.100.7")
    response = client.get("/api/v1/countries/TR/", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"]["__all__"][0]["code"] == "throttled"
    get_json(client, "/api/v1/countries/TR/", REMOTE_ADDR="198.51.100.8")  # another address


@override_settings(CACHES=LOCAL_CACHE, API_THROTTLE_RATE="3/min", PAGE_CACHE_SECONDS=600)
def test_answers_from_the_page_cache_count_against_the_rate(client):
    cache.clear()
    url = "/api/v1/countries/TR/"
    first = get_json(client, url, REMOTE_ADDR="198.51.100.9")
    Country.objects.filter(code="TR").update(name_en="Renamed behind the cache")
    for _ in range(2):  # the old name: these two come from the page cache
        assert get_json(client, url, REMOTE_ADDR="198.51.100.9") == first
    for method in (client.get, client.get, client.head):
        response = method(url, REMOTE_ADDR="198.51.100.9")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert response["API-Version"] == "1"
    errors = client.get(url, REMOTE_ADDR="198.51.100.9").json()["errors"]
    assert errors["__all__"][0]["code"] == "throttled"
    assert get_json(client, url, REMOTE_ADDR="198.51.100.10") == first  # another address
    signals.announce(sender=None)  # the cache retired: the rename shows, so it was cached
    assert get_json(client, url, REMOTE_ADDR="198.51.100.10") != first


def test_etag_answers_304_with_the_version(client):
    first = client.get("/api/v1/countries/TR/")
    etag = first["ETag"]
    again = client.get("/api/v1/countries/TR/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["API-Version"] == "1"


@override_settings(CACHES=LOCAL_CACHE, PAGE_CACHE_SECONDS=600)
def test_answers_are_cached_until_the_data_changes(client):
    cache.clear()
    meeting = Meeting.objects.get(language="en", kremlin_id=51266)
    url = f"/api/v1/meetings/en/{meeting.kremlin_id}/"
    before = get_json(client, url)["title"]
    Meeting.objects.filter(pk=meeting.pk).update(title="Retitled by an editor")
    assert get_json(client, url)["title"] == before  # served from the cache
    signals.announce(sender=None)
    assert get_json(client, url)["title"] == "Retitled by an editor"


def test_the_index_lists_every_resource(client):
    data = get_json(client, "/api/v1/")
    for key in (
        "meeting",
        "utterance",
        "person",
        "country",
        "importrun",
        "openapi",
        "docs",
        "data",
    ):
        assert data[key].startswith("http://testserver/")
    assert data["meeting"] == "http://testserver" + reverse("api:meeting-list")
