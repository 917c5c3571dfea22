"""Atom feeds of the latest meetings: overall and per country.

A feed lists one site's meetings (kremlin.ru's Russian pages or en.kremlin.ru's English ones):
``?lang=ru`` or ``?lang=en`` picks it, otherwise the reader's language (Accept-Language or the
switcher's cookie, through LocaleMiddleware). Each entry links to the meeting page on this
site and credits its kremlin.ru source: a ``rel="via"`` link, the author and the licence.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from meetings.models import MOSCOW, SITE_HOSTS, Country, Language, Meeting

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
    return "ru" if (get_language() or "en").startswith("ru") else "en"


class LatestMeetingsFeed(Feed):
    feed_type = SourceCreditingAtomFeed

    def get_object(self, request: HttpRequest, *args, **kwargs):
        return {"language": feed_language(request)}

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # The entries are in the site's language, whatever the interface language.
        feed.feed["language"] = obj["language"]
        return feed

    def meetings(self, obj):
        return Meeting.objects.diplomatic().in_language(obj["language"])

    def items(self, obj):
        return (
            self.meetings(obj)
            .prefetch_related("countries")
            .order_by("-date", "-starts_at", "-id")[:FEED_SIZE]
        )

    def title(self, obj):
        return _("Kremlin Meetings: latest meetings")

    def subtitle(self, obj):
        return _("Diplomatic meetings of the President of Russia, from %(host)s.") % {
            "host": SITE_HOSTS[obj["language"]]
        }

    def link(self, obj):
        return f"{reverse('meetings:meeting_list')}?lang={obj['language']}"

    def feed_url(self, obj):
        return f"{reverse('feed_meetings')}?lang={obj['language']}"

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
        return item.starts_at or dt.datetime.combine(item.date, dt.time.min, tzinfo=MOSCOW)

    def item_updateddate(self, item: Meeting) -> dt.datetime:
        # Atom requires <updated> on every entry.
        return item.last_imported_at or self.item_pubdate(item)

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
        return {"language": feed_language(request), "country": country}

    def meetings(self, obj):
        return super().meetings(obj).filter(country_links__country=obj["country"])

    def title(self, obj):
        return _("Kremlin Meetings: meetings with %(country)s") % {"country": obj["country"].name}

    def link(self, obj):
        return obj["country"].get_absolute_url()

    def feed_url(self, obj):
        url = reverse("feed_country", args=[obj["country"].code])
        return f"{url}?lang={obj['language']}"
