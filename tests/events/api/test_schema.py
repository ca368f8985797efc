"""The OpenAPI schema and the docs page: complete, warning-free, and usable offline.

A client generator reads every list parameter from the schema, and the documented 400
from each list; the Swagger UI page loads its scripts from this site, never a CDN.
"""

import re

import pytest
from django.core.management import call_command

from tests.events.api.conftest import API

EVENT_LIST_PARAMETERS = {
    "actor",
    "actor_id",
    "actor_mode",
    "role",
    "conflict",
    "type",
    "date_after",
    "date_before",
    "date_match",
    "precision",
    "location",
    "source",
    "q",
    "updated_since",
    "ordering",
    "status",
    "facet",
    "histogram",
    "cursor",
    "page_size",
}
LIST_PATHS = [
    "/api/v1/events/",
    "/api/v1/statements/",
    "/api/v1/actors/",
    "/api/v1/conflicts/",
    "/api/v1/sources/",
]


@pytest.fixture
def schema(api, db) -> dict:
    response = api.get(f"{API}/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_schema_is_openapi_3_json(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Event timeline API"
    assert set(LIST_PATHS) <= set(schema["paths"])


def test_schema_lists_every_event_list_parameter(schema):
    parameters = schema["paths"]["/api/v1/events/"]["get"]["parameters"]

    assert {p["name"] for p in parameters} == EVENT_LIST_PARAMETERS
    assert {p["in"] for p in parameters} == {"query"}


def test_schema_describes_page_size_limits(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}

    assert parameters["page_size"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 500,
        "default": 50,
    }


def test_schema_lists_the_choices_of_enumerated_parameters(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}

    assert set(parameters["ordering"]["schema"]["enum"]) == {
        "date",
        "-date",
        "updated",
        "-updated",
        "relevance",
    }
    assert set(parameters["date_match"]["schema"]["enum"]) == {"overlaps", "within"}
    assert set(parameters["precision"]["schema"]["items"]["enum"]) == {
        "day",
        "week",
        "month",
        "year",
        "unknown",
    }


@pytest.mark.parametrize("path", LIST_PATHS)
def test_list_operations_document_a_400(schema, path):
    responses = schema["paths"][path]["get"]["responses"]

    assert {"200", "400"} <= set(responses)
    assert responses["400"]["content"]["application/json"]["schema"]["additionalProperties"] == {
        "type": "array",
        "items": {"type": "string"},
    }


@pytest.mark.parametrize("path", [p + "{slug}/" for p in LIST_PATHS])
def test_detail_operations_document_a_404(schema, path):
    assert {"200", "404"} <= set(schema["paths"][path]["get"]["responses"])


def test_generating_the_schema_emits_no_warnings(db, tmp_path):
    """`spectacular --validate --fail-on-warn` raises on any warning or validation error."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3.")


def test_docs_page_loads_scripts_and_styles_from_this_site(api, db):
    response = api.get(f"{API}/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "cdn.jsdelivr" not in html
    assert "unpkg" not in html
    scripts = re.findall(r"<script[^>]*\bsrc=[\"']([^\"']+)[\"']", html)
    styles = re.findall(r"<link[^>]*\bhref=[\"']([^\"']+)[\"']", html)
    assert scripts, "the page loads Swagger UI from script files"
    for url in scripts + styles:
        assert url.startswith("/static/"), url
    assert any(url.endswith("swagger-ui-bundle.js") for url in scripts)


def test_docs_page_reads_this_sites_schema(api, db):
    html = api.get(f"{API}/docs/").content.decode()

    assert 'url: "/api/v1/schema/"' in html


def test_every_operation_documents_429_and_503_with_retry_after(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    operations = [op for methods in schema["paths"].values() for op in methods.values()]

    assert len(operations) > 20
    for operation in operations:
        for status in ("429", "503"):
            assert operation["responses"][status]["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def test_reads_are_documented_as_needing_no_credentials(api):
    schema = api.get("/api/v1/schema/?format=json").json()

    assert {} in schema["paths"]["/api/v1/events/"]["get"]["security"]
    assert {} not in schema["paths"]["/api/v1/events/"]["post"]["security"]


def test_an_unknown_format_is_a_400_naming_the_formats(api):
    response = api.get("/api/v1/timeline/?format=xml")

    assert response.status_code == 400
    assert response.json() == {
        "format": ["unknown format 'xml'; this endpoint answers json, api, csv, ndjson, timelinejs"]
    }


def test_errors_in_the_browsable_api_are_json(api):
    response = api.get("/api/v1/events/?format=api&date_after=yesterday")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"date_after": ["Enter a valid date."]}
