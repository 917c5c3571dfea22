"""Import runs as plain functions: saved files (``import_paths``) or the live site
(``import_ids``, ``import_urls``, ``import_crawl``).

Pages are parsed in worker processes when there are many of them (the parser is pure: bytes
in, records out) and saved here, in the main process, in page order, one transaction per page.
Every bad input costs one line in ``Summary.failures`` and nothing else.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import traceback
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import connection
from django.db.models import Max

from meetings.importer import save
from meetings.importer.fetch import (
    DEFAULT_BASE_URLS,
    FetchBlocked,
    Fetcher,
    FetchError,
    base_url,
    language_of_url,
    make_user_agent,
)
from meetings.importer.listing import CrawlStats, crawl
from meetings.importer.outage import (
    CONNECTION_ERRORS,
    DatabaseUnavailable,
    one_line,
    through_outage,
)
from meetings.importer.pages import PageResult, parse_bytes, parse_file
from meetings.importer.people.resolve import known_foreigner, may_be_foreign
from meetings.importer.records import ParsedMeeting, ParsedParticipant, ParsedSupplement
from meetings.importer.run_log import RunLog, recorded  # noqa: F401 (for the commands)
from meetings.importer.summary import Summary, merge, report_text  # noqa: F401
from meetings.importer.workers import (  # noqa: F401 (PARALLEL_FROM: the tests read it here)
    PARALLEL_FROM,
    PARSE_WORKERS,
    parse_in_order,
)
from meetings.models import Meeting, Supplement, coverage

logger = logging.getLogger(__name__)

PAGE_SUFFIXES = (".html", ".htm", ".txt")


class Progress(Protocol):
    def update(self, n: int = 1) -> Any: ...

    def close(self) -> Any: ...


ProgressFactory = Callable[[int | None], Progress]


@dataclass
class Options:
    dry_run: bool = False  # parse and report; write nothing
    include_domestic: bool = False  # keep events with no foreign country or organisation
    take_source: bool = False  # the source's version replaces editors' corrections
    cache: save.RunCache = field(default_factory=save.RunCache)  # one per run
    run_id: int | None = None  # the ImportRun, for the coverage rows it records
    days_seen: set[tuple[str, dt.date]] = field(default_factory=set)  # (site, day) of pages read


# --- saved files ------------------------------------------------------------------------------


def collect_inputs(paths: Iterable[str | os.PathLike], summary: Summary) -> list[Path]:
    """The pages to import: files as given, directories searched recursively.

    Inside directories only ``.html``/``.htm``/``.txt`` files count (hidden ones are skipped);
    a file named explicitly is always tried. A missing path is a failure.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += _pages_under(path, summary)
        elif path.is_file():
            found.append(path)
        else:
            summary.fail(str(path), "no such file or directory")
    return list(dict.fromkeys(found))


def _pages_under(folder: Path, summary: Summary) -> list[Path]:
    """The page files under ``folder``, sorted; a directory that cannot be read is a failure."""

    def unreadable(exc: OSError) -> None:
        summary.fail(exc.filename or str(folder), f"cannot read directory: {exc.strerror or exc}")

    found = []
    for top, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [
            Path(top, name)
            for name in files
            if not name.startswith(".")
            and Path(name).suffix.lower() in PAGE_SUFFIXES
            and Path(top, name).is_file()
        ]
    return sorted(found)


def import_paths(
    paths: Iterable[str | os.PathLike],
    options: Options | None = None,
    *,
    progress: ProgressFactory | None = None,
    workers: int = PARSE_WORKERS,
    summary: Summary | None = None,
) -> Summary:
    """Import saved pages (files and directories); see :func:`collect_inputs`. Counts go to
    ``summary`` as pages are saved (a :class:`~meetings.importer.run_log.RunLog` gives one)."""
    options = options or Options()
    summary = summary if summary is not None else Summary()
    files = collect_inputs(paths, summary)
    bar = progress(len(files)) if progress else None
    # Pages that look domestic but name people the page gives no country are decided
    # last, when every diplomatic page of the run is saved: whether someone is a known
    # foreigner must not depend on the order of the files.
    undecided: list[Undecided] = []
    try:
        with relaxed_commits():
            for result in parse_in_order([str(f) for f in files], workers=workers):
                handle(result, summary, options, undecided)
                forget_queries()
                if bar:
                    bar.update(1)
            for page in undecided:
                decide(page, summary, options)
                forget_queries()
    finally:
        if bar:
            bar.close()
        record_pages_seen(options)
    return summary


@dataclass
class Undecided:
    """What is kept of a page that looks domestic but names people it gives no country,
    until the rest of the run is saved: enough to decide, and to skip it, without parsing
    it again (most such pages are domestic: 3,900 of the bulk corpus's 6,964 pages)."""

    source: str
    participants: list[ParsedParticipant]
    reason: str
    warnings: list[str]


def decide(page: Undecided, summary: Summary, options: Options) -> None:
    """Skip a page kept in :class:`Undecided`, or, when one of its people is known by now as
    a person of a foreign country, read it again and save it, in the order the pages came
    (a page saved here may make a later one foreign, as when every page is read again)."""
    if _known_foreigner(page.participants):
        handle(parse_file(page.source), summary, options)
        return
    summary.warnings += [f"{page.source}: {warning}" for warning in page.warnings]
    summary.skip(page.source, page.reason or "domestic (no foreign country or organisation)")


def record_pages_seen(options: Options) -> None:
    """Record the days of the pages read as covered (meetings/models/coverage.py), for whatever
    was read, also when the run stopped early."""
    if options.dry_run or not options.days_seen:
        return
    try:
        for site in sorted({site for site, _ in options.days_seen}):
            days = [day for s, day in options.days_seen if s == site]
            coverage.record_days(site, days, "pages", options.run_id)
    except CONNECTION_ERRORS as exc:  # the database went away: the next run records them
        logger.error("the days read were not recorded as covered: %s", one_line(exc))
    options.days_seen.clear()


def forget_queries() -> None:
    """Drop the SQL that DEBUG keeps (up to 9,000 statements with every utterance's text).

    Left alone while a test is counting queries (``force_debug_cursor``).
    """
    if settings.DEBUG and not connection.force_debug_cursor:
        connection.queries_log.clear()


@contextlib.contextmanager
def relaxed_commits() -> Iterator[None]:
    """Commit each page's transaction without waiting for the disk flush.

    ``synchronous_commit = off`` keeps every transaction atomic and the database consistent;
    a server crash can only lose the last few hundred milliseconds of commits, which
    re-running the import restores. It makes a page's save about a third faster.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield  # inside a caller's transaction (tests): nothing to relax
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        # A connection opened after the database went away never had the setting.
        with contextlib.suppress(*CONNECTION_ERRORS), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def handle(
    result: PageResult,
    summary: Summary,
    options: Options,
    undecided: list[Undecided] | None = None,
) -> save.Outcome | None:
    """Save (or, in a dry run, assess) one parsed page and count what happened.

    A page the parser found domestic is diplomatic after all when one of its people is
    stored as a person of a foreign country (:func:`known_foreigner`); with ``undecided``
    such pages are only listed there, for the caller to hand back once the rest is saved.
    """
    if result.site and result.day:
        options.days_seen.add((result.site, result.day))
    if result.error:
        summary.fail(result.source, result.error)
        return None
    if result.skipped:
        summary.skip(result.source, result.skipped)
        return None
    record = result.record
    domestic = isinstance(record, ParsedMeeting) and record.is_domestic
    domestic = domestic and not options.include_domestic
    if domestic and undecided is not None and may_be_foreign(record.participants):
        # Decided later (see decide()): its warnings count then.
        undecided.append(
            Undecided(result.source, record.participants, record.domestic_reason, result.warnings)
        )
        return None
    summary.warnings += [f"{result.source}: {warning}" for warning in result.warnings]
    if domestic:
        if not _known_foreigner(record.participants):
            summary.skip(
                result.source,
                record.domestic_reason or "domestic (no foreign country or organisation)",
            )
            return None
        record.is_domestic, record.domestic_reason = False, ""
    try:
        outcome = through_outage(lambda: _save(record, result.raw_hash, options))
    except DatabaseUnavailable:
        raise  # the end of the run, not this page's failure
    except Exception as exc:  # one page's bad data must not stop the run
        summary.fail(result.source, f"could not save ({type(exc).__name__}: {exc})")
        summary.tracebacks.append(f"{result.source}:\n{traceback.format_exc()}")
        return None
    summary.count(outcome)
    return outcome


def _known_foreigner(participants: list[ParsedParticipant]) -> str:
    """:func:`known_foreigner`, through an outage of the database like a page's save."""
    return through_outage(lambda: known_foreigner(participants))


def _save(
    record: ParsedMeeting | ParsedSupplement, raw_hash: str, options: Options
) -> save.Outcome:
    if options.dry_run:
        return _assess(record, raw_hash)
    if isinstance(record, ParsedSupplement):
        return save.save_supplement(
            record, raw_hash=raw_hash, take_source=options.take_source, cache=options.cache
        )
    return save.save_meeting(
        record, raw_hash=raw_hash, take_source=options.take_source, cache=options.cache
    )


def _assess(record: ParsedMeeting | ParsedSupplement, raw_hash: str) -> save.Outcome:
    """What saving would do, read-only: created, unchanged (same page) or updated."""
    if isinstance(record, ParsedSupplement):
        label = f"supplement {record.language}/{record.supplement_id}"
        rows = Supplement.objects.filter(
            supplement_id=record.supplement_id, language=record.language
        )
    else:
        label = f"{record.language}/{record.kremlin_id}"
        rows = Meeting.objects.filter(kremlin_id=record.kremlin_id, language=record.language)
    known = rows.values_list("source_hash", flat=True).first()
    if known is None:
        return save.Outcome(save.CREATED, label)
    return save.Outcome(save.UNCHANGED if known == raw_hash else save.UPDATED, label)


# --- the live site ----------------------------------------------------------------------------


def make_fetcher(*, delay: float = 3.0, refresh: bool = False) -> Fetcher:
    """A fetcher caching raw pages under ``VAR_DIR/cache``.

    Optional settings: ``KREMLIN_BASE_URLS`` ({"ru": ..., "en": ...}) points it at a mirror or
    a test server; ``KREMLIN_PROJECT_URL`` goes into the User-Agent; ``KREMLIN_FETCH_OPTIONS``
    passes further :class:`Fetcher` arguments (tests shorten the retry backoff with it).
    """
    options = dict(getattr(settings, "KREMLIN_FETCH_OPTIONS", None) or {})
    project_url = getattr(settings, "KREMLIN_PROJECT_URL", None)
    if project_url:
        options.setdefault("user_agent", make_user_agent(project_url))
    return Fetcher(
        Path(settings.VAR_DIR) / "cache",
        delay=delay,
        refresh=refresh,
        base_urls=getattr(settings, "KREMLIN_BASE_URLS", None),
        **options,
    )


def import_ids(
    ids: Iterable[int], lang: str, fetcher: Fetcher, options: Options | None = None, **kw
) -> Summary:
    """Fetch and import events by kremlin.ru id (``--id N --lang ru|en``)."""
    return import_urls([fetcher.event_url(i, lang) for i in ids], fetcher, options, **kw)


def import_urls(
    urls: Iterable[str],
    fetcher: Fetcher,
    options: Options | None = None,
    *,
    progress: ProgressFactory | None = None,
    summary: Summary | None = None,
) -> Summary:
    """Fetch and import the pages at ``urls`` (``--url URL``)."""
    urls = list(urls)
    return _import_live(
        iter(urls), fetcher, options or Options(), progress, len(urls), summary or Summary()
    )


def import_crawl(
    fetcher: Fetcher,
    lang: str,
    since: dt.date,
    until: dt.date | None = None,
    options: Options | None = None,
    *,
    progress: ProgressFactory | None = None,
    summary: Summary | None = None,
) -> Summary:
    """Walk the news listings from ``until`` (or today) back to ``since`` and import each event."""
    stats = CrawlStats()
    options = options or Options()
    urls = (entry.url for entry in crawl(fetcher, lang, since, until, stats=stats))
    summary = _import_live(
        urls, fetcher, options, progress, None, summary or Summary(), pages_are_coverage=False
    )
    for url in stats.pages_failed:
        summary.fail(url, "listing page could not be fetched")
    for url, why in stats.pages_incomplete:
        summary.fail(url, f"listing page incomplete twice ({why}); events on it may be missing")
    for url, what in stats.entries_unreadable:
        summary.fail(url, f"listing entry not read: {what}")
    if not options.dry_run:
        last = until or dt.date.today()
        days = stats.coverage.days(since, last)
        coverage.record_days(lang, days, "crawl", options.run_id)
    return summary


def _import_live(
    urls: Iterator[str],
    fetcher: Fetcher,
    options: Options,
    progress: ProgressFactory | None,
    total: int | None,
    summary: Summary,
    *,
    pages_are_coverage: bool = True,
) -> Summary:
    """Fetch, parse and save one page at a time; a refusal stops the run after what is saved.

    Supplement pages linked from imported meetings are fetched too, so their documents land.
    """
    bar = progress(total) if progress else None
    supplements_seen: set[tuple[str, int]] = set()
    try:
        for url in urls:
            outcome = _fetch_and_handle(url, fetcher, summary, options)
            forget_queries()
            if bar:
                bar.update(1)
            if outcome is None or options.dry_run:
                continue
            for meeting in Meeting.objects.filter(pk__in=outcome.meeting_ids):
                for sid in meeting.supplement_ids:
                    key = (meeting.language, sid)
                    if key in supplements_seen or _have_supplement(key):
                        continue
                    supplements_seen.add(key)
                    root = base_url(meeting.language, fetcher.base_urls)
                    _fetch_and_handle(f"{root}/supplement/{sid}", fetcher, summary, options)
    except FetchBlocked as exc:
        summary.stopped = str(exc)
    except FetchError as exc:  # the listing walk gave up
        summary.fail(exc.url, str(exc).removeprefix(f"{exc.url}: "))
    finally:
        if bar:
            bar.close()
        if pages_are_coverage:
            record_pages_seen(options)
        options.days_seen.clear()  # a crawl's coverage is its listing's, not its pages'
    return summary


def _have_supplement(key: tuple[str, int]) -> bool:
    language, sid = key
    return Supplement.objects.filter(language=language, supplement_id=sid).exists()


def _fetch_and_handle(
    url: str, fetcher: Fetcher, summary: Summary, options: Options
) -> save.Outcome | None:
    try:
        fetched = fetcher.fetch(url)
    except FetchBlocked:
        raise
    except FetchError as exc:
        summary.fail(url, str(exc).removeprefix(f"{url}: "))
        return None
    result = parse_bytes(
        fetched.content, source=url, url=canonical_url(fetched.final_url, url, fetcher)
    )
    return handle(result, summary, options)


def canonical_url(final_url: str, asked: str, fetcher: Fetcher) -> str:
    """The page's kremlin.ru address, also when it was fetched from a mirror (tests, caches)."""
    for url in (final_url, asked):
        try:
            lang = language_of_url(url, fetcher.base_urls)
        except ValueError:
            continue  # redirected off the configured sites: try the URL we asked for
        parts = urllib.parse.urlsplit(url)
        root = urllib.parse.urlsplit(base_url(lang, fetcher.base_urls))
        path = parts.path.removeprefix(root.path.rstrip("/"))
        return f"{DEFAULT_BASE_URLS[lang]}{path}"
    return asked


# --- the record of runs -----------------------------------------------------------------------

SINCE_LAST_OVERLAP = dt.timedelta(days=1)  # a page published late on the last day is re-read


def since_last(today: dt.date | None = None) -> dt.date:
    """Where ``--crawl --since-last`` starts: the newest imported date less a day's overlap
    (a fresh database starts a week back)."""
    newest = Meeting.objects.aggregate(newest=Max("date"))["newest"]
    if newest is None:
        return (today or dt.date.today()) - dt.timedelta(days=7)
    return newest - SINCE_LAST_OVERLAP
