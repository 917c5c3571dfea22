"""Recompute the per-person and per-country aggregates (after edits made outside the
importer and the admin, e.g. in SQL; imports and admin saves refresh them on their own)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from kremlin_meetings.statements import lift_statement_timeout
from meetings.models import aggregates


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options) -> None:
        lift_statement_timeout()  # a command, not a request
        started = time.monotonic()
        aggregates.refresh()
        if options["verbosity"]:
            self.stdout.write(f"aggregates refreshed in {time.monotonic() - started:.1f} s")
