"""The meeting's change form at the archive's size (meetings/admin_forms.py): its rows cost no
query each, its speaker selects are Django's markup written in one pass, and an editor still
corrects a turn's speaker, a person and a country through it."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext

from meetings.admin_forms import SharedChoicesSelect
from meetings.admin_queries import PEOPLE_PER_PAGE
from meetings.models import Participant
from tests.factories import add_participant, make_meeting, make_participant, make_utterance
from tests.html import hrefs, one, select, text
from tests.test_admin_save_speed import form_data


def change_url(meeting) -> str:
    return f"/admin/meetings/meeting/{meeting.pk}/change/"


def meeting_with(people: int):
    meeting = make_meeting(countries=("TR",))
    for n in range(people):
        person = make_participant(f"Delegate {n:02d}")
        add_participant(meeting, person, role=f"Minister {n}")
        make_utterance(meeting, speaker=person, speaker_label=person.name, text=f"Turn {n}.")
    return meeting


def queries_for(admin_client, meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(change_url(meeting)).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_the_form_costs_the_same_queries_for_3_or_40_participants(admin_client):
    """No query per row, and no more rows than a page."""
    small, big = meeting_with(3), meeting_with(40)
    queries_for(admin_client, small)  # the first request reads what later ones keep
    assert queries_for(admin_client, big) == queries_for(admin_client, small)  # none per row
    response = admin_client.get(change_url(big))
    chosen = [
        text(option)
        for option in select(response, "select[name^='participations-'] option[selected]")
    ]
    assert chosen == [f"Delegate {n:02d}" for n in range(PEOPLE_PER_PAGE)]  # each its own


@pytest.mark.django_db
def test_participants_are_shown_and_saved_a_page_at_a_time(admin_client):
    meeting = meeting_with(PEOPLE_PER_PAGE + 3)  # as many turns: two pages of each
    first = admin_client.get(change_url(meeting))
    assert one(first, "#id_participations-TOTAL_FORMS")["value"] == str(PEOPLE_PER_PAGE)
    both = change_url(meeting) + "?turns=2&people=2"
    second = admin_client.get(both)
    roles = [f["value"] for f in select(second, "input[name$='-role']:not([name*=__prefix__])")]
    assert roles == [f"Minister {n}" for n in range(PEOPLE_PER_PAGE, PEOPLE_PER_PAGE + 3)]
    # Each pager keeps the other's page.
    assert hrefs(second, "nav.participant-pages a") == ["?turns=2&people=1"]
    assert hrefs(second, "nav.transcript-pages a") == ["?turns=1&people=2"]

    data = form_data(second)
    data["participations-0-role"] = "Deputy Prime Minister"
    saved = admin_client.post(both, data)
    assert saved.status_code == 302, select(saved, ".errorlist")
    roles = dict(meeting.participations.values_list("position", "role"))
    assert roles[PEOPLE_PER_PAGE] == "Deputy Prime Minister"
    assert roles[0] == "Minister 0" and len(roles) == PEOPLE_PER_PAGE + 3  # others as they were


@pytest.mark.django_db
def test_every_turn_offers_the_meetings_people_with_its_speaker_chosen(admin_client):
    meeting = meeting_with(3)
    response = admin_client.get(change_url(meeting))
    second = one(response, "select#id_utterances-1-speaker")
    options = [(o["value"], text(o)) for o in second.select("option")]
    people = Participant.objects.filter(name__startswith="Delegate").order_by("name")
    assert options == [("", "---------"), *((str(p.pk), p.name) for p in people)]
    assert [text(o) for o in second.select("option[selected]")] == ["Delegate 01"]


def test_shared_choices_select_writes_djangos_select():
    choices = [("", "---------"), (7, "Recep Erdoğan"), (12, "Tom & <Jerry>")]
    for value in (None, "", 12):
        attrs = {"id": "id_speaker", "required": True}
        ours = SharedChoicesSelect(choices=choices).render("speaker", value, attrs)
        django = forms.Select(choices=choices).render("speaker", value, attrs)
        assert parse_html(ours) == parse_html(django)


@pytest.mark.django_db
def test_an_editor_fixes_a_turns_speaker_and_the_country_through_the_form(admin_client):
    meeting = meeting_with(2)
    first, second = meeting.participations.order_by("position")
    data = form_data(admin_client.get(change_url(meeting)))
    data["utterances-0-speaker"] = str(second.participant_id)  # misattributed turn
    data["country_links-0-country"] = "AZ"  # wrong country
    saved = admin_client.post(change_url(meeting), data)
    assert saved.status_code == 302, select(saved, ".errorlist")
    turn = meeting.utterances.get(position=1)
    assert turn.speaker_id == second.participant_id
    assert list(meeting.countries.values_list("code", flat=True)) == ["AZ"]


@pytest.mark.django_db
def test_a_form_sent_back_with_errors_shows_the_person_the_editor_chose(admin_client):
    meeting = meeting_with(2)
    newcomer = make_participant("Ilham Aliyev")
    data = form_data(admin_client.get(change_url(meeting)))
    data["participations-0-participant"] = str(newcomer.pk)
    data["participations-0-position"] = "not a number"
    again = admin_client.post(change_url(meeting), data)
    assert again.status_code == 200  # the form again, with its error
    chosen = one(again, "select#id_participations-0-participant option[selected]")
    assert (chosen["value"], text(chosen)) == (str(newcomer.pk), "Ilham Aliyev")
