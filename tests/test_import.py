"""Importing saved kremlin.ru pages into the database: the command and the plain functions.

Real pages from ``tests/fixtures/pages`` (copied from the shared corpus) on real PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from meetings.importer import run
from meetings.models import (
    Country,
    Meeting,
    MeetingCountry,
    Participant,
    Participation,
    SignedDocument,
    Utterance,
)

PAGES = Path(__file__).parent / "fixtures" / "pages"
SEED = PAGES / "ru-copy-677488171.txt"
MOSCOW = ZoneInfo("Europe/Moscow")
DOMESTIC = "en-17896.html"  # "Working meeting with Prime Minister Dmitry Medvedev"

pytestmark = pytest.mark.django_db


def copy_pages(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(PAGES / name, folder / name)
    return folder


def row_counts() -> dict[str, int]:
    models = (Meeting, MeetingCountry, Participant, Participation, Utterance, SignedDocument)
    return {m.__name__: m.objects.count() for m in models}


def command(*args: str) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_meetings", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- the seed case, end to end ------------------------------------------------------------------


def test_seed_text_version_lands_in_the_database():
    out, _ = command(str(SEED))
    assert "created 1," in out

    meeting = Meeting.objects.get(kremlin_id=67748, language="ru")
    assert meeting.starts_at == dt.datetime(2022, 2, 10, 17, 45, tzinfo=MOSCOW)
    assert meeting.starts_at.utcoffset() is not None  # stored aware
    assert meeting.date == dt.date(2022, 2, 10)
    assert meeting.place == "Москва, Кремль"
    assert list(meeting.countries.values_list("code", flat=True)) == ["KZ"]
    people = [(p.participant.name, p.participant.country_id) for p in meeting.participations.all()]
    assert people == [("Владимир Путин", "RU"), ("Касым-Жомарт Токаев", "KZ")]
    tokayev = Participant.objects.get(name="Касым-Жомарт Токаев")
    assert "К.-Ж.Токаев" in tokayev.aliases
    assert meeting.participations.get(participant=tokayev).role == "Президент Казахстана"

    turns = list(meeting.utterances.in_order())
    speech = [u for u in turns if u.kind == "speech"]
    assert [(u.speaker_label, u.speaker.name) for u in speech[:2]] == [
        ("В.Путин", "Владимир Путин"),
        ("К.-Ж.Токаев", "Касым-Жомарт Токаев"),
    ]
    assert speech[0].section == "Начало российско-казахстанских переговоров"
    assert speech[0].text.startswith("Уважаемый Касым-Жомарт Кемелевич!")
    assert "\n" in speech[0].text  # paragraphs kept
    after = turns[turns.index(speech[1]) + 1]
    assert after.kind == "omission" and after.speaker_label == ""
    assert {u.language for u in turns} == {"ru"}  # picks the Russian search stemmer


def test_english_talks_with_transcript():
    command(str(PAGES / "en-62562.html"))
    meeting = Meeting.objects.get(kremlin_id=62562, language="en")
    assert meeting.title == "Russian-German talks"
    assert meeting.kind == "talks"
    assert list(meeting.countries.values_list("code", flat=True)) == ["DE"]
    merkel = Participant.objects.get(kremlin_person_id=55)
    assert merkel.name == "Angela Merkel" and merkel.country_id == "DE"
    assert meeting.participations.get(participant=merkel).role == "Federal Chancellor of Germany"
    assert meeting.utterances.filter(speaker=merkel).exists()
    assert meeting.source_hash and meeting.imported["fields"]["title"] == "Russian-German talks"


def test_participants_resolve_across_meetings(tmp_path):
    folder = copy_pages(tmp_path, "en-62562.html", "en-62752.html", "en-62936.html")
    run.import_paths([folder])
    putins = Participant.objects.filter(name="Vladimir Putin")
    assert putins.count() == 1
    assert putins.get().participations.count() == 3


def test_print_version_updates_the_same_meeting(tmp_path):
    command(str(PAGES / "en-62562.html"), str(PAGES / "en-print-62562.html"))
    assert Meeting.objects.filter(kremlin_id=62562).count() == 1


def test_counterpart_linked_both_ways(tmp_path):
    from tests.factories import make_meeting

    english = make_meeting(kremlin_id=67748, language="en", title="Meeting with Tokayev")
    command(str(SEED))
    russian = Meeting.objects.get(kremlin_id=67748, language="ru")
    english.refresh_from_db()
    assert russian.counterpart == english
    assert english.counterpart == russian


@pytest.mark.parametrize("russian_first", [True, False])
def test_counterparts_point_at_each_other_whichever_version_comes_first(russian_first):
    # The Russian page is SYNTHETIC (built from the real en-51266; real Russian HTML is not
    # available here), see fixtures/pages-bilingual/make_synthetic.py.
    pages = [PAGES / "en-51266.html", PAGES.parent / "pages-bilingual" / "ru-51266.html"]
    for page in reversed(pages) if russian_first else pages:
        assert run.import_paths([page]).failed == 0
    english = Meeting.objects.get(kremlin_id=51266, language="en")
    russian = Meeting.objects.get(kremlin_id=51266, language="ru")
    assert (english.counterpart_id, russian.counterpart_id) == (russian.pk, english.pk)


def test_a_missing_country_row_is_named_from_the_country_table_not_the_page():
    from meetings.importer.records import ParsedMeeting
    from meetings.importer.save import save_meeting

    Country.objects.filter(code="TR").delete()
    parsed = ParsedMeeting(
        kremlin_id=1,
        language="en",
        source_url="http://en.kremlin.ru/events/president/news/1",
        title="Talks with Ruritania and Turkey",
        date=dt.date(2020, 1, 1),
        countries=["QZ", "TR"],
        country_names={"QZ": "Ruritania", "TR": "the Turkish side"},
    )
    assert save_meeting(parsed, raw_hash="x").status == "created"
    turkey = Country.objects.get(code="TR")
    assert (turkey.name_en, turkey.name_ru) == ("Türkiye", "Турция")
    assert Country.objects.get(code="QZ").name_en == "QZ"  # nobody knows it: the code


# --- idempotency ---------------------------------------------------------------------------------


def test_second_import_changes_nothing(tmp_path, django_assert_max_num_queries):
    every_page = sorted(PAGES.iterdir())
    first = run.import_paths(every_page)
    assert first.failed == 0, first.failures
    assert first.created > 35
    before = row_counts()
    stamps = dict(Meeting.objects.values_list("pk", "last_imported_at"))

    second = run.import_paths(every_page)

    assert second.created == second.updated == second.conflicts == second.failed == 0
    assert second.unchanged == first.created + first.updated + first.unchanged
    assert second.skipped == first.skipped
    assert row_counts() == before
    assert dict(Meeting.objects.values_list("pk", "last_imported_at")) == stamps


def test_unchanged_page_costs_one_query(django_assert_num_queries):
    from meetings.importer.pages import parse_file
    from meetings.importer.save import save_meeting

    result = parse_file(str(PAGES / "en-62562.html"))
    save_meeting(result.record, raw_hash=result.raw_hash)
    with django_assert_num_queries(1):
        outcome = save_meeting(result.record, raw_hash=result.raw_hash)
    assert outcome.status == "unchanged"


def test_same_page_is_read_again_after_a_parser_change():
    command(str(PAGES / "en-62562.html"))
    meeting = Meeting.objects.get(kremlin_id=62562, language="en")
    # As an older parser would have left it: a worse title, written and remembered.
    snapshot = meeting.imported
    snapshot["fields"]["title"] = "Talks"
    snapshot["parser"] = "an-older-parser"
    Meeting.objects.filter(pk=meeting.pk).update(title="Talks", imported=snapshot)

    out, _ = command(str(PAGES / "en-62562.html"))

    assert "updated 1" in out
    meeting.refresh_from_db()
    assert meeting.title == "Russian-German talks"
    out, _ = command(str(PAGES / "en-62562.html"))
    assert "unchanged 1" in out


# --- bad input -----------------------------------------------------------------------------------


BAD_INPUTS = {
    "empty.html": b"",
    "truncated.html": (PAGES / "en-62562.html").read_bytes()[:700],
    "binary.html": bytes(range(256)) * 40,
    "not-an-event.html": b"<html><head><title>Hello</title></head><body><p>Hi</p></body></html>",
    "undecodable.txt": "Встреча\n2022-02-10 17:45:00\n".encode()[:-3] + b"\xff\xfe\xc3(" * 50,
}


def test_each_bad_input_gives_one_line_and_the_rest_imports(tmp_path):
    folder = copy_pages(tmp_path, "en-62562.html", "en-62936.html")
    for name, data in BAD_INPUTS.items():
        (folder / name).write_bytes(data)

    summary = run.import_paths([folder])

    assert summary.created == 2
    assert summary.failed == len(BAD_INPUTS)
    assert len(summary.failures) == len(BAD_INPUTS)
    for name in BAD_INPUTS:
        [line] = [x for x in summary.failures if x.startswith(str(folder / name) + ": ")]
        reason = line.split(": ", 1)[1]
        assert reason and "\n" not in reason and "Traceback" not in reason
    assert any("empty" in x for x in summary.failures if "empty.html" in x)
    assert any("binary" in x for x in summary.failures if "binary.html" in x)


def test_command_exits_non_zero_when_anything_failed(tmp_path):
    folder = copy_pages(tmp_path, "en-62562.html")
    (folder / "empty.html").write_bytes(b"")
    from io import StringIO

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 input"):
        call_command("import_meetings", str(folder), stdout=out, stderr=err)
    assert f"{folder / 'empty.html'}: " in err.getvalue()
    assert "created 1," in out.getvalue() and "failed 1" in out.getvalue()
    assert Meeting.objects.filter(kremlin_id=62562).exists()


def test_missing_path_is_a_failure(tmp_path):
    summary = run.import_paths([tmp_path / "nope.html"])
    assert summary.failures == [f"{tmp_path / 'nope.html'}: no such file or directory"]


def test_many_pages_parse_in_worker_processes(tmp_path):
    folder = copy_pages(tmp_path, *(p.name for p in sorted(PAGES.glob("en-6*.html"))))
    (folder / "empty.html").write_bytes(b"")
    count = len(list(folder.iterdir()))
    assert count >= run.PARALLEL_FROM
    summary = run.import_paths([folder], workers=2)
    assert summary.failed == 1
    assert summary.total == count
    assert Meeting.objects.count() == summary.created


# --- domestic events, dry run --------------------------------------------------------------------


def test_domestic_skipped_unless_asked():
    out, _ = command(str(PAGES / DOMESTIC))
    assert "skipped 1" in out
    assert not Meeting.objects.exists()
    out, _ = command("--include-domestic", str(PAGES / DOMESTIC))
    assert "created 1" in out
    assert Meeting.objects.get().is_domestic


def test_dry_run_writes_nothing(tmp_path):
    folder = copy_pages(tmp_path, "en-62562.html", "en-62936.html", DOMESTIC)
    out, _ = command("--dry-run", str(folder))
    assert "dry run" in out and "created 2" in out and "skipped 1" in out
    assert all(n == 0 for n in row_counts().values())
    command(str(folder))
    before = row_counts()
    out, _ = command("--dry-run", str(folder))
    assert "unchanged 2" in out
    assert row_counts() == before


# --- supplements → signed documents --------------------------------------------------------------

SUPPLEMENT_3762 = """<!doctype html><html lang="en"><head><meta charset="utf-8"/>
<meta property="og:url" content="http://en.kremlin.ru/supplement/3762"/></head><body>
<div class="read" data-href="http://en.kremlin.ru/supplement/3762">
<article class="read__in hentry" id="supplement-3762"><h1 class="entry-title">Documents signed
following Russian-Bulgarian talks</h1>
<time class="read__published" datetime="2003-03-03">March 3, 2003</time>
<div class="entry-content read__internal_content">
<p>1. Joint Declaration of the Russian Federation and the Republic of Bulgaria</p>
<p>2. Agreement between the Russian Federation and the Republic of Bulgaria on tourism</p>
</div></article></div></body></html>"""


@pytest.mark.parametrize("supplement_first", [False, True])
def test_supplement_documents_become_signed_documents(tmp_path, supplement_first):
    supplement = tmp_path / "supplement-3762.html"
    supplement.write_text(SUPPLEMENT_3762, encoding="utf-8")
    event = PAGES / "en-28260.html"  # links /supplement/3762
    order = [supplement, event] if supplement_first else [event, supplement]
    for path in order:
        summary = run.import_paths([path])
        assert summary.failed == 0, summary.failures

    meeting = Meeting.objects.get(kremlin_id=28260, language="en")
    docs = list(meeting.documents.order_by("position"))
    assert [d.kind for d in docs] == ["declaration", "agreement"]
    assert docs[0].title.startswith("Joint Declaration of the Russian Federation")
    assert {d.supplement_id for d in docs} == {3762}

    again = run.import_paths([supplement, event])
    assert again.unchanged == 2
    assert meeting.documents.count() == 2


def test_event_page_documents_saved(tmp_path):
    command(str(PAGES / "en-27796.html"))
    meeting = Meeting.objects.get(kremlin_id=27796)
    assert meeting.supplement_ids == [3547, 3548, 3549]
    assert [d.kind for d in meeting.documents.all()] == [
        "declaration",
        "declaration",
        "joint_statement",
    ]


# --- the sample ----------------------------------------------------------------------------------


def test_load_sample_only_into_an_empty_database(django_assert_max_num_queries):
    from io import StringIO

    call_command("load_sample", stdout=StringIO(), stderr=StringIO())
    count = Meeting.objects.count()
    assert count >= 40
    assert Meeting.objects.filter(kremlin_id=67748, language="ru").exists()
    codes = set(MeetingCountry.objects.values_list("country_id", flat=True))
    assert {"TR", "DE", "CN", "KZ"} <= codes
    with django_assert_max_num_queries(1):
        call_command("load_sample", stdout=StringIO(), stderr=StringIO())
    assert Meeting.objects.count() == count


def test_the_other_language_version_links_the_same_people():
    from meetings.importer.records import ParsedMeeting, ParsedParticipant, ParsedUtterance
    from meetings.importer.save import save_meeting

    command(str(SEED))
    english = ParsedMeeting(
        kremlin_id=67748,
        language="en",
        source_url="http://en.kremlin.ru/events/president/news/67748",
        title="Meeting with President of Kazakhstan Kassym-Jomart Tokayev",
        date=dt.date(2022, 2, 10),
        countries=["KZ"],
        participants=[
            ParsedParticipant(name="Vladimir Putin", role="President of Russia", country="RU"),
            ParsedParticipant(
                name="Kassym-Jomart Tokayev", role="President of Kazakhstan", country="KZ"
            ),
        ],
        utterances=[ParsedUtterance(1, "speech", "Thank you.", speaker_label="Tokayev", speaker=1)],
    )
    save_meeting(english, raw_hash="en")

    tokayev = Participant.objects.get(name="Касым-Жомарт Токаев")
    assert tokayev.name_en == "Kassym-Jomart Tokayev"
    assert "Kassym-Jomart Tokayev" in tokayev.aliases
    assert tokayev.participations.count() == 2
    assert Participant.objects.get(name="Владимир Путин").name_en == "Vladimir Putin"
    assert Participant.objects.count() == 2
    meeting = Meeting.objects.get(kremlin_id=67748, language="en")
    assert meeting.utterances.get().speaker == tokayev
    assert meeting.counterpart == Meeting.objects.get(kremlin_id=67748, language="ru")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "nothing to import"),
        (("--crawl",), "needs --since"),
        ((str(SEED), "--since", "2020-01-01"), "only apply to --crawl"),
        (("--crawl", "--since", "2020-02-01", "--until", "2020-01-01"), "before"),
        (("--crawl", "--since", "1.2.2020"), "not a date"),
    ],
)
def test_command_refuses_contradictory_options(args, message):
    with pytest.raises(CommandError, match=message):
        command(*args)
    assert not Meeting.objects.exists()


def test_content_changed_at_moves_only_when_the_page_says_something_new(tmp_path):
    # Feed readers show an entry again when its <updated> moves: a re-import that changes
    # nothing a reader sees must leave it alone; a changed page moves it.
    folder = copy_pages(tmp_path, "en-62562.html")
    command(str(folder))
    meeting = Meeting.objects.get(kremlin_id=62562, language="en")
    assert meeting.content_changed_at is None  # new: the meeting's own date stands

    command(str(folder))
    meeting.refresh_from_db()
    assert meeting.content_changed_at is None

    page = folder / "en-62562.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("</h1>", " (updated)</h1>", 1), encoding="utf-8"
    )
    command(str(folder))
    meeting.refresh_from_db()
    assert meeting.title.endswith("(updated)")
    assert meeting.content_changed_at is not None
    assert meeting.content_changed_at == meeting.last_imported_at
