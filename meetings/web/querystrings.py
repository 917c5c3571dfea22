"""What a list page's query string becomes: its canonical form, the feed of the same
filters, and the chips that remove one filter."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django.urls import reverse

from meetings.web.filter_labels import active_filters

FEED_DROPPED = ("page", "format", "sort")


def canonical_query(request: HttpRequest, filterset) -> str | None:
    """The query with what the pickers' plain inputs sent made canonical (a person's name
    made ``participant=<id>``, or ``speaker=<id>`` on the search page, country names made
    codes, empty values dropped), or None when it already is: bookmarks, feeds and chips
    then see one form of each filter. "" is the bare page (every value was empty)."""
    params = request.GET.copy()
    cleaned = filterset.form.cleaned_data
    sent = [value.strip().upper() for value in params.getlist("country") if value.strip()]
    empty = [key for key, values in params.lists() if not all(v.strip() for v in values)]
    # A name typed for a person, or a country by name: the filters change, so does the list.
    changed = bool(params.get("person", "").strip()) or sent != (cleaned.get("country") or [])
    if not changed and not empty:
        return None
    for key in empty:  # ?q=&date_from=&… as a form without JavaScript sends it
        kept = [value for value in params.getlist(key) if value.strip()]
        if kept:
            params.setlist(key, kept)
        else:
            params.pop(key)
    params.pop("person", None)
    if changed:
        params.pop("page", None)
    target = filterset.form.person_target
    if cleaned.get(target) is not None:
        params[target] = str(cleaned[target].pk)
    params.setlist("country", cleaned.get("country") or [])
    return params.urlencode()


def feed_params(query: QueryDict) -> QueryDict:
    """The filters a feed reads from a page's query: without paging, sorting or export
    format, and without empty values. The one feed query builder: the pages' feed links and
    the feeds themselves (``views.feeds``) both start here."""
    params = query.copy()
    for key in FEED_DROPPED:
        params.pop(key, None)
    for key in [key for key, values in params.lists() if not any(values)]:
        params.pop(key)
    return params


def feed_query(request: HttpRequest, route: str) -> str:
    """The feed of exactly this page's filters. No ``lang`` is added: a page that does not
    choose a site lists both sites' meetings, and so does its feed."""
    query = feed_params(request.GET).urlencode()
    return reverse(route) + (f"?{query}" if query else "")


def filter_chips(request: HttpRequest, filterset) -> list[tuple[str, str]]:
    """(name, link without it) for every active filter: the chips above the results, which
    stay in sight when the filter panel is folded away on a phone."""
    chips = []
    for active in active_filters(filterset):
        params = request.GET.copy()
        params.pop("page", None)
        if active.parameter == "country":
            chosen = filterset.form.cleaned_data.get("country") or []
            params.setlist("country", [code for code in chosen if code != active.value])
        else:
            params.pop(active.parameter, None)
        chips.append((active.label, "?" + params.urlencode()))
    return chips
