"""An import whose database goes away mid-run: it waits for the server to come back and loses
nothing, or, if it stays away, stops with one clear line and no traceback.

Real processes on a private embedded PostgreSQL (the test database's server is shared by every
test and cannot be taken away). A second session holds a lock that makes the import's first
save wait; the server is then killed with SIGKILL, as a crash or an OOM kill would.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.test_import import PAGES, copy_pages

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
NAMES = sorted(p.name for p in PAGES.glob("en-[0-9]*.html"))


def manage(var: Path, *args: str, wait: int = 60, **kwargs) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DEBUG="1",
        KM_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="kremlin_meetings.settings",
        IMPORT_DATABASE_WAIT=str(wait),
    )
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def run(var: Path, *args: str) -> tuple[int, str, str]:
    process = manage(var, *args)
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def postmaster(var: Path) -> int:
    return int((var / "pgdata" / "postmaster.pid").read_text().splitlines()[0])


def session(var: Path) -> psycopg.Connection:
    return psycopg.connect(host=str(var / "pgdata"), dbname="postgres", user="postgres")


@pytest.fixture
def var() -> Iterator[Path]:
    # A short path: the server's socket lives in its data folder.
    path = Path(tempfile.mkdtemp(prefix="km-", dir="/tmp"))
    code, _, err = run(path, "migrate", "--no-input")
    assert code == 0, err
    yield path
    with contextlib.suppress(OSError, ValueError, IndexError):
        os.kill(postmaster(path), signal.SIGKILL)
    shutil.rmtree(path, ignore_errors=True)


def import_stuck_on_a_lock(var: Path, pages: Path, wait: int) -> subprocess.Popen:
    """An import whose first save waits on a lock another session holds, then the server
    killed under it (the lock's session dies with it)."""
    held = session(var)
    held.execute("LOCK TABLE meetings_meeting IN SHARE ROW EXCLUSIVE MODE")
    job = manage(var, "import_meetings", str(pages), wait=wait)
    deadline = time.monotonic() + 120
    with session(var) as watcher:
        watcher.autocommit = True  # each look a new snapshot of the activity
        while not watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        ).fetchone()[0]:
            assert job.poll() is None, job.communicate()
            assert time.monotonic() < deadline, "the import never waited on the lock"
            time.sleep(0.2)
    os.kill(postmaster(var), signal.SIGKILL)
    with contextlib.suppress(psycopg.Error):
        held.close()
    return job


def meetings_and_last_run(var: Path) -> tuple[int, tuple]:
    with session(var) as db:
        meetings = db.execute("SELECT count(*) FROM meetings_meeting").fetchone()[0]
        last = db.execute(
            "SELECT finished_at IS NOT NULL, created, failed, stopped FROM meetings_importrun"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return meetings, last


def test_a_database_that_comes_back_costs_the_import_nothing(var, tmp_path):
    pages = copy_pages(tmp_path, *NAMES)
    job = import_stuck_on_a_lock(var, pages, wait=120)
    time.sleep(2)  # the import has seen the server go and waits for it
    assert job.poll() is None, job.communicate()
    code, _, err = run(var, "migrate", "--no-input")  # starts the server again
    assert code == 0, err
    out, err = job.communicate(timeout=300)
    assert job.returncode == 0, err
    assert "Traceback" not in err
    created = int(out.split("created ")[1].split(",")[0])
    assert "failed 0" in out and created > 20
    assert meetings_and_last_run(var) == (created, (True, created, 0, ""))


def test_a_database_that_stays_away_stops_the_run_with_one_clear_line(var, tmp_path):
    pages = copy_pages(tmp_path, *NAMES)
    job = import_stuck_on_a_lock(var, pages, wait=2)
    out, err = job.communicate(timeout=120)
    assert job.returncode == 1
    assert "Traceback" not in err, err
    assert "CommandError: stopped early: the database went away and did not answer again" in err
    assert "the bulk downloads were not regenerated" not in err  # nothing was written
    assert out.startswith("created 0,")
    # Once the server is back, the run that could not record its end is closed as what it
    # was, and the same command imports everything.
    code, _, err = run(var, "migrate", "--no-input")
    assert code == 0, err
    code, out, err = run(var, "import_meetings", str(pages))
    assert code == 0, err
    created = int(out.split("created ")[1].split(",")[0])
    meetings, last = meetings_and_last_run(var)
    assert meetings == created > 20 and last == (True, created, 0, "")
    with session(var) as db:
        first = db.execute(
            "SELECT finished_at IS NOT NULL, stopped FROM meetings_importrun ORDER BY id LIMIT 1"
        ).fetchone()
    assert first[0] and first[1].startswith("the import process died, or lost the database"), first
