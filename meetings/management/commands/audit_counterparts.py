"""Report, per kind of meeting, the share that names a participant from abroad (see
meetings/importer/counterparts_audit.py for the method)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from meetings.importer.counterparts_audit import audit_counterparts


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--examples",
            type=int,
            default=0,
            metavar="N",
            help="List up to N meetings per kind that name no one from abroad.",
        )

    def handle(self, *args, **options) -> None:
        figures = audit_counterparts(examples=options["examples"])
        lines = figures.lines()
        if options["verbosity"] > 1 or options["examples"]:
            for kind, listed in sorted(figures.missing.items()):
                for pk, title in listed:
                    self.stdout.write(f"no foreign participant: {kind} {pk} {title}")
        if options["verbosity"]:
            for line in lines[:-1]:
                self.stdout.write(line)
        self.stdout.write(lines[-1])
