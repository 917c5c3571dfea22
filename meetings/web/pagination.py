"""Pages of a list: ids first, then only the page's rows; a page that is not a page is a 404."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import Http404, HttpRequest

from meetings.paging import PastLastPage


class IdsFirstPaginator(Paginator):
    """Pages of a QuerySet found by id first: the OFFSET walks an index of ids (no join, no
    per-row subquery), then only the page's rows are fetched with what the page shows.
    ``page=`` numbers mean what they always meant."""

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset: Any = self.object_list
        if not isinstance(queryset, QuerySet) or queryset.query.group_by is not None:
            # Not a QuerySet, or an aggregate one (people by meeting count): finding ids
            # first would aggregate twice.
            return Page(queryset[bottom:top], number, self)
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        return self._page_of(ids, number)

    def counted_page(self, number) -> Page:
        """``page()`` for a ranked search, which visits every match to rank it anyway: the
        page's ids and the total in one query (``count(*) OVER ()``), not two scans."""
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return self.page(number)  # the paginator's own error
        bottom = (max(wanted, 1) - 1) * self.per_page
        queryset: Any = self.object_list
        found = list(
            queryset.annotate(total=Window(Count("pk"))).values_list("pk", "total")[
                bottom : bottom + self.per_page
            ]
        )
        if found:
            self.count = found[0][1]  # the cached_property's value, known already
        number = self.validate_number(wanted)  # COUNT(*) only past the last page
        return self._page_of([pk for pk, _ in found], number)

    def _page_of(self, ids: list[int], number: int) -> Page:
        queryset: Any = self.object_list
        rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
        return Page([rows[pk] for pk in ids if pk in rows], number, self)


def paginate(
    request: HttpRequest,
    object_list,
    per_page: int,
    ranked: bool = False,
    count: int | None = None,
) -> Page:
    """The requested page; a page number that is not a page (past the end, 0, "x") is a 404.
    ``ranked``: every row is visited to rank it, so the total comes with the page's ids;
    ``count``: the total, already known."""
    paginator = IdsFirstPaginator(object_list, per_page)
    if count is not None:
        paginator.count = count  # the cached_property's value, known already
    number = request.GET.get("page") or 1
    try:
        page = paginator.counted_page(number) if ranked else paginator.page(number)
    except EmptyPage as error:
        if str(number).isdigit() and int(number) > 1:  # past the end (not 0 or -1)
            raise PastLastPage(request, paginator.num_pages) from error
        raise Http404(str(error)) from error
    except InvalidPage as error:
        raise Http404(str(error)) from error
    return page
