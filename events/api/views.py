"""The API's endpoints: thin views over selectors, filters, serializers and the paginator."""

from django.db.models import F
from django.db.models.functions import Collate
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from events import selectors
from events.api import filters, serializers
from events.api.pagination import KeysetCursorPagination
from events.sorting import is_descending, with_sort_key

BAD_REQUEST = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"date_after": ["Enter a valid date."]},
    },
    description="A parameter is invalid: each key names the parameter (or non_field_errors), with what is wrong.",
)
NOT_FOUND = OpenApiResponse(
    response={"type": "object", "properties": {"detail": {"type": "string"}}},
    description="No such record (or not visible to you).",
)


def _documented(list_description: str, serializer, detail_serializer=None) -> dict:
    return {
        "list": extend_schema(description=list_description, responses={200: serializer(many=True), 400: BAD_REQUEST}),
        "retrieve": extend_schema(responses={200: detail_serializer or serializer, 404: NOT_FOUND}),
    }


class TimelineOrderingMixin:
    """Orders a filtered list by `?ordering=` through a unique `sort_key` the cursor can use."""

    ordering_name = "date"
    sort_descending = False
    kind_tag = ""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        ordering = self.request.query_params.get("ordering") or "date"
        if ordering == "relevance" and not self.request.query_params.get("q"):
            raise ValidationError({"ordering": ["relevance ordering needs a q search"]})
        self.ordering_name, self.sort_descending = ordering, is_descending(ordering)
        return with_sort_key(queryset, ordering, kind_tag=self.kind_tag)


class SlugOrderedMixin:
    """Lists ordered by slug, through the same cursor pagination as the timeline lists."""

    ordering_name = "slug"

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).annotate(sort_key=Collate(F("slug"), "C"))


@extend_schema_view(**_documented("Events, filterable; ordered by date (finer precision first), then id.", serializers.EventSerializer))
class EventViewSet(TimelineOrderingMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    pagination_class = KeysetCursorPagination
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.event_list(user=self.request.user)


@extend_schema_view(**_documented("Statements, filterable; ordered by date (finer precision first), then id.", serializers.StatementSerializer))
class StatementViewSet(TimelineOrderingMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilter
    pagination_class = KeysetCursorPagination
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.statement_list(user=self.request.user)


@extend_schema_view(**_documented("Actors: people, states, organisations, armed groups; ordered by slug.", serializers.ActorSerializer))
class ActorViewSet(SlugOrderedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ActorSerializer
    filterset_class = filters.ActorFilter
    pagination_class = KeysetCursorPagination
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.actor_list()


@extend_schema_view(**_documented("Conflicts and crises with their parties; ordered by slug.", serializers.ConflictSerializer))
class ConflictViewSet(SlugOrderedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ConflictSerializer
    filterset_class = filters.ConflictFilter
    pagination_class = KeysetCursorPagination
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.conflict_list()


@extend_schema_view(**_documented(
        "Source documents; the detail carries the full text citations point into.",
        serializers.SourceSerializer,
        serializers.SourceDetailSerializer,
    ))
class SourceViewSet(SlugOrderedMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = filters.SourceFilter
    pagination_class = KeysetCursorPagination
    lookup_field = "slug"

    def get_serializer_class(self):
        return serializers.SourceDetailSerializer if self.action == "retrieve" else serializers.SourceSerializer

    def get_queryset(self):
        queryset = selectors.source_list()
        return queryset if self.action == "retrieve" else queryset.defer("text", "furniture")
