"""The API's endpoints: thin views over selectors, filters, serializers and the paginator."""

import hashlib
import json
import re

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Collate
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers, quote_etag
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.renderers import JSONRenderer

from events import selectors
from events.api import filters, serializers
from events.api.documents import with_documents
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
CONFLICT = OpenApiResponse(
    response={"type": "object", "properties": {"detail": {"type": "string"}}},
    description="Other records still refer to this one.",
)
PRECONDITION_FAILED = OpenApiResponse(
    response={"type": "object", "properties": {"detail": {"type": "string"}}},
    description="If-Match did not match: someone changed the record since you read it.",
)
NOT_FOUND = OpenApiResponse(
    response={"type": "object", "properties": {"detail": {"type": "string"}}},
    description="No such record (or not visible to you).",
)


def _documented(list_description: str, serializer, detail_serializer=None, write_serializer=None) -> dict:
    """Schema of a viewset: the read shapes, the write input, and the 400/404/409 bodies."""
    detail = detail_serializer or serializer
    write = write_serializer or detail
    return {
        "list": extend_schema(
            description=list_description, responses={200: serializer(many=True), 400: BAD_REQUEST}
        ),
        "retrieve": extend_schema(responses={200: detail, 404: NOT_FOUND}),
        "create": extend_schema(request=write, responses={201: detail, 400: BAD_REQUEST}),
        "update": extend_schema(request=write, responses={200: detail, 400: BAD_REQUEST, 404: NOT_FOUND}),
        "partial_update": extend_schema(
            request=write, responses={200: detail, 400: BAD_REQUEST, 404: NOT_FOUND}
        ),
        "destroy": extend_schema(responses={204: None, 404: NOT_FOUND, 409: CONFLICT}),
    }


def set_cache_control(request, response) -> None:
    """Who may keep a copy of a read, and for how long (settings.API_CACHE_SECONDS).

    Anonymous answers are the same for everyone, so a shared cache may hold them; editors
    see drafts, so their answers are private to their browser.
    """
    if request.user and request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    elif settings.API_CACHE_SECONDS > 0:
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
    else:
        patch_cache_control(response, public=True, no_cache=True)


class CachingMixin:
    """Vary and Cache-Control on reads. ETag and 304s come from Django's
    ConditionalGetMiddleware, which hashes the body: exact, whatever changed.

    No Last-Modified: an answer embeds related records (an actor's name in every event it
    takes part in) and a page changes when an item leaves it, and no single timestamp
    follows all of that. A client sending only If-Modified-Since would get a 304 for a
    changed answer. Answers differ by user (editors see drafts), so caches must key on
    the credentials too.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            set_cache_control(request, response)
        return response


WRITE_ACTIONS = {"create", "update", "partial_update"}


class DocumentsResponse(HttpResponse):
    """A JSON answer spliced from documents PostgreSQL wrote (see `events.api.documents`)."""

    def __init__(self, body: str):
        super().__init__(body, content_type="application/json")

    @classmethod
    def page(cls, rows: list[dict], paginator) -> "DocumentsResponse":
        """A page of document rows in the paginators' shape: {next, previous, results}."""
        body = "".join(
            [
                '{"next":',
                json.dumps(paginator.get_next_link()),
                ',"previous":',
                json.dumps(paginator.get_previous_link()),
                ',"results":[',
                ",".join(row["document"] for row in rows),
                "]}",
            ]
        )
        return cls(body)


class DocumentsMixin:
    """JSON lists and details whose items PostgreSQL writes: one query, no serializer on the way.

    The DRF serializer still defines the shape (and the OpenAPI schema); the documents
    equal its output (tested). Other formats (the browsable API) take the serializer path.
    """

    visible = None  # selector: what the user may see, e.g. selectors.events_visible
    listed = None  # selector: the same with related records prefetched (the serializer's path)

    def _documents_wanted(self) -> bool:
        return (
            self.request.method in ("GET", "HEAD")
            and getattr(self.request, "accepted_renderer", None) is not None
            and self.request.accepted_renderer.format == "json"
        )

    def get_queryset(self):
        # Documents bring their related records themselves: no prefetches to set up.
        selector = self.visible if self._documents_wanted() else self.listed
        return selector(user=self.request.user)

    def document_rows(self, queryset):
        return with_documents(queryset, self.request)

    def list(self, request, *args, **kwargs):
        if not self._documents_wanted():
            return super().list(request, *args, **kwargs)
        rows = self.paginate_queryset(self.document_rows(self.filter_queryset(self.get_queryset())))
        return DocumentsResponse.page(rows, self.paginator)

    def document_of(self, instance_filter: dict) -> dict | None:
        # A detail is looked up by its key alone: list filters do not apply to it.
        return self.document_rows(self.get_queryset().filter(**instance_filter)).first()

    def retrieve(self, request, *args, **kwargs):
        if not self._documents_wanted():
            return super().retrieve(request, *args, **kwargs)
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        row = None if "\x00" in str(lookup) else self.document_of({self.lookup_field: lookup})
        if row is None:
            # The words get_object_or_404 would use, as on every other detail route.
            raise Http404(f"No {self.get_queryset().model._meta.object_name} matches the given query.")
        return DocumentsResponse(row["document"])

    def current_etag(self, instance) -> str:
        """The ETag a GET of this record would carry now: the hash of its document."""
        row = self.document_of({"pk": instance.pk})
        return quote_etag(hashlib.md5(row["document"].encode(), usedforsecurity=False).hexdigest())


def _refuse_null_characters(data, path: str = "") -> None:
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
            _refuse_null_characters(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _refuse_null_characters(value, f"{path}[{index}]")


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = (
        "the record changed since you read it (its ETag no longer matches If-Match); read it again"
    )
    default_code = "precondition_failed"


class WritableMixin:
    """Writes take slugs and source words (a write serializer) and answer with the read shape.

    Updates and deletes honour `If-Match`: send the ETag of your last read and a change
    made by someone else in between gets 412 instead of being overwritten. The check
    runs under a row lock, in the same transaction as the write.
    """

    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in WRITE_ACTIONS and self.write_serializer_class is not None:
            return self.write_serializer_class
        return super().get_serializer_class()

    def get_serializer(self, *args, **kwargs):
        if "data" in kwargs:
            _refuse_null_characters(kwargs["data"])
        return super().get_serializer(*args, **kwargs)

    def get_object(self):
        # PostgreSQL cannot compare a text with a null character: no such record, not a 500.
        if "\x00" in str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")):
            raise NotFound()
        return super().get_object()

    def current_etag(self, instance) -> str:
        """The ETag a GET of this record would carry now (ConditionalGetMiddleware's body hash)."""
        read = self.serializer_class(instance, context=self.get_serializer_context())
        body = JSONRenderer().render(read.data)
        return quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest())

    def check_if_match(self) -> None:
        header = self.request.headers.get("If-Match")
        if not header or header.strip() == "*":
            return
        instance = self.get_object()
        type(instance).objects.select_for_update().filter(pk=instance.pk).exists()
        instance = self.get_object()
        wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
        if self.current_etag(instance) not in wanted:
            raise PreconditionFailed()

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            self.check_if_match()
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self.check_if_match()
            return super().destroy(request, *args, **kwargs)


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
        if ordering == "relevance" and not self.request.query_params.get("q", "").strip():
            raise ValidationError({"ordering": ["relevance ordering needs a q search"]})
        self.ordering_name, self.sort_descending = ordering, is_descending(ordering)
        return with_sort_key(queryset, ordering, kind_tag=self.kind_tag)


class SlugOrderedMixin:
    """Lists ordered by slug, through the same cursor pagination as the timeline lists."""

    ordering_name = "slug"

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).annotate(sort_key=Collate(F("slug"), "C"))


@extend_schema_view(
    **_documented(
        "Events, filterable; ordered by date (finer precision first), then id.",
        serializers.EventSerializer,
        write_serializer=serializers.EventWriteSerializer,
    )
)
class EventViewSet(CachingMixin, DocumentsMixin, WritableMixin, TimelineOrderingMixin, viewsets.ModelViewSet):
    serializer_class = serializers.EventSerializer
    write_serializer_class = serializers.EventWriteSerializer
    filterset_class = filters.EventFilter
    pagination_class = KeysetCursorPagination
    lookup_field = "slug"

    visible = staticmethod(selectors.events_visible)
    listed = staticmethod(selectors.event_list)


@extend_schema_view(
    **_documented(
        "Statements, filterable; ordered by date (finer precision first), then id.",
        serializers.StatementSerializer,
        write_serializer=serializers.StatementWriteSerializer,
    )
)
class StatementViewSet(
    CachingMixin, DocumentsMixin, WritableMixin, TimelineOrderingMixin, viewsets.ModelViewSet
):
    serializer_class = serializers.StatementSerializer
    write_serializer_class = serializers.StatementWriteSerializer
    filterset_class = filters.StatementFilter
    pagination_class = KeysetCursorPagination
    lookup_field = "slug"

    visible = staticmethod(selectors.statements_visible)
    listed = staticmethod(selectors.statement_list)


@extend_schema_view(
    **_documented(
        "Actors: people, states, organisations, armed groups; ordered by slug.",
        serializers.ActorSerializer,
        write_serializer=serializers.ActorWriteSerializer,
    )
)
class ActorViewSet(CachingMixin, DocumentsMixin, WritableMixin, SlugOrderedMixin, viewsets.ModelViewSet):
    serializer_class = serializers.ActorSerializer
    write_serializer_class = serializers.ActorWriteSerializer
    filterset_class = filters.ActorFilter
    pagination_class = KeysetCursorPagination
    lookup_field = "slug"

    visible = staticmethod(selectors.actors_visible)
    listed = staticmethod(selectors.actor_list)


@extend_schema_view(
    **_documented(
        "Conflicts and crises with their parties; ordered by slug.",
        serializers.ConflictSerializer,
        write_serializer=serializers.ConflictWriteSerializer,
    )
)
class ConflictViewSet(CachingMixin, WritableMixin, SlugOrderedMixin, viewsets.ModelViewSet):
    serializer_class = serializers.ConflictSerializer
    write_serializer_class = serializers.ConflictWriteSerializer
    filterset_class = filters.ConflictFilter
    pagination_class = KeysetCursorPagination
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.conflict_list()


@extend_schema_view(
    **_documented(
        "Source documents; the detail carries the full text citations point into.",
        serializers.SourceSerializer,
        serializers.SourceDetailSerializer,
        serializers.SourceWriteSerializer,
    )
)
class SourceViewSet(CachingMixin, WritableMixin, SlugOrderedMixin, viewsets.ModelViewSet):
    # The detail shape (with the text) is what a GET of one source returns, hence its ETag.
    serializer_class = serializers.SourceDetailSerializer
    filterset_class = filters.SourceFilter
    pagination_class = KeysetCursorPagination
    lookup_field = "slug"

    def get_serializer_class(self):
        if self.action in WRITE_ACTIONS:
            return serializers.SourceWriteSerializer
        return (
            serializers.SourceDetailSerializer if self.action == "retrieve" else serializers.SourceSerializer
        )

    def get_queryset(self):
        queryset = selectors.source_list()
        return queryset if self.action == "retrieve" else queryset.defer("text", "furniture")
