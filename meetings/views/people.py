"""The people: the list, the name picker's suggestions and a person's page (totals,
timeline, roles, countries and share of voice, all read from the kept aggregates)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.models import (
    Meeting,
    Participant,
    PersonCoSpeaker,
    PersonCountry,
    PersonRole,
    PersonYear,
)
from meetings.params import clean_text
from meetings.web.charts import VOICE_TOP, share, year_timeline
from meetings.web.coverage import archive_coverage, mark_years
from meetings.web.freshness import reads_aggregates
from meetings.web.merges import kept_person_url
from meetings.web.pagination import paginate

PEOPLE_PER_PAGE = 50
MAX_NAME_QUERY = 200


@reads_aggregates
def person_list(request: HttpRequest) -> HttpResponse:
    # PostgreSQL refuses a NUL in a string; nobody's name holds a control character.
    text = clean_text(request.GET.get("q"), max_length=200)
    people = (
        Participant.objects.with_event_counts()
        .search_name(text)
        .select_related("country")
        .order_by("-meeting_count", "name", "id")
    )
    page = paginate(request, people, PEOPLE_PER_PAGE)
    return render(
        request, "meetings/person_list.html", {"page_obj": page, "people": page, "q": text}
    )


@reads_aggregates
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person: totals, timeline, roles, countries and share of voice, all read from the
    aggregates (models.PersonStats and friends), so the page costs the same for someone
    met once as for Putin; the latest meetings are the only rows read from the archive."""
    try:
        person = get_object_or_404(
            Participant.objects.with_event_counts()
            .annotate(turns=Coalesce("stats__turns", 0), words=Coalesce("stats__words", 0))
            .select_related("country"),
            pk=pk,
        )
    except Http404:
        kept = kept_person_url(pk)  # merged into another person by an editor
        if kept is None:
            raise
        return HttpResponsePermanentRedirect(kept)
    years = list(
        PersonYear.objects.filter(participant=person)
        .order_by("year")
        .values("year", "first", "last", "words_own", "words_all", n=F("meetings"))
    )
    roles = (
        PersonRole.objects.filter(participant=person)
        .order_by("-last", "role", "language")
        .values("role", "language", "n", "first", "last")
    )
    countries = (
        PersonCountry.objects.filter(participant=person)
        .order_by("-meetings", "country__name_en")
        .values("country__code", "country__name_en", "country__name_ru", n=F("meetings"))
    )
    latest = Meeting.objects.with_participant(person).for_list().order_by("-date", "-id")[:10]
    timeline = mark_years(year_timeline(years), archive_coverage())
    span = {
        "first": timeline[0]["first"] if timeline else None,
        "last": timeline[-1]["last"] if timeline else None,
    }
    return render(
        request,
        "meetings/person_detail.html",
        {
            "person": person,
            "speech": {"turns": person.turns, "words": person.words},
            "timeline": timeline,
            "timeline_max": max((row["n"] for row in timeline), default=0),
            "meeting_total": sum(row["n"] for row in timeline),
            "roles": roles,
            "countries": countries,
            "latest": latest,
            "span": span,
            "voice": person_voice(person, years),
        },
    )


def person_voice(person: Participant, years: Sequence[Mapping[str, Any]]) -> dict | None:
    """Share of voice in the meetings the person took part in: theirs, overall and per year,
    and the other identified speakers who said most there (one bounded query)."""
    own = sum(row["words_own"] for row in years)
    total = sum(row["words_all"] for row in years)
    if not total:
        return None
    others = list(
        PersonCoSpeaker.objects.filter(participant=person)
        .select_related("other")
        .order_by("-words", "other_id")[:VOICE_TOP]
    )
    rest = max(total - own - sum(row.words for row in others), 0)
    theirs = share(own, total, person.display_name, person.get_absolute_url())
    speakers = sorted(  # most words first, the person among them (first on a tie)
        [theirs]
        + [
            share(row.words, total, row.other.display_name, row.other.get_absolute_url())
            for row in others
        ],
        key=lambda row: -row["words"],
    )
    speakers.append(share(rest, total, _("Everyone else, the unidentified included")))
    return {
        "total": total,
        "own": theirs,
        "speakers": speakers,
        "years": [
            share(row["words_own"], row["words_all"], str(row["year"]))
            for row in years
            if row["words_all"]
        ],
    }


SUGGESTIONS = 10


@reads_aggregates
def person_suggestions(request: HttpRequest) -> JsonResponse:
    """``?q=<part of a name>``: the people the person picker offers, most meetings first."""
    text = request.GET.get("q", "").replace("\x00", "")[:MAX_NAME_QUERY].strip()
    people = []
    if len(text) >= 2:
        people = [
            {
                "id": p.pk,
                "name": p.display_name,
                "meetings": p.meeting_count,
                "label": ngettext("%(n)s meeting", "%(n)s meetings", p.meeting_count)
                % {"n": number_format(p.meeting_count, force_grouping=True)},
            }
            for p in Participant.objects.with_event_counts()
            .search_name(text)
            .order_by("-meeting_count", "name", "id")[:SUGGESTIONS]
        ]
    return JsonResponse({"results": people})
