"""HTTP caching for a read-only site.

Public pages (anonymous GET/HEAD answered with 200) are ``Cache-Control: public,
max-age=PUBLIC_CACHE_SECONDS`` with an ETag, and vary by ``Accept-Language`` and ``Cookie``
because the interface language comes from either. ``ConditionalGetMiddleware``, placed
outside this one, turns a matching ``If-None-Match`` or ``If-Modified-Since`` into a 304.

Never cached (``private, no-cache, no-store``): the admin, any unsafe method (the language
switcher's POST), anything answered to a signed-in user, and any response that sets a cookie,
so a shared cache never hands one visitor's cookie or session to another.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import (
    add_never_cache_headers,
    patch_cache_control,
    patch_vary_headers,
    quote_etag,
)

# Django masks the CSRF token differently on every render; a page that carries one is still
# the same page, so the token's value is left out of the ETag.
_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken"\s+value=")[^"]*(")')


def content_etag(content: bytes) -> str:
    digest = hashlib.md5(_CSRF_VALUE.sub(rb"\1\2", content), usedforsecurity=False)
    return quote_etag(digest.hexdigest())


def _signed_in(request: HttpRequest) -> bool:
    # Only look the user up when a session cookie came in: anonymous requests cost no query.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class CacheHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.is_private(request, response):
            add_never_cache_headers(response)
            patch_cache_control(response, public=False, private=True)
            return response
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.has_header("Cache-Control"):
            return response  # the view decided
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        if not response.streaming and not response.has_header("ETag"):
            response.headers["ETag"] = content_etag(response.content)
        return response

    def is_private(self, request: HttpRequest, response: HttpResponse) -> bool:
        return (
            request.path.startswith(reverse("admin:index"))
            or request.method not in ("GET", "HEAD")
            or bool(response.cookies)
            or _signed_in(request)
        )
