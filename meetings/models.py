"""What Kremlin Meetings stores: meetings from kremlin.ru, who took part, what was said, and
what was signed.

Every row that comes from the source keeps what the page printed (the speaker label, the
role) next to what we resolved (the participant), so editors can see and fix the resolution.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Left, Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from meetings import aggregates

MOSCOW = ZoneInfo("Europe/Moscow")
SITE_HOSTS = {"ru": "kremlin.ru", "en": "en.kremlin.ru"}


class Language(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class MeetingKind(models.TextChoices):
    TALKS = "talks", _("Talks")
    MEETING = "meeting", _("Meeting")
    TELEPHONE = "telephone", _("Telephone conversation")
    SUMMIT = "summit", _("Summit")
    PRESS = "press", _("News conference or press statements")
    VISIT = "visit", _("Visit")
    MESSAGE = "message", _("Message or greeting")
    INTERVIEW = "interview", _("Interview or article")
    DECREE = "decree", _("Executive order, law or appointment")
    FORUM = "forum", _("Multilateral session or forum")
    CEREMONY = "ceremony", _("Ceremony or cultural event")
    OTHER = "other", _("Other")


class UtteranceKind(models.TextChoices):
    SPEECH = "speech", _("Speech")
    QUESTION = "question", _("Question")
    NARRATIVE = "narrative", _("Narrative")
    OMISSION = "omission", _("Omission")


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    MEMORANDUM = "memorandum", _("Memorandum")
    JOINT_STATEMENT = "joint_statement", _("Joint statement")
    DECLARATION = "declaration", _("Declaration")
    PROGRAMME = "programme", _("Programme")
    OTHER = "other", _("Other")


def _localized(obj: models.Model, base: str) -> str:
    """The ``<base>_ru`` or ``<base>_en`` field for the active language, else the other."""
    first, second = ("ru", "en") if (get_language() or "en").startswith("ru") else ("en", "ru")
    return getattr(obj, f"{base}_{first}") or getattr(obj, f"{base}_{second}")


SEARCH_CONFIGS = {"ru": "russian", "en": "english"}


def search_queries(text: str) -> dict[str, SearchQuery]:
    """The user's words as a websearch query in each language's configuration."""
    return {
        lang: SearchQuery(text, search_type="websearch", config=config)
        for lang, config in SEARCH_CONFIGS.items()
    }


def _per_language(field: str, make) -> models.Case:
    """``make(lang)`` for the row's language, e.g. the rank under that language's query."""
    whens = [models.When(**{field: lang}, then=make(lang)) for lang in SEARCH_CONFIGS]
    return models.Case(*whens, default=None)


class CountryQuerySet(models.QuerySet):
    def with_meeting_stats(self) -> CountryQuerySet:
        """Events (a kremlin.ru id, whatever the language) with the country, and the latest:
        read from the ``CountryStats`` aggregate, one row per country."""
        aggregates.ensure_fresh()
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
        return _localized(self, "name")


class ParticipantQuerySet(models.QuerySet):
    def with_meeting_counts(self) -> ParticipantQuerySet:
        return self.annotate(meeting_count=Count("participations", distinct=True))

    def with_event_counts(self) -> ParticipantQuerySet:
        """Events attended, counting a meeting published in both languages once: read from
        the ``PersonStats`` aggregate, so the cost does not grow with the count."""
        aggregates.ensure_fresh()
        return self.annotate(
            meeting_count=Coalesce(models.F("stats__meetings"), 0),
            last_meeting=models.F("stats__last_meeting"),
        )

    def speakers(self) -> ParticipantQuerySet:
        """People with at least one turn in a transcript (served by utterance_speaker_idx)."""
        return self.filter(Exists(Utterance.objects.filter(speaker=OuterRef("pk")))).order_by(
            "name", "id"
        )

    def search_name(self, text: str) -> ParticipantQuerySet:
        """People whose name in any language, or any label printed for them, contains text."""
        text = text.strip()
        if not text:
            return self
        aliases = models.Func(
            models.F("aliases"),
            models.Value(" | "),
            function="array_to_string",
            output_field=models.TextField(),
        )
        return self.alias(aliases_text=aliases).filter(
            Q(name__icontains=text)
            | Q(name_en__icontains=text)
            | Q(name_ru__icontains=text)
            | Q(aliases_text__icontains=text)
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
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("meetings:person_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return _localized(self, "name") or self.name


class MeetingQuerySet(models.QuerySet):
    def diplomatic(self) -> MeetingQuerySet:
        return self.filter(is_domestic=False)

    def in_language(self, language: str) -> MeetingQuerySet:
        return self.filter(language=language)

    def with_counts(self) -> MeetingQuerySet:
        turns = Utterance.objects.filter(meeting=models.OuterRef("pk")).exclude(speaker_label="")
        docs = SignedDocument.objects.filter(meeting=models.OuterRef("pk"))
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
        turns = Utterance.objects.filter(meeting=OuterRef("pk")).exclude(speaker_label="")
        return self.filter(Exists(turns)) if value else self.exclude(Exists(turns))

    def with_documents(self, value: bool = True) -> MeetingQuerySet:
        docs = SignedDocument.objects.filter(meeting=OuterRef("pk"))
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
        queries = search_queries(text)
        matches = Q()
        for lang, query in queries.items():
            matches |= Q(language=lang, search_document=query)
        rank = _per_language(
            "language", lambda lang: SearchRank(models.F("search_document"), queries[lang])
        )
        return self.filter(matches).annotate(
            rank=Coalesce(rank, 0.0, output_field=models.FloatField())
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
            .defer("lead", "imported")
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
        return self.local_start.time() if self.starts_at else None

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


def _search_vector():
    # The text's language picks the stemmer; the config is a literal, so the expression is
    # immutable and PostgreSQL can store it as a generated column.
    return models.Case(
        models.When(
            language=Language.RUSSIAN, then=SearchVector("text", config="russian", weight="A")
        ),
        default=SearchVector("text", config="english", weight="A"),
        output_field=SearchVectorField(),
    )


def _word_count():
    # Words in a turn: the text split on runs of whitespace (immutable, so it can be stored).
    return models.Func(
        models.Func(
            models.Func("text", function="btrim"),
            models.Value(r"\s+"),
            function="regexp_split_to_array",
        ),
        models.Value(1),
        function="array_length",
        output_field=models.IntegerField(),
    )


class UtteranceQuerySet(models.QuerySet):
    def in_order(self) -> UtteranceQuerySet:
        return self.order_by("position")

    def turns(self) -> UtteranceQuerySet:
        return self.exclude(speaker_label="")

    def for_transcript(self) -> UtteranceQuerySet:
        return self.select_related("speaker").order_by("position")

    def search(self, text: str) -> UtteranceQuerySet:
        """Utterances matching ``text`` (websearch syntax) in their own language's
        configuration, each with a ``rank`` (the GIN index serves each language's branch)."""
        queries = search_queries(text)
        said = Q()
        for lang, query in queries.items():
            said |= Q(language=lang, search_vector=query)
        return self.filter(said).annotate(
            rank=_per_language(
                "language", lambda lang: SearchRank(models.F("search_vector"), queries[lang])
            )
        )

    def with_headline(
        self, text: str, start: str, stop: str, prefix: int | None = None
    ) -> UtteranceQuerySet:
        """A ``headline``: the best passage of the text with ``start``/``stop`` around hits;
        with ``prefix``, of the text's first ``prefix`` characters only (ts_headline parses
        all it is given)."""
        queries = search_queries(text)
        source = Left("text", prefix) if prefix else models.F("text")
        return self.annotate(
            headline=_per_language(
                "language",
                lambda lang: headline_expression(
                    source, queries[lang], SEARCH_CONFIGS[lang], start, stop
                ),
            )
        )


SHORT_PASSAGE = 300  # characters: a text this short is shown whole in a snippet


def headline_expression(field, query, config: str, start: str, stop: str):
    """The best passage of ``field`` with hits between ``start`` and ``stop``: a short text
    whole, a longer one as one fragment stretched on both sides of the match (PostgreSQL's
    default passage starts at the match)."""
    common = {"config": config, "start_sel": start, "stop_sel": stop}
    return models.Case(
        models.When(
            LessThanOrEqual(Length(field), SHORT_PASSAGE),
            then=SearchHeadline(field, query, max_words=60, min_words=30, **common),
        ),
        default=SearchHeadline(field, query, max_words=45, min_words=20, max_fragments=1, **common),
        output_field=models.TextField(),
    )


class Utterance(models.Model):
    """One speaker turn (all its paragraphs) or one non-speech item of a transcript."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="utterances")
    position = models.PositiveIntegerField(_("position"), help_text=_("Order in the transcript."))
    section = models.CharField(_("section"), max_length=500, blank=True)
    speaker = models.ForeignKey(
        Participant,
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="utterances",
    )
    speaker_label = models.CharField(
        _("speaker label"), max_length=300, blank=True, help_text=_("Exactly as printed.")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=UtteranceKind.choices, default=UtteranceKind.SPEECH
    )
    translation_note = models.CharField(_("translation note"), max_length=100, blank=True)
    text = models.TextField(_("text"), help_text=_("Plain text; paragraphs separated by newlines."))
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        editable=False,
        help_text=_("Copy of the meeting's language; picks the search stemmer."),
    )
    search_vector = models.GeneratedField(
        expression=_search_vector(), output_field=SearchVectorField(), db_persist=True
    )
    word_count = models.GeneratedField(
        expression=_word_count(), output_field=models.IntegerField(), db_persist=True
    )

    objects = UtteranceQuerySet.as_manager()

    class Meta:
        verbose_name = _("utterance")
        verbose_name_plural = _("utterances")
        ordering = ("meeting", "position")
        constraints = [
            # A transcript in order; also the index for "utterances of a meeting by position".
            models.UniqueConstraint(
                fields=["meeting", "position"], name="utterance_meeting_position_uniq"
            ),
        ]
        indexes = [
            # A speaker's turns (person pages: turns and words, latest quotes).
            models.Index(fields=["speaker", "meeting"], name="utterance_speaker_idx"),
            # A person's turns and words summed from the index alone, however many turns.
            models.Index(
                fields=["speaker"], include=["word_count"], name="utterance_speaker_words_idx"
            ),
            # Full-text search over what was said.
            GinIndex(fields=["search_vector"], name="utterance_search_gin"),
        ]

    def __str__(self) -> str:
        who = self.speaker_label or self.get_kind_display()
        return f"#{self.position} {who}"

    def save(self, *args, **kwargs):
        if not self.language:
            self.language = self.meeting.language
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "meetings:utterance_detail",
            args=[self.meeting.language, self.meeting.kremlin_id, self.position],
        )

    @property
    def anchor(self) -> str:
        return f"u-{self.position}"


class SignedDocument(models.Model):
    """A document signed at (or published with) a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.TextField(_("title"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    url = models.URLField(_("source URL"), max_length=500, blank=True)
    supplement_id = models.PositiveIntegerField(_("supplement id"), null=True, blank=True)
    parties = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("parties"),
        default=list,
        blank=True,
        help_text=_("As printed, e.g. “Russia, Turkey”."),
    )

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        ordering = ("meeting", "position", "id")
        indexes = [
            # Documents of a meeting in order (meeting page, exports).
            models.Index(fields=["meeting", "position"], name="document_meeting_idx"),
        ]

    def __str__(self) -> str:
        return self.title[:120]


class Supplement(models.Model):
    """A kremlin.ru /supplement/<id> page as last imported (e.g. documents signed on a visit).

    Kept so its documents reach the meeting whichever of the two pages is imported first.
    """

    supplement_id = models.PositiveIntegerField(_("supplement id"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    source_url = models.URLField(_("source URL"), max_length=500)
    title = models.CharField(_("title"), max_length=1000)
    meeting_ids = ArrayField(
        models.PositiveIntegerField(),
        verbose_name=_("meeting ids"),
        default=list,
        blank=True,
        help_text=_("kremlin.ru event ids the page links to."),
    )
    documents = models.JSONField(
        _("documents"), default=list, blank=True, help_text=_("The documents the page lists.")
    )
    source_hash = models.CharField(
        _("source hash"), max_length=64, blank=True, help_text=_("SHA-256 of the source page.")
    )

    class Meta:
        verbose_name = _("supplement")
        verbose_name_plural = _("supplements")
        ordering = ("supplement_id", "language")
        constraints = [
            # The source's identity: a re-import finds the same row.
            models.UniqueConstraint(
                fields=["supplement_id", "language"], name="supplement_source_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplement_id} {self.title}"[:120]


class ImportRunQuerySet(models.QuerySet):
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


# Aggregates ------------------------------------------------------------------------------
# Materialized views (migration 0011_perf_aggregates), refreshed by meetings.aggregates when
# the data changes: what a person or country page counts, read in a few rows however many
# meetings the person or country has. Read-only: Django never creates or writes them.


class Aggregate(models.Model):
    """Base of the read-only aggregate rows."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


def _aggregate_of(model, related_name: str, **extra) -> models.ForeignKey:
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, related_name=related_name, **extra
    )


class PersonStats(Aggregate):
    """A person's events (a kremlin.ru id counted once), latest date, turns and words."""

    participant = models.OneToOneField(
        Participant,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="stats",
    )
    meetings = models.IntegerField()
    last_meeting = models.DateField(null=True)
    turns = models.IntegerField()
    words = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "meetings_personstats"


class PersonYear(Aggregate):
    """A person's events in one year, and in them their words and everybody's words."""

    pk = models.CompositePrimaryKey("participant", "year")
    participant = _aggregate_of(Participant, "years")
    year = models.IntegerField()
    meetings = models.IntegerField()
    first = models.DateField()
    last = models.DateField()
    words_own = models.BigIntegerField()
    words_all = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "meetings_personyear"


class PersonRole(Aggregate):
    """A role as printed for a person, per site: how often, first and last held."""

    pk = models.CompositePrimaryKey("participant", "role", "language")
    participant = _aggregate_of(Participant, "role_stats")
    role = models.CharField(max_length=300)
    language = models.CharField(max_length=2)
    n = models.IntegerField()
    first = models.DateField()
    last = models.DateField()

    class Meta:
        managed = False
        db_table = "meetings_personrole"


class PersonCountry(Aggregate):
    """Events of a person with a country, and the latest."""

    pk = models.CompositePrimaryKey("participant", "country")
    participant = _aggregate_of(Participant, "country_stats")
    country = _aggregate_of(Country, "person_stats")
    meetings = models.IntegerField()
    last = models.DateField()

    class Meta:
        managed = False
        db_table = "meetings_personcountry"


class PersonCoSpeaker(Aggregate):
    """The words another identified speaker said in the meetings a person took part in."""

    pk = models.CompositePrimaryKey("participant", "other")
    participant = _aggregate_of(Participant, "cospeakers")
    other = _aggregate_of(Participant, "cospeaker_of")
    words = models.BigIntegerField()
    meetings = models.IntegerField()

    class Meta:
        managed = False
        db_table = "meetings_personcospeaker"


class CountryStats(Aggregate):
    """A country's events, first and last date, and the words said in its meetings."""

    country = models.OneToOneField(
        Country,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="stats",
    )
    meetings = models.IntegerField()
    first = models.DateField()
    last = models.DateField()
    words = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "meetings_countrystats"


class CountryYear(Aggregate):
    """A country's events in one year."""

    pk = models.CompositePrimaryKey("country", "year")
    country = _aggregate_of(Country, "years")
    year = models.IntegerField()
    meetings = models.IntegerField()

    class Meta:
        managed = False
        db_table = "meetings_countryyear"


class CountrySpeaker(Aggregate):
    """The words an identified speaker said across a country's meetings."""

    pk = models.CompositePrimaryKey("country", "speaker")
    country = _aggregate_of(Country, "speaker_stats")
    speaker = _aggregate_of(Participant, "country_words")
    words = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "meetings_countryspeaker"
