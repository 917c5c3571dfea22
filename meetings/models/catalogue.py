"""The catalogue: the countries kremlin.ru tags and the people who took part."""

from __future__ import annotations

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.languages import preferred_order
from meetings.models.folding import Fold, FoldedNames


def localized(obj: models.Model, base: str) -> str:
    """The ``<base>_ru`` or ``<base>_en`` field for the active language, else the other."""
    first, second = preferred_order()
    return getattr(obj, f"{base}_{first}") or getattr(obj, f"{base}_{second}")


class CountryQuerySet(models.QuerySet):
    def with_meeting_stats(self) -> CountryQuerySet:
        """Events (a kremlin.ru id, whatever the language) with the country, and the latest:
        read from the ``CountryStats`` aggregate, one row per country."""
        return self.annotate(
            meeting_count=Coalesce(models.F("stats__meetings"), 0),
            last_meeting=models.F("stats__last"),
        )


class Country(models.Model):
    """A country or territory as kremlin.ru tags it (ISO 3166 alpha-2, plus its XA/XO)."""

    code = models.CharField(
        _("code"),
        max_length=2,
        primary_key=True,
        help_text=_("ISO 3166-1 alpha-2 code, or kremlin.ru's own code for a territory."),
    )
    name_en = models.CharField(_("name in English"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ("name_en", "code")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:country_detail", args=[self.code])

    @property
    def name(self) -> str:
        return localized(self, "name")


class ParticipantQuerySet(models.QuerySet):
    def with_meeting_counts(self) -> ParticipantQuerySet:
        return self.annotate(meeting_count=Count("participations", distinct=True))

    def with_event_counts(self) -> ParticipantQuerySet:
        """Events attended, counting a meeting published in both languages once: read from
        the ``PersonStats`` aggregate, so the cost does not grow with the count."""
        return self.annotate(
            meeting_count=Coalesce(models.F("stats__meetings"), 0),
            last_meeting=models.F("stats__last_meeting"),
        )

    def speakers(self) -> ParticipantQuerySet:
        """People with at least one turn in a transcript (served by utterance_speaker_idx)."""
        return self.filter(
            Exists(apps.get_model("meetings", "Utterance").objects.filter(speaker=OuterRef("pk")))
        ).order_by("name", "id")

    def search_name(self, text: str) -> ParticipantQuerySet:
        """People whose name in any language, or any label printed for them, contains text,
        accent- and case-blind ("Erdogan" finds "Erdoğan", "эрдоган" finds "Эрдоган");
        served by participant_names_fold_trgm."""
        text = text.strip()
        if not text:
            return self
        return self.alias(folded_names=FoldedNames()).filter(
            folded_names__contains=Fold(models.Value(text))
        )

    def matching_alias(self, label: str) -> ParticipantQuerySet:
        # Served by participant_aliases_gin.
        return self.filter(aliases__contains=[label])


class Participant(models.Model):
    """A person who took part in meetings, resolved across meetings and both languages."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("Canonical full name, nominative case.")
    )
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    kremlin_person_id = models.PositiveIntegerField(
        _("kremlin.ru person id"),
        null=True,
        blank=True,
        help_text=_("The id in kremlin.ru's /catalog/persons/<id>/ when the site tags the person."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    aliases = ArrayField(
        models.CharField(max_length=300),
        verbose_name=_("aliases"),
        default=list,
        blank=True,
        help_text=_("Every label and name form seen on kremlin.ru, e.g. “В.Путин”."),
    )
    # The consonants of the surname in folded Latin ("mrkl" for Merkel, Markel, Меркель),
    # set by the importer and the admin merge; see meetings.importer.people.match.
    name_key = models.CharField(max_length=100, blank=True, default="", editable=False)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ("name", "id")
        constraints = [
            # One participant per kremlin.ru person: the importer resolves by this id first.
            models.UniqueConstraint(
                fields=["kremlin_person_id"],
                condition=Q(kremlin_person_id__isnull=False),
                name="participant_kremlin_person_uniq",
            ),
        ]
        indexes = [
            # Speaker resolution: "which participant has the label 'В.Путин'?"
            GinIndex(fields=["aliases"], name="participant_aliases_gin"),
            # People list searched and ordered by name.
            models.Index(fields=["name"], name="participant_name_idx"),
            # Importer: "who else could 'Angela Markel' be?" (spelling/language variants).
            models.Index(fields=["name_key"], name="participant_name_key_idx"),
            # Importer: a longer form of a page's name ("Angela Merkel %"), every saved page
            # (a prefix LIKE; the collation's own index above cannot serve it).
            models.Index(
                fields=["name"],
                name="participant_name_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            # /people/?q= and the person picker, any part of any name, accent-blind: a
            # trigram index where pg_trgm exists, made by migration 0019 (not in this list:
            # the embedded PostgreSQL has no pg_trgm).
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("meetings:person_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return localized(self, "name") or self.name
