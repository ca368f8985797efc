"""What a database error means, read from its SQLSTATE: the server is out of reach, two
transactions collided, or something is wrong that people must see.

PostgreSQL gives every error a five-character SQLSTATE; psycopg carries it as
`error.sqlstate` (None for errors raised on the client side, such as a refused
connection). Django re-raises the driver's errors as its own classes, with the driver's
error as `__cause__`, so the state is read along the chain.

- **Connection failures** (`is_connection_failure`): the database cannot be used right now
  and trying again shortly is the right advice (a 503 with Retry-After): class 08
  (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
  cannot_connect_now (starting up, shutting down, in recovery), 53300
  too_many_connections, and connection-level errors with no SQLSTATE at all (refused,
  unreachable, a socket closed under us).
- **Transaction conflicts** (`is_transaction_conflict`): 40P01 deadlock_detected and 40001
  serialization_failure. PostgreSQL aborted one transaction so that another could finish;
  the same work run again normally succeeds.
- Everything else (a statement timeout, 57014; a bad password, 28P01; a check that
  failed) is a real error: a 500, logged with its traceback.
"""

from __future__ import annotations

import psycopg
from django.db.utils import InterfaceError, OperationalError

CONNECTION_FAILURE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})
CONNECTION_FAILURE_CLASSES = ("08",)
TRANSACTION_CONFLICT_STATES = frozenset({"40P01", "40001"})

# How far along __cause__/__context__ to look: Django's wrapper, a re-raise or two.
_CHAIN_LIMIT = 5


def _chain(exc: BaseException | None):
    """`exc` and the errors it was raised from, nearest first."""
    for _ in range(_CHAIN_LIMIT):
        if exc is None:
            return
        yield exc
        exc = exc.__cause__ or exc.__context__


def driver_error(exc: BaseException | None) -> psycopg.Error | None:
    """The psycopg error behind `exc` (itself, or what Django wrapped), if any."""
    return next((e for e in _chain(exc) if isinstance(e, psycopg.Error)), None)


def sqlstate(exc: BaseException | None) -> str | None:
    """The SQLSTATE of the database error behind `exc`; None if it has none or is no database error."""
    error = driver_error(exc)
    return error.sqlstate if error is not None else None


def is_connection_failure(exc: BaseException | None) -> bool:
    """Whether `exc` means the database cannot be reached or used now (see the module doc)."""
    error = driver_error(exc)
    if error is None:
        # Django's own "connection already closed" has no driver error behind it.
        return any(isinstance(e, (InterfaceError, OperationalError)) for e in _chain(exc))
    state = error.sqlstate
    if state is None:
        return isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError))
    return state.startswith(CONNECTION_FAILURE_CLASSES) or state in CONNECTION_FAILURE_STATES


def is_transaction_conflict(exc: BaseException | None) -> bool:
    """Whether `exc` is a deadlock or a serialization failure: the same work may simply be run again."""
    return sqlstate(exc) in TRANSACTION_CONFLICT_STATES
