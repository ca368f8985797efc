"""What the OpenAPI document says about /api/v1/timeline/, derived from its filter and shapes.

The query parameters are read off `TimelineFilter` (its filters, their choices and help
texts), so a parameter the view accepts is always documented and a documented one always
accepted. The items are the timeline's shapes (`events.read_model.shapes`).
"""

from __future__ import annotations

from django_filters import filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer
from rest_framework import serializers

from events.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from events.api.timeline.exports import TIMELINEJS_MAX_ITEMS
from events.api.timeline.filters import TimelineFilter
from events.read_model.serializers import serializer_for
from events.read_model.shapes import TIMELINE_EVENT, TIMELINE_STATEMENT

DESCRIPTION = """Events and statements in one chronological stream.

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
source_urls, url; cells starting with = + - @ are prefixed with a single quote. An
export holds at most API_EXPORT_MAX_ITEMS items (20,000 unless configured): a broader
query is a 400 asking for narrower filters or pointing to /api/v1/dump/. The header
X-Export-Items says how many rows follow, so a file cut off on the way can be told.
timelinejs returns a TimelineJS3 document (application/json) of at most 5000 dated
items; undated items cannot be placed on it and are counted in its title slide. Neither
csv nor timelinejs is paginated: they ignore `cursor` and `page_size`."""

_TYPES = (
    (filters.IsoDateTimeFilter, OpenApiTypes.DATETIME),
    (filters.DateFilter, OpenApiTypes.DATE),
)


def _choices(filter_) -> list[str] | None:
    choices = filter_.extra.get("choices")
    return [str(value) for value, _ in choices] if choices else None


def filter_parameters(filterset_class) -> list[OpenApiParameter]:
    """One query parameter per filter of `filterset_class`: its type, whether it repeats, its choices, its help."""
    parameters = []
    for name, filter_ in filterset_class.base_filters.items():
        many = isinstance(filter_, filters.MultipleChoiceFilter | filters.ModelMultipleChoiceFilter)
        kind = next((schema for cls, schema in _TYPES if isinstance(filter_, cls)), str)
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                many=many or None,
                explode=True if many else None,
                enum=_choices(filter_)
                if not isinstance(filter_, filters.ModelMultipleChoiceFilter)
                else None,
                description=str(filter_.extra.get("help_text") or ""),
            )
        )
    return parameters


PAGING_PARAMETERS = [
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


EXPORT_ITEMS_HEADER = OpenApiParameter(
    "X-Export-Items",
    int,
    OpenApiParameter.HEADER,
    response=[200],
    description="format=csv: how many items (rows after the header) the export holds; fewer rows "
    "mean the file was cut off on the way.",
)


def parameters() -> list[OpenApiParameter]:
    return filter_parameters(TimelineFilter) + PAGING_PARAMETERS + [EXPORT_ITEMS_HEADER]


ITEMS = PolymorphicProxySerializer(
    component_name="TimelineItem",
    serializers=[serializer_for(TIMELINE_EVENT), serializer_for(TIMELINE_STATEMENT)],
    resource_type_field_name="kind",
    many=True,
)


class TimelinePageSerializer(serializers.Serializer):
    """A page of the stream (format=json)."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ITEMS


class TimelineJSDocumentSerializer(serializers.Serializer):
    """A TimelineJS3 document (format=timelinejs): see https://timeline.knightlab.com/docs/json-format.html."""

    title = serializers.DictField(help_text="The title slide, saying how many undated items were left out.")
    events = serializers.ListField(child=serializers.DictField(), help_text="One slide per dated item.")


JSON_BODY = PolymorphicProxySerializer(
    component_name="TimelineJSON",
    serializers=[TimelinePageSerializer, TimelineJSDocumentSerializer],
    resource_type_field_name=None,
)
