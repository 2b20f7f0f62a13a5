"""Pagination whose count stays cheap however large the caller's scope is.

A list counts its rows only as far as ``settings.KINERJA_LIST_COUNT_CAP`` (or the page asked
for, if deeper): at province scale (80,330 staff, or a million) an exact count on every page
would cost more than the page itself. Past the cap the count reads "more than N"; next and
previous still work, as far down as anyone pages.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

# No list holds a billion rows: a page number past that is refused as a page that does not exist,
# not counted towards (its offset would overflow the database's 64-bit LIMIT/OFFSET).
DEEPEST_ROW = 10**9


def cap_for(params) -> int:
    """The count cap of a list asked for with ``params`` (a request's GET): a search (``q``)
    counts only to ``KINERJA_SEARCH_COUNT_CAP``. A search reads the rows that match, not an
    index in order, so its count is what grows with the province; a thousand matches say
    enough to make anyone narrow the search."""
    if str(params.get("q", "") or "").strip():
        return settings.KINERJA_SEARCH_COUNT_CAP
    return settings.KINERJA_LIST_COUNT_CAP


class CappedPaginator(Paginator):
    """A Paginator that counts at most ``cap`` rows (or up to one page past the page asked for).

    ``capped`` tells whether there are more rows than ``count``. The count query drops the
    ordering and reads only keys: ``SELECT COUNT(*) FROM (SELECT id ... LIMIT n)``.
    """

    def __init__(self, object_list, per_page, *args, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = settings.KINERJA_LIST_COUNT_CAP if cap is None else cap
        self.reach = self.cap
        self.capped = False

    def _reach_to(self, number) -> None:
        try:
            number = int(number)
        except (TypeError, ValueError):
            return
        if 0 < (number + 1) * self.per_page <= DEEPEST_ROW and "count" not in self.__dict__:
            self.reach = max(self.cap, (number + 1) * self.per_page)

    def page(self, number):
        self._reach_to(number)
        return super().page(number)

    def get_page(self, number):
        self._reach_to(number)
        return super().get_page(number)

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not hasattr(rows, "values"):
            return len(rows)
        n = rows.order_by().values("pk")[: self.reach + 1].count()
        if n > self.reach:
            self.capped = True
            return self.reach
        return n


def rows_of_page(page, queryset):
    """Turn a page of keys into a page of rows: ``page`` was cut from an ordered
    ``values_list("pk", flat=True)``; its rows are read from ``queryset`` by key (one query)
    and put back in the page's order.

    The database then sorts only the ordering columns and the keys of the whole list, and
    reads full rows (their joins included) for one page: sorting the wide rows of 64,000 plans
    to show 50 spilled to disk on PostgreSQL (250 ms; 5 ms this way).
    """
    keys = list(page.object_list)
    found = queryset.in_bulk(keys)
    page.object_list = [found[pk] for pk in keys if pk in found]
    return page


class CappedPageNumberPagination(PageNumberPagination):
    """The API's page-number pagination with a capped count.

    ``count`` is exact up to the cap; past it ``count`` is the cap (or the rows up to one page
    past the page asked for) and ``count_capped`` is true: there are more.
    """

    def django_paginator_class(self, queryset, page_size):  # noqa: N802 - DRF's hook name
        return CappedPaginator(queryset, page_size, cap=cap_for(self.request.query_params))

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.page.paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"] = {
            "count": response["properties"]["count"],
            "count_capped": {
                "type": "boolean",
                "description": "True when there are more rows than `count`: the count stops "
                "at a cap (10,000 by default) so that a page costs the same at any scope.",
                "example": False,
            },
            **{k: v for k, v in response["properties"].items() if k != "count"},
        }
        response["required"] = [*response.get("required", []), "count_capped"]
        return response
