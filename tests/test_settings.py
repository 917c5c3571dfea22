"""Settings come from the environment and refuse what they cannot understand.

Most tests start `manage.py` or Python in a process of its own with a chosen environment
(marked `slow`); the helpers are tested in this process."""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kremlin_meetings.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A production-like environment: none of the test run's own switches (the browser
    # tests allow async-unsafe calls, which check --deploy rightly reports).
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_debug_off_without_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.slow
def test_bad_boolean_refused_with_the_variable_named():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.slow
def test_debug_on_gets_a_development_key():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_checkout_commands_default_to_development_settings():
    # The README's `python manage.py import_meetings …` in a fresh checkout, nothing set.
    result = run_manage("check")
    assert result.returncode == 0, result.stderr
    assert "development settings (DEBUG=1)" in result.stderr


@pytest.mark.slow
def test_django_env_production_keeps_the_refusal():
    result = run_manage("check", DJANGO_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.slow
def test_the_wsgi_app_never_defaults_to_development():
    # gunicorn loads kremlin_meetings.wsgi, not manage.py: a missing key is refused there.
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ENV"}}
    result = subprocess.run(
        [sys.executable, "-c", "import kremlin_meetings.wsgi"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.slow
def test_check_deploy_is_clean_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="meetings.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("On", True), ("0", False), ("no", False), ("", False)],
)
def test_env_bool_accepts_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env_bool("SOME_FLAG", True) is True


@pytest.mark.parametrize("raw", ["2", "yes please", "enabled"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def test_env_int_refuses_words_and_negatives(monkeypatch):
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("SECURE_HSTS_SECONDS", 0)
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "-5")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("SECURE_HSTS_SECONDS", 0)


def test_env_list_splits_and_refuses_empty_items(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("ALLOWED_HOSTS", [])


@pytest.mark.slow
def test_database_url_must_be_postgresql():
    result = run_manage("check", DEBUG="1", DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def cache_prefix(**env: str) -> str:
    code = "from django.conf import settings; print(settings.CACHES['default']['KEY_PREFIX'])"
    result = run_manage("shell", "-c", code, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_cached_pages_are_keyed_by_the_database():
    # var/page-cache (or one Redis) outlives a change of DATABASE_URL: another database's
    # pages must not be served from it.
    one = cache_prefix(DATABASE_URL="postgres://postgres@127.0.0.1:5432/one")
    other = cache_prefix(DATABASE_URL="postgres://postgres@127.0.0.1:5432/other")
    assert one == cache_prefix(DATABASE_URL="postgres://postgres@127.0.0.1:5432/one")
    assert one != other


# Database timeouts, the admin's address, and .env.example ------------------------------------


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
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
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


@pytest.mark.slow
@pytest.mark.parametrize("admin_url", ["/admin/", "admin", "/"])
def test_bad_admin_url_is_refused(admin_url):
    result = run_settings("", DEBUG="1", ADMIN_URL=admin_url)
    assert result.returncode != 0
    assert "ADMIN_URL" in result.stderr


def test_env_example_lists_every_setting():
    # Every variable settings.py and gunicorn.conf.py read is documented in .env.example.
    import re

    read = set()
    for source in ("kremlin_meetings/settings.py", "gunicorn.conf.py"):
        text = (ROOT / source).read_text()
        read |= set(re.findall(r'(?:env_\w+|_int|environ\.get)\(\s*"([A-Z_]+)"', text))
    assert "SECRET_KEY" in read and "GUNICORN_THREADS" in read
    example = (ROOT / ".env.example").read_text()
    missing = sorted(name for name in read if not re.search(rf"^#? ?{name}=", example, re.M))
    assert not missing
