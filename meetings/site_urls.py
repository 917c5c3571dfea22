"""Site-wide routes outside the browsing pages: feeds, sitemap, robots.txt, language switch.

Included from ``kremlin_meetings/urls.py`` without a namespace, so ``{% url 'feed_meetings' %}``,
``{% url 'feed_country' code %}`` and ``{% url 'sitemap' %}`` work in templates.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from meetings import data_views, feeds, health, site_views
from meetings.sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", site_views.robots_txt, name="robots_txt"),
    path("language/", site_views.switch_language, name="set_language"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<segment:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("data/", data_views.data_index, name="data"),
    path("data/<segment:name>", data_views.data_file, name="data_file"),
    path("feeds/meetings.atom", feeds.LatestMeetingsFeed(), name="feed_meetings"),
    path("feeds/search.atom", feeds.SearchFeed(), name="feed_search"),
    path("feeds/countries/<code:code>.atom", feeds.CountryMeetingsFeed(), name="feed_country"),
]
