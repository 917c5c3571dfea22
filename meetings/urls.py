from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("meetings/<str:language>/<int:kremlin_id>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<str:language>/<int:kremlin_id>.json",
        views.meeting_json,
        name="meeting_json",
    ),
    path(
        "meetings/<str:language>/<int:kremlin_id>/u/<int:position>/",
        views.utterance_detail,
        name="utterance_detail",
    ),
    path("people/", views.person_list, name="person_list"),
    path("people/suggest.json", views.person_suggestions, name="person_suggestions"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("search/", views.search, name="search"),
]

# Citations of one turn (issue 10).
urlpatterns += [
    path(
        "meetings/<str:language>/<int:kremlin_id>/u/<int:position>/cite.bib",
        views.cite_bibtex,
        name="cite_bibtex",
    ),
    path(
        "meetings/<str:language>/<int:kremlin_id>/u/<int:position>/cite.ris",
        views.cite_ris,
        name="cite_ris",
    ),
]

# One event in both languages.
from meetings import views_bilingual  # noqa: E402

urlpatterns += [
    path(
        "meetings/<int:kremlin_id>/side-by-side/",
        views_bilingual.meeting_compare,
        name="meeting_compare",
    ),
    path(
        "meetings/<int:kremlin_id>/side-by-side.json",
        views_bilingual.meeting_compare_map,
        name="meeting_compare_map",
    ),
]

# The data for researchers' own tools (issue 17): TEI of one meeting.
from meetings import data_views  # noqa: E402

urlpatterns += [
    path(
        "meetings/<str:language>/<int:kremlin_id>.tei.xml",
        data_views.meeting_tei,
        name="meeting_tei",
    ),
]
