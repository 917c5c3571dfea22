"""All of search: the text-search configurations and vectors, the queries, ranks and
headlines, the one marker pair around a hit, the snippets and the search page's single pass.

As djangoproject.com keeps ``docs/search.py``: the models build their stored vectors and
their ``search()`` QuerySet methods from what is defined here, so this module sits below
them and imports none of them (the few rows it builds are read through ``apps.get_model``,
or from the QuerySet it is handed).

The marker pair: PostgreSQL's ``ts_headline`` puts ``HIGHLIGHT_START``/``HIGHLIGHT_STOP``
(private-use characters that escaping leaves alone and kremlin.ru text does not contain)
around each hit; :func:`highlight_html` and :func:`marked_paragraphs` turn them into
``<mark>`` only after the text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.db import connections, models, router
from django.db.models import Q, Window
from django.db.models.functions import ExtractYear, Left, Length, RowNumber
from django.db.models.lookups import LessThanOrEqual
from django.http import Http404
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from meetings.bars import bar_class
from meetings.paging import PastLastPage

SEARCH_CONFIGS = {"ru": "russian", "en": "english"}
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"
SHORT_PASSAGE = 300  # characters: a text this short is shown whole in a snippet
HEADLINE_PREFIX = 4000  # characters
HITS_PER_PAGE = 20
OVERVIEW_TOP = 8


# Configurations, vectors and queries ------------------------------------------------------


def text_vector() -> models.Case:
    """A turn's stored vector: the text's language picks the stemmer. The config is a
    literal, so the expression is immutable and PostgreSQL can store it as a generated
    column (``Utterance.search_vector``)."""
    return models.Case(
        models.When(language="ru", then=SearchVector("text", config="russian", weight="A")),
        default=SearchVector("text", config="english", weight="A"),
        output_field=SearchVectorField(),
    )


def search_queries(text: str) -> dict[str, SearchQuery]:
    """The user's words as a websearch query in each language's configuration."""
    return {
        lang: SearchQuery(text, search_type="websearch", config=config)
        for lang, config in SEARCH_CONFIGS.items()
    }


def per_language(field: str, make: Callable[[str], Any]) -> models.Case:
    """``make(lang)`` for the row's language, e.g. the rank under that language's query."""
    whens = [models.When(**{field: lang}, then=make(lang)) for lang in SEARCH_CONFIGS]
    return models.Case(*whens, default=None)


def matching(vector: str, queries: dict[str, SearchQuery]) -> Q:
    """Rows whose ``vector`` matches the query of their own language (each language's
    branch served by the GIN index on the vector)."""
    found = Q()
    for lang, query in queries.items():
        found |= Q(language=lang, **{vector: query})
    return found


def rank(vector: str, queries: dict[str, SearchQuery]) -> models.Case:
    return per_language("language", lambda lang: SearchRank(models.F(vector), queries[lang]))


def headline_expression(field, query, config: str) -> models.Case:
    """The best passage of ``field`` with hits between the markers: a short text whole, a
    longer one as one fragment stretched on both sides of the match (PostgreSQL's default
    passage starts at the match)."""

    def passage(**size: int) -> SearchHeadline:
        return SearchHeadline(
            field,
            query,
            config=config,
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=size["max_words"],
            min_words=size["min_words"],
            max_fragments=size.get("max_fragments"),
        )

    return models.Case(
        models.When(
            LessThanOrEqual(Length(field), SHORT_PASSAGE),
            then=passage(max_words=60, min_words=30),
        ),
        default=passage(max_words=45, min_words=20, max_fragments=1),
        output_field=models.TextField(),
    )


def headline(text: str, prefix: int | None = None) -> models.Case:
    """A turn's ``headline`` for ``text`` in the turn's language; with ``prefix``, of the
    text's first ``prefix`` characters only (ts_headline parses all it is given)."""
    queries = search_queries(text)
    source = Left("text", prefix) if prefix else models.F("text")
    return per_language(
        "language",
        lambda lang: headline_expression(source, queries[lang], SEARCH_CONFIGS[lang]),
    )


def lead_headline(text: str) -> models.Case:
    queries = search_queries(text)
    return models.Case(
        *[
            models.When(
                language=lang,
                then=headline_expression("lead", queries[lang], SEARCH_CONFIGS[lang]),
            )
            for lang in queries
        ],
        default=models.Value(""),
        output_field=models.TextField(),
    )


def every_match(words: str, language: str) -> SearchHeadline:
    """The whole text with every match of ``words`` between the markers: the query parsed
    as search parses it (websearch syntax, the language's stemming)."""
    config = SEARCH_CONFIGS[language]
    return SearchHeadline(
        "text",
        SearchQuery(words, search_type="websearch", config=config),
        config=config,
        start_sel=HIGHLIGHT_START,
        stop_sel=HIGHLIGHT_STOP,
        highlight_all=True,
    )


# Markers made into HTML -----------------------------------------------------------------


def highlight_html(headline: str) -> SafeString:
    """A search snippet: the text escaped, then the hit markers made into ``<mark>``."""
    escaped = conditional_escape(headline or "")
    marked = escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    # Unbalanced markers (a fragment cut inside a hit) cannot open an element for good:
    # every <mark> opened without its closing one is closed at the end.
    marked += "</mark>" * (marked.count("<mark>") - marked.count("</mark>"))
    return mark_safe(marked)  # noqa: S308 - built from escaped text and our own two tags


def marked_paragraphs(marked: str, first: int) -> tuple[SafeString, int]:
    """Text with markers as escaped ``<p>`` paragraphs, each match a ``<mark id="m-N">``
    numbered from ``first``; returns the HTML and the number of marks."""
    count = 0

    def opening(_match: re.Match) -> str:
        nonlocal count
        count += 1
        return f'<mark id="m-{first + count}">'

    paragraphs = []
    for part in marked.split("\n"):
        part = part.strip()
        if not part:
            continue
        html: str = escape(part)
        html = re.sub(HIGHLIGHT_START, opening, html).replace(HIGHLIGHT_STOP, "</mark>")
        html += "</mark>" * (html.count("<mark ") - html.count("</mark>"))
        paragraphs.append(f"<p>{html}</p>")
    return mark_safe("\n".join(paragraphs)), count  # noqa: S308 - escaped text, our tags


def apply_marks(utterances: Iterable) -> int:
    """``marked_html`` on each turn annotated with ``marked`` (:func:`every_match`) that has
    a match; returns how many matches there are in all."""
    total = 0
    for utterance in utterances:
        marked = getattr(utterance, "marked", None)
        if marked and HIGHLIGHT_START in marked:
            utterance.marked_html, found = marked_paragraphs(marked, total)
            total += found
    return total


# Snippets -------------------------------------------------------------------------------


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


def hit_url(meeting, words: str, position: int) -> str:
    """The transcript at turn ``position`` with ``words`` to mark (the ``hl=`` contract)."""
    return f"{meeting.get_absolute_url()}?{urlencode({'hl': words})}#u-{position}"


def with_headlines(turns, text: str, fields: tuple[str, ...]) -> list[tuple]:
    """``fields`` of each turn, then its ``headline`` for ``text``. Read from the turn's first
    HEADLINE_PREFIX characters: relevance puts the longest turns first, and ts_headline
    parses all it is given (10 ms and more for one long turn). A turn whose first match lies
    further on gets its whole text in one more query."""
    rows = list(
        turns.with_headline(text, prefix=HEADLINE_PREFIX).values_list(*fields, "pk", "headline")
    )
    whole = whole_headlines([row[-2] for row in rows if HIGHLIGHT_START not in row[-1]], text)
    return [(*row[:-2], whole.get(row[-2], row[-1])) for row in rows]


def whole_headlines(pks: list[int], text: str) -> dict[int, str]:
    """The headlines of these turns from their whole text (no query when there are none)."""
    if not pks:
        return {}
    utterances = apps.get_model("meetings", "Utterance").objects
    found = utterances.filter(pk__in=pks).order_by().with_headline(text)
    return dict(found.values_list("pk", "headline"))


# Hits in date order. Walking the date index and testing each meeting's turns finds a
# frequent word's newest hits at once, but tests every meeting back to a rarer word's last
# use ("Chirac" newest first: 2 s at 100,000 meetings); sorting every hit by date costs what
# the hits number ("Russia": 0.3 s). So the walk goes over a window of meetings only, and
# when the window holds too few hits they are all found through the text index, then sorted.
DATE_WALK_WINDOW = 2000  # meetings


def hit_keys_by_date(hits, ordering: Sequence[str], start: Any, limit: int) -> list[int]:
    """The keys of the first ``limit`` of ``hits`` (turns matching a search, with every
    filter applied) in ``ordering``, which begins with their meeting's date; ``start`` is
    the first date the page may hold (its cursor's), or None for the first page."""
    newest_first = ordering[0].startswith("-")
    meetings = apps.get_model("meetings", "Meeting").objects.order_by(
        "-date" if newest_first else "date"
    )
    if start is not None:
        meetings = meetings.filter(**{"date__lte" if newest_first else "date__gte": start})
    edge = meetings.values_list("date", flat=True)[DATE_WALK_WINDOW : DATE_WALK_WINDOW + 1]
    edge_date = next(iter(edge), None)
    ordered = hits.order_by(*ordering)
    if edge_date is None:  # the window is all that is left: the walk is bounded
        return list(ordered.values_list("pk", flat=True)[:limit])
    window = {"meeting__date__gte" if newest_first else "meeting__date__lte": edge_date}
    keys = list(ordered.filter(**window).values_list("pk", flat=True)[:limit])
    if len(keys) == limit:
        return keys
    columns = [field.lstrip("-") for field in ordering]
    sql, params = hits.order_by().values_list("pk", *columns).query.sql_with_params()
    names = ", ".join(f"k{i}" for i in range(len(columns)))
    order = ", ".join(
        f"k{i} DESC" if field.startswith("-") else f"k{i}" for i, field in enumerate(ordering)
    )
    query = (
        f"WITH hits (pk, {names}) AS MATERIALIZED ({sql}) "
        f"SELECT pk FROM hits ORDER BY {order} LIMIT %s"
    )
    with connections[hits.db].cursor() as cursor:
        cursor.execute(query, [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def attach_snippets(meetings: list, text: str) -> None:
    """``meeting.snippet`` for a page of list rows matching ``text``: the best matching turn
    of each, else its lead. Bounded: two queries for at most one page of rows."""
    by_id = {meeting.pk: meeting for meeting in meetings}
    if not by_id:
        return
    utterances = apps.get_model("meetings", "Utterance").objects
    best = (
        utterances.filter(meeting_id__in=by_id)
        .search(text)
        .order_by("meeting_id", "-rank", "position")
        .distinct("meeting_id")
        .values_list("pk", flat=True)
    )
    turns = with_headlines(
        utterances.filter(pk__in=list(best)), text, ("meeting_id", "position", "text")
    )
    for meeting_id, position, full, found in turns:
        meeting = by_id[meeting_id]
        meeting.snippet = with_ellipses(found, full)
        meeting.snippet_url = hit_url(meeting, text, position)
    missing = [pk for pk, meeting in by_id.items() if not getattr(meeting, "snippet", "")]
    if missing:
        leads = (
            apps.get_model("meetings", "Meeting")
            .objects.filter(pk__in=missing)
            .exclude(lead="")
            .annotate(headline=lead_headline(text))
            .values_list("pk", "lead", "headline")
        )
        for pk, lead, found in leads:
            if HIGHLIGHT_START in found:
                by_id[pk].snippet = with_ellipses(found, lead)


# The search page: one pass over the matches ---------------------------------------------


# One pass over the matches (a MATERIALIZED CTE): the page's ids in the chosen order, the
# total, hits per year, the top speakers and the top countries. Four separate queries found
# and ranked the same tens of thousands of turns four times (most of a search's 1-1.5 s at
# 100k meetings); the ORM cannot share one CTE between them, so the ORM's own compiled query
# (still parameterised) is placed inside this SQL as the CTE's body.
SEARCH_PASS_HEAD = "WITH hits (id, meeting_id, speaker_id, year, n) AS MATERIALIZED ("
SEARCH_PASS_TAIL = """)
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
    """The single pass around the ordered search QuerySet, for the page starting at
    ``bottom``: SQL and parameters."""
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
    return SEARCH_PASS_HEAD + sql + SEARCH_PASS_TAIL, [*params, *limits]


def search_results(filterset, number, request=None) -> tuple[Page, dict]:
    """The requested page of hits (a 404 past the end) and the overview: hits per year
    (every year of the range, empty ones too), the top speakers and the top countries, all
    from one pass over the matches."""
    try:
        number = int(number)
    except (TypeError, ValueError) as error:
        raise Http404(_("That page number is not an integer")) from error
    queryset = filterset.qs
    with connections[router.db_for_read(queryset.model)].cursor() as cursor:
        cursor.execute(*search_pass(queryset, (max(number, 1) - 1) * HITS_PER_PAGE))
        total, ids, per_year, speaker_rows, country_rows = cursor.fetchone()
    paginator = Paginator(queryset, HITS_PER_PAGE)
    paginator.count = total  # the cached_property's value, known already
    try:
        number = paginator.validate_number(number)
    except EmptyPage as error:
        if request is None or number < 1:
            raise Http404(str(error)) from error
        raise PastLastPage(request, paginator.num_pages) from error  # the 404 offers the last
    except InvalidPage as error:
        raise Http404(str(error)) from error
    rows = {  # with the headline from the first characters (see with_headlines)
        row.pk: row
        for row in queryset.filter(pk__in=ids)
        .order_by()
        .with_headline(filterset.text, prefix=HEADLINE_PREFIX)
    }
    page = Page([rows[pk] for pk in ids if pk in rows], number, paginator)
    overview = {
        "years": _years(per_year, filterset.form.cleaned_data),
        "speakers": _ranked(
            (apps.get_model("meetings", "Participant")(pk=pk, name=name, name_en=en, name_ru=ru), n)
            for pk, name, en, ru, n in speaker_rows
        ),
        "countries": _ranked(
            (apps.get_model("meetings", "Country")(code=code, name_en=en, name_ru=ru), n)
            for code, en, ru, n in country_rows
        ),
    }
    return page, overview


def _years(rows: list, cleaned: dict) -> list[dict]:
    per_year = dict(rows)
    first = cleaned["date_from"].year if cleaned.get("date_from") else min(per_year, default=None)
    last = cleaned["date_to"].year if cleaned.get("date_to") else max(per_year, default=None)
    if first is None or last is None:
        return []
    largest = max(per_year.values(), default=0)
    return [
        {"year": y, "n": per_year.get(y, 0), "bar": bar_class(per_year.get(y, 0), largest)}
        for y in range(first, last + 1)
    ]


def _ranked(rows: Iterable[tuple[Any, int]]) -> list[dict]:
    rows = list(rows)
    largest = rows[0][1] if rows else 0
    return [{"item": item, "n": n, "bar": bar_class(n, largest)} for item, n in rows]
