"""The admin pages an editor uses, and a save, timed at 100,000 meetings (``benchmark_web``
runs this on the same server, after the public pages).

Signs in as ``benchmark-editor`` (created with ``createsuperuser`` if missing: the one write
besides the saves timed here), then requests each admin page ``REPEAT`` times and reports
the median and the slowest, and saves a meeting's change form unchanged (a real save through
the admin: the meeting row, the admin log, the announcement) and reports how long the save
took, whether the public page answered at once, and how long until the kept counts were
current again. Target: under 1 s for every page and for the save.
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psycopg
from bs4 import BeautifulSoup

BASE_DIR = Path(__file__).resolve().parent.parent.parent
EDITOR, PASSWORD = "benchmark-editor", "benchmark-editor-password-not-secret"
REPEAT = 3
TARGET_MS = 1000
_CURRENT = (
    "SELECT s.version = v.last_value FROM meetings_aggregatesstate s, meetings_aggregates_version v"
)


class Session:
    """One signed-in browser over plain HTTP (the Secure cookies kept by hand)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, content


def form_fields(form) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for element in form.select("input[name], textarea[name], select[name]"):
        name = element["name"]
        if element.name == "textarea":
            fields.append((name, element.get_text().removeprefix("\n")))
        elif element.name == "select":
            fields.extend((name, o.get("value", "")) for o in element.select("option[selected]"))
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                fields.append((name, element.get("value", "on")))
        elif element.get("type") not in ("submit", "button", "file", "image"):
            fields.append((name, element.get("value", "")))
    return fields


def sign_in(port: int, database: str) -> Session:
    env = dict(os.environ, DATABASE_URL=database, DEBUG="1")
    env["DJANGO_SUPERUSER_PASSWORD"] = PASSWORD
    subprocess.run(  # fails harmlessly when the editor exists
        [sys.executable, "manage.py", "createsuperuser", "--no-input", "--username", EDITOR,
         "--email", "benchmark@example.org"],
        cwd=BASE_DIR, env=env, capture_output=True, check=False,
    )  # fmt: skip
    session = Session(port)
    _, page = session.request("GET", "/admin/login/")
    form = BeautifulSoup(page, "html.parser").select_one("form#login-form")
    data = dict(form_fields(form)) | {"username": EDITOR, "password": PASSWORD}
    status, _ = session.request("POST", "/admin/login/?next=/admin/", urllib.parse.urlencode(data))
    if status != 302:
        raise SystemExit(f"signing in as {EDITOR} failed ({status})")
    return session


def admin_paths(database: str) -> dict[str, str]:
    with psycopg.connect(database) as conn:
        q = conn.execute
        biggest = q(
            "SELECT meeting_id FROM meetings_utterance GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        typical = q(
            "SELECT meeting_id FROM meetings_utterance GROUP BY 1 HAVING count(*) BETWEEN 20 AND 60"
            " ORDER BY 1 LIMIT 1"
        ).fetchone()[0]
        person = q(
            "SELECT participant_id FROM meetings_participation GROUP BY 1 ORDER BY count(*) DESC"
            " LIMIT 1"
        ).fetchone()[0]
        country = q(
            "SELECT country_id FROM meetings_meetingcountry GROUP BY 1 ORDER BY count(*) DESC"
            " LIMIT 1"
        ).fetchone()[0]
    auto = "/admin/autocomplete/?app_label=meetings"
    return {
        "index": "/admin/",
        "meetings": "/admin/meetings/meeting/",
        "meetings ?q=gas": "/admin/meetings/meeting/?q=gas",
        f"meetings of {country}": f"/admin/meetings/meeting/?country={country}",
        "meeting form (typical)": f"/admin/meetings/meeting/{typical}/change/",
        "meeting form (most turns)": f"/admin/meetings/meeting/{biggest}/change/",
        "people": "/admin/meetings/participant/",
        "people ?q=put": "/admin/meetings/participant/?q=put",
        f"people of {country}": f"/admin/meetings/participant/?country__code__exact={country}",
        "person form (busiest)": f"/admin/meetings/participant/{person}/change/",
        "turns": "/admin/meetings/utterance/",
        "turns ?q=gas": "/admin/meetings/utterance/?q=gas",
        "participations ?q=put": "/admin/meetings/participation/?q=put",
        "countries": "/admin/meetings/country/",
        "autocomplete person": f"{auto}&model_name=participation&field_name=participant&term=put",
        "autocomplete country": f"{auto}&model_name=meetingcountry&field_name=country&term=ger",
        "autocomplete meeting": f"{auto}&model_name=utterance&field_name=meeting&term=gas",
        "import runs": "/admin/meetings/importrun/",
    }


def time_save(session: Session, database: str, path: str) -> tuple[float, int, float | None]:
    """(ms for the POST, the public page's status right after, s until the counts are
    current again or None if not within 60 s)."""
    _, page = session.request("GET", path)
    form = BeautifulSoup(page, "html.parser").select_one("form#meeting_form")
    body = urllib.parse.urlencode(form_fields(form))
    started = time.perf_counter()
    status, _ = session.request("POST", path, body)
    saved_ms = (time.perf_counter() - started) * 1000
    if status != 302:
        raise SystemExit(f"saving {path} answered {status}")
    public, _ = Session(session.port).request("GET", "/")
    with psycopg.connect(database, autocommit=True) as conn:
        for _ in range(600):
            if conn.execute(_CURRENT).fetchone()[0]:
                return saved_ms, public, time.perf_counter() - started
            time.sleep(0.1)
    return saved_ms, public, None


def run(port: int, database: str) -> None:
    session = sign_in(port, database)
    paths = admin_paths(database)
    print("\n| admin page | median ms | max ms | status | target |")
    print("|---|---|---|---|---|")
    for name, path in paths.items():
        times, statuses = [], set()
        for _ in range(REPEAT):
            started = time.perf_counter()
            status, _ = session.request("GET", path)
            times.append((time.perf_counter() - started) * 1000)
            statuses.add(status)
        ok = "ok" if max(times) < TARGET_MS else "MISSED"
        print(
            f"| {name} | {statistics.median(times):.0f} | {max(times):.0f} | "
            f"{','.join(map(str, sorted(statuses)))} | {TARGET_MS} {ok} |"
        )
    saved_ms, public, counts_s = time_save(session, database, paths["meeting form (typical)"])
    ok = "ok" if saved_ms < TARGET_MS else "MISSED"
    follow = f"{counts_s:.1f} s" if counts_s is not None else "not within 60 s"
    print(f"| save (typical meeting, unchanged) | {saved_ms:.0f} | {saved_ms:.0f} | 302 | "
          f"{TARGET_MS} {ok} |")  # fmt: skip
    print(f"\npublic page right after the save: {public}; kept counts current after {follow}")
