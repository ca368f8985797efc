"""`?facet=` and `?histogram=` on /timeline/, /events/ and /statements/: exact counts of the seed article.

The seed article's 23 published items: 9 events and 14 statements; 2 known to the day
(the Moscow talks on Thursday 2 March 2017, Peskov "said Friday"), 1 to the week (the UN
talks "this week", the week of 27 February, whose Thursday is 2 March), 2 to the month
(the cease-fire and Islamic State's loss "in December" 2016), 18 undated.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from events.choices import DatePrecision, EventType, ReviewStatus
from events.facets import counting
from events.models import Citation, Event

pytestmark = pytest.mark.usefixtures("seeded")

API = "/api/v1"
TIMELINE_FACETS = ["actor", "conflict", "type", "kind", "precision"]


def _get(api, path: str, params: dict) -> dict:
    response = api.get(f"{API}/{path}/", params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def _counts(body: dict) -> dict[str, list[tuple[str, int]]]:
    return {
        name: [(r["value"], r["count"]) for r in facet["results"]] for name, facet in body["facets"].items()
    }


def test_timeline_facets_count_the_whole_filtered_list(api):
    body = _get(api, "timeline", {"facet": TIMELINE_FACETS, "page_size": 2})

    assert len(body["results"]) == 2  # the page is a page; the counts are of every item
    assert body["count"] == 23
    assert _counts(body) == {
        "actor": [
            ("russia", 15),
            ("gennady-gatilov", 8),
            ("united-states", 7),
            ("islamic-state", 6),
            ("libya", 5),
            ("syria", 5),
            ("donald-trump", 4),
            ("bashar-al-assad", 2),
            ("iran", 2),
            ("khalifa-haftar", 2),
            ("dmitry-peskov", 1),
            ("fayez-al-serraj", 1),
            ("irina-zvyagelskaya", 1),
            ("senior-western-diplomat", 1),
            ("syrian-rebels", 1),
            ("turkey", 1),
            ("united-nations", 1),
        ],
        "conflict": [("syrian-civil-war", 14), ("libyan-crisis", 9)],
        "type": [
            ("territorial_change", 3),
            ("ceasefire", 1),
            ("interview", 1),
            ("military_intervention", 1),
            ("negotiation_round", 1),
            ("other", 1),
            ("talks", 1),
        ],
        "kind": [("statement", 14), ("event", 9)],
        "precision": [("unknown", 18), ("day", 2), ("month", 2), ("week", 1)],
    }


def test_facet_items_are_shaped_as_datasettes(api):
    body = _get(api, "timeline", {"facet": "conflict", "actor": "russia"})

    assert body["facets"]["conflict"] == {
        "name": "conflict",
        "results": [
            {
                "value": "syrian-civil-war",
                "label": "Syrian civil war",
                "count": 10,
                "toggle_url": "http://testserver/api/v1/timeline/?facet=conflict&actor=russia&conflict=syrian-civil-war",
                "selected": False,
            },
            {
                "value": "libyan-crisis",
                "label": "Libyan crisis",
                "count": 5,
                "toggle_url": "http://testserver/api/v1/timeline/?facet=conflict&actor=russia&conflict=libyan-crisis",
                "selected": False,
            },
        ],
        "truncated": False,
        "timed_out": False,
    }


def test_a_selected_value_toggles_off_and_another_actor_narrows_to_both(api):
    body = _get(api, "timeline", {"facet": "actor", "actor": "russia"})
    by_value = {r["value"]: r for r in body["facets"]["actor"]["results"]}

    assert by_value["russia"]["selected"] is True
    assert parse_qs(urlsplit(by_value["russia"]["toggle_url"]).query) == {"facet": ["actor"]}
    assert parse_qs(urlsplit(by_value["libya"]["toggle_url"]).query) == {
        "facet": ["actor"],
        "actor": ["russia", "libya"],
        "actor_mode": ["all"],
    }


@pytest.mark.parametrize(("facet", "value"), [("actor", "libya"), ("type", "talks"), ("kind", "event")])
def test_a_facet_count_is_what_its_toggle_link_shows(api, facet, value):
    body = _get(api, "timeline", {"facet": facet, "actor": "russia"})
    row = next(r for r in body["facets"][facet]["results"] if r["value"] == value)

    followed = api.get(row["toggle_url"] + "&page_size=500")

    assert len(followed.json()["results"]) == row["count"]


def test_histogram_by_month_keeps_empty_months_and_counts_precisions_apart(api):
    body = _get(api, "timeline", {"histogram": "month"})
    histogram = body["histogram"]

    assert [
        (b["key"], b["start"], b["end"], b["count"], b["by_precision"]) for b in histogram["buckets"]
    ] == [
        ("2016-12", "2016-12-01", "2016-12-31", 2, {"day": 0, "week": 0, "month": 2}),
        ("2017-01", "2017-01-01", "2017-01-31", 0, {"day": 0, "week": 0, "month": 0}),
        ("2017-02", "2017-02-01", "2017-02-28", 0, {"day": 0, "week": 0, "month": 0}),
        ("2017-03", "2017-03-01", "2017-03-31", 3, {"day": 2, "week": 1, "month": 0}),
    ]
    assert histogram["coarse"] == []
    assert histogram["undated"] == 18
    assert histogram["timed_out"] is False
    assert body["count"] == 23
    # Each bar narrows the list to its month, and finds what it counted.
    march = histogram["buckets"][3]
    assert parse_qs(urlsplit(march["url"]).query) == {
        "histogram": ["month"],
        "date_after": ["2017-03-01"],
        "date_before": ["2017-03-31"],
    }
    assert len(api.get(march["url"]).json()["results"]) == 3


def test_items_known_only_to_the_year_get_buckets_of_their_own(api):
    event = Event.objects.create(
        slug="year-only",
        title="Something in 2011",
        type=EventType.OTHER,
        status=ReviewStatus.PUBLISHED,
        date_text="in 2011",
        date_start="2011-01-01",
        date_end="2011-12-31",
        date_precision=DatePrecision.YEAR,
    )
    # Every event keeps a citation: this one borrows a passage of the seed article.
    passage = Citation.objects.filter(event__slug="moscow-talks-russia-serraj-2017-03-02").first()
    Citation.objects.create(
        source=passage.source,
        event=event,
        excerpt=passage.excerpt,
        start_offset=passage.start_offset,
        end_offset=passage.end_offset,
    )

    by_month = _get(api, "timeline", {"histogram": "month"})["histogram"]
    by_year = _get(api, "timeline", {"histogram": "year"})["histogram"]

    assert [(b["key"], b["count"]) for b in by_month["coarse"]] == [("2011", 1)]
    assert by_month["buckets"][0]["key"] == "2016-12"  # not spread over 2011's months
    assert [(b["key"], b["by_precision"]) for b in by_year["buckets"]] == [
        (str(year), {"day": 0, "week": 0, "month": 0, "year": 1 if year == 2011 else 0})
        for year in range(2011, 2016)
    ] + [
        ("2016", {"day": 0, "week": 0, "month": 2, "year": 0}),
        ("2017", {"day": 2, "week": 1, "month": 0, "year": 0}),
    ]


def test_events_and_statements_lists_have_their_own_facets(api):
    events = _get(api, "events", {"facet": ["type", "precision"], "histogram": "year"})
    statements = _get(api, "statements", {"facet": ["speaker", "kind", "about"]})

    assert events["count"] == 9
    assert _counts(events)["precision"] == [("unknown", 5), ("month", 2), ("day", 1), ("week", 1)]
    assert [(b["key"], b["count"]) for b in events["histogram"]["buckets"]] == [("2016", 2), ("2017", 2)]
    assert statements["count"] == 14
    assert _counts(statements)["speaker"] == [
        ("gennady-gatilov", 7),
        ("donald-trump", 3),
        ("dmitry-peskov", 1),
        ("irina-zvyagelskaya", 1),
        ("russia", 1),
        ("senior-western-diplomat", 1),
    ]
    assert _counts(statements)["kind"] == [("paraphrase", 9), ("quote", 5)]
    assert [r["label"] for r in statements["facets"]["kind"]["results"]] == ["Paraphrase", "Verbatim quote"]


def test_the_public_reads_summaries_and_editors_count_on_the_spot_the_same(api, editor_api, monkeypatch):
    used = []
    for name in ("from_summaries", "on_the_spot"):
        real = getattr(counting, name)
        monkeypatch.setattr(
            counting, name, lambda *a, _real=real, _name=name, **k: used.append(_name) or _real(*a, **k)
        )
    params = {"facet": TIMELINE_FACETS, "histogram": "month", "actor": "russia", "status": "published"}

    public = _get(api, "timeline", {k: v for k, v in params.items() if k != "status"})
    editor = _get(editor_api, "timeline", params)

    assert used == ["from_summaries", "on_the_spot"]
    assert _counts(public) == _counts(editor)
    assert public["histogram"] == editor["histogram"] | {
        "buckets": [
            b | {"url": b["url"].replace("&status=published", "")} for b in editor["histogram"]["buckets"]
        ]
    }


def test_a_facet_that_runs_out_of_time_says_so_and_gives_no_count(api, monkeypatch):
    real = counting._facet_sql

    def slow(facet, list_kind):
        sql = real(facet, list_kind)
        return (
            sql.replace("FROM events_event WHERE", "FROM events_event, pg_sleep(0.3) WHERE")
            if facet == "type"
            else sql
        )

    monkeypatch.setattr(counting, "_facet_sql", slow)
    monkeypatch.setattr(counting, "TIME_BUDGET_MS", 100)

    body = _get(api, "timeline", {"facet": ["type", "kind"], "q": "talks"})

    assert body["facets"]["type"] == {"name": "type", "results": [], "truncated": False, "timed_out": True}
    assert _counts(body)["kind"] == [("event", 1)]
    assert body["count"] == 1


def test_bad_facets_are_a_400_naming_the_parameter(bad_request):
    assert bad_request("timeline", facet="speaker") == {
        "facet": ["Select a valid choice. speaker is not one of the available choices."]
    }
    assert bad_request("events", histogram="week") == {
        "histogram": ["Select a valid choice. week is not one of the available choices."]
    }


def test_the_schema_documents_facets_and_histograms(api):
    schema = api.get(f"{API}/schema/", {"format": "json"}).json()

    for path in ("/api/v1/timeline/", "/api/v1/events/", "/api/v1/statements/"):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert "facet" in parameters and "histogram" in parameters, path
        assert parameters["histogram"]["schema"]["enum"] == ["month", "year"]
    facet_names = {p["name"]: p for p in schema["paths"]["/api/v1/statements/"]["get"]["parameters"]}["facet"]
    assert facet_names["schema"]["items"]["enum"] == ["about", "conflict", "kind", "precision", "speaker"]
    assert set(schema["components"]["schemas"]["Facet"]["properties"]) == {
        "name",
        "results",
        "truncated",
        "timed_out",
    }
    assert set(schema["components"]["schemas"]["FacetValue"]["properties"]) == {
        "value",
        "label",
        "count",
        "toggle_url",
        "selected",
    }
    assert "facets" in schema["components"]["schemas"]["TimelinePage"]["properties"]
