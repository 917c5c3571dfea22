"""Imported text is clean: no control character (tab and newline aside) and, in titles, names,
labels and roles, no bidi override/embedding/isolate control; existing rows are fixed by the
data migration, and a feed listing such a row no longer fails."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.urls import reverse

from meetings.importer import run
from meetings.importer.pages import parse_bytes
from meetings.importer.text import clean_record, strip_unprintable
from meetings.models import Meeting
from tests.factories import add_participant, make_meeting, make_participant
from tests.test_import import PAGES

REAL = PAGES / "en-62562.html"
TITLE = b'itemprop="name">Russian-German talks'


def test_strip_unprintable_keeps_tab_newline_and_text():
    assert strip_unprintable("a\x01b\tc\nd\x7fe\x9ff") == "ab\tc\nd" + "ef"
    assert strip_unprintable("Putin\u202e nitup\u2066x\u2069") == "Putin nitupx"
    assert strip_unprintable("\u202eabc", bidi=False) == "\u202eabc"


def test_clean_record_reaches_nested_fields():
    from meetings.importer.records import ParsedParticipant

    person = ParsedParticipant(name="A\u202eB", role="Pre\x01sident", aliases=["A\u202dB"])
    assert clean_record(person) == ParsedParticipant(name="AB", role="President", aliases=["AB"])


def test_a_control_character_entity_in_the_title_is_not_imported():
    page = REAL.read_bytes().replace(
        TITLE, b'itemprop="name">Russian-German&#1; talks\xe2\x80\xae', 1
    )
    record = parse_bytes(page, source="p.html").record
    assert record.title == "Russian-German talks"


@pytest.mark.django_db
def test_feed_survives_a_title_with_a_control_character_imported_from_a_page(tmp_path, client):
    page = REAL.read_bytes().replace(TITLE, b'itemprop="name">Russian-German&#1; talks', 1)
    path = tmp_path / "en-62562.html"
    path.write_bytes(page)
    assert run.import_paths([path]).created == 1
    assert "\x01" not in Meeting.objects.get().title
    assert client.get(reverse("feed_meetings")).status_code == 200


@pytest.mark.django_db
def test_migration_cleans_existing_rows_and_the_feed_renders_again(client):
    meeting = make_meeting(title="Talks\x01 with \u202eFrance", countries=("FR",))
    person = make_participant("Emmanuel\x02 Macron", aliases=["Emmanuel\u202e Macron", "Macron"])
    add_participant(meeting, person, role="President\x1f of France")

    migration = importlib.import_module("meetings.migrations.0005_importrun_clean_text")
    migration.clean(None, connection.schema_editor())

    meeting.refresh_from_db()
    person.refresh_from_db()
    assert meeting.title == "Talks with France"
    assert (person.name, person.aliases) == ("Emmanuel Macron", ["Emmanuel Macron", "Macron"])
    assert meeting.participations.get().role == "President of France"
    assert client.get(reverse("feed_meetings")).status_code == 200


def test_signed_document_links_are_kept_only_for_kremlin_ru():
    from meetings.importer.parse import _supplement_link

    assert _supplement_link("http://en.kremlin.ru/supplement/3477") == 3477
    assert _supplement_link("/supplement/3477") == 3477
    assert _supplement_link("https://kremlin.ru/supplement/12") == 12
    assert _supplement_link("http://evil.example/supplement/3477") is None
    assert _supplement_link("http://kremlin.ru.evil.example/supplement/1") is None


def test_a_foreign_supplement_link_on_a_page_is_not_a_signed_document():
    page = (PAGES / "en-27054.html").read_bytes()
    assert b"http://en.kremlin.ru/supplement/3477" in page
    kept = parse_bytes(page, source="p.html").record
    assert 3477 in kept.supplement_ids
    moved = page.replace(
        b"http://en.kremlin.ru/supplement/3477", b"http://evil.example/supplement/3477"
    )
    record = parse_bytes(moved, source="p.html").record
    assert 3477 not in record.supplement_ids
    assert all("evil.example" not in d.url for d in record.documents)
