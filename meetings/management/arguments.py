"""Argument types shared by the management commands."""

import datetime as dt

from django.core.management.base import CommandError


def iso_date(value: str) -> dt.date:
    """A ``YYYY-MM-DD`` command-line date, or a CommandError saying what was expected."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date: {value!r} (expected YYYY-MM-DD)") from None
