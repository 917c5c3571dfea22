"""What each object of the API looks like.

Every object carries ``url`` (its page on this site) and ``source_url`` (where kremlin.ru
published it), and ``api_url`` where the API has an address of its own. People and
countries are shaped as Popolo persons and organizations (``id``, ``name``,
``other_names``, ``identifiers``; a person's ``memberships`` from the roles printed for
them at meetings, with the first and last date each was held).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meetings.api.links import Links, links_of
from meetings.api.rows import headline_html, meeting_ref, meeting_row, person_ref, utterance_row
from meetings.models import (
    SITE_HOSTS,
    Country,
    ImportRun,
    Meeting,
    Participant,
    Utterance,
)

NULLABLE_URI = {"type": "string", "format": "uri", "nullable": True}
KREMLIN_PERSON_SCHEME = "kremlin.ru/catalog/persons"
ISO_SCHEME = "ISO 3166-1 alpha-2"


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _name(participant: Participant | None, language: str) -> str | None:
    if participant is None:
        return None
    return getattr(participant, f"name_{language}", "") or participant.name


def person_source_url(participant: Participant) -> str | None:
    if participant.kremlin_person_id is None:
        return None
    return f"http://{SITE_HOSTS['en']}/catalog/persons/{participant.kremlin_person_id}/events"


class LinksMixin(serializers.Serializer):
    url = serializers.SerializerMethodField(help_text="This object's page on the site.")
    api_url = serializers.SerializerMethodField(help_text="This object in the API.")

    def get_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())

    def get_api_url(self, obj) -> str:
        return _absolute(self, self.api_path(obj))

    @property
    def links(self) -> Links:
        return links_of(self.context)

    def api_path(self, obj) -> str:
        raise NotImplementedError


# People ------------------------------------------------------------------------------------


class PersonRefSerializer(LinksMixin):
    """A person where a meeting or a turn names them."""

    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="display_name")

    def api_path(self, obj) -> str:
        return reverse("api:person-detail", args=[obj.pk])

    def to_representation(self, instance: Participant) -> dict[str, Any]:
        return person_ref(self.links, instance)


class PersonSerializer(LinksMixin):
    """A Popolo person."""

    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(help_text="Canonical full name.")
    other_names = serializers.SerializerMethodField()
    identifiers = serializers.SerializerMethodField()
    aliases = serializers.ListField(
        child=serializers.CharField(), help_text="Every label and name form seen on kremlin.ru."
    )
    country = serializers.CharField(source="country_id", allow_null=True)
    meeting_count = serializers.IntegerField(
        help_text="Events attended (a meeting published in both languages counts once)."
    )
    source_url = serializers.SerializerMethodField()

    def api_path(self, obj) -> str:
        return reverse("api:person-detail", args=[obj.pk])

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "note": {"type": "string"}},
                "required": ["name", "note"],
            },
        }
    )
    def get_other_names(self, obj: Participant) -> list[dict[str, str]]:
        names = [
            {"name": obj.name_en, "note": "English"},
            {"name": obj.name_ru, "note": "Russian"},
        ]
        names += [{"name": alias, "note": "as printed on kremlin.ru"} for alias in obj.aliases]
        seen, unique = {obj.name}, []
        for entry in names:
            if entry["name"] and entry["name"] not in seen:
                seen.add(entry["name"])
                unique.append(entry)
        return unique

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"scheme": {"type": "string"}, "identifier": {"type": "string"}},
                "required": ["scheme", "identifier"],
            },
        }
    )
    def get_identifiers(self, obj: Participant) -> list[dict[str, str]]:
        if obj.kremlin_person_id is None:
            return []
        return [{"scheme": KREMLIN_PERSON_SCHEME, "identifier": str(obj.kremlin_person_id)}]

    @extend_schema_field(NULLABLE_URI)
    def get_source_url(self, obj: Participant) -> str | None:
        return person_source_url(obj)


class MembershipSerializer(serializers.Serializer):
    """A Popolo membership: a role printed for the person at meetings, first to last."""

    person_id = serializers.IntegerField()
    role = serializers.CharField()
    on_behalf_of_id = serializers.CharField(
        allow_null=True, help_text="The person's country (a Popolo organization id)."
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    language = serializers.CharField(help_text="The site the role was printed on (en, ru).")
    meetings = serializers.IntegerField(help_text="Meetings at which the role was printed.")


class PersonDetailSerializer(PersonSerializer):
    memberships = MembershipSerializer(many=True)


# Countries (Popolo organizations) ---------------------------------------------------------


class CountrySerializer(LinksMixin):
    id = serializers.CharField(source="code", help_text="ISO 3166-1 alpha-2 (or kremlin.ru's).")
    name = serializers.CharField(source="name_en")
    other_names = serializers.SerializerMethodField()
    classification = serializers.SerializerMethodField()
    identifiers = serializers.SerializerMethodField()
    meeting_count = serializers.IntegerField()
    last_meeting = serializers.DateField(allow_null=True)
    source_url = serializers.SerializerMethodField()

    def api_path(self, obj) -> str:
        return reverse("api:country-detail", args=[obj.code])

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "note": {"type": "string"}},
                "required": ["name", "note"],
            },
        }
    )
    def get_other_names(self, obj: Country) -> list[dict[str, str]]:
        return [{"name": obj.name_ru, "note": "Russian"}] if obj.name_ru else []

    def get_classification(self, obj: Country) -> str:
        return "country"

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"scheme": {"type": "string"}, "identifier": {"type": "string"}},
                "required": ["scheme", "identifier"],
            },
        }
    )
    def get_identifiers(self, obj: Country) -> list[dict[str, str]]:
        return [{"scheme": ISO_SCHEME, "identifier": obj.code}]

    def get_source_url(self, obj: Country) -> str:
        return f"http://{SITE_HOSTS['en']}/catalog/countries/{obj.code}/events"


class CountryRefSerializer(LinksMixin):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_ru = serializers.CharField()

    def api_path(self, obj) -> str:
        return reverse("api:country-detail", args=[obj.code])


# Meetings ---------------------------------------------------------------------------------


class ParticipationSerializer(serializers.Serializer):
    person = serializers.SerializerMethodField()
    role = serializers.CharField(help_text="As printed on the page.")

    @extend_schema_field(PersonRefSerializer)
    def get_person(self, obj) -> dict[str, Any]:
        return person_ref(links_of(self.context), obj.participant)


class MeetingSerializer(LinksMixin):
    """A meeting in lists: what the list page shows."""

    id = serializers.IntegerField(source="kremlin_id", help_text="kremlin.ru's id.")
    language = serializers.CharField(help_text="The site: en (en.kremlin.ru) or ru.")
    title = serializers.CharField()
    date = serializers.DateField(help_text="Moscow date.")
    time = serializers.SerializerMethodField(help_text="Moscow time, when printed (HH:MM).")
    place = serializers.CharField()
    kind = serializers.CharField()
    countries = serializers.SerializerMethodField()
    participants = ParticipationSerializer(source="participations", many=True)
    turn_count = serializers.IntegerField()
    document_count = serializers.IntegerField()
    source_url = serializers.URLField()

    def api_path(self, obj) -> str:
        return reverse("api:meeting-detail", args=[obj.language, obj.kremlin_id])

    @extend_schema_field({"type": "string", "nullable": True, "pattern": "^[0-2][0-9]:[0-5][0-9]$"})
    def get_time(self, obj: Meeting) -> str | None:
        local = obj.local_start
        return local.strftime("%H:%M") if local else None

    def get_countries(self, obj: Meeting) -> list[str]:
        return [country.code for country in obj.countries.all()]

    def to_representation(self, instance: Meeting) -> dict[str, Any]:
        return meeting_row(self.links, instance)


class DocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()
    source_url = serializers.CharField(source="url", help_text="On kremlin.ru, when linked.")
    parties = serializers.ListField(child=serializers.CharField())


class UtteranceInMeetingSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    section = serializers.CharField()
    speaker = serializers.SerializerMethodField()
    speaker_label = serializers.CharField(help_text="Exactly as printed; empty for narrative.")
    kind = serializers.CharField()
    translation_note = serializers.CharField()
    text = serializers.CharField(help_text="Paragraphs separated by newlines.")
    url = serializers.SerializerMethodField()

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_speaker(self, obj: Utterance) -> dict[str, Any] | None:
        if obj.speaker is None:
            return None
        return person_ref(links_of(self.context), obj.speaker)

    def to_representation(self, instance: Utterance) -> dict[str, Any]:
        meeting, links = self.context["meeting"], links_of(self.context)
        return {
            "position": instance.position,
            "section": instance.section,
            "speaker": None if instance.speaker is None else person_ref(links, instance.speaker),
            "speaker_label": instance.speaker_label,
            "kind": instance.kind,
            "translation_note": instance.translation_note,
            "text": instance.text,
            "url": links.url(
                "meetings:utterance_detail", meeting.language, meeting.kremlin_id, instance.position
            ),
        }

    def get_url(self, obj: Utterance) -> str:
        meeting = self.context["meeting"]
        path = reverse(
            "meetings:utterance_detail", args=[meeting.language, meeting.kremlin_id, obj.position]
        )
        return _absolute(self, path)


class MeetingDetailSerializer(MeetingSerializer):
    """One meeting with everything: countries, participants, documents, the transcript."""

    lead = serializers.CharField()
    countries = CountryRefSerializer(many=True)

    def to_representation(self, instance: Meeting) -> dict[str, Any]:
        return serializers.Serializer.to_representation(self, instance)  # every field

    documents = DocumentSerializer(many=True)
    utterances = serializers.SerializerMethodField()
    other_language = serializers.SerializerMethodField()
    tei_url = serializers.SerializerMethodField()

    @extend_schema_field(UtteranceInMeetingSerializer(many=True))
    def get_utterances(self, obj: Meeting) -> list[dict[str, Any]]:
        context = {**self.context, "meeting": obj}
        return UtteranceInMeetingSerializer(obj.utterances.all(), many=True, context=context).data

    @extend_schema_field(NULLABLE_URI)
    def get_other_language(self, obj: Meeting) -> str | None:
        """The same event on the other site, in the API."""
        if obj.counterpart_id:
            twin = obj.counterpart
        else:
            other = Meeting.objects.filter(kremlin_id=obj.kremlin_id).exclude(language=obj.language)
            twin = other.only("language", "kremlin_id").first()
        if twin is None:
            return None
        return _absolute(self, reverse("api:meeting-detail", args=[twin.language, twin.kremlin_id]))

    def get_tei_url(self, obj: Meeting) -> str:
        return _absolute(self, reverse("meetings:meeting_tei", args=[obj.language, obj.kremlin_id]))


# Utterances (search) ----------------------------------------------------------------------


class MeetingRefSerializer(LinksMixin):
    id = serializers.IntegerField(source="kremlin_id")
    language = serializers.CharField()
    title = serializers.CharField()
    date = serializers.DateField()
    source_url = serializers.URLField()

    def api_path(self, obj) -> str:
        return reverse("api:meeting-detail", args=[obj.language, obj.kremlin_id])

    def to_representation(self, instance: Meeting) -> dict[str, Any]:
        return meeting_ref(self.links, instance)


class UtteranceSerializer(serializers.Serializer):
    """A turn found by a search, with the passage that matched."""

    id = serializers.IntegerField(source="pk")
    meeting = MeetingRefSerializer()
    position = serializers.IntegerField()
    section = serializers.CharField()
    speaker = serializers.SerializerMethodField()
    speaker_label = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()
    headline = serializers.SerializerMethodField(
        help_text="The best passage as HTML: the text escaped, matches in <mark>."
    )
    rank = serializers.FloatField()
    url = serializers.SerializerMethodField()
    source_url = serializers.SerializerMethodField()

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_speaker(self, obj: Utterance) -> dict[str, Any] | None:
        if obj.speaker is None:
            return None
        return person_ref(links_of(self.context), obj.speaker)

    def get_headline(self, obj: Utterance) -> str:
        return headline_html(obj)

    def get_url(self, obj: Utterance) -> str:
        return _absolute(self, obj.get_absolute_url())

    def get_source_url(self, obj: Utterance) -> str:
        return obj.meeting.source_url

    def to_representation(self, instance: Utterance) -> dict[str, Any]:
        return utterance_row(links_of(self.context), instance)


# Import runs ------------------------------------------------------------------------------


class ImportRunSerializer(serializers.ModelSerializer):
    """An import run's public counts (not its arguments or failure lines)."""

    api_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportRun
        fields = (
            "id",
            "started_at",
            "finished_at",
            "created",
            "updated",
            "unchanged",
            "skipped",
            "conflicts",
            "failed",
            "api_url",
        )

    def get_api_url(self, obj: ImportRun) -> str:
        return _absolute(self, reverse("api:importrun-detail", args=[obj.pk]))
