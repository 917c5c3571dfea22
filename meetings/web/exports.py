"""Exports answered by the list, search and meeting pages (``?format=``), streamed in the
schema of :mod:`meetings.exporting`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.http import HttpRequest, StreamingHttpResponse

from meetings import exporting

EXPORT_FORMATS = {"json": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}


def export_response(request: HttpRequest, queryset, export_format: str) -> StreamingHttpResponse:
    """Every meeting of ``queryset`` in the export schema plus ``page``, streamed."""
    write = exporting.iter_jsonl if export_format == "json" else exporting.iter_csv
    return streamed_export(request, write, queryset, export_format, "meetings")


def turns_export_response(
    request: HttpRequest, turns, export_format: str, name: str
) -> StreamingHttpResponse:
    """Every turn of ``turns`` in the turn-level export schema, streamed."""
    write = exporting.iter_turns_jsonl if export_format == "json" else exporting.iter_turns_csv
    return streamed_export(request, write, turns, export_format, f"turns-{name}")


def streamed_export(
    request: HttpRequest,
    write: Callable[..., Iterator[str]],
    rows: Iterable,
    export_format: str,
    name: str,
) -> StreamingHttpResponse:
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
