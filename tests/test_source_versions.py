"""Source versions (issue 18): every distinct text of an imported page kept, only changes
stored, the import saying ``updated (source changed)``, the versions page's turn-by-turn
diff, the meeting page's note, the changes feed and ``import_meetings --recheck``.

The changed pages are BUILT: the real en.kremlin.ru page tests/fixtures/pages/en-62562.html
(Russian-German talks, 2020) with one word of one turn edited, or its lead reworded, as
kremlin.ru edits published transcripts; the live re-check serves the real page, then the
edited one, from a local HTTP server.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings.importer import run, versions
from meetings.models import Meeting
from meetings.models.versions import SourceCheck, SourceVersion
from meetings.versions_diff import DEL, INS, SAME, Piece, diff, word_diff
from tests import test_import_live as live

PAGE = Path(__file__).parent / "fixtures" / "pages" / "en-62562.html"
FIRST_TURN = "Madam Federal Chancellor,"

pytestmark = pytest.mark.django_db

NEWS = live.NEWS
# The live-import tests' fixtures: a local en.kremlin.ru, and no internet (autouse).
local_site, _no_internet_fixture = live.site, live.no_internet


def edited_page(tmp_path: Path, name: str = "en-62562.html") -> Path:
    """The real page with one word added to Putin's first turn (built, see the docstring)."""
    html = PAGE.read_text(encoding="utf-8")
    assert FIRST_TURN in html
    folder = tmp_path / name.removesuffix(".html")
    folder.mkdir()
    path = folder / name
    path.write_text(html.replace(FIRST_TURN, "Madam Federal Chancellor, dear friend,", 1), "utf-8")
    return path


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("import_meetings", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_first_import_keeps_one_version_and_schedules_a_check():
    run.import_paths([PAGE], workers=1)
    meeting = Meeting.objects.get(kremlin_id=62562)
    (version,) = meeting.source_versions.all()
    assert version.number == 1
    assert version.content["title"] == meeting.title
    assert version.content["turns"][1]["text"].startswith(FIRST_TURN)
    check = SourceCheck.objects.get(meeting=meeting)
    assert check.changes == 0
    assert check.next_check_at > check.checked_at


def test_changed_page_is_a_new_version_and_the_output_says_so(tmp_path):
    command(str(PAGE))
    out = command(str(edited_page(tmp_path)))
    assert "updated (source changed): en/62562" in out
    meeting = Meeting.objects.get(kremlin_id=62562)
    assert list(meeting.source_versions.values_list("number", flat=True)) == [1, 2]
    assert SourceCheck.objects.get(meeting=meeting).changes == 1


def test_same_text_in_other_bytes_stores_nothing(tmp_path):
    command(str(PAGE))
    copy = tmp_path / "en-62562.html"
    copy.write_text(PAGE.read_text(encoding="utf-8") + "\n<!-- saved again -->\n", "utf-8")
    out = command(str(copy))
    assert "source changed" not in out
    assert SourceVersion.objects.count() == 1


def test_editors_correction_is_never_a_source_version(client, admin_user):
    command(str(PAGE))
    meeting = Meeting.objects.get(kremlin_id=62562)
    meeting.title = "Russian–German talks (corrected by an editor)"
    meeting.save()
    command(str(PAGE))  # re-import: the correction is kept, the source did not change
    assert SourceVersion.objects.filter(meeting=meeting).count() == 1
    meeting.refresh_from_db()
    assert meeting.title.endswith("(corrected by an editor)")
    page = client.get(reverse("meetings:meeting_versions", args=["en", 62562]))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select(".versions__change") == []


def test_versions_page_shows_the_edited_turn_with_word_marks(client, tmp_path):
    command(str(PAGE))
    command(str(edited_page(tmp_path)))
    page = client.get(reverse("meetings:meeting_versions", args=["en", 62562]))
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    (turn,) = soup.select(".versions__turn")
    assert "versions__turn--edited" in turn["class"]
    assert [ins.get_text().strip(" ,") for ins in turn.select("ins")] == ["dear friend"]
    assert turn.select("del") == []
    assert [li["id"] for li in soup.select(".versions__list li")] == ["v1", "v2"]


def test_meeting_page_says_changed_since_first_published(client, tmp_path):
    command(str(PAGE))
    url = reverse("meetings:meeting_detail", args=["en", 62562])
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    assert soup.select(".versions__note") == []
    command(str(edited_page(tmp_path)))
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    (note,) = soup.select(".versions__note")
    assert "Changed since first published" in note.get_text()
    assert note.find("a")["href"] == reverse("meetings:meeting_versions", args=["en", 62562])
    assert len(note.select("time[datetime]")) == 2


def test_changes_feed_lists_changed_meetings_only(client, tmp_path):
    command(str(PAGE), str(PAGE.with_name("en-62936.html")))
    command(str(edited_page(tmp_path)))
    feed = BeautifulSoup(client.get(reverse("meetings:feed_changes")).content, "xml")
    entries = feed.find_all("entry")
    assert [e.find("id").get_text() for e in entries] == ["en/62562/v2"]
    assert entries[0].find("link")["href"].endswith("/meetings/en/62562/versions/#v2")


def test_word_diff_marks_inserted_and_deleted_words():
    assert word_diff("We discussed trade.", "We discussed energy and trade.") == [
        Piece(SAME, "We discussed "),
        Piece(INS, "energy and "),
        Piece(SAME, "trade."),
    ]
    assert word_diff("a b", "a c") == [Piece(SAME, "a "), Piece(DEL, "b"), Piece(INS, "c")]


def test_diff_tells_turns_added_removed_and_edited_and_the_fields():
    turn = lambda speaker, text: {"speaker": speaker, "kind": "speech", "text": text}  # noqa: E731
    old = {
        "title": "Talks",
        "lead": "A lead.",
        "participants": ["Olaf Scholz"],
        "turns": [turn("Putin", "Good afternoon, colleagues."), turn("Scholz", "Thank you.")],
    }
    new = {
        "title": "Russian-German talks",
        "lead": "A lead.",
        "participants": ["Olaf Scholz", "Sergei Lavrov"],
        "turns": [
            turn("Putin", "Good afternoon, dear colleagues."),
            turn("Lavrov", "One remark."),
        ],
    }
    result = diff(old, new)
    assert [f.name for f in result.fields] == ["title"]
    assert result.participants_added == ["Sergei Lavrov"]
    assert [(t.status, t.speaker) for t in result.turns] == [
        ("edited", "Putin"),
        ("removed", "Scholz"),
        ("added", "Lavrov"),
    ]
    assert result.counts == {"added": 1, "removed": 1, "edited": 1}


@pytest.mark.parametrize(
    ("age_days", "every"), [(0, 1), (30, 1), (31, 7), (364, 7), (365, 30), (4000, 30)]
)
def test_recheck_schedule_decays_daily_weekly_monthly(age_days, every):
    now = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    event = now.date() - dt.timedelta(days=age_days)
    assert versions.next_check(event, now) - now == dt.timedelta(days=every)


def test_recheck_fetches_due_pages_again_and_keeps_the_edited_turn(local_site, tmp_path, client):
    """The local site serves the real page, then (as kremlin.ru edits it) the edited one."""
    site = local_site
    out = command("--id", "62562", "--lang", "en", "--delay", "0")
    assert "created 1," in out
    meeting = Meeting.objects.get(kremlin_id=62562)
    # Not due yet: nothing is fetched.
    out = command("--recheck", "--delay", "0")
    assert site.event_hits() == [f"{NEWS}/62562"]
    # Due: fetched afresh (not from the raw page cache), and the edit is a new version.
    SourceCheck.objects.filter(meeting=meeting).update(next_check_at=timezone.now())
    site.routes[f"{NEWS}/62562"] = edited_page(tmp_path).read_bytes()
    out = command("--recheck", "--delay", "0")
    assert "updated (source changed): en/62562" in out
    assert site.event_hits() == [f"{NEWS}/62562"] * 2
    check = SourceCheck.objects.get(meeting=meeting)
    assert check.changes == 1
    assert check.next_check_at - check.checked_at == dt.timedelta(days=30)  # a 2020 page
    page = client.get(reverse("meetings:meeting_versions", args=["en", 62562]))
    soup = BeautifulSoup(page.content, "html.parser")
    edited = soup.select(".versions__turn--edited ins")
    assert [ins.get_text().strip(" ,") for ins in edited] == ["dear friend"]
    # Served again unchanged: checked, no new version.
    SourceCheck.objects.filter(meeting=meeting).update(next_check_at=timezone.now())
    out = command("--recheck", "--delay", "0")
    assert "source changed" not in out
    assert meeting.source_versions.count() == 2


def test_recheck_limit_must_be_positive():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="recheck-limit"):
        command("--recheck", "--recheck-limit", "0")


def test_versions_page_of_an_unknown_meeting_is_404(client):
    assert client.get(reverse("meetings:meeting_versions", args=["en", 1])).status_code == 404


def test_kept_text_is_what_the_reader_sees():
    run.import_paths([PAGE], workers=1)
    content = SourceVersion.objects.get().content
    meeting = Meeting.objects.get(kremlin_id=62562)
    texts = [t["text"] for t in content["turns"]]
    assert texts == list(meeting.utterances.order_by("position").values_list("text", flat=True))
    assert re.search(r"Merkel", " ".join(content["participants"]))


def test_same_page_read_by_a_newer_parser_is_renormalised_not_a_change(monkeypatch):
    run.import_paths([PAGE], workers=1)
    version = SourceVersion.objects.get()
    # As an older parser would have left it: another normalisation of the same bytes.
    SourceVersion.objects.filter(pk=version.pk).update(text_hash="0" * 64, content={})
    monkeypatch.setattr("meetings.importer.save.parser_fingerprint", lambda: "a newer parser")
    summary = run.import_paths([PAGE], workers=1)
    assert summary.source_changed == []
    (again,) = SourceVersion.objects.all()
    assert again.text_hash == version.text_hash
    assert again.content == version.content


def test_versions_page_reads_a_fixed_number_of_queries(client, tmp_path, django_assert_num_queries):
    command(str(PAGE))
    command(str(edited_page(tmp_path)))
    with django_assert_num_queries(2):
        client.get(reverse("meetings:meeting_versions", args=["en", 62562]))
