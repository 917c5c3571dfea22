"""Request and response guards for a read-only public site.

- ``PublicSiteMiddleware``: outside the admin the site only reads, so only GET and HEAD are
  answered (405 with ``Allow: GET, HEAD`` otherwise), and a path or query string carrying a
  control character (NUL and the like, which PostgreSQL and XML refuse) is answered 404 or
  400 before any view sees it.
- ``CrossOriginResourcePolicyMiddleware``: ``Cross-Origin-Resource-Policy`` on every
  response (django-csp and django-permissions-policy do the other two headers; Django has
  no setting for this one).
- ``server_error``: the 500 handler; a database that cannot be reached is a 503 with
  ``Retry-After`` instead, so load balancers and visitors know to come back.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
)
from django.template import loader
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token

from meetings.params import has_control

SAFE_METHODS = ("GET", "HEAD")


def is_admin_path(path: str) -> bool:
    return path.startswith(reverse("admin:index"))


def _raw_has_control(raw: str) -> bool:
    """Whether a still percent-encoded path or query string decodes to a control byte.

    WSGI hands the query string over as latin-1 (PEP 3333): a client that sends UTF-8
    unencoded (``?q=эмир``) must be read back as those bytes, not as C1 controls."""
    data = raw.replace("+", " ").encode("latin-1", "surrogateescape")
    decoded = unquote_to_bytes(data).decode("utf-8", "surrogateescape")
    return has_control(decoded)


class PublicSiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_admin_path(request.path_info):
            if request.method not in SAFE_METHODS:
                return HttpResponseNotAllowed(SAFE_METHODS)
            if has_control(request.path_info):
                return HttpResponseNotFound(
                    # Before LocaleMiddleware: both languages, as on the 500 and 503 pages.
                    "No page has a control character in its address.\n"
                    "Страницы с управляющим символом в адресе нет.\n",
                    content_type="text/plain; charset=utf-8",
                )
            if _raw_has_control(request.META.get("QUERY_STRING", "")):
                return HttpResponseBadRequest(
                    "A query parameter holds a control character.\n"
                    "В параметре запроса управляющий символ.\n",
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


class CrossOriginResourcePolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CROSS_ORIGIN_RESOURCE_POLICY
        if policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", policy)
        return response


def client_ip(request: HttpRequest) -> str:
    """The visitor's address for django-axes: X-Real-IP from the proxy when
    TRUST_X_REAL_IP is on (docker-compose.yml's nginx sets it), else REMOTE_ADDR."""
    if settings.TRUST_X_REAL_IP:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


DATABASE_ERRORS = (OperationalError, InterfaceError)


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """Django's 500 view, except that an unreachable database is a 503 with Retry-After.

    Django calls this inside its ``except`` block, so the exception is still at hand."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template(template_name).render(), status=500)
