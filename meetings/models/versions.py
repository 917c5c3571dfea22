"""What kremlin.ru published, version by version, and what the two language versions of
one event disagree on (issue 18).

- :class:`SourceVersion`: every distinct normalised text of an event page an import read,
  with when it was first seen. Written only by the importer
  (:mod:`meetings.importer.versions`), never by an editor's correction: an admin edit
  changes the meeting, not what the source said.
- :class:`SourceCheck`: one row per imported page, for the meeting page's "changed since
  first published" note and the decaying re-check schedule (``import_meetings --recheck``).
- :class:`BilingualDifference`: per event with both versions, the turns found in one
  version only and the aligned pairs of very uneven length (:mod:`meetings.differences`),
  kept so ``/differences/`` lists them without aligning every event per request.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import Meeting


class SourceVersion(models.Model):
    """One distinct text of a source page, as the parser normalised it."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="source_versions",
        db_index=False,  # sourceversion_number_uniq begins with it
    )
    number = models.PositiveIntegerField(
        _("number"), help_text=_("1 for the text first imported, then 2, 3…")
    )
    seen_at = models.DateTimeField(_("first seen"), help_text=_("When an import first read it."))
    raw_hash = models.CharField(
        _("page hash"), max_length=64, help_text=_("SHA-256 of the page's bytes.")
    )
    text_hash = models.CharField(
        _("text hash"), max_length=64, help_text=_("SHA-256 of the normalised text.")
    )
    content = models.JSONField(
        _("content"),
        help_text=_("Title, lead, participants and turns as the page printed them."),
    )

    class Meta:
        verbose_name = _("source version")
        verbose_name_plural = _("source versions")
        ordering = ("meeting", "number")
        constraints = [
            # A meeting's versions in order (the versions page, the import's latest-version
            # lookup).
            models.UniqueConstraint(fields=["meeting", "number"], name="sourceversion_number_uniq"),
        ]
        indexes = [
            # /feeds/changes.atom: the newest changes first. Changes only: every page's first
            # version (most of what an import writes) stays out of it.
            models.Index(
                fields=["-seen_at", "-id"],
                name="sourceversion_seen_idx",
                condition=models.Q(number__gt=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} v{self.number}"

    def get_absolute_url(self) -> str:
        return (
            reverse(
                "meetings:meeting_versions", args=[self.meeting.language, self.meeting.kremlin_id]
            )
            + f"#v{self.number}"
        )


class SourceCheckQuerySet(models.QuerySet):
    def due(self, now) -> SourceCheckQuerySet:
        """Pages whose next re-check has come, the longest waiting first."""
        return self.filter(next_check_at__lte=now).order_by("next_check_at", "meeting_id")


class SourceCheck(models.Model):
    """When a page was first read, last read and is next to be read again."""

    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="source_check",
    )
    first_seen_at = models.DateTimeField(_("first seen"))
    checked_at = models.DateTimeField(_("last checked"))
    next_check_at = models.DateTimeField(_("next check"))
    changes = models.PositiveIntegerField(
        _("changes"), default=0, help_text=_("Versions after the first.")
    )
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    objects = SourceCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("source check")
        verbose_name_plural = _("source checks")
        indexes = [
            # import_meetings --recheck: the pages due, oldest first.
            models.Index(fields=["next_check_at"], name="sourcecheck_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} checked {self.checked_at:%Y-%m-%d}"


class BilingualDifference(models.Model):
    """What one event's Russian and English transcripts disagree on."""

    kremlin_id = models.PositiveIntegerField(_("kremlin.ru id"), unique=True)
    russian = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="+", verbose_name=_("Russian version")
    )
    english = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="+", verbose_name=_("English version")
    )
    date = models.DateField(_("date"))
    only_ru = models.PositiveIntegerField(_("turns only in Russian"), default=0)
    only_en = models.PositiveIntegerField(_("turns only in English"), default=0)
    uneven = models.PositiveIntegerField(_("pairs of uneven length"), default=0)
    pairs = models.PositiveIntegerField(_("aligned pairs"), default=0)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("RU/EN difference")
        verbose_name_plural = _("RU/EN differences")
        ordering = ("-date", "-kremlin_id")
        indexes = [
            # /differences/: events with any difference, newest first.
            models.Index(
                fields=["-date", "-kremlin_id"],
                name="bilingualdiff_listed_idx",
                condition=models.Q(only_ru__gt=0)
                | models.Q(only_en__gt=0)
                | models.Q(uneven__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kremlin_id}: {self.total} differences"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_compare", args=[self.kremlin_id])

    @property
    def total(self) -> int:
        return self.only_ru + self.only_en + self.uneven
