"""``manage.py regenerate_downloads``: write the bulk files listed at /data/ (see
``meetings/downloads.py``). ``import_meetings`` runs it after a run that changed data."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat

from meetings import downloads


class Command(BaseCommand):
    help = "Write the bulk downloads (meetings JSONL, turns CSV, TEI corpus) and their manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, metavar="DIR", help="Write here instead of DATA_DIR."
        )
        parser.add_argument(
            "--site-url", metavar="URL", help="The site's address for page links (SITE_URL)."
        )

    def handle(self, *args, **opts) -> None:
        def progress(entry: downloads.DataFile) -> None:
            if opts["verbosity"] >= 2:
                self.stdout.write(
                    f"{entry.name}: {entry.records} records, {filesizeformat(entry.size)}"
                )

        try:
            files = downloads.regenerate(
                base_url=opts["site_url"], directory=opts["dir"], progress=progress
            )
        except OSError as exc:
            raise CommandError(f"cannot write the downloads: {exc}") from None
        if opts["verbosity"] >= 1:
            where = opts["dir"] or downloads.data_dir()
            self.stdout.write(f"Downloads regenerated in {where}: {len(files)} files.")
