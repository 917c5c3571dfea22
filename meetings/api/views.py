"""What each API address answers. The filters are the pages' own FilterSets (same
parameter names, meanings and error messages as ``/`` and ``/search/``); what to fetch is
the models' QuerySet methods; the order is a keyset (``pagination.py``)."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meetings import search
from meetings.api import serializers
from meetings.api.filtersets import MeetingApiFilter, UtteranceApiFilter
from meetings.api.pagination import SearchPagination
from meetings.models import (
    Country,
    ImportRun,
    Language,
    Meeting,
    Participant,
    PersonRole,
    Utterance,
    aggregates,
)
from meetings.params import clean_text


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend that keeps the FilterSet on the view: the keyset order
    follows its ``sort``, and the view reads its cleaned values."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        view.filterset = filterset
        return filterset

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():  # the form's messages and codes, as the pages give them
            errors = filterset.form.errors.get_json_data()
            raise ValidationError(
                {
                    field: [ErrorDetail(e["message"], code=e["code"]) for e in items]
                    for field, items in errors.items()
                }
            )
        return filterset.qs


class ApiIndex(APIView):
    """Where everything is."""

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        names = ("meeting-list", "utterance-list", "person-list", "country-list", "importrun-list")
        links = {
            name.split("-")[0]: request.build_absolute_uri(reverse(f"api:{name}")) for name in names
        }
        links["openapi"] = request.build_absolute_uri(reverse("api:openapi"))
        links["docs"] = request.build_absolute_uri(reverse("api:docs"))
        links["data"] = request.build_absolute_uri(reverse("data"))
        return Response(links)


# Meetings ---------------------------------------------------------------------------------

MEETING_ORDER = {
    "newest": ("-date", "-id"),
    "oldest": ("date", "id"),
    "relevance": ("-rank", "-id"),
}


class MeetingList(generics.ListAPIView):
    """Meetings, every version (each language's page is its own row, as in the
    ``?format=json`` export), filtered with the home page's parameters."""

    serializer_class = serializers.MeetingSerializer
    filter_backends = [FilterBackend]
    filterset_class = MeetingApiFilter

    def get_queryset(self) -> QuerySet[Meeting]:
        return Meeting.objects.for_api_list()

    def keyset_ordering(self) -> tuple[str, ...]:
        filterset = getattr(self, "filterset", None)
        return MEETING_ORDER["newest" if filterset is None else filterset.chosen_sort]

    def cheap_count(self, queryset: QuerySet) -> int | None:
        """Every meeting's count when nothing filters (an index-only count); else null."""
        data = self.request.query_params
        if any(value for key, value in data.items() if key in self.filterset_class.base_filters):
            return None
        return Meeting.objects.count()


class MeetingDetail(generics.RetrieveAPIView):
    """One meeting: its countries, participants, documents and whole transcript."""

    serializer_class = serializers.MeetingDetailSerializer

    def get_object(self) -> Meeting:
        language = self.kwargs["language"]
        if language not in Language.values:
            raise Http404(_("No such language."))
        meetings = (
            Meeting.objects.for_detail()
            .with_counts()
            .prefetch_related(
                Prefetch(
                    "utterances",
                    queryset=Utterance.objects.for_transcript().defer(
                        "search_vector", "speaker__aliases"
                    ),
                )
            )
        )
        return get_object_or_404(meetings, language=language, kremlin_id=self.kwargs["kremlin_id"])


# Utterances -------------------------------------------------------------------------------

UTTERANCE_ORDER = {
    "relevance": ("-rank", "-id"),
    "newest": ("-meeting__date", "-meeting_id", "position"),
    "oldest": ("meeting__date", "meeting_id", "position"),
}


class UtteranceList(generics.ListAPIView):
    """Turns matching a search (``q`` is required), with the search page's parameters;
    each with its ``rank`` and ``headline``."""

    serializer_class = serializers.UtteranceSerializer
    filter_backends = [FilterBackend]
    filterset_class = UtteranceApiFilter
    pagination_class = SearchPagination

    def get_queryset(self) -> QuerySet[Utterance]:
        return Utterance.objects.select_related("meeting", "speaker").defer(
            "meeting__lead",
            "meeting__imported",
            "meeting__search_document",
            "search_vector",
            "speaker__aliases",
        )

    def keyset_ordering(self) -> tuple[str, ...]:
        sort = self.filterset.form.cleaned_data.get("sort") or "relevance"
        return UTTERANCE_ORDER[sort]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        text = self.filterset.text
        if not text:
            raise ValidationError({"q": [_("Type some words to search.")]}, code="required")
        # Read with the page's rows (not while finding them): the passage from each turn's
        # first characters, as the search page reads it (search.with_headlines).
        return queryset.with_headline(text, prefix=search.HEADLINE_PREFIX)  # type: ignore[attr-defined]

    def paginate_queryset(self, queryset: QuerySet) -> list | None:
        page = super().paginate_queryset(queryset)
        finish_headlines(page or [], self.filterset.text)
        return page


def finish_headlines(turns: list[Utterance], text: str) -> None:
    """Each turn's ``headline`` for ``text``: the one read from its first characters, else
    from its whole text (one more query, for those turns alone), marked "…" where cut (the
    search page's passages)."""
    read = {turn.pk: getattr(turn, "headline", None) or "" for turn in turns}
    whole = search.whole_headlines(
        [pk for pk, headline in read.items() if search.HIGHLIGHT_START not in headline], text
    )
    for turn in turns:
        headline = whole.get(turn.pk, read[turn.pk]) or ""
        turn.headline = search.with_ellipses(headline, turn.text)  # type: ignore[attr-defined]


# People -----------------------------------------------------------------------------------

NAME_QUERY = OpenApiParameter(
    "q", str, description="Part of a name in any language, or of a label printed for them."
)


class ReadsAggregates:
    """For views answering from the kept aggregates: brought up to date first, once per
    request, as the pages do (``meetings.web.freshness``)."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        aggregates.ensure_fresh()
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class PersonList(ReadsAggregates, generics.ListAPIView):
    """People (Popolo persons), by name."""

    serializer_class = serializers.PersonSerializer

    def get_queryset(self) -> QuerySet[Participant]:
        text = clean_text(self.request.query_params.get("q"), max_length=200)
        return Participant.objects.with_event_counts().search_name(text)

    @extend_schema(parameters=[NAME_QUERY])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def keyset_ordering(self) -> tuple[str, ...]:
        return ("name", "id")

    def cheap_count(self, queryset: QuerySet) -> int:
        return queryset.order_by().count()


class PersonDetail(ReadsAggregates, generics.RetrieveAPIView):
    """One person (a Popolo person) with their memberships: the roles printed for them at
    meetings, each with the first and last date it was held."""

    serializer_class = serializers.PersonDetailSerializer

    def get_object(self) -> Participant:
        person = get_object_or_404(Participant.objects.with_event_counts(), pk=self.kwargs["pk"])
        person.memberships = [
            {**row, "person_id": person.pk, "on_behalf_of_id": person.country_id}
            for row in PersonRole.objects.filter(participant=person)
            .order_by("first", "role", "language")
            .values("role", "language", start_date=F("first"), end_date=F("last"), meetings=F("n"))
        ]
        return person


# Countries --------------------------------------------------------------------------------


def countries() -> QuerySet[Country]:
    return Country.objects.with_meeting_stats()


class CountryList(ReadsAggregates, generics.ListAPIView):
    """Countries (Popolo organizations) with their meeting counts."""

    serializer_class = serializers.CountrySerializer

    def get_queryset(self) -> QuerySet[Country]:
        return countries()

    def keyset_ordering(self) -> tuple[str, ...]:
        return ("code",)

    def cheap_count(self, queryset: QuerySet) -> int:
        return queryset.order_by().count()


class CountryDetail(ReadsAggregates, generics.RetrieveAPIView):
    serializer_class = serializers.CountrySerializer

    def get_object(self) -> Country:
        return get_object_or_404(countries(), code=self.kwargs["code"].upper())


# Import runs ------------------------------------------------------------------------------


class ImportRunList(generics.ListAPIView):
    """Import runs, newest first: their public counts."""

    serializer_class = serializers.ImportRunSerializer
    queryset = ImportRun.objects.all()

    def keyset_ordering(self) -> tuple[str, ...]:
        return ("-id",)

    def cheap_count(self, queryset: QuerySet) -> int:
        return queryset.order_by().count()


class ImportRunDetail(generics.RetrieveAPIView):
    serializer_class = serializers.ImportRunSerializer
    queryset = ImportRun.objects.all()
