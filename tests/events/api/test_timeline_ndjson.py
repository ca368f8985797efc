"""`/api/v1/timeline/?format=ndjson`: every item, one JSON document per line, as the pages carry it."""

import json

import pytest

pytestmark = pytest.mark.usefixtures("seeded")

API = "/api/v1"


def test_ndjson_is_every_item_as_the_json_pages_have_it(api):
    page = api.get(f"{API}/timeline/", {"actor": "russia", "page_size": 500}).json()["results"]

    response = api.get(f"{API}/timeline/", {"actor": "russia", "format": "ndjson", "page_size": 2})
    body = b"".join(response.streaming_content).decode()

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="timeline.ndjson"'
    assert response["X-Export-Items"] == "15"  # exported as CSV is: counted first, in one snapshot
    assert body.endswith("\n")
    lines = body.removesuffix("\n").split("\n")
    assert len(lines) == 15  # not paginated: every one of Russia's 15 items
    assert [json.loads(line) for line in lines] == page


def test_ndjson_errors_are_json(api):
    response = api.get(f"{API}/timeline/", {"actor": "atlantis", "format": "ndjson"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "actor": ["Select a valid choice. atlantis is not one of the available choices."]
    }
