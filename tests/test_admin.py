"""Editors' admin: every changelist and change page renders with data in it."""

import pytest
from django.conf import settings
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
from tests.html import select, texts


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
    values = [field["value"] for field in select(response, "input[value]")]
    values += texts(response, "textarea")
    assert "Memorandum on tourism" in values
    assert "President of Turkey" in values
    said = texts(response, "textarea")
    assert said.index("Welcome.") < said.index("Thanks.")


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
    said = texts(response, "#utterances-group textarea")
    assert said.index("Turn 1.") < said.index("Turn 2.") < said.index("Turn 25.")
    assert "Turn 26." not in said  # a page of turns at a time (meetings/admin_queries.py)
    with django_assert_max_num_queries(30):
        last = admin_client.get(url + "?turns=20")
    later = texts(last, "#utterances-group textarea")
    assert later.index("Turn 476.") < later.index("Turn 500.")
    assert select(response, "#utterances-group .collapse")  # many turns start folded


@pytest.mark.django_db
def test_import_runs_are_listed_read_only(admin_client):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_sample", stdout=StringIO(), stderr=StringIO())
    run = ImportRun.objects.get()
    changelist = admin_client.get(reverse("admin:meetings_importrun_changelist"))
    assert changelist.status_code == 200
    assert "load_sample" in texts(changelist, "#result_list td")
    page = admin_client.get(reverse("admin:meetings_importrun_change", args=[run.pk]))
    assert page.status_code == 200 and not select(page, '[name="_save"]')
    assert admin_client.get(reverse("admin:meetings_importrun_add")).status_code == 403
    delete = admin_client.post(reverse("admin:meetings_importrun_delete", args=[run.pk]))
    assert delete.status_code == 403 and ImportRun.objects.filter(pk=run.pk).exists()


# Sign-in: throttled by django-axes, at the address ADMIN_URL names ---------------------------


@pytest.mark.django_db
def test_admin_still_takes_posts(client, admin_user):
    response = client.post(
        reverse("admin:login"), {"username": admin_user.username, "password": "password"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_admin_login_locks_out_after_the_failure_limit(client, admin_user, settings):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": admin_user.username, "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    last = client.post(url, {"username": admin_user.username, "password": "wrong"})
    assert last.status_code == 429
    # Now even the right password is refused until the cool-off has passed.
    response = client.post(url, {"username": admin_user.username, "password": "password"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_by_username_holds_from_another_address(client, admin_user, settings):
    url = reverse("admin:login")
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            url,
            {"username": admin_user.username, "password": "wrong"},
            REMOTE_ADDR=f"10.0.0.{number + 1}",
        )
    response = client.post(
        url, {"username": admin_user.username, "password": "password"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_admin_path_comes_from_admin_url():
    assert reverse("admin:index") == "/" + settings.ADMIN_URL


@pytest.mark.django_db
def test_meeting_country_filter_offers_only_countries_with_meetings(admin_client, meeting):
    make_meeting(countries=("CN",), title="Talks with China")
    page = admin_client.get(reverse("admin:meetings_meeting_changelist"))
    offered = texts(page, "#changelist-filter a[href*='country=']")
    assert offered == ["China", "Türkiye"]
    assert Country.objects.count() > 200  # the table holds every country all the same
    filtered = admin_client.get(reverse("admin:meetings_meeting_changelist"), {"country": "CN"})
    assert texts(filtered, "#result_list .field-title") == ["Talks with China"]
