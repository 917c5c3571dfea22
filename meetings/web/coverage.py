"""What the pages say about the periods the archive does not hold.

:mod:`meetings.models.coverage` records which days of which site imports saw; this module
turns that into what a reader is shown: a year of a timeline or of the search overview the
archive does not hold reads "not in the archive" instead of 0, a filtered list of a period
it does not hold says so instead of "No meetings match", and the frequency figures ("Meetings
per year", "Average gap") are computed over the held months only.

One small query per page, and only on the pages that show coverage (:func:`archive_coverage`:
the newest covered day's id, by primary key; the counts per site and month are kept under
it, so only the first page after an import counts them again). A database where no import
ever recorded coverage (``CoveredDay`` is empty) has nothing to say about holes: every
period is then treated as held, as before.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from meetings.models import Meeting
from meetings.models.coverage import YEAR_MIN_MONTHS, CoveredDay, MonthCoverage

HELD = "held"  # the archive holds the period
PARTLY = "partly"  # it holds some of its days, too few to call the period held
MISSING = "missing"  # no import ever saw a day of it


@dataclass(frozen=True)
class ArchiveCoverage:
    """The months of one site (or of either) that the archive holds, and those it has any
    day of. ``known`` is False when nothing was ever recorded: then everything is held."""

    known: bool
    held_months: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    seen_months: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    today: dt.date = field(default_factory=dt.date.today)

    def year_state(self, year: int) -> str:
        if not self.known:
            return HELD
        held = sum(1 for y, _m in self.held_months if y == year)
        so_far = 12 if year < self.today.year else max(self.today.month, 1)
        if held >= min(YEAR_MIN_MONTHS, so_far):
            return HELD
        return PARTLY if any(y == year for y, _m in self.seen_months) else MISSING

    def year_held(self, year: int) -> bool:
        return self.year_state(year) == HELD

    def missing_years(self, first: int, last: int) -> list[int]:
        """The years from ``first`` to ``last`` the archive does not hold."""
        return [year for year in range(first, last + 1) if not self.year_held(year)]

    def period_state(self, start: dt.date, end: dt.date) -> str:
        """Held when every month from ``start`` to ``end`` is held, missing when none is."""
        if not self.known:
            return HELD
        months = list(_months(start, end))
        held = sum(1 for month in months if month in self.held_months)
        if held == len(months):
            return HELD
        if held or any(month in self.seen_months for month in months):
            return PARTLY
        return MISSING

    def held_days(self, start: dt.date, end: dt.date) -> int:
        """The days from ``start`` to ``end`` (inclusive) that lie in held months."""
        if end < start:
            return 0
        if not self.known:
            return (end - start).days + 1
        total = 0
        for year, month in _months(start, end):
            if (year, month) not in self.held_months:
                continue
            first = max(dt.date(year, month, 1), start)
            last = min(dt.date(year, month, calendar.monthrange(year, month)[1]), end)
            total += (last - first).days + 1
        return total


def _month_days(year: int, month: int, today: dt.date) -> int:
    """The days of a month up to today (as :class:`MonthCoverage` counts them)."""
    first = dt.date(year, month, 1)
    last = min(dt.date(year, month, calendar.monthrange(year, month)[1]), today)
    return max((last - first).days + 1, 0)


def _months(start: dt.date, end: dt.date) -> Iterable[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def archive_coverage(site: str | None = None, today: dt.date | None = None) -> ArchiveCoverage:
    """What the archive holds of ``site`` (``None``: of either site)."""
    today = today or dt.date.today()
    rows = _monthly_counts(today)
    if not rows:
        return ArchiveCoverage(known=False, today=today)
    per_month: dict[tuple[int, int], int] = {}
    for row_site, year, month, covered in rows:
        if site is None or row_site == site:
            # Either site: a day is held when either site holds it; the larger count is a
            # lower bound of the union (the rule only asks for a few days).
            per_month[(year, month)] = max(per_month.get((year, month), 0), covered)
    months = [MonthCoverage(y, m, n, _month_days(y, m, today)) for (y, m), n in per_month.items()]
    return ArchiveCoverage(
        known=True,
        held_months=frozenset((m.year, m.month) for m in months if m.held),
        seen_months=frozenset((m.year, m.month) for m in months),
        today=today,
    )


_counted: tuple[tuple, list[tuple[str, int, int, int]]] | None = None  # (key, counts)


def _monthly_counts(today: dt.date) -> list[tuple[str, int, int, int]]:
    """The covered days per site and month. One query on the primary key (the newest
    recorded day's id: rows are only added, by imports, and ids are never reused, so it
    names the table's state) and the counts kept in this process under it; when it changes,
    one grouped query over the covered days (a few hundred rows of result, about 20,000
    read at 26 years of both sites). Kept per process rather than in the shared cache: a
    recreated database starts its ids again."""
    global _counted
    newest = CoveredDay.objects.aggregate(newest=Max("id"))["newest"]
    if newest is None:
        return []
    key = (connection.settings_dict["NAME"], newest, today)
    if _counted is not None and _counted[0] == key:
        return _counted[1]
    counts = (
        CoveredDay.objects.annotate(year=ExtractYear("day"), month=ExtractMonth("day"))
        .values_list("site", "year", "month")
        .annotate(covered=Count("day"))
        .order_by()
    )
    rows = [tuple(row) for row in counts]
    _counted = (key, rows)
    return rows


def mark_years(rows: Sequence[dict], coverage: ArchiveCoverage) -> list[dict]:
    """Timeline or overview rows (``year``, ``n``) with each year's ``coverage`` state; a year
    without meetings that the archive does not hold gets ``not_held`` (shown as "not in the
    archive", never as 0)."""
    for row in rows:
        row["coverage"] = coverage.year_state(row["year"])
        row["not_held"] = row["coverage"] != HELD and not row["n"]
        row["partly"] = row["coverage"] != HELD and bool(row["n"])
    return list(rows)


def meeting_frequency(
    first: dt.date | None, last: dt.date | None, events: int, coverage: ArchiveCoverage
) -> dict[str, Any]:
    """How often they meet, over the time the archive holds between the first and the last
    meeting only: meetings per year and the average gap in days. ``excluded_years``: the
    years in that span left out because the archive does not hold them."""
    if not first or not last or not events:
        return {"per_year": None, "average_gap_days": None, "excluded_years": []}
    # The span from the first meeting to the last, counting only days of held months (as
    # before when nothing is recorded: last - first).
    days = max(coverage.held_days(first, last) - 1, 0) or (last - first).days
    years = max(days / 365.25, 1.0)
    gap = round(days / (events - 1)) if events > 1 else None
    return {
        "per_year": round(events / years, 1),
        "average_gap_days": gap,
        "excluded_years": coverage.missing_years(first.year, last.year),
    }


def period_of(cleaned: Mapping[str, Any]) -> tuple[dt.date, dt.date] | None:
    """The period a list's or search's filters ask for (``year``, or ``date_from`` and
    ``date_to``), or None when they ask for none."""
    year = cleaned.get("year")
    start, end = cleaned.get("date_from"), cleaned.get("date_to")
    if year is not None:
        year = int(year)
        start = max(start or dt.date(year, 1, 1), dt.date(year, 1, 1))
        end = min(end or dt.date(year, 12, 31), dt.date(year, 12, 31))
        return (start, end) if start <= end else None
    if start is None and end is None:
        return None
    return (start or dt.date(1990, 1, 1), end or dt.date.today())


def period_notice(cleaned: Mapping[str, Any], site: str | None) -> dict[str, Any] | None:
    """For a list filtered to a period: whether the archive holds it (``state``) and the
    years of it that it does not hold. None when no period is asked for (no query then)."""
    period = period_of(cleaned)
    if period is None:
        return None
    coverage = archive_coverage(site)
    state = coverage.period_state(*period)
    if state == HELD:
        return None
    start, end = period
    return {
        "state": state,
        "start": start,
        "end": end,
        "one_year": start.year
        if (start, end) == (dt.date(start.year, 1, 1), dt.date(start.year, 12, 31))
        else None,
        "years": coverage.missing_years(start.year, end.year),
    }


CYRILLIC = re.compile("[\u0400-\u04ff]")
FEW = 0.2  # a site with less than this share of the meetings is "almost nothing"


def language_note(words: str, lang: str | None) -> dict[str, Any] | None:
    """For a search in Russian that found nothing: how little of the archive is Russian, so
    the page can say that almost everything imported is English (one query, on that page
    only). None when the search is not in Russian or the Russian pages are not few."""
    if lang == "en" or not (lang == "ru" or CYRILLIC.search(words)):
        return None
    counts = Meeting.objects.aggregate(total=Count("id"), ru=Count("id", filter=Q(language="ru")))
    if not counts["total"] or counts["ru"] >= FEW * counts["total"]:
        return None
    return {"ru": counts["ru"], "total": counts["total"], "en": counts["total"] - counts["ru"]}
