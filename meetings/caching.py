"""Rendered public pages, feeds and exports kept in the cache until the data changes.

The data only changes when an import writes something or an editor saves in the admin, so a
page rendered once can be served to everyone until then. Every cached page is keyed by a
*data generation*, one number in the cache: :func:`data_changed` replaces it, which makes
every page rendered before unreachable at once (the old entries expire on their own). The
import calls :func:`data_changed` after a run that created or updated anything; every admin
change writes a ``LogEntry``, whose ``post_save`` calls it too.

The key also holds the interface language, the scheme and host (feeds and exports print
absolute links) and the whole path with every query parameter. Only anonymous GET and HEAD
answered 200 are stored, and never a page that carries a CSRF token or sets a cookie: those
belong to one visitor (no public page has a form that posts; the language switcher is a GET
form). ``Cache-Control``, ``Vary`` and the ETag are set by the middleware outside
this one on every answer, cached or not, so a CDN or browser revalidates as before.

``PAGE_CACHE_SECONDS`` (0 turns the cache off) bounds how long an entry lives; the cache is
Django's ``default`` (Redis when ``REDIS_URL`` is set, else a file cache under var/).
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse

from meetings import aggregates, differences

GENERATION_KEY = "km:data-generation"
# Exports larger than this stream uncached rather than being held in memory.
MAX_CACHED_BYTES = 8 * 1024 * 1024
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Last-Modified")
_CSRF_FIELD = b'name="csrfmiddlewaretoken"'


def data_changed() -> None:
    """Every cached page is stale: bring the per-person and per-country aggregates up to
    date, then start a new data generation (in that order, so no page rendered under the
    new generation shows the old counts)."""
    aggregates.refresh()
    differences.refresh()  # the RU/EN differences of the events changed since
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def data_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


@receiver(post_save, sender=LogEntry, dispatch_uid="meetings.caching.admin_change")
def _admin_change(sender, created: bool, **kwargs) -> None:
    if created:  # once the editor's change is committed, so a page never caches the old data
        transaction.on_commit(data_changed)


def page_key(request: HttpRequest, generation: int) -> str:
    where = "\n".join(
        (
            request.scheme,
            request.get_host(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.get_full_path(),
        )
    )
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()
    return f"km:page:{generation}:{digest}"


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.path.startswith(reverse("admin:index")):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
    return True


class PageCacheMiddleware:
    """Serve and store public pages; innermost, after locale, CSRF and authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or not _cacheable_request(request):
            return self.get_response(request)
        key = page_key(request, data_generation())
        stored = cache.get(key)
        if stored is not None:
            return self._replay(request, stored)
        response = self.get_response(request)
        if response.status_code != 200 or response.cookies or response.has_header("Vary"):
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
