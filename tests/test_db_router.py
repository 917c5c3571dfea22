"""Public pages read from a replica; imports, the admin and writes use the primary."""

from __future__ import annotations

from django.test import RequestFactory

from kremlin_meetings.db_router import ReplicaRouter
from meetings.middleware import ReplicaReadsMiddleware
from meetings.models import Meeting


def route(settings, method: str, path: str) -> str:
    settings.DATABASES = {**settings.DATABASES, "replica1": settings.DATABASES["default"]}
    seen = {}

    def view(request):
        seen["read"] = ReplicaRouter().db_for_read(Meeting)
        seen["write"] = ReplicaRouter().db_for_write(Meeting)
        return None

    ReplicaReadsMiddleware(view)(getattr(RequestFactory(), method)(path))
    return seen


def test_public_page_reads_from_replica(settings):
    assert route(settings, "get", "/countries/") == {"read": "replica1", "write": "default"}


def test_admin_and_posts_use_primary(settings):
    assert route(settings, "get", "/admin/meetings/meeting/")["read"] == "default"
    assert route(settings, "post", "/i18n/setlang/")["read"] == "default"


def test_outside_a_request_primary(settings):
    settings.DATABASES = {**settings.DATABASES, "replica1": settings.DATABASES["default"]}
    assert ReplicaRouter().db_for_read(Meeting) == "default"
    assert ReplicaRouter().allow_migrate("replica1", "meetings") is False


def test_without_replicas_primary():
    seen = {}
    ReplicaReadsMiddleware(lambda r: seen.setdefault("read", ReplicaRouter().db_for_read(Meeting)))(
        RequestFactory().get("/")
    )
    assert seen == {"read": "default"}
