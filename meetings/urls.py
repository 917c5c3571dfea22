"""Every address of the site except the admin, in one place.

``urlpatterns`` are the browsing pages, in the ``meetings`` namespace
(``{% url 'meetings:meeting_detail' … %}``); ``site_urlpatterns`` are the site-wide routes
(health check, robots.txt, language switch, sitemaps, feeds), included without a namespace,
so ``{% url 'feed_meetings' %}`` and ``{% url 'sitemap' %}`` work in templates.
``kremlin_meetings/urls.py`` includes both.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from meetings import params
from meetings.sitemaps import SITEMAPS
from meetings.views import (
    bilingual,
    countries,
    coverage,
    data,
    differences,
    feeds,
    follow,
    meetings,
    network,
    people,
    search,
    site,
    transcript,
    versions,
    world_map,
)

# Before the patterns: they use the converters (``<segment:…>``, ``<code:…>``).
params.register()

app_name = "meetings"

TURN = "meetings/<str:language>/<int:kremlin_id>/u/<int:position>/"

urlpatterns = [
    path("", meetings.meeting_list, name="meeting_list"),
    path(
        "meetings/<str:language>/<int:kremlin_id>/",
        transcript.meeting_detail,
        name="meeting_detail",
    ),
    path(
        "meetings/<str:language>/<int:kremlin_id>.json",
        transcript.meeting_json,
        name="meeting_json",
    ),
    path(
        "meetings/<str:language>/<int:kremlin_id>.tei.xml",
        data.meeting_tei,
        name="meeting_tei",
    ),
    path(TURN, transcript.utterance_detail, name="utterance_detail"),
    path(f"{TURN}cite.bib", transcript.cite_bibtex, name="cite_bibtex"),
    path(f"{TURN}cite.ris", transcript.cite_ris, name="cite_ris"),
    path(
        "meetings/<int:kremlin_id>/side-by-side/",
        bilingual.meeting_compare,
        name="meeting_compare",
    ),
    path(
        "meetings/<int:kremlin_id>/side-by-side.json",
        bilingual.meeting_compare_map,
        name="meeting_compare_map",
    ),
    path("people/", people.person_list, name="person_list"),
    path("people/suggest.json", people.person_suggestions, name="person_suggestions"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("countries/", countries.country_list, name="country_list"),
    path("countries/<str:code>/", countries.country_detail, name="country_detail"),
    path("search/", search.search, name="search"),
    path("coverage/", coverage.coverage, name="coverage"),
]

site_urlpatterns = [
    path("healthz", site.healthz, name="healthz"),
    path("robots.txt", site.robots_txt, name="robots_txt"),
    path("language/", site.switch_language, name="set_language"),
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
    path("feeds/meetings.atom", feeds.LatestMeetingsFeed(), name="feed_meetings"),
    path("feeds/search.atom", feeds.SearchFeed(), name="feed_search"),
    path("feeds/countries/<code:code>.atom", feeds.CountryMeetingsFeed(), name="feed_country"),
    # What a "Follow" link opens: the feed's address and what to do with it.
    path("feeds/meetings/", follow.follow_meetings, name="follow_meetings"),
    path("feeds/search/", follow.follow_search, name="follow_search"),
    path("data/", data.data_index, name="data"),
    path("data/<segment:name>", data.data_file, name="data_file"),
]

# The map, the network, source versions and RU/EN differences (issue 18).
urlpatterns += [
    path("map/", world_map.world_map, name="world_map"),
    path("map/shapes.svg", world_map.map_shapes, name="map_shapes"),
    path("network/", network.network_view, name="network"),
    path(
        "meetings/<str:language>/<int:kremlin_id>/versions/",
        versions.meeting_versions,
        name="meeting_versions",
    ),
    path("feeds/changes.atom", versions.ChangesFeed(), name="feed_changes"),
    path("differences/", differences.difference_list, name="differences"),
]
