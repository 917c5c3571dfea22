"""The embedded PostgreSQL: started on first use, shared by every process, crash-safe, and
stopped by `make stop` (which signals nothing but that server).

Each test runs the app's own settings in fresh processes against a scratch data folder
(KM_VAR_DIR), so nothing here touches the developer's var/ or the test database.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kremlin_meetings.embedded_postgres.server import stop_server

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import os, sys
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid(), (SELECT pid FROM pg_stat_activity LIMIT 0)")
    cursor.execute("SHOW data_directory")
    data_directory = cursor.fetchone()[0]
    cursor.execute("SELECT pg_postmaster_start_time()")
    started = cursor.fetchone()[0]
    for statement in sys.argv[1:]:
        cursor.execute(statement)
    rows = cursor.fetchall() if cursor.description else []
print(data_directory)
print(started.isoformat())
print(rows)
"""


def run_app(var_dir: Path, *statements: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DEBUG="1", KM_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="kremlin_meetings.settings"
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *statements],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().splitlines()[0])


@pytest.fixture
def var_dir():
    # A short path: PostgreSQL's socket lives in the data folder and socket paths are short.
    path = Path(tempfile.mkdtemp(prefix="km-", dir="/tmp"))
    yield path
    pid_file = path / "pgdata" / "postmaster.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError):
            os.kill(postmaster_pid(path / "pgdata"), signal.SIGKILL)
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.slow
def test_first_use_starts_a_server_with_data_under_var(var_dir):
    data_directory, _, _ = run_app(var_dir)
    assert Path(data_directory) == (var_dir / "pgdata").resolve()
    assert (var_dir / "pgdata" / "PG_VERSION").exists()


@pytest.mark.slow
def test_second_process_reuses_the_running_server(var_dir):
    _, first_start, _ = run_app(var_dir, "CREATE TABLE shared_note (body text)")
    pid = postmaster_pid(var_dir / "pgdata")
    _, second_start, rows = run_app(
        var_dir, "INSERT INTO shared_note VALUES ('hello')", "SELECT count(*) FROM shared_note"
    )
    assert second_start == first_start
    assert postmaster_pid(var_dir / "pgdata") == pid
    assert rows == "[(1,)]"


@pytest.mark.slow
def test_first_uses_at_once_share_one_new_server(var_dir):
    """The test workers of a fresh checkout (`make test` first) start the app together: one
    creates and starts the server, the others wait for it and use it."""
    with ThreadPoolExecutor(3) as pool:
        runs = list(pool.map(lambda _: run_app(var_dir), range(3)))
    assert len({data_directory for data_directory, _, _ in runs}) == 1
    assert len({started for _, started, _ in runs}) == 1  # one server, started once


@pytest.mark.slow
def test_russian_stemming_is_available(var_dir):
    *_, rows = run_app(var_dir, "SELECT to_tsvector('russian', 'переговорами')::text")
    assert "переговор" in rows


@pytest.mark.slow
def test_unclean_stop_loses_no_committed_data(var_dir):
    run_app(var_dir, "CREATE TABLE kept (n int)", "INSERT INTO kept VALUES (42)")
    pgdata = var_dir / "pgdata"
    os.kill(postmaster_pid(pgdata), signal.SIGKILL)
    time.sleep(0.5)
    *_, rows = run_app(var_dir, "SELECT n FROM kept")
    assert rows == "[(42,)]"


# `make stop`: stopping the embedded PostgreSQL, and refusing to signal anything else -------


def test_stop_without_a_server_says_so(tmp_path):
    assert "not running" in stop_server(tmp_path / "pgdata")


@pytest.mark.slow
def test_stop_leaves_a_process_that_is_not_postgres_alone(tmp_path):
    # A stale postmaster.pid whose number now belongs to some other program.
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        pgdata = tmp_path / "pgdata"
        pgdata.mkdir()
        (pgdata / "postmaster.pid").write_text(f"{other.pid}\n{pgdata}\n")
        assert "not running" in stop_server(pgdata)
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()
