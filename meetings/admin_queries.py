"""The admin's queries written for 100,000 meetings and a million turns (``meetings/admin.py``
uses them): every page an editor opens answers in under a second at that size.

- :func:`speaker_choices`: the meeting's own people, as the union of two indexed lookups
  (its participations, its turns' speakers). An ``OR`` across both relations with
  ``DISTINCT`` joined every participation with every turn of each participant: no answer
  in 100 s at 100,000 meetings.
- :func:`kept_count`: a person's or country's number of events from the kept aggregates
  (``meetings_personstats``, ``meetings_countrystats``), instead of counting them per row.
- :class:`CountryFilter`, :func:`without_vectors`: the meeting list filtered by country
  without ``DISTINCT``, and change lists that do not load the stored search vectors.
- :class:`FullTextSearch`: the change list's search box on the stored search vectors (the
  GIN indexes the public search uses), instead of ``icontains`` over every text; a number
  finds the kremlin.ru id.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from meetings.models import Country, Meeting, MeetingCountry, Participant, Participation, Utterance


def kept_count(obj: Any) -> int:
    """A person's or country's events from the kept aggregates (0 before any)."""
    try:
        return obj.stats.meetings
    except ObjectDoesNotExist:  # no kept row yet (nothing counted for them)
        return 0


def speaker_choices(meeting: Meeting) -> list[tuple[str | int, str]]:
    """``("", "---------")`` and the meeting's participants and speakers, by name."""
    people = Participant.objects.filter(
        Q(pk__in=Participation.objects.filter(meeting=meeting).values("participant_id"))
        | Q(
            pk__in=Utterance.objects.filter(meeting=meeting, speaker__isnull=False).values(
                "speaker_id"
            )
        )
    ).order_by("name", "pk")
    return [("", "---------"), *people.values_list("pk", "name")]


class FullTextSearch:
    """A ModelAdmin mixin: ``?q=`` searches the model's ``search()`` QuerySet method
    (websearch syntax on the stored vector, served by its GIN index); digits alone also
    match ``number_field``."""

    number_field: str | None = None

    def get_search_results(
        self, request: Any, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        found = queryset.filter(pk__in=queryset.model.objects.search(term).values("pk"))
        if self.number_field and term.isdigit():
            found = found | queryset.filter(**{self.number_field: int(term)})
        return found, False


# The meeting's inlines, a page of rows at a time ------------------------------------------
# Rendering a form costs milliseconds; a 500-turn news conference rendered whole took 16 s
# at 100,000 meetings, and the 56 participant rows of the biggest meeting were a third of its
# page. The meeting's change form shows TURNS_PER_PAGE turns (``?turns=N`` picks the page)
# and PEOPLE_PER_PAGE participants (``?people=N``); the form posts back to the same address,
# so the same rows are saved.
TURNS_PER_PAGE = 25
TURNS_PARAMETER = "turns"
PEOPLE_PER_PAGE = 25
PEOPLE_PARAMETER = "people"


def page_number(request: Any, parameter: str) -> int:
    raw = request.GET.get(parameter, "")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


def page_of(queryset: QuerySet, page: int, size: int, *order: str) -> tuple[QuerySet, int]:
    """(the rows of ``page``, ``size`` a page in ``order``; the number of pages)."""
    total = queryset.count()
    pages = max(1, -(-total // size))
    start = (min(page, pages) - 1) * size
    return queryset.order_by(*order)[start : start + size], pages


class CountryFilter(admin.SimpleListFilter):
    """Meetings with a country, as one indexed lookup of their meeting ids: Django's own
    filter across the many-to-many adds ``DISTINCT`` over every column of 100,000 rows."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        # Only countries that have meetings: all ~250 made a sidebar of 6,000 px (issue 16).
        # One index probe per country (meetingcountry_date_idx), exact even before the kept
        # counts catch up with an import.
        tagged = MeetingCountry.objects.filter(country_id=OuterRef("pk"))
        countries = Country.objects.filter(Exists(tagged)).order_by("name_en")
        return list(countries.values_list("code", "name_en"))

    def queryset(self, request: Any, queryset: QuerySet) -> QuerySet:
        code = self.value()
        if not code:
            return queryset
        meetings = MeetingCountry.objects.filter(country_id=code).values("meeting_id")
        return queryset.filter(pk__in=meetings)


def without_vectors(queryset: QuerySet, *related: str) -> QuerySet:
    """The change list's rows without their stored search vectors (and those of the
    ``related`` rows joined in): kilobytes a row that no column shows."""
    fields = [f"{name}__search_document" for name in related if name == "meeting"]
    if any(f.name == "search_vector" for f in queryset.model._meta.get_fields()):
        fields.append("search_vector")
    return queryset.defer(*fields) if fields else queryset
