"""/api/v1/timeline/: events and statements in one chronological stream.

Filtering reuses the list filters: `TimelineFilter` validates the whole query string
(unknown parameters, bad values and unknown slugs are a 400 naming the parameter, as on
every list), then `EventFilter` runs over `selectors.event_list` and `StatementFilter`
over `selectors.statement_list`, each with the parameters it understands. Two
parameters are the timeline's own: `kind` (event, statement) picks the streams, and
`actor` on statements means the speaker or an actor spoken about. `type` is an event
type: statements have none, so giving it leaves statements out.

Both streams are ordered by `events.sorting.sort_key_expression("date")` with kind tags
"e" and "s": date, finer precision first, then the row, undated items last (events
before statements, each by id). Every row's `sort_key` is unique across the two tables,
so one signed cursor (the key of the last item seen, as in `events.api.pagination`)
points into the merged stream. A page of N runs two queries (plus their prefetches),
each fetching up to N+1 rows past the cursor, and merges them in Python: the query
count does not grow with N. Pages carry `next` and `previous` links.

`?format=csv` streams every matching item (no pagination), reading both tables in
chunks, so memory stays flat however long the export. `?format=timelinejs` returns a
TimelineJS3 document of at most TIMELINEJS_MAX_ITEMS dated items (undated ones cannot be
placed on a TimelineJS timeline and are counted in its title instead).
"""

import heapq
import itertools
import json
from collections.abc import Iterable, Iterator
from operator import attrgetter, itemgetter

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict, StreamingHttpResponse
from django_filters import rest_framework as filters
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import permissions, serializers
from rest_framework.pagination import Cursor
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param
from rest_framework.views import APIView

from events import selectors
from events.api.documents import cited_source_urls, with_documents
from events.api.filters import (
    DateRangeFilterSet,
    EventFilter,
    StatementFilter,
    citing,
    events_in_conflicts,
    events_involving,
    statements_in_conflicts,
)
from events.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, KeysetCursorPagination
from events.api.renderers import TimelineCSVRenderer, TimelineJSRenderer
from events.api.serializers import EventSerializer, StatementSerializer
from events.api.views import BAD_REQUEST, CachingMixin, DocumentsResponse
from events.choices import DatePrecision, EventType, ReviewStatus, StatementKind
from events.models import Actor, Conflict, Event, Source, Statement
from events.sorting import with_sort_key

KINDS = ("event", "statement")
KIND_TAGS = {Event: "e", Statement: "s"}
# The parameters each list filter is given; the rest are the timeline's own.
# The parameters each list filter is given; the rest are the timeline's own. The slug
# parameters (actor, conflict, source) are checked once, by TimelineFilter, and applied
# here with the records found, so each costs one query however many streams use it.
EVENT_PARAMETERS = (
    "type",
    "date_after",
    "date_before",
    "date_match",
    "precision",
    "q",
    "updated_since",
    "status",
)
STATEMENT_PARAMETERS = (
    "date_after",
    "date_before",
    "date_match",
    "precision",
    "q",
    "updated_since",
    "status",
)
CSV_CHUNK_SIZE = 500
TIMELINEJS_MAX_ITEMS = 5000


class TimelineFilter(DateRangeFilterSet):
    """Validates the timeline's query string and filters the event and statement streams.

    The date parameters (date_after, date_before, date_match, precision, updated_since,
    status) are DateRangeFilterSet's; there is no `ordering`: the timeline is in date order.
    """

    ordering = None  # drop the inherited parameter
    actor = filters.ModelMultipleChoiceFilter(
        queryset=Actor.objects.all(),
        to_field_name="slug",
        method="noop",
        help_text="Actor slug; repeat for several (see actor_mode). Events: a participant; statements: the speaker or an actor spoken about.",
    )
    actor_mode = filters.ChoiceFilter(
        method="noop",
        choices=[("any", "any"), ("all", "all")],
        help_text="any (default): items involving at least one of the actors; all: every one.",
    )
    conflict = filters.ModelMultipleChoiceFilter(
        queryset=Conflict.objects.all(), to_field_name="slug", method="noop", help_text="Conflict slug."
    )
    type = filters.MultipleChoiceFilter(
        choices=EventType.choices,
        method="noop",
        help_text="Event type. Statements have no type, so this restricts the stream to events.",
    )
    kind = filters.MultipleChoiceFilter(
        choices=[(kind, kind) for kind in KINDS],
        method="noop",
        help_text="event or statement (default: both).",
    )
    source = filters.ModelMultipleChoiceFilter(
        queryset=Source.objects.all(), to_field_name="slug", method="noop", help_text="Source slug."
    )
    q = filters.CharFilter(
        method="noop",
        help_text="Full-text search of event titles and summaries, statements' words and cited excerpts.",
    )

    class Meta(DateRangeFilterSet.Meta):
        fields = []

    def __init__(self, data=None, *, request=None):
        # The timeline filters two tables; the queryset FilterSet insists on is not used.
        super().__init__(data, queryset=Event.objects.none(), request=request)

    def filter_queryset(self, queryset):  # pragma: no cover - guards against misuse
        raise TypeError("TimelineFilter filters two tables: use streams()")

    def _subset(self, names: Iterable[str]) -> QueryDict:
        subset = QueryDict(mutable=True)
        for name in names:
            if name in self.data:
                values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data[name]]
                subset.setlist(name, values)
        return subset

    def _filtered(self, filterset_class, queryset: QuerySet, names: Iterable[str]) -> QuerySet:
        filterset = filterset_class(self._subset(names), queryset=queryset, request=self.request)
        if not filterset.is_valid():  # pragma: no cover - the same values already passed is_valid()
            raise translate_validation(filterset.errors)
        return filterset.qs

    def _statements_concerning(self, queryset: QuerySet, actors, mode: str | None) -> QuerySet:
        def concerning(chosen) -> Q:
            about = Statement.about.through.objects.filter(statement=OuterRef("pk"), actor__in=chosen)
            return Q(speaker__in=chosen) | Q(Exists(about))

        if mode == "all":
            for actor in actors:
                queryset = queryset.filter(concerning([actor]))
            return queryset
        return queryset.filter(concerning(actors))

    def streams(self, user, *, related: bool = True) -> list[QuerySet]:
        """The filtered event and statement querysets (those `kind`/`type` keep), sort-keyed.

        `related`: fetch what the serializers need with each row (prefetches); documents
        written by PostgreSQL bring their related records themselves. Call after is_valid().
        """
        event_rows = selectors.event_list if related else selectors.events_visible
        statement_rows = selectors.statement_list if related else selectors.statements_visible
        data = self.form.cleaned_data
        kinds = set(data.get("kind") or KINDS)
        actors, conflicts, sources = (list(data.get(name) or []) for name in ("actor", "conflict", "source"))
        streams = []
        if "event" in kinds:
            events = self._filtered(EventFilter, event_rows(user=user), EVENT_PARAMETERS)
            events = events_involving(events, actors, mode=data.get("actor_mode"))
            events = events_in_conflicts(events, conflicts) if conflicts else events
            events = citing(events, sources, "event") if sources else events
            streams.append(with_sort_key(events, "date", kind_tag=KIND_TAGS[Event]))
        if "statement" in kinds and not data.get("type"):
            statements = self._filtered(StatementFilter, statement_rows(user=user), STATEMENT_PARAMETERS)
            if actors:
                statements = self._statements_concerning(statements, actors, data.get("actor_mode"))
            statements = statements_in_conflicts(statements, conflicts) if conflicts else statements
            statements = citing(statements, sources, "statement") if sources else statements
            streams.append(with_sort_key(statements, "date", kind_tag=KIND_TAGS[Statement]))
        return streams


def merged(streams: Iterable[Iterable], *, descending: bool = False, key=attrgetter("sort_key")) -> Iterator:
    """Rows of several streams, each already ordered by sort_key, as one stream in that order.

    PostgreSQL compares the keys with the "C" collation, i.e. by code point: as Python does.
    Rows are model instances; pass `key` for other rows.
    """
    return heapq.merge(*streams, key=key, reverse=descending)


class MergedCursorPagination(KeysetCursorPagination):
    """Keyset pagination over several sort-keyed streams merged into one.

    Cursors have the form of KeysetCursorPagination's (signed {reverse, position,
    ordering}); the ordering name differs, so a cursor of another list is refused.
    """

    ordering_name = "timeline-date"

    def paginate_streams(self, streams: list[QuerySet], request) -> list:
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
        # One query: each stream's first N+1 rows past the cursor (an index range scan on
        # its stored key), merged and cut by PostgreSQL.
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


class TimelineEventSerializer(EventSerializer):
    """An event in the timeline: `kind` "event", then the fields of /events/."""

    kind = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = ["kind", *EventSerializer.Meta.fields]

    @extend_schema_field({"type": "string", "enum": ["event"]})
    def get_kind(self, instance) -> str:
        return "event"


class TimelineStatementSerializer(StatementSerializer):
    """A statement in the timeline: `kind` "statement", then the fields of /statements/.

    The statement's own `kind` (quote or paraphrase) is `statement_kind` here.
    """

    kind = serializers.SerializerMethodField()
    statement_kind = serializers.ChoiceField(
        source="kind", choices=StatementKind.choices, read_only=True, help_text="quote or paraphrase."
    )

    class Meta(StatementSerializer.Meta):
        fields = [
            "kind",
            *("statement_kind" if name == "kind" else name for name in StatementSerializer.Meta.fields),
        ]

    @extend_schema_field({"type": "string", "enum": ["statement"]})
    def get_kind(self, instance) -> str:
        return "statement"


def serialize_items(rows: Iterable, context: dict) -> list[dict]:
    """Timeline items (dicts) for event and statement rows, in the given order."""
    by_model = {
        Event: TimelineEventSerializer(context=context),
        Statement: TimelineStatementSerializer(context=context),
    }
    return [by_model[type(row)].to_representation(row) for row in rows]


def csv_items(streams: list[QuerySet], request, chunk_size: int | None = None) -> Iterator[dict]:
    """Every item of the streams in timeline order, read through server-side cursors in chunks.

    Items are the JSON documents PostgreSQL builds (as on JSON pages), each with
    `source_urls`, the cited sources' own addresses, once each and in citation order.
    """
    chunk_size = chunk_size or CSV_CHUNK_SIZE
    links_of = {Event: "event", Statement: "statement"}
    rows = merged(
        (
            with_documents(
                queryset, request, kind=True, source_urls=cited_source_urls(links_of[queryset.model])
            )
            .order_by("sort_key")
            .iterator(chunk_size=chunk_size)
            for queryset in streams
        ),
        key=itemgetter("sort_key"),
    )
    for row in rows:
        item = json.loads(row["document"])
        item["source_urls"] = [url for url in dict.fromkeys(row["source_urls"]) if url]
        yield item


def timelinejs_data(streams: list[QuerySet], context: dict, limit: int | None = None) -> dict:
    """The first `limit` dated items, how many undated items were left out, and whether it was cut."""
    limit = limit or TIMELINEJS_MAX_ITEMS
    dated = [
        list(queryset.filter(date_start__isnull=False).order_by("sort_key")[: limit + 1])
        for queryset in streams
    ]
    rows = list(itertools.islice(merged(dated), limit + 1))
    return {
        "results": serialize_items(rows[:limit], context),
        "undated": sum(queryset.filter(date_start__isnull=True).count() for queryset in streams),
        "truncated_at": limit if len(rows) > limit else None,
    }


def _many(name: str, description: str, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, str, many=True, explode=True, enum=enum, description=description)


TIMELINE_PARAMETERS = [
    _many(
        "actor",
        "Actor slug; repeat for several. Events: a participant; statements: the speaker or an actor spoken about. "
        "An unknown slug is a 400.",
    ),
    OpenApiParameter(
        "actor_mode",
        str,
        enum=["any", "all"],
        description="any (default): at least one of the actors; all: every one.",
    ),
    _many("conflict", "Conflict slug; repeat for several."),
    _many(
        "type",
        "Event type; repeat for several. Statements have no type, so giving `type` restricts the stream to events.",
        EventType.values,
    ),
    _many("kind", "event or statement (default: both).", list(KINDS)),
    OpenApiParameter("date_after", OpenApiTypes.DATE, description="YYYY-MM-DD: items on or after this day."),
    OpenApiParameter(
        "date_before", OpenApiTypes.DATE, description="YYYY-MM-DD: items on or before this day."
    ),
    OpenApiParameter(
        "date_match",
        str,
        enum=["overlaps", "within"],
        description="overlaps (default): the item may fall in the range; within: it certainly does. "
        "Undated items match no range.",
    ),
    _many("precision", "Date precision; repeat for several.", DatePrecision.values),
    _many("source", "Source slug: items citing that source."),
    OpenApiParameter(
        "q",
        str,
        description="Full-text search (web-search syntax) of event titles and summaries, statements' words "
        "and cited excerpts.",
    ),
    OpenApiParameter(
        "updated_since", OpenApiTypes.DATETIME, description="ISO 8601 date-time: items changed since then."
    ),
    _many("status", "Review status; only editors see anything but published.", ReviewStatus.values),
    OpenApiParameter(
        "cursor", str, description="Opaque cursor from a page's `next` or `previous` link (json only)."
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
        description=f"Items per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}; json only).",
    ),
    OpenApiParameter(
        "format",
        str,
        enum=["json", "csv", "timelinejs", "api"],
        description="json (default): pages of items; csv: every item, one row each (not paginated); "
        f"timelinejs: a TimelineJS3 document of up to {TIMELINEJS_MAX_ITEMS} dated items (not paginated); "
        "api: the browsable API.",
    ),
]

TIMELINE_ITEMS = PolymorphicProxySerializer(
    component_name="TimelineItem",
    serializers=[TimelineEventSerializer, TimelineStatementSerializer],
    resource_type_field_name="kind",
    many=True,
)


class TimelinePageSerializer(serializers.Serializer):
    """A page of the stream (format=json)."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TIMELINE_ITEMS


class TimelineJSDocumentSerializer(serializers.Serializer):
    """A TimelineJS3 document (format=timelinejs): see https://timeline.knightlab.com/docs/json-format.html."""

    title = serializers.DictField(help_text="The title slide, saying how many undated items were left out.")
    events = serializers.ListField(child=serializers.DictField(), help_text="One slide per dated item.")


TIMELINE_JSON = PolymorphicProxySerializer(
    component_name="TimelineJSON",
    serializers=[TimelinePageSerializer, TimelineJSDocumentSerializer],
    resource_type_field_name=None,
)

TIMELINE_DESCRIPTION = """Events and statements in one chronological stream.

Order: start date, then finer precision first (a day before the month containing it),
then a stable tiebreaker; undated items last (events, then statements). Each item is
`kind` ("event" or "statement") followed by the fields of /events/ or /statements/ (a
statement's own kind, quote or paraphrase, is `statement_kind`).

Filters are those of /events/ and /statements/: `actor` matches event participants,
statement speakers and actors spoken about; `type` is an event type, so it restricts
the stream to events. Unknown parameters, bad values and unknown slugs are a 400.

Formats (`format=`): json (default) is paginated by cursor (`next` and `previous`
links; `page_size` 1 to 500, default 50). csv streams every matching item as UTF-8 with
a byte order mark, one row per item, columns kind, slug, date_start, date_end,
date_precision, date_text, title, text, type, actors, conflicts, location, citations,
source_urls, url; cells starting with = + - @ are prefixed with a single quote.
timelinejs returns a TimelineJS3 document (application/json) of at most 5000 dated
items; undated items cannot be placed on it and are counted in its title slide. Neither
csv nor timelinejs is paginated: they ignore `cursor` and `page_size`."""


class TimelineView(CachingMixin, APIView):
    """Events and statements in one chronological stream (see TIMELINE_DESCRIPTION)."""

    # Reads are open to all; what each user may see is decided by the selectors.
    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, TimelineCSVRenderer, TimelineJSRenderer]
    pagination_class = MergedCursorPagination

    @extend_schema(
        operation_id="timeline_list",
        description=TIMELINE_DESCRIPTION,
        parameters=TIMELINE_PARAMETERS,
        responses={
            (200, "application/json"): OpenApiResponse(
                TIMELINE_JSON,
                description="A page of the stream; with format=timelinejs, a TimelineJS3 document instead.",
            ),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="format=csv: every matching item."
            ),
            (400, "application/json"): BAD_REQUEST,
        },
    )
    def get(self, request, *args, **kwargs):
        filterset = TimelineFilter(request.query_params, request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        renderer = request.accepted_renderer
        # Only TimelineJS goes through the serializers; the rest reads documents.
        streams = filterset.streams(request.user, related=isinstance(renderer, TimelineJSRenderer))
        context = {"request": request, "view": self}
        if isinstance(renderer, TimelineCSVRenderer):
            response = StreamingHttpResponse(
                renderer.stream(csv_items(streams, request)),
                content_type=f"{renderer.media_type}; charset={renderer.charset}",
            )
            response["Content-Disposition"] = f'attachment; filename="{renderer.filename}"'
            return response
        if isinstance(renderer, TimelineJSRenderer):
            return Response(timelinejs_data(streams, context))
        # JSON pages: each item's document is written by PostgreSQL (events.api.documents).
        paginator = self.pagination_class()
        page = paginator.paginate_streams(
            [with_documents(stream, request, kind=True) for stream in streams], request
        )
        if getattr(renderer, "format", None) != "json":  # the browsable API renders parsed data
            return paginator.get_paginated_response([json.loads(row["document"]) for row in page])
        return DocumentsResponse.page(page, paginator)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever format was asked for: a CSV or TimelineJS error body helps no one.
        if response.status_code >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), TimelineCSVRenderer | TimelineJSRenderer
        ):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        # Vary and Cache-Control as on every list (CachingMixin).
        return super().finalize_response(request, response, *args, **kwargs)
