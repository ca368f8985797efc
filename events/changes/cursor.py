"""The change feed's cursor: what a reader has read, signed so that it cannot be forged.

A position in the log is (xid, kind, slug): the writing transaction's id, then the
record. A cursor says "every entry at or before `after` has been read", and, for a
cursor taken from a dump's snapshot, also "every entry of a transaction below `xmax` has
been read, except those of the transactions in `pending`" (the snapshot's in-progress
transactions: the dump could not see them, so the feed must still show them).

It also carries who it was handed to: the database (its OID: a cursor of another
database, a restored backup say, means nothing here) and the kinds whose drafts the
reader sees. A reader who sees other drafts than the cursor's would follow the feed
into a copy the dump did not start.

The text is a `django.core.signing.Signer` signature of compact JSON (no timestamp: the
same position always gives the same text, so an unchanged feed page is byte for byte
the same, and its ETag too).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core import signing

_SALT = "events.changes.cursor"
VERSION = 1
MAX_LENGTH = 4000


@functools.lru_cache(maxsize=4)
def _signer(secret_key: str) -> signing.Signer:
    # One per key: a page signs one cursor per entry, and making a Signer derives its key anew.
    return signing.Signer(key=secret_key, salt=_SALT)


class CursorInvalid(ValueError):
    """A cursor that no page of this feed handed out (forged, truncated or malformed)."""


@dataclass(frozen=True, order=True)
class Position:
    """A place in the log: entries are ordered by (xid, kind, slug)."""

    xid: int
    kind: str = ""
    slug: str = ""


START = Position(0)


@dataclass(frozen=True)
class Cursor:
    """Everything up to `after` has been read; below `xmax`, everything but the `pending` transactions."""

    database: int
    drafts: tuple[str, ...]
    after: Position = START
    xmax: int = 0
    pending: tuple[int, ...] = field(default=())

    def advanced_to(self, position: Position) -> Cursor:
        """The cursor once the entries up to `position` have been read too (never moves back)."""
        if position <= self.after:
            return self
        if position.xid >= self.xmax:
            return replace(self, after=position, xmax=0, pending=())
        return replace(
            self, after=position, pending=tuple(xid for xid in self.pending if xid >= position.xid)
        )

    def has_read(self, position: Position) -> bool:
        """Whether an entry at `position` is one this cursor has already read."""
        if position <= self.after:
            return True
        return position.xid < self.xmax and position.xid not in self.pending

    def covers(self, horizon: Position) -> bool:
        """Whether every entry at or before `horizon` (where the log now begins) is one this cursor has read."""
        if horizon <= self.after:
            return True
        return horizon.xid < self.xmax and all(xid > horizon.xid for xid in self.pending)

    def encode(self) -> str:
        data = {"v": VERSION, "d": self.database, "k": list(self.drafts), "p": list(_fields(self.after))}
        if self.xmax:
            data["x"], data["i"] = self.xmax, list(self.pending)
        # Compressed only when a snapshot's in-progress transactions make it long.
        return _signer(settings.SECRET_KEY).sign_object(data, compress=bool(self.pending))

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """The cursor `text` encodes; CursorInvalid when it is not one this feed signed."""
        if not text or len(text) > MAX_LENGTH or "\x00" in text:
            raise CursorInvalid(text)
        try:
            data = _signer(settings.SECRET_KEY).unsign_object(text)
            if data["v"] != VERSION:
                raise ValueError(data["v"])
            xid, kind, slug = data["p"]
            cursor = cls(
                database=_whole(data["d"]),
                drafts=tuple(_text(name) for name in data["k"]),
                after=Position(_whole(xid), _text(kind), _text(slug)),
                xmax=_whole(data.get("x", 0)),
                pending=tuple(_whole(xid) for xid in data.get("i", [])),
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise CursorInvalid(text) from None
        return cursor


def _fields(position: Position) -> tuple[int, str, str]:
    return position.xid, position.kind, position.slug


def _whole(value) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(value)
    return value


def _text(value) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    return value
