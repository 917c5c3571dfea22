"""Additions to the OpenAPI document drf-spectacular generates: the error answers every
operation can give (400 for a bad parameter, 404, 429 when throttled) in their one JSON
shape, and the ``API-Version`` header every answer carries."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "description": 'Per parameter (or "__all__"), the messages the pages\' forms give.',
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["message", "code"],
                    "properties": {"message": {"type": "string"}, "code": {"type": "string"}},
                },
            },
        }
    },
}
VERSION_HEADER = {
    "API-Version": {
        "description": "The API's version: 1 for everything under /api/v1/.",
        "schema": {"type": "string", "enum": ["1"]},
    }
}
ERRORS = {
    "400": "A parameter is not valid (the form's message).",
    "404": "No such object.",
    "429": "Too many requests from this address: retry after Retry-After seconds.",
}


def add_errors_and_version(result: dict[str, Any], generator, request, public) -> dict:
    """``POSTPROCESSING_HOOKS`` entry: every operation documents its errors and header."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for answer in responses.values():
                answer.setdefault("headers", {}).update(VERSION_HEADER)
            for status, description in ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "headers": dict(VERSION_HEADER),
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
