"""What ``/healthz`` checks, each time it is asked (the view is in ``views/site.py``).

- **database**: one query and the last finished import, on the primary, bounded by
  ``DATABASE_CONNECT_TIMEOUT`` both for connecting and for the queries themselves (a server
  that accepts connections but does not answer is as down as one that refuses them).
- **static**: the static files a page links to resolve; with
  ``CompressedManifestStaticFilesStorage`` and no ``collectstatic`` (or a lost manifest)
  every page would answer 500 ("Missing staticfiles manifest entry").
- **cache**: whether the cache answers. Redis is an accelerator: without it pages are
  served uncached, so an unreachable cache is reported but the status stays 200.

The status is 503 (with ``Retry-After`` from ``DATABASE_RETRY_AFTER_SECONDS``, the one
setting every 503 of the site uses) when the database or the static files fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.templatetags.static import static

from meetings.caching import cache_works
from meetings.models import ImportRun

# Every page links these (templates/base.html).
PAGE_STATIC_FILES = ("css/site.css", "css/print.css", "js/site.js")


@dataclass
class Health:
    body: dict[str, Any] = field(default_factory=dict)
    status: int = 200


def _short(error: BaseException) -> str:
    return " ".join(str(error).split())[:200]


def check() -> Health:
    health = Health()
    try:
        last = _last_import()
    except DatabaseError as error:
        health.body.update(database="error", error=_short(error))
        health.status = 503
    else:
        health.body.update(database="ok", last_import=_describe(last))
    try:
        for name in PAGE_STATIC_FILES:
            static(name)
    except ValueError as error:  # "Missing staticfiles manifest entry for '…'"
        health.body.update(static="error", static_error=_short(error))
        health.status = 503
    else:
        health.body["static"] = "ok"
    health.body["cache"] = "ok" if cache_works() else "error"
    return health


def _last_import() -> ImportRun | None:
    milliseconds = settings.DATABASE_CONNECT_TIMEOUT * 1000
    with transaction.atomic(using="default"):
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(milliseconds)])
        return ImportRun.objects.using("default").latest_finished()


def _describe(run: ImportRun | None) -> dict | None:
    if run is None:
        return None
    return {
        "started": run.started_at.isoformat(),
        "finished": run.finished_at.isoformat() if run.finished_at else None,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "skipped": run.skipped,
        "conflicts": run.conflicts,
        "failed": run.failed,
        "stopped": run.stopped,
    }
