"""The import log: one row per ``import_meetings`` run."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportRunQuerySet(models.QuerySet["ImportRun"]):
    def latest_finished(self) -> ImportRun | None:
        """The last run that ended (the admin index and /healthz show it)."""
        return self.exclude(finished_at=None).order_by("-finished_at", "-id").first()

    def running(self) -> list[ImportRun]:
        """Unfinished runs whose process is alive (see :attr:`ImportRun.is_dead`)."""
        return [run for run in self.filter(finished_at=None) if not run.is_dead]


class ImportRun(models.Model):
    """One ``import_meetings`` run: when, what it read, and what came of it."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    arguments = models.CharField(
        _("arguments"), max_length=1000, blank=True, help_text=_("The command line, as given.")
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    conflicts = models.PositiveIntegerField(_("conflicts"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    failures = models.TextField(
        _("failures"), blank=True, help_text=_("One line per failed input.")
    )
    stopped = models.CharField(
        _("stopped early"), max_length=1000, blank=True, help_text=_("Why the run stopped.")
    )
    # Which process runs it, and when it last said it was alive (meetings/importer/run_log.py):
    # an unfinished run whose heartbeat is stale, or whose process on this host is gone, died.
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    HEARTBEAT_EVERY = dt.timedelta(seconds=10)
    STALE_AFTER = dt.timedelta(minutes=2)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ("-started_at", "-id")
        indexes = [
            # ImportRun.objects.latest_finished(): the admin index and /healthz.
            models.Index(fields=["-finished_at", "-id"], name="importrun_finished_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.summary_line()}"

    def summary_line(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {self.skipped}, conflicts {self.conflicts}, failed {self.failed}"
        )

    @property
    def is_dead(self) -> bool:
        """Unfinished, and its process is gone: no heartbeat for ``STALE_AFTER`` or, on this
        host, no process with its id (the importer beats every ``HEARTBEAT_EVERY``)."""
        if self.finished_at is not None:
            return False
        last = self.heartbeat_at or self.started_at
        if timezone.now() - last > self.STALE_AFTER:
            return True
        if self.pid and self.host == socket.gethostname():
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return True
            except PermissionError:  # alive, someone else's
                return False
        return False

    @property
    def state(self) -> str:
        if self.finished_at is not None:
            return "finished"
        return "dead" if self.is_dead else "running"
