"""Coverage: which days of which site the archive holds, so a period it does not hold is
shown as "not in the archive", never as 0 meetings.

Every import records the days it saw (``meetings/importer/run.py``):

- a crawl, the days its walk through the site's news listing showed completely (from
  ``--since`` to ``--until``, less any day at a listing page that failed or was cut short);
- pages (saved files, or fetched by id or URL), the publication day of every page read,
  the skipped ones (domestic events, announcements) included: a day with a page is a day
  the mirror holds.

A day with pages but no diplomatic meeting is covered; a day no import ever saw is not. A
month counts as held when at least ``MONTH_MIN_DAYS`` of its days are covered (files hold
only days with pages: about 200 a year on en.kremlin.ru, so a month has 10 to 25, and a
stray page or two does not make a month held); a year when at least ``YEAR_MIN_MONTHS`` of
its months (up to today) are held. The migration that creates the table fills it from the
meetings already stored (``via = "existing"``); importing the files again records the rest.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

SITES = (("ru", "kremlin.ru"), ("en", "en.kremlin.ru"))
MONTH_MIN_DAYS = 3  # covered days that make a month held
YEAR_MIN_MONTHS = 6  # held months that make a year held (fewer when the year is not over)


class CoveredDay(models.Model):
    """One day of one site that an import saw (see the module's docstring)."""

    VIA = (
        ("crawl", _("crawl of the news listing")),
        ("pages", _("pages read")),
        ("existing", _("meetings already stored")),
    )

    site = models.CharField(_("site"), max_length=2, choices=SITES)
    day = models.DateField(_("day"))
    via = models.CharField(_("seen through"), max_length=8, choices=VIA)
    run = models.ForeignKey(
        "meetings.ImportRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first seen by"),
    )

    class Meta:
        verbose_name = _("covered day")
        verbose_name_plural = _("covered days")
        ordering = ("site", "day", "id")
        constraints = [
            # One row per site and day; also serves covered_days() and the monthly counts
            # (site = %s AND day BETWEEN ...).
            models.UniqueConstraint(fields=["site", "day"], name="covered_day_site_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.day:%Y-%m-%d}"


def record_days(site: str, days: Iterable[dt.date], via: str, run_id: int | None = None) -> int:
    """Record ``days`` of ``site`` as covered (days already recorded stay as they are)."""
    rows = [CoveredDay(site=site, day=day, via=via, run_id=run_id) for day in set(days)]
    CoveredDay.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def _rows(site: str | None):
    rows = CoveredDay.objects.all()
    return rows.filter(site=site) if site else rows


def covered_days(site: str | None, start: dt.date, end: dt.date) -> set[dt.date]:
    """The covered days from ``start`` to ``end`` (inclusive); ``site=None``: either site."""
    return set(_rows(site).filter(day__range=(start, end)).values_list("day", flat=True))


@dataclass(frozen=True)
class MonthCoverage:
    year: int
    month: int
    covered: int  # covered days
    days: int  # days in the month (up to today for the current one)

    @property
    def share(self) -> float:
        return self.covered / self.days if self.days else 0.0

    @property
    def held(self) -> bool:
        return self.covered >= min(MONTH_MIN_DAYS, self.days)


def _days_in(year: int, month: int, today: dt.date) -> int:
    first = dt.date(year, month, 1)
    last = min(dt.date(year, month, calendar.monthrange(year, month)[1]), today)
    return max((last - first).days + 1, 0)


def monthly_coverage(site: str | None, today: dt.date | None = None) -> list[MonthCoverage]:
    """Per month with any covered day, oldest first: how many of its days are covered (for
    the ``/coverage/`` page; a month without a row is not in the archive at all)."""
    today = today or dt.date.today()
    counts = (
        _rows(site)
        .annotate(year=ExtractYear("day"), month=ExtractMonth("day"))
        .values("year", "month")
        .annotate(covered=Count("day", distinct=True))
        .order_by("year", "month")
    )
    return [
        MonthCoverage(c["year"], c["month"], c["covered"], _days_in(c["year"], c["month"], today))
        for c in counts
    ]


def covered_years(site: str | None, today: dt.date | None = None) -> list[int]:
    """The years the archive holds for ``site`` (``site=None``: either), oldest first."""
    today = today or dt.date.today()
    held: dict[int, int] = {}
    for month in monthly_coverage(site, today):
        held[month.year] = held.get(month.year, 0) + month.held
    months_so_far = {year: 12 if year < today.year else today.month for year in held}
    return [
        year
        for year, count in sorted(held.items())
        if count >= min(YEAR_MIN_MONTHS, months_so_far[year])
    ]


def is_covered(site: str | None, year: int) -> bool:
    """Does the archive hold ``year`` of ``site``? (A year it does not hold has no count of
    meetings to show, not a count of 0.)"""
    return year in covered_years(site)


def backfill_from_meetings() -> int:
    """Every day a stored meeting is dated is covered (``via = "existing"``): for a database
    imported before coverage was recorded. Migration 0013 runs the same statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO meetings_coveredday (site, day, via)"
            " SELECT DISTINCT language, date, 'existing' FROM meetings_meeting"
            " ON CONFLICT DO NOTHING"
        )
        return cursor.rowcount
