"""Editors' admin: every model editable, the meeting page with everything inline.

Corrections made here are kept by the importer (see ``Meeting.imported``); every change is
recorded in the admin history as usual.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    Country,
    Meeting,
    MeetingCountry,
    Participant,
    Participation,
    SignedDocument,
    Supplement,
    Utterance,
)


class MeetingCountryInline(admin.TabularInline):
    model = MeetingCountry
    extra = 0
    autocomplete_fields = ("country",)
    fields = ("country", "position")


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ("participant",)
    fields = ("participant", "role", "position")


class SignedDocumentInline(admin.StackedInline):
    model = SignedDocument
    extra = 0
    fields = ("position", "title", "kind", "url", "supplement_id", "parties")
    classes = ("collapse",)


class UtteranceInline(admin.StackedInline):
    """A 500-turn transcript stays usable: collapsed, speaker by autocomplete (no 500 selects
    of every participant), in position order."""

    model = Utterance
    extra = 0
    ordering = ("position",)
    autocomplete_fields = ("speaker",)
    fields = (
        ("position", "kind"),
        ("speaker_label", "speaker", "translation_note"),
        "section",
        "text",
    )
    classes = ("collapse",)
    show_change_link = True


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ru", "meeting_total")
    search_fields = ("code", "name_en", "name_ru")
    ordering = ("name_en",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_total=Count("meeting_links"))

    @admin.display(description=_("meetings"), ordering="meeting_total")
    def meeting_total(self, obj):
        return obj.meeting_total


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "name_ru", "country", "kremlin_person_id", "meeting_total")
    list_filter = ("country",)
    search_fields = ("name", "name_en", "name_ru", "aliases")
    autocomplete_fields = ("country",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("country")
            .annotate(meeting_total=Count("participations"))
        )

    @admin.display(description=_("meetings"), ordering="meeting_total")
    def meeting_total(self, obj):
        return obj.meeting_total


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("date", "title", "language", "kind", "place", "kremlin_id", "is_domestic")
    list_filter = ("language", "kind", "is_domestic", "date", "countries")
    search_fields = ("title", "lead", "place", "=kremlin_id")
    date_hierarchy = "date"
    autocomplete_fields = ("counterpart",)
    readonly_fields = ("first_imported_at", "last_imported_at", "source_hash")
    inlines = (MeetingCountryInline, ParticipationInline, SignedDocumentInline, UtteranceInline)
    fieldsets = (
        (None, {"fields": ("title", ("date", "starts_at"), "place", "kind", "lead")}),
        (
            _("Source"),
            {
                "fields": (
                    ("kremlin_id", "language"),
                    "source_url",
                    "counterpart",
                    "supplement_ids",
                    "is_domestic",
                    ("first_imported_at", "last_imported_at"),
                    "source_hash",
                )
            },
        ),
    )


@admin.register(Utterance)
class UtteranceAdmin(admin.ModelAdmin):
    list_display = ("meeting", "position", "speaker_label", "speaker", "kind")
    list_filter = ("kind", "language")
    list_select_related = ("meeting", "speaker")
    search_fields = ("speaker_label", "text", "meeting__title")
    autocomplete_fields = ("meeting", "speaker")
    ordering = ("-meeting__date", "meeting_id", "position")


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "meeting")
    list_filter = ("kind",)
    list_select_related = ("meeting",)
    search_fields = ("title", "meeting__title")
    autocomplete_fields = ("meeting",)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("participant", "role", "meeting")
    list_select_related = ("participant", "meeting")
    search_fields = ("role", "participant__name", "meeting__title")
    autocomplete_fields = ("meeting", "participant")


@admin.register(Supplement)
class SupplementAdmin(admin.ModelAdmin):
    list_display = ("supplement_id", "language", "title")
    list_filter = ("language",)
    search_fields = ("title", "=supplement_id")
