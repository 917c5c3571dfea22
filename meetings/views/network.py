"""``/network/``: who met whom, as an SVG drawn on the server and the same figures as
tables (:mod:`meetings.network` reads the kept counts and lays the picture out)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from meetings import network
from meetings.models import Participant
from meetings.viz_forms import VizForm
from meetings.web.freshness import reads_aggregates


@require_safe
@reads_aggregates
def network_view(request: HttpRequest) -> HttpResponse:
    form = VizForm(request.GET, with_country=True)
    limit = _limit(request.GET.get("top"))
    if not form.is_valid():
        return render(request, "meetings/network.html", {"form": form}, status=400)
    filters = form.filters()
    nodes, edges = network.build(filters, limit)
    people = Participant.objects.in_bulk([n.pk for n in nodes])
    query = form.query()
    for node in nodes:
        node.person = people.get(node.pk)
        node.label = node.person.name if node.person else str(node.pk)
        node.centre_url = form.query(person=str(node.pk))
    by_pk = {n.pk: n for n in nodes}
    for edge in edges:
        edge.left, edge.right = by_pk[edge.a], by_pk[edge.b]
    more = next((n for n in network.LIMITS if n > limit), None)
    return render(
        request,
        "meetings/network.html",
        {
            "form": form,
            "filters": filters,
            "nodes": nodes,
            "labelled": sorted(nodes, key=lambda n: (-n.meetings, n.pk))[:15],
            "edges": sorted(edges, key=lambda e: (-e.meetings, e.a, e.b)),
            "width": network.WIDTH,
            "height": network.HEIGHT,
            "limit": limit,
            "more_url": form.query(top=str(more)) if more and len(nodes) >= limit else "",
            "query": query,
            "centre": people.get(filters.person) if filters.person else None,
        },
    )


def _limit(value: str | None) -> int:
    """The number of people drawn: one of ``network.LIMITS`` (anything else: the first)."""
    try:
        number = int(value or "")
    except ValueError:
        return network.LIMITS[0]
    return number if number in network.LIMITS else network.LIMITS[0]
