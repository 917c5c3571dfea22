"""HTTP caching for a read-only site.

Public pages (anonymous GET/HEAD answered with 200) are ``Cache-Control: public,
max-age=PUBLIC_CACHE_SECONDS`` with an ETag, and vary by ``Accept-Language`` and ``Cookie``
because the interface language comes from either. ``ConditionalGetMiddleware``, placed
outside this one, turns a matching ``If-None-Match`` or ``If-Modified-Since`` into a 304.

Never cached (``private, no-cache, no-store``): the admin, any unsafe method (only the
admin accepts one: see ``meetings.security``) and anything answered to a signed-in user.
No public page carries a CSRF token (the language switcher is a GET form that ends in a
``never_cache`` redirect), so even a first visit's pages are shareable. A page that does
set a cookie is ``private``: the visitor's browser may keep it, a shared cache must not hand
that cookie to anyone else.
"""

from __future__ import annotations

import hashlib
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


def content_etag(content: bytes) -> str:
    return quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())


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
        if self.never_cache(request):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            return response
        if response.status_code != 200 or response.has_header("Cache-Control"):
            return response  # errors and redirects as they are; a view's own choice stands
        audience = {"private": True} if response.cookies else {"public": True}
        patch_cache_control(response, max_age=settings.PUBLIC_CACHE_SECONDS, **audience)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        if not response.streaming and not response.has_header("ETag"):
            response.headers["ETag"] = content_etag(response.content)
        return response

    def never_cache(self, request: HttpRequest) -> bool:
        return (
            request.path.startswith(reverse("admin:index"))
            or request.method not in ("GET", "HEAD")
            or _signed_in(request)
        )
