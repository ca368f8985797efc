"""Changelist query counts do not grow with the rows shown.

A list column that reads a related record without `list_select_related` costs one SQL
query per row: invisible with the seed's handful of rows, a slow page once the timeline
has thousands. Each list is measured at the seed's size and again once bulk-created
rows fill its first page (list_per_page is 100); the two counts must be equal.
"""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Actor, Conflict, Event, Source, Statement
from tests.conftest import cite_each

ADMIN = "/admin/events"
PAGE = 100  # the admin's default list_per_page
EXTRA = 120  # enough extra rows to fill a whole first page


def measure(client, model: str) -> tuple[int, int]:
    """(queries, rows shown) for the first page of the model's changelist, after a warm-up request."""
    url = f"{ADMIN}/{model}/"
    assert client.get(url).status_code == 200  # warms process-wide caches (content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


def add_events(count: int, batch: str = "a") -> None:
    day = datetime.date(2017, 3, 2)
    events = Event.objects.bulk_create(
        Event(
            slug=f"bulk-event-{batch}{i:03}",
            title=f"Bulk talks {i}",
            type="talks",
            location="Moscow",
            date_text="on Thursday",
            date_anchor=datetime.date(2017, 3, 3),
            date_start=day,
            date_end=day,
            date_precision="day",
        )
        for i in range(count)
    )
    cite_each(events)


def add_statements(count: int, batch: str = "a") -> None:
    speakers = list(Actor.objects.all())
    day = datetime.date(2017, 3, 3)  # the seed statements' only date: the date drill-down stays the same
    statements = Statement.objects.bulk_create(
        Statement(
            slug=f"bulk-statement-{batch}{i:03}",
            speaker=speakers[i % len(speakers)],
            kind="paraphrase",
            text=f"Bulk claim number {i}.",
            date_text="said Friday",
            date_anchor=day,
            date_start=day,
            date_end=day,
            date_precision="day",
        )
        for i in range(count)
    )
    cite_each(statements)


def add_actors(count: int, batch: str = "a") -> None:
    parents = list(Actor.objects.all())
    Actor.objects.bulk_create(
        Actor(
            slug=f"bulk-actor-{batch}{i:03}",
            name=f"Bulk official {i}",
            kind="person",
            affiliation=parents[i % len(parents)],
        )
        for i in range(count)
    )


def add_conflicts(count: int, batch: str = "a") -> None:
    Conflict.objects.bulk_create(
        Conflict(
            slug=f"bulk-conflict-{batch}{i:03}",
            name=f"Bulk conflict {i}",
            region="Middle East",
            start_date=datetime.date(2011, 3, 1),  # within the seed conflicts' span
        )
        for i in range(count)
    )


def add_sources(count: int, batch: str = "a") -> None:
    Source.objects.bulk_create(
        Source(
            slug=f"bulk-source-{batch}{i:03}",
            title=f"Bulk article {i}",
            publisher="Bloomberg",
            published_on=datetime.date(2017, 3, 3),
            language="en",
            text=f"Bulk article text {i}.",
        )
        for i in range(count)
    )


@pytest.mark.parametrize(
    "model, add, seed_rows",
    [
        ("event", add_events, 9),
        ("statement", add_statements, 14),
        ("actor", add_actors, 23),
        ("conflict", add_conflicts, 2),
        ("source", add_sources, 1),
    ],
)
@pytest.mark.parametrize("user", ["superuser", "editor"])
def test_changelist_queries_do_not_grow_with_rows(client, seeded, request, user, model, add, seed_rows):
    """A full page of 100 rows costs the same queries as the seed's few rows."""
    client.force_login(request.getfixturevalue(user))
    few_queries, few_rows = measure(client, model)
    assert few_rows == seed_rows
    add(EXTRA)
    many_queries, many_rows = measure(client, model)
    assert many_rows == PAGE
    assert many_queries == few_queries


@pytest.mark.parametrize(
    "model, add, term",
    [
        ("event", add_events, "talks"),
        ("statement", add_statements, "claim"),
        ("actor", add_actors, "official"),
    ],
)
def test_searched_changelist_queries_do_not_grow_with_rows(superuser_client, seeded, model, add, term):
    """Searching (names, aliases, excerpts) keeps the count fixed too: 5 matches cost what 100 do."""
    url = f"{ADMIN}/{model}/"
    add(5, batch="a")
    superuser_client.get(url, {"q": term})
    with CaptureQueriesContext(connection) as few:
        response = superuser_client.get(url, {"q": term})
    assert len(response.context["cl"].result_list) == 5 + (model == "event")  # + the seed's Moscow "talks"
    add(EXTRA, batch="b")
    superuser_client.get(url, {"q": term})
    with CaptureQueriesContext(connection) as many:
        response = superuser_client.get(url, {"q": term})
    assert len(response.context["cl"].result_list) == PAGE
    assert len(many) == len(few)


def test_the_measurement_catches_a_query_per_row(superuser_client, seeded, monkeypatch):
    """Without `list_select_related`, the actor list's affiliation column costs a query per row,
    and the measurement above sees it: the equal counts are not a blind spot."""
    monkeypatch.setattr(admin.site.get_model_admin(Actor), "list_select_related", False)
    few_queries, _ = measure(superuser_client, "actor")
    add_actors(EXTRA)
    many_queries, _ = measure(superuser_client, "actor")
    assert many_queries > few_queries
