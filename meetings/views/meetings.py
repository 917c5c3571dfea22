"""The home page: every meeting, filtered, searched, paginated, or exported whole
(``?format=json|csv``)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from meetings.filters import MeetingFilter
from meetings.languages import ui_language
from meetings.models import Meeting
from meetings.search import attach_snippets
from meetings.web.coverage import period_notice
from meetings.web.exports import EXPORT_FORMATS, export_response
from meetings.web.freshness import reads_aggregates
from meetings.web.merges import moved_filters_redirect
from meetings.web.pagination import paginate
from meetings.web.querystrings import canonical_query, feed_query, filter_chips

MEETINGS_PER_PAGE = 25


@reads_aggregates
def meeting_list(request: HttpRequest) -> HttpResponseBase:
    filterset = MeetingFilter(request.GET or None, queryset=Meeting.objects.all())
    valid = filterset.is_valid() if filterset.is_bound else True
    moved = None if valid else moved_filters_redirect(request, filterset.form.errors)
    if moved is not None:  # a merged-away person's id: the kept person's list
        return moved
    export_format = request.GET.get("format")
    if export_format in EXPORT_FORMATS:
        if not valid:
            return JsonResponse({"errors": filterset.form.errors.get_json_data()}, status=400)
        return export_response(request, filterset.qs, export_format)
    canonical = canonical_query(request, filterset) if valid and filterset.is_bound else None
    if canonical is not None:
        return redirect(f"{request.path}?{canonical}" if canonical else request.path)
    meetings = Meeting.objects.none()
    if valid:  # one row per event unless lang= picks a site (exports keep every version)
        one_site = filterset.is_bound and filterset.form.cleaned_data.get("lang")
        meetings = filterset.qs if one_site else filterset.qs.one_per_event(ui_language())
        meetings = meetings.for_list()
    searching = valid and filterset.searching
    ranked = searching and filterset.chosen_sort == "relevance"
    count = filterset.kept_event_count() if valid else None  # one person or country
    page = paginate(request, meetings, MEETINGS_PER_PAGE, ranked=ranked, count=count)
    if searching:
        attach_snippets(list(page.object_list), filterset.form.cleaned_data["q"].strip())
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "meetings": page.object_list,
            "filter_chips": filter_chips(request, filterset)
            if filterset.is_bound and valid
            else [],
            "feed_url": feed_query(request, "feed_meetings"),
            "follow_url": feed_query(request, "follow_meetings"),
            # A period the archive does not hold is "not in the archive", not 0 meetings.
            "coverage_notice": period_notice(
                filterset.form.cleaned_data, filterset.form.cleaned_data.get("lang") or None
            )
            if filterset.is_bound and valid
            else None,
        },
    )
