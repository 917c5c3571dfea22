"""Site-wide views: robots.txt, the language switch, ``/healthz`` and the 500 handler.

``/healthz`` is for load balancers, compose's healthcheck and a scheduler's monitoring:
JSON, 200 when the database answers and the static files resolve, 503 (with ``Retry-After``)
when either fails; the cache is reported but never fails it (``meetings.web.health``). Never
cached: ``no-store`` for proxies and browsers, and the page cache stores no ``no-store``
answer. ``server_error`` is the 500 handler; a database that cannot be reached is a 503 with
``Retry-After`` instead, so load balancers and visitors know to come back.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from meetings.web import health


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawl everything people read, except the admin and whole-list exports.

    ``?format=json|csv`` on any filtered list streams every matching meeting; a crawler
    following each list's download links would fetch the whole corpus again and again.
    """
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "Disallow: /*?*format=",
        "Disallow: /language/",
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@never_cache
def switch_language(request: HttpRequest) -> HttpResponse:
    """``/language/?lang=ru&next=/countries/``: remember the interface language in a cookie
    and go back to ``next`` (a path on this site; anything else goes to the home page).

    A plain GET link or form, so no page needs a CSRF token (and every public page stays
    shareable by caches); it changes nothing but the visitor's own cookie."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not next_url.startswith("/"):
        next_url = reverse("meetings:meeting_list")
    response = HttpResponseRedirect(next_url)
    language = request.GET.get("lang", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """What is checked and why: ``meetings.web.health``."""
    result = health.check()
    response = JsonResponse(result.body, status=result.status)
    if result.status == 503:
        response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER_SECONDS)
    return response


DATABASE_ERRORS = (OperationalError, InterfaceError)


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """Django's 500 view, except that an unreachable database is a 503 with Retry-After.

    Django calls this inside its ``except`` block, so the exception is still at hand."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template(template_name).render(), status=500)
