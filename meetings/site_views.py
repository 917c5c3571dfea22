"""Small site-wide views: robots.txt and the language switch."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


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
