"""Editors' admin: every changelist and change page renders with data in it."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from meetings.models import (
    Country,
    ImportRun,
    Meeting,
    Participant,
    Participation,
    SignedDocument,
    Supplement,
    Utterance,
)
from tests.factories import (
    add_participant,
    make_document,
    make_meeting,
    make_participant,
    make_utterance,
)


@pytest.fixture
def meeting():
    meeting = make_meeting(countries=("TR",), title="Russian-Turkish talks")
    putin = make_participant("Vladimir Putin", country="RU")
    erdogan = make_participant("Recep Tayyip Erdogan", country="TR", kremlin_person_id=5)
    add_participant(meeting, putin, "President of Russia")
    add_participant(meeting, erdogan, "President of Turkey")
    make_utterance(meeting, speaker=putin, speaker_label="Vladimir Putin", text="Welcome.")
    make_utterance(meeting, speaker=erdogan, speaker_label="Recep Tayyip Erdogan", text="Thanks.")
    make_document(meeting, title="Memorandum on tourism", kind="memorandum")
    Supplement.objects.create(
        supplement_id=5678,
        language="en",
        source_url="http://en.kremlin.ru/supplement/5678",
        title="Documents signed during the visit",
        meeting_ids=[meeting.kremlin_id],
        documents=[{"title": "Memorandum on tourism", "kind": "memorandum"}],
    )
    return meeting


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [Country, Meeting, Participant, Participation, SignedDocument, Supplement, Utterance],
)
def test_changelist_and_change_page_render(admin_client, meeting, model):
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    obj = model.objects.get(code="TR") if model is Country else model.objects.first()
    change = admin_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )
    assert change.status_code == 200


@pytest.mark.django_db
def test_meeting_page_shows_everything_inline_in_position_order(admin_client, meeting):
    response = admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    html = response.content.decode()
    assert "Memorandum on tourism" in html
    assert "President of Turkey" in html
    assert html.index("Welcome.") < html.index("Thanks.")


@pytest.mark.django_db
def test_changelist_search_finds_meeting_by_title(admin_client, meeting):
    make_meeting(title="Telephone conversation with President of France")
    response = admin_client.get(reverse("admin:meetings_meeting_changelist"), {"q": "Turkish"})
    assert list(response.context["cl"].result_list) == [meeting]


@pytest.mark.django_db
def test_editor_correction_is_recorded_in_history(admin_client, meeting):
    utterance = meeting.utterances.get(position=2)
    url = reverse("admin:meetings_utterance_change", args=[utterance.pk])
    response = admin_client.post(
        url,
        {
            "meeting": meeting.pk,
            "position": 2,
            "section": "",
            "speaker": "",
            "speaker_label": "Recep Tayyip Erdogan",
            "kind": "speech",
            "translation_note": "retranslated",
            "text": "Thank you.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    utterance.refresh_from_db()
    assert utterance.text == "Thank you."
    assert LogEntry.objects.filter(object_id=str(utterance.pk)).exists()


@pytest.mark.django_db
def test_meeting_page_with_500_turns_stays_usable(admin_client, django_assert_max_num_queries):
    meeting = make_meeting()
    speaker = make_participant("Vladimir Putin")
    Utterance.objects.bulk_create(
        Utterance(
            meeting=meeting,
            position=n,
            speaker=speaker,
            speaker_label="Vladimir Putin",
            text=f"Turn {n}.",
            language="en",
        )
        for n in range(1, 501)
    )
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    # Autocomplete widgets render only the chosen speaker: no query (or <select> of every
    # participant) per turn.
    with django_assert_max_num_queries(30):
        response = admin_client.get(url)
    html = response.content.decode()
    assert html.index("Turn 1.") < html.index("Turn 2.") < html.index("Turn 25.")
    assert "Turn 26." not in html  # a page of turns at a time (meetings/admin_queries.py)
    with django_assert_max_num_queries(30):
        last = admin_client.get(url + "?turns=20").content.decode()
    assert last.index("Turn 476.") < last.index("Turn 500.")
    assert 'id="utterances-group"' in html and "collapse" in html


@pytest.mark.django_db
def test_import_runs_are_listed_read_only(admin_client):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_sample", stdout=StringIO(), stderr=StringIO())
    run = ImportRun.objects.get()
    changelist = admin_client.get(reverse("admin:meetings_importrun_changelist"))
    assert changelist.status_code == 200
    assert "load_sample" in changelist.content.decode()
    page = admin_client.get(reverse("admin:meetings_importrun_change", args=[run.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client.get(reverse("admin:meetings_importrun_add")).status_code == 403
    delete = admin_client.post(reverse("admin:meetings_importrun_delete", args=[run.pk]))
    assert delete.status_code == 403 and ImportRun.objects.filter(pk=run.pk).exists()
