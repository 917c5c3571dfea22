"""Requests per client address, counted in the shared cache (Redis in production), so every
worker and process sees the same count. ``API_THROTTLE_RATE`` ("300/min") is read on each
request, so a test or a deployment can change it without a restart of the class."""

from __future__ import annotations

from django.conf import settings
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
