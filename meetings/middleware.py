"""HTTP caching for a read-only site.

Public pages (anonymous GET/HEAD answered with 200) are ``Cache-Control: public,
max-age=PUBLIC_CACHE_SECONDS`` with an ETag, and vary by ``Accept-Language`` and ``Cookie``
because the interface language comes from either. ``ConditionalGetMiddleware``, placed
outside this one, turns a matching ``If-None-Match`` or ``If-Modified-Since`` into a 304.

Never cached (``private, no-cache, no-store``): the admin, any unsafe method (the language
switcher's POST) and anything answered to a signed-in user. A page that sets a cookie (the
first visit's CSRF cookie, for the switcher's form) is ``private``: the visitor's browser
may keep it, a shared cache must not hand that cookie to anyone else. Django re-sends the
CSRF cookie unchanged on every page that renders a token, only to push its expiry on; that
renewal is dropped from safe requests so a returning visitor's pages stay shareable (the
cookie then lasts CSRF_COOKIE_AGE from the first visit and is issued afresh after).
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


def _drop_csrf_cookie_renewal(request: HttpRequest, response: HttpResponse) -> None:
    name = settings.CSRF_COOKIE_NAME
    sent = response.cookies.get(name)
    if (
        sent is not None
        and not settings.CSRF_USE_SESSIONS
        and sent.value == request.COOKIES.get(name)
    ):
        del response.cookies[name]


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
        _drop_csrf_cookie_renewal(request, response)
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
