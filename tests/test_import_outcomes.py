"""Every page of a real mirror has an outcome: imported, skipped with a reason, or one failure
line; the whole-mirror run exits 0 with ``failed 0``.

The announcement, stray-byte, oversized and deeply nested pages are built from real saved
pages (tests/fixtures/pages) by the smallest edit that makes them what the bulk mirror holds:
the bulk pages themselves are not committed.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.importer import pages, run
from meetings.models import ImportRun, Meeting
from tests.test_import import PAGES

pytestmark = pytest.mark.django_db

REAL = PAGES / "en-62562.html"
ARTICLE = b'<article class="read__in hentry h-entry"'


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_meetings", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def announcement_of(page: bytes) -> bytes:
    """The markup en.kremlin.ru gives announcements ("Announcement, October 24, 2017")."""
    assert page.count(b"read__in hentry h-entry") == 1
    page = page.replace(b"read__in hentry h-entry", b"read__in hentry h-entry announce")
    marker = b'<div class="entry-content'
    assert marker in page
    date = b'<div class="announce_date"><div class="width_limiter">Announcement, October 24, 2017'
    return page.replace(marker, date + b"</div></div>" + marker, 1)


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def test_announcement_is_skipped_with_its_reason_and_listed_at_v2(tmp_path):
    folder = tmp_path / "mirror"
    write(folder, "en-62562.html", REAL.read_bytes())
    write(folder, "announce.html", announcement_of(REAL.read_bytes()))
    report = tmp_path / "report.tsv"

    out, err = command(str(folder), "-v", "2", "--report", str(report))

    assert "created 1, updated 0, unchanged 0, skipped 1, conflicts 0, failed 0" in out
    assert f"skipped: {folder / 'announce.html'}: announcement" in out
    assert err == ""
    assert f"skipped\t{folder / 'announce.html'}: announcement\n" in report.read_text()


def test_skipped_pages_are_not_listed_at_the_default_verbosity(tmp_path):
    folder = tmp_path / "mirror"
    write(folder, "announce.html", announcement_of(REAL.read_bytes()))
    out, _ = command(str(folder))
    assert "skipped 1" in out
    assert "announcement" not in out


def test_a_stray_invalid_byte_is_replaced_with_a_warning(tmp_path):
    page = REAL.read_bytes()
    title = b'itemprop="name">Russian-German talks'
    assert title in page
    page = page.replace(title, b'itemprop="name">Russian-German\xff talks', 1)
    path = write(tmp_path / "mirror", "en-62562.html", page)

    out, err = command(str(path))

    assert "created 1," in out and "failed 0" in out
    assert err.startswith(f"warning: {path}: 1 invalid utf-8 byte sequence(s), first at byte ")
    assert Meeting.objects.get().kremlin_id == 62562


def test_text_in_another_encoding_still_fails_as_undecodable(tmp_path):
    path = write(tmp_path, "cp1251.html", "<html><body>Привет, мир</body></html>".encode("cp1251"))
    with pytest.raises(CommandError):
        command(str(path))


def test_other_site_pages_are_skipped_with_what_they_are():
    page = REAL.read_bytes()
    for url, reason in [
        ("http://en.kremlin.ru/events/president/news/62562/photos", "photo page"),
        ("http://en.kremlin.ru/events/president/news/62562/videos", "video page"),
        ("http://en.kremlin.ru/events/president/news", "listing page"),
    ]:
        result = pages.parse_bytes(page, source="p.html", url=url)
        assert (result.skipped, result.error, result.record) == (reason, "", None)


def test_an_unreadable_directory_is_a_failure_line(tmp_path, monkeypatch):
    folder = tmp_path / "mirror"
    write(folder, "en-62562.html", REAL.read_bytes())
    locked = folder / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path="."):  # root ignores chmod 000, so refuse the way the kernel would
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(CommandError, match="1 input"):
        out, err = command(str(folder))
    summary = run.import_paths([folder])
    assert summary.failures == [f"{locked}: cannot read directory: Permission denied"]


def test_a_page_above_the_size_limit_fails_with_that_reason(tmp_path):
    page = REAL.read_bytes()
    turn = b"<p><b>Vladimir Putin:</b> Thank you.</p>"
    padding = turn * (pages.MAX_PAGE_BYTES // len(turn) + 1)
    marker = b'itemprop="articleBody">'
    path = write(tmp_path, "huge.html", page.replace(marker, marker + padding, 1))

    summary = run.import_paths([path])

    assert summary.failed == 1
    assert summary.failures[0].startswith(f"{path}: page too large (")
    assert not Meeting.objects.exists()


def test_a_page_nested_too_deep_fails_instead_of_losing_turns(tmp_path):
    marker = b'itemprop="articleBody">'
    page = REAL.read_bytes().replace(marker, marker + b"<div>" * 200_000, 1)
    path = write(tmp_path, "deep.html", page)

    summary = run.import_paths([path])

    assert summary.failures == [f"{path}: page too deeply nested (elements more than 100 deep)"]


def test_a_save_error_is_one_line_and_the_traceback_only_at_v3(tmp_path, caplog):
    page = REAL.read_bytes().replace(b"62562", b"99999999999")  # beyond PostgreSQL's integer
    path = write(tmp_path, "big-id.html", page)

    with pytest.raises(CommandError):
        command(str(path))
    summary = run.import_paths([path])
    assert len(summary.failures) == 1
    assert "\n" not in summary.failures[0]
    assert "out of range" in summary.failures[0]

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_meetings", str(path), stdout=io.StringIO(), stderr=err)
    assert "Traceback" not in err.getvalue()
    assert len(err.getvalue().splitlines()) == 1
    assert not [r for r in caplog.records if r.exc_info]  # nor one logged to the console
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_meetings", str(path), "-v", "3", stdout=io.StringIO(), stderr=err)
    assert "Traceback" in err.getvalue()


def test_each_run_is_recorded(tmp_path):
    folder = tmp_path / "mirror"
    write(folder, "en-62562.html", REAL.read_bytes())
    write(folder, "announce.html", announcement_of(REAL.read_bytes()))
    command(str(folder))
    with pytest.raises(CommandError):
        command(str(tmp_path / "missing"))

    first, second = ImportRun.objects.order_by("started_at")
    assert (first.created, first.skipped, first.failed) == (1, 1, 0)
    assert first.finished_at >= first.started_at
    assert (second.failed, second.failures) == (
        1,
        f"{tmp_path / 'missing'}: no such file or directory",
    )
    assert ImportRun.objects.latest_finished() == second


def test_since_last_starts_a_day_before_the_newest_imported_date(tmp_path):
    import datetime as dt

    assert run.since_last(today=dt.date(2020, 5, 10)) == dt.date(2020, 5, 3)  # empty: a week
    run.import_paths([REAL])
    newest = Meeting.objects.get().date
    assert run.since_last() == newest - dt.timedelta(days=1)


def test_since_last_needs_crawl():
    with pytest.raises(CommandError, match="--since-last only applies to --crawl"):
        command("--since-last", "--id", "1")
