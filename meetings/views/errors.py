"""The 404 page, which offers the last page when a list's page number is past its end."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseNotFound
from django.template import loader

from meetings.paging import PastLastPage


def page_not_found(
    request: HttpRequest, exception: Exception, template_name: str = "404.html"
) -> HttpResponseNotFound:
    context: dict[str, object] = {"request_path": request.path}
    if isinstance(exception, PastLastPage):
        context |= {"last_page": exception.last, "last_page_url": exception.last_url}
    return HttpResponseNotFound(loader.render_to_string(template_name, context, request))
