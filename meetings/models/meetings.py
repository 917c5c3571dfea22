"""Meetings: one event page per site, with the countries and people linked to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings import search
from meetings.models.catalogue import Country, Participant
from meetings.models.choices import MOSCOW, Language, MeetingKind


def _related(name: str) -> Any:
    # The transcript's models, which import this module: looked up, not imported.
    return apps.get_model("meetings", name)


class MeetingQuerySet(models.QuerySet):
    def diplomatic(self) -> MeetingQuerySet:
        return self.filter(is_domestic=False)

    def in_language(self, language: str) -> MeetingQuerySet:
        return self.filter(language=language)

    def with_counts(self) -> MeetingQuerySet:
        turns = (
            _related("Utterance")
            .objects.filter(meeting=models.OuterRef("pk"))
            .exclude(speaker_label="")
        )
        docs = _related("SignedDocument").objects.filter(meeting=models.OuterRef("pk"))
        return self.annotate(
            turn_count=Coalesce(
                models.Subquery(
                    turns.order_by().values("meeting").annotate(n=Count("pk")).values("n")
                ),
                0,
            ),
            document_count=Coalesce(
                models.Subquery(
                    docs.order_by().values("meeting").annotate(n=Count("pk")).values("n")
                ),
                0,
            ),
        )

    def with_transcript(self, value: bool = True) -> MeetingQuerySet:
        turns = (
            _related("Utterance").objects.filter(meeting=OuterRef("pk")).exclude(speaker_label="")
        )
        return self.filter(Exists(turns)) if value else self.exclude(Exists(turns))

    def with_documents(self, value: bool = True) -> MeetingQuerySet:
        docs = _related("SignedDocument").objects.filter(meeting=OuterRef("pk"))
        return self.filter(Exists(docs)) if value else self.exclude(Exists(docs))

    def with_countries(self, codes) -> MeetingQuerySet:
        """Meetings with any of the countries (served by meetingcountry_date_idx)."""
        links = MeetingCountry.objects.filter(meeting=OuterRef("pk"), country__in=list(codes))
        return self.filter(Exists(links))

    def with_participant(self, participant) -> MeetingQuerySet:
        links = Participation.objects.filter(meeting=OuterRef("pk"), participant=participant)
        return self.filter(Exists(links))

    def search(self, text: str) -> MeetingQuerySet:
        """Meetings whose title, lead or transcript match ``text`` (websearch syntax), with
        a ``rank``: the title and lead weigh more than the transcript.

        Both read the stored ``search_document`` (served by meeting_search_gin), so nothing
        is recomputed per row."""
        queries = search.search_queries(text)
        return self.filter(search.matching("search_document", queries)).annotate(
            rank=Coalesce(
                search.rank("search_document", queries), 0.0, output_field=models.FloatField()
            )
        )

    def one_per_event(self, language: str) -> MeetingQuerySet:
        """One row per kremlin.ru event: the ``language`` version when it is among these
        meetings, else the other (served by meeting_source_uniq on kremlin_id, language)."""
        preferred = self.filter(kremlin_id=OuterRef("kremlin_id"), language=language)
        return self.filter(Q(language=language) | ~Exists(preferred.order_by().values("pk")))

    def for_detail(self) -> MeetingQuerySet:
        """One meeting page: its countries, participants, documents and other-language twin."""
        return self.select_related("counterpart").prefetch_related(
            "countries",
            "documents",
            models.Prefetch(
                "participations",
                queryset=Participation.objects.select_related("participant").order_by(
                    "position", "id"
                ),
            ),
        )

    def for_list(self) -> MeetingQuerySet:
        other_version = Meeting.objects.filter(kremlin_id=OuterRef("kremlin_id")).exclude(
            language=OuterRef("language")
        )
        return (
            self.with_counts()
            .annotate(other_language=Exists(other_version))
            # The search document is a whole transcript's vector (3 KB a meeting on average,
            # in TOAST): lists only search by it, never show it.
            .defer("lead", "imported", "search_document")
            .prefetch_related(
                "countries",
                models.Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("participant").order_by(
                        "position", "id"
                    ),
                ),
            )
        )

    def for_api_list(self) -> MeetingQuerySet:
        """The API's lists: what a row shows (counts, countries, participants), the countries
        and participations as plain lists (``country_list``, ``participation_list``): a
        related manager per row cost a queryset clone each, 1 ms a row for 500 rows."""
        return (
            self.with_counts()
            .defer("lead", "imported", "search_document")
            .prefetch_related(
                models.Prefetch("countries", to_attr="country_list"),
                models.Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("participant").order_by(
                        "position", "id"
                    ),
                    to_attr="participation_list",
                ),
            )
        )


class Meeting(models.Model):
    """One event page on kremlin.ru or en.kremlin.ru."""

    kremlin_id = models.PositiveIntegerField(
        _("kremlin.ru id"),
        help_text=_("The id in /events/president/news/<id>, shared by both sites."),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    source_url = models.URLField(_("source URL"), max_length=500)
    title = models.CharField(_("title"), max_length=1000)
    date = models.DateField(_("date"), help_text=_("Moscow date of the event."))
    starts_at = models.DateTimeField(
        _("starts at"), null=True, blank=True, help_text=_("When the page gives a time.")
    )
    place = models.CharField(_("place"), max_length=500, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.OTHER
    )
    is_domestic = models.BooleanField(
        _("domestic"),
        default=False,
        help_text=_("No foreign country or international organisation took part."),
    )
    countries = models.ManyToManyField(
        Country,
        through="MeetingCountry",
        verbose_name=_("countries"),
        related_name="meetings",
        blank=True,
    )
    participants = models.ManyToManyField(
        Participant,
        through="Participation",
        verbose_name=_("participants"),
        related_name="meetings",
        blank=True,
    )
    counterpart = models.OneToOneField(
        "self",
        verbose_name=_("other-language version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("The same event on the other site (same kremlin.ru id)."),
    )
    supplement_ids = ArrayField(
        models.PositiveIntegerField(),
        verbose_name=_("supplement ids"),
        default=list,
        blank=True,
        help_text=_("kremlin.ru /supplement/<id> pages linked from the event."),
    )
    first_imported_at = models.DateTimeField(_("first imported"), null=True, blank=True)
    last_imported_at = models.DateTimeField(_("last imported"), null=True, blank=True)
    # Feeds' <updated>: set by the importer only when what the page says changed.
    content_changed_at = models.DateTimeField(_("content changed"), null=True, blank=True)
    source_hash = models.CharField(
        _("source hash"), max_length=64, blank=True, help_text=_("SHA-256 of the source page.")
    )
    imported = models.JSONField(
        _("imported values"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("What the last import wrote; editors' corrections are what differs from it."),
    )
    search_document = SearchVectorField(
        _("search document"),
        null=True,
        editable=False,
        help_text=_(
            "Title (A), lead (B) and transcript (D) in the page's language's configuration, "
            "kept up to date by PostgreSQL triggers on meetings and utterances."
        ),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ("-date", "-starts_at", "-id")
        constraints = [
            # The source's identity: a re-import finds the same row.
            models.UniqueConstraint(fields=["kremlin_id", "language"], name="meeting_source_uniq"),
        ]
        indexes = [
            # Home page and feeds: meetings newest first.
            models.Index(fields=["-date", "-id"], name="meeting_date_idx"),
            # The same list restricted to one site's language.
            models.Index(fields=["language", "-date"], name="meeting_lang_date_idx"),
            # The list in its default order ("newest": date, time, id), deep pages included.
            models.Index(fields=["-date", "-starts_at", "-id"], name="meeting_list_order_idx"),
            # The list's full text (?q=): title, lead and transcript, one stored vector.
            GinIndex(fields=["search_document"], name="meeting_search_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.language, self.kremlin_id])

    @property
    def local_start(self) -> dt.datetime | None:
        return self.starts_at.astimezone(MOSCOW) if self.starts_at else None

    @property
    def time(self) -> dt.time | None:
        start = self.local_start
        return start.time() if start else None

    @staticmethod
    def moscow_datetime(date: dt.date, time: dt.time | None) -> dt.datetime | None:
        """The aware datetime for a Moscow local date and time as kremlin.ru prints them."""
        return dt.datetime.combine(date, time, tzinfo=MOSCOW) if time else None


class MeetingCountry(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="country_links")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="meeting_links")
    date = models.DateField(_("date"), editable=False, help_text=_("Copy of the meeting's date."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("meeting country")
        verbose_name_plural = _("meeting countries")
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "country"], name="meetingcountry_uniq"),
        ]
        indexes = [
            # Meetings with one country, newest first (country pages, ?country=TR).
            models.Index(fields=["country", "-date"], name="meetingcountry_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} @ {self.meeting_id}"

    def save(self, *args, **kwargs):
        # Keep the denormalised date in step; the meeting is already loaded by admin inlines
        # and the importer, so this reads no extra row.
        self.date = self.meeting.date
        super().save(*args, **kwargs)


class Participation(models.Model):
    """A participant at one meeting, with the role they held there."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participations")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(
        _("role"), max_length=300, blank=True, help_text=_("As printed: “President of Turkey”.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="participation_meeting_participant_uniq"
            ),
        ]
        indexes = [
            # A person's meetings (person page timeline).
            models.Index(fields=["participant", "meeting"], name="participation_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} as {self.role or '—'} @ {self.meeting_id}"
