"""Whole-stream exports of the timeline: `?format=csv` and `?format=timelinejs`.

Both read the same documents as the JSON pages (`events.api.documents`, the timeline's
item shapes), so an export carries exactly what the API shows.

`?format=csv` streams every matching item (no pagination), reading both tables through
server-side cursors in chunks, so memory stays flat. It holds at most
settings.API_EXPORT_MAX_ITEMS items: a broader query is refused before anything is sent
(a 400 pointing to narrower filters or to the dump), so an export finishes well inside a
worker's request timeout. The count and the rows are read in one REPEATABLE READ snapshot
(`Snapshot`), and the count is sent first, in `X-Export-Items`: a file cut off on the way
(a worker killed, a connection lost) has fewer rows than its header says, so it never
looks complete.

`?format=timelinejs` returns a TimelineJS3 document of at most TIMELINEJS_MAX_ITEMS dated
items (undated ones cannot be placed on a TimelineJS timeline and are counted in its title
instead).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from events.api.documents import cited_source_urls, with_documents
from events.api.timeline.pagination import merged
from events.models import Event, Statement
from events.read_model.shapes import TIMELINE_EVENT, TIMELINE_STATEMENT

CSV_CHUNK_SIZE = 500
TIMELINEJS_MAX_ITEMS = 5000
ITEM_SHAPES = {Event: TIMELINE_EVENT, Statement: TIMELINE_STATEMENT}
_CITATION_LINKS = {Event: "event", Statement: "statement"}


def item_documents(stream: QuerySet, request, **extra) -> QuerySet:
    """A stream's rows as {sort_key, document, **extra}: each item's JSON text in the timeline's shape."""
    return with_documents(stream, request, ITEM_SHAPES[stream.model], **extra)


class Snapshot:
    """One read-only REPEATABLE READ transaction around an export: its count and its rows agree.

    Opened by the view, before the answer's headers are made; closed when the answer is
    closed (`close`, registered as one of the response's resource closers), after the
    last row was streamed or the client went away.
    """

    def __init__(self):
        # Inside a caller's transaction (a test's), the snapshot is the caller's to choose.
        outermost = not connection.in_atomic_block
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")

    def close(self) -> None:
        self.atomic.__exit__(None, None, None)


def export_size(streams: list[QuerySet], limit: int | None = None) -> int:
    """How many items the streams hold; a 400 when more than `limit` (settings.API_EXPORT_MAX_ITEMS).

    Counts at most limit + 1 rows of each stream, so a broad query costs what a full
    export would have been allowed to cost, not a count of the whole table.
    """
    limit = limit or settings.API_EXPORT_MAX_ITEMS
    size = sum(stream.order_by()[: limit + 1].count() for stream in streams)
    if size > limit:
        raise ValidationError(
            {
                "format": [
                    f"more than {limit:,} items match, and an export holds at most {limit:,}: narrow the "
                    "filters (a date range with date_after and date_before, an actor, a conflict, a type), "
                    "or download every record at once from /api/v1/dump/"
                ]
            }
        )
    return size


def csv_items(streams: list[QuerySet], request, chunk_size: int | None = None) -> Iterator[dict]:
    """Every item of the streams in timeline order, read through server-side cursors in chunks.

    Each item is its document, parsed, with `source_urls`: the cited sources' own
    addresses, once each and in citation order.
    """
    chunk_size = chunk_size or CSV_CHUNK_SIZE
    rows = merged(
        item_documents(stream, request, source_urls=cited_source_urls(_CITATION_LINKS[stream.model]))
        .order_by("sort_key")
        .iterator(chunk_size=chunk_size)
        for stream in streams
    )
    for row in rows:
        item = json.loads(row["document"])
        item["source_urls"] = [url for url in dict.fromkeys(row["source_urls"]) if url]
        yield item


def timelinejs_data(streams: list[QuerySet], request, limit: int | None = None) -> dict:
    """The first `limit` dated items, how many undated items were left out, and whether it was cut."""
    limit = limit or TIMELINEJS_MAX_ITEMS
    dated = [
        list(
            item_documents(stream.filter(date_start__isnull=False), request).order_by("sort_key")[: limit + 1]
        )
        for stream in streams
    ]
    rows = list(itertools.islice(merged(dated), limit + 1))
    return {
        "results": [json.loads(row["document"]) for row in rows[:limit]],
        "undated": sum(stream.filter(date_start__isnull=True).count() for stream in streams),
        "truncated_at": limit if len(rows) > limit else None,
    }
