"""``import_meetings`` survives any dying process, and its ``ImportRun`` tells the truth.

Real processes, real signals, the real command in a subprocess on the test database. To kill a
process at a known moment the test holds a lock on the meetings table: the import's first save
waits on it while the parse workers fill the queue of parsed pages and go idle. Then a worker,
the forkserver, the resource tracker or the import itself is killed with SIGKILL and the lock
released.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from meetings.models import ImportRun, Meeting, aggregates
from tests.databases import database_url
from tests.test_import import PAGES, copy_pages
from tests.test_import_workers import _alive, _children

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc"),
]

ROOT = Path(__file__).parents[1]
NAMES = sorted(p.name for p in PAGES.glob("en-[0-9]*.html"))


@dataclass
class Import:
    process: subprocess.Popen
    folder: Path

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, out, err


@pytest.fixture
def lock() -> Iterator[psycopg.Connection]:
    """A second session holding a lock that makes the import's first save wait."""
    with psycopg.connect(database_url(), autocommit=False) as held:
        held.execute("LOCK TABLE meetings_meeting IN SHARE ROW EXCLUSIVE MODE")
        yield held


def start_import(tmp_path: Path, *extra: str) -> Import:
    folder = copy_pages(tmp_path, *NAMES)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "KM_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "kremlin_meetings.settings",
    }
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "import_meetings", str(folder), *extra],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return Import(process, folder)


def wait_until_blocked(job: Import, timeout: float = 60) -> None:
    """Until the import waits on the lock with its queue of parsed pages full (two idle
    workers; the window is 16 pages, parsed in well under the seconds waited here)."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(database_url(), autocommit=True) as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()[0]
            if waiting and len(workers(job)) >= 2:
                wait_until_idle(job)  # the workers parse their window and go idle
                return
            assert job.process.poll() is None, job.process.communicate()
            time.sleep(0.2)
        activity = watcher.execute(
            "SELECT state, wait_event_type, left(query, 80) FROM pg_stat_activity"
            " WHERE datname = current_database()"
        ).fetchall()
    raise AssertionError(f"the import never waited on the lock with its workers: {activity}")


def wait_until_idle(job: Import, timeout: float = 10) -> None:
    """Until the workers use no processor time for a while (each blocked on the full queue),
    or ``timeout`` seconds: polled, instead of a fixed wait long enough for a loaded machine."""
    deadline = time.monotonic() + timeout
    before = _cpu_ticks(workers(job))
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = _cpu_ticks(workers(job))
        if now == before and now:
            return
        before = now


def _cpu_ticks(pids: list[int]) -> dict[int, int]:
    """Processor time (user and system, in clock ticks) used so far by each of ``pids``."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15
    return ticks


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def helpers(job: Import) -> dict[str, int]:
    """The import's forkserver and resource tracker: its children, by their command lines
    (the workers, forked by the forkserver, carry the forkserver's command line)."""
    found = {}
    for pid in _children(job.process.pid) - _grandchildren(job.process.pid):
        line = _cmdline(pid)
        for name in ("forkserver", "resource_tracker"):
            if f"multiprocessing.{name} import main" in line:
                found[name] = pid
    return found


def _grandchildren(pid: int) -> set[int]:
    return {pid for kid in _children(pid) for pid in _children(kid)}


def workers(job: Import) -> list[int]:
    server = helpers(job).get("forkserver")
    if server is None:
        return []
    return sorted(pid for pid in _children(server) if _alive(pid))


def summary_of(out: str) -> dict[str, int]:
    line = next(line for line in out.splitlines() if line.startswith("created "))
    return {k: int(v) for v, k in (part.split()[::-1] for part in line.split(", "))}


def assert_everything_imported(job: Import, out: str) -> None:
    counts = summary_of(out)
    assert counts["failed"] == 0
    assert counts["created"] + counts["skipped"] == len(NAMES)
    assert Meeting.objects.count() == counts["created"]
    run = ImportRun.objects.get()
    assert run.state == "finished" and run.stopped == ""
    assert (run.created, run.skipped, run.failed) == (counts["created"], counts["skipped"], 0)


def test_a_worker_killed_while_the_queue_is_full_costs_nothing(tmp_path, lock):
    job = start_import(tmp_path)
    try:
        wait_until_blocked(job)
        victim = workers(job)[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while (_alive(victim) or len(workers(job)) < 2) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(victim)
        assert len(workers(job)) == 2  # replaced while the import still waits
        lock.rollback()
        status, out, err = job.finish()
    finally:
        if job.process.poll() is None:
            job.process.kill()
    assert status == 0, err
    assert "Traceback" not in err
    assert_everything_imported(job, out)


def test_killing_the_forkserver_and_the_resource_tracker_costs_nothing(tmp_path, lock):
    job = start_import(tmp_path)
    idle: list[int] = []
    try:
        wait_until_blocked(job)
        first = helpers(job)
        assert set(first) == {"forkserver", "resource_tracker"}
        idle = workers(job)
        os.kill(first["forkserver"], signal.SIGKILL)
        os.kill(first["resource_tracker"], signal.SIGKILL)
        time.sleep(0.5)
        # A worker dying now needs a new forkserver (and resource tracker) to be replaced.
        os.kill(idle[0], signal.SIGKILL)
        lock.rollback()
        status, out, err = job.finish()
    finally:
        if job.process.poll() is None:
            job.process.kill()
        for pid in idle:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert status == 0, err
    assert "Traceback" not in err
    assert_everything_imported(job, out)
    assert not [pid for pid in idle if _alive(pid)]  # the orphans ended with the run


def test_a_killed_import_is_seen_dead_and_does_not_hold_the_aggregates_back(tmp_path, lock):
    job = start_import(tmp_path)
    try:
        wait_until_blocked(job)
        for _ in range(3):  # let a page or two through, three times, a second apart
            lock.rollback()
            lock.execute("LOCK TABLE meetings_meeting IN SHARE ROW EXCLUSIVE MODE")
            time.sleep(1.2)
        saved = Meeting.objects.count()
        deadline = time.monotonic() + 2 * ImportRun.HEARTBEAT_EVERY.total_seconds()
        while ImportRun.objects.get().created != saved and time.monotonic() < deadline:
            time.sleep(0.2)  # written as pages are saved, and by the heartbeat while it waits
        run = ImportRun.objects.get()
        assert run.created == saved >= 3 and run.state == "running"
        os.kill(job.process.pid, signal.SIGKILL)
        job.process.wait()
    finally:
        if job.process.poll() is None:
            job.process.kill()
    run = ImportRun.objects.get()
    assert run.finished_at is None
    assert run.state == "dead"  # its process is gone from this host
    assert run.created == Meeting.objects.count()

    with connection.cursor() as cursor:
        cursor.execute(aggregates._CURRENT)
        assert not cursor.fetchone()[0]  # not refreshed since the meetings were written
        aggregates.ensure_fresh()  # a page reading the counts: no longer waits on the run
        cursor.execute(aggregates._CURRENT)
        assert cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM meetings_countrystats")
        assert cursor.fetchone()[0] > 0

    # The next import closes it, saying what happened.
    lock.rollback()
    (tmp_path / "again").mkdir()
    job = start_import(tmp_path / "again")
    status, out, err = job.finish()
    assert status == 0, err
    dead = ImportRun.objects.order_by("started_at").first()
    assert dead.finished_at is not None
    assert dead.stopped.startswith("the import process died")
