"""The naive DRF build (bench/naive/) answers the benchmark's questions with the seed rows, N+1 and all.

Its routes are mounted by swapping the URLconf; its views carry their own permissions,
throttling, pagination and filter backends, so the project's settings serve them as
bench.naive.settings does.
"""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.params import PAGE_QUERIES, QUERIES, BenchParams
from bench.targets import naive
from events.models import Actor, Event

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture
def client():
    with override_settings(ROOT_URLCONF="bench.naive.urls"):
        yield Client()


def get(client: Client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:500])
    return response.json()


def slugs(body: dict) -> list[str]:
    return [item["slug"] for item in body["results"]]


def test_q1_events_of_an_actor_overlapping_a_date_range(client):
    russia = Actor.objects.get(slug="russia")
    body = get(
        client,
        f"/naive/api/events/?participants={russia.pk}&date_end__gte=2016-01-01&date_start__lte=2017-03-01"
        "&status=published&page_size=50",
    )
    # December 2016 and the week of 27 February 2017 overlap; the Moscow talks (2 March) and
    # the undated events do not.
    assert body["count"] == 2
    assert slugs(body) == [
        "ceasefire-syria-russia-turkey-2016-12",
        "un-led-syria-peace-negotiations-2017-03-03-week",
    ]
    ceasefire = body["results"][0]
    assert (ceasefire["date_start"], ceasefire["date_end"], ceasefire["date_precision"]) == (
        "2016-12-01",
        "2016-12-31",
        "month",
    )
    assert sorted((p["actor"]["slug"], p["role"]) for p in ceasefire["participants"]) == [
        ("russia", "broker"),
        ("turkey", "broker"),
    ]
    assert [c["slug"] for c in ceasefire["conflicts"]] == ["syrian-civil-war"]
    assert ceasefire["citations"][0]["source"]["slug"] == "bloomberg-2017-03-03-russia-urges-trump"


def test_q5_actors_whose_name_contains_a_fragment(client):
    body = get(client, "/naive/api/actors/?search=SSI&page_size=50")
    assert body["count"] == 3
    assert [actor["name"] for actor in body["results"]] == [
        "Institute of Oriental Studies of the Russian Academy of Sciences",
        "Russia",
        "Russian Academy of Sciences",
    ]
    russia = body["results"][1]
    assert (russia["slug"], russia["kind"], russia["affiliation"]) == ("russia", "state", None)


def test_only_published_events_are_listed(client):
    Event.objects.filter(slug="moscow-talks-russia-serraj-2017-03-02").update(status="draft")
    body = get(client, "/naive/api/events/?page_size=50")
    assert body["count"] == 8
    assert "moscow-talks-russia-serraj-2017-03-02" not in slugs(body)


def test_timeline_merges_an_actors_events_and_statements_by_date(client):
    gatilov = Actor.objects.get(slug="gennady-gatilov")
    body = get(client, f"/naive/api/timeline/?actor={gatilov.pk}&page_size=3")
    # His interview, his seven statements; all undated: events first, then by id.
    assert body["count"] == 8
    assert [(item["kind"], item["slug"]) for item in body["results"]] == [
        ("event", "gatilov-geneva-interview"),
        ("statement", "gatilov-active-us-role"),
        ("statement", "gatilov-us-most-important-players"),
    ]
    statement = body["results"][1]
    assert (statement["speaker"]["slug"], statement["statement_kind"]) == ("gennady-gatilov", "quote")
    assert "page=2" in body["next"]


def test_event_list_queries_grow_with_the_page_size(client):
    """The point of the naive build: no prefetching, so each item costs its own queries."""

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            body = get(client, f"/naive/api/events/?status=published&page_size={page_size}")
        assert len(body["results"]) == page_size
        return len(captured)

    small, large = queries(2), queries(8)
    # Each event: its participations, each participant's actor, its conflicts, its
    # citations and each citation's source.
    assert small < large
    assert large - small >= 6 * 4


def test_every_benchmark_request_is_answered(client):
    """The target's nine requests, with values from the seeds (a deep page of 2 past the first 2)."""
    russia, serraj, gatilov = (
        Actor.objects.get(slug=s) for s in ("russia", "fayez-al-serraj", "gennady-gatilov")
    )
    moscow = Event.objects.get(slug="moscow-talks-russia-serraj-2017-03-02")
    params = BenchParams(
        frequent_actor_slug=russia.slug,
        frequent_actor_id=russia.pk,
        rare_actor_slug=serraj.slug,
        rare_actor_id=serraj.pk,
        date_after="2016-01-01",
        date_before="2017-03-01",
        name_fragment="ssi",
        search_words="islamic state",
        detail_event_slug=moscow.slug,
        detail_event_id=moscow.pk,
        timeline_actor_slug=gatilov.slug,
        timeline_actor_id=gatilov.pk,
        page_size=2,
        deep_offset=2,
    )
    requests = naive.requests("http://testserver", params)
    # The explore pages' queries are this project's only: the naive build has no pages.
    assert set(requests) == set(QUERIES) - set(PAGE_QUERIES)
    bodies = {qid: get(client, request.path) for qid, request in requests.items()}

    assert slugs(bodies["Q1"]) == [
        "ceasefire-syria-russia-turkey-2016-12",
        "un-led-syria-peace-negotiations-2017-03-03-week",
    ]
    assert slugs(bodies["Q2"]) == ["moscow-talks-russia-serraj-2017-03-02"]
    assert bodies["Q3"]["count"] == 9 and len(bodies["Q3"]["results"]) == 2
    # Page 2 of 2: the third and fourth events in date order.
    assert slugs(bodies["Q4"]) == [
        "un-led-syria-peace-negotiations-2017-03-03-week",
        "moscow-talks-russia-serraj-2017-03-02",
    ]
    assert bodies["Q5"]["count"] == 3
    assert bodies["Q6"]["count"] == 3
    assert all("islamic state" in (e["title"] + " " + e["summary"]).lower() for e in bodies["Q6"]["results"])
    assert bodies["Q7"]["slug"] == moscow.slug
    assert bodies["Q8"]["count"] == 8
    assert bodies["Q9"]["count"] == 9 and len(bodies["Q9"]["results"]) == 9


def test_server_command_serves_the_naive_settings_on_the_given_port():
    argv, env = naive.server_command(8123, "postgres://bench@127.0.0.1:5999/corpus")
    assert env["DJANGO_SETTINGS_MODULE"] == "bench.naive.settings"
    assert env["DATABASE_URL"] == "postgres://bench@127.0.0.1:5999/corpus"
    assert argv[argv.index("-b") + 1] == "127.0.0.1:8123"
    assert "bench.naive.wsgi:application" in argv
    # Never the repository's production gunicorn.conf.py.
    assert argv[argv.index("-c") + 1].endswith("bench/naive/gunicorn.conf.py")
