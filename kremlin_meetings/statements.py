"""The statement timeout: short for the web, lifted for commands.

Every connection starts with ``statement_timeout`` = ``DATABASE_STATEMENT_TIMEOUT`` (set in
the connection's ``options`` in settings.py), below gunicorn's timeout, so a page whose query
runs too long fails alone (a 503) instead of leaving the query running after gunicorn kills
the worker. Imports, migrations and the other management commands are not requests: they
call :func:`lift_statement_timeout` first, and their connections (including any opened later)
have no statement timeout.
"""

from __future__ import annotations

import re

from django.db import connections

_TIMEOUT = re.compile(r"-c\s*statement_timeout=\S+")


def with_statement_timeout(options: str, milliseconds: int) -> str:
    """``options`` (libpq's ``-c name=value`` list) with the statement timeout replaced."""
    setting = f"-c statement_timeout={milliseconds}"
    if _TIMEOUT.search(options):
        return _TIMEOUT.sub(setting, options)
    return f"{options} {setting}".strip()


def set_statement_timeout(milliseconds: int) -> None:
    """Every database alias of this process: new connections use ``milliseconds`` (0: no
    limit), and an open connection is switched at once."""
    for alias in connections:
        connection = connections[alias]
        # One dict per alias, shared by every thread's connection.
        options = connection.settings_dict.setdefault("OPTIONS", {})
        options["options"] = with_statement_timeout(options.get("options", ""), milliseconds)
        if connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, false)", [str(milliseconds)]
                )


def lift_statement_timeout() -> None:
    """For commands: no statement timeout (imports, migrations, refreshes may take long)."""
    set_statement_timeout(0)
