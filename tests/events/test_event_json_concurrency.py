"""The JSON lists stored on event rows stay current when two transactions write at once.

Migration 0008's triggers lock before they compute, so whichever transaction refreshes an
event last computes from everything the other committed. Each test runs two real
transactions on their own connections, makes the second wait on the first (checked in
pg_stat_activity, not assumed), and reads the result after both commit. Without the locks
each of these ends with a list that misses one of the two changes.

These transactions commit, so each test undoes its changes to the seed rows at the end.
"""

import json
import threading
import time
from collections.abc import Callable

import psycopg
import pytest

from events.read_model.stored import stale_rows as stale_events
from tests.connections import connect

pytestmark = pytest.mark.usefixtures("seeded")

EVENT = "russian-military-intervention-syria"
ACTOR = "turkey"  # not among the event's participants
OTHER_ACTOR = "iran"  # nor this one


def _one(conn: psycopg.Connection, sql: str, params=()):
    return conn.execute(sql, params).fetchone()[0]


@pytest.fixture
def sessions():
    """Three connections: two writers and one observer (autocommit); the seeds restored after."""
    first, second, observer = connect(), connect(), connect()
    observer.autocommit = True
    event = _one(observer, "SELECT id FROM events_event WHERE slug = %s", [EVENT])
    actor, name = observer.execute("SELECT id, name FROM events_actor WHERE slug = %s", [ACTOR]).fetchone()
    other = _one(observer, "SELECT id FROM events_actor WHERE slug = %s", [OTHER_ACTOR])
    try:
        yield first, second, observer, {"event": event, "actor": actor, "other": other}
    finally:
        for conn in (first, second):
            conn.rollback()
            conn.close()
        observer.execute(
            "DELETE FROM events_eventparticipant WHERE event_id = %s AND actor_id IN (%s, %s)",
            [event, actor, other],
        )
        observer.execute("UPDATE events_actor SET name = %s WHERE id = %s", [name, actor])
        observer.close()
    assert stale_events() == []


def _in_background(conn: psycopg.Connection, work: Callable[[psycopg.Connection], None]) -> threading.Thread:
    def run():
        work(conn)
        conn.commit()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_until_blocked(observer: psycopg.Connection, conn: psycopg.Connection) -> None:
    pid = conn.info.backend_pid
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        waiting = _one(observer, "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        if waiting == "Lock":
            return
        time.sleep(0.02)
    raise AssertionError("the second transaction never waited for the first")


def _stored_participants(observer: psycopg.Connection, event: int) -> list[tuple[str, str]]:
    stored = _one(observer, "SELECT participants_json::text FROM events_event WHERE id = %s", [event])
    return [(p["actor"]["slug"], p["actor"]["name"]) for p in json.loads(stored)]


def _add(conn, ids, actor_key="actor"):
    conn.execute(
        "INSERT INTO events_eventparticipant (event_id, actor_id, role) VALUES (%s, %s, 'backer')",
        [ids["event"], ids[actor_key]],
    )


def _rename(conn, ids):
    conn.execute("UPDATE events_actor SET name = 'Republic of Turkey' WHERE id = %s", [ids["actor"]])


def test_an_actor_renamed_while_being_added_to_an_event(sessions):
    first, second, observer, ids = sessions
    _add(first, ids)  # not committed yet
    renaming = _in_background(second, lambda conn: _rename(conn, ids))
    _wait_until_blocked(observer, second)
    first.commit()
    renaming.join()

    assert ("turkey", "Republic of Turkey") in _stored_participants(observer, ids["event"])


def test_an_actor_added_to_an_event_while_being_renamed(sessions):
    first, second, observer, ids = sessions
    _rename(first, ids)  # not committed yet
    adding = _in_background(second, lambda conn: _add(conn, ids))
    _wait_until_blocked(observer, second)
    first.commit()
    adding.join()

    assert ("turkey", "Republic of Turkey") in _stored_participants(observer, ids["event"])


def test_two_participants_added_to_one_event_at_once(sessions):
    first, second, observer, ids = sessions
    _add(first, ids)  # not committed yet
    adding = _in_background(second, lambda conn: _add(conn, ids, "other"))
    _wait_until_blocked(observer, second)
    first.commit()
    adding.join()

    slugs = [slug for slug, _ in _stored_participants(observer, ids["event"])]
    assert sorted(slugs) == ["bashar-al-assad", "iran", "russia", "syrian-rebels", "turkey"]


def test_a_rename_refuses_a_transaction_long_snapshot(sessions):
    """Under REPEATABLE READ the rename could miss links committed after its snapshot."""
    first, _, observer, ids = sessions
    first.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ

    with pytest.raises(psycopg.errors.InvalidTransactionState) as refused:
        _rename(first, ids)

    assert f"renaming events_actor {ids['actor']} needs READ COMMITTED isolation" in str(refused.value)
    first.rollback()
    assert _one(observer, "SELECT name FROM events_actor WHERE id = %s", [ids["actor"]]) == "Turkey"
