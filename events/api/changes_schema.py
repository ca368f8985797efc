"""What the OpenAPI document says about /api/v1/changes/ and /api/v1/dump/, and every status they answer.

The documents inside entries and dump lines are the detail endpoints' own shapes
(`events.read_model`), so the schema cannot describe another document than the one sent.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers

from events.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from events.api.schema import BAD_REQUEST, DETAIL
from events.changes.kinds import KIND_NAMES, KINDS
from events.read_model.serializers import serializer_for

FEED = f"""The change feed: one entry per change to a record you may read, in commit order.

Start from the first line of a dump (`/api/v1/dump/`), which holds the cursor at which
the dump stands, and ask `?after=CURSOR`. Each page gives `results`, the `cursor` to ask
after next (also in `next`), and `more`: true when another page is ready now; false when
you are at the head: wait a while and ask `next` again (an empty page still has a cursor).
A cursor is opaque and signed; store it with your copy, and apply entries in order:

- `upsert`: the record's document exactly as its detail endpoint returns it now: write it.
- `delete`: the record is gone, or you may no longer see it (unpublished): remove it.
- `merge`: the record was merged into `into` (actors): remove it; records that referred
  to it now refer to `into`, and arrive as upserts of their own.

Order and exactness: entries come in the order of their transactions, and an entry is
shown only once every transaction that could come before it has ended, so no entry ever
appears behind a cursor already handed out. A record appears at every change, each time
as it is when read: a copy that applies every entry ends equal to the database. Renaming
an actor, a conflict, an event or a source changes every document that shows it: those
records are in the feed too. Anonymous readers see published records only: publishing is
an upsert, unpublishing and deleting a delete, and a draft created and deleted never
appears. Accounts with a model's view permission see its drafts' changes too.

Retention: entries are kept {settings.CHANGES_RETENTION_DAYS} days (`CHANGES_RETENTION_DAYS`). An older cursor,
one from another database or one handed to a reader who saw other drafts is answered 410
Gone: start again from the dump. Without `after`, the feed starts at the log's
beginning (410 once it was pruned).

Pages are `page_size` 1 to {MAX_PAGE_SIZE} entries (default {DEFAULT_PAGE_SIZE}). Answers carry an ETag: with
`If-None-Match`, an unchanged page is a 304."""

DUMP = """Every record you may read, in one database snapshot, as newline-delimited JSON (streamed).

Line 1: `{"dump": "event timeline", "format": 1, "cursor": ..., "drafts": [...], "taken_at": ...}`:
`cursor` is the change feed's cursor at which the snapshot stands: follow
`/api/v1/changes/?after=CURSOR` from it and you get every change the dump does not hold
and none that it does. Then one line per record, `{"kind", "slug", "document"}`, the
document exactly as its detail endpoint returns it (sources, actors, conflicts, events,
statements). Last line: `{"end": true, "records": N}`; a dump without it was cut short.

Send `Accept-Encoding: gzip` to receive it compressed. Anonymous clients may take it
`CHANGES_DUMP_ANON_RATE` times (default 6 an hour); then 429 with `Retry-After`. Where
the site publishes its dump as a file (`CHANGES_DUMP_URL`), anonymous requests are
redirected there (302): the file's cursor is followed the same way."""

LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    location=OpenApiParameter.HEADER,
    response=[302],
    description="The published dump file.",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    location=OpenApiParameter.HEADER,
    response=[429],
    description="Seconds to wait before asking again.",
)
THROTTLED = OpenApiResponse(
    response=DETAIL,
    description="Too many requests from this client (anonymous throttling): wait `Retry-After` seconds.",
)
GONE = OpenApiResponse(
    response={
        "type": "object",
        "properties": {
            "detail": {"type": "string", "description": "Why the cursor cannot be followed."},
            "dump": {"type": "string", "format": "uri", "description": "Where to start again."},
        },
        "required": ["detail", "dump"],
    },
    description="The cursor can no longer be followed (older than the retention, another database, "
    "or handed to a reader who sees other drafts): load the dump again and follow its cursor.",
)


def _one_of(values: list[str], help_text: str = "") -> serializers.CharField:
    """A text field documented as one of `values`, inline (a named enum would collide with other `kind`s)."""
    field_class = extend_schema_field({"type": "string", "enum": values})(
        type("OneOfField", (serializers.CharField,), {})
    )
    return field_class(help_text=help_text)


class _Entry(serializers.Serializer):
    cursor = serializers.CharField(help_text="Resume after this entry: `?after=` this cursor.")
    kind = _one_of(KIND_NAMES, "The kind of record.")
    slug = serializers.CharField(help_text="The record's slug (its URL is in the document).")


class UpsertEntrySerializer(_Entry):
    """The record, as its detail endpoint returns it now."""

    op = _one_of(["upsert"])
    document = PolymorphicProxySerializer(
        component_name="ChangeDocument",
        serializers=[serializer_for(kind.shape) for kind in KINDS],
        resource_type_field_name=None,
    )


class DeleteEntrySerializer(_Entry):
    """The record is gone, or no longer visible to you: remove your copy of it."""

    op = _one_of(["delete"])


class MergeEntrySerializer(_Entry):
    """The record was merged into another of the same kind: remove your copy of it."""

    op = _one_of(["merge"])
    into = serializers.CharField(help_text="The slug of the record it was merged into.")


ENTRY = PolymorphicProxySerializer(
    component_name="ChangeEntry",
    serializers={
        "upsert": UpsertEntrySerializer,
        "delete": DeleteEntrySerializer,
        "merge": MergeEntrySerializer,
    },
    resource_type_field_name="op",
    many=True,
)


class ChangesPageSerializer(serializers.Serializer):
    """A page of the change feed."""

    next = serializers.URLField(help_text="This feed after the page's last entry: never null.")
    previous = serializers.URLField(allow_null=True, help_text="Always null: the feed goes forward only.")
    cursor = serializers.CharField(help_text="The cursor to ask after next (in `next` too).")
    more = serializers.BooleanField(help_text="Whether another page is ready now; false at the head.")
    results = ENTRY


feed_schema = extend_schema(
    operation_id="changes_list",
    description=FEED,
    parameters=[
        OpenApiParameter(
            "after",
            str,
            description="Opaque cursor: a dump's first line, or a page's or entry's `cursor`. "
            "Omitted: from the log's beginning.",
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
            description=f"Entries per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
        ),
        OpenApiParameter(
            "format", str, enum=["json", "api"], description="json (default), or api: the browsable API."
        ),
        RETRY_AFTER,
    ],
    responses={
        (200, "application/json"): ChangesPageSerializer,
        (200, "text/html"): OpenApiResponse(
            OpenApiTypes.STR, description="format=api: the browsable API's page."
        ),
        304: OpenApiResponse(
            description="Not modified: the page is the one whose ETag you sent in If-None-Match."
        ),
        400: BAD_REQUEST,
        410: GONE,
        412: OpenApiResponse(description="If-Match was sent and names another version of this page."),
        429: THROTTLED,
    },
)

dump_schema = extend_schema(
    operation_id="dump_retrieve",
    description=DUMP,
    parameters=[RETRY_AFTER, LOCATION],
    responses={
        (200, "application/x-ndjson"): OpenApiResponse(
            OpenApiTypes.STR,
            description="Newline-delimited JSON: the header line with the feed's cursor, one line per record, "
            "the end line. Gzip-compressed (Content-Encoding: gzip) when asked with Accept-Encoding: gzip.",
        ),
        302: OpenApiResponse(
            description="Anonymous requests, where the site publishes its dump as a file (CHANGES_DUMP_URL): "
            "the file is at Location."
        ),
        400: BAD_REQUEST,
        429: THROTTLED,
    },
)
