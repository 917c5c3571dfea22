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
import multiprocessing
import os
import threading
import traceback
import urllib.parse
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from meetings import caching
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
from meetings.importer.pages import PageResult, exit_with, parse_bytes, parse_file
from meetings.importer.people.resolve import known_foreigner, may_be_foreign
from meetings.importer.records import ParsedMeeting, ParsedSupplement
from meetings.models import ImportRun, Meeting, Supplement

logger = logging.getLogger(__name__)

PAGE_SUFFIXES = (".html", ".htm", ".txt")
PARSE_WORKERS = 2
PARALLEL_FROM = 8  # fewer pages than this are parsed in-process: workers cost ~1 s to start
WINDOW_PER_WORKER = 8  # parsed pages waiting to be saved, per worker: keeps memory flat
HEAD_START = 40  # pages parsed in this process while the workers start


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


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    conflicts: int = 0  # pages saved with at least one editor's correction kept
    failed: int = 0
    failures: list[str] = field(default_factory=list)  # "path: reason", one per failed input
    conflict_lines: list[str] = field(default_factory=list)
    source_changed: list[str] = field(default_factory=list)  # "en/62562": a new source version
    stopped: str = ""  # why a live run stopped early (the site refused us)
    skipped_lines: list[str] = field(default_factory=list)  # "path: reason", one per skip
    warnings: list[str] = field(default_factory=list)  # "path: warning", pages imported anyway
    tracebacks: list[str] = field(default_factory=list)  # for -v 3 only

    def line(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {self.skipped}, conflicts {self.conflicts}, failed {self.failed}"
        )

    @property
    def total(self) -> int:
        return (
            self.created
            + self.updated
            + self.unchanged
            + self.skipped
            + self.conflicts
            + self.failed
        )

    def fail(self, source: str, reason: str) -> None:
        self.failed += 1
        reason = " ".join(reason.split())  # one line, whatever the message held
        self.failures.append(f"{source}: {reason}")
        logger.debug("failed: %s: %s", source, reason)

    def skip(self, source: str, reason: str) -> None:
        self.skipped += 1
        self.skipped_lines.append(f"{source}: {reason}")

    def count(self, outcome: save.Outcome) -> None:
        if outcome.status == save.CONFLICT:
            self.conflicts += 1
        else:
            setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        self.conflict_lines += outcome.conflicts
        if outcome.source_changed:
            self.source_changed.append(outcome.label)


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
) -> Summary:
    """Import saved pages (files and directories); see :func:`collect_inputs`."""
    options = options or Options()
    summary = Summary()
    files = collect_inputs(paths, summary)
    bar = progress(len(files)) if progress else None
    # Pages that look domestic but name people the page gives no country are decided
    # last, when every diplomatic page of the run is saved: whether someone is a known
    # foreigner must not depend on the order of the files.
    undecided: list[str] = []
    try:
        with relaxed_commits():
            for result in parse_in_order([str(f) for f in files], workers=workers):
                handle(result, summary, options, undecided)
                forget_queries()
                if bar:
                    bar.update(1)
            for result in parse_in_order(undecided, workers=workers):
                handle(result, summary, options)
                forget_queries()
    finally:
        if bar:
            bar.close()
    return summary


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
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def parse_in_order(
    paths: list[str],
    *,
    workers: int = PARSE_WORKERS,
    parse: Callable[[str], PageResult] = parse_file,
) -> Iterator[PageResult]:
    """Parse results in the order of ``paths``; many pages are parsed by worker processes.

    At most ``WINDOW_PER_WORKER`` parsed pages per worker wait to be consumed, so memory does
    not grow with the number of pages. A page that kills its worker process (a crash in a C
    library, running out of memory) or hangs it (see ``pages.time_limit``) fails alone; the
    run goes on with fresh workers. The few pages parsed here while the workers start
    (``HEAD_START``) have no such guard. ``parse`` must be a module-level function that does
    not need Django.
    """
    if workers < 2 or len(paths) < PARALLEL_FROM:
        for path in paths:
            yield parse(path)
        return
    # forkserver, not fork: a forked worker would share (and on exit close) the parent's
    # database connection. The server preloads the parser once for all workers.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["meetings.importer.pages", "meetings.importer.parse"])
    # Starting the workers takes most of a second (a fresh interpreter loads the parser); the
    # first pages are parsed here meanwhile, while a thread hands the workers the next ones.
    head = paths[: min(HEAD_START, len(paths) // 4)]
    queue = deque(paths[len(head) :])
    pending: deque[tuple[str, Future[PageResult]]] = deque()

    def new_pool(size: int = workers) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=size, mp_context=context, initializer=exit_with, initargs=(os.getpid(),)
        )

    pool: ProcessPoolExecutor | None = new_pool()
    window = workers * WINDOW_PER_WORKER

    def fill(pool: ProcessPoolExecutor) -> None:
        while queue and len(pending) < window:
            path = queue.popleft()
            pending.append((path, pool.submit(parse, path)))

    starter = threading.Thread(target=fill, args=(pool,), daemon=True)
    starter.start()
    try:
        for path in head:
            yield parse(path)
        starter.join()
        while queue or pending:
            if pool is None:
                pool = new_pool()
            fill(pool)
            path, future = pending.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                # Any page in flight may be the culprit: try each alone, in order.
                _discard(pool)
                pool = None
                suspects = [path, *(p for p, _ in pending)]
                pending.clear()
                for suspect in suspects:
                    yield _parse_alone(suspect, parse, new_pool(1))
    finally:
        starter.join()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _discard(pool: ProcessPoolExecutor) -> None:
    """Shut a broken pool down. Its manager thread terminates the workers it knows and then
    joins them all; on Python 3.11 a worker that a ``submit`` started while the pool broke
    escapes the termination and waits for work forever, and so does the join (a test run on
    a loaded machine hung there). By now the pool is marked broken, so no worker can start:
    end every one, then shut down."""
    while True:
        try:
            workers = list((pool._processes or {}).values())
            break
        except RuntimeError:  # the manager thread changed the dict meanwhile: read it again
            continue
    for worker in workers:
        worker.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _parse_alone(
    path: str, parse: Callable[[str], PageResult], pool: ProcessPoolExecutor
) -> PageResult:
    with pool:
        try:
            return pool.submit(parse, path).result()
        except BrokenProcessPool:
            return PageResult(source=path, error="the parser process died on this page")


def handle(
    result: PageResult, summary: Summary, options: Options, undecided: list[str] | None = None
) -> save.Outcome | None:
    """Save (or, in a dry run, assess) one parsed page and count what happened.

    A page the parser found domestic is diplomatic after all when one of its people is
    stored as a person of a foreign country (:func:`known_foreigner`); with ``undecided``
    such pages are only listed there, for the caller to hand back once the rest is saved.
    """
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
        undecided.append(result.source)  # read again later: its warnings count then
        return None
    summary.warnings += [f"{result.source}: {warning}" for warning in result.warnings]
    if domestic:
        if not known_foreigner(record.participants):
            summary.skip(
                result.source,
                record.domestic_reason or "domestic (no foreign country or organisation)",
            )
            return None
        record.is_domestic, record.domestic_reason = False, ""
    try:
        if options.dry_run:
            outcome = _assess(record, result.raw_hash)
        elif isinstance(record, ParsedSupplement):
            outcome = save.save_supplement(
                record,
                raw_hash=result.raw_hash,
                take_source=options.take_source,
                cache=options.cache,
            )
        else:
            outcome = save.save_meeting(
                record,
                raw_hash=result.raw_hash,
                take_source=options.take_source,
                cache=options.cache,
            )
    except Exception as exc:  # one page's bad data must not stop the run
        summary.fail(result.source, f"could not save ({type(exc).__name__}: {exc})")
        summary.tracebacks.append(f"{result.source}:\n{traceback.format_exc()}")
        return None
    summary.count(outcome)
    return outcome


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
) -> Summary:
    """Fetch and import the pages at ``urls`` (``--url URL``)."""
    urls = list(urls)
    return _import_live(iter(urls), fetcher, options or Options(), progress, len(urls))


def import_crawl(
    fetcher: Fetcher,
    lang: str,
    since: dt.date,
    until: dt.date | None = None,
    options: Options | None = None,
    *,
    progress: ProgressFactory | None = None,
) -> Summary:
    """Walk the news listings from ``until`` (or today) back to ``since`` and import each event."""
    stats = CrawlStats()
    urls = (entry.url for entry in crawl(fetcher, lang, since, until, stats=stats))
    summary = _import_live(urls, fetcher, options or Options(), progress, None)
    for url in stats.pages_failed:
        summary.fail(url, "listing page could not be fetched")
    return summary


def _import_live(
    urls: Iterator[str],
    fetcher: Fetcher,
    options: Options,
    progress: ProgressFactory | None,
    total: int | None,
) -> Summary:
    """Fetch, parse and save one page at a time; a refusal stops the run after what is saved.

    Supplement pages linked from imported meetings are fetched too, so their documents land.
    """
    summary = Summary()
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


def merge(summaries: Iterable[Summary]) -> Summary:
    """One summary adding up several runs (files, then ids, then a crawl)."""
    total = Summary()
    for part in summaries:
        for name in ("created", "updated", "unchanged", "skipped", "conflicts", "failed"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        total.failures += part.failures
        total.skipped_lines += part.skipped_lines
        total.warnings += part.warnings
        total.tracebacks += part.tracebacks
        total.conflict_lines += part.conflict_lines
        total.source_changed += part.source_changed
        total.stopped = total.stopped or part.stopped
    return total


# --- the record of runs -----------------------------------------------------------------------

SINCE_LAST_OVERLAP = dt.timedelta(days=1)  # a page published late on the last day is re-read


def since_last(today: dt.date | None = None) -> dt.date:
    """Where ``--crawl --since-last`` starts: the newest imported date less a day's overlap
    (a fresh database starts a week back)."""
    newest = Meeting.objects.aggregate(newest=Max("date"))["newest"]
    if newest is None:
        return (today or dt.date.today()) - dt.timedelta(days=7)
    return newest - SINCE_LAST_OVERLAP


@contextlib.contextmanager
def recorded(arguments: str, *, dry_run: bool = False) -> Iterator[list[Summary]]:
    """Record a run (``ImportRun``, shown in the admin index and /healthz) with what the
    summaries appended to the yielded list add up to, also when it is interrupted; a run that
    created or updated anything makes every cached page stale (meetings/caching.py)."""
    record = start_run(arguments)
    summaries: list[Summary] = []
    try:
        yield summaries
    finally:
        summary = merge(summaries)
        finish_run(record, summary)
        if not dry_run and (summary.created or summary.updated):
            caching.data_changed()


def start_run(arguments: str) -> ImportRun:
    return ImportRun.objects.create(started_at=timezone.now(), arguments=arguments[:1000])


def finish_run(record: ImportRun, summary: Summary) -> ImportRun:
    for name in ("created", "updated", "unchanged", "skipped", "conflicts", "failed"):
        setattr(record, name, getattr(summary, name))
    record.failures = "\n".join(summary.failures)
    record.stopped = summary.stopped[:1000]
    record.finished_at = timezone.now()
    record.save()
    return record


def report_text(summary: Summary) -> str:
    """Every page that did not simply import, one line each: "outcome<TAB>page: reason"."""
    lines = [f"failed\t{line}" for line in summary.failures]
    lines += [f"skipped\t{line}" for line in summary.skipped_lines]
    lines += [f"warning\t{line}" for line in summary.warnings]
    lines += [f"conflict\t{line}" for line in summary.conflict_lines]
    return "".join(f"{line}\n" for line in lines) + f"summary\t{summary.line()}\n"
