"""Editors always read and write the primary, whatever ``ADMIN_URL`` is, and a browser that
just wrote reads the primary for a few seconds whatever the path (read-your-writes).

The replica is real and stale: a second PostgreSQL database filled with ``pg_dump`` from the
test database before the primary changes (a streaming replica of this machine's cluster
would copy every database on it, gigabytes, to get the same staleness), served by gunicorn
with ``ADMIN_URL=editors/`` and ``DATABASE_REPLICA_URLS`` pointing at it.
"""

from __future__ import annotations

import http.cookiejar
import os
import subprocess
import urllib.parse
import urllib.request

import psycopg
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.db import connection

from meetings.models import Meeting
from meetings.requests import WROTE_COOKIE
from tests.databases import client_tool, database_url
from tests.factories import make_meeting
from tests.test_gunicorn import serving


@pytest.fixture
def stale_replica():
    """A copy of the test database as it is now; later writes to the primary miss it."""
    pg_dump, psql = client_tool("pg_dump"), client_tool("psql")
    if pg_dump is None or psql is None:
        pytest.skip("no pg_dump and psql of the test server's major version")
    source = connection.settings_dict["NAME"]
    name = f"{source}_replica"
    with psycopg.connect(database_url("postgres"), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    dump = subprocess.Popen([pg_dump, "--no-owner", database_url(source)], stdout=subprocess.PIPE)
    restore = subprocess.Popen(
        [psql, "-q", "-v", "ON_ERROR_STOP=1", database_url(name)],
        stdin=dump.stdout,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # psql is now pg_dump's only reader: if psql stops early, pg_dump ends too. With our copy
    # of the pipe left open it waited on a full pipe for ever, holding its locks on every
    # table, and so did the test's closing flush (TRUNCATE) behind them.
    dump.stdout.close()  # type: ignore[union-attr]
    _, errors = restore.communicate()
    dumped = dump.wait()  # at once if psql stopped early: its end of the pipe is closed
    assert restore.returncode == 0, f"psql could not restore the dump: {errors}"
    assert dumped == 0, "pg_dump failed"
    yield database_url(name)
    with psycopg.connect(database_url("postgres"), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def served_with_replica(stale_replica, tmp_path):
    env = dict(os.environ)
    env.update(
        DEBUG="1",
        ADMIN_URL="editors/",
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        DATABASE_REPLICA_URLS=stale_replica,
        READ_YOUR_WRITES_SECONDS="30",
        PAGE_CACHE_SECONDS="0",
        KM_VAR_DIR=str(tmp_path),
    )
    with serving(env) as port:
        yield f"http://127.0.0.1:{port}"


class Browser:
    """Cookies kept, redirects followed, forms submitted as a browser would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[str, BeautifulSoup]:
        with self.opener.open(self.base + path, timeout=20) as answer:
            return answer.geturl(), BeautifulSoup(answer.read(), "html.parser")

    def submit(self, path: str, form, **changes: str) -> tuple[str, BeautifulSoup]:
        data = form_fields(form)
        data = [(k, v) for k, v in data if k not in changes] + list(changes.items())
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Referer", self.base + path)
        with self.opener.open(request, timeout=20) as answer:
            return answer.geturl(), BeautifulSoup(answer.read(), "html.parser")

    def has_cookie(self, name: str) -> bool:
        return any(cookie.name == name for cookie in self.cookies)


def form_fields(form) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for element in form.select("input[name], textarea[name], select[name]"):
        name = element["name"]
        if element.name == "textarea":
            fields.append((name, element.get_text()))
        elif element.name == "select":
            chosen = element.select("option[selected]")
            fields.extend((name, option.get("value", "")) for option in chosen)
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                fields.append((name, element.get("value", "on")))
        elif element.get("type") not in ("submit", "button", "file", "image"):
            fields.append((name, element.get("value", "")))
    return fields


def title_on_public_page(soup: BeautifulSoup) -> str:
    heading = soup.select_one("main h1")
    assert heading is not None
    return heading.get_text(strip=True)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editors_read_and_write_the_primary_with_a_stale_replica(
    request, production_password_hasher
):
    User.objects.create_superuser("editor", "editor@example.org", "a long test password")
    meeting = make_meeting(kremlin_id=5, title="Talks with the Sultan", place="Sochi")
    replica = request.getfixturevalue("served_with_replica")  # copied now: place "Sochi"
    Meeting.objects.filter(pk=meeting.pk).update(place="Moscow")  # the replica misses this

    anonymous = Browser(replica)
    _, page = anonymous.get("/meetings/en/5/")
    assert title_on_public_page(page) == "Talks with the Sultan"

    editor = Browser(replica)
    _, login = editor.get("/editors/login/?next=/editors/")
    landed, index = editor.submit(
        "/editors/login/?next=/editors/",
        login.select_one("form#login-form"),
        username="editor",
        password="a long test password",
    )
    assert urllib.parse.urlsplit(landed).path == "/editors/"  # no bounce to the login page
    assert index.select_one("form#login-form") is None

    change = f"/editors/meetings/meeting/{meeting.pk}/change/"
    _, form_page = editor.get(change)
    place = form_page.select_one("input#id_place")
    assert place is not None and place["value"] == "Moscow"  # the primary's, not "Sochi"

    landed, _ = editor.submit(
        change, form_page.select_one("form#meeting_form"), title="Talks with the Emir"
    )
    assert urllib.parse.urlsplit(landed).path == "/editors/meetings/meeting/"
    meeting.refresh_from_db()
    assert (meeting.title, meeting.place) == ("Talks with the Emir", "Moscow")  # no lost edit
    assert editor.has_cookie(WROTE_COOKIE)

    # Signed in, the editor reads the primary everywhere.
    _, own = editor.get("/meetings/en/5/")
    assert title_on_public_page(own) == "Talks with the Emir"
    # Read-your-writes: signed out (a write too), the same browser still reads the primary
    # for a while; a visitor reads the replica (stale: it really serves public pages).
    _, index = editor.get("/editors/")
    editor.submit("/editors/logout/", index.select_one("form#logout-form"))
    assert not editor.has_cookie("sessionid")
    _, own = editor.get("/meetings/en/5/")
    assert title_on_public_page(own) == "Talks with the Emir"
    _, theirs = Browser(replica).get("/meetings/en/5/")
    assert title_on_public_page(theirs) == "Talks with the Sultan"
