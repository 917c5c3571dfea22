"""Coverage (``meetings/models/coverage.py``): which days of which site the archive holds, recorded
by imports of real saved pages (crawls are in ``test_import_live.py``)."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.importer import run
from meetings.models import Meeting, coverage
from meetings.models.coverage import CoveredDay, covered_days, covered_years, is_covered
from tests.test_import import DOMESTIC, PAGES, copy_pages
from tests.test_import_outcomes import announcement_of, write

pytestmark = pytest.mark.django_db
D = dt.date

MARCH_2017 = ("en-54043.html", "en-54059.html", "en-54119.html", "en-54150.html")


def test_an_import_of_files_covers_the_day_of_every_page_read_skipped_ones_too(tmp_path):
    folder = copy_pages(tmp_path, *MARCH_2017, DOMESTIC)
    write(folder, "announce.html", announcement_of((PAGES / "en-62562.html").read_bytes()))
    summary = run.import_paths([folder], run.Options())
    assert (summary.created, summary.skipped) == (4, 2)  # the domestic page, the announcement

    assert covered_days("en", D(2000, 1, 1), D(2030, 1, 1)) == {
        D(2017, 3, 15), D(2017, 3, 17), D(2017, 3, 28), D(2017, 3, 30),
        D(2013, 4, 15),  # domestic: skipped, but the mirror holds that day
        D(2020, 1, 11),  # the announcement's day
    }  # fmt: skip
    assert covered_days("ru", D(2000, 1, 1), D(2030, 1, 1)) == set()
    assert set(CoveredDay.objects.values_list("via", flat=True)) == {"pages"}


def test_a_dry_run_records_no_coverage(tmp_path):
    folder = copy_pages(tmp_path, *MARCH_2017)
    run.import_paths([folder], run.Options(dry_run=True))
    assert not CoveredDay.objects.exists()


def test_months_and_years_are_held_only_with_enough_days(tmp_path):
    run.import_paths([copy_pages(tmp_path, *MARCH_2017, "en-53964.html")], run.Options())
    months = {(m.year, m.month): m for m in coverage.monthly_coverage("en")}
    assert (months[2017, 3].covered, months[2017, 3].days, months[2017, 3].held) == (4, 31, True)
    assert (months[2017, 2].covered, months[2017, 2].held) == (1, False)  # one stray page
    assert covered_years("en") == []  # one held month is not a year

    first_half = [D(2016, 1, 1) + dt.timedelta(days=n) for n in range(182)]
    coverage.record_days("en", first_half, "crawl")
    assert covered_years("en") == [2016]
    assert is_covered("en", 2016) and not is_covered("en", 2017) and not is_covered("ru", 2016)
    assert covered_years(None) == [2016]  # either site


def test_the_year_so_far_is_held_on_the_months_it_has_had():
    today = D(2021, 2, 10)
    coverage.record_days("ru", [D(2021, 1, 1) + dt.timedelta(days=n) for n in range(41)], "crawl")
    assert covered_years("ru", today=today) == [2021]
    feb = coverage.monthly_coverage("ru", today=today)[-1]
    assert (feb.month, feb.covered, feb.days) == (2, 10, 10)


def test_backfill_covers_the_days_of_stored_meetings(tmp_path):
    run.import_paths([copy_pages(tmp_path, *MARCH_2017)], run.Options())
    CoveredDay.objects.all().delete()  # a database imported before coverage was recorded
    assert coverage.backfill_from_meetings() == 4
    days = set(Meeting.objects.values_list("date", flat=True))
    assert covered_days("en", D(2017, 1, 1), D(2017, 12, 31)) == days
    assert coverage.backfill_from_meetings() == 0  # idempotent
