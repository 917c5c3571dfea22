"""``/differences/``: events whose Russian and English versions differ, newest first, from
the counts kept per event (:mod:`meetings.differences`)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from meetings import differences

PER_PAGE = 50


@require_safe
def difference_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(differences.listed(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "meetings/difference_list.html", {"page_obj": page})
