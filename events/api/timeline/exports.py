"""Whole-stream exports of the timeline: `?format=csv`, `?format=ndjson` and `?format=timelinejs`.

Both read the same documents as the JSON pages (`events.api.documents`, the timeline's
item shapes), so an export carries exactly what the API shows. `?format=csv` streams
every matching item (no pagination), reading both tables through server-side cursors in
chunks, so memory stays flat however long the export; `?format=ndjson` streams the same
items as one JSON document per line, exactly as the JSON pages carry them. `?format=timelinejs` returns a
TimelineJS3 document of at most TIMELINEJS_MAX_ITEMS dated items (undated ones cannot be
placed on a TimelineJS timeline and are counted in its title instead).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

from django.db.models import QuerySet

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


def ndjson_documents(streams: list[QuerySet], request, chunk_size: int | None = None) -> Iterator[str]:
    """Every item's document (JSON text, as the pages carry it) in timeline order, read in chunks."""
    chunk_size = chunk_size or CSV_CHUNK_SIZE
    rows = merged(
        item_documents(stream, request).order_by("sort_key").iterator(chunk_size=chunk_size)
        for stream in streams
    )
    for row in rows:
        yield row["document"]


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
