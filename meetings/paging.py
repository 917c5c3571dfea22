"""A page number past a list's end: a 404 that knows the last page, so the 404 page can
offer it (``views.errors.page_not_found``) instead of a bare "not found". Raised by the
lists' paginator (``web.pagination``) and the search (``search.search_results``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest


class PastLastPage(Http404):
    def __init__(self, request: HttpRequest, last: int):
        super().__init__(f"This list has {last} pages.")
        self.last = last
        params = request.GET.copy()
        params.pop("page", None)
        if last > 1:
            params["page"] = str(last)
        query = params.urlencode()
        self.last_url = f"{request.path}?{query}" if query else request.path
