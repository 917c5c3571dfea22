"""``manage.py import_meetings``: saved pages or the live site into the database."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kremlin_meetings.statements import lift_statement_timeout
from meetings.importer import run
from meetings.importer.counterparts_fill import fill_counterparts
from meetings.importer.outage import CONNECTION_ERRORS, one_line
from meetings.importer.recheck import recheck
from meetings.management.arguments import iso_date
from meetings.models import Meeting

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample"


class Command(BaseCommand):
    help = (
        "Import kremlin.ru / en.kremlin.ru event pages: saved files and directories "
        "(HTML, print versions, text versions, supplements), or live with --id, --url or --crawl."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", metavar="PATH", help="Files or directories.")
        parser.add_argument("--sample", action="store_true", help="Import the bundled sample.")
        live = parser.add_argument_group("live site")
        live.add_argument(
            "--id",
            type=int,
            action="append",
            dest="ids",
            metavar="N",
            help="Fetch the event with this kremlin.ru id (repeatable).",
        )
        live.add_argument(
            "--lang",
            choices=["ru", "en"],
            default="ru",
            help="Site for --id and --crawl: ru (kremlin.ru, default) or en.",
        )
        live.add_argument(
            "--url",
            action="append",
            dest="urls",
            metavar="URL",
            help="Fetch this event or supplement page (repeatable).",
        )
        live.add_argument(
            "--crawl",
            action="store_true",
            help="Walk the news listings and import every event in the dates.",
        )
        live.add_argument(
            "--since", type=iso_date, metavar="YYYY-MM-DD", help="First day for --crawl."
        )
        live.add_argument(
            "--since-last",
            action="store_true",
            help="With --crawl: both sites, from the newest imported date less a day "
            "(for a daily scheduler).",
        )
        live.add_argument(
            "--until",
            type=iso_date,
            metavar="YYYY-MM-DD",
            help="Last day for --crawl (default: today).",
        )
        live.add_argument(
            "--delay",
            type=float,
            default=3.0,
            metavar="SECONDS",
            help="At least this long between requests (default 3).",
        )
        live.add_argument(
            "--refresh", action="store_true", help="Fetch again even when the page is in the cache."
        )
        live.add_argument(
            "--recheck",
            action="store_true",
            help="Fetch again the imported pages due on the re-check schedule (daily in a "
            "page's first month, weekly in its first year, monthly after) and keep changed "
            "texts as source versions.",
        )
        live.add_argument(
            "--recheck-limit",
            type=int,
            default=500,
            metavar="N",
            help="With --recheck: at most N pages per run (default 500).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Parse and report what would change; write nothing.",
        )
        parser.add_argument(
            "--include-domestic",
            action="store_true",
            help="Keep events with no foreign participant (skipped by default).",
        )
        parser.add_argument(
            "--take-source",
            action="store_true",
            help="Replace editors' corrections with the source's version.",
        )
        parser.add_argument(
            "--no-downloads",
            action="store_true",
            help="Do not regenerate the bulk downloads at /data/ after a run that changed data.",
        )
        parser.add_argument(
            "--report",
            type=Path,
            metavar="FILE",
            help="Write every failed, skipped and warned-about page with its reason to FILE.",
        )

    def handle(self, *args, **opts) -> None:
        lift_statement_timeout()  # a command, not a request
        options = run.Options(
            dry_run=opts["dry_run"],
            include_domestic=opts["include_domestic"],
            take_source=opts["take_source"],
        )
        progress = self._progress_factory(opts["verbosity"])
        live = bool(opts["ids"] or opts["urls"] or opts["crawl"] or opts["recheck"])
        paths = [*opts["paths"], *([SAMPLE_DIR] if opts["sample"] else [])]
        if not live and not paths:
            raise CommandError(
                "nothing to import: give PATHs, --sample, --id, --url, --crawl or --recheck"
            )
        if opts["recheck_limit"] < 1:
            raise CommandError("--recheck-limit must be at least 1")
        if opts["since_last"] and not opts["crawl"]:
            raise CommandError("--since-last only applies to --crawl")
        if opts["since_last"] and opts["since"]:
            raise CommandError("give --since or --since-last, not both")
        if opts["since_last"]:
            opts["since"] = run.since_last()
        if opts["crawl"] and not opts["since"]:
            raise CommandError("--crawl needs --since YYYY-MM-DD or --since-last")
        if (opts["since"] or opts["until"]) and not opts["crawl"]:
            raise CommandError("--since and --until only apply to --crawl")
        if opts["since"] and opts["until"] and opts["until"] < opts["since"]:
            raise CommandError("--until is before --since")
        if opts["delay"] < 0:
            raise CommandError("--delay cannot be negative")

        signal.signal(signal.SIGTERM, _exit_on_sigterm)  # the run is recorded as terminated
        with run.recorded(" ".join(sys.argv[1:]), dry_run=options.dry_run) as log:
            options.run_id = log.record.pk
            try:
                self._import(opts, options, progress, paths, live, log)
            except Exception as exc:  # the run's end: recorded, then reported with the summary
                log.stop(exc)
        summary = run.merge(log)
        if not (options.dry_run or opts["no_downloads"]) and (summary.created or summary.updated):
            try:
                call_command(
                    "regenerate_downloads", verbosity=opts["verbosity"], stdout=self.stdout
                )
            except CONNECTION_ERRORS as exc:
                self.stderr.write(
                    "the bulk downloads were not regenerated (the database is away: "
                    f"{one_line(exc)}); `manage.py regenerate_downloads` does it"
                )
        self._report(summary, opts["verbosity"], options.dry_run, opts["report"])

    def _import(self, opts, options, progress, paths, live, log: run.RunLog) -> None:
        self._read(opts, options, progress, paths, live, log)
        # The foreign side from the archive's other meetings, for the meetings near the days
        # read; inside the run, so the change it makes is announced with the rest.
        if not options.dry_run and any(s.created or s.updated for s in log):
            saved = Meeting.objects.filter(last_imported_at__gte=log.record.started_at)
            days = set(saved.values_list("date", flat=True))
            for added in fill_counterparts(days=days):
                if opts["verbosity"] >= 2:
                    self.stdout.write(f"counterpart added: {added.line()}")

    def _read(self, opts, options, progress, paths, live, log: run.RunLog) -> None:
        # Each import counts into a new summary of the run's record as it goes.
        if paths:
            run.import_paths(paths, options, progress=progress, summary=log.new())
        if live:
            fetcher = run.make_fetcher(delay=opts["delay"], refresh=opts["refresh"])
            if opts["ids"]:
                ids, lang = opts["ids"], opts["lang"]
                run.import_ids(ids, lang, fetcher, options, progress=progress, summary=log.new())
            if opts["urls"] and not any(s.stopped for s in log):
                run.import_urls(
                    opts["urls"], fetcher, options, progress=progress, summary=log.new()
                )
            languages = ["ru", "en"] if opts["since_last"] else [opts["lang"]]
            for lang in languages:
                if opts["crawl"] and not any(s.stopped for s in log):
                    run.import_crawl(
                        fetcher,
                        lang,
                        opts["since"],
                        opts["until"],
                        options,
                        progress=progress,
                        summary=log.new(),
                    )
        if opts["recheck"] and not any(s.stopped for s in log):
            fresh = run.make_fetcher(delay=opts["delay"], refresh=True)  # never the cache
            log.append(recheck(fresh, options, limit=opts["recheck_limit"], progress=progress))

    def _progress_factory(self, verbosity: int):
        if verbosity < 1 or not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return lambda total: tqdm(total=total, unit="page", file=sys.stderr, leave=False)

    def _report(
        self, summary: run.Summary, verbosity: int, dry_run: bool, report: Path | None
    ) -> None:
        for line in summary.failures:
            self.stderr.write(line)
        if verbosity >= 3:
            for text in summary.tracebacks:
                self.stderr.write(text)
        if verbosity >= 1:
            for line in summary.warnings:
                self.stderr.write(f"warning: {line}")
        if verbosity >= 2:
            for line in summary.skipped_lines:
                self.stdout.write(f"skipped: {line}")
        if report is not None:
            try:
                report.write_text(run.report_text(summary), encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot write the report {report}: {exc.strerror}") from None
        if verbosity >= 1:
            for label in summary.source_changed:
                self.stdout.write(f"updated (source changed): {label}")
        if verbosity >= 1:
            for line in summary.conflict_lines:
                self.stdout.write(f"conflict: {line}")
        if verbosity >= 1:
            prefix = "dry run, nothing written: " if dry_run else ""
            self.stdout.write(prefix + summary.line())
        if summary.stopped:
            raise CommandError(f"stopped early: {summary.stopped}")
        if summary.failed:
            raise CommandError(f"{summary.failed} input(s) failed (see the lines above)")


def _exit_on_sigterm(signum, frame) -> None:
    """SIGTERM (``docker stop``, a scheduler's timeout) ends the run like Ctrl-C: recorded."""
    raise SystemExit(128 + signum)
