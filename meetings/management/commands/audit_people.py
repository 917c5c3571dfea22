"""``manage.py audit_people [-v]``: junk and duplicate participants, counted and listed."""

from __future__ import annotations

from meetings.importer.people import audit
from meetings.management.passthrough import PassThroughCommand


class Command(PassThroughCommand):
    help = "Count junk and duplicate participants; -v lists them."

    def tool(self):
        return audit.main
