"""Keyset ("cursor") pagination: a page is "the rows after this one" in a fixed order that
ends in a unique key, so a page stays the same while an import adds meetings (an offset
would shift every later page by one), and a deep page costs what the first one does (an
index seek, never an OFFSET walk).

The cursor is the last row's (or, for ``previous``, the first row's) ordering values,
base64-encoded JSON: opaque to clients, checked when it comes back. ``page_size`` goes up
to ``MAX_PAGE_SIZE``. ``count`` is the total when the view can give it cheaply, else null.
A page is found by its keys first, then read (:func:`read_page`).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import FloatField, Func, Q, QuerySet, Value
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from meetings import search

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def _value_of(row: Any, field: str) -> Any:
    for part in field.lstrip("-").split("__"):
        row = getattr(row, part if part != "pk" else "pk")
    return row


def _jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def keyset_after(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering``: ``(a > A) or (a = A and b > B) ...``,
    with a non-strict bound on the first field so the index can seek to it."""
    first = ordering[0]
    name = first.lstrip("-")
    condition = Q(**{f"{name}__{'lte' if first.startswith('-') else 'gte'}": values[0]})
    after = Q()
    for i, field in enumerate(ordering):
        step = Q(**{f"{f.lstrip('-')}": v for f, v in zip(ordering[:i], values[:i], strict=True)})
        lookup = "lt" if field.startswith("-") else "gt"
        after |= step & Q(**{f"{field.lstrip('-')}__{lookup}": values[i]})
    return condition & after


def read_page(rows: QuerySet, limit: int, keys: list | None = None) -> list:
    """The first ``limit`` of ``rows`` in two steps: their keys, then the rows themselves.

    Finding the page reads only what the order and the filters need (an index-only walk of
    the date index, or the rank of every match), not the whole width of every candidate: a
    sort by relevance then moves ids instead of turns' texts, and a filtered list probes its
    filter's index instead of fetching each skipped meeting. The rows, annotations and
    prefetches are then read for the page's keys alone, in the same order. ``keys``, when
    given, are the page's keys found another way."""
    if keys is None:
        keys = list(rows.values_list("pk", flat=True)[:limit])
    if not keys:
        return []
    by_key = {row.pk: row for row in rows.filter(pk__in=keys).order_by()}
    return [by_key[key] for key in keys]


class KeysetPagination(BasePagination):
    """Pages of the view's ``keyset_ordering()``; ``cursor`` and ``page_size`` parameters."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list:
        self.request = request
        self.page_size = self.get_page_size(request)
        ordering = list(view.keyset_ordering())
        self.ordering = ordering
        cursor = self.decode_cursor(request, queryset, ordering)
        backwards = bool(cursor and cursor[1])
        direction = [_flip(f) for f in ordering] if backwards else ordering
        rows = queryset
        if cursor is not None:
            rows = rows.filter(keyset_after(direction, cursor[0]))
        start = cursor[0][0] if cursor is not None else None
        keys = self.page_keys(rows, direction, start, self.page_size + 1)
        page = read_page(rows.order_by(*direction), self.page_size + 1, keys)
        more = len(page) > self.page_size
        page = page[: self.page_size]
        if backwards:
            page.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, cursor is not None
        self.page = page
        count = getattr(view, "cheap_count", None)
        self.count = count(queryset) if count else None
        return page

    def page_keys(
        self, rows: QuerySet, ordering: Sequence[str], start: Any, limit: int
    ) -> list | None:
        """The keys of the first ``limit`` of ``rows`` in ``ordering``, if this pagination
        finds them better than the query's own order does (``start``: the cursor's first
        value)."""
        return None

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                },
                code="invalid",
            )
        return int(raw)

    # The cursor -------------------------------------------------------------------------

    def encode_cursor(self, row: Any, backwards: bool) -> str:
        values = [_jsonable(_value_of(row, field)) for field in self.ordering]
        data = json.dumps({"v": values, "b": int(backwards)}, separators=(",", ":"))
        token = base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, token)

    def decode_cursor(
        self, request: Request, queryset: QuerySet, ordering: list[str]
    ) -> tuple[list, bool] | None:
        token = request.query_params.get(self.cursor_query_param)
        if not token:
            return None
        invalid = ValidationError(
            {self.cursor_query_param: [_("This cursor is not one this API gave out.")]},
            code="invalid",
        )
        try:
            padded = token + "=" * (-len(token) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            values, backwards = data["v"], bool(data["b"])
        except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
            raise invalid from None
        if not isinstance(values, list) or len(values) != len(ordering):
            raise invalid
        try:
            return [
                _checked(queryset.model, field, value)
                for field, value in zip(ordering, values, strict=True)
            ], backwards
        except (DjangoValidationError, TypeError, ValueError, OverflowError):
            raise invalid from None

    # The answer ---------------------------------------------------------------------------

    def get_paginated_response(self, data: list) -> Response:
        return Response(
            {
                "count": self.count,
                "next": self.encode_cursor(self.page[-1], False)
                if self.has_next and self.page
                else None,
                "previous": self.encode_cursor(self.page[0], True)
                if self.has_previous and self.page
                else None,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": "The total, when it is cheap to know; else null.",
                },
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page after (or before) another: the `next` or "
                "`previous` link of the answer. Stable while imports add rows.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]

    def remove_cursor(self, url: str) -> str:
        return remove_query_param(url, self.cursor_query_param)


def _checked(model, field: str, value: Any) -> Any:
    """A cursor value as the column's type (a date from its ISO text), or an error."""
    target = model
    model_field = None
    try:
        for part in field.lstrip("-").split("__"):
            model_field = target._meta.get_field("id" if part == "pk" else part)
            target = model_field.related_model or target
    except FieldDoesNotExist:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError("an annotation's value is a number") from None
        # An annotation: the search rank, a PostgreSQL real that psycopg reads as its
        # shortest text. Compared as a double, that text is not the stored value (a page
        # would repeat forever); as a real it is.
        return Func(
            Value(float(value)), template="(%(expressions)s)::real", output_field=FloatField()
        )
    if model_field is None:
        raise TypeError("not a column")
    if model_field.is_relation:
        model_field = model_field.target_field
    if value is None or isinstance(value, list | dict | bool):
        raise TypeError("not a column value")
    python = model_field.to_python(value)
    model_field.get_prep_value(python)
    if isinstance(python, int) and not -(2**63) <= python < 2**63:
        raise OverflowError
    return python


class SearchPagination(KeysetPagination):
    """Search results come 20 a page by default, as on the search page: each turn carries a
    headline that PostgreSQL writes from its whole text, the larger part of a search's time
    (a page of 100 took twice as long as a page of 20 at 100,000 meetings)."""

    page_size = search.HITS_PER_PAGE

    def page_keys(
        self, rows: QuerySet, ordering: Sequence[str], start: Any, limit: int
    ) -> list | None:
        if ordering[0].lstrip("-") != "meeting__date":
            return None  # by relevance: every hit is ranked anyway
        return search.hit_keys_by_date(rows, ordering, start, limit)
