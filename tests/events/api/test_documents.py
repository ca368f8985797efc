"""The JSON PostgreSQL builds for list items equals what the DRF serializers write.

The serializers are the API's contract (and its OpenAPI schema); `events.api.documents`
builds the same JSON in SQL for speed. These tests hold the two equal on every seeded
record, drafts included, and on the edge cases of formatting (a timestamp with no
microseconds, a statement without occasion).
"""

import datetime
import json

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from events.api.serializers import ActorSerializer, EventSerializer, StatementSerializer
from events.api.timeline import TimelineEventSerializer, TimelineStatementSerializer
from events.models import Actor, Event, Statement
from tests.events.api.conftest import API

pytestmark = pytest.mark.usefixtures("seeded")


def _serialized(serializer_class, records, path: str) -> list[dict]:
    """What the serializer writes for `records`, as JSON would carry it."""
    request = Request(APIRequestFactory().get(path))
    data = [serializer_class(record, context={"request": request}).data for record in records]
    return json.loads(JSONRenderer().render(data))


def _all_pages(client, path: str) -> list[dict]:
    response = client.get(path, {"page_size": 500})
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["next"] is None
    return body["results"]


def test_event_documents_equal_the_serializer_for_every_event(editor_api):
    listed = _all_pages(editor_api, f"{API}/events/")

    by_slug = {item["slug"]: item for item in listed}
    assert len(listed) == Event.objects.count() == 9
    for item in _serialized(EventSerializer, Event.objects.all(), f"{API}/events/"):
        assert by_slug[item["slug"]] == item


def test_statement_documents_equal_the_serializer_for_every_statement(editor_api):
    listed = _all_pages(editor_api, f"{API}/statements/")

    by_slug = {item["slug"]: item for item in listed}
    assert len(listed) == Statement.objects.count() == 14
    for item in _serialized(StatementSerializer, Statement.objects.all(), f"{API}/statements/"):
        assert by_slug[item["slug"]] == item


def test_actor_documents_equal_the_serializer_for_every_actor(api):
    # Affiliated and unaffiliated actors, with and without aliases and citations.
    Actor.objects.filter(slug="dmitry-peskov").update(
        aliases=["Peskov", "Дмитрий Песков"], wikidata_qid="Q4157470", description='Says "no"\n\tand leaves.'
    )
    listed = _all_pages(api, f"{API}/actors/")

    by_slug = {item["slug"]: item for item in listed}
    assert len(listed) == Actor.objects.count() == 23
    assert by_slug["dmitry-peskov"]["aliases"] == ["Peskov", "Дмитрий Песков"]
    assert any(item["affiliation"] for item in listed) and any(item["citations"] for item in listed)
    for item in _serialized(ActorSerializer, Actor.objects.all(), f"{API}/actors/"):
        assert by_slug[item["slug"]] == item


def test_an_actor_detail_is_its_document(api):
    response = api.get(f"{API}/actors/dmitry-peskov/")

    assert response.status_code == 200
    expected = _serialized(ActorSerializer, [Actor.objects.get(slug="dmitry-peskov")], f"{API}/actors/")
    assert response.json() == expected[0]


def test_timeline_documents_equal_the_timeline_serializers(api):
    listed = _all_pages(api, f"{API}/timeline/")

    expected = _serialized(
        TimelineEventSerializer, Event.objects.filter(status="published"), f"{API}/timeline/"
    ) + _serialized(
        TimelineStatementSerializer, Statement.objects.filter(status="published"), f"{API}/timeline/"
    )
    assert sorted(listed, key=lambda item: item["url"]) == sorted(expected, key=lambda item: item["url"])


def test_a_detail_is_the_serializers_shape(api):
    event = Event.objects.get(slug="moscow-talks-russia-serraj-2017-03-02")
    response = api.get(f"{API}/events/{event.slug}/")

    assert response.status_code == 200
    assert response.json() == _serialized(EventSerializer, [event], "/")[0]


def test_timestamps_without_microseconds_are_written_as_drf_writes_them(api):
    Event.objects.filter(slug="moscow-talks-russia-serraj-2017-03-02").update(
        updated_at=datetime.datetime(2017, 3, 3, 12, 0, 0, tzinfo=datetime.UTC)
    )
    Event.objects.filter(slug="ceasefire-syria-russia-turkey-2016-12").update(
        updated_at=datetime.datetime(2017, 3, 3, 12, 0, 0, 120, tzinfo=datetime.UTC)
    )

    items = {item["slug"]: item for item in _all_pages(api, f"{API}/events/")}

    assert items["moscow-talks-russia-serraj-2017-03-02"]["updated_at"] == "2017-03-03T12:00:00Z"
    assert items["ceasefire-syria-russia-turkey-2016-12"]["updated_at"] == "2017-03-03T12:00:00.000120Z"
