"""The import log: one row per ``import_meetings`` run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRunQuerySet(models.QuerySet["ImportRun"]):
    def latest_finished(self) -> ImportRun | None:
        """The last run that ended (the admin index and /healthz show it)."""
        return self.exclude(finished_at=None).order_by("-finished_at", "-id").first()


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

    objects = ImportRunQuerySet.as_manager()

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
