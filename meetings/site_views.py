"""Small site-wide views: robots.txt."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
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
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
