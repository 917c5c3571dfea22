"""The browsing pages: meetings, a meeting's transcript, people, countries and search.

Views stay short: what to fetch is decided by the QuerySet methods in ``models.py``, what to
filter by ``filters.py``, and the export format by ``exporting.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, Max, Min, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from meetings import exporting
from meetings.colors import SpeakerColour, speaker_colour
from meetings.filters import MeetingFilter, UtteranceSearchFilter
from meetings.models import (
    Country,
    Language,
    Meeting,
    MeetingCountry,
    Participant,
    Participation,
    SignedDocument,
    Utterance,
)
from meetings.templatetags.meetings_tags import HIGHLIGHT_START, HIGHLIGHT_STOP

MEETINGS_PER_PAGE = 25
PEOPLE_PER_PAGE = 50
HITS_PER_PAGE = 20
COUNTRY_DOCUMENTS = 50  # the latest; the list's has_documents filter shows them all
CONTEXT_TURNS = 3
EXPORT_FORMATS = {"json": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}


class IdsFirstPaginator(Paginator):
    """Pages of a QuerySet found by id first: the OFFSET walks an index of ids (no join, no
    per-row subquery), then only the page's rows are fetched with what the page shows.
    ``page=`` numbers mean what they always meant."""

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or queryset.query.group_by is not None:
            # Not a QuerySet, or an aggregate one (people by meeting count): finding ids
            # first would aggregate twice.
            return self._get_page(queryset[bottom:top], number, self)
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def paginate(request: HttpRequest, object_list, per_page: int) -> Page:
    """The requested page; a page number that is not a page (past the end, 0, "x") is a 404."""
    paginator = IdsFirstPaginator(object_list, per_page)
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404(str(error)) from error


def ui_language() -> str:
    return "ru" if (get_language() or "en").startswith("ru") else "en"


# Meetings -------------------------------------------------------------------------------


def meeting_list(request: HttpRequest) -> HttpResponse:
    filterset = MeetingFilter(request.GET or None, queryset=Meeting.objects.all())
    valid = filterset.is_valid() if filterset.is_bound else True
    export_format = request.GET.get("format")
    if export_format in EXPORT_FORMATS:
        if not valid:
            return JsonResponse({"errors": filterset.form.errors.get_json_data()}, status=400)
        return export_response(request, filterset.qs, export_format)
    meetings = Meeting.objects.none()
    if valid:  # one row per event unless lang= picks a site (exports keep every version)
        one_site = filterset.is_bound and filterset.form.cleaned_data.get("lang")
        meetings = filterset.qs if one_site else filterset.qs.one_per_event(ui_language())
        meetings = meetings.for_list()
    page = paginate(request, meetings, MEETINGS_PER_PAGE)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "meetings": page.object_list,
            "country_chips": country_chips(request, filterset)
            if filterset.is_bound and valid
            else [],
        },
    )


def country_chips(request: HttpRequest, filterset: MeetingFilter) -> list[tuple[str, str]]:
    """(name, link without it) for each chosen country: a multiple select hides its choice."""
    chosen = filterset.form.cleaned_data.get("country") or []
    names = dict(filterset.form.fields["country"].choices)
    chips = []
    for code in chosen:
        params = request.GET.copy()
        params.setlist("country", [other for other in chosen if other != code])
        params.pop("page", None)
        chips.append((names.get(code, code), "?" + params.urlencode()))
    return chips


def export_response(request: HttpRequest, queryset, export_format: str) -> StreamingHttpResponse:
    """Every meeting of ``queryset`` in the export schema plus ``page``, streamed."""

    def page_url(meeting: Meeting) -> str:
        return request.build_absolute_uri(meeting.get_absolute_url())

    write = exporting.iter_jsonl if export_format == "json" else exporting.iter_csv
    response = StreamingHttpResponse(
        write(queryset, page_url=page_url), content_type=EXPORT_FORMATS[export_format]
    )
    extension = "jsonl" if export_format == "json" else "csv"
    response["Content-Disposition"] = f'inline; filename="meetings.{extension}"'
    return response


@dataclass
class LegendEntry:
    key: int | str  # participant id, or the printed label when unresolved
    label: str
    colour: SpeakerColour
    turns: int
    participant: Participant | None

    @property
    def selectable(self) -> bool:
        return self.participant is not None


def _selected_speaker(request: HttpRequest) -> int | None:
    value = request.GET.get("speaker", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _dress_transcript(utterances, selected: int | None):
    """Give each utterance its colour, highlight state and section break; build the legend
    and the table of contents. All in Python over the one list: no query per turn.

    Returns (legend, sections, selected): ``selected`` is None unless that participant
    speaks in this transcript, so a stale or foreign ``?speaker=`` dims nothing."""
    legend: dict[int | str, LegendEntry] = {}
    sections: list[dict] = []
    current_section = None
    for utterance in utterances:
        key = utterance.speaker_id or utterance.speaker_label or None
        utterance.colour = speaker_colour(key)
        if utterance.speaker_label:
            if key not in legend:
                label = (
                    utterance.speaker.display_name if utterance.speaker else utterance.speaker_label
                )
                legend[key] = LegendEntry(key, label, utterance.colour, 0, utterance.speaker)
            legend[key].turns += 1
        utterance.section_start = None
        if utterance.section and utterance.section != current_section:
            utterance.section_start = f"s-{len(sections) + 1}"
            sections.append({"title": utterance.section, "anchor": utterance.section_start})
        current_section = utterance.section
    if selected not in legend or not legend[selected].selectable:
        selected = None
    for utterance in utterances:
        utterance.highlighted = selected is not None and utterance.speaker_id == selected
        utterance.dimmed = selected is not None and not utterance.highlighted
    return list(legend.values()), sections, selected


def _counterpart(meeting: Meeting) -> Meeting | None:
    if meeting.counterpart_id:
        return meeting.counterpart
    other = "en" if meeting.language == "ru" else "ru"
    return Meeting.objects.filter(kremlin_id=meeting.kremlin_id, language=other).first()


def _get_meeting(language: str, kremlin_id: int, queryset=None) -> Meeting:
    if language not in Language.values:
        raise Http404("No such language.")
    queryset = Meeting.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset, language=language, kremlin_id=kremlin_id)


def meeting_detail(request: HttpRequest, language: str, kremlin_id: int) -> HttpResponse:
    if request.GET.get("format") == "json":
        return meeting_json(request, language, kremlin_id)
    meeting = _get_meeting(language, kremlin_id, Meeting.objects.for_detail())
    utterances = list(meeting.utterances.for_transcript())
    legend, sections, selected = _dress_transcript(utterances, _selected_speaker(request))
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "utterances": utterances,
            "legend": legend,
            "sections": sections,
            "selected_speaker": selected,
            "counterpart": _counterpart(meeting),
            "turn_count": sum(1 for u in utterances if u.speaker_label),
        },
    )


def meeting_json(request: HttpRequest, language: str, kremlin_id: int) -> HttpResponse:
    """One meeting in the export schema (with its utterances) plus ``page``."""
    meeting = _get_meeting(language, kremlin_id, exporting.export_queryset())
    record = exporting.meeting_to_dict(
        meeting, page_url=lambda m: request.build_absolute_uri(m.get_absolute_url())
    )
    return JsonResponse(record, json_dumps_params={"ensure_ascii": False, "indent": 2})


def utterance_detail(
    request: HttpRequest, language: str, kremlin_id: int, position: int
) -> HttpResponse:
    meeting = _get_meeting(language, kremlin_id)
    around = list(
        meeting.utterances.for_transcript().filter(
            position__gte=position - CONTEXT_TURNS, position__lte=position + CONTEXT_TURNS
        )
    )
    utterance = next((u for u in around if u.position == position), None)
    if utterance is None:
        raise Http404("No such utterance.")
    _dress_transcript(around, None)
    utterance.highlighted = True
    return render(
        request,
        "meetings/utterance_detail.html",
        {"meeting": meeting, "utterance": utterance, "utterances": around},
    )


# People ---------------------------------------------------------------------------------


def person_list(request: HttpRequest) -> HttpResponse:
    # PostgreSQL refuses a NUL in a string; nobody's name holds one.
    text = request.GET.get("q", "").replace("\x00", "")[:200]
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


def year_timeline(rows: list[dict]) -> list[dict]:
    """Every year from the first to the last, empty ones included, each with its ``bar``:
    the share of the busiest year in steps of 5 (a ``bar-<n>`` class, no inline style)."""
    by_year = {row["year"]: row for row in rows}
    if not by_year:
        return []
    most = max(row["n"] for row in rows) or 1
    timeline = []
    for year in range(min(by_year), max(by_year) + 1):
        row = dict(by_year.get(year) or {"year": year, "n": 0})
        row["bar"] = 5 * round(20 * row["n"] / most)
        if row["n"] and not row["bar"]:
            row["bar"] = 5  # a year with a meeting never looks empty
        timeline.append(row)
    return timeline


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Participant.objects.select_related("country"), pk=pk)
    participations = Participation.objects.filter(participant=person)
    speech = Utterance.objects.filter(speaker=person).aggregate(
        turns=Count("speaker_id"), words=Sum("word_count")
    )
    years = (
        participations.annotate(year=ExtractYear("meeting__date"))
        .values("year")
        .annotate(
            n=Count("meeting__kremlin_id", distinct=True),
            first=Min("meeting__date"),
            last=Max("meeting__date"),
        )
        .order_by("year")
    )
    roles = (
        participations.exclude(role="")
        .values("role", "meeting__language")
        .annotate(n=Count("id"), first=Min("meeting__date"), last=Max("meeting__date"))
        .order_by("-last", "role")
    )
    countries = (
        MeetingCountry.objects.filter(meeting__participations__participant=person)
        .values("country__code", "country__name_en", "country__name_ru")
        .annotate(n=Count("meeting__kremlin_id", distinct=True))
        .order_by("-n", "country__name_en")
    )
    latest = Meeting.objects.with_participant(person).for_list().order_by("-date", "-id")[:10]
    timeline = year_timeline(list(years))
    span = {
        "first": timeline[0]["first"] if timeline else None,
        "last": timeline[-1]["last"] if timeline else None,
    }
    return render(
        request,
        "meetings/person_detail.html",
        {
            "person": person,
            "speech": speech,
            "timeline": timeline,
            "timeline_max": max((row["n"] for row in timeline), default=0),
            "meeting_total": sum(row["n"] for row in timeline),
            "roles": roles,
            "countries": countries,
            "latest": latest,
            "span": span,
        },
    )


# Countries ------------------------------------------------------------------------------


def country_list(request: HttpRequest) -> HttpResponse:
    countries = Country.objects.with_meeting_stats().filter(meeting_count__gt=0)
    order = request.GET.get("sort")
    if order == "name":
        countries = sorted(countries, key=lambda c: c.name)
    else:
        countries = countries.order_by("-meeting_count", "name_en")
    return render(
        request,
        "meetings/country_list.html",
        {"countries": countries, "sort": "name" if order == "name" else "count"},
    )


def meeting_frequency(first: dt.date | None, last: dt.date | None, events: int) -> dict:
    """How often they meet: per year over the span, and the average gap in days."""
    if not first or not last or not events:
        return {"per_year": None, "average_gap_days": None}
    years = max((last - first).days / 365.25, 1.0)
    gap = round((last - first).days / (events - 1)) if events > 1 else None
    return {"per_year": round(events / years, 1), "average_gap_days": gap}


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    links = MeetingCountry.objects.filter(country=country)
    stats = links.aggregate(
        first=Min("date"), last=Max("date"), events=Count("meeting__kremlin_id", distinct=True)
    )
    timeline = year_timeline(
        list(
            links.annotate(year=ExtractYear("date"))
            .values("year")
            .annotate(n=Count("meeting__kremlin_id", distinct=True))
            .order_by("year")
        )
    )
    meetings = Meeting.objects.with_countries([country.code])
    leaders = (
        Participant.objects.filter(country=country, participations__meeting__in=meetings)
        .annotate(
            n=Count("participations__meeting__kremlin_id", distinct=True),
            last=Max("participations__meeting__date"),
        )
        .order_by("-n", "name")
    )
    # Documents and latest meetings in the reader's language when that site's pages were
    # imported, else in the other: a Russian reader of an English-only import sees them too.
    languages = set(links.values_list("meeting__language", flat=True).distinct())
    language = ui_language()
    if languages and language not in languages:
        language = languages.pop()
    documents = (
        SignedDocument.objects.filter(meeting__in=meetings, meeting__language=language)
        .select_related("meeting")
        .order_by("-meeting__date", "meeting_id", "position")[:COUNTRY_DOCUMENTS]
    )
    latest = meetings.in_language(language).for_list()[:10]
    return render(
        request,
        "meetings/country_detail.html",
        {
            "country": country,
            "stats": stats,
            "frequency": meeting_frequency(stats["first"], stats["last"], stats["events"]),
            "timeline": timeline,
            "timeline_max": max((row["n"] for row in timeline), default=0),
            "leaders": leaders,
            "documents": documents,
            "latest": latest,
            "language": language,
        },
    )


# Search ---------------------------------------------------------------------------------


def with_ellipses(headline: str, text: str) -> str:
    """Mark a passage cut from a longer text with "…" where it was cut."""
    plain = headline.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, "").strip()
    if not plain:
        return headline
    flat = " ".join(text.split())
    plain = " ".join(plain.split())
    prefix = "" if flat.startswith(plain) else "… "
    suffix = "" if flat.endswith(plain) else " …"
    return f"{prefix}{headline.strip()}{suffix}"


def search(request: HttpRequest) -> HttpResponse:
    filterset = UtteranceSearchFilter(
        request.GET or None,
        queryset=Utterance.objects.select_related("meeting", "speaker").defer(
            "meeting__lead", "meeting__imported", "search_vector"
        ),
    )
    page = None
    if filterset.is_bound and filterset.is_valid() and filterset.text:
        page = paginate(request, filterset.qs, HITS_PER_PAGE)
        ids = [hit.pk for hit in page.object_list]
        headlines = dict(
            Utterance.objects.filter(pk__in=ids)
            .with_headline(filterset.text, HIGHLIGHT_START, HIGHLIGHT_STOP)
            .values_list("pk", "headline")
        )
        for hit in page.object_list:
            hit.headline = with_ellipses(headlines.get(hit.pk, ""), hit.text)
            hit.colour = speaker_colour(hit.speaker_id or hit.speaker_label or None)
    return render(request, "meetings/search.html", {"filter": filterset, "page_obj": page})
