"""The page a "Follow" link opens: what the feed holds, its address to paste into a feed
reader, and a link to the feed itself. A browser shows an Atom feed as raw XML (or offers to
download it); a reader who clicks "Follow" gets this page instead. Feed readers find the
feed through the list page's ``<link rel="alternate">``, or the address shown here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.filters import MeetingFilter, UtteranceSearchFilter
from meetings.models import Meeting, Utterance
from meetings.web.filter_labels import meetings_feed_title, search_feed_title
from meetings.web.querystrings import feed_params


def _page(request: HttpRequest, filterset, feed_route: str, page_route: str, title) -> HttpResponse:
    valid = filterset.is_valid()
    query = feed_params(request.GET).urlencode()
    feed_path = reverse(feed_route) + (f"?{query}" if query else "")
    page_path = reverse(page_route) + (f"?{query}" if query else "")
    return render(
        request,
        "meetings/follow.html",
        {
            "filter": filterset,
            "valid": valid,
            "title": title(filterset) if valid else "",
            "feed_url": request.build_absolute_uri(feed_path),
            "feed_path": feed_path,
            "page_path": page_path,
        },
        status=200 if valid else 400,
    )


def follow_meetings(request: HttpRequest) -> HttpResponse:
    """``/feeds/meetings/?<the list's filters>``: the landing page of that list's feed."""
    filterset = MeetingFilter(feed_params(request.GET), queryset=Meeting.objects.none())
    return _page(request, filterset, "feed_meetings", "meetings:meeting_list", meetings_feed_title)


def follow_search(request: HttpRequest) -> HttpResponse:
    """``/feeds/search/?q=…``: the landing page of a search's feed."""
    filterset = UtteranceSearchFilter(feed_params(request.GET), queryset=Utterance.objects.none())
    if filterset.is_valid() and not filterset.text:
        filterset.form.add_error("q", _("Type some words to search."))
    return _page(request, filterset, "feed_search", "meetings:search", search_feed_title)
