"""The feed's cursor: where it stands, what it has read, and that only a cursor this feed signed is read."""

import pytest
from django.core import signing

from events.changes.cursor import START, Cursor, CursorInvalid, Position

# A dump's cursor: its snapshot saw everything below transaction 100, and 101 to 109 but 104 and 107.
SNAPSHOT = Cursor(database=7, drafts=(), after=Position(100), xmax=110, pending=(100, 104, 107))


def test_a_snapshot_cursor_has_read_what_the_snapshot_saw_and_nothing_else():
    assert [xid for xid in range(98, 112) if not SNAPSHOT.has_read(Position(xid, "actor", "x"))] == [
        100, 104, 107, 110, 111,
    ]  # fmt: skip


def test_moving_past_an_entry_keeps_the_transactions_still_to_read():
    moved = SNAPSHOT.advanced_to(Position(104, "actor", "x"))
    assert (moved.after, moved.xmax, moved.pending) == (Position(104, "actor", "x"), 110, (104, 107))
    assert not moved.has_read(Position(104, "event", "y"))  # later entries of the same transaction
    assert moved.has_read(Position(105, "event", "y"))

    past = SNAPSHOT.advanced_to(Position(110))
    assert (past.after, past.xmax, past.pending) == (Position(110), 0, ())
    assert SNAPSHOT.advanced_to(Position(50)) is SNAPSHOT  # never backwards


def test_a_cursor_covers_a_horizon_only_if_it_read_everything_up_to_it():
    assert SNAPSHOT.covers(Position(99, "statement", "z"))
    assert not SNAPSHOT.covers(Position(100, "actor", "a"))  # 100 was still running: its entries are unread
    assert not SNAPSHOT.covers(Position(105))  # 104 is unread
    assert Cursor(database=7, drafts=(), after=Position(103), xmax=110, pending=(104,)).covers(
        Position(103, "z")
    )
    assert not Cursor(database=7, drafts=()).covers(Position(1))
    assert Cursor(database=7, drafts=(), after=START).covers(START)


def test_encoding_is_stable_and_decoding_gives_the_same_cursor():
    plain = Cursor(database=7, drafts=("event",), after=Position(5, "actor", "iran"))
    assert plain.encode() == plain.encode()  # no timestamp: the same page, the same bytes
    assert Cursor.decode(plain.encode()) == plain
    assert Cursor.decode(SNAPSHOT.encode()) == SNAPSHOT


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nonsense",
        Cursor(database=7, drafts=()).encode()[:-2],
        signing.Signer(salt="another.salt").sign_object({"v": 1, "d": 7, "k": [], "p": [1, "", ""]}),
        signing.Signer(salt="events.changes.cursor").sign_object({"v": 2, "d": 7, "k": [], "p": [1, "", ""]}),
        signing.Signer(salt="events.changes.cursor").sign_object(
            {"v": 1, "d": 7, "k": [], "p": [-1, "", ""]}
        ),
        signing.Signer(salt="events.changes.cursor").sign_object(
            {"v": 1, "d": 7, "k": [], "p": ["1", "", ""]}
        ),
        signing.Signer(salt="events.changes.cursor").sign_object(
            {"v": 1, "d": 7, "k": [3], "p": [1, "", ""]}
        ),
        "x" * 5000,
    ],
)
def test_anything_but_a_cursor_this_feed_signed_is_refused(text):
    with pytest.raises(CursorInvalid):
        Cursor.decode(text)
