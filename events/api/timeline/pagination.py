"""Cursor pages of the timeline: the event and statement streams merged by their sort keys.

Both streams are ordered by `events.sorting.sort_key_expression("date")` with kind tags
"e" and "s": date, finer precision first, then the row, undated items last (events
before statements, each by id). Every row's `sort_key` is unique across the two tables,
so one signed cursor (the key of the last item seen, as in `events.api.pagination`)
points into the merged stream.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from operator import itemgetter

from django.db.models import QuerySet
from rest_framework.pagination import Cursor
from rest_framework.utils.urls import remove_query_param

from events.api.pagination import KeysetCursorPagination


def merged(streams: Iterable[Iterable[dict]], *, descending: bool = False) -> Iterator[dict]:
    """Rows ({sort_key, ...}) of several streams, each already ordered by sort_key, as one stream in that order.

    PostgreSQL compares the keys with the "C" collation, i.e. by code point: as Python does.
    """
    return heapq.merge(*streams, key=itemgetter("sort_key"), reverse=descending)


class MergedCursorPagination(KeysetCursorPagination):
    """Keyset pagination over several sort-keyed streams merged into one.

    A page is one query: each stream's first N+1 rows past the cursor (an index range
    scan on its stored key), merged by UNION ALL and cut by PostgreSQL. Cursors have the
    form of KeysetCursorPagination's (signed {reverse, position, ordering}); the ordering
    name differs, so a cursor of another list is refused.
    """

    ordering_name = "timeline-date"

    def paginate_streams(self, streams: list[QuerySet], request) -> list[dict]:
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self._ordering_name = self.ordering_name
        self.cursor = cursor = self.decode_cursor(request)
        reverse = bool(cursor and cursor.reverse)
        order = "-sort_key" if reverse else "sort_key"
        parts = []
        for queryset in streams:
            if cursor is not None:
                queryset = queryset.filter(**{"sort_key__lt" if reverse else "sort_key__gt": cursor.position})
            parts.append(queryset.order_by(order)[: self.page_size + 1])
        if not parts:  # e.g. type= with kind=statement: statements have no type
            rows = []
        elif len(parts) == 1:
            rows = list(parts[0])
        else:
            rows = list(parts[0].union(*parts[1:], all=True).order_by(order)[: self.page_size + 1])
        more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if reverse:
            self.page.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = cursor is not None, more
        return self.page

    def _link(self, position: str, *, reverse: bool) -> str:
        return self.encode_cursor(Cursor(offset=0, reverse=reverse, position=position))

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        if not self.page:
            # Walked back past the start (the rows before the cursor are gone): start over.
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.page[-1]["sort_key"], reverse=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous or not self.page:
            return None
        return self._link(self.page[0]["sort_key"], reverse=True)
