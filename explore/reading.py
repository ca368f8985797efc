"""What the timeline page reads, through the API's own filter, streams, pagination and facets.

The page takes the query string of /api/v1/timeline/, parameter for parameter: the same
`TimelineFilter` validates it (unknown parameters, bad values and unknown slugs are
errors naming the parameter, with the closest records offered), the same selectors
decide what the user may see, the same cursor pagination pages it, and the same facet
counting (`events.facets`) counts it. So a page URL and an API URL translate one to one.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.http import QueryDict
from django.urls import reverse
from rest_framework.exceptions import ValidationError

from events.api.timeline.exports import item_documents
from events.api.timeline.filters import TimelineFilter
from events.api.timeline.pagination import MergedCursorPagination
from events.facets import results
from explore import citing
from explore.items import decorated, visual

PAGE_FACETS = list(results.FACETS["timeline"])
# Parameters that shape the page rather than choose its items: left out of the export links.
PAGE_ONLY = ("cursor", "page_size", "facet", "histogram", "format")
# By month while that is readable; by year past ten years of months.
MONTHS_SHOWN_AT_MOST = 120


class ApiRequest:
    """The few things of a request the API's paginator and documents read, from a Django request."""

    def __init__(self, request):
        self._request = request
        self.query_params = request.GET

    def build_absolute_uri(self, location=None):
        return self._request.build_absolute_uri(location)


def relative(url: str | None) -> str | None:
    """An absolute link of this site as a path and query (the page's own links are relative)."""
    if not url:
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class TimelinePage:
    """Everything the timeline page shows; `errors` instead when the query string is refused."""

    query: QueryDict
    errors: dict[str, list[str]] = field(default_factory=dict)
    # For each unknown slug: {"parameter", "value", "options": [(slug, the page with it instead)]}.
    suggestions: list[dict] = field(default_factory=list)
    description: str = ""
    cleaned: dict = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)
    visual_items: list[dict] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    histogram: dict | None = None
    count: int | None = None
    next_url: str | None = None
    previous_url: str | None = None
    exports: dict[str, str] = field(default_factory=dict)
    citation: dict | None = None
    other_interval_url: str | None = None


def _export_links(query: QueryDict) -> dict[str, str]:
    """The API's answers for exactly this view: this page as JSON, every matching item in the other formats."""
    api = reverse("api:timeline")
    everything = query.copy()
    for name in PAGE_ONLY:
        everything.pop(name, None)
    this_page = query.copy()
    for name in ("facet", "histogram"):
        this_page.pop(name, None)
    links = {"json": f"{api}?{this_page.urlencode()}" if this_page else api}
    for format_ in ("csv", "ndjson", "timelinejs"):
        with_format = everything.copy()
        with_format["format"] = format_
        links[format_] = f"{api}?{with_format.urlencode()}"
    return links


def _suggestions(query: QueryDict, closest: dict, timeline_url: str) -> list[dict]:
    """Each unknown slug with the closest records, and the page with each put in its place."""
    found = []
    for parameter, values in closest.items():
        for value, slugs in values.items():
            options = []
            for slug in slugs:
                fixed = query.copy()
                fixed.setlist(
                    parameter, [slug if given == value else given for given in query.getlist(parameter)]
                )
                options.append((slug, f"{timeline_url}?{fixed.urlencode()}"))
            if options:
                found.append({"parameter": parameter, "value": value, "options": options})
    return found


def _interval(query: QueryDict, periods: dict | None) -> str:
    """The histogram's interval: ?histogram= if given, else by month unless that makes too many bars."""
    asked = query.get("histogram")
    if asked:
        return asked
    months = [period[:7] for period, n in (periods or {}).items() if n and period[4:5] == "-"]
    if not months:
        return "month"
    first, last = min(months), max(months)
    span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    return "month" if span <= MONTHS_SHOWN_AT_MOST else "year"


def timeline_page(
    request, *, query: QueryDict | None = None, today: datetime.date | None = None
) -> TimelinePage:
    """The timeline page for `request` (or for `query` instead of its query string, as a record page asks)."""
    query = request.GET if query is None else query
    page = TimelinePage(query=query)
    timeline_url = reverse("explore:timeline")
    api_request = ApiRequest(request)
    api_request.query_params = query
    filterset = TimelineFilter(query, request=request)
    if not filterset.is_valid():
        page.errors = {name: list(messages) for name, messages in filterset.errors.items()}
        page.suggestions = _suggestions(query, filterset.closest_slugs(), timeline_url)
        return page
    page.cleaned = cleaned = filterset.form.cleaned_data
    page.description = citing.view_words(cleaned)
    streams = filterset.streams(request.user)
    paginator = MergedCursorPagination()
    try:
        rows = paginator.paginate_streams(
            [item_documents(stream, api_request) for stream in streams], api_request
        )
    except ValidationError as error:
        page.errors = {
            name: [str(message) for message in messages] for name, messages in error.detail.items()
        }
        return page
    documents = [row["document"] for row in rows]
    page.items = [decorated(json.loads(document)) for document in documents]
    page.visual_items = [drawn for drawn in map(visual, page.items) if drawn]
    page.next_url = relative(paginator.get_next_link())
    page.previous_url = relative(paginator.get_previous_link())

    facets = list(cleaned.get("facet") or PAGE_FACETS)
    counts = results.count(
        "timeline",
        query=query,
        cleaned=cleaned,
        user=request.user,
        streams=streams,
        facets=facets,
        histogram=True,
    )
    interval = _interval(query, counts.periods if isinstance(counts.periods, dict) else None)
    selected_labels = {("actor", a.slug): a.name for a in cleaned.get("actor") or []}
    selected_labels |= {("conflict", c.slug): c.name for c in cleaned.get("conflict") or []}
    shaped = results.shaped(
        counts,
        list_kind="timeline",
        query=query,
        facets=facets,
        interval=interval,
        url_for=lambda query_string: f"{timeline_url}?{query_string}" if query_string else timeline_url,
        selected_labels=selected_labels,
    )
    page.facets, page.histogram, page.count = shaped["facets"], shaped["histogram"], shaped["count"]
    other = query.copy()
    other.pop("cursor", None)
    other["histogram"] = "year" if interval == "month" else "month"
    page.other_interval_url = f"{timeline_url}?{other.urlencode()}"
    page.exports = _export_links(query)
    page.citation = citing.citation(
        url=request.build_absolute_uri(),
        cleaned=cleaned,
        documents=documents,
        total=page.count,
        today=today or datetime.date.today(),
    )
    return page
