"""``manage.py benchmark_web``: serving speed at 100,000 meetings (meetings.devtools)."""

from __future__ import annotations

from meetings.devtools import benchmark_web
from meetings.management.passthrough import PassThroughCommand


class Command(PassThroughCommand):
    help = "How fast the public pages are served at 100,000 meetings (see --help)."

    def tool(self):
        return benchmark_web.main
