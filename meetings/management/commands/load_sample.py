"""``manage.py load_sample``: import the bundled sample, only into a database with no meetings.

Cheap when there is data already (one query), so ``make run`` can call it every time.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kremlin_meetings.statements import lift_statement_timeout
from meetings.importer import run
from meetings.management.commands.import_meetings import SAMPLE_DIR
from meetings.models import Meeting


class Command(BaseCommand):
    help = "Import the bundled sample meetings when the database has none yet."

    def handle(self, *args, **opts) -> None:
        if Meeting.objects.exists():
            if opts["verbosity"] >= 2:
                self.stdout.write("The database has meetings already; sample not loaded.")
            return
        lift_statement_timeout()  # a command, not a request: the import may take long
        with run.recorded("load_sample") as summaries:
            summaries.append(run.import_paths([SAMPLE_DIR]))
        summary = summaries[0]
        for line in summary.failures:
            self.stderr.write(line)
        if opts["verbosity"] >= 1:
            self.stdout.write(
                f"Sample loaded (President of Russia, kremlin.ru, CC BY 4.0): {summary.line()}"
            )
        if summary.failed:
            raise CommandError(f"{summary.failed} sample page(s) failed to import")
        # The bulk downloads at /data/, as an import that changed data writes them.
        call_command("regenerate_downloads", verbosity=opts["verbosity"], stdout=self.stdout)
