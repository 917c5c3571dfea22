"""The public export format: one meeting per JSON line, or a CSV row without utterances;
and the turn-level format: one row (or JSON line) per utterance (``TURN_FIELDS``).

CSV is written for spreadsheets: it starts with a UTF-8 byte order mark and a text cell that
would start a formula (``=``, ``+``, ``-``, ``@``, tab, CR) is prefixed with ``'``.

This is a contract users and our own checks rely on; change it only with a changelog entry.
The management command ``export_meetings`` and the list views' ``?format=json|csv`` both use
these functions. Meetings are streamed in chunks with their related rows prefetched, so
memory stays flat however many meetings are exported.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from meetings.models import Meeting, MeetingCountry, Participation, SignedDocument, Utterance

CHUNK_SIZE = 200
CSV_FIELDS = (
    "id",
    "language",
    "url",
    "title",
    "date",
    "time",
    "place",
    "kind",
    "countries",
    "participants",
    "signed_documents",
)
LIST_SEPARATOR = "; "
TURN_FIELDS = (
    "meeting_id",
    "language",
    "date",
    "title",
    "position",
    "speaker",
    "speaker_label",
    "text",
    "page",
)
# Excel reads UTF-8 only when the file says so; without the mark Cyrillic turns to mojibake.
BOM = "\ufeff"
# A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PageUrl = Callable[[Meeting], str]


def export_queryset(qs: QuerySet[Meeting] | None = None, *, utterances: bool = True) -> QuerySet:
    """``qs`` (all meetings by default) in export order, with everything the export reads:
    each relation prefetched as a plain list (``export_<relation>``, read with
    :func:`related`). A list rather than the related manager's cache, because Django builds
    a filtered queryset per meeting and relation to hold that cache, which cost more than
    the queries themselves when the whole archive is exported."""
    qs = Meeting.objects.all() if qs is None else qs
    prefetches = [
        Prefetch(
            "country_links",
            queryset=MeetingCountry.objects.order_by("position", "id"),
            to_attr="export_country_links",
        ),
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("participant").order_by("position", "id"),
            to_attr="export_participations",
        ),
        Prefetch(
            "documents",
            queryset=SignedDocument.objects.order_by("position", "id"),
            to_attr="export_documents",
        ),
    ]
    if utterances:
        prefetches.append(
            Prefetch(
                "utterances",
                queryset=Utterance.objects.select_related("speaker")
                .defer("search_vector", "speaker__aliases")
                .order_by("position"),
                to_attr="export_utterances",
            )
        )
    return (
        qs.defer("lead", "imported")
        .order_by("date", "kremlin_id", "language")
        .prefetch_related(None)  # a list view's own prefetches would clash with these
        .prefetch_related(*prefetches)
    )


def related(meeting: Meeting, relation: str) -> list[Any]:
    """``meeting``'s rows of ``relation`` ("utterances", "country_links", "participations",
    "documents") as ``export_queryset`` prefetched them; a query for a meeting read
    otherwise."""
    prefetched = getattr(meeting, f"export_{relation}", None)
    if prefetched is None:
        prefetched = list(getattr(meeting, relation).all())
    return prefetched


def filter_meetings(
    qs: QuerySet[Meeting], *, country: str | None = None, since=None, until=None
) -> QuerySet[Meeting]:
    """The command's filters: meetings with ``country`` (ISO2), dated ``since``..``until``."""
    if country:
        qs = qs.filter(country_links__country_id=country.upper())
    if since:
        qs = qs.filter(date__gte=since)
    if until:
        qs = qs.filter(date__lte=until)
    return qs


def _name(participant, language: str) -> str | None:
    if participant is None:
        return None
    return getattr(participant, f"name_{language}", "") or participant.name


def meeting_to_dict(
    meeting: Meeting, *, page_url: PageUrl | None = None, utterances: bool = True
) -> dict[str, Any]:
    """One meeting in the public schema (``utterances=False`` for the CSV's fields)."""
    local = meeting.local_start
    data: dict[str, Any] = {
        "id": meeting.kremlin_id,
        "language": meeting.language,
        "url": meeting.source_url,
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "time": local.strftime("%H:%M") if local else None,
        "place": meeting.place,
        "kind": meeting.kind,
        "countries": [link.country_id for link in related(meeting, "country_links")],
        "participants": [
            {
                "name": _name(p.participant, meeting.language),
                "role": p.role,
                "country": p.participant.country_id,
            }
            for p in related(meeting, "participations")
        ],
    }
    if utterances:
        data["utterances"] = [
            {
                "position": u.position,
                "section": u.section,
                "speaker": _name(u.speaker, meeting.language),
                "speaker_label": u.speaker_label,
                "kind": u.kind,
                "text": u.text,
            }
            for u in related(meeting, "utterances")
        ]
    data["signed_documents"] = [
        {"title": d.title, "kind": d.kind, "url": d.url} for d in related(meeting, "documents")
    ]
    if page_url is not None:
        data["page"] = page_url(meeting)
    return data


def iter_jsonl(
    qs: QuerySet[Meeting] | None = None,
    *,
    page_url: PageUrl | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[str]:
    """JSON lines, one meeting each, newline-terminated."""
    for meeting in export_queryset(qs).iterator(chunk_size=chunk_size):
        yield meeting_line(meeting, page_url=page_url)


def meeting_line(meeting: Meeting, *, page_url: PageUrl | None = None) -> str:
    """One meeting as a JSON line, newline-terminated (``meeting`` from ``export_queryset``)."""
    return json.dumps(meeting_to_dict(meeting, page_url=page_url), ensure_ascii=False) + "\n"


def csv_row(data: dict[str, Any]) -> dict[str, Any]:
    """A meeting dict flattened for CSV: lists joined with "; "."""
    row = {key: data[key] for key in CSV_FIELDS}
    row["time"] = data["time"] or ""
    row["countries"] = LIST_SEPARATOR.join(data["countries"])
    row["participants"] = LIST_SEPARATOR.join(
        f"{p['name']} ({p['role']})" if p["role"] else p["name"] for p in data["participants"]
    )
    row["signed_documents"] = LIST_SEPARATOR.join(d["title"] for d in data["signed_documents"])
    if "page" in data:
        row["page"] = data["page"]
    return row


def safe_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_writer(fields) -> tuple[csv.DictWriter, Callable[[], str]]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    return writer, flush


def iter_csv(
    qs: QuerySet[Meeting] | None = None,
    *,
    page_url: PageUrl | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[str]:
    """CSV text: a header line, then one line per meeting (no utterances)."""
    fields = [*CSV_FIELDS, *(["page"] if page_url is not None else [])]
    writer, flush = _csv_writer(fields)
    writer.writeheader()
    yield BOM + flush()
    for meeting in export_queryset(qs, utterances=False).iterator(chunk_size=chunk_size):
        row = csv_row(meeting_to_dict(meeting, page_url=page_url, utterances=False))
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
        yield flush()


def speaker_words(meeting: Meeting) -> list[dict[str, Any]]:
    """Share of voice: each speaker's turns and words (text split on whitespace), in order
    of first turn; unresolved speakers by their printed label. For the meeting JSON."""
    speakers: dict[Any, dict[str, Any]] = {}
    for u in related(meeting, "utterances"):
        if not u.speaker_label:
            continue  # narrative and omissions are nobody's words
        key = u.speaker_id or u.speaker_label
        entry = speakers.setdefault(
            key,
            {
                "speaker": _name(u.speaker, meeting.language),
                "speaker_label": u.speaker_label,
                "turns": 0,
                "words": 0,
            },
        )
        entry["turns"] += 1
        entry["words"] += u.word_count
    return list(speakers.values())


TurnUrl = Callable[[Utterance], str]


def turn_queryset(qs: QuerySet[Utterance]) -> QuerySet[Utterance]:
    """Turns with what a turn row reads, and nothing else (no search vector, no lead)."""
    return qs.select_related("meeting", "speaker").defer(
        "search_vector", "meeting__lead", "meeting__imported", "speaker__aliases"
    )


def turn_to_dict(utterance: Utterance, *, page_url: TurnUrl) -> dict[str, Any]:
    """One turn in the turn-level export schema (``TURN_FIELDS``)."""
    meeting = utterance.meeting
    return {
        "meeting_id": meeting.kremlin_id,
        "language": meeting.language,
        "date": meeting.date.isoformat(),
        "title": meeting.title,
        "position": utterance.position,
        "speaker": _name(utterance.speaker, meeting.language),
        "speaker_label": utterance.speaker_label,
        "text": utterance.text,
        "page": page_url(utterance),
    }


def iter_turns_csv(
    qs: QuerySet[Utterance], *, page_url: TurnUrl, chunk_size: int = CHUNK_SIZE
) -> Iterator[str]:
    """CSV text: a header line, then one line per turn of ``qs`` in its order."""
    out = TurnsCsv(page_url)
    yield out.header()
    for utterance in turn_queryset(qs).iterator(chunk_size=chunk_size):
        yield out.rows((utterance,))


class TurnsCsv:
    """The turns CSV a piece at a time: ``header()`` once, then ``rows()`` of turns in order
    (each turn's ``meeting`` and ``speaker`` loaded, as ``turn_queryset`` or a meeting's
    prefetched ``utterances`` give them)."""

    def __init__(self, page_url: TurnUrl):
        self.page_url = page_url
        self.writer, self.flush = _csv_writer(TURN_FIELDS)

    def header(self) -> str:
        self.writer.writeheader()
        return BOM + self.flush()

    def rows(self, utterances: Iterable[Utterance]) -> str:
        for utterance in utterances:
            row = turn_to_dict(utterance, page_url=self.page_url)
            self.writer.writerow({key: safe_cell(value) for key, value in row.items()})
        return self.flush()


def iter_turns_jsonl(
    qs: QuerySet[Utterance], *, page_url: TurnUrl, chunk_size: int = CHUNK_SIZE
) -> Iterator[str]:
    """JSON lines, one turn each."""
    for utterance in turn_queryset(qs).iterator(chunk_size=chunk_size):
        yield json.dumps(turn_to_dict(utterance, page_url=page_url), ensure_ascii=False) + "\n"
