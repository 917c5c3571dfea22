"""``manage.py export_meetings``: meetings in the public JSONL or CSV format (see README)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kremlin_meetings.statements import lift_statement_timeout
from meetings.exporting import filter_meetings, iter_csv, iter_jsonl, iter_turns_csv
from meetings.management.arguments import iso_date
from meetings.models import Country, Meeting, Utterance


class Command(BaseCommand):
    help = "Export meetings as JSON lines (one meeting per line, with utterances) or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            choices=["jsonl", "csv", "turns-csv"],
            default="jsonl",
            help="turns-csv: one row per utterance of the chosen meetings.",
        )
        parser.add_argument(
            "--site-url",
            default="",
            metavar="URL",
            help="Base of the page column's links in turns-csv (e.g. https://example.org).",
        )
        parser.add_argument("--country", metavar="XX", help="Only meetings with this country.")
        parser.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="From this day.")
        parser.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="To this day.")
        parser.add_argument("--output", metavar="FILE", help="Write here instead of stdout.")

    def handle(self, *args, **opts) -> None:
        lift_statement_timeout()  # a command, not a request
        country = opts["country"]
        if country and not Country.objects.filter(code=country.upper()).exists():
            raise CommandError(f"unknown country code {country!r} (expected ISO 3166 alpha-2)")
        if opts["since"] and opts["until"] and opts["until"] < opts["since"]:
            raise CommandError("--until is before --since")
        qs = filter_meetings(
            Meeting.objects.all(), country=country, since=opts["since"], until=opts["until"]
        )
        if opts["format"] == "turns-csv":
            site = opts["site_url"].rstrip("/")
            turns = Utterance.objects.filter(meeting__in=qs).order_by(
                "meeting__date", "meeting__kremlin_id", "meeting__language", "position"
            )
            lines = iter_turns_csv(turns, page_url=lambda u: site + u.get_absolute_url())
        else:
            lines = iter_csv(qs) if opts["format"] == "csv" else iter_jsonl(qs)
        if opts["output"]:
            newline = None if opts["format"] == "jsonl" else ""
            with open(opts["output"], "w", encoding="utf-8", newline=newline) as out:
                out.writelines(lines)
        else:
            for line in lines:
                self.stdout.write(line, ending="")
