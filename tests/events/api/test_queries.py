"""Query counts: a list page costs the same number of SQL queries for 5 items as for 500.

Events, statements and actors are one query per page: each item's JSON, related records
included, is built by that query (events.api.documents). Conflicts are one query for the
rows plus one per prefetched relation. A per-row query (an N+1) would make
the 500-item page cost hundreds more. The data is the seed article plus 600 bulk-created
rows per list, each with related records.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Actor, Citation, Conflict, Event, EventParticipant, Source, Statement
from tests.events.api.conftest import API

EXTRA_ROWS = 600
# The Moscow sentence of the seed article: every bulk citation quotes it at its true offsets.
MOSCOW_START, MOSCOW_END = 977, 1135

EVENT_QUERIES = 1  # events with participants, conflicts and citations, as JSON
STATEMENT_QUERIES = 1  # statements with speaker, occasion, about, conflicts and citations, as JSON
ACTOR_QUERIES = 1  # actors with affiliation and citations, as JSON
CONFLICT_QUERIES = 1  # conflicts with their parties, as JSON
# Checking the slugs of a filter costs one query per slug filter given.


@pytest.fixture
def many(seeded):
    """600 extra published events, statements, actors and conflicts, each with related rows."""
    source = Source.objects.get()
    excerpt = source.text[MOSCOW_START:MOSCOW_END]
    assert "talks on Thursday in Moscow" in excerpt
    russia, serraj = Actor.objects.get(slug="russia"), Actor.objects.get(slug="fayez-al-serraj")
    libya = Conflict.objects.get(slug="libyan-crisis")
    peskov = Actor.objects.get(slug="dmitry-peskov")
    interview = Event.objects.get(slug="gatilov-geneva-interview")
    day = datetime.date(2017, 3, 2)

    def cite(**record):
        return Citation(
            source=source, excerpt=excerpt, start_offset=MOSCOW_START, end_offset=MOSCOW_END, **record
        )

    events = Event.objects.bulk_create(
        Event(
            slug=f"bulk-event-{i:04}",
            title=f"Bulk talks {i}",
            summary="Talks in Moscow.",
            type="talks",
            location="Moscow",
            date_text="on Thursday",
            date_anchor=datetime.date(2017, 3, 3),
            date_start=day,
            date_end=day,
            date_precision="day",
            status="published",
        )
        for i in range(EXTRA_ROWS)
    )
    EventParticipant.objects.bulk_create(
        [EventParticipant(event=e, actor=russia, role="host") for e in events]
        + [EventParticipant(event=e, actor=serraj, role="guest") for e in events]
    )
    Event.conflicts.through.objects.bulk_create(
        Event.conflicts.through(event_id=e.pk, conflict_id=libya.pk) for e in events
    )
    Citation.objects.bulk_create(cite(event=e) for e in events)

    statements = Statement.objects.bulk_create(
        Statement(
            slug=f"bulk-statement-{i:04}",
            speaker=peskov,
            kind="paraphrase",
            text=f"Bulk remark {i}.",
            occasion=interview,
            date_text="not stated",
            date_precision="unknown",
            status="published",
        )
        for i in range(EXTRA_ROWS)
    )
    Statement.about.through.objects.bulk_create(
        [Statement.about.through(statement_id=s.pk, actor_id=russia.pk) for s in statements]
        + [Statement.about.through(statement_id=s.pk, actor_id=serraj.pk) for s in statements]
    )
    Statement.conflicts.through.objects.bulk_create(
        Statement.conflicts.through(statement_id=s.pk, conflict_id=libya.pk) for s in statements
    )
    Citation.objects.bulk_create(cite(statement=s) for s in statements)

    actors = Actor.objects.bulk_create(
        Actor(slug=f"bulk-actor-{i:04}", name=f"Bulk actor {i}", kind="person", affiliation=russia)
        for i in range(EXTRA_ROWS)
    )
    Citation.objects.bulk_create(cite(actor=a) for a in actors)

    conflicts = Conflict.objects.bulk_create(
        Conflict(slug=f"bulk-conflict-{i:04}", name=f"Bulk conflict {i}") for i in range(EXTRA_ROWS)
    )
    Conflict.parties.through.objects.bulk_create(
        [Conflict.parties.through(conflict_id=c.pk, actor_id=russia.pk) for c in conflicts]
        + [Conflict.parties.through(conflict_id=c.pk, actor_id=serraj.pk) for c in conflicts]
    )


def _page(api, endpoint: str, page_size: int, params: dict) -> tuple[int, list[str]]:
    """The number of queries one list page costs, and its items."""
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"{API}/{endpoint}/", {**params, "page_size": page_size})
    assert response.status_code == 200, response.content[:500]
    return len(queries), response.json()["results"]


@pytest.mark.parametrize(
    ("endpoint", "params", "expected_queries"),
    [
        ("events", {}, EVENT_QUERIES),
        ("events", {"ordering": "-date"}, EVENT_QUERIES),
        ("events", {"actor": "russia", "conflict": "libyan-crisis"}, EVENT_QUERIES + 2),
        # A search first finds the records whose citations match (one query).
        ("events", {"q": "Moscow", "ordering": "relevance"}, EVENT_QUERIES + 1),
        ("statements", {}, STATEMENT_QUERIES),
        ("statements", {"speaker": "dmitry-peskov", "about": "russia"}, STATEMENT_QUERIES + 2),
        ("actors", {}, ACTOR_QUERIES),
        ("actors", {"affiliation": "russia"}, ACTOR_QUERIES + 1),
        ("conflicts", {}, CONFLICT_QUERIES),
        ("conflicts", {"party": "russia"}, CONFLICT_QUERIES + 1),
    ],
)
def test_a_page_of_500_costs_the_same_queries_as_a_page_of_5(
    api, many, django_assert_max_num_queries, endpoint, params, expected_queries
):
    with django_assert_max_num_queries(expected_queries):
        small_count, small = _page(api, endpoint, 5, params)
    with django_assert_max_num_queries(expected_queries):
        large_count, large = _page(api, endpoint, 500, params)

    assert (len(small), len(large)) == (5, 500)
    assert small_count == large_count == expected_queries


def test_every_item_of_a_large_page_has_its_related_records(api, many):
    """The one query really fills each item: none comes back with empty relations."""
    _, items = _page(api, "events", 500, {"ordering": "-date"})

    bulk = [item for item in items if item["slug"].startswith("bulk-event-")]
    assert len(bulk) == 500
    for item in bulk:
        assert [p["actor"]["slug"] for p in item["participants"]] == ["fayez-al-serraj", "russia"]
        assert [c["slug"] for c in item["conflicts"]] == ["libyan-crisis"]
        assert [(c["start"], c["end"]) for c in item["citations"]] == [(MOSCOW_START, MOSCOW_END)]


def test_a_detail_costs_a_fixed_number_of_queries(api, many, django_assert_num_queries):
    with django_assert_num_queries(EVENT_QUERIES):
        assert api.get(f"{API}/events/bulk-event-0001/").status_code == 200
    with django_assert_num_queries(STATEMENT_QUERIES):
        assert api.get(f"{API}/statements/bulk-statement-0001/").status_code == 200
