"""Cursor pagination for long lists: stable under inserts, signed, with a validated page size.

Lists are ordered by one unique text key per row (`sort_key`, built in `events.sorting`),
so a cursor is just "the key of the last row seen" and a page is `WHERE sort_key > x
ORDER BY sort_key LIMIT n`: no OFFSET, no COUNT, and rows inserted elsewhere never shift
a page. Cursors are signed with the secret key, so a tampered cursor is a 400 rather
than a database error.
"""

import re

from django.core import signing
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.utils.urls import replace_query_param

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50
_SALT = "events.api.cursor"


def parse_page_size(raw: str | None, default: int = DEFAULT_PAGE_SIZE) -> int:
    """`?page_size=N`: a whole number from 1 to 500, else a 400 naming the parameter.

    An empty `page_size=` is refused too: it is not a number, and the schema says so.
    """
    if raw is None:
        return default
    # ASCII digits only: str.isdigit() would accept "²".
    if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValidationError(
            {"page_size": [f"must be a whole number from 1 to {MAX_PAGE_SIZE}; got {raw[:40]!r}"]}
        )
    return int(raw)


class KeysetCursorPagination(CursorPagination):
    """`?cursor=...&page_size=N` over rows annotated with a unique `sort_key`.

    The view decides the ordering and its direction (`view.list_order`) from `?ordering=`;
    the cursor remembers it, and a cursor used with another ordering is refused.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "sort_key"

    def get_page_size(self, request) -> int:
        return parse_page_size(request.query_params.get(self.page_size_query_param))

    def get_ordering(self, request, queryset, view):
        order = view.list_order  # events.api.ordering.ListOrder, set by the view's filter_queryset
        self._ordering_name = order.name
        return ("-sort_key",) if order.descending else ("sort_key",)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            data = signing.loads(encoded, salt=_SALT)
            reverse, position, ordering = bool(data["r"]), data["p"], data["o"]
            # Sort keys are short strings; anything else cannot have come from a page of ours.
            if not isinstance(position, str) or not 0 < len(position) <= 200 or "\x00" in position:
                raise ValueError(position)
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise ValidationError(
                {"cursor": ["invalid cursor: use the next or previous link of a page"]}
            ) from None
        if ordering != self._ordering_name:
            raise ValidationError(
                {"cursor": [f"this cursor belongs to ordering={ordering}, not {self._ordering_name}"]}
            )
        return Cursor(offset=0, reverse=reverse, position=position)

    def encode_cursor(self, cursor: Cursor) -> str:
        token = signing.dumps(
            {"r": int(cursor.reverse), "p": cursor.position, "o": self._ordering_name}, salt=_SALT
        )
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def _get_position_from_instance(self, instance, ordering) -> str:
        return instance["sort_key"] if isinstance(instance, dict) else instance.sort_key

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": DEFAULT_PAGE_SIZE,
                }
                parameter["description"] = (
                    f"Items per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})."
                )
            if parameter["name"] == self.cursor_query_param:
                parameter["description"] = "Opaque cursor from a page's `next` or `previous` link."
        return parameters

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        # /events/ and /statements/ add these with ?facet= or ?histogram= (events.api.facets).
        from events.api.facets import FACET_KEYS_SCHEMA

        answer["properties"].update(FACET_KEYS_SCHEMA)
        return answer
