"""No entry ever appears behind a cursor already handed out, with transactions committing out of order.

Writers are real transactions on their own connections; the reader is the feed's service
on Django's connection, outside any transaction (the tests commit). A feed that showed
entries as soon as they were committed would hand out a cursor past a transaction still
running, and lose that transaction's entries when it commits: the first test builds
exactly that case, the second lets many writers race a reader at random.
"""

from __future__ import annotations

import json
import random
import threading
import time

import psycopg
import pytest
from django.contrib.auth.models import AnonymousUser

from events.changes import feed
from events.changes.cursor import Cursor, Position
from tests.connections import connect
from tests.events.changes.conftest import cursor_here

pytestmark = pytest.mark.usefixtures("committed")


def _edit(conn: psycopg.Connection, slug: str, text: str) -> int:
    """Change an actor's description in `conn`'s open transaction; returns the transaction's id."""
    conn.execute("UPDATE events_actor SET description = %s WHERE slug = %s", [text, slug])
    return conn.execute("SELECT pg_current_xact_id()::text::bigint").fetchone()[0]


def _read(after: str, page_size: int = 500) -> feed.Page:
    return feed.changes_page(user=AnonymousUser(), after=after, page_size=page_size, request=None)


def _position(entry_or_cursor: str) -> Position:
    return Cursor.decode(entry_or_cursor).after


def test_a_transaction_that_started_first_and_commits_last_is_not_jumped():
    first, second = connect(), connect()
    try:
        start = cursor_here()
        first_xid = _edit(first, "iran", "started first")  # not committed yet
        second_xid = _edit(second, "turkey", "started second")
        second.commit()
        assert first_xid < second_xid

        # The second transaction has committed, but the first, with a lower id, is still running:
        # nothing can be shown yet, and the cursor handed out must stay before the first.
        waiting = _read(start)
        assert (waiting.entries, waiting.more) == ([], False)
        assert _position(waiting.cursor) <= Position(first_xid)

        first.commit()
        both = _read(waiting.cursor)
        assert [(entry.kind, entry.slug) for entry in both.entries] == [
            ("actor", "iran"),
            ("actor", "turkey"),
        ]
        assert [_position(entry.cursor).xid for entry in both.entries] == [first_xid, second_xid]
        assert _read(both.cursor).entries == []
    finally:
        for conn in (first, second):
            conn.rollback()
            conn.close()


WRITERS = 4
TRANSACTIONS = 12
ACTORS = [
    "iran",
    "turkey",
    "egypt",
    "syria",
    "libya",
    "united-arab-emirates",
    "united-nations",
    "islamic-state",
]


def test_a_reader_racing_writers_sees_every_committed_change_once_in_order_and_nothing_else():
    rng = random.Random(14)
    plans = [
        [(rng.choice(ACTORS), rng.random() < 0.2, rng.uniform(0, 0.03)) for _ in range(TRANSACTIONS)]
        for _ in range(WRITERS)
    ]
    committed: set[tuple[int, str]] = set()
    rolled_back: set[tuple[int, str]] = set()
    commit_order: list[int] = []
    lock = threading.Lock()
    failures: list[BaseException] = []

    def write(plan):
        conn = connect()
        try:
            for number, (slug, abort, pause) in enumerate(plan):
                xid = _edit(conn, slug, f"edit {number} of {threading.get_ident()}")
                time.sleep(pause)  # others start, write and commit meanwhile
                with lock:  # the commit and its place in the order, together
                    (conn.rollback if abort else conn.commit)()
                    (rolled_back if abort else committed).add((xid, slug))
                    if not abort:
                        commit_order.append(xid)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
            conn.rollback()
        finally:
            conn.close()

    cursor = cursor_here()
    handed_out = [_position(cursor)]
    seen: list[tuple[Position, str]] = []
    writers = [threading.Thread(target=write, args=(plan,)) for plan in plans]
    for thread in writers:
        thread.start()

    def read_once() -> feed.Page:
        nonlocal cursor
        result = _read(cursor, page_size=3)
        for entry in result.entries:
            position = _position(entry.cursor)
            # Every entry lies beyond every cursor handed out before it.
            assert position > max(handed_out), (position, max(handed_out))
            seen.append((position, entry.slug))
            handed_out.append(position)
        handed_out.append(_position(result.cursor))
        cursor = result.cursor
        return result

    while any(thread.is_alive() for thread in writers):
        read_once()
    for thread in writers:
        thread.join()
    assert failures == []
    while read_once().more:
        pass
    # The writers really interleaved: some transaction committed before one that started (took its id) earlier.
    assert commit_order != sorted(commit_order)
    assert len(committed) > 30

    assert [position for position, _ in seen] == sorted({position for position, _ in seen})
    assert {(position.xid, slug) for position, slug in seen} == committed
    assert not {(position.xid, slug) for position, slug in seen} & rolled_back


MOSCOW_TALKS = "moscow-talks-russia-serraj-2017-03-02"


def test_a_rename_reaches_a_document_linked_after_the_rename_began():
    """Which documents show a renamed record is read when the feed reads the rename, not when it was written.

    The rename runs under REPEATABLE READ, so its own snapshot predates the new link: a
    search made by the writer would have missed the statement linked meanwhile.
    """
    from events.models import Statement

    statement = Statement.objects.exclude(occasion__slug=MOSCOW_TALKS).order_by("slug").first()
    start = cursor_here()
    renamer, linker = connect(), connect()
    try:
        renamer.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        renamer.execute("SELECT 1")  # the rename's snapshot is taken here
        linker.execute(
            "UPDATE events_statement SET occasion_id = (SELECT id FROM events_event WHERE slug = %s) WHERE slug = %s",
            [MOSCOW_TALKS, statement.slug],
        )
        linker.commit()
        renamer.execute("UPDATE events_event SET title = 'Talks in Moscow' WHERE slug = %s", [MOSCOW_TALKS])
        rename_xid = renamer.execute("SELECT pg_current_xact_id()::text::bigint").fetchone()[0]
        renamer.commit()
    finally:
        for conn in (renamer, linker):
            conn.close()

    assert ("statement", statement.slug, None, "") in feed.transaction_entries(rename_xid)
    page = _read(start)
    at_rename = [
        (entry.kind, entry.slug) for entry in page.entries if _position(entry.cursor).xid == rename_xid
    ]
    assert ("statement", statement.slug) in at_rename
    assert ("event", MOSCOW_TALKS) in at_rename
    shown = next(entry for entry in reversed(page.entries) if entry.slug == statement.slug)
    assert json.loads(shown.document)["occasion"]["name"] == "Talks in Moscow"
