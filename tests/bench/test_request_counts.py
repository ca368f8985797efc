"""The counts bench.ab compares two versions by (bench/request_counts.py): taken from the request itself."""

import pytest

from bench.request_counts import measure
from events.models import Event


@pytest.mark.django_db
def test_a_detail_is_counted_as_one_statement_of_one_row(seeded, client):
    event = Event.objects.filter(status="published").order_by("slug").first()
    path = f"/api/v1/events/{event.slug}/"

    counted = measure(path, runs=3)

    assert counted["path"] == path
    assert counted["bytes"] == len(client.get(path, HTTP_HOST="127.0.0.1").content)
    assert [statement["rows"] for statement in counted["statements"]] == [1]
    assert counted["statements"][0]["buffers"] > 0
    assert counted["statements"][0]["sql_chars"] > 100
    # A request through Django and DRF is thousands of Python calls, not a handful.
    assert counted["calls"] > 1000


def test_a_request_that_fails_stops_the_count(seeded):
    with pytest.raises(SystemExit, match="/api/v1/events/no-such-event/: HTTP 404"):
        measure("/api/v1/events/no-such-event/", runs=1)
