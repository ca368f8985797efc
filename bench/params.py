"""What the benchmark requests ask for, chosen from the corpus being measured.

Every target (this project's API, the SQL floor, the naive DRF build, PostGraphile)
turns the same `BenchParams` into its own HTTP request for each query id, so all four
answer the same question about the same rows.
"""

from dataclasses import dataclass, field

QUERIES = {
    "Q1": "events of a frequent actor over two years, 50 per page",
    "Q2": "events of a rare actor, 50 per page",
    "Q3": "events, no filter, first page of 50",
    "Q4": "events, the page of 50 after the first 20,000",
    "Q5": "actors whose name contains a string",
    "Q6": "full-text search of events, 50 per page",
    "Q7": "one event's detail",
    "Q8": "the merged timeline (events and statements) of an actor, 50 per page",
    "Q9": "export of about 10,000 timeline rows (CSV where the target has it)",
    # The researchers' page (explore/), which always shows its facets and histogram.
    "Q10": "the timeline page at /, unfiltered, with its facets and histogram",
    "Q11": "the timeline page for the most frequent actor, with its facets and histogram",
    "Q12": "the timeline API for the most frequent actor with every facet and the histogram",
}
# The pages' queries, held to their own targets (the issue's "explore" targets).
PAGE_QUERIES = ("Q10", "Q11", "Q12")

# Asked of this API only: no other target keeps a change feed (bench/change_feed.py measures
# the rest of its cost: what it adds to writes, and the dump).
FEED_QUERIES = {
    "C1": "one page of the change feed (50 entries) from a cursor a million changes back",
}


@dataclass(frozen=True)
class BenchParams:
    """The concrete values every target's requests use (all refer to published rows)."""

    frequent_actor_slug: str
    frequent_actor_id: int
    rare_actor_slug: str
    rare_actor_id: int
    # Q1's two years, inclusive ISO dates; an event matches when its range overlaps them.
    date_after: str
    date_before: str
    # Q5: a fragment of actor names, any case.
    name_fragment: str
    # Q6: a full-text query (English stemming, websearch syntax: plain words are ANDed).
    search_words: str
    # Q7: one published event.
    detail_event_slug: str
    detail_event_id: int
    # Q8: the actor whose timeline is read.
    timeline_actor_slug: str
    timeline_actor_id: int
    # Q9: the timeline actor's items in this date range make about `export_rows` rows.
    export_date_after: str = ""
    export_date_before: str = ""
    page_size: int = 50
    deep_offset: int = 20_000
    export_rows: int = 10_000
    # C1: a cursor of the change feed this many entries (as anonymous readers count them)
    # before its head, from `manage.py changes_cursor --back N`.
    changes_back: int = 1_000_000
    changes_cursor: str = ""


@dataclass(frozen=True)
class Request:
    """One HTTP request as the load generator will send it, over and over."""

    path: str  # with the query string, e.g. "/api/v1/events/?actor=x"
    method: str = "GET"
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
