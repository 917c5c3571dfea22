"""The browsing pages over real kremlin.ru pages imported from tests/fixtures/pages/."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.importer import run
from meetings.models import Country, Meeting, Participant, Utterance, aggregates
from tests.html import hrefs, one, select, text
from tests.real_pages import clear_archive

PAGES = Path(__file__).parent / "fixtures" / "pages"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def imported(django_db_setup, django_db_blocker):
    """Import the saved pages once for this module, and leave the database as found."""
    with django_db_blocker.unblock():
        countries = set(Country.objects.values_list("code", flat=True))
        run.import_paths([PAGES], workers=1)
        yield
        clear_archive(countries)


def test_every_meeting_page_shows_each_label_and_one_anchor_per_turn(client):
    meetings = Meeting.objects.annotate(n=Count("utterances")).order_by("-n")
    assert meetings.exists()
    for meeting in meetings:
        response = client.get(meeting.get_absolute_url())
        assert response.status_code == 200, meeting
        utterances = list(meeting.utterances.order_by("position"))
        anchors = [turn["id"] for turn in select(response, "article.turn")]
        assert anchors == [f"u-{u.position}" for u in utterances], meeting
        labels = [label.get_text() for label in select(response, "h4.turn__speaker")]
        assert labels == [u.speaker_label for u in utterances if u.speaker_label], meeting


def test_the_busiest_transcript_in_few_queries(client, django_assert_max_num_queries):
    busiest = Meeting.objects.annotate(n=Count("utterances")).order_by("-n").first()
    with django_assert_max_num_queries(10):
        response = client.get(busiest.get_absolute_url())
    assert len(select(response, "article.turn")) == busiest.n


def test_country_filter_and_export_agree(client):
    aggregates.ensure_fresh()  # as the views that read the aggregates do, once per request
    code = (
        Country.objects.with_meeting_stats()
        .order_by("-meeting_count")
        .values_list("code", flat=True)[0]
    )
    response = client.get(reverse("meetings:meeting_list"), {"country": code, "format": "json"})
    rows = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert rows and all(code in row["countries"] for row in rows)
    assert len(rows) == Meeting.objects.filter(country_links__country=code).count()
    html = client.get(reverse("meetings:meeting_list"), {"country": code})
    assert html.context["page_obj"].paginator.count == len(rows)


def test_year_range_filter_and_export_agree(client):
    year = Meeting.objects.values_list("date__year", flat=True).order_by("date")[0]
    params = {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31", "format": "csv"}
    body = b"".join(client.get(reverse("meetings:meeting_list"), params).streaming_content)
    lines = body.decode().splitlines()[1:]
    assert lines and all(f",{year}-" in line for line in lines)


def test_every_person_and_country_page_in_few_queries(client, django_assert_max_num_queries):
    aggregates.refresh()  # as the import does when it ends
    for person in Participant.objects.all():
        with django_assert_max_num_queries(10):
            assert client.get(person.get_absolute_url()).status_code == 200
    for country in Country.objects.filter(meeting_links__isnull=False).distinct():
        with django_assert_max_num_queries(11):
            assert client.get(country.get_absolute_url()).status_code == 200
    for url in ["meetings:person_list", "meetings:country_list"]:
        assert client.get(reverse(url)).status_code == 200


def test_search_finds_a_phrase_that_was_said(client):
    utterance = (
        Utterance.objects.filter(language="en").exclude(speaker_label="").order_by("-id").first()
    )
    phrase = " ".join(re.findall(r"[A-Za-z]+", utterance.text)[8:14])  # consecutive words
    response = client.get(reverse("meetings:search"), {"q": f'"{phrase}"'})
    targets = {(h.meeting_id, h.position) for h in response.context["page_obj"]}
    assert (utterance.meeting_id, utterance.position) in targets
    # The hit links to its turn with the words to mark (?hl=).
    link = re.escape(utterance.meeting.get_absolute_url()) + rf"\?hl=[^#]+#u-{utterance.position}"
    assert [href for href in hrefs(response, "a.hit__link") if re.fullmatch(link, href)]


# Share of voice (issue 10), counted here from the transcripts themselves -----------------


def words_by_speaker(meetings) -> Counter:
    """Words of each speaker (participant id, None when unresolved) in these meetings' turns,
    counted as the transcript legend counts them: the text split on whitespace."""
    said = Counter()
    for turn in Utterance.objects.filter(meeting__in=meetings).exclude(speaker_label=""):
        said[turn.speaker_id] += len(turn.text.split())
    return said


def rows_shown(response, heading: str) -> list[tuple[str, int, str]]:
    """(label, words, "n% of words") of each bar under the figure captioned ``heading``."""
    (figure,) = [
        f for f in select(response, "figure") if f.figcaption and text(f.figcaption) == heading
    ]
    return [
        (
            text(row.select_one(".overview__label")),
            int(row.select_one(".overview__count")["data-words"]),
            text(row.select_one(".overview__count")),
        )
        for row in figure.select("li")
    ]


def voice(response) -> str:
    """The sentence under "Share of voice" that counts the words."""
    return text(one(response, "#voice-heading").find_next_sibling("p"))


def test_person_share_of_voice_counts_every_word_of_their_meetings(client):
    aggregates.refresh()
    speakers = Participant.objects.filter(utterances__isnull=False, participations__isnull=False)
    assert speakers.exists()
    for person in speakers.distinct():
        said = words_by_speaker(Meeting.objects.filter(participations__participant=person))
        total, own = sum(said.values()), said[person.pk]
        response = client.get(person.get_absolute_url())
        share = round(100 * own / total)
        assert voice(response) == (
            f"In the meetings {person.display_name} took part in, {total:,} words were spoken; "
            f"{share}% of them were theirs."
        ), person
        rows = rows_shown(response, "Who spoke most in their meetings")
        assert (person.display_name, own, f"{share}% of words") in rows
        others = sorted(
            ((n, pk) for pk, n in said.items() if pk not in (None, person.pk)),
            key=lambda pair: (-pair[0], pair[1]),
        )[:8]
        names = dict(Participant.objects.values_list("pk", "name_en"))
        expected = sorted(  # most words first; the person first among equals
            [(person.display_name, own)] + [(names[pk], n) for n, pk in others],
            key=lambda row: -row[1],
        )
        assert [(label, n) for label, n, _ in rows[:-1]] == expected
        assert rows[-1][1] == total - own - sum(n for n, _ in others)  # the rest, unidentified too


def test_country_share_of_voice_by_side(client):
    aggregates.refresh()
    countries = Country.objects.filter(meeting_links__isnull=False).distinct()
    checked = 0
    for country in countries:
        said = words_by_speaker(Meeting.objects.filter(country_links__country=country))
        total = sum(said.values())
        response = client.get(country.get_absolute_url())
        if not total:
            assert not select(response, "#voice-heading")
            continue
        home = dict(Participant.objects.values_list("pk", "country_id"))
        russia = sum(n for pk, n in said.items() if pk and home[pk] == "RU")
        own = sum(n for pk, n in said.items() if pk and home[pk] == country.code)
        sides = rows_shown(response, "By side")
        expected = [russia, own] if country.code != "RU" else [own]
        expected.append(total - sum(expected))
        assert [n for _, n, _ in sides] == expected, country
        assert [text for _, _, text in sides] == [
            f"{round(100 * n / total)}% of words" for n in expected
        ]
        top = rows_shown(response, "Who spoke most")
        assert top[0][1] == max(n for pk, n in said.items() if pk)
        checked += 1
    assert checked


def test_one_person_or_country_lists_count_from_the_aggregates(client):
    aggregates.refresh()
    for person in Participant.objects.filter(participations__isnull=False).distinct()[:20]:
        response = client.get(reverse("meetings:meeting_list"), {"participant": person.pk})
        expected = Meeting.objects.with_participant(person).one_per_event("en").count()
        assert response.context["page_obj"].paginator.count == expected, person
    for code in Country.objects.filter(meeting_links__isnull=False).values_list("code", flat=True):
        response = client.get(reverse("meetings:meeting_list"), {"country": code})
        expected = Meeting.objects.with_countries([code]).one_per_event("en").count()
        assert response.context["page_obj"].paginator.count == expected, code
        with CaptureQueriesContext(connection) as counted:
            client.get(reverse("meetings:meeting_list"), {"country": code})
        assert not [q for q in counted.captured_queries if 'AS "__count"' in q["sql"]]
