"""The transcript: what was said (utterances) and what was signed; and the supplement
pages documents come from."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings import search
from meetings.models.catalogue import Participant
from meetings.models.choices import DocumentKind, Language, UtteranceKind
from meetings.models.meetings import Meeting


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
        queries = search.search_queries(text)
        return self.filter(search.matching("search_vector", queries)).annotate(
            rank=search.rank("search_vector", queries)
        )

    def with_headline(self, text: str, prefix: int | None = None) -> UtteranceQuerySet:
        """A ``headline``: the best passage of the text with the search markers around
        hits; with ``prefix``, of the text's first ``prefix`` characters only."""
        return self.annotate(headline=search.headline(text, prefix))

    def with_marks(self, words: str, language: str) -> UtteranceQuerySet:
        """Each turn's whole text as ``marked``, every match of ``words`` between the search
        markers (the transcript's ``?hl=``)."""
        return self.annotate(marked=search.every_match(words, language))


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
        expression=search.text_vector(), output_field=SearchVectorField(), db_persist=True
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
