"""The search page: turns matching the words, with their headlines and the overview
(hits per year, top speakers, top countries); or every match exported
(``?format=json|csv``). The search itself is :mod:`meetings.search`."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meetings.colors import speaker_colour
from meetings.filters import UtteranceSearchFilter
from meetings.models import Utterance
from meetings.search import (
    HIGHLIGHT_START,
    hit_url,
    search_results,
    whole_headlines,
    with_ellipses,
)
from meetings.web.coverage import archive_coverage, language_note, mark_years
from meetings.web.exports import EXPORT_FORMATS, turns_export_response
from meetings.web.freshness import reads_aggregates
from meetings.web.merges import moved_filters_redirect
from meetings.web.querystrings import canonical_query, feed_query, filter_chips


@reads_aggregates
def search(request: HttpRequest) -> HttpResponseBase:
    filterset = UtteranceSearchFilter(
        request.GET or None,
        queryset=Utterance.objects.select_related("meeting", "speaker").defer(
            "meeting__lead", "meeting__imported", "search_vector"
        ),
    )
    valid = filterset.is_bound and filterset.is_valid()
    moved = moved_filters_redirect(request, filterset.form.errors) if filterset.is_bound else None
    if moved is not None:  # a merged-away speaker's id: the kept person's passages
        return moved
    export_format = request.GET.get("format")
    if export_format in EXPORT_FORMATS:
        if not valid or not filterset.text:
            errors = filterset.form.errors.get_json_data() if filterset.is_bound else {}
            required = {"q": [{"message": _("Type some words to search."), "code": "required"}]}
            return JsonResponse({"errors": errors or required}, status=400)
        return turns_export_response(request, filterset.qs, export_format, "search")
    canonical = canonical_query(request, filterset) if valid else None
    if canonical is not None:
        return redirect(f"{request.path}?{canonical}" if canonical else request.path)
    page = overview = note = None
    if valid and filterset.text:
        page, overview = search_results(filterset, request.GET.get("page") or 1, request)
        if overview["years"]:  # a year the archive does not hold is not 0 passages
            site = filterset.form.cleaned_data.get("lang") or None
            mark_years(overview["years"], archive_coverage(site))
        if not page.paginator.count:  # Russian words in an archive of English pages
            note = language_note(filterset.text, filterset.form.cleaned_data.get("lang"))
        missing = [hit.pk for hit in page.object_list if HIGHLIGHT_START not in hit.headline]
        whole = whole_headlines(missing, filterset.text)
        for hit in page.object_list:
            hit.headline = with_ellipses(whole.get(hit.pk, hit.headline), hit.text)
            hit.colour = speaker_colour(hit.speaker_id or hit.speaker_label or None)
            hit.transcript_url = hit_url(hit.meeting, filterset.text, hit.position)
    return render(
        request,
        "meetings/search.html",
        {
            "filter": filterset,
            "page_obj": page,
            "overview": overview,
            "language_note": note,
            "filter_chips": filter_chips(request, filterset) if valid else [],
            "feed_url": feed_query(request, "feed_search") if page is not None else "",
            "follow_url": feed_query(request, "follow_search") if page is not None else "",
        },
    )
