"""Every middleware of the site, outermost first as settings.MIDDLEWARE lists them.

- ``CrossOriginResourcePolicyMiddleware``: ``Cross-Origin-Resource-Policy`` on every
  response (django-csp and django-permissions-policy do the other two headers; Django has
  no setting for this one).
- ``PublicSiteMiddleware``: outside the admin the site only reads, so only GET and HEAD are
  answered (405 with ``Allow: GET, HEAD`` otherwise), and a path or query string carrying a
  control character (NUL and the like, which PostgreSQL and XML refuse) is answered 404 or
  400 before any view sees it.
- ``CacheHeadersMiddleware``: HTTP caching for a read-only site. Public pages (anonymous
  GET/HEAD answered with 200) are ``Cache-Control: public, max-age=0, must-revalidate,
  s-maxage=PUBLIC_CACHE_SECONDS``: a browser asks again on every visit (a 304 when nothing
  changed), so it never shows a page older than an editor's fix, while a shared cache (a CDN)
  may still serve it for that long; they vary by ``Accept-Language`` and ``Cookie`` because
  the interface language comes from either; ``ConditionalGetMiddleware``, placed outside
  this one, adds the ETag and turns a matching ``If-None-Match`` or ``If-Modified-Since``
  into a 304. Never cached (``private,
  no-cache, no-store``): the admin, any unsafe method and anything answered to a signed-in
  user. A page that sets a cookie is ``private``.
- ``PageCacheMiddleware``: rendered public pages kept until the data changes (the data
  generation in :mod:`meetings.caching`); innermost, after locale, CSRF and authentication.
- ``ApiMiddleware``: what every answer under ``/api/`` has in common: ``API-Version: 1``,
  only GET, HEAD and OPTIONS (a JSON 405 otherwise), the per-address rate counted for
  every GET and HEAD (a JSON 429 with ``Retry-After`` over it), cached answer or not, and
  errors as JSON whichever layer produced them; outside ``PublicSiteMiddleware`` and so
  outside the page cache, after django-cors-headers.
- ``ReplicaReadsMiddleware``: marks a public read so its queries may go to a replica
  (``kremlin_meetings.db_router``); the admin and signed-in users always read the primary,
  and so does a browser for a few seconds after it wrote (read-your-writes).

What is "the admin", "signed in" and "public" is decided once, in :mod:`meetings.requests`.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from http import HTTPStatus
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.cache import cache
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    StreamingHttpResponse,
)
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from kremlin_meetings.db_router import public_reads
from meetings.api.throttling import seconds_to_wait
from meetings.caching import MAX_CACHED_BYTES, data_generation, page_key
from meetings.params import has_control
from meetings.requests import SAFE_METHODS, WROTE_COOKIE, is_admin_request, is_public_request

_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Last-Modified")
_CSRF_FIELD = b'name="csrfmiddlewaretoken"'


class CrossOriginResourcePolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CROSS_ORIGIN_RESOURCE_POLICY
        if policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", policy)
        return response


def _raw_has_control(raw: str) -> bool:
    """Whether a still percent-encoded path or query string decodes to a control byte.

    WSGI hands the query string over as latin-1 (PEP 3333): a client that sends UTF-8
    unencoded (``?q=эмир``) must be read back as those bytes, not as C1 controls."""
    data = raw.replace("+", " ").encode("latin-1", "surrogateescape")
    decoded = unquote_to_bytes(data).decode("utf-8", "surrogateescape")
    return has_control(decoded)


class PublicSiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_admin_request(request):
            if request.method not in SAFE_METHODS:
                return HttpResponseNotAllowed(SAFE_METHODS)
            if has_control(request.path_info):
                return HttpResponseNotFound(
                    # Before LocaleMiddleware: both languages, as on the 500 and 503 pages.
                    "No page has a control character in its address.\n"
                    "Страницы с управляющим символом в адресе нет.\n",
                    content_type="text/plain; charset=utf-8",
                )
            if _raw_has_control(request.META.get("QUERY_STRING", "")):
                return HttpResponseBadRequest(
                    "A query parameter holds a control character.\n"
                    "В параметре запроса управляющий символ.\n",
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


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
        # A shared cache must never hand a page's cookie to someone else: no s-maxage then.
        shared = (
            {"private": True}
            if response.cookies
            else {
                "public": True,
                "s_maxage": settings.PUBLIC_CACHE_SECONDS,
            }
        )
        patch_cache_control(response, max_age=0, must_revalidate=True, **shared)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        # The ETag (and the 304 it allows) is ConditionalGetMiddleware's, outside this one.
        return response

    def never_cache(self, request: HttpRequest) -> bool:
        return not is_public_request(request)


class PageCacheMiddleware:
    """Serve and store public pages; innermost, after locale, CSRF and authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or not is_public_request(request):
            return self.get_response(request)
        generation = data_generation()
        if generation is None:  # the cache is away: serve uncached
            return self.get_response(request)
        key = page_key(request, generation)
        stored = cache.get(key)
        if stored is not None:
            return self._replay(request, stored)
        response = self.get_response(request)
        if (
            response.status_code != 200
            or response.cookies
            or response.has_header("Vary")
            or _never_stored(response)
        ):
            return response
        if response.streaming:
            return self._store_streaming(key, response, seconds)
        if _CSRF_FIELD not in response.content:  # one visitor's token is for them alone
            cache.set(key, self._record(response, response.content), seconds)
        return response

    @staticmethod
    def _record(response: HttpResponse, content: bytes) -> tuple:
        headers = [(h, response[h]) for h in _KEPT_HEADERS if response.has_header(h)]
        return (headers, content)

    @staticmethod
    def _replay(request: HttpRequest, stored: tuple) -> HttpResponse:
        headers, content = stored
        response = HttpResponse(content)
        for header, value in headers:
            response[header] = value
        return response

    def _store_streaming(self, key: str, response, seconds: int):
        chunks = iter(response.streaming_content)
        read, size = [], 0
        for chunk in chunks:
            read.append(chunk)
            size += len(chunk)
            if size > MAX_CACHED_BYTES:
                # Too big to hold: hand the visitor what was read and the rest, uncached.
                rest = StreamingHttpResponse(itertools.chain(read, chunks))
                for header, value in response.items():
                    rest[header] = value
                return rest
        content = b"".join(read)
        cache.set(key, self._record(response, content), seconds)
        whole = HttpResponse(content)
        for header, value in response.items():
            whole[header] = value
        return whole


def _never_stored(response: HttpResponse) -> bool:
    """A view that said ``no-store`` or ``private`` (``/healthz``, ``never_cache``) is asked
    every time, by a proxy, a browser and this cache alike."""
    directives = response.get("Cache-Control", "").lower()
    return "no-store" in directives or "private" in directives


class ReplicaReadsMiddleware:
    """Marks a public page's request so its reads may go to a replica: the admin and a
    signed-in user's requests read the primary, so an editor sees their own change at once.
    A write (any unsafe method) marks the browser for ``READ_YOUR_WRITES_SECONDS``: its
    reads go to the primary whatever the path (``meetings.requests.wrote_recently``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with public_reads(is_public_request(request)):
            response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            seconds = settings.READ_YOUR_WRITES_SECONDS
            response.set_cookie(
                WROTE_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


# The API's common ground ---------------------------------------------------------------

API_PREFIX = "/api/"
API_VERSION = "1"
ALLOWED = ("GET", "HEAD", "OPTIONS")
_KEPT = ("Retry-After", "Allow", "Cache-Control")


def json_error(status: int, message: str, code: str) -> HttpResponse:
    body = {"errors": {"__all__": [{"message": message, "code": code}]}}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method not in ALLOWED:
            response = json_error(
                405, f"Method “{request.method}” is not allowed: this API only reads.", "method"
            )
            response["Allow"] = ", ".join(ALLOWED)
        elif request.method == "OPTIONS":
            response = HttpResponse(
                json.dumps({"methods": list(ALLOWED)}), content_type="application/json"
            )
            response["Allow"] = ", ".join(ALLOWED)
        elif (wait := seconds_to_wait(request)) is not None:
            # Here, outside the page cache, so a cached answer counts as much as a fresh one.
            response = json_error(
                429, f"Request was throttled. Expected available in {wait} s.", "throttled"
            )
            response["Retry-After"] = str(wait)
        else:
            response = self.get_response(request)
            if response.status_code >= 400 and not _is_json(response):
                response = _as_json(response)
        response["API-Version"] = API_VERSION
        return response


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _as_json(response: HttpResponse) -> HttpResponse:
    status = response.status_code
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    text = ""
    if not response.streaming and response.get("Content-Type", "").startswith("text/plain"):
        lines = response.content.decode("utf-8", "replace").strip().splitlines()
        text = lines[0] if lines else ""
    replaced = json_error(status, text or phrase, phrase.lower().replace(" ", "_"))
    for header in _KEPT:
        if response.has_header(header):
            replaced[header] = response[header]
    return replaced
