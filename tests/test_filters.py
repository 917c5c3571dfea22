"""The pickers of ``meetings/filters.py`` on the list and the search page: a typed name or
country becomes the filter, chosen ones are removable chips and checkboxes, a name nobody
has is the form's error, and the country suggestions put countries with meetings first."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from meetings.models import Country
from tests.html import one, select, text, texts
from tests.worlds import pipeline_world

pytestmark = pytest.mark.django_db
HOME = reverse("meetings:meeting_list")
SEARCH = reverse("meetings:search")


@pytest.fixture
def world():
    return pipeline_world()


def chips(response) -> list[tuple[str, str, str]]:
    """The active-filter chips: (text, the link that removes it, its accessible name)."""
    return [(text(a), a["href"], a["aria-label"]) for a in select(response, ".active-filters a")]


def test_person_filter_is_a_removable_chip_with_the_name(client, world):
    response = client.get(HOME, {"participant": world["xi"].pk, "country": "CN"})
    assert chips(response) == [  # in the form's order: every filter has one
        ("China ×", f"?participant={world['xi'].pk}", "Remove China"),
        ("Xi Jinping ×", "?country=CN", "Remove Xi Jinping"),
    ]


def test_a_typed_name_becomes_the_participant(client, world):
    response = client.get(HOME, {"person": "xi jinping", "country": "china"})
    assert response.status_code == 302
    assert response["Location"] == f"/?country=CN&participant={world['xi'].pk}"
    partial = client.get(HOME, {"person": "Erdog"})
    assert partial["Location"] == f"/?participant={world['erdogan'].pk}"


def test_an_unknown_name_is_a_form_error(client, world):
    response = client.get(HOME, {"person": "Nobody Atall"})
    assert response.status_code == 200
    assert text(one(response, "#id_person-errors")) == "Nobody called “Nobody Atall” was found."
    assert one(response, "#id_person")["aria-invalid"] == "true"


def test_search_speaker_is_picked_by_name_and_shown_as_a_chip(client, world):
    response = client.get(SEARCH, {"q": "pipeline", "person": "vladimir putin"})
    assert response.status_code == 302
    assert response["Location"] == f"{SEARCH}?q=pipeline&speaker={world['putin'].pk}"
    response = client.get(response["Location"])
    assert {hit.speaker for hit in response.context["page_obj"]} == {world["putin"]}
    assert chips(response) == [
        ("Words: pipeline ×", f"?speaker={world['putin'].pk}", "Remove Words: pipeline"),
        ("Vladimir Putin ×", "?q=pipeline", "Remove Vladimir Putin"),
    ]
    # The speaker is typed, not chosen from a list of everyone who ever spoke.
    assert not select(response, "form.filters select[name=speaker], form.filters select#id_person")
    assert one(response, "form.filters #id_person")["list"] == "person-options"


def test_search_speaker_name_must_be_someone_who_spoke(client, world):
    # Erdogan took part in a meeting but has no turn: he is not a speaker to search.
    response = client.get(SEARCH, {"q": "pipeline", "person": "Erdogan"})
    assert response.status_code == 200
    assert text(one(response, "#id_person-errors")) == "Nobody called “Erdogan” was found."
    assert response.context["page_obj"] is None


def test_a_search_without_hits_says_nothing_was_found(client, world):
    response = client.get(SEARCH, {"q": "pipeline", "speaker": world["xi"].pk, "lang": "ru"})
    assert texts(response, ".results__count") == ["0 passages"]
    (empty,) = select(response, "ol.hits > li")
    assert text(empty).startswith("Nothing found. Try fewer or other words.")
    # A Russian search finding nothing also says the archive is mostly English.
    assert texts(response, "ol.hits > li .language-note a") == [
        "Search the English transcripts in English words"
    ]


def test_country_picker_lists_countries_with_meetings_first_with_counts(client, world):
    response = client.get(HOME)
    options = [(o["value"], o["label"]) for o in select(response, "#country-options option")]
    names = [name for name, _ in options]
    turkey = Country.objects.get(code="TR").name_en
    assert names.index("China") < names.index(turkey) < names.index("Afghanistan")
    assert ("China", "2 meetings · Китай, КНР") in options
    # The label carries the names people type: "Turk" finds Türkiye, so does "Турц".
    labels = dict(options)
    assert "Turkey" in labels[turkey] and "Турция" in labels[turkey]
    assert "Britain" in labels["United Kingdom"] and "USA" in labels["United States"]
    # Countries are typed with suggestions, not picked from a 200-line select.
    assert not select(response, "form.filters select[name=country]")
    assert one(response, "form.filters #id_country")["list"] == "country-options"


def test_rows_without_transcript_say_so_and_the_language_filter_names_the_site(client, world):
    response = client.get(HOME, {"kind": "telephone"})
    # Plain words, and no "0 signed documents" on every row.
    assert texts(response, ".meeting-row__counts") == ["No transcript: a report of the meeting"]
    assertContains(response, '<label for="id_lang">Source site</label>', html=True)


def test_chosen_countries_are_checkboxes_that_can_be_unticked(client, world):
    response = client.get(SEARCH, {"q": "pipeline", "country": ["cn", "TR"]})
    boxes = [
        (box["value"], box.has_attr("checked"), text(box.parent))
        for box in select(response, '.picker__chosen input[type="checkbox"][name="country"]')
    ]
    assert boxes == [("CN", True, "China"), ("TR", True, Country.objects.get(code="TR").name)]
