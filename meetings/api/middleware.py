"""What every answer under ``/api/`` has in common, whichever layer produced it.

- ``API-Version: 1`` on every answer, errors, 304s and cached pages included.
- Only GET, HEAD and OPTIONS: anything else is a JSON 405 with ``Allow`` (the site's
  ``PublicSiteMiddleware`` would answer a plain-text one, and refuses OPTIONS, which a
  client asks to learn the methods).
- Errors are JSON: a 404 from the URL resolver, the site's plain-text 400 for a control
  character, the 500 and 503 pages all become ``{"errors": {"__all__": [...]}}``, the
  shape DRF's errors have here (``meetings.api.errors``).

Placed outside ``PublicSiteMiddleware`` and after ``CorsMiddleware`` (which answers CORS
preflight requests itself).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"
API_VERSION = "1"
ALLOWED = ("GET", "HEAD", "OPTIONS")
_KEPT = ("Retry-After", "Allow", "Cache-Control")


def json_error(status: int, message: str, code: str) -> HttpResponse:
    body = {"errors": {"__all__": [{"message": message, "code": code}]}}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method not in ALLOWED:
            response = json_error(
                405, f"Method “{request.method}” is not allowed: this API only reads.", "method"
            )
            response["Allow"] = ", ".join(ALLOWED)
        elif request.method == "OPTIONS":
            response = HttpResponse(
                json.dumps({"methods": list(ALLOWED)}), content_type="application/json"
            )
            response["Allow"] = ", ".join(ALLOWED)
        else:
            response = self.get_response(request)
            if response.status_code >= 400 and not _is_json(response):
                response = _as_json(response)
        response["API-Version"] = API_VERSION
        return response


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _as_json(response: HttpResponse) -> HttpResponse:
    status = response.status_code
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    text = ""
    if not response.streaming and response.get("Content-Type", "").startswith("text/plain"):
        text = response.content.decode("utf-8", "replace").strip().splitlines()[0:1]
        text = text[0] if text else ""
    replaced = json_error(status, text or phrase, phrase.lower().replace(" ", "_"))
    for header in _KEPT:
        if response.has_header(header):
            replaced[header] = response[header]
    return replaced
