"""Errors as JSON, in the shape the list pages' ``?format=json`` already answer a bad
filter with: ``{"errors": {"<parameter>": [{"message": …, "code": …}]}}``, where a filter's
messages are its form's own (the same words the page shows); errors that belong to no
parameter (not found, throttled) are under ``"__all__"``, as in a Django form."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler


def _details(detail: Any) -> list[dict[str, str]]:
    if isinstance(detail, dict):  # a nested error: flatten to its messages
        return [item for value in detail.values() for item in _details(value)]
    if isinstance(detail, list):
        return [item for value in detail for item in _details(value)]
    code = getattr(detail, "code", None)
    return [{"message": str(detail), "code": "invalid" if code is None else code}]


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's 500, made JSON by ApiMiddleware
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        errors = {str(field): _details(detail) for field, detail in exc.detail.items()}
    else:  # DRF's own answer keeps the code (an Http404 is "not_found" there)
        detail = (
            response.data.get("detail", response.data)
            if isinstance(response.data, dict)
            else response.data
        )
        errors = {"__all__": _details(detail)}
    response.data = {"errors": errors}
    return response
