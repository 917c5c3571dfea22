"""Public pages read from PostgreSQL read replicas; everything else uses the primary.

``DATABASE_REPLICA_URLS`` adds the databases ``replica1``, ``replica2``… (settings.py). A
read goes to a replica only while ``meetings.middleware.ReplicaReadsMiddleware`` serves a
public request (``meetings.requests.is_public_request``: an anonymous GET or HEAD outside
``ADMIN_URL`` from a browser that did not write in the last ``READ_YOUR_WRITES_SECONDS``):
imports, management commands, the admin, a signed-in user and every write use
the primary, so an editor sees their own change at once and the importer never reads a
replica that lags behind what it just wrote.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings

_public_read: ContextVar[bool] = ContextVar("public_read", default=False)


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def pick_replica(choices: list[str]) -> str:
    return random.choice(choices)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        choices = replicas()
        if choices and _public_read.get():
            return pick_replica(choices)
        return "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == "default"


@contextlib.contextmanager
def public_reads(public: bool) -> Iterator[None]:
    """Within the block, reads may go to a replica when ``public`` (set by
    ``meetings.middleware.ReplicaReadsMiddleware`` from ``meetings.requests``)."""
    token = _public_read.set(public)
    try:
        yield
    finally:
        _public_read.reset(token)
