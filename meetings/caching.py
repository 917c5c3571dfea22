"""Rendered public pages, feeds and exports kept in the cache until the data changes.

The data only changes when an import writes something or an editor saves in the admin, so a
page rendered once can be served to everyone until then. Every cached page is keyed by a
*data generation*, one number in the cache: :func:`retire_pages`, the receiver of the
``meetings.signals.data_changed`` signal that imports and admin changes send, replaces it,
which makes every page rendered before unreachable at once (the old entries expire on their
own). The middleware that serves and stores the pages is ``meetings.middleware``.

The key also holds the interface language, the scheme and host (feeds and exports print
absolute links) and the whole path with every query parameter. Only anonymous GET and HEAD
answered 200 are stored, and never a page that carries a CSRF token or sets a cookie: those
belong to one visitor (no public page has a form that posts; the language switcher is a GET
form). ``Cache-Control``, ``Vary`` and the ETag are set by the middlewares outside
the page cache on every answer, cached or not, so a CDN or browser revalidates as before.

``PAGE_CACHE_SECONDS`` (0 turns the cache off) bounds how long an entry lives; the cache is
Django's ``default`` (Redis when ``REDIS_URL`` is set, else a file cache under var/). Redis
is an accelerator, never a dependency (``kremlin_meetings/cache.py``): while it is away
:func:`data_generation` is ``None`` and pages are served uncached; when it answers again
after an outage a new generation starts, since a change made meanwhile could not retire the
old pages.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

GENERATION_KEY = "km:data-generation"
HEALTH_KEY = "km:healthz"
# Exports larger than this stream uncached rather than being held in memory.
MAX_CACHED_BYTES = 8 * 1024 * 1024


def retire_pages(sender: Any = None, **kwargs: Any) -> None:
    """The ``data_changed`` receiver: every cached page is stale, start a new generation."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def data_generation() -> int | None:
    """The current generation; ``None`` when the cache cannot be reached (serve uncached)."""
    recovered = getattr(cache, "recovered", None)
    if recovered is not None and recovered():
        retire_pages()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def cache_works() -> bool:
    """Whether the cache answers now (``/healthz``)."""
    reachable = getattr(cache, "reachable", None)
    if reachable is not None:
        return reachable()
    try:
        cache.set(HEALTH_KEY, 1, 10)
        return cache.get(HEALTH_KEY) == 1
    except Exception:  # a file cache on a full or read-only disk, whatever the backend
        return False


def page_key(request: HttpRequest, generation: int) -> str:
    where = "\n".join(
        (
            request.scheme or "",
            request.get_host(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.get_full_path(),
        )
    )
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()
    return f"km:page:{generation}:{digest}"
