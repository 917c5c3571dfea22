"""Where a merged-away person went: links people saved keep working after an editor's merge."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.catalogue import Participant


class MergedParticipantQuerySet(models.QuerySet["MergedParticipant"]):
    def kept_for(self, pk: int) -> Participant | None:
        """The person ``pk`` was merged into (one query), or None when ``pk`` was not merged
        away. Chains are kept flat by ``record_merge``, so one step is the whole way."""
        row = self.select_related("kept").filter(pk=pk).first()
        return row.kept if row is not None else None


class MergedParticipant(models.Model):
    """A participant id that an editor merged into another person (``meetings.editing``).

    The old id answers with a 301 to the kept person on the person page, in the list's
    ``participant=``, the search's ``speaker=`` and the feeds. A split keeps its id: the
    person split from stays, the new one gets a new id."""

    merged_id = models.PositiveIntegerField(
        _("merged participant id"),
        primary_key=True,
        help_text=_("The id the merged-away participant had (its /people/<id>/)."),
    )
    kept = models.ForeignKey(
        Participant,
        verbose_name=_("kept participant"),
        on_delete=models.CASCADE,
        related_name="merged_ids",
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("Its name when merged."))
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    objects = MergedParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("merged participant")
        verbose_name_plural = _("merged participants")
        ordering = ("merged_id",)
        # "Which old ids lead to this person?" (re-pointing a chain on the next merge) is
        # served by the foreign key's own index.

    def __str__(self) -> str:
        return f"{self.name} ({self.merged_id}) → {self.kept_id}"

    def get_absolute_url(self) -> str:
        return self.kept.get_absolute_url()


def record_merge(keep: Participant, others: list[Participant]) -> None:
    """Remember that ``others`` now live on as ``keep``; ids that led to one of them lead
    to ``keep`` (so an old link never needs two redirects)."""
    other_pks = [o.pk for o in others]
    MergedParticipant.objects.filter(kept_id__in=other_pks).update(kept=keep)
    MergedParticipant.objects.bulk_create(
        [MergedParticipant(merged_id=o.pk, kept=keep, name=o.name[:200]) for o in others],
        update_conflicts=True,
        unique_fields=["merged_id"],
        update_fields=["kept", "name"],
    )
