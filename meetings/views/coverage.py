"""``/coverage/``: per site and month, what the archive holds (the days imports saw)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats

from meetings.models.coverage import SITES, MonthCoverage, covered_years, monthly_coverage


def _site_table(site: str, today: dt.date) -> dict:
    """One site: a row per year from its first covered month to this year, a cell per month
    (its covered days, and whether the month counts as held)."""
    months = {(m.year, m.month): m for m in monthly_coverage(site, today)}
    held_years = set(covered_years(site, today))
    if not months:
        return {"years": [], "held_months": 0, "months": 0}
    first = min(year for year, _month in months)
    years = []
    for year in range(first, today.year + 1):
        cells = []
        for month in range(1, 13):
            cover: MonthCoverage | None = months.get((year, month))
            future = (year, month) > (today.year, today.month)
            state = (
                "future"
                if future
                else "held"
                if cover and cover.held
                else "partly"
                if cover
                else "missing"
            )
            cells.append({"month": month, "covered": cover.covered if cover else 0, "state": state})
        years.append({"year": year, "held": year in held_years, "cells": cells})
    return {
        "years": years,
        "held_months": sum(1 for m in months.values() if m.held),
        "months": len(months),
    }


def coverage(request: HttpRequest) -> HttpResponse:
    today = dt.date.today()
    month_names = [formats.date_format(dt.date(2000, m, 1), "M") for m in range(1, 13)]
    sites = [{"code": code, "host": host, **_site_table(code, today)} for code, host in SITES]
    return render(
        request,
        "meetings/coverage.html",
        {"sites": sites, "month_names": month_names},
    )
