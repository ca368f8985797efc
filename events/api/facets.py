"""`?facet=...` and `?histogram=month|year` on /events/, /statements/ and /timeline/.

The two parameters are filters of each list's FilterSet (so they are validated, refused
when unknown, and documented like every other); asking for either adds to the page:

- `facets`: for each facet asked for, its values among the items of the whole filtered
  list (not only this page), Datasette's way: `{"name", "results": [{"value", "label",
  "count", "toggle_url", "selected"}], "truncated", "timed_out"}`;
- `histogram`: items per month or year (`events.facets.histogram`), each bucket with the
  URL of the list narrowed to it;
- `count`: how many items the filtered list holds (null when counting ran out of time).

What the counts are and where they come from is `events.facets`.
"""

from __future__ import annotations

from django_filters import rest_framework as filters
from rest_framework import serializers

from events.facets import results
from events.facets.counting import FACET_SIZE, TIME_BUDGET_MS
from events.facets.histogram import INTERVALS

FACET_HELP = (
    "Count the filtered list's items by this facet; repeat for several. Adds `facets` (and `count`) "
    f"to the answer: each facet's {FACET_SIZE} most frequent values with their label, count and the URL "
    "toggling that filter. A facet not counted within "
    f"{TIME_BUDGET_MS} ms is reported with timed_out: true and no values."
)
HISTOGRAM_HELP = (
    "month or year: adds `histogram` (and `count`): items per period in date order, empty periods kept; "
    "items known only to the month or year counted apart from those known to the day (by month, "
    "year-only items go in `coarse` buckets of their own); undated items in `undated`."
)


def facet_filter(list_kind: str) -> filters.MultipleChoiceFilter:
    names = results.FACETS[list_kind]
    return filters.MultipleChoiceFilter(
        method="noop", choices=[(name, name) for name in names], help_text=FACET_HELP
    )


def histogram_filter() -> filters.ChoiceFilter:
    return filters.ChoiceFilter(
        method="noop", choices=[(interval, interval) for interval in INTERVALS], help_text=HISTOGRAM_HELP
    )


def requested(cleaned: dict) -> tuple[list[str], str | None]:
    """The facets and the histogram interval a validated query asks for."""
    return list(cleaned.get("facet") or []), cleaned.get("histogram") or None


def facets_answer(request, filterset, streams: list, list_kind: str) -> dict | None:
    """The `facets`, `histogram` and `count` keys of a page's answer; None when neither was asked for."""
    cleaned = filterset.form.cleaned_data
    facets, interval = requested(cleaned)
    if not facets and not interval:
        return None
    query = request.query_params if hasattr(request, "query_params") else request.GET
    counts = results.count(
        list_kind,
        query=query,
        cleaned=cleaned,
        user=request.user,
        streams=streams,
        facets=facets,
        histogram=bool(interval),
    )
    return results.shaped(
        counts,
        list_kind=list_kind,
        query=query,
        facets=facets,
        interval=interval,
        url_for=_absolute(request),
    )


def _absolute(request):
    """`url_for` of the API: absolute links to the same list with another query string."""
    base = request.build_absolute_uri(request.path)
    return lambda query_string: f"{base}?{query_string}" if query_string else base


# -- the schema of what is added


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(
        help_text="The filter parameter's value (a slug, a type, a precision, a kind)."
    )
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Items of the filtered list with this value.")
    toggle_url = serializers.URLField(
        help_text="The list with this value added to the filter (removed if selected)."
    )
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    results = FacetValueSerializer(many=True)
    truncated = serializers.BooleanField(
        help_text=f"More than {FACET_SIZE} values: the rarest are not listed."
    )
    timed_out = serializers.BooleanField(help_text="Counting ran out of time: no values are given.")


class HistogramBucketSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='"2017-03" or "2017".')
    start = serializers.DateField()
    end = serializers.DateField()
    count = serializers.IntegerField()
    by_precision = serializers.DictField(
        child=serializers.IntegerField(), help_text="Counts by date precision."
    )
    url = serializers.URLField(help_text="The list narrowed to this period.")


class HistogramSerializer(serializers.Serializer):
    interval = serializers.ChoiceField(choices=INTERVALS)
    buckets = HistogramBucketSerializer(many=True)
    coarse = HistogramBucketSerializer(many=True, help_text="By month: items known only to their year.")
    undated = serializers.IntegerField()
    timed_out = serializers.BooleanField()


FACET_KEYS_SCHEMA = {
    "facets": {
        "type": "object",
        "description": "With ?facet=: each facet asked for, by name.",
        "additionalProperties": {"$ref": "#/components/schemas/Facet"},
    },
    "histogram": {"description": "With ?histogram=.", "allOf": [{"$ref": "#/components/schemas/Histogram"}]},
    "count": {
        "type": "integer",
        "nullable": True,
        "description": "With ?facet= or ?histogram=: the filtered list's items (null if counting timed out).",
    },
}
