"""What caches in front of the API may keep: Cache-Control, Vary, and 304s for the unchanged.

Anonymous answers are the same for everyone, so a shared cache may keep them (for
API_CACHE_SECONDS, or revalidating every time by default); editors see drafts, so their
answers are private. Every read answer varies with the credentials.
"""

import datetime

import pytest

from events.models import Event, Statement
from tests.events.api.conftest import API

pytestmark = pytest.mark.usefixtures("seeded")

READS = [
    f"{API}/events/",
    f"{API}/statements/",
    f"{API}/actors/",
    f"{API}/timeline/",
    f"{API}/events/gatilov-geneva-interview/",
]


@pytest.mark.parametrize("path", READS)
def test_anonymous_answers_are_public_and_revalidated_by_default(api, path):
    response = api.get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, no-cache"
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.parametrize("path", READS)
def test_a_shared_cache_may_keep_anonymous_answers_for_api_cache_seconds(api, path, settings):
    settings.API_CACHE_SECONDS = 300

    assert api.get(path)["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("path", READS)
def test_editors_answers_are_private(editor_api, path, settings):
    settings.API_CACHE_SECONDS = 300

    assert editor_api.get(path)["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize(
    "path", [f"{API}/events/", f"{API}/timeline/", f"{API}/events/gatilov-geneva-interview/"]
)
def test_an_unchanged_answer_is_a_304(api, path):
    etag = api.get(path)["ETag"]

    response = api.get(path, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


def test_errors_are_not_marked_cacheable(api, settings):
    settings.API_CACHE_SECONDS = 300

    response = api.get(f"{API}/events/", {"date_after": "nope"})

    assert response.status_code == 400
    assert "max-age" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/events/",
        f"{API}/events/?format=api",
        f"{API}/timeline/",
        f"{API}/events/gatilov-geneva-interview/",
    ],
)
def test_last_modified_is_the_newest_change_among_the_items(api, path):
    # The newest of them all, to the microsecond; HTTP dates keep whole seconds.
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Event.objects.update(updated_at=long_ago)
    Statement.objects.update(updated_at=long_ago)
    Event.objects.filter(slug="gatilov-geneva-interview").update(
        updated_at=datetime.datetime(2026, 11, 20, 10, 0, 0, 999_999, tzinfo=datetime.UTC)
    )

    response = api.get(path)

    assert response.status_code == 200
    assert response["Last-Modified"] == "Fri, 20 Nov 2026 10:00:00 GMT"
    assert api.get(path, HTTP_IF_MODIFIED_SINCE="Fri, 20 Nov 2026 10:00:00 GMT").status_code == 304
    assert api.get(path, HTTP_IF_MODIFIED_SINCE="Fri, 20 Nov 2026 09:59:59 GMT").status_code == 200
