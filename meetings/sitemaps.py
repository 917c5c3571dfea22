"""sitemap.xml: every meeting page, every person and every country that has meetings."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from meetings.models import Country, Meeting, MeetingCountry, Participant, Participation


class MeetingSitemap(Sitemap):
    limit = 10000

    def items(self):
        return Meeting.objects.only("language", "kremlin_id", "last_imported_at", "date").order_by(
            "-date", "-id"
        )

    def lastmod(self, item: Meeting):
        return item.last_imported_at


class PersonSitemap(Sitemap):
    def items(self):
        has_meetings = Participation.objects.filter(participant=OuterRef("pk"))
        return Participant.objects.filter(Exists(has_meetings)).only("pk").order_by("id")


class CountrySitemap(Sitemap):
    def items(self):
        has_meetings = MeetingCountry.objects.filter(country=OuterRef("pk"))
        return Country.objects.filter(Exists(has_meetings)).only("code").order_by("code")


class PagesSitemap(Sitemap):
    def items(self):
        return [
            "meetings:meeting_list",
            "meetings:person_list",
            "meetings:country_list",
            "meetings:search",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": PagesSitemap,
    "meetings": MeetingSitemap,
    "people": PersonSitemap,
    "countries": CountrySitemap,
}
