"""The browsing pages: meetings, a meeting's transcript, people, countries and search.

Views stay short: what to fetch is decided by the QuerySet methods in ``models.py``, what to
filter by ``filters.py``, and the export format by ``exporting.py``.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Page, Paginator
from django.db import connections, router
from django.db.models import (
    Case,
    Count,
    F,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear, RowNumber
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from meetings import exporting
from meetings.colors import speaker_colour
from meetings.filters import MeetingFilter, UtteranceSearchFilter
from meetings.models import (
    SEARCH_CONFIGS,
    Country,
    CountrySpeaker,
    CountryYear,
    Meeting,
    Participant,
    PersonCoSpeaker,
    PersonCountry,
    PersonRole,
    PersonYear,
    SignedDocument,
    Utterance,
    headline_expression,
    search_queries,
)
from meetings.params import clean_text
from meetings.templatetags.meetings_tags import HIGHLIGHT_START, HIGHLIGHT_STOP
from meetings.views_transcript import (  # noqa: F401 - urls.py names them from here
    _counterpart,
    _get_meeting,
    cite_bibtex,
    cite_ris,
    meeting_detail,
    meeting_json,
    utterance_detail,
)

MEETINGS_PER_PAGE = 25
PEOPLE_PER_PAGE = 50
HITS_PER_PAGE = 20
MAX_NAME_QUERY = 200
COUNTRY_DOCUMENTS = 50  # the latest; the list's has_documents filter shows them all
RUSSIA = "RU"  # share of voice: the host's side of a meeting
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
        return self._page_of(ids, number)

    def counted_page(self, number) -> Page:
        """``page()`` for a ranked search, which visits every match to rank it anyway: the
        page's ids and the total in one query (``count(*) OVER ()``), not two scans."""
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return self.page(number)  # the paginator's own error
        bottom = (max(wanted, 1) - 1) * self.per_page
        found = list(
            self.object_list.annotate(total=Window(Count("pk"))).values_list("pk", "total")[
                bottom : bottom + self.per_page
            ]
        )
        if found:
            self.count = found[0][1]  # the cached_property's value, known already
        number = self.validate_number(wanted)  # COUNT(*) only past the last page
        return self._page_of([pk for pk, _ in found], number)

    def _page_of(self, ids: list[int], number: int) -> Page:
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def paginate(
    request: HttpRequest,
    object_list,
    per_page: int,
    ranked: bool = False,
    count: int | None = None,
) -> Page:
    """The requested page; a page number that is not a page (past the end, 0, "x") is a 404.
    ``ranked``: every row is visited to rank it, so the total comes with the page's ids;
    ``count``: the total, already known."""
    paginator = IdsFirstPaginator(object_list, per_page)
    if count is not None:
        paginator.count = count  # the cached_property's value, known already
    number = request.GET.get("page") or 1
    try:
        return paginator.counted_page(number) if ranked else paginator.page(number)
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
    canonical = canonical_query(request, filterset) if valid and filterset.is_bound else None
    if canonical is not None:
        return redirect(f"{request.path}?{canonical}")
    meetings = Meeting.objects.none()
    if valid:  # one row per event unless lang= picks a site (exports keep every version)
        one_site = filterset.is_bound and filterset.form.cleaned_data.get("lang")
        meetings = filterset.qs if one_site else filterset.qs.one_per_event(ui_language())
        meetings = meetings.for_list()
    searching = valid and filterset.searching
    ranked = searching and filterset.chosen_sort == "relevance"
    count = filterset.kept_event_count() if valid else None  # one person or country
    page = paginate(request, meetings, MEETINGS_PER_PAGE, ranked=ranked, count=count)
    if searching:
        attach_snippets(list(page.object_list), filterset.form.cleaned_data["q"].strip())
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "meetings": page.object_list,
            "filter_chips": filter_chips(request, filterset)
            if filterset.is_bound and valid
            else [],
            "feed_url": feed_query(request, "feed_meetings", ui_language()),
        },
    )


FEED_DROPPED = ("page", "format", "sort")


def canonical_query(request: HttpRequest, filterset) -> str | None:
    """The query with what the pickers' plain inputs sent made canonical (a person's name
    made ``participant=<id>``, or ``speaker=<id>`` on the search page, country names made
    codes, empty values dropped), or None when it already is: bookmarks, feeds and chips
    then see one form of each filter."""
    params = request.GET.copy()
    cleaned = filterset.form.cleaned_data
    sent = [value.strip().upper() for value in params.getlist("country")]
    if "person" not in params and sent == (cleaned.get("country") or []):
        return None
    params.pop("person", None)
    params.pop("page", None)
    target = filterset.form.person_target
    if cleaned.get(target) is not None:
        params[target] = str(cleaned[target].pk)
    params.setlist("country", cleaned.get("country") or [])
    return params.urlencode()


SUGGESTIONS = 10


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
                % {"n": p.meeting_count},
            }
            for p in Participant.objects.with_event_counts()
            .search_name(text)
            .order_by("-meeting_count", "name", "id")[:SUGGESTIONS]
        ]
    return JsonResponse({"results": people})


def feed_query(request: HttpRequest, route: str, lang: str = "") -> str:
    """The feed of exactly this page's filters (without paging, sorting or export format);
    ``lang``, when given, is the site the feed reads if the page does not choose one."""
    params = request.GET.copy()
    for key in FEED_DROPPED:
        params.pop(key, None)
    for key in [key for key, values in params.lists() if not any(values)]:
        params.pop(key)
    if lang and not params.get("lang"):
        params["lang"] = lang
    query = params.urlencode()
    return reverse(route) + (f"?{query}" if query else "")


def attach_snippets(meetings: list[Meeting], text: str) -> None:
    """``meeting.snippet`` for a page of list rows matching ``text``: the best matching turn
    of each, else its lead. Bounded: two queries for at most one page of rows."""
    by_id = {meeting.pk: meeting for meeting in meetings}
    if not by_id:
        return
    best = (
        Utterance.objects.filter(meeting_id__in=by_id)
        .search(text)
        .order_by("meeting_id", "-rank", "position")
        .distinct("meeting_id")
        .values_list("pk", flat=True)
    )
    turns = with_headlines(
        Utterance.objects.filter(pk__in=list(best)), text, ("meeting_id", "position", "text")
    )
    for meeting_id, position, full, headline in turns:
        meeting = by_id[meeting_id]
        meeting.snippet = with_ellipses(headline, full)
        meeting.snippet_url = hit_url(meeting, text, position)
    missing = [pk for pk, meeting in by_id.items() if not getattr(meeting, "snippet", "")]
    if missing:
        leads = (
            Meeting.objects.filter(pk__in=missing)
            .exclude(lead="")
            .annotate(headline=lead_headline(text))
            .values_list("pk", "lead", "headline")
        )
        for pk, lead, headline in leads:
            if HIGHLIGHT_START in headline:
                by_id[pk].snippet = with_ellipses(headline, lead)


HEADLINE_PREFIX = 4000  # characters


def with_headlines(turns, text: str, fields: tuple[str, ...]) -> list[tuple]:
    """``fields`` of each turn, then its ``headline`` for ``text``. Read from the turn's first
    HEADLINE_PREFIX characters: relevance puts the longest turns first, and ts_headline
    parses all it is given (10 ms and more for one long turn). A turn whose first match lies
    further on gets its whole text in one more query."""
    rows = list(
        turns.with_headline(
            text, HIGHLIGHT_START, HIGHLIGHT_STOP, prefix=HEADLINE_PREFIX
        ).values_list(*fields, "pk", "headline")
    )
    whole = whole_headlines([row[-2] for row in rows if HIGHLIGHT_START not in row[-1]], text)
    return [(*row[:-2], whole.get(row[-2], row[-1])) for row in rows]


def whole_headlines(pks: list[int], text: str) -> dict[int, str]:
    """The headlines of these turns from their whole text (no query when there are none)."""
    if not pks:
        return {}
    return dict(
        Utterance.objects.filter(pk__in=pks)
        .with_headline(text, HIGHLIGHT_START, HIGHLIGHT_STOP)
        .values_list("pk", "headline")
    )


def lead_headline(text: str):
    queries = search_queries(text)
    return Case(
        *[
            When(
                language=lang,
                then=headline_expression(
                    "lead", queries[lang], SEARCH_CONFIGS[lang], HIGHLIGHT_START, HIGHLIGHT_STOP
                ),
            )
            for lang in queries
        ],
        default=Value(""),
        output_field=TextField(),
    )


def hit_url(meeting: Meeting, words: str, position: int) -> str:
    """The transcript at turn ``position`` with ``words`` to mark (the ``hl=`` contract)."""
    return f"{meeting.get_absolute_url()}?{urlencode({'hl': words})}#u-{position}"


def filter_chips(request: HttpRequest, filterset) -> list[tuple[str, str]]:
    """(name, link without it) for the chosen person and each chosen country: active filters
    that the form does not show as text."""
    chosen = filterset.form.cleaned_data.get("country") or []
    names = dict(filterset.form.fields["country"].choices)
    chips = []
    target = filterset.form.person_target
    person = filterset.form.cleaned_data.get(target)
    if person is not None:
        params = request.GET.copy()
        params.pop(target, None)
        params.pop("page", None)
        chips.append((person.display_name, "?" + params.urlencode()))
    for code in chosen:
        params = request.GET.copy()
        params.setlist("country", [other for other in chosen if other != code])
        params.pop("page", None)
        chips.append((names.get(code, code), "?" + params.urlencode()))
    return chips


def export_response(request: HttpRequest, queryset, export_format: str) -> StreamingHttpResponse:
    """Every meeting of ``queryset`` in the export schema plus ``page``, streamed."""
    write = exporting.iter_jsonl if export_format == "json" else exporting.iter_csv
    return _streamed_export(request, write, queryset, export_format, "meetings")


def _streamed_export(request: HttpRequest, write, rows, export_format: str, name: str):
    """``write(rows, page_url=…)`` streamed as ``<name>.jsonl`` or ``<name>.csv``; each row's
    ``page`` is its absolute address here."""

    def page_url(row) -> str:
        return request.build_absolute_uri(row.get_absolute_url())

    response = StreamingHttpResponse(
        write(rows, page_url=page_url), content_type=EXPORT_FORMATS[export_format]
    )
    extension = "jsonl" if export_format == "json" else "csv"
    response["Content-Disposition"] = f'inline; filename="{name}.{extension}"'
    return response


# People ---------------------------------------------------------------------------------


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
    """A person: totals, timeline, roles, countries and share of voice, all read from the
    aggregates (models.PersonStats and friends), so the page costs the same for someone
    met once as for Putin; the latest meetings are the only rows read from the archive."""
    person = get_object_or_404(
        Participant.objects.with_event_counts()
        .annotate(turns=Coalesce("stats__turns", 0), words=Coalesce("stats__words", 0))
        .select_related("country"),
        pk=pk,
    )
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
    timeline = year_timeline(years)
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


VOICE_TOP = 8


def share(n: int, total: int, label: str, url: str = "") -> dict:
    """A share-of-voice row: ``n`` words of ``total`` as the transcript legend rounds the
    per cent, and a bar as wide as the share itself (a ``bar--w…`` class, no inline style)."""
    return {
        "label": label,
        "url": url,
        "words": n,
        "share": round(100 * n / total) if total else 0,
        "bar": bar_class(n, total),
    }


def person_voice(person: Participant, years: list[dict]) -> dict | None:
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
    """A country: totals, timeline, leaders and share of voice from the aggregates
    (models.CountryStats and friends); documents and the latest meetings are bounded reads."""
    country = get_object_or_404(
        Country.objects.with_meeting_stats().annotate(
            first=F("stats__first"), words=Coalesce("stats__words", 0)
        ),
        code=code.upper(),
    )
    stats = {"first": country.first, "last": country.last_meeting, "events": country.meeting_count}
    timeline = year_timeline(
        list(
            CountryYear.objects.filter(country=country)
            .order_by("year")
            .values("year", n=F("meetings"))
        )
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
        language = "en" if language == "ru" else "ru"
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
            "voice": country_voice(country),
        },
    )


def country_voice(country: Country) -> dict | None:
    """Share of voice across the country's meetings: Russia's speakers, the country's own,
    everyone else (the unidentified included), and the identified speakers who said most.
    Two bounded queries on the CountrySpeaker aggregate."""
    total = country.words
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
    valid = filterset.is_bound and filterset.is_valid()
    export_format = request.GET.get("format")
    if export_format in EXPORT_FORMATS:
        if not valid or not filterset.text:
            errors = filterset.form.errors.get_json_data() if filterset.is_bound else {}
            missing = {"q": [{"message": _("Type some words to search."), "code": "required"}]}
            return JsonResponse({"errors": errors or missing}, status=400)
        return turns_export_response(request, filterset.qs, export_format, "search")
    canonical = canonical_query(request, filterset) if valid else None
    if canonical is not None:
        return redirect(f"{request.path}?{canonical}")
    page = overview = None
    if valid and filterset.text:
        page, overview = search_results(filterset, request.GET.get("page") or 1)
        missing = [hit.pk for hit in page.object_list if HIGHLIGHT_START not in hit.headline]
        whole = whole_headlines(missing, filterset.text)
        for hit in page.object_list:
            hit.headline = with_ellipses(whole.get(hit.pk, hit.headline), hit.text)
            hit.colour = speaker_colour(hit.speaker_id or hit.speaker_label or None)
            hit.transcript_url = hit_url(hit.meeting, filterset.text, hit.position)
    return render(
        request,
        "meetings/search.html",
        {
            "filter": filterset,
            "page_obj": page,
            "overview": overview,
            "filter_chips": filter_chips(request, filterset) if valid else [],
            "feed_url": feed_query(request, "feed_search") if page is not None else "",
        },
    )


def turns_export_response(
    request: HttpRequest, turns, export_format: str, name: str
) -> StreamingHttpResponse:
    """Every turn of ``turns`` in the turn-level export schema, streamed."""
    write = exporting.iter_turns_jsonl if export_format == "json" else exporting.iter_turns_csv
    return _streamed_export(request, write, turns, export_format, f"turns-{name}")


OVERVIEW_TOP = 8
BAR_STEP = 5


def bar_class(n: int, largest: int) -> str:
    """A bar's width as a CSS class (``bar--w0`` .. ``bar--w100`` in steps of 5): no inline
    style under the CSP."""
    percent = round(100 * n / largest / BAR_STEP) * BAR_STEP if largest else 0
    return f"bar--w{max(percent, BAR_STEP if n else 0)}"


# One pass over the matches (a MATERIALIZED CTE): the page's ids in the chosen order, the
# total, hits per year, the top speakers and the top countries. Four separate queries found
# and ranked the same tens of thousands of turns four times (most of a search's 1-1.5 s at
# 100k meetings); the ORM cannot share one CTE between them, hence SQL around its SQL.
SEARCH_PASS = """
WITH hits (id, meeting_id, speaker_id, year, n) AS MATERIALIZED ({matches})
SELECT
  (SELECT count(*) FROM hits),
  (SELECT coalesce(json_agg(id ORDER BY n), '[]') FROM hits WHERE n > %s AND n <= %s),
  (SELECT coalesce(json_agg(json_build_array(year, c)), '[]')
     FROM (SELECT year, count(*) AS c FROM hits GROUP BY year) AS y),
  (SELECT coalesce(json_agg(json_build_array(p.id, p.name, p.name_en, p.name_ru, s.c)
                            ORDER BY s.c DESC, s.speaker_id), '[]')
     FROM (SELECT speaker_id, count(*) AS c FROM hits WHERE speaker_id IS NOT NULL
            GROUP BY speaker_id ORDER BY c DESC, speaker_id LIMIT %s) AS s
     JOIN meetings_participant p ON p.id = s.speaker_id),
  (SELECT coalesce(json_agg(json_build_array(c.code, c.name_en, c.name_ru, x.c)
                            ORDER BY x.c DESC, x.country_id), '[]')
     FROM (SELECT mc.country_id, count(DISTINCT mc.meeting_id) AS c
             FROM meetings_meetingcountry mc WHERE mc.meeting_id IN (SELECT meeting_id FROM hits)
            GROUP BY mc.country_id ORDER BY c DESC, mc.country_id LIMIT %s) AS x
     JOIN meetings_country c ON c.code = x.country_id)
"""


def search_pass(queryset, bottom: int) -> tuple[str, list]:
    """SEARCH_PASS around the ordered search QuerySet, for the page starting at ``bottom``."""
    matches = (
        queryset.order_by()
        .annotate(
            year=ExtractYear("meeting__date"),
            n=Window(RowNumber(), order_by=list(queryset.query.order_by)),
        )
        .values("id", "meeting_id", "speaker_id", "year", "n")
    )
    sql, params = matches.query.sql_with_params()
    limits = [bottom, bottom + HITS_PER_PAGE, OVERVIEW_TOP, OVERVIEW_TOP]
    return SEARCH_PASS.format(matches=sql), [*params, *limits]


def search_results(filterset: UtteranceSearchFilter, number) -> tuple[Page, dict]:
    """The requested page of hits (a 404 past the end, as ``paginate``) and the overview:
    hits per year (every year of the range, empty ones too), the top speakers and the top
    countries, all from one pass over the matches."""
    try:
        number = int(number)
    except (TypeError, ValueError) as error:
        raise Http404(_("That page number is not an integer")) from error
    queryset = filterset.qs
    with connections[router.db_for_read(Utterance)].cursor() as cursor:
        cursor.execute(*search_pass(queryset, (max(number, 1) - 1) * HITS_PER_PAGE))
        total, ids, per_year, speaker_rows, country_rows = cursor.fetchone()
    paginator = Paginator(queryset, HITS_PER_PAGE)
    paginator.count = total  # the cached_property's value, known already
    try:
        number = paginator.validate_number(number)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    rows = {  # with the headline from the first characters (see with_headlines)
        row.pk: row
        for row in queryset.filter(pk__in=ids)
        .order_by()
        .with_headline(filterset.text, HIGHLIGHT_START, HIGHLIGHT_STOP, prefix=HEADLINE_PREFIX)
    }
    page = paginator._get_page([rows[pk] for pk in ids if pk in rows], number, paginator)
    per_year = dict(per_year)
    cleaned = filterset.form.cleaned_data
    first = cleaned["date_from"].year if cleaned.get("date_from") else min(per_year, default=None)
    last = cleaned["date_to"].year if cleaned.get("date_to") else max(per_year, default=None)
    years = []
    if first is not None and last is not None:
        largest = max(per_year.values(), default=0)
        years = [
            {"year": y, "n": per_year.get(y, 0), "bar": bar_class(per_year.get(y, 0), largest)}
            for y in range(first, last + 1)
        ]
    speakers = [
        (Participant(pk=pk, name=name, name_en=name_en, name_ru=name_ru), n)
        for pk, name, name_en, name_ru, n in speaker_rows
    ]
    countries = [
        (Country(code=code, name_en=name_en, name_ru=name_ru), n)
        for code, name_en, name_ru, n in country_rows
    ]

    def ranked(rows):
        largest = rows[0][1] if rows else 0
        return [{"item": item, "n": n, "bar": bar_class(n, largest)} for item, n in rows]

    overview = {"years": years, "speakers": ranked(speakers), "countries": ranked(countries)}
    return page, overview
