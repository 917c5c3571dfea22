from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from meetings import urls

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include(urls.site_urlpatterns)),
    path("", include("meetings.urls")),
    path("api/v1/", include("meetings.api.urls")),
]

# An unreachable database is a 503 with Retry-After, anything else the plain 500 page.
handler404 = "meetings.views.errors.page_not_found"
handler500 = "meetings.views.site.server_error"
