"""GET /api/v1/dump/ and `manage.py export_dump`: every visible record in one snapshot, and the cursor to follow from.

The cursor is the point of the dump: following the feed from it must give every change
the dump does not hold and none that it does, even when transactions were in progress
while it was taken. That is tested with real, committing connections.
"""

from __future__ import annotations

import gzip
import json
import tracemalloc

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from events.changes import dump, feed
from events.changes.cursor import Cursor, Position
from events.models import Actor, Conflict, Event, Source, Statement
from tests.connections import connect
from tests.events.changes.conftest import API, ops, page

pytestmark = pytest.mark.usefixtures("committed")

ROUTES = {
    "source": "sources",
    "actor": "actors",
    "conflict": "conflicts",
    "event": "events",
    "statement": "statements",
}


def lines_of(response) -> list[dict]:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    body = b"".join(response.streaming_content)
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return [json.loads(line) for line in body.decode().splitlines()]


def records_of(lines: list[dict]) -> dict[tuple[str, str], dict]:
    return {(line["kind"], line["slug"]): line["document"] for line in lines[1:-1]}


def test_the_dump_holds_every_public_record_as_its_detail_endpoint_shows_it(api):
    Event.objects.filter(slug="moscow-talks-russia-serraj-2017-03-02").update(status="draft")
    response = api.get(f"{API}/dump/")
    lines = lines_of(response)

    header, end = lines[0], lines[-1]
    assert sorted(header) == ["cursor", "drafts", "dump", "format", "taken_at"]
    assert (header["dump"], header["format"], header["drafts"]) == ("event timeline", 1, [])
    records = records_of(lines)
    assert end == {"end": True, "records": len(records)}
    assert [kind for kind, _ in records] == ["source"] + ["actor"] * 23 + ["conflict"] * 2 + ["event"] * 8 + [
        "statement"
    ] * 14
    assert ("event", "moscow-talks-russia-serraj-2017-03-02") not in records
    for (kind, slug), document in records.items():
        assert document == api.get(f"{API}/{ROUTES[kind]}/{slug}/").json(), (kind, slug)
    assert response.headers["Content-Type"] == "application/x-ndjson"
    assert response.headers["Cache-Control"] == "no-store"


def test_an_editors_dump_holds_drafts_and_says_so(editor_api):
    Event.objects.filter(slug="moscow-talks-russia-serraj-2017-03-02").update(status="draft")
    lines = lines_of(editor_api.get(f"{API}/dump/"))

    assert lines[0]["drafts"] == ["event", "statement"]
    assert records_of(lines)[("event", "moscow-talks-russia-serraj-2017-03-02")]["status"] == "draft"
    assert lines[-1] == {"end": True, "records": 49}


def test_the_dump_is_gzipped_when_asked(api):
    plain = lines_of(api.get(f"{API}/dump/"))
    response = api.get(f"{API}/dump/", HTTP_ACCEPT_ENCODING="gzip, deflate")

    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert records_of(lines_of(response)) == records_of(plain)


def test_following_the_feed_from_the_dump_gives_no_gap_and_no_overlap(api):
    """A transaction running while the dump is taken is in the feed after it; one the dump saw is not."""
    running, done = connect(), connect()
    try:
        running.execute("UPDATE events_actor SET description = 'running during the dump' WHERE slug = 'iran'")
        done.execute(
            "UPDATE events_actor SET description = 'committed before the dump' WHERE slug = 'turkey'"
        )
        done.commit()

        lines = lines_of(api.get(f"{API}/dump/"))
        records = records_of(lines)
        assert records[("actor", "turkey")]["description"] == "committed before the dump"
        assert records[("actor", "iran")]["description"] == "Islamic Republic of Iran; a main patron of Assad"

        running.commit()
        Actor.objects.filter(slug="egypt").update(description="after the dump")

        after_dump = page(api, lines[0]["cursor"])
        assert ops(after_dump) == [("upsert", "actor", "iran"), ("upsert", "actor", "egypt")]

        # Applied to the dump, the feed gives exactly a fresh dump.
        for entry in after_dump["results"]:
            records[(entry["kind"], entry["slug"])] = entry["document"]
        assert records == records_of(lines_of(api.get(f"{API}/dump/")))

        # Why the cursor carries the snapshot: a plain position at its xmin shows again what the
        # dump held (turkey); one at its xmax misses the transaction that was running (iran).
        snapshot = Cursor.decode(lines[0]["cursor"])
        at_xmin = Cursor(database=snapshot.database, drafts=(), after=snapshot.after).encode()
        at_xmax = Cursor(database=snapshot.database, drafts=(), after=Position(snapshot.xmax)).encode()
        assert [slug for _, _, slug in ops(page(api, at_xmin))] == ["iran", "turkey", "egypt"]
        assert [slug for _, _, slug in ops(page(api, at_xmax))] == ["egypt"]
    finally:
        for conn in (running, done):
            conn.rollback()
            conn.close()


def test_anonymous_dumps_are_throttled_with_retry_after(api, editor_api, settings):
    settings.CHANGES_DUMP_ANON_RATE = "2/hour"
    assert [api.get(f"{API}/dump/").status_code for _ in range(2)] == [200, 200]

    refused = api.get(f"{API}/dump/")
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert refused.json()["detail"].startswith("Request was throttled.")
    # Editors are not throttled by the dump's anonymous rate.
    assert [editor_api.get(f"{API}/dump/").status_code for _ in range(3)] == [200, 200, 200]


def test_the_dump_takes_no_parameters(api):
    response = api.get(f"{API}/dump/", {"since": "yesterday"})
    assert (response.status_code, response.json()) == (
        400,
        {"since": ["unknown parameter; this endpoint takes: no parameters"]},
    )


def test_export_dump_writes_the_same_records_as_the_endpoint(api, tmp_path):
    call_command("export_dump", str(tmp_path / "dump.ndjson"), "--base-url", "http://testserver", verbosity=0)
    call_command(
        "export_dump", str(tmp_path / "dump.ndjson.gz"), "--base-url", "http://testserver", verbosity=0
    )

    from_endpoint = records_of(lines_of(api.get(f"{API}/dump/")))
    written = [json.loads(line) for line in (tmp_path / "dump.ndjson").read_text().splitlines()]
    zipped = [
        json.loads(line) for line in gzip.decompress((tmp_path / "dump.ndjson.gz").read_bytes()).splitlines()
    ]
    assert records_of(written) == records_of(zipped) == from_endpoint
    assert written[0]["drafts"] == [] and written[-1] == {"end": True, "records": 49}


def test_export_dump_without_a_base_url_writes_urls_from_the_api_root(tmp_path):
    call_command("export_dump", str(tmp_path / "dump.ndjson"), verbosity=0)
    lines = [json.loads(line) for line in (tmp_path / "dump.ndjson").read_text().splitlines()]
    assert lines[1]["document"]["url"] == "/api/v1/sources/bloomberg-2017-03-03-russia-urges-trump/"


def test_the_dump_streams_in_constant_memory():
    """A dump many times larger than what the process holds while writing it: rows come in batches."""
    call_command("seed_synthetic", "--events", "3000", "--seed", "3", "--flush", verbosity=0)
    counts = {
        "events": Event.objects.filter(status="published").count(),
        "statements": Statement.objects.filter(status="published").count(),
        "others": Actor.objects.count() + Conflict.objects.count() + Source.objects.count(),
    }
    tracemalloc.start()
    try:
        written = 0
        for piece in dump.pieces(dump.dump_lines(user=AnonymousUser(), request=None)):
            written += len(piece)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert sum(counts.values()) > 8000
    assert written > 8_000_000
    assert peak < 2_500_000, f"peak {peak:,} bytes for a dump of {written:,}"


def test_the_feed_reads_a_dumps_cursor_only_for_the_reader_it_was_taken_for(api, editor, editor_api):
    lines = lines_of(editor_api.get(f"{API}/dump/"))
    response = api.get(f"{API}/changes/", {"after": lines[0]["cursor"]})
    assert response.status_code == 410
    assert feed.reader_drafts(editor) == ("event", "statement")


def test_where_the_dump_is_published_as_a_file_anonymous_readers_are_sent_there(api, editor_api, settings):
    settings.CHANGES_DUMP_URL = "https://files.example.org/timeline-dump.ndjson.gz"
    response = api.get(f"{API}/dump/")
    assert (response.status_code, response.headers["Location"]) == (302, settings.CHANGES_DUMP_URL)
    # Editors see drafts, which a published file does not hold: theirs is streamed.
    assert lines_of(editor_api.get(f"{API}/dump/"))[-1] == {"end": True, "records": 49}
