"""Production hardening (issue 9): methods, headers, admin throttling, a lost database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_meeting
from tests.test_fuzz_urls import _PARAMETER, ROUTES

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
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


def test_admin_still_takes_posts(client, admin_user):
    response = client.post(
        reverse("admin:login"), {"username": admin_user.username, "password": "password"}
    )
    assert response.status_code == 302


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
    page = response.content.decode()
    for tag in page.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert "src=" in opening or 'type="application/json"' in opening


@pytest.mark.parametrize("url", ["/", "/robots.txt", "/feeds/meetings.atom"])
def test_permissions_and_resource_policies(client, meeting, url):
    response = client.get(url)
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "geolocation=()", "microphone=()", "payment=()"):
        assert feature in permissions
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_no_template_of_mine_has_inline_script_or_style():
    # base.html, the error pages and the switcher; other templates are checked by theirs.
    for name in ("base.html", "404.html", "500.html", "503.html"):
        text = (BASE_DIR / "templates" / name).read_text()
        assert "style=" not in text, name
        assert "<style" not in text, name
        for tag in text.split("<script")[1:]:
            assert "src=" in tag.split(">", 1)[0], name
    switcher = (BASE_DIR / "templates" / "includes" / "language_switcher.html").read_text()
    assert "style=" not in switcher and "<script" not in switcher


# Admin ---------------------------------------------------------------------------------


def test_admin_login_locks_out_after_the_failure_limit(client, admin_user, settings):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": admin_user.username, "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    last = client.post(url, {"username": admin_user.username, "password": "wrong"})
    assert last.status_code == 429
    # Now even the right password is refused until the cool-off has passed.
    response = client.post(url, {"username": admin_user.username, "password": "password"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_by_username_holds_from_another_address(client, admin_user, settings):
    url = reverse("admin:login")
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            url,
            {"username": admin_user.username, "password": "wrong"},
            REMOTE_ADDR=f"10.0.0.{number + 1}",
        )
    response = client.post(
        url, {"username": admin_user.username, "password": "password"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429


def test_admin_path_comes_from_admin_url():
    assert reverse("admin:index") == "/" + settings.ADMIN_URL


# Settings ------------------------------------------------------------------------------


def run_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO", "DEBUG", "SECRET", "DATABASE", "ADMIN"))
    }
    environment.update(env)
    script = "import django, os\n" + (
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kremlin_meetings.settings')\n"
        "django.setup()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script + textwrap.dedent(code)],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_connect_timeout_is_set_for_every_database(tmp_path):
    code = """
        import json
        from django.conf import settings
        print(json.dumps(settings.DATABASES["default"]["OPTIONS"]))
    """
    for database_url in ("postgres://u@db.example/x", ""):
        result = run_settings(
            code,
            DEBUG="1",
            DATABASE_URL=database_url,
            DATABASE_CONNECT_TIMEOUT="4",
            KM_VAR_DIR=str(tmp_path),
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["connect_timeout"] == 4


@pytest.mark.parametrize("admin_url", ["/admin/", "admin", "/"])
def test_bad_admin_url_is_refused(admin_url):
    result = run_settings("", DEBUG="1", ADMIN_URL=admin_url)
    assert result.returncode != 0
    assert "ADMIN_URL" in result.stderr


# A lost database -----------------------------------------------------------------------


def test_unreachable_database_gives_a_503_with_retry_after_within_seconds():
    # A server that accepts the connection and never says a word: only connect_timeout
    # ends the wait (a closed port would fail at once and prove nothing).
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    code = """
        import json, time
        from django.test import Client
        client = Client(raise_request_exception=False)
        started = time.monotonic()
        response = client.get("/", HTTP_HOST="meetings.example.org")
        print(json.dumps({
            "status": response.status_code,
            "retry_after": response.get("Retry-After"),
            "seconds": time.monotonic() - started,
            "page": response.content.decode(),
        }))
    """
    try:
        result = run_settings(
            code,
            DEBUG="0",
            SECRET_KEY="test-only-" + "x" * 40,
            ALLOWED_HOSTS="meetings.example.org",
            SECURE_SSL_REDIRECT="0",
            DATABASE_URL=f"postgres://nobody@127.0.0.1:{port}/nothing",
            DATABASE_CONNECT_TIMEOUT="2",
        )
    finally:
        silent.close()
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert int(answer["retry_after"]) > 0
    assert answer["seconds"] < 5
    assert "Temporarily unavailable" in answer["page"]
    # The log names what happened, for the operator.
    assert "Service Unavailable: /" in result.stderr


def test_env_example_lists_every_setting():
    # Every variable settings.py and gunicorn.conf.py read is documented in .env.example.
    import re

    read = set()
    for source in ("kremlin_meetings/settings.py", "gunicorn.conf.py"):
        text = (BASE_DIR / source).read_text()
        read |= set(re.findall(r'(?:env_\w+|_int|environ\.get)\(\s*"([A-Z_]+)"', text))
    assert "SECRET_KEY" in read and "GUNICORN_THREADS" in read
    example = (BASE_DIR / ".env.example").read_text()
    missing = sorted(name for name in read if not re.search(rf"^#? ?{name}=", example, re.M))
    assert not missing


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=эмир", "q=%D1%8D%D0%BC%D0%B8%D1%80"])
def test_cyrillic_query_is_not_a_control_character(client, query):
    # Browsers percent-encode; some clients send the UTF-8 bytes as they are. Both are words.
    assert client.get(f"/?{query}").status_code == 200
