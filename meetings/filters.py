"""The meeting list's and the search page's filters.

Their query parameters are a public contract (people bookmark and share them): ``country``
(ISO2, repeatable), ``participant``, ``date_from``, ``date_to``, ``year``, ``kind``, ``lang``,
``has_transcript``, ``has_documents``, ``q``, ``sort``; the search page's ``speaker``; and
``person`` (a name the list turns into ``participant``, the search page into ``speaker``).
``country`` also takes a country's name in either language. A bad value is a form error shown
on the page, never a server error.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from meetings.countries import resolve_country
from meetings.country_options import other_names
from meetings.models import (
    Country,
    CountryStats,
    Language,
    Meeting,
    MeetingKind,
    Participant,
    PersonStats,
    Utterance,
)

MAX_QUERY_LENGTH = 300


class YesNoField(forms.TypedChoiceField):
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``); anything else is an error."""

    TRUE = {"true", "1", "yes", "on"}
    FALSE = {"false", "0", "no", "off"}

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("", _("Any")), ("true", _("Yes")), ("false", _("No"))])
        super().__init__(coerce=lambda value: value == "true", empty_value=None, **kwargs)

    def to_python(self, value):
        value = (value or "").strip().lower()
        if value in self.TRUE:
            return "true"
        if value in self.FALSE:
            return "false"
        if value:
            raise ValidationError(_("Choose yes or no."), code="invalid_choice")
        return ""


class YesNoFilter(django_filters.Filter):
    field_class = YesNoField


class CountryField(forms.MultipleChoiceField):
    """ISO codes in any case, or country names in either language (what the picker's plain
    text input sends); empty values are ignored; only countries we know are accepted."""

    names: dict[str, str] = {}  # casefolded name -> code, set per request

    def to_python(self, value):
        codes = []
        for item in super().to_python(value):
            item = " ".join(item.split())
            if item:
                code = (
                    self.names.get(item.casefold()) or _country_named(item) or resolve_country(item)
                )
                codes.append(code or item.upper())
        return list(dict.fromkeys(codes))


def _country_named(name: str) -> str | None:
    """The code of the country called ``name`` in either language (a name, not a code)."""
    if len(name) <= 2:
        return None
    named = Q(name_en__iexact=name) | Q(name_ru__iexact=name)
    return Country.objects.filter(named).values_list("code", flat=True).first()


class YearFilter(django_filters.NumberFilter):
    """A whole year: ``2015.5`` is the form's error, not a silent empty list."""

    field_class = forms.IntegerField


class CountryFilter(django_filters.MultipleChoiceFilter):
    field_class = CountryField


def country_choices() -> list[tuple[str, str]]:
    """Every country, by its name in the active language (one query)."""
    return sorted(((c.code, c.name) for c in Country.objects.all()), key=lambda pair: pair[1])


class CountryChoicesOnce:
    """Read the countries once per request: callable choices are re-read on every use
    (validating, rendering, naming the chosen ones), a query each time. The picker's options
    come from the same query: countries with meetings first (most first, with their count),
    then the others by name."""

    is_bound: bool  # the FilterSet's, which this mixin is combined with
    # The picker's options and labels: a page draws them, the API has no use for them.
    picker = True
    country_options: list[Country]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = list(Country.objects.with_meeting_stats())
        self.filters["country"].extra["choices"] = sorted(
            ((c.code, c.name) for c in countries), key=lambda pair: pair[1]
        )
        self.country_names = {
            name.casefold(): c.code for c in countries for name in (c.name_en, c.name_ru) if name
        }
        self.country_options = []
        if not self.picker:
            return
        self.country_options = sorted(
            countries, key=lambda c: (-c.meeting_count, c.name.casefold())
        )
        for country in self.country_options:  # in Python: a template tag per option cost ~10 ms
            n = country.meeting_count
            count = (
                ngettext("%(n)s meeting", "%(n)s meetings", n)
                % {"n": number_format(n, force_grouping=True)}
                if n
                else gettext("no meetings")
            )
            # "Turk" or "Турц" finds Türkiye: the browser matches the label too.
            also = other_names(country.code, country.name)
            country.count_label = f"{count} · {', '.join(also)}" if also else count

    @property
    def form(self):
        form = super().form
        form.fields["country"].names = self.country_names
        return form

    @property
    def chosen_countries(self) -> list[tuple[str, str]]:
        """(code, name) of each chosen country (valid or not), for the picker's checkboxes."""
        if not self.is_bound:
            return []
        field = self.form.fields["country"]
        names = dict(field.choices)
        return [
            (code, names.get(code, code))
            for code in field.to_python(self.form.data.getlist("country"))
        ]


class DateRangeForm(forms.Form):
    # The filter a typed ``person`` name resolves to, and among whom: anyone on the list.
    person_target = "participant"
    speakers_only = False

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        name = " ".join((cleaned.get("person") or "").split())
        if name:
            person = find_person(name, speakers_only=self.speakers_only)
            if person is None:
                self.add_error("person", _("Nobody called “%(name)s” was found.") % {"name": name})
            else:
                cleaned[self.person_target] = person
        return cleaned


class SearchForm(DateRangeForm):
    person_target = "speaker"
    speakers_only = True


def find_person(name: str, *, speakers_only: bool = False) -> Participant | None:
    """The person a typed name means: one whose name is exactly that (in any language), else
    the one with most meetings among those whose name contains it; on the search page, only
    people who spoke."""
    people = Participant.objects.speakers() if speakers_only else Participant.objects.all()
    people = people.with_event_counts().order_by("-meeting_count", "name", "id")
    exact = people.filter(
        Q(name__iexact=name) | Q(name_en__iexact=name) | Q(name_ru__iexact=name)
    ).first()
    return exact or people.search_name(name).first()


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingFilter(CountryChoicesOnce, django_filters.FilterSet):
    """The home page: every meeting, narrowed by these parameters."""

    SORT_CHOICES = [
        ("newest", _("Newest first")),
        ("oldest", _("Oldest first")),
        ("relevance", _("Relevance (with a search)")),
    ]

    q = django_filters.CharFilter(
        label=_("Words"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        help_text=_('In the title, lead and transcript. Use "quotes", or, -word.'),
    )
    country = CountryFilter(label=_("Country"), choices=country_choices, method="filter_country")
    participant = django_filters.ModelChoiceFilter(
        label=_("Participant"),
        queryset=Participant.objects.all(),
        method="filter_participant",
        widget=forms.HiddenInput,
    )
    # The person picker's plain text input: a name, resolved to ``participant`` on submit.
    person = django_filters.CharFilter(
        label=_("Person"), method="filter_nothing", max_length=MAX_QUERY_LENGTH
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=_date_widget()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="date", lookup_expr="lte", widget=_date_widget()
    )
    year = YearFilter(
        label=_("Year"), field_name="date", lookup_expr="year", min_value=1990, max_value=2100
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MeetingKind.choices, empty_label=_("Any")
    )
    lang = django_filters.ChoiceFilter(
        label=_("Source site"),
        field_name="language",
        choices=Language.choices,
        empty_label=_("Both"),
    )
    has_transcript = YesNoFilter(label=_("With a transcript"), method="filter_transcript")
    has_documents = YesNoFilter(label=_("With signed documents"), method="filter_documents")
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=SORT_CHOICES, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Meeting
        fields: list[str] = []
        form = DateRangeForm

    def filter_text(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def filter_country(self, queryset, name, value):
        return queryset.with_countries(value) if value else queryset

    def filter_participant(self, queryset, name, value):
        return queryset.with_participant(value) if value else queryset

    def filter_transcript(self, queryset, name, value):
        return queryset if value is None else queryset.with_transcript(value)

    def filter_documents(self, queryset, name, value):
        return queryset if value is None else queryset.with_documents(value)

    def filter_nothing(self, queryset, name, value):
        return queryset  # sorting is applied last, in filter_queryset

    @property
    def searching(self) -> bool:
        return bool(self.form.is_valid() and (self.form.cleaned_data.get("q") or "").strip())

    def kept_event_count(self) -> int | None:
        """How many rows the one-row-per-event list has when its only filter is one person
        or one country: their events, kept in the aggregates (the list counts a kremlin.ru
        event once), so a COUNT(*) over Putin's 96,000 meetings is not needed. None when
        other filters apply (``sort`` does not filter)."""
        if not self.is_bound or not self.form.is_valid():
            return None
        cleaned = self.form.cleaned_data
        active = {
            name
            for name, value in cleaned.items()
            if name != "sort" and value not in (None, "", [])
        }
        stats: QuerySet[Any]
        if active == {"participant"}:
            stats = PersonStats.objects.filter(participant=cleaned["participant"])
        elif active == {"country"} and len(cleaned["country"]) == 1:
            stats = CountryStats.objects.filter(country=cleaned["country"][0])
        else:
            return None
        return stats.values_list("meetings", flat=True).first() or 0

    @property
    def chosen_sort(self) -> str:
        chosen = self.form.cleaned_data.get("sort") if self.form.is_valid() else ""
        if chosen == "relevance" and not self.searching:
            chosen = ""
        return chosen or ("relevance" if self.searching else "newest")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        ordering = {
            "newest": ("-date", "-starts_at", "-id"),
            "oldest": ("date", "starts_at", "id"),
            "relevance": ("-rank", "-date", "-id"),
        }[self.chosen_sort]
        return queryset.order_by(*ordering)


class UtteranceSearchFilter(CountryChoicesOnce, django_filters.FilterSet):
    """The search page: what was said, in both languages."""

    SORT_CHOICES = [
        ("relevance", _("Relevance")),
        ("newest", _("Newest first")),
        ("oldest", _("Oldest first")),
    ]

    q = django_filters.CharFilter(
        label=_("Words"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        help_text=_('Use "quotes" for a phrase, or between alternatives, -word to exclude.'),
    )
    speaker = django_filters.ModelChoiceFilter(
        label=_("Speaker"), queryset=Participant.objects.speakers(), widget=forms.HiddenInput
    )
    # The person picker's plain text input: a name, resolved to ``speaker`` on submit.
    person = django_filters.CharFilter(
        label=_("Speaker"), method="filter_nothing", max_length=MAX_QUERY_LENGTH
    )
    country = CountryFilter(label=_("Country"), choices=country_choices, method="filter_country")
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="meeting__date", lookup_expr="gte", widget=_date_widget()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="meeting__date", lookup_expr="lte", widget=_date_widget()
    )
    lang = django_filters.ChoiceFilter(
        label=_("Source site"),
        field_name="language",
        choices=Language.choices,
        empty_label=_("Both"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=SORT_CHOICES, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Utterance
        fields: list[str] = []
        form = SearchForm

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(meeting__in=Meeting.objects.with_countries(value))

    def filter_nothing(self, queryset, name, value):
        return queryset

    @property
    def text(self) -> str:
        return (self.form.cleaned_data.get("q") or "").strip() if self.form.is_valid() else ""

    def filter_queryset(self, queryset):
        if not self.text:
            return queryset.none()
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or "relevance"
        ordering = {
            "relevance": ("-rank", "-meeting__date", "position"),
            "newest": ("-meeting__date", "-meeting_id", "position"),
            "oldest": ("meeting__date", "meeting_id", "position"),
        }[sort]
        return queryset.order_by(*ordering)
