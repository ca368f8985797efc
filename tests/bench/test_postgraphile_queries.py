"""The PostGraphile target's requests are well-formed GraphQL carrying the benchmark's values (no server needed)."""

import json

import pytest

from bench.params import BenchParams
from bench.targets import postgraphile

graphql = pytest.importorskip("graphql")  # graphql-core, installed with schemathesis

PARAMS = BenchParams(
    frequent_actor_slug="russia",
    frequent_actor_id=1,
    rare_actor_slug="turkey",
    rare_actor_id=17,
    date_after="2016-01-01",
    date_before="2017-12-31",
    name_fragment="russ",
    search_words='"Moscow" talks',
    detail_event_slug="moscow-talks-russia-serraj-2017-03-02",
    detail_event_id=8,
    timeline_actor_slug="gennady-gatilov",
    timeline_actor_id=7,
)


@pytest.fixture
def bodies(monkeypatch) -> dict[str, dict]:
    monkeypatch.setattr(postgraphile, "deep_cursor", lambda base_url, params: "CURSOR")
    requests = postgraphile.requests("http://127.0.0.1:1", PARAMS)
    assert all(r.method == "POST" and r.path == "/graphql" for r in requests.values())
    assert all(r.headers["Content-Type"] == "application/json" for r in requests.values())
    return {query_id: json.loads(r.body) for query_id, r in requests.items()}


def test_every_document_parses_and_declares_exactly_the_variables_sent(bodies):
    assert set(bodies) == {f"Q{n}" for n in range(1, 10)}
    for query_id, body in bodies.items():
        document = graphql.parse(body["query"])
        (operation,) = [d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode)]
        declared = {v.variable.name.value for v in operation.variable_definitions}
        assert declared == set(body["variables"]), query_id


def test_variables_carry_the_benchmark_values(bodies):
    assert bodies["Q1"]["variables"] == {
        "actor": "1",
        "dateAfter": "2016-01-01",
        "dateBefore": "2017-12-31",
        "first": 50,
    }
    assert bodies["Q2"]["variables"] == {"actor": "17", "first": 50}
    assert bodies["Q4"]["variables"] == {"first": 50, "after": "CURSOR"}
    assert bodies["Q5"]["variables"] == {"fragment": "russ", "first": 50}
    assert bodies["Q6"]["variables"] == {"w0": "Moscow", "w1": "talks", "first": 50}
    assert bodies["Q7"]["variables"] == {"slug": "moscow-talks-russia-serraj-2017-03-02"}
    assert bodies["Q8"]["variables"] == {"actor": "7", "first": 50}
    assert bodies["Q9"]["variables"] == {"first": 10_000}
    # Only published rows, everywhere but the actors (which have no status).
    for query_id in ("Q1", "Q2", "Q3", "Q4", "Q6", "Q9"):
        assert 'status: {equalTo: "published"}' in bodies[query_id]["query"], query_id
    assert bodies["Q8"]["query"].count('status: {equalTo: "published"}') == 2
