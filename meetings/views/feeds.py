"""Atom feeds of the latest meetings (overall, per country, or for any list filter) and of
the newest turns matching a search.

``/feeds/meetings.atom`` accepts every parameter of the meeting list (``MeetingFilter``) and
``/feeds/search.atom`` every parameter of the search page (``UtteranceSearchFilter``): a feed
follows exactly what its page shows. A bad parameter is a 400 with the reason, as text.
Entries are dated by the meeting (``published``); ``updated`` is when the meeting's content
last changed, so a re-import that changes nothing does not re-show an entry in a reader.

``?lang=ru`` or ``?lang=en`` picks one site's meetings (kremlin.ru's Russian pages or
en.kremlin.ru's English ones); without it a feed lists every event once, in the reader's
language (Accept-Language or the switcher's cookie, through LocaleMiddleware) when that
site published it, else in the other, as the meeting list does. A feed's title names its
filters. Each entry links to the meeting page on this
site and credits its kremlin.ru source: a ``rel="via"`` link, the author and the licence.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.html import format_html
from django.utils.translation import gettext as _

from meetings.filters import MeetingFilter, UtteranceSearchFilter
from meetings.languages import ui_language
from meetings.models import MOSCOW, SITE_HOSTS, Country, Language, Meeting, Utterance
from meetings.search import (
    HEADLINE_PREFIX,
    HIGHLIGHT_START,
    highlight_html,
    whole_headlines,
    with_ellipses,
)
from meetings.web.filter_labels import meetings_feed_title, search_feed_title
from meetings.web.freshness import reads_aggregates
from meetings.web.merges import moved_filters_redirect
from meetings.web.querystrings import feed_params

FEED_SIZE = 50
LICENCE = "CC BY 4.0"


class SourceCreditingAtomFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 with a ``rel="via"`` link from each entry to its kremlin.ru page (RFC 4287)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("source_url"):
            handler.addQuickElement(
                "link", "", {"rel": "via", "href": item["source_url"], "type": "text/html"}
            )


def feed_language(request: HttpRequest) -> str:
    """``?lang=`` when it names a site language, else the reader's interface language."""
    requested = request.GET.get("lang", "")
    if requested in Language.values:
        return requested
    return ui_language()


def meeting_pubdate(meeting: Meeting) -> dt.datetime:
    return meeting.starts_at or dt.datetime.combine(meeting.date, dt.time.min, tzinfo=MOSCOW)


def meeting_updated(meeting: Meeting) -> dt.datetime:
    # Atom requires <updated> on every entry: the last change of content, else the meeting.
    return meeting.content_changed_at or meeting_pubdate(meeting)


class InvalidFilters(Exception):
    def __init__(self, errors):
        super().__init__("invalid filters")
        self.errors = errors


class FilteredFeed(Feed):
    """A feed whose ``get_object`` may refuse its parameters with ``InvalidFilters``."""

    feed_type = SourceCreditingAtomFeed

    @reads_aggregates
    def __call__(self, request, *args, **kwargs) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidFilters as error:
            moved = moved_filters_redirect(request, error.errors)
            if moved is not None:  # a merged-away person's feed: the kept person's
                return moved
            lines = [
                f"{field}: {message}"
                for field, messages in error.errors.items()
                for message in messages
            ]
            return HttpResponseBadRequest(
                "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
            )


def _bound(filter_class, request: HttpRequest, queryset):
    """``filter_class`` over the request's parameters, or ``InvalidFilters``."""
    # A feed is always newest first and never paged or exported.
    filterset = filter_class(feed_params(request.GET), queryset=queryset)
    if not filterset.is_valid():
        raise InvalidFilters(filterset.form.errors)
    return filterset


class LatestMeetingsFeed(FilteredFeed):
    def get_object(self, request: HttpRequest, *args, **kwargs):
        filterset = _bound(MeetingFilter, request, Meeting.objects.all())
        return {
            "language": feed_language(request),
            "one_site": request.GET.get("lang", "") in Language.values,
            "filtered": filterset.qs,
            "title": meetings_feed_title(filterset),
            "query": feed_params(request.GET).urlencode(),
        }

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # The entries are in the site's language, whatever the interface language.
        feed.feed["language"] = obj["language"]
        return feed

    def meetings(self, obj):
        if obj["one_site"]:
            return obj["filtered"].diplomatic().in_language(obj["language"])
        return obj["filtered"].diplomatic().one_per_event(obj["language"])

    def items(self, obj):
        return (
            self.meetings(obj)
            .prefetch_related("countries")
            .order_by("-date", "-starts_at", "-id")[:FEED_SIZE]
        )

    def title(self, obj):
        return obj["title"]

    def subtitle(self, obj):
        if not obj["one_site"]:
            return _("Diplomatic meetings of the President of Russia, from kremlin.ru.")
        return _("Diplomatic meetings of the President of Russia, from %(host)s.") % {
            "host": SITE_HOSTS[obj["language"]]
        }

    def link(self, obj):
        return _with_query(reverse("meetings:meeting_list"), obj["query"])

    def feed_url(self, obj):
        return _with_query(reverse("feed_meetings"), obj["query"])

    def author_name(self, obj):
        return SITE_HOSTS[obj["language"]]

    def author_link(self, obj):
        return f"http://{SITE_HOSTS[obj['language']]}/"

    def feed_copyright(self, obj):
        return _("Content: %(host)s, %(licence)s") % {
            "host": SITE_HOSTS[obj["language"]],
            "licence": LICENCE,
        }

    # Entries

    def item_title(self, item: Meeting) -> str:
        # An Atom title is a text construct: the XML writer escapes it once, which is enough.
        return item.title

    def item_description(self, item: Meeting) -> str:
        # The summary is sent as type="html"; nothing from the source is trusted as HTML.
        lead = format_html("<p>{}</p>", item.lead) if item.lead else ""
        place = format_html("<p>{}</p>", item.place) if item.place else ""
        credit = format_html(
            '<p>{} <a href="{}">{}</a>, {}</p>',
            _("Source:"),
            item.source_url,
            SITE_HOSTS.get(item.language, "kremlin.ru"),
            LICENCE,
        )
        return format_html("{}{}{}", place, lead, credit)

    def item_link(self, item: Meeting) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Meeting) -> str:
        # Stable across re-imports and hosts: the source page identifies the meeting.
        return item.source_url

    def item_guid_is_permalink(self, item: Meeting) -> bool:
        return False

    def item_pubdate(self, item: Meeting) -> dt.datetime:
        return meeting_pubdate(item)

    def item_updateddate(self, item: Meeting) -> dt.datetime:
        return meeting_updated(item)

    def item_author_name(self, item: Meeting) -> str:
        return SITE_HOSTS.get(item.language, "kremlin.ru")

    def item_author_link(self, item: Meeting) -> str:
        return f"http://{SITE_HOSTS.get(item.language, 'kremlin.ru')}/"

    def item_categories(self, item: Meeting) -> list[str]:
        return [country.name for country in item.countries.all()]

    def item_copyright(self, item: Meeting) -> str:
        return f"{SITE_HOSTS.get(item.language, 'kremlin.ru')}, {LICENCE}"

    def item_extra_kwargs(self, item: Meeting) -> dict:
        return {"source_url": item.source_url}


class CountryMeetingsFeed(LatestMeetingsFeed):
    def get_object(self, request: HttpRequest, code: str):
        country = get_object_or_404(Country, code=code.upper())
        return {
            "language": feed_language(request),
            "one_site": request.GET.get("lang", "") in Language.values,
            "country": country,
        }

    def meetings(self, obj):
        meetings = Meeting.objects.diplomatic().filter(country_links__country=obj["country"])
        if obj["one_site"]:
            return meetings.in_language(obj["language"])
        return meetings.one_per_event(obj["language"])

    def title(self, obj):
        return _("Kremlin Meetings: meetings with %(country)s") % {"country": obj["country"].name}

    def link(self, obj):
        return obj["country"].get_absolute_url()

    def feed_url(self, obj):
        url = reverse("feed_country", args=[obj["country"].code])
        return f"{url}?lang={obj['language']}" if obj["one_site"] else url


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


class SearchFeed(FilteredFeed):
    """The newest turns matching a search, each linking to its permalink."""

    def get_object(self, request: HttpRequest, *args, **kwargs):
        queryset = Utterance.objects.select_related("meeting", "speaker").defer(
            "meeting__lead", "meeting__imported", "search_vector"
        )
        filterset = _bound(UtteranceSearchFilter, request, queryset)
        if not filterset.text:
            raise InvalidFilters({"q": [_("Type some words to search.")]})
        query = feed_params(request.GET).urlencode()
        return {
            "filterset": filterset,
            "text": filterset.text,
            "title": search_feed_title(filterset),
            "query": query,
        }

    def items(self, obj):
        turns = list(
            obj["filterset"]
            .qs.with_headline(obj["text"], prefix=HEADLINE_PREFIX)
            .order_by("-meeting__date", "-meeting_id", "position")[:FEED_SIZE]
        )
        # A turn whose first match lies past the prefix: its headline from the whole text.
        missing = [turn.pk for turn in turns if HIGHLIGHT_START not in turn.headline]
        whole = whole_headlines(missing, obj["text"])
        for turn in turns:
            turn.headline = with_ellipses(whole.get(turn.pk, turn.headline), turn.text)
        return turns

    def title(self, obj):
        return obj["title"]

    def subtitle(self, obj):
        return _("The newest passages of the transcripts matching a search.")

    def link(self, obj):
        return f"{reverse('meetings:search')}?{obj['query']}"

    def feed_url(self, obj):
        return f"{reverse('feed_search')}?{obj['query']}"

    def author_name(self, obj):
        return "kremlin.ru"

    def author_link(self, obj):
        return "http://kremlin.ru/"

    def feed_copyright(self, obj):
        return _("Content: %(host)s, %(licence)s") % {"host": "kremlin.ru", "licence": LICENCE}

    def item_title(self, item: Utterance) -> str:
        who = item.speaker_label or item.get_kind_display()
        return f"{who}: {item.meeting.title}"

    def item_description(self, item: Utterance) -> str:
        # The passage around the match (the search page's headline), not the turn's opening.
        return format_html(
            '<p>{}</p><p>{} <a href="{}">{}</a>, {}</p>',
            highlight_html(getattr(item, "headline", "")),  # annotated in items()
            _("Source:"),
            item.meeting.source_url,
            SITE_HOSTS.get(item.language, "kremlin.ru"),
            LICENCE,
        )

    def item_link(self, item: Utterance) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Utterance) -> str:
        # Stable across re-imports: the source page and the turn's place in it.
        return f"{item.meeting.source_url}#u-{item.position}"

    def item_guid_is_permalink(self, item: Utterance) -> bool:
        return False

    def item_pubdate(self, item: Utterance) -> dt.datetime:
        return meeting_pubdate(item.meeting)

    def item_updateddate(self, item: Utterance) -> dt.datetime:
        return meeting_updated(item.meeting)

    def item_author_name(self, item: Utterance) -> str:
        return SITE_HOSTS.get(item.language, "kremlin.ru")

    def item_copyright(self, item: Utterance) -> str:
        return f"{SITE_HOSTS.get(item.language, 'kremlin.ru')}, {LICENCE}"

    def item_extra_kwargs(self, item: Utterance) -> dict:
        return {"source_url": item.meeting.source_url}
