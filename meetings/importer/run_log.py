"""The record of a run (``ImportRun``): the truth about it while it runs and however it ends.

- Counts are written as pages are saved (at most once a second), not only at the end: a run
  killed outright still says what it wrote, up to its last second.
- A heartbeat (``ImportRun.heartbeat_at`` and the counts, every ``ImportRun.HEARTBEAT_EVERY``,
  from a thread of its own, also while the import waits on a lock or the network) and the
  process id and host tell a running import from a dead one (``ImportRun.is_dead``); runs
  found dead are closed when the next import starts.
- A run that ends by an exception is recorded with ``stopped`` saying why.
- The "data changed" announcement runs in a ``finally`` for whatever was written, and its
  failure (Redis down) is logged, never the end of the import or of its record.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator

from django.db import DatabaseError, connection, connections
from django.utils import timezone

from meetings import signals
from meetings.importer.outage import CONNECTION_ERRORS, DatabaseUnavailable, one_line
from meetings.importer.summary import Summary, merge
from meetings.models import ImportRun

logger = logging.getLogger(__name__)

COUNTS = ("created", "updated", "unchanged", "skipped", "conflicts", "failed")
HOST = socket.gethostname()[:255]  # with the process id: which process runs an import
WRITE_EVERY = 1.0  # seconds between two writes of the counts while pages are saved


class RunLog(list):
    """The summaries of one run (a list, as before) and its ``ImportRun`` row, kept current.

    ``new()`` gives a :class:`Summary` whose every page counts
    towards the row; summaries appended the old way count when the run ends.
    """

    def __init__(self, record: ImportRun) -> None:
        super().__init__()
        self.record = record
        self._written = 0.0

    def new(self) -> Summary:
        summary = Summary(listener=self.tick)
        self.append(summary)
        return summary

    def stop(self, exc: Exception) -> None:
        """The run ended by ``exc``: say so in the record (its traceback for ``-v 3``)."""
        self.append(
            Summary(stopped=describe(exc), tracebacks=[traceback.format_exc()]),
        )

    def tick(self) -> None:
        """A page was counted: write the counts if the last write is a second old."""
        now = time.monotonic()
        if now - self._written < WRITE_EVERY:
            return
        self._written = now
        try:
            self.write_counts()
        except DatabaseError as exc:  # the page's own save would have failed the same way
            logger.warning("could not record the run's progress: %s", exc)

    def counts(self) -> dict:
        """The run's counts and failure lines so far (the heartbeat thread reads them too)."""
        summary = merge(list(self))
        values: dict = {name: getattr(summary, name) for name in COUNTS}
        values["failures"] = "\n".join(summary.failures)
        return values

    def write_counts(self) -> None:
        values = {**self.counts(), "heartbeat_at": timezone.now()}
        ImportRun.objects.filter(pk=self.record.pk).update(**values)


@contextlib.contextmanager
def recorded(arguments: str, *, dry_run: bool = False) -> Iterator[RunLog]:
    """Record a run (``ImportRun``, shown in the admin index and /healthz) with what the
    summaries of the yielded :class:`RunLog` add up to, also when it is interrupted or dies
    of an exception; a run that created or updated anything announces that data changed
    (the page cache and the kept aggregates listen)."""
    close_dead_runs()
    log = RunLog(start_run(arguments))
    heart = Heartbeat(log.record.pk, log.counts) if not connection.in_atomic_block else None
    crashed = ""
    try:
        yield log
    except BaseException as exc:
        crashed = describe(exc)
        raise
    finally:
        if heart is not None:
            heart.stop()
        summary = merge(log)
        if crashed and not summary.stopped:
            summary.stopped = crashed
        if connection.errors_occurred and not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()  # a lost connection: open a new one
        away = False
        try:
            finish_run(log.record, summary)
        except DatabaseError as exc:
            logger.error("could not record the end of the run: %s", one_line(exc))
            away = isinstance(exc, CONNECTION_ERRORS)
        if away:  # nothing can be refreshed either
            logger.error(
                "the database is away: once it is back, the next import (or `manage.py "
                "refresh_aggregates`) brings the caches and counts up to date"
            )
        elif not dry_run and (summary.created or summary.updated):
            announce_data_changed()


def describe(exc: BaseException) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted (Ctrl-C)"
    if isinstance(exc, SystemExit):
        return f"terminated (exit status {exc.code})"
    if isinstance(exc, DatabaseUnavailable):
        return str(exc)
    return f"crashed: {type(exc).__name__}: {one_line(exc)}"[:1000]


def announce_data_changed() -> None:
    """Tell the listeners (the kept aggregates, the page cache) that data changed. Each one's
    failure (Redis down, a refresh that times out) is logged and the others still run: the
    data is written and the run recorded."""
    for receiver, result in signals.data_changed.send_robust(sender=ImportRun):
        if isinstance(result, Exception):
            logger.error(
                "the import's data is saved, but %s failed on the change (%s: %s); cached "
                "pages may be stale until the next import or `manage.py refresh_aggregates`",
                getattr(receiver, "__qualname__", receiver),
                type(result).__name__,
                result,
            )


def start_run(arguments: str) -> ImportRun:
    now = timezone.now()
    return ImportRun.objects.create(
        started_at=now,
        arguments=arguments[:1000],
        pid=os.getpid(),
        host=HOST,
        heartbeat_at=now,
    )


def finish_run(record: ImportRun, summary: Summary) -> ImportRun:
    for name in COUNTS:
        setattr(record, name, getattr(summary, name))
    record.failures = "\n".join(summary.failures)
    record.stopped = summary.stopped[:1000]
    record.finished_at = timezone.now()
    record.heartbeat_at = record.finished_at
    record.save()
    return record


def close_dead_runs() -> list[ImportRun]:
    """Mark unfinished runs whose process died as finished, saying so: the admin and
    /healthz then show them as what they were."""
    dead = [run for run in ImportRun.objects.filter(finished_at=None) if run.is_dead]
    for run in dead:
        last = run.heartbeat_at or run.started_at
        run.stopped = (
            "the import process died, or lost the database, before recording its end"
            f" (last sign of life {last:%Y-%m-%d %H:%M:%S %Z})"
        )
        run.finished_at = last
        run.save(update_fields=["stopped", "finished_at"])
        logger.warning("import run %s (pid %s on %s) had died", run.pk, run.pid, run.host)
    return dead


class Heartbeat:
    """A thread that writes ``ImportRun.heartbeat_at`` every ``HEARTBEAT_EVERY`` on its own
    database connection, whatever the import's main thread is doing (a long backoff, a big
    page)."""

    def __init__(self, pk: int, counts: Callable[[], dict]) -> None:
        self.pk = pk
        self.counts = counts  # written too: current even while the main thread waits
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="import-heartbeat", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        every = ImportRun.HEARTBEAT_EVERY.total_seconds()
        failing = False  # said once per outage, not every beat
        try:
            while not self._stop.wait(every):
                try:
                    values = {**self.counts(), "heartbeat_at": timezone.now()}
                    ImportRun.objects.filter(pk=self.pk).update(**values)
                except DatabaseError as exc:
                    if not failing:
                        logger.warning("import heartbeat not written: %s", one_line(exc))
                    failing = True
                    connections["default"].close()
                else:
                    if failing:
                        logger.warning("import heartbeat written again")
                    failing = False
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
