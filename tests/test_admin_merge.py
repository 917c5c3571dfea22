"""The admin merge and split of participants, and the merge surviving re-import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from meetings.importer.pages import parse_file
from meetings.importer.save import save_meeting
from meetings.models import Meeting, Participant, Utterance
from tests.html import one, select, text, texts

PAGES = Path(__file__).parent / "fixtures" / "people"
pytestmark = pytest.mark.django_db


def save(name: str, **kwargs):
    result = parse_file(str(PAGES / name))
    return save_meeting(result.record, raw_hash=result.raw_hash, **kwargs)


@pytest.fixture
def duplicates():
    """Ilham Aliyev twice, as an import from before variant matching left him: the first
    row has no name key, so the second page's "Ilham Aliyev" becomes a new participant."""
    save("en-33424.html")  # "Ilkham Aliyev"
    Participant.objects.filter(name="Ilkham Aliyev").update(name_key="")
    save("en-56963.html")  # "Ilham Aliyev"
    first = Participant.objects.get(name="Ilkham Aliyev")
    second = Participant.objects.get(name="Ilham Aliyev")
    return first, second


def merge(admin_client, keep, *others):
    url = reverse("admin:meetings_participant_changelist")
    pks = [str(p.pk) for p in (keep, *others)]
    form = admin_client.post(url, {"action": "merge_participants", "_selected_action": pks})
    assert form.status_code == 200
    assert text(one(form, ".breadcrumbs")).endswith("› Merge participants")
    return admin_client.post(
        url,
        {
            "action": "merge_participants",
            "_selected_action": pks,
            "apply": "1",
            "keep": str(keep.pk),
        },
    )


def test_merge_moves_everything_and_is_in_the_history(admin_client, duplicates):
    first, second = duplicates
    turns = Utterance.objects.filter(speaker=first).count()
    response = merge(admin_client, second, first)
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=first.pk).exists()
    second.refresh_from_db()
    assert second.participations.count() == 2
    assert Utterance.objects.filter(speaker=second).count() >= turns
    assert {"Ilkham Aliyev", "Ilham Aliyev"} <= set(second.aliases)
    entry = LogEntry.objects.get(object_id=str(second.pk))
    assert "Ilkham Aliyev" in entry.get_change_message()


def test_merge_survives_re_import(admin_client, duplicates):
    first, second = duplicates
    merge(admin_client, second, first)
    for name in ("en-33424.html", "en-56963.html"):
        save(name, take_source=True)
    assert list(Participant.objects.filter(name_key="lv")) == [second]
    for meeting in Meeting.objects.all():
        assert list(meeting.participants.filter(name_key="lv")) == [second]


def test_merge_refuses_two_kremlin_person_ids(admin_client, duplicates):
    first, second = duplicates
    Participant.objects.filter(pk=first.pk).update(kremlin_person_id=1)
    Participant.objects.filter(pk=second.pk).update(kremlin_person_id=2)
    merge(admin_client, second, first)
    assert Participant.objects.filter(pk=first.pk).exists()


def test_split_moves_chosen_meetings_to_a_new_person(admin_client):
    save("en-33424.html")
    save("en-56963.html")
    (aliyev,) = Participant.objects.filter(name_key="lv")
    assert aliyev.name == "Ilkham Aliyev"  # the first page's spelling
    meeting = Meeting.objects.get(kremlin_id=56963)
    url = reverse("admin:meetings_participant_split", args=[aliyev.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"name": "Ilham Aliyev", "meeting": [meeting.pk], "alias": ["Ilham Aliyev"]}
    )
    assert response.status_code == 302
    new = Participant.objects.get(name="Ilham Aliyev")
    assert list(new.participations.values_list("meeting_id", flat=True)) == [meeting.pk]
    aliyev.refresh_from_db()
    assert aliyev.participations.count() == 1
    assert "Ilham Aliyev" not in aliyev.aliases
    assert LogEntry.objects.filter(object_id=str(new.pk)).exists()
    # The split is an editor's correction: re-importing the page keeps it.
    save("en-56963.html", take_source=True)
    assert list(new.participations.values_list("meeting_id", flat=True)) == [meeting.pk]


def test_split_moves_chosen_turns_and_the_new_person_joins_the_meeting(admin_client):
    from meetings.editing import merge_participants

    # en-56516: Surovikin and Makolkin each speak once. Merged by mistake, the split
    # takes Makolkin's turn back without taking Surovikin's meeting away from him.
    save("en-56516.html")
    surovikin = Participant.objects.get(name="Sergei Surovikin")
    merge_participants(surovikin, [Participant.objects.get(name="Maxim Makolkin")])
    meeting = Meeting.objects.get(kremlin_id=56516)
    turn = Utterance.objects.get(meeting=meeting, speaker_label="Major Maxim Makolkin")
    assert turn.speaker_id == surovikin.pk
    url = reverse("admin:meetings_participant_split", args=[surovikin.pk])
    page = admin_client.get(url, {"meeting": meeting.pk})
    turns = {
        box["value"]: text(box.find_next_sibling("label"))
        for box in select(page, "#turns input[name=turn]")
    }
    assert turns[str(turn.pk)].split(": ")[0].endswith("Major Maxim Makolkin")
    # His own turn, to leave unticked.
    assert [t for t in turns.values() if "Colonel General Sergei Surovikin:" in t]

    response = admin_client.post(
        f"{url}?meeting={meeting.pk}", {"name": "Maxim Makolkin", "turn": [turn.pk]}
    )

    assert response.status_code == 302
    new = Participant.objects.get(name="Maxim Makolkin")
    assert list(new.utterances.values_list("pk", flat=True)) == [turn.pk]
    assert list(new.participations.values_list("meeting_id", flat=True)) == [meeting.pk]
    assert surovikin.participations.filter(meeting=meeting).exists()
    assert list(surovikin.utterances.values_list("speaker_label", flat=True)) == [
        "Colonel General Sergei Surovikin"
    ]
    # An editor's correction: the next import (made to read the page again) keeps it. The
    # merge left "Maxim Makolkin" among Surovikin's aliases too, so the page's reading
    # differs from both the snapshot and the correction: a conflict, reported, correction kept.
    Meeting.objects.filter(pk=meeting.pk).update(source_hash="")
    assert save("en-56516.html").status in ("updated", "unchanged", "conflict")
    turn.refresh_from_db()
    assert turn.speaker_id == new.pk
    assert new.participations.filter(meeting=meeting).exists()


def test_split_needs_a_meeting_or_a_turn(admin_client):
    save("en-56516.html")
    surovikin = Participant.objects.get(name="Sergei Surovikin")
    url = reverse("admin:meetings_participant_split", args=[surovikin.pk])
    response = admin_client.post(url, {"name": "Somebody Else"})
    assert response.status_code == 200
    assert texts(response, ".errornote") == ["Choose at least one meeting or turn to move."]
    assert not Participant.objects.filter(name="Somebody Else").exists()
