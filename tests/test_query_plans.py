"""The hot queries are served by indexes, not by reading every meeting or utterance.

A test database is small, so PostgreSQL would rightly scan it; ``enable_seqscan = off`` makes
a sequential scan the plan of last resort, so one in the plan means no index can serve it.
Also: the stored search document follows title, lead and transcript through triggers.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.api.pagination import read_page
from meetings.filters import UtteranceSearchFilter
from meetings.importer.people.resolve import resolve_participants
from meetings.importer.records import ParsedParticipant
from meetings.models import (
    Country,
    CountrySpeaker,
    CountryYear,
    Meeting,
    Participant,
    PersonCoSpeaker,
    PersonCountry,
    PersonRole,
    PersonYear,
    SourceVersion,
    Utterance,
    aggregates,
)
from meetings.search import search_pass
from meetings.views.versions import ChangesFeed
from meetings.web.pagination import IdsFirstPaginator
from tests.factories import add_participant, make_meeting, make_participant, make_utterance

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    sql, params = queryset if isinstance(queryset, tuple) else queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def analyze(table: str) -> None:
    """Statistics for rows a test just wrote: the planner chooses as it would on the site."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


def seq_scans(text: str) -> list[str]:
    return [
        line.strip()
        for line in text.splitlines()
        if "Seq Scan on meetings_meeting " in line + " " or "Seq Scan on meetings_utterance" in line
    ]


@pytest.fixture
def meetings():
    putin = make_participant("Vladimir Putin")
    rows = []
    for n in range(30):
        meeting = make_meeting(
            kremlin_id=1000 + n, title=f"Talks number {n}", countries=("TR",) if n % 2 else ()
        )
        add_participant(meeting, putin)
        make_utterance(meeting, speaker=putin, speaker_label="Vladimir Putin", text="Gas pipeline")
        rows.append(meeting)
    return rows


def test_list_full_text_uses_the_stored_document(meetings):
    text = plan(Meeting.objects.search("pipeline").order_by("-rank", "-date"))
    assert not seq_scans(text), text
    assert "to_tsvector" not in text  # ranked from the stored vector, nothing recomputed


def test_filtered_list_and_search_page_use_indexes(meetings):
    for queryset in (
        Meeting.objects.with_countries(["TR"]).order_by("-date", "-starts_at", "-id"),
        Meeting.objects.filter(language="en").order_by("-date", "-id")[:25],
        Utterance.objects.search("pipeline"),
    ):
        text = plan(queryset)
        assert not seq_scans(text), text


def test_deep_page_offsets_over_ids_only(meetings):
    ids = Meeting.objects.order_by("-date", "-starts_at", "-id").values_list("pk", flat=True)
    text = plan(ids[20:25])
    assert "meeting_list_order_idx" in text, text
    assert "SubPlan" not in text  # no per-row count for the rows skipped


def test_ids_first_page_keeps_order_and_meaning(meetings):
    queryset = Meeting.objects.for_list().order_by("-date", "-starts_at", "-id")
    page = IdsFirstPaginator(queryset, 7).page(2)
    assert [m.pk for m in page.object_list] == [m.pk for m in queryset[7:14]]
    assert all(hasattr(m, "turn_count") for m in page.object_list)


def test_api_page_finds_its_keys_before_reading_rows(meetings):
    # A filtered list: the keys from the date index and the filter's, the counts per page row.
    queryset = Meeting.objects.for_list().with_countries(["TR"]).order_by("-date", "-id")
    keys = queryset.values_list("pk", flat=True)[:7]
    assert "SubPlan" not in plan(keys)  # no per-row count for the rows walked past
    page = read_page(queryset, 7)
    assert [m.pk for m in page] == [m.pk for m in queryset[:7]]
    assert [m.turn_count for m in page] == [m.turn_count for m in queryset[:7]]
    # By relevance: every match is ranked, but only ids are sorted, not the turns' texts.
    turns = Utterance.objects.search("pipeline").order_by("-rank", "-id")
    with CaptureQueriesContext(connection) as queries:
        page = read_page(turns, 5)
    assert [(t.pk, t.rank) for t in page] == [(t.pk, t.rank) for t in turns[:5]]
    ranking, rows = (query["sql"] for query in queries.captured_queries)
    assert '"text"' not in ranking and '"text"' in rows
    assert read_page(Utterance.objects.search("nowhere-to-be-found"), 5) == []


def test_search_document_follows_title_lead_and_transcript():
    meeting = make_meeting(kremlin_id=77, title="Talks", lead="")
    assert not Meeting.objects.search("hydrogen").exists()
    utterance = make_utterance(meeting, text="Hydrogen cooperation")
    assert list(Meeting.objects.search("hydrogen")) == [meeting]
    Utterance.objects.filter(pk=utterance.pk).update(text="Wheat exports")
    assert not Meeting.objects.search("hydrogen").exists()
    assert Meeting.objects.search("wheat").exists()
    Utterance.objects.filter(pk=utterance.pk).delete()
    assert not Meeting.objects.search("wheat").exists()
    meeting.lead = "Agreement on lunar stations"
    meeting.save()
    assert Meeting.objects.search("lunar").exists()


def test_title_ranks_above_transcript():
    in_title = make_meeting(kremlin_id=1, title="Nuclear energy talks")
    in_transcript = make_meeting(kremlin_id=2, title="Talks")
    make_utterance(in_transcript, text="We discussed nuclear energy at length.")
    ranked = list(Meeting.objects.search("nuclear").order_by("-rank"))
    assert ranked == [in_title, in_transcript]


ARCHIVE_TABLES = ("meetings_meeting ", "meetings_participation", "meetings_meetingcountry")


def test_person_country_and_picker_counts_read_only_the_aggregates(meetings):
    """Their cost does not grow with how often someone met: no archive table in the plan."""
    aggregates.refresh()
    putin = Participant.objects.get(name="Vladimir Putin")
    for queryset in (
        Country.objects.with_meeting_stats(),
        Participant.objects.with_event_counts().order_by("-meeting_count", "name", "id")[:50],
        PersonYear.objects.filter(participant=putin).order_by("year"),
        PersonRole.objects.filter(participant=putin).order_by("-last", "role", "language"),
        PersonCountry.objects.filter(participant=putin).order_by("-meetings"),
        PersonCoSpeaker.objects.filter(participant=putin).order_by("-words", "other_id")[:8],
        PersonCountry.objects.filter(country="TR", participant__country="TR"),
        CountryYear.objects.filter(country="TR").order_by("year"),
        CountrySpeaker.objects.filter(country="TR").order_by("-words", "speaker_id")[:8],
    ):
        text = plan(queryset)
        assert not [table for table in ARCHIVE_TABLES if table in text + " "], text
        assert "Seq Scan on meetings_person" not in text, text


def test_search_pass_finds_and_ranks_the_matches_once(meetings):
    # On bench100k the matches come from utterance_search_gin; on a test database's few rows
    # the planner may rightly reach them another way, so only a full scan is ruled out here.
    for query in ("q=pipeline", "q=pipeline&country=TR"):
        filterset = UtteranceSearchFilter(QueryDict(query))
        assert filterset.is_valid()
        text = plan(search_pass(filterset.qs, 0))
        assert not seq_scans(text), text
        assert text.count("CTE hits") == 1  # found and ranked once for page and overview


def test_source_versions_are_read_through_their_indexes(meetings):
    """The changes feed reads the partial index of changes (first versions, one per page,
    are not in it) instead of sorting every change; the import's latest-version lookup reads
    the (meeting, number) key."""
    now = timezone.now()
    SourceVersion.objects.bulk_create(
        SourceVersion(
            meeting=meeting,
            number=n,
            seen_at=now - dt.timedelta(days=n),
            raw_hash="r",
            text_hash=f"t{n}",
            content={},
        )
        for meeting in meetings
        for n in range(1, 21)
    )
    analyze("meetings_sourceversion")
    feed = plan(ChangesFeed().items())
    assert "sourceversion_seen_idx" in feed and "Seq Scan" not in feed, feed
    latest = plan(SourceVersion.objects.filter(meeting_id=1).order_by("-number")[:1])
    assert "sourceversion_number_uniq" in latest and "Seq Scan" not in latest, latest


def test_the_importers_person_lookup_reads_indexes(meetings):
    """Every saved page looks its people up by id, printed labels, surname key, and longer
    forms of their names (a prefix LIKE): each branch from an index, none by reading every
    person (0.5 ms a page at 2,000 people, growing with the archive)."""
    Participant.objects.bulk_create(
        Participant(name=f"Person {n} Example", name_key=f"xmpl{n}", aliases=[f"Person {n}"])
        for n in range(500)
    )
    analyze("meetings_participant")
    people = [
        ParsedParticipant(name="Angela Merkel", role="Federal Chancellor", country="DE"),
        ParsedParticipant(name="Vladimir Putin", country="RU", kremlin_id=1),
    ]
    with CaptureQueriesContext(connection) as queries:
        resolve_participants(people, "en")
    lookup = next(q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"])
    text = plan((lookup.replace("%", "%%"), ()))  # the captured SQL has its values inlined
    assert "Seq Scan on meetings_participant" not in text, text
    assert "participant_name_prefix_idx" in text, text
