"""``manage.py import_meetings``: saved pages or the live site into the database."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kremlin_meetings.statements import lift_statement_timeout
from meetings.importer import run
from meetings.management.arguments import iso_date

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
        live = bool(opts["ids"] or opts["urls"] or opts["crawl"])
        paths = [*opts["paths"], *([SAMPLE_DIR] if opts["sample"] else [])]
        if not live and not paths:
            raise CommandError("nothing to import: give PATHs, --sample, --id, --url or --crawl")
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

        with run.recorded(" ".join(sys.argv[1:]), dry_run=options.dry_run) as summaries:
            self._import(opts, options, progress, paths, live, summaries)
        summary = run.merge(summaries)
        self._report(summary, opts["verbosity"], options.dry_run, opts["report"])

    def _import(self, opts, options, progress, paths, live, summaries) -> None:
        if paths:
            summaries.append(run.import_paths(paths, options, progress=progress))
        if live:
            fetcher = run.make_fetcher(delay=opts["delay"], refresh=opts["refresh"])
            if opts["ids"]:
                summaries.append(
                    run.import_ids(opts["ids"], opts["lang"], fetcher, options, progress=progress)
                )
            if opts["urls"] and not any(s.stopped for s in summaries):
                summaries.append(run.import_urls(opts["urls"], fetcher, options, progress=progress))
            languages = ["ru", "en"] if opts["since_last"] else [opts["lang"]]
            for lang in languages:
                if opts["crawl"] and not any(s.stopped for s in summaries):
                    summaries.append(
                        run.import_crawl(
                            fetcher,
                            lang,
                            opts["since"],
                            opts["until"],
                            options,
                            progress=progress,
                        )
                    )

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
            for line in summary.conflict_lines:
                self.stdout.write(f"conflict: {line}")
        if verbosity >= 1:
            prefix = "dry run, nothing written: " if dry_run else ""
            self.stdout.write(prefix + summary.line())
        if summary.stopped:
            raise CommandError(f"stopped early: {summary.stopped}")
        if summary.failed:
            raise CommandError(f"{summary.failed} input(s) failed (see the lines above)")
