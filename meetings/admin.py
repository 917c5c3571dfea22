"""Editors' admin: every model editable, the meeting page with everything inline.

Corrections made here are kept by the importer (see ``Meeting.imported``); every change is
recorded in the admin history as usual.
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from meetings.admin_forms import ChosenAutocompleteSelect, MeetingAdminForm, SharedChoicesSelect
from meetings.admin_queries import (
    PEOPLE_PARAMETER,
    PEOPLE_PER_PAGE,
    TURNS_PARAMETER,
    TURNS_PER_PAGE,
    CountryFilter,
    FullTextSearch,
    kept_count,
    page_number,
    page_of,
    speaker_choices,
    without_vectors,
)
from meetings.editing import MergeError, merge_participants, split_participant
from meetings.models import (
    Country,
    ImportRun,
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


class PagedFormSet(BaseInlineFormSet):
    """A page of the meeting's rows (see meetings.admin_queries): ``parameter`` names the
    page in the address; ``page`` and ``query`` (the request's) are set by PagedInline."""

    parameter, per_page = TURNS_PARAMETER, TURNS_PER_PAGE
    order: tuple[str, ...] = ("position",)
    related: tuple[str, ...] = ()  # read with the rows
    page, query = 1, QueryDict()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = self.queryset.select_related(*self.related) if self.related else self.queryset
        self.queryset, self.pages = page_of(rows, self.page, self.per_page, *self.order)

    def page_links(self) -> list[tuple[int, bool, str]]:
        """(number, is it this page, its query string: the other inline's page kept)."""
        links = []
        for number in range(1, self.pages + 1):
            query = self.query.copy()
            query[self.parameter] = str(number)
            links.append((number, number == min(self.page, self.pages), query.urlencode()))
        return links


class PagedInline:
    """An inline whose formset is a PagedFormSet, told the page the address asks for."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.page = page_number(request, formset.parameter)  # a fresh class each time
        formset.query = request.GET
        return formset


class ParticipationFormSet(PagedFormSet):
    """A page of participants, every row's person read with the rows (one join) and named
    to its autocomplete: no query per row (56 for the biggest meeting, see
    meetings.admin_forms)."""

    parameter, per_page, order = PEOPLE_PARAMETER, PEOPLE_PER_PAGE, ("position", "id")
    related = ("participant",)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        person = form.instance.participant if form.instance.participant_id else None
        if person is not None:
            form.fields["participant"].widget.widget.chosen = (person.pk, str(person))
        return form


class ParticipationInline(PagedInline, admin.TabularInline):
    model = Participation
    formset = ParticipationFormSet
    extra = 0
    autocomplete_fields = ("participant",)
    fields = ("participant", "role", "position")
    template = "admin/meetings/meeting/participations_inline.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "participant":
            using = kwargs.get("using")
            kwargs["widget"] = ChosenAutocompleteSelect(db_field, self.admin_site, using=using)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SignedDocumentInline(admin.StackedInline):
    model = SignedDocument
    extra = 0
    fields = ("position", "title", "kind", "url", "supplement_id", "parties")
    classes = ("collapse",)


class UtteranceFormSet(PagedFormSet):
    """Offers the meeting's own people as speakers, read once for the whole transcript.

    A per-form autocomplete or select would query once per turn: 500 queries for a long
    news conference. A speaker from outside the meeting is chosen on the utterance's own
    page (autocomplete over everyone) or added as a participant first.
    """

    @cached_property
    def speaker_choices(self) -> list[tuple[str | int, str]]:
        return speaker_choices(self.instance)  # two indexed lookups, not a join (at 100k)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        field = form.fields["speaker"]
        field.choices = self.speaker_choices
        field.widget.choices = self.speaker_choices
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        form.fields["speaker"].widget.choices = self.speaker_choices
        return form


class UtteranceInline(PagedInline, admin.StackedInline):
    """A 500-turn transcript stays usable: collapsed, in position order, a page of turns at
    a time (``?turns=N``, see meetings.admin_queries) and its speaker choices read once
    (see UtteranceFormSet)."""

    model = Utterance
    formset = UtteranceFormSet
    extra = 0
    ordering = ("position",)
    fields = (
        ("position", "kind"),
        ("speaker_label", "speaker", "translation_note"),
        "section",
        "text",
    )
    classes = ("collapse",)
    show_change_link = True
    template = "admin/meetings/meeting/transcript_inline.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "speaker":  # a plain select of the meeting's people, no links
            return db_field.formfield(required=False, widget=SharedChoicesSelect)
        if db_field.name == "kind":
            kwargs["widget"] = SharedChoicesSelect
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ru", "meeting_total")
    search_fields = ("code", "name_en", "name_ru")
    ordering = ("name_en",)

    def get_queryset(self, request):
        # The kept count (meetings_countrystats), not a count of every meeting per page.
        return super().get_queryset(request).select_related("stats")

    @admin.display(description=_("meetings"), ordering="stats__meetings")
    def meeting_total(self, obj):
        return kept_count(obj)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "name_ru", "country", "kremlin_person_id", "meeting_total")
    # Only the countries people are from (not all ~250: a sidebar thousands of pixels long).
    list_filter = (("country", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "name_en", "name_ru", "aliases")
    autocomplete_fields = ("country",)
    actions = ("merge_participants",)

    def get_queryset(self, request):
        # The kept count (meetings_personstats), not a count of every participation per page
        # (the autocompletes use this queryset too).
        return super().get_queryset(request).select_related("country", "stats")

    @admin.display(description=_("meetings"), ordering="stats__meetings")
    def meeting_total(self, obj):
        return kept_count(obj)

    @admin.action(description=_("Merge selected participants"), permissions=["change"])
    def merge_participants(self, request, queryset):
        """Two steps: choose the participant to keep, then merge (see meetings.editing)."""
        # A few chosen people: their participations counted here, for the merge page.
        people = list(
            queryset.annotate(meeting_total=Count("participations")).order_by(
                "-meeting_total", "pk"
            )
        )
        if len(people) < 2:
            self.message_user(request, gettext("Choose two or more participants."), messages.ERROR)
            return None
        if "apply" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "people": people,
                "title": gettext("Merge participants"),
            }
            return TemplateResponse(request, "admin/meetings/participant/merge.html", context)
        keep = next((p for p in people if str(p.pk) == request.POST.get("keep")), None)
        if keep is None:
            self.message_user(request, gettext("Choose the participant to keep."), messages.ERROR)
            return None
        others = [p for p in people if p.pk != keep.pk]
        try:
            moved = merge_participants(keep, others)
        except MergeError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        names = ", ".join(f"{p.name} (#{p.pk})" for p in others)
        self.log_change(
            request, keep, gettext("Merged %(names)s into this participant.") % {"names": names}
        )
        self.message_user(
            request,
            ngettext(
                "Merged %(count)d participant into %(name)s.",
                "Merged %(count)d participants into %(name)s.",
                moved.deleted,
            )
            % {"count": moved.deleted, "name": keep.name},
            messages.SUCCESS,
        )
        return None

    def get_urls(self):
        split = path(
            "<int:pk>/split/",
            self.admin_site.admin_view(self.split_view),
            name="meetings_participant_split",
        )
        return [split, *super().get_urls()]

    def split_view(self, request, pk):
        """Move chosen meetings (participation and turns) or chosen turns to a new person.

        The person's turns are listed one meeting at a time (``?meeting=<id>``), so the
        page stays small for someone with thousands of turns."""
        person = get_object_or_404(Participant, pk=pk)
        if not self.has_change_permission(request, person):
            return redirect("admin:meetings_participant_change", pk)
        error, name = "", ""
        if request.method == "POST":
            name = request.POST.get("name", "")
            try:
                meetings = [int(x) for x in request.POST.getlist("meeting")]
                turns = [int(x) for x in request.POST.getlist("turn")]
                new = split_participant(
                    person, name, meetings, request.POST.getlist("alias"), turns
                )
            except (MergeError, ValueError) as exc:
                error = str(exc)
            else:
                message = gettext(
                    "Split %(count)d meetings and %(turns)d turns off to %(name)s (#%(pk)d)."
                ) % {"count": len(meetings), "turns": len(turns), "name": new.name, "pk": new.pk}
                self.log_change(request, person, message)
                self.log_addition(request, new, message)
                self.message_user(request, message, messages.SUCCESS)
                return redirect("admin:meetings_participant_change", new.pk)
        participations = person.participations.select_related("meeting").order_by(
            "meeting__date", "meeting_id"
        )
        shown = request.GET.get("meeting", "")
        turns = (
            person.utterances.filter(meeting_id=int(shown)).order_by("position")
            if shown.isdigit()
            else Utterance.objects.none()
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "person": person,
            "participations": participations,
            "turns": turns,
            "shown": int(shown) if shown.isdigit() else None,
            "error": error,
            "name": name,
            "title": gettext("Split participant"),
        }
        return TemplateResponse(request, "admin/meetings/participant/split.html", context)


@admin.register(Meeting)
class MeetingAdmin(FullTextSearch, admin.ModelAdmin):
    list_display = ("date", "title", "language", "kind", "place", "kremlin_id", "is_domestic")
    list_filter = ("language", "kind", "is_domestic", "date", CountryFilter)
    search_fields = ("title", "lead", "place", "=kremlin_id")  # by FullTextSearch
    number_field = "kremlin_id"
    show_full_result_count = False
    date_hierarchy = "date"
    autocomplete_fields = ("counterpart",)
    readonly_fields = ("first_imported_at", "last_imported_at", "source_hash")
    inlines = (MeetingCountryInline, ParticipationInline, SignedDocumentInline, UtteranceInline)
    form = MeetingAdminForm  # the date once, the start as a time of that day
    fieldsets = (
        (None, {"fields": ("title", ("date", "start_time"), "place", "kind", "lead")}),
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

    def get_readonly_fields(self, request, obj=None):
        # The page's identity on kremlin.ru: what a re-import finds the meeting by.
        identity = ("kremlin_id", "source_url") if obj is not None else ()
        return (*super().get_readonly_fields(request, obj), *identity)


@admin.register(Utterance)
class UtteranceAdmin(FullTextSearch, admin.ModelAdmin):
    list_display = ("meeting", "position", "speaker_label", "speaker", "kind")
    list_filter = ("kind", "language")
    list_select_related = ("meeting", "speaker")

    def get_queryset(self, request):
        return without_vectors(super().get_queryset(request), "meeting")

    search_fields = ("text",)  # by FullTextSearch, on the stored search vector
    show_full_result_count = False
    autocomplete_fields = ("meeting", "speaker")
    ordering = ("-meeting__date", "meeting_id", "position")


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "meeting")
    list_filter = ("kind",)
    list_select_related = ("meeting",)
    search_fields = ("title",)
    show_full_result_count = False
    autocomplete_fields = ("meeting",)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("participant", "role", "meeting")
    list_select_related = ("participant", "meeting")

    def get_queryset(self, request):
        return without_vectors(super().get_queryset(request), "meeting")

    # Not meeting__title: icontains over 100,000 titles joined to every participation.
    search_fields = ("participant__name", "role")
    ordering = ("-id",)  # newest first, off the primary key: no sort of every match
    show_full_result_count = False
    autocomplete_fields = ("meeting", "participant")


@admin.register(Supplement)
class SupplementAdmin(admin.ModelAdmin):
    list_display = ("supplement_id", "language", "title")
    list_filter = ("language",)
    search_fields = ("title", "=supplement_id")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Every import, read-only: what was run and what came of it (the record of the data's
    history; the importer writes it, nobody edits it)."""

    list_display = (
        "started_at",
        "finished_at",
        "arguments",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "conflicts",
        "failed",
        "state",
    )
    list_filter = ("finished_at",)
    search_fields = ("arguments", "failures")
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
