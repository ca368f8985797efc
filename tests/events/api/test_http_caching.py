"""What caches in front of the API may keep: Cache-Control, Vary, and 304s for the unchanged.

Anonymous answers are the same for everyone, so a shared cache may keep them (for
API_CACHE_SECONDS, or revalidating every time by default); editors see drafts, so their
answers are private. Every read answer varies with the credentials.
"""

import pytest

from events.models import Actor
from tests.events.api.conftest import API

FAR_FUTURE = "Fri, 01 Jan 2100 00:00:00 GMT"

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
        f"{API}/events/moscow-talks-russia-serraj-2017-03-02/",
    ],
)
def test_a_renamed_actor_changes_the_etag_and_no_date_claims_otherwise(api, path):
    # The event's own updated_at stays; only a record it embeds changes.
    before = api.get(path)
    Actor.objects.filter(slug="fayez-al-serraj").update(name="Fayez Mustafa al-Serraj")

    after = api.get(path, HTTP_IF_NONE_MATCH=before["ETag"], HTTP_IF_MODIFIED_SINCE=FAR_FUTURE)

    assert after.status_code == 200
    assert "Fayez Mustafa al-Serraj" in after.content.decode()
    assert after["ETag"] != before["ETag"]
    # No Last-Modified: no timestamp follows every record an answer embeds, so an
    # If-Modified-Since alone is never answered 304.
    assert "Last-Modified" not in before and "Last-Modified" not in after
    assert api.get(path, HTTP_IF_MODIFIED_SINCE=FAR_FUTURE).status_code == 200
