"""GET /api/v1/changes/: what each kind of change looks like to each reader, paging, and every refusal."""

import datetime
import json
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import review, services
from events.changes import feed
from events.changes.cursor import Cursor, Position
from events.merging import actors_merge
from events.models import Actor, ChangeHorizon, Event, ShownChange, Source, Statement
from tests.connections import connect
from tests.events.changes.conftest import API, cursor_here, database_oid, ops, page

pytestmark = pytest.mark.usefixtures("committed")

MOSCOW_TALKS = "moscow-talks-russia-serraj-2017-03-02"
PESKOV = "peskov-no-movement-2017-03-03"


def new_draft(slug: str = "a-draft") -> Event:
    return services.event_save(
        event=None,
        fields={
            "slug": slug,
            "title": "A draft",
            "type": "talks",
            "date_text": "",
            "date_precision": "unknown",
        },
        citations=[
            services.CitationInput(source=Source.objects.get(), excerpt="Russia is urging U.S. President")
        ],
    )


def test_an_edit_is_an_upsert_carrying_exactly_the_detail_document(api):
    after = cursor_here()
    Event.objects.filter(slug=MOSCOW_TALKS).update(title="Russia hosts al-Serraj")

    response = api.get(f"{API}/changes/", {"after": after})
    detail = api.get(f"{API}/events/{MOSCOW_TALKS}/")

    body = json.loads(response.content)
    assert ops(body) == [("upsert", "event", MOSCOW_TALKS)]
    assert body["results"][0]["document"] == json.loads(detail.content)
    assert detail.content in response.content  # spliced byte for byte, as the detail endpoint writes it
    assert body["more"] is False
    assert body["previous"] is None


def test_every_kind_of_record_is_an_upsert_with_its_detail_document(api):
    after = cursor_here()
    Source.objects.update(title="Russia urges Trump")  # every record cites the one source

    body = page(api, after)
    kinds = {
        kind: sum(1 for _, k, _ in ops(body) if k == kind)
        for kind in ("source", "actor", "event", "statement")
    }
    assert kinds == {"source": 1, "actor": 21, "event": 9, "statement": 14}
    for entry in body["results"]:
        route = {"source": "sources", "actor": "actors", "event": "events", "statement": "statements"}[
            entry["kind"]
        ]
        assert entry["document"] == api.get(f"{API}/{route}/{entry['slug']}/").json(), entry["slug"]


def test_a_draft_created_and_deleted_never_appears_to_anonymous_readers(api, editor, editor_api):
    after, editors_after = cursor_here(), cursor_here(editor)
    new_draft().delete()

    assert page(api, after)["results"] == []
    # Two transactions, each read as the record is now: gone.
    assert ops(page(editor_api, editors_after)) == [
        ("delete", "event", "a-draft"),
        ("delete", "event", "a-draft"),
    ]


def test_editors_see_a_drafts_changes(api, editor, editor_api):
    after, editors_after = cursor_here(), cursor_here(editor)
    new_draft()

    assert page(api, after)["results"] == []
    entries = page(editor_api, editors_after)["results"]
    assert [(entry["op"], entry["slug"], entry["document"]["status"]) for entry in entries] == [
        ("upsert", "a-draft", "draft")
    ]


def test_publishing_is_an_upsert_for_anonymous_readers(api):
    draft = new_draft()
    editor = User.objects.create_superuser("publisher")
    review.records_mark_reviewed(records=Event.objects.filter(pk=draft.pk), user=editor)
    after = cursor_here()
    review.records_publish(records=Event.objects.filter(pk=draft.pk), user=editor)

    entries = page(api, after)["results"]
    assert [(entry["op"], entry["slug"], entry["document"]["status"]) for entry in entries] == [
        ("upsert", "a-draft", "published")
    ]


def test_unpublishing_and_deleting_are_deletes_for_anonymous_readers(api, editor, editor_api):
    after, editors_after = cursor_here(), cursor_here(editor)
    editor = User.objects.create_superuser("publisher")
    review.records_unpublish(records=Event.objects.filter(slug=MOSCOW_TALKS), user=editor)
    Statement.objects.get(slug=PESKOV).delete()

    assert ops(page(api, after)) == [("delete", "event", MOSCOW_TALKS), ("delete", "statement", PESKOV)]
    # Editors still see the unpublished event: it changed, and it is theirs to read.
    assert ops(page(editor_api, editors_after)) == [
        ("upsert", "event", MOSCOW_TALKS),
        ("delete", "statement", PESKOV),
    ]


def test_renaming_an_actor_shows_every_document_that_shows_it(api):
    showing_events = sorted(
        Event.objects.filter(participations__actor__slug="russia").values_list("slug", flat=True)
    )
    statements = sorted(
        {*Statement.objects.filter(about__slug="russia").values_list("slug", flat=True),
         *Statement.objects.filter(speaker__slug="russia").values_list("slug", flat=True)}
    )  # fmt: skip
    Statement.objects.filter(slug=statements[0]).update(
        status="reviewed"
    )  # one of them hidden from the public
    after = cursor_here()
    Actor.objects.filter(slug="russia").update(name="Russian Federation")

    body = page(api, after)
    assert [slug for op, kind, slug in ops(body) if kind == "event"] == showing_events
    # The hidden statement is not shown: its entry would tell an anonymous reader nothing they may know.
    assert [slug for op, kind, slug in ops(body) if kind == "statement"] == statements[1:]
    assert {op for op, *_ in ops(body)} == {"upsert"}
    for entry in body["results"]:
        assert "Russian Federation" in json.dumps(entry["document"]), entry["slug"]


def _read_all(after: str, page_size: int) -> tuple[list[tuple], list[int]]:
    """(op, kind, slug) of every entry after `after`, read `page_size` at a time; and the SQL statements of each page."""
    seen, statements, cursor = [], [], after
    while True:
        with CaptureQueriesContext(connection) as queries:
            result = feed.changes_page(user=AnonymousUser(), after=cursor, page_size=page_size, request=None)
        statements.append(len(queries))
        seen += [(entry.op, entry.kind, entry.slug) for entry in result.entries]
        cursor = result.cursor
        if not result.more:
            return seen, statements


def test_the_first_page_reading_a_rename_writes_its_documents_into_the_log(api):
    """Found once, by the page that meets the rename; the pages after read them by index, in 2 statements."""
    after = cursor_here()
    Actor.objects.filter(slug="iran").update(description="A state")
    Actor.objects.filter(slug="russia").update(name="Russian Federation")
    assert list(ShownChange.objects.values_list("shows", "expanded").order_by("shows")) == [
        ("actor.affiliation", False), ("conflict.parties", False), ("event.participants", False),
        ("statement.about", False), ("statement.speaker", False),
    ]  # fmt: skip

    seen, statements = _read_all(after, page_size=3)

    assert len(seen) == 22 and seen[:2] == [("upsert", "actor", "iran"), ("upsert", "actor", "dmitry-peskov")]
    # The first page: its own rows; BEGIN, the rename's rows locked, its entries written, the
    # rows marked, COMMIT; its entries read for this page; the documents. The others: 2.
    assert statements == [8] + [2] * 7
    assert set(ShownChange.objects.values_list("expanded", flat=True)) == {True}
    assert _read_all(after, page_size=500) == (seen, [2])
    assert ops(page(api, after)) == seen


def test_a_page_reads_a_rename_another_page_is_writing_as_that_page_will_have_written_it(api):
    """While one page writes a rename's entries, another reads them itself, and sees the same."""
    after = cursor_here()
    Actor.objects.filter(slug="russia").update(name="Russian Federation")
    with connect() as other:
        other.execute("SELECT * FROM events_shownchange FOR UPDATE")  # as a page writing them would

        while_locked, statements = _read_all(after, page_size=500)
        assert statements == [
            6
        ]  # its rows; BEGIN, none locked for it, COMMIT; the entries read; the documents
        other.rollback()
    assert set(ShownChange.objects.values_list("expanded", flat=True)) == {False}

    assert _read_all(after, page_size=500) == (while_locked, [8])
    assert _read_all(after, page_size=500) == (while_locked, [2])
    assert len(while_locked) == 21


def test_a_merge_names_the_record_merged_into(api):
    after = cursor_here()
    actors_merge(
        target=Actor.objects.get(slug="trump-administration"),
        others=[Actor.objects.get(slug="donald-trump")],
        confirm_kinds=True,
    )

    body = page(api, after)
    assert ("merge", "actor", "donald-trump", "trump-administration") in ops(body)
    assert ("upsert", "actor", "trump-administration") in ops(body)


def test_a_slug_change_deletes_the_old_slug_and_upserts_the_new(api):
    spoken = sorted(
        Statement.objects.filter(speaker__slug="senior-western-diplomat").values_list("slug", flat=True)
    )
    after = cursor_here()
    Actor.objects.filter(slug="senior-western-diplomat").update(slug="western-diplomat")

    assert ops(page(api, after)) == [
        ("delete", "actor", "senior-western-diplomat"),
        ("upsert", "actor", "western-diplomat"),
        *(("upsert", "statement", slug) for slug in spoken),
    ]
    assert len(spoken) == 1


def test_an_empty_page_still_gives_a_cursor_to_wait_on(api):
    after = cursor_here()
    body = page(api, after)

    assert body["results"] == [] and body["more"] is False
    assert (
        body["next"]
        == f"http://testserver{API}/changes/?{urlencode({'after': body['cursor'], 'page_size': 500})}"
    )
    # Nothing changed: the same cursor answers the same empty page.
    assert page(api, body["cursor"]) == {**body, "next": body["next"]}


def test_pages_follow_one_another_and_every_entry_resumes_after_itself(api):
    after = cursor_here()
    Actor.objects.filter(slug__in=["iran", "turkey", "egypt", "syria", "libya"]).update(description="A state")
    everything = ops(page(api, after))

    seen, cursor = [], after
    while True:
        body = page(api, cursor, page_size=2)
        seen += ops(body)
        cursor = body["cursor"]
        if not body["more"]:
            break
    assert (
        seen
        == everything
        == [("upsert", "actor", slug) for slug in ["egypt", "iran", "libya", "syria", "turkey"]]
    )

    second = page(api, after)["results"][1]
    assert ops(page(api, second["cursor"])) == everything[2:]


def test_without_a_cursor_the_feed_starts_at_the_logs_beginning(api):
    ChangeHorizon.objects.all().delete()  # a log never pruned nor emptied (this test database's was)
    body = page(api)
    slugs = {(kind, slug) for _, kind, slug in ops(body)}
    # The seeds were loaded after the database was last emptied.
    assert {
        ("actor", "russia"),
        ("event", MOSCOW_TALKS),
        ("statement", PESKOV),
        ("conflict", "libyan-crisis"),
    } <= slugs


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"after": "not-a-cursor"}, {"after": ["invalid cursor: use the cursor of a page or entry of this feed, or a dump's first line"]}),
        ({"after": ""}, {"after": ["invalid cursor: use the cursor of a page or entry of this feed, or a dump's first line"]}),
        ({"page_size": "0"}, {"page_size": ["must be a whole number from 1 to 500; got '0'"]}),
        ({"since": "x"}, {"since": ["unknown parameter; this endpoint takes: after, page_size, format"]}),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_naming_the_parameter(api, query, problem):
    response = api.get(f"{API}/changes/", query)
    assert (response.status_code, response.json()) == (400, problem)


def test_a_forged_cursor_is_a_400(api):
    genuine = cursor_here()
    payload, signature = genuine.rsplit(":", 1)
    forged = Cursor.decode(genuine)
    tampered = Cursor(database=forged.database, drafts=("event", "statement"), after=forged.after).encode()
    response = api.get(f"{API}/changes/", {"after": tampered.rsplit(":", 1)[0] + ":" + signature})
    assert response.status_code == 400
    assert list(response.json()) == ["after"]


def test_a_parameter_given_twice_is_a_400(api):
    after = cursor_here()
    response = api.get(f"{API}/changes/?after={after}&after={after}")
    assert (response.status_code, response.json()) == (400, {"after": ["give this parameter once"]})


def test_a_cursor_older_than_the_retention_is_gone(api):
    after = cursor_here()
    Actor.objects.filter(slug="iran").update(description="A state")
    report = feed.changes_prune(days=90, now=timezone.now() + datetime.timedelta(days=91))
    assert report.removed > 0

    response = api.get(f"{API}/changes/", {"after": after})
    assert response.status_code == 410
    assert response.json() == {
        "detail": "this cursor is older than the change log keeps (entries are kept 90 days) "
        "or the log was reset: start again from the dump",
        "dump": f"http://testserver{API}/dump/",
    }
    response = api.get(f"{API}/changes/")
    assert response.status_code == 410
    assert response.json()["detail"] == (
        "the change log no longer reaches back to the beginning: start from the dump, then follow its cursor"
    )


def test_a_cursor_of_another_database_or_of_other_drafts_is_gone(api, editor):
    other_database = Cursor(database=database_oid() + 1, drafts=(), after=Position(1)).encode()
    response = api.get(f"{API}/changes/", {"after": other_database})
    assert response.status_code == 410
    assert response.json()["detail"].startswith("this cursor belongs to another database")

    response = api.get(f"{API}/changes/", {"after": cursor_here(editor)})
    assert response.status_code == 410
    assert response.json()["detail"] == (
        "this cursor was handed to a reader who sees event, statement, and you see no drafts: "
        "start again from a dump taken with your credentials"
    )


def test_an_unchanged_page_is_a_304_and_if_match_a_412(api):
    after = cursor_here()
    Actor.objects.filter(slug="iran").update(description="A state")
    first = api.get(f"{API}/changes/", {"after": after})
    etag = first.headers["ETag"]

    assert api.get(f"{API}/changes/", {"after": after}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get(f"{API}/changes/", {"after": after}, HTTP_IF_MATCH='"another"').status_code == 412
    assert first.headers["Cache-Control"] == "public, no-cache"


def test_an_unknown_format_is_a_400_and_errors_are_json_in_every_format(api):
    response = api.get(f"{API}/changes/", {"format": "xml"})
    assert (response.status_code, response.json()) == (
        400,
        {"format": ["unknown format 'xml'; this endpoint answers json, api"]},
    )
    response = api.get(f"{API}/changes/", {"format": "api", "after": "forged"})
    assert response.status_code == 400 and response.headers["Content-Type"] == "application/json"
    browsable = api.get(f"{API}/changes/", {"format": "api", "after": cursor_here()})
    assert browsable.status_code == 200 and browsable.headers["Content-Type"].startswith("text/html")
    response = api.get(f"{API}/dump/", {"format": "json"})
    assert (response.status_code, response.json()) == (
        400,
        {"format": ["unknown parameter; this endpoint takes: no parameters"]},
    )
