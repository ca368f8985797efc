"""Read replicas: reads go to a PostgreSQL replica, writes to the primary, consistency first.

With replicas configured (settings.DATABASE_REPLICAS, from DATABASE_REPLICA_URLS), the
router sends a read to a replica unless the primary must answer it. The primary
("default") answers:

- every write (save, update, delete, bulk_create, select_for_update, get_or_create);
- a read while the "default" connection is inside `transaction.atomic()`: the read sees
  the transaction's own uncommitted writes, and `select_for_update()` locks real rows;
- every read after the unit of work (a request, see below) has written anything: the
  rest of the request reads its own writes, which a lagging replica may not have yet;
- every read of a request whose method is not GET, HEAD, OPTIONS or TRACE: a write
  request validates what it is about to write (slugs it refers to, uniqueness, If-Match)
  against the primary, so an editor may refer to a record created a moment ago;
- every read of a request to the admin: editors save a form and are redirected to a page
  that must show what they saved;
- reads of sessions and API tokens: a login or a new token must work on the very next
  request, however far behind the replica is;
- reads and writes of the database cache (the API's throttle counts, settings.CACHES): a
  replica cannot take its writes and may lag behind them. Writing a count is bookkeeping,
  not the request's own work, so it does not send the request's later reads to the
  primary (otherwise every anonymous read, which counts itself first, would).

A unit of work is one request (ReplicaRoutingMiddleware opens and closes it). It reads
from one replica only, chosen at its first replica read, so its reads are mutually
consistent (a list and its prefetches come from the same snapshot in time). Replicas take
turns request by request (round robin per process, starting at a random place so that
processes do not all begin with the same replica). Outside any request (a management
command, a shell) the thread's context is one long unit of work: it reads from one
replica until its first write, then from the primary.

Relations between objects read from the primary and from a replica are allowed (they hold
the same data). Migrations run on the primary only; a replica gets them by replication.

Without replicas the router is transparent: it answers None (Django's own choice,
"default") for reads and writes.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Requests with these methods may read from a replica; any other is a write request.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Credentials are read from the primary: a session or a token is used right after its creation.
PRIMARY_ONLY_MODELS = frozenset({"sessions.session", "authtoken.token"})
# The app label Django's database cache gives its table's stand-in model (which has no
# `label_lower`, unlike real models).
DATABASE_CACHE_APP = "django_cache"


def is_database_cache(model) -> bool:
    """Whether `model` is the database cache's table (django.core.cache.backends.db)."""
    return model._meta.app_label == DATABASE_CACHE_APP


@dataclass
class UnitOfWork:
    """The routing state of one request (or of a thread outside requests)."""

    # Once True, every read of this unit goes to the primary.
    primary: bool = False
    # The replica this unit reads from, chosen at its first replica read.
    replica: str | None = None


_unit: contextvars.ContextVar[UnitOfWork | None] = contextvars.ContextVar("db_routing_unit", default=None)
# Round robin over the replicas, per process, from a random start.
_turns = itertools.count(random.randrange(1_000_000))


def replica_aliases() -> list[str]:
    """The database aliases reads may go to (empty: no replicas, everything on "default")."""
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def current_unit() -> UnitOfWork:
    """The unit of work of this request, or of this thread outside requests (created on first use)."""
    unit = _unit.get()
    if unit is None:
        unit = UnitOfWork()
        _unit.set(unit)
    return unit


@contextlib.contextmanager
def unit_of_work(*, primary: bool = False) -> Iterator[UnitOfWork]:
    """A fresh unit of work for the duration of the block: a new replica turn, nothing written yet."""
    unit = UnitOfWork(primary=primary)
    token = _unit.set(unit)
    try:
        yield unit
    finally:
        _unit.reset(token)


def use_primary() -> None:
    """Send every later read of the current unit of work to the primary."""
    current_unit().primary = True


def primary_in_transaction() -> bool:
    """Whether the "default" connection is inside `transaction.atomic()`.

    The atomic block that Django's TestCase wraps around each test marks itself
    `_from_testcase` and does not count: it stands for the autocommit of a real run (Django
    discounts it the same way for `atomic(durable=True)`).
    """
    return any(
        not getattr(block, "_from_testcase", False) for block in connections[DEFAULT_DB_ALIAS].atomic_blocks
    )


class PrimaryReplicaRouter:
    """Reads from a replica, writes to the primary; see the module's docstring for the rules."""

    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas:
            return None
        if is_database_cache(model) or model._meta.label_lower in PRIMARY_ONLY_MODELS:
            return DEFAULT_DB_ALIAS
        unit = current_unit()
        if unit.primary or primary_in_transaction():
            return DEFAULT_DB_ALIAS
        if unit.replica not in replicas:
            unit.replica = replicas[next(_turns) % len(replicas)]
        return unit.replica

    def db_for_write(self, model, **hints):
        if not replica_aliases():
            return None
        if is_database_cache(model):
            return DEFAULT_DB_ALIAS
        # Read your own writes: the rest of this unit reads from the primary.
        current_unit().primary = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        same_data = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == DEFAULT_DB_ALIAS:
            return True
        if db in replica_aliases():
            return False
        return None


class ReplicaRoutingMiddleware:
    """Makes each request one unit of work for the router, pinned to the primary when it must be.

    Place it near the top of MIDDLEWARE, before anything that may touch the database. A
    streaming response consumed after the middleware returns reads outside the request's
    unit of work.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with unit_of_work(primary=request.method not in SAFE_METHODS):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and "admin" in match.app_names:
            use_primary()
        return None
