"""The middlewares (``meetings/middleware.py``): public pages answer GET and HEAD only, every
answer carries a strict Content-Security-Policy and the permissions and resource policies,
and odd request input is refused or read correctly."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_meeting
from tests.html import select
from tests.test_fuzz_urls import _PARAMETER, ROUTES

pytestmark = pytest.mark.django_db

UNSAFE_METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]
# The API also answers OPTIONS, in JSON (tests/test_api.py): the site's pages here.
PAGE_ROUTES = [route for route in ROUTES if not route.startswith("api/")]


@pytest.fixture
def meeting():
    return make_meeting(kremlin_id=62562, countries=("TR",))


def sample_path(route: str) -> str:
    return "/" + _PARAMETER.sub("62562", route)


# GET and HEAD only ---------------------------------------------------------------------


@pytest.mark.parametrize("method", UNSAFE_METHODS)
@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_public_pages_answer_only_get_and_head(client, meeting, route, method):
    response = client.generic(method, sample_path(route))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_post_with_a_valid_csrf_token_is_still_refused(meeting):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    response = client.post("/", {"csrfmiddlewaretoken": "a" * 32})
    assert response.status_code == 405


def test_head_is_answered(client, meeting):
    assert client.head("/").status_code == 200


# Headers -------------------------------------------------------------------------------


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )


@pytest.mark.parametrize("url", ["/", "/countries/TR/", "/meetings/en/62562/", "/nowhere/"])
def test_every_page_has_a_strict_content_security_policy(client, meeting, url):
    response = client.get(url)
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_admin_has_the_policy_too(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # Django's admin puts no inline script on its pages (only JSON data blocks).
    scripts = select(response, "script")
    assert scripts
    for script in scripts:
        assert script.get("src") or script.get("type") == "application/json", script


@pytest.mark.parametrize("url", ["/", "/robots.txt", "/feeds/meetings.atom"])
def test_permissions_and_resource_policies(client, meeting, url):
    response = client.get(url)
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "geolocation=()", "microphone=()", "payment=()"):
        assert feature in permissions
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


# Admin ---------------------------------------------------------------------------------


# Settings ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=эмир", "q=%D1%8D%D0%BC%D0%B8%D1%80"])
def test_cyrillic_query_is_not_a_control_character(client, query):
    # Browsers percent-encode; some clients send the UTF-8 bytes as they are. Both are words.
    assert client.get(f"/?{query}").status_code == 200
