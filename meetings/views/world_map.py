"""``/map/``: meetings per country as a choropleth for a year range, with the same figures
as a table. The counts come from the kept views (:mod:`meetings.web.geomap`); the SVG is
drawn by the template with classes only, each country a ``<use>`` of its outline in
``/map/shapes.svg``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from meetings.models import Country
from meetings.web import geomap
from meetings.web.freshness import reads_aggregates
from meetings.web.viz_forms import VizForm, list_query


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
    shapes_url = f"{reverse('meetings:map_shapes')}?v={geomap.shapes_version()}"
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
        {"code": code, "href": f"{shapes_url}#{code}", "row": by_code.get(code)}
        for code in sorted(shapes.paths)
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


@require_safe
@cache_control(public=True, max_age=365 * 24 * 3600, immutable=True)
def map_shapes(request: HttpRequest) -> HttpResponse:
    """The outlines the map's ``<use>`` elements draw: the same bytes for the life of the
    process, so browsers keep them a year (the page's link carries their digest)."""
    return HttpResponse(geomap.shapes_svg(), content_type="image/svg+xml")
