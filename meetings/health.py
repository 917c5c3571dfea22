"""``/healthz``: does the database answer, and how did the last import go?

For load balancers, compose's healthcheck and a scheduler's monitoring: JSON, 200 when the
database answers, 503 (with ``Retry-After``) when it does not. Never cached.
"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from meetings.models import ImportRun


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last = ImportRun.objects.latest_finished()
    except DatabaseError as exc:
        body = {"database": "error", "error": " ".join(str(exc).split())[:200]}
        response = JsonResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    return JsonResponse({"database": "ok", "last_import": _describe(last)})


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
