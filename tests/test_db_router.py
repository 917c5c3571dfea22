"""Public pages read from a replica; imports, the admin and writes use the primary."""

from __future__ import annotations

import importlib

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import clear_url_caches, reverse

from kremlin_meetings import urls as root_urls
from kremlin_meetings.db_router import ReplicaRouter
from meetings.middleware import ReplicaReadsMiddleware
from meetings.models import Meeting
from meetings.requests import WROTE_COOKIE
from tests.factories import make_meeting


def route(settings, method: str, path: str) -> str:
    settings.DATABASES = {**settings.DATABASES, "replica1": settings.DATABASES["default"]}
    seen = {}

    def view(request):
        seen["read"] = ReplicaRouter().db_for_read(Meeting)
        seen["write"] = ReplicaRouter().db_for_write(Meeting)
        return HttpResponse()

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


# Whole requests through the stack: where the router sends each read -----------------------


@pytest.fixture
def replica(settings, monkeypatch):
    """A ``replica1`` alias (the same test database) and the admin moved to ``editors/``
    (the URLconf rebuilt for it, then put back). Yields the list of the aliases the router
    chose for each read; a read it sends to the replica runs on the primary's connection,
    which holds the test's rows."""
    settings.DATABASES = {**settings.DATABASES, "replica1": settings.DATABASES["default"]}
    settings.ADMIN_URL = "editors/"
    importlib.reload(root_urls)
    clear_url_caches()
    chosen: list[str] = []
    route = ReplicaRouter.db_for_read

    def recorded(self, model, **hints):
        alias = route(self, model, **hints)
        chosen.append(alias)
        return "default"

    monkeypatch.setattr(ReplicaRouter, "db_for_read", recorded)
    yield chosen
    settings.ADMIN_URL = "admin/"
    importlib.reload(root_urls)
    clear_url_caches()


def reads_of(chosen: list[str], get) -> tuple[int, set[str]]:
    """(status, the aliases the router chose for the reads of ``get()``)."""
    chosen.clear()
    status = get().status_code
    return status, set(chosen)


@pytest.mark.django_db
def test_admin_at_any_address_and_signed_in_users_read_the_primary(replica, admin_client):
    meeting = make_meeting()
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert change.startswith("/editors/")
    # The admin's change form, at ADMIN_URL=editors/: every read on the primary.
    assert reads_of(replica, lambda: admin_client.get(change)) == (200, {"default"})
    # A signed-in editor's public page: the primary too (they see their own changes).
    assert reads_of(replica, lambda: admin_client.get("/countries/")) == (200, {"default"})
    # An anonymous visitor's public page reads the replica: the checks above can fail.
    status, aliases = reads_of(replica, lambda: Client().get("/countries/"))
    assert status == 200 and "replica1" in aliases


@pytest.mark.django_db
def test_a_browser_that_just_wrote_reads_the_primary_whatever_the_path(replica, settings):
    """Read-your-writes: after a POST (here a login attempt, signed out again at once), the
    same browser's public reads go to the primary for READ_YOUR_WRITES_SECONDS."""
    make_meeting()
    browser = Client()
    browser.post(reverse("admin:login"), {"username": "nobody", "password": "wrong"})
    wrote = browser.cookies[WROTE_COOKIE]
    assert int(wrote["max-age"]) == settings.READ_YOUR_WRITES_SECONDS
    assert reads_of(replica, lambda: browser.get("/countries/")) == (200, {"default"})
    # Past the mark (or without it), the replica again.
    browser.cookies[WROTE_COOKIE] = "1"
    status, aliases = reads_of(replica, lambda: browser.get("/countries/"))
    assert status == 200 and "replica1" in aliases
