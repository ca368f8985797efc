"""How a list is ordered: the unique `sort_key` each row gets, which the cursor points at.

A list view names one of these; `apply` annotates the rows and tells the paginator the
ordering's name (a cursor of another ordering is refused) and its direction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.db.models.functions import Collate
from rest_framework.exceptions import ValidationError

from events.sorting import is_descending, with_sort_key


@dataclass(frozen=True)
class ListOrder:
    """What the paginator needs: the ordering's name and whether it runs backwards."""

    name: str
    descending: bool = False


class ByDate:
    """`?ordering=date|-date|updated|-updated|relevance` over events or statements (default: date)."""

    @staticmethod
    def apply(queryset: QuerySet, params) -> tuple[QuerySet, ListOrder]:
        ordering = params.get("ordering") or "date"
        if ordering == "relevance" and not params.get("q", "").strip():
            raise ValidationError({"ordering": ["relevance ordering needs a q search"]})
        return with_sort_key(queryset, ordering), ListOrder(ordering, is_descending(ordering))


class BySlug:
    """By slug, byte order (actors, conflicts, sources)."""

    @staticmethod
    def apply(queryset: QuerySet, params) -> tuple[QuerySet, ListOrder]:
        return queryset.annotate(sort_key=Collate(F("slug"), "C")), ListOrder("slug")
