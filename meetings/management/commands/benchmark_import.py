"""``manage.py benchmark_import``: the whole import's speed next to the bare parse rate."""

from __future__ import annotations

from meetings.importer import benchmark
from meetings.management.passthrough import PassThroughCommand


class Command(PassThroughCommand):
    help = "How fast the whole import is, next to the bare parse rate (see --help)."

    def tool(self):
        return benchmark.main
