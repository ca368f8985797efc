"""The API's record endpoints: one viewset class, configured per kind of record.

Every read is a document built by PostgreSQL from the record's shape (`events.read_model`,
`events.api.documents`): lists, details and the answers to writes alike, in JSON or in the
browsable API. Writes go through a write serializer, which applies the rules every writer
applies (`events.services`), and answer with the record's document.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from events import selectors
from events.api import filters, serializers
from events.api.documents import with_documents
from events.api.facets import facets_answer
from events.api.ordering import ByDate, BySlug, ListOrder
from events.api.pagination import KeysetCursorPagination
from events.api.responses import document_response, errors_as_json, etag_of, page_response, set_cache_headers
from events.api.schema import record_actions
from events.read_model import shapes
from events.read_model.serializers import serializer_for
from events.read_model.spec import Shape
from events.read_model.sql import model_of

WRITE_ACTIONS = {"create", "update", "partial_update"}


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = (
        "the record changed since you read it (its ETag no longer matches If-Match); read it again"
    )
    default_code = "precondition_failed"


def refuse_null_characters(data, path: str = "") -> None:
    """A 400 naming the first field of a request body holding a null character (PostgreSQL refuses them)."""
    if isinstance(data, str):
        if "\x00" in data:
            # Keyed by the top-level field, as DRF keys every body error; the path says where.
            field = re.split(r"[.\[]", path, maxsplit=1)[0] if path else "non_field_errors"
            where = f" (at {path})" if path and path != field else ""
            raise ValidationError({field: [f"null characters are not allowed{where}"]})
    elif isinstance(data, dict):
        for key, value in data.items():
            if "\x00" in str(key):
                raise ValidationError(
                    {"non_field_errors": ["null characters are not allowed in field names"]}
                )
            refuse_null_characters(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            refuse_null_characters(value, f"{path}[{index}]")


class RecordViewSet(viewsets.ModelViewSet):
    """Lists, details and writes of one kind of record, read as documents of its shape.

    A subclass names the `shape` (the detail; `list_shape` when lists show less), the
    selector of what a user may `visible`-ly read, its `filterset_class`, its
    `write_serializer_class` and its `order` (events.api.ordering).

    Updates and deletes honour `If-Match`: send the ETag of your last read and a change
    made by someone else in between gets 412 instead of being overwritten. The check runs
    under a row lock, in the same transaction as the write.
    """

    shape: Shape
    list_shape: Shape | None = None
    visible = None
    write_serializer_class = None
    order = BySlug
    list_order = ListOrder("slug")
    pagination_class = KeysetCursorPagination
    lookup_field = "slug"
    # The list's name in events.facets.results.FACETS when it takes ?facet= and ?histogram=.
    facets_list: str | None = None

    def get_queryset(self):
        return self.visible(user=self.request.user)

    def get_serializer_class(self):
        if self.action in WRITE_ACTIONS:
            return self.write_serializer_class
        return serializer_for(self.shape)

    def get_serializer(self, *args, **kwargs):
        if "data" in kwargs:
            refuse_null_characters(kwargs["data"])
        return super().get_serializer(*args, **kwargs)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            queryset, self.list_order = self.order.apply(queryset, self.request.query_params)
        return queryset

    # -- reads

    def document_of(self, **lookup) -> str | None:
        """The detail document of the visible record matching `lookup`, or None."""
        row = with_documents(self.get_queryset().filter(**lookup), self.request, self.shape).first()
        return row["document"] if row else None

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(with_documents(queryset, request, self.list_shape or self.shape))
        extra = None
        if self.facets_list is not None and getattr(self, "filterset", None) is not None:
            extra = facets_answer(request, self.filterset, [queryset], self.facets_list)
        return page_response(request, [row["document"] for row in rows], self.paginator, extra)

    def retrieve(self, request, *args, **kwargs):
        # A detail is looked up by its key alone: list filters do not apply to it.
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        document = None if "\x00" in str(lookup) else self.document_of(**{self.lookup_field: lookup})
        if document is None:
            # The words get_object_or_404 would use, as on every other detail route.
            raise Http404(f"No {self.get_queryset().model._meta.object_name} matches the given query.")
        return document_response(request, document)

    # -- writes

    def get_object(self):
        # PostgreSQL cannot compare a text with a null character: no such record, not a 500.
        if "\x00" in str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")):
            raise Http404()
        return super().get_object()

    def saved(self, instance, status_code: int):
        """The answer to a write: the record's document, exactly as a GET would answer it."""
        return document_response(self.request, self.document_of(pk=instance.pk), status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.saved(serializer.save(), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.locked_if_matching()
            serializer = self.get_serializer(
                instance, data=request.data, partial=kwargs.get("partial", False)
            )
            serializer.is_valid(raise_exception=True)
            return self.saved(serializer.save(), status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self.locked_if_matching().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def locked_if_matching(self):
        """The record, locked for this transaction; a 412 when If-Match names another version of it."""
        instance = self.get_object()
        type(instance).objects.select_for_update().filter(pk=instance.pk).exists()
        header = self.request.headers.get("If-Match")
        if header and header.strip() != "*":
            wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
            if etag_of(self.document_of(pk=instance.pk)) not in wanted:
                raise PreconditionFailed()
        return self.get_object()

    def finalize_response(self, request, response, *args, **kwargs):
        errors_as_json(request, response)
        response = super().finalize_response(request, response, *args, **kwargs)
        set_cache_headers(request, response)
        return response


def _actions(description: str, shape: Shape, write, list_shape: Shape | None = None):
    noun = str(model_of(shape.label)._meta.verbose_name)
    return extend_schema_view(
        **record_actions(noun, description, serializer_for(list_shape or shape), serializer_for(shape), write)
    )


@_actions(
    "Events, filterable; ordered by date (finer precision first), then id.",
    shapes.EVENT,
    serializers.EventWriteSerializer,
)
class EventViewSet(RecordViewSet):
    shape = shapes.EVENT
    visible = staticmethod(selectors.events_visible)
    filterset_class = filters.EventFilter
    write_serializer_class = serializers.EventWriteSerializer
    order = ByDate
    facets_list = "events"


@_actions(
    "Statements, filterable; ordered by date (finer precision first), then id.",
    shapes.STATEMENT,
    serializers.StatementWriteSerializer,
)
class StatementViewSet(RecordViewSet):
    shape = shapes.STATEMENT
    visible = staticmethod(selectors.statements_visible)
    filterset_class = filters.StatementFilter
    write_serializer_class = serializers.StatementWriteSerializer
    order = ByDate
    facets_list = "statements"


@_actions(
    "Actors: people, states, organisations, armed groups; ordered by slug.",
    shapes.ACTOR,
    serializers.ActorWriteSerializer,
)
class ActorViewSet(RecordViewSet):
    shape = shapes.ACTOR
    visible = staticmethod(selectors.actors_visible)
    filterset_class = filters.ActorFilter
    write_serializer_class = serializers.ActorWriteSerializer


@_actions(
    "Conflicts and crises with their parties; ordered by slug.",
    shapes.CONFLICT,
    serializers.ConflictWriteSerializer,
)
class ConflictViewSet(RecordViewSet):
    shape = shapes.CONFLICT
    visible = staticmethod(selectors.conflicts_visible)
    filterset_class = filters.ConflictFilter
    write_serializer_class = serializers.ConflictWriteSerializer


@_actions(
    "Source documents; the detail carries the full text citations point into.",
    shapes.SOURCE_DETAIL,
    serializers.SourceWriteSerializer,
    list_shape=shapes.SOURCE,
)
class SourceViewSet(RecordViewSet):
    shape = shapes.SOURCE_DETAIL
    list_shape = shapes.SOURCE
    visible = staticmethod(selectors.sources_visible)
    filterset_class = filters.SourceFilter
    write_serializer_class = serializers.SourceWriteSerializer
