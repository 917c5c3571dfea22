"""Requests per client address, counted in the shared cache (Redis in production), so every
worker and process sees the same count. ``API_THROTTLE_RATE`` ("300/min") is read on each
request, so a test or a deployment can change it without a restart of the class.

Counted by ``ApiMiddleware`` (``meetings.middleware``) for every GET and HEAD under
``/api/``, before the page cache: a DRF throttle class on the views would only see the
requests the cache did not answer, so a client repeating cached addresses was never held
to the rate. The views therefore have no throttle class of their own."""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle

from meetings.requests import client_ip


class ClientAddressThrottle(SimpleRateThrottle):
    """The limit per address (X-Real-IP behind the compose nginx, as for django-axes);
    over it, 429 with ``Retry-After``."""

    scope = "api"

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATE or None

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def seconds_to_wait(request: HttpRequest) -> int | None:
    """Count ``request`` against its address's limit: ``None`` while under it, else how
    many seconds (at least 1) until the address may ask again."""
    throttle = ClientAddressThrottle()
    if throttle.allow_request(request, None):
        return None
    wait = throttle.wait()
    return max(1, math.ceil(wait)) if wait is not None else 1
