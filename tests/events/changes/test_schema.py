"""The OpenAPI document describes the feed and the dump, and every status they really answer."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return APIClient().get("/api/v1/schema/", {"format": "json"}).json()


def test_the_feed_documents_its_answers_and_the_throttles_retry_after(schema):
    operation = schema["paths"]["/api/v1/changes/"]["get"]
    assert sorted(operation["responses"]) == ["200", "304", "400", "410", "412", "429", "503"]
    assert sorted(operation["responses"]["200"]["content"]) == ["application/json", "text/html"]
    assert operation["responses"]["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    assert [parameter["name"] for parameter in operation["parameters"]] == ["after", "format", "page_size"]
    gone = operation["responses"]["410"]["content"]["application/json"]["schema"]
    assert gone["required"] == ["detail", "dump"]


def test_the_dump_documents_its_ndjson_and_the_throttle(schema):
    operation = schema["paths"]["/api/v1/dump/"]["get"]
    assert sorted(operation["responses"]) == ["200", "302", "400", "429", "503"]
    assert list(operation["responses"]["200"]["content"]) == ["application/x-ndjson"]
    assert operation["responses"]["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def test_an_entry_is_one_of_three_shapes_and_an_upserts_document_one_of_the_five(schema):
    components = schema["components"]["schemas"]
    entry = components["ChangeEntry"]
    assert entry["discriminator"]["propertyName"] == "op"
    assert sorted(entry["discriminator"]["mapping"]) == ["delete", "merge", "upsert"]
    assert components["MergeEntry"]["required"] == ["cursor", "into", "kind", "op", "slug"]
    documents = [option["$ref"].rsplit("/", 1)[1] for option in components["ChangeDocument"]["oneOf"]]
    assert documents == ["SourceDetail", "Actor", "Conflict", "Event", "Statement"]
    assert components["ChangeKindEnum"]["enum"] == ["source", "actor", "conflict", "event", "statement"]
