"""Public pages read from PostgreSQL read replicas; everything else uses the primary.

``DATABASE_REPLICA_URLS`` adds the databases ``replica1``, ``replica2``… (settings.py). A
read goes to a replica only while :class:`ReplicaReadsMiddleware` serves an anonymous-safe
GET or HEAD outside the admin: imports, management commands, the admin and every write use
the primary, so an editor sees their own change at once and the importer never reads a
replica that lags behind what it just wrote.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_public_read: ContextVar[bool] = ContextVar("public_read", default=False)


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        choices = replicas()
        if choices and _public_read.get():
            return random.choice(choices)
        return "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == "default"


class ReplicaReadsMiddleware:
    """Marks a public page's request so its reads may go to a replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        public = request.method in ("GET", "HEAD") and not request.path.startswith("/admin/")
        token = _public_read.set(public)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)
