"""``/api/v1/``: the path is the version (a breaking change means ``/api/v2/``)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from meetings.api import views

app_name = "api"

urlpatterns = [
    path("", views.ApiIndex.as_view(), name="index"),
    path("meetings/", views.MeetingList.as_view(), name="meeting-list"),
    path(
        "meetings/<code:language>/<id:kremlin_id>/",
        views.MeetingDetail.as_view(),
        name="meeting-detail",
    ),
    path("utterances/", views.UtteranceList.as_view(), name="utterance-list"),
    path("people/", views.PersonList.as_view(), name="person-list"),
    path("people/<id:pk>/", views.PersonDetail.as_view(), name="person-detail"),
    path("countries/", views.CountryList.as_view(), name="country-list"),
    path("countries/<code:code>/", views.CountryDetail.as_view(), name="country-detail"),
    path("imports/", views.ImportRunList.as_view(), name="importrun-list"),
    path("imports/<id:pk>/", views.ImportRunDetail.as_view(), name="importrun-detail"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    # The docs page and its script are two files: no inline script under the CSP.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:openapi", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
]
