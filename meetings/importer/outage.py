"""The database going away in the middle of an import.

A page whose save fails because the connection is lost is not a bad page: the import waits
up to ``IMPORT_DATABASE_WAIT`` seconds for the server to answer again (a PostgreSQL restart,
a failover) and saves the page once more (its transaction was rolled back whole), so the run
goes on and loses nothing. A database that stays away ends the run with
:class:`DatabaseUnavailable`: the summary says so, once, instead of every later page failing
with the same error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

T = TypeVar("T")

# What a lost connection raises (a statement cancelled by a timeout is an OperationalError
# too, but the server still answers afterwards: see reachable()).
CONNECTION_ERRORS = (OperationalError, InterfaceError)


class DatabaseUnavailable(Exception):
    """The database did not answer again within ``IMPORT_DATABASE_WAIT`` seconds."""


def one_line(exc: BaseException) -> str:
    """An error's message on one line (psycopg's span several)."""
    return " ".join(str(exc).split())


def reachable() -> bool:
    """Whether a new connection to the database can be opened (the broken one is dropped)."""
    connection.close()
    try:
        connection.ensure_connection()
    except CONNECTION_ERRORS:
        return False
    return True


def through_outage(work: Callable[[], T]) -> T:
    """``work()`` (a page's save, a lookup); if it fails because the database went away,
    ``work()`` again once the database is back, or :class:`DatabaseUnavailable` if it stays
    away."""
    try:
        return work()
    except CONNECTION_ERRORS as exc:
        # Inside a caller's transaction (tests) nothing can be retried; a server that still
        # answers failed this page alone (a cancelled statement): the caller's failure.
        if connection.in_atomic_block or reachable():
            raise
        wait_for_database(exc)
    return work()


def wait_for_database(lost: Exception) -> None:
    seconds = settings.IMPORT_DATABASE_WAIT
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1)
        if reachable():
            return
    raise DatabaseUnavailable(
        f"the database went away and did not answer again within {seconds} s ({one_line(lost)})"
    )
