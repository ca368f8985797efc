"""Facets and histograms as the API and the pages show them, shaped as Datasette's facets are.

Each facet: `{"name", "results": [{"value", "label", "count", "toggle_url", "selected"}],
"truncated", "timed_out"}`: `value` is what the list's filter parameter of the same name
takes, `toggle_url` the list with that value added to the filters (or removed, when
`selected`), and `truncated` says more values exist than are listed (FACET_SIZE). A facet
whose query ran out of time has `timed_out: true` and no results: never a partial count.

The histogram (`histogram.histogram`) adds to each bucket the URL of the list narrowed to
its dates.

Which counts are used (`count`): the summaries PostgreSQL keeps when the list is the
public's, filtered by nothing but one actor and the kind of item; counts made on the
spot otherwise.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import QueryDict

from events import selectors
from events.choices import DatePrecision, EventType, StatementKind
from events.facets import counting
from events.facets.histogram import histogram as histogram_of
from events.models import Event, Statement

# The facets each list offers; each is also the name of the filter parameter it toggles.
FACETS = {
    "timeline": ("actor", "conflict", "type", "kind", "precision"),
    "events": ("actor", "conflict", "type", "precision"),
    "statements": ("speaker", "about", "conflict", "kind", "precision"),
}
# Parameters that leave a list countable from the summaries (with one actor at most).
_SUMMARY_PARAMETERS = {"actor", "actor_mode", "kind", "facet", "histogram", "cursor", "page_size", "format"}
_LABELS = {
    "type": dict(EventType.choices),
    "precision": dict(DatePrecision.choices),
}
_KIND_LABELS = {
    "timeline": {"event": "Events", "statement": "Statements"},
    "statements": dict(StatementKind.choices),
}


def summary_scope(list_kind: str, query: QueryDict, cleaned: dict, user) -> tuple[int, list[str]] | None:
    """(actor id or 0, kinds) when the summaries hold this list's counts; None when they do not.

    They hold the published items only, so not a list an editor reads (drafts included),
    and only the unfiltered list or one actor's, of events, statements or both.
    """
    if list_kind == "statements" or selectors.can_see_drafts(user):
        return None
    if not _SUMMARY_PARAMETERS.issuperset(query.keys()):
        return None
    actors = list(cleaned.get("actor") or [])
    if len(actors) > 1:
        return None
    kinds = ["e"] if list_kind == "events" else ["e", "s"]
    if cleaned.get("kind"):
        kinds = [kind[0] for kind in cleaned["kind"]]
    return (actors[0].pk if actors else 0), kinds


def count(
    list_kind: str,
    *,
    query: QueryDict,
    cleaned: dict,
    user,
    streams: list,
    facets: list[str],
    histogram: bool,
) -> counting.Counts:
    """The counts of the list the filtered `streams` (event and statement querysets) hold."""
    scope = summary_scope(list_kind, query, cleaned, user)
    if scope is not None:
        actor, kinds = scope
        return counting.from_summaries(scope=actor, kinds=kinds, facets=facets, histogram=histogram)
    events = next((stream for stream in streams if stream.model is Event), None)
    statements = next((stream for stream in streams if stream.model is Statement), None)
    return counting.on_the_spot(
        events=events, statements=statements, facets=facets, histogram=histogram, list_kind=list_kind
    )


Pairs = list[tuple[str, str]]


def pairs_of(query: QueryDict) -> Pairs:
    """A query string's parameters in order, as (name, value) pairs; the cursor left out (back to page one).

    Links are made by the hundred (a facet's values, a histogram's buckets): pairs are
    cheap to copy, where a QueryDict is deep-copied.
    """
    return [(name, value) for name, values in query.lists() if name != "cursor" for value in values]


def toggled(pairs: Pairs, parameter: str, value: str) -> Pairs:
    """The parameters with `parameter=value` added, or removed if it is there.

    Adding a second actor sets actor_mode=all: a facet counts the items concerning the
    actors chosen and this one, which is what the list then shows.
    """
    if (parameter, value) in pairs:
        return [pair for pair in pairs if pair != (parameter, value)]
    changed = [*pairs, (parameter, value)]
    if parameter == "actor" and sum(1 for name, _ in changed if name == "actor") > 1:
        changed = [pair for pair in changed if pair[0] != "actor_mode"] + [("actor_mode", "all")]
    return changed


@functools.lru_cache(maxsize=4096)
def _encoded(name: str, value: str) -> str:
    return urlencode([(name, value)])


def query_string(pairs: Pairs) -> str:
    """The pairs as a query string, each pair encoded once however many links repeat it."""
    return "&".join(_encoded(name, value) for name, value in pairs)


def narrowed(pairs: Pairs, start: str, end: str) -> Pairs:
    """The parameters limited to the days from `start` to `end`."""
    kept = [pair for pair in pairs if pair[0] not in ("date_after", "date_before")]
    return [*kept, ("date_after", start), ("date_before", end)]


def _label(list_kind: str, facet: str, row: counting.FacetRow) -> str:
    if row.label is not None:
        return row.label
    if facet == "kind":
        return _KIND_LABELS[list_kind].get(row.value, row.value)
    return str(_LABELS.get(facet, {}).get(row.value, row.value))


def shaped(
    counts: counting.Counts,
    *,
    list_kind: str,
    query: QueryDict,
    facets: list[str],
    interval: str | None,
    url_for: Callable[[str], str],
    selected_labels: dict[tuple[str, str], str] | None = None,
) -> dict:
    """{"facets": ..., "histogram": ... (when `interval`), "count": ...} for the answer or the page.

    `url_for(query_string)` makes a link of a query string; `selected_labels` names chosen
    values the counts did not see ({("actor", "russia"): "Russia"}).
    """
    selected_labels = selected_labels or {}
    pairs = pairs_of(query)
    shaped_facets = {}
    for facet in facets:
        rows = counts.facets.get(facet, [])
        chosen = query.getlist(facet)
        if rows is counting.TIMED_OUT:
            shaped_facets[facet] = {"name": facet, "results": [], "truncated": False, "timed_out": True}
            continue
        shown = list(rows[: counting.FACET_SIZE])
        seen = {row.value for row in shown}
        # A chosen value always shows, so it can be taken off again (its count may be 0).
        for value in chosen:
            if value not in seen:
                label = selected_labels.get((facet, value))
                shown.append(
                    counting.FacetRow(value, label, next((r.count for r in rows if r.value == value), 0))
                )
                seen.add(value)
        shaped_facets[facet] = {
            "name": facet,
            "results": [
                {
                    "value": row.value,
                    "label": _label(list_kind, facet, row),
                    "count": row.count,
                    "toggle_url": url_for(query_string(toggled(pairs, facet, row.value))),
                    "selected": row.value in chosen,
                }
                for row in shown
            ],
            "truncated": len(rows) > counting.FACET_SIZE,
            "timed_out": False,
        }
    answer: dict = {"facets": shaped_facets}
    if interval:
        if counts.periods is counting.TIMED_OUT:
            answer["histogram"] = {"interval": interval, "timed_out": True}
        else:
            shaped_histogram = histogram_of(counts.periods or {}, interval)
            for bucket in shaped_histogram["buckets"] + shaped_histogram["coarse"]:
                bucket["url"] = url_for(query_string(narrowed(pairs, bucket["start"], bucket["end"])))
            shaped_histogram["timed_out"] = False
            answer["histogram"] = shaped_histogram
    answer["count"] = None if counts.total is counting.TIMED_OUT else counts.total
    return answer
