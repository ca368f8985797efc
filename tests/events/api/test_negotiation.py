"""Which format an answer comes in: JSON unless the client asks for the browsable HTML API."""

import pytest

from .conftest import API

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.mark.parametrize(
    ("headers", "query", "content_type"),
    [
        ({}, "", "application/json"),  # no Accept header at all (wrk, some scripts)
        ({"HTTP_ACCEPT": "*/*"}, "", "application/json"),  # curl, requests, fetch
        ({"HTTP_ACCEPT": "application/json"}, "", "application/json"),
        (
            {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"},
            "",
            "text/html; charset=utf-8",
        ),  # a browser
        ({"HTTP_ACCEPT": "*/*"}, "format=api", "text/html; charset=utf-8"),
        ({"HTTP_ACCEPT": "*/*"}, "format=json", "application/json"),
    ],
)
def test_the_answer_comes_in_the_format_asked_for(api, headers, query, content_type):
    response = api.get(f"{API}/events/?page_size=1&{query}", **headers)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type


def test_a_format_nobody_serves_is_a_406(api):
    response = api.get(f"{API}/events/", HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
