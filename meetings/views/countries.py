"""The countries: the list and a country's page (totals, timeline, leaders and share of
voice from the kept aggregates; documents and the latest meetings are bounded reads)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from meetings.languages import other_language, ui_language
from meetings.models import (
    Country,
    CountrySpeaker,
    CountryYear,
    Meeting,
    PersonCountry,
    SignedDocument,
)
from meetings.web.charts import VOICE_TOP, share, year_timeline
from meetings.web.coverage import archive_coverage, mark_years, meeting_frequency
from meetings.web.freshness import reads_aggregates

COUNTRY_DOCUMENTS = 50  # the latest; the list's has_documents filter shows them all
RUSSIA = "RU"  # share of voice: the host's side of a meeting


@reads_aggregates
def country_list(request: HttpRequest) -> HttpResponse:
    countries = Country.objects.with_meeting_stats().filter(meeting_count__gt=0)
    order = request.GET.get("sort")
    if order == "name":
        ordered: Iterable[Country] = sorted(countries, key=lambda c: c.name)
    else:
        ordered = countries.order_by("-meeting_count", "name_en")
    return render(
        request,
        "meetings/country_list.html",
        {"countries": ordered, "sort": "name" if order == "name" else "count"},
    )


@reads_aggregates
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A country: totals, timeline, leaders and share of voice from the aggregates
    (models.CountryStats and friends); documents and the latest meetings are bounded reads."""
    country = get_object_or_404(
        Country.objects.with_meeting_stats().annotate(
            first=F("stats__first"), words=Coalesce("stats__words", 0)
        ),
        code=code.upper(),
    )
    stats = {"first": country.first, "last": country.last_meeting, "events": country.meeting_count}
    coverage = archive_coverage()  # the years the archive does not hold are not 0
    timeline = mark_years(
        year_timeline(
            list(
                CountryYear.objects.filter(country=country)
                .order_by("year")
                .values("year", n=F("meetings"))
            )
        ),
        coverage,
    )
    leaders = []  # the country's own people, most meetings with it first
    for row in (
        PersonCountry.objects.filter(country=country, participant__country=country)
        .select_related("participant")
        .order_by("-meetings", "participant__name", "participant_id")
    ):
        row.participant.n, row.participant.last = row.meetings, row.last
        leaders.append(row.participant)
    meetings = Meeting.objects.with_countries([country.code])
    # Documents and latest meetings in the reader's language when that site's pages were
    # imported, else in the other: a Russian reader of an English-only import sees them too.
    language = ui_language()
    if stats["events"] and not meetings.in_language(language).exists():
        language = other_language(language)
    documents = (
        SignedDocument.objects.filter(meeting__in=meetings, meeting__language=language)
        .select_related("meeting")
        .order_by("-meeting__date", "meeting_id", "position")[:COUNTRY_DOCUMENTS]
    )
    # Both sites' meetings, one row per event (the reader's language when there is one):
    # counted the way "Last meeting" (CountryStats.last) counts them, so the two agree.
    latest = (
        meetings.one_per_event(ui_language()).for_list().order_by("-date", "-starts_at", "-id")[:10]
    )
    return render(
        request,
        "meetings/country_detail.html",
        {
            "country": country,
            "stats": stats,
            "frequency": meeting_frequency(
                stats["first"], stats["last"], stats["events"], coverage
            ),
            "timeline": timeline,
            "timeline_max": max((row["n"] for row in timeline), default=0),
            "leaders": leaders,
            "documents": documents,
            "latest": latest,
            "language": language,
            "voice": country_voice(country, country.words),
        },
    )


def country_voice(country: Country, total: int) -> dict | None:
    """Share of voice across the country's meetings: Russia's speakers, the country's own,
    everyone else (the unidentified included), and the identified speakers who said most.
    Two bounded queries on the CountrySpeaker aggregate; ``total``: the words said in the
    country's meetings (``CountryStats.words``)."""
    if not total:
        return None
    words = CountrySpeaker.objects.filter(country=country)
    sides = words.aggregate(
        russia=Coalesce(Sum("words", filter=Q(speaker__country_id=RUSSIA)), 0),
        own=Coalesce(Sum("words", filter=Q(speaker__country=country)), 0),
    )
    rows = []
    if country.code != RUSSIA:
        rows.append(share(sides["russia"], total, _("Speakers from Russia")))
    else:
        sides["russia"] = 0
    rows.append(
        share(sides["own"], total, _("Speakers from %(country)s") % {"country": country.name})
    )
    rest = total - sides["russia"] - sides["own"]
    rows.append(share(rest, total, _("Everyone else, the unidentified included")))
    top = words.select_related("speaker").order_by("-words", "speaker_id")[:VOICE_TOP]
    return {
        "total": total,
        "sides": rows,
        "speakers": [
            share(row.words, total, row.speaker.display_name, row.speaker.get_absolute_url())
            for row in top
        ],
    }
