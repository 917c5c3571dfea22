"""``/map/``: meetings per country as a choropleth for a year range, with the same figures
as a table. The counts come from the kept views (:mod:`meetings.geomap`); the SVG is drawn
by the template from the shapes, with classes only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from meetings import geomap
from meetings.models import Country
from meetings.viz_forms import VizForm, list_query
from meetings.web.freshness import reads_aggregates


@require_safe
@reads_aggregates
def world_map(request: HttpRequest) -> HttpResponse:
    form = VizForm(request.GET)
    if not form.is_valid():
        return render(request, "meetings/map.html", {"form": form}, status=400)
    filters = form.filters()
    counts = geomap.country_counts(filters)
    ranges = geomap.bins(list(counts.values()))
    names = {code: country.name for code, country in Country.objects.in_bulk(list(counts)).items()}
    shapes = geomap.shapes()
    query = form.query()
    ordered = sorted(counts.items(), key=lambda item: (-item[1], names.get(item[0], item[0])))
    rows = [
        {
            "code": code,
            "name": names.get(code, code),
            "count": count,
            "bin": geomap.bin_of(count, ranges),
            "url": reverse("meetings:country_detail", args=[code]) + query,
            "list_url": reverse("meetings:meeting_list") + list_query(filters, code),
            "on_map": code in shapes.paths,
        }
        for code, count in ordered
    ]
    by_code = {row["code"]: row for row in rows}
    areas = [
        {"code": code, "paths": paths, "row": by_code.get(code)}
        for code, paths in sorted(shapes.paths.items())
    ]
    covered = geomap.covered_years()
    return render(
        request,
        "meetings/map.html",
        {
            "form": form,
            "view_box": shapes.view_box,
            "areas": areas,
            "rows": rows,
            "bins": ranges,
            "total": sum(counts.values()),
            "missing_years": geomap.missing_years(filters, covered),
            "filters": filters,
            "credit": geomap.SHAPES_CREDIT,
        },
    )
