"""`make stop`: stopping the embedded PostgreSQL, and refusing to signal anything else."""

from __future__ import annotations

import subprocess
import sys

from kremlin_meetings.embedded_postgres.server import stop_server


def test_stop_without_a_server_says_so(tmp_path):
    assert "not running" in stop_server(tmp_path / "pgdata")


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
