"""The change feed: the log's entries after a cursor, each resolved to what its reader may see now.

Order. Entries are ordered by their position (xid, kind, slug). A transaction's id is
taken at its first write, so positions do not follow commit order by themselves: a
transaction with a lower id may still commit after a higher one, behind a cursor already
handed out. The reader therefore shows only entries of transactions older than the
oldest transaction still running (the watermark: the smallest id in progress in the
query's snapshot, or the snapshot's xmax when none is). Every transaction below it has
ended, and any transaction that commits later has, or will take, an id at or above it.
So an entry never appears behind a cursor: once a page ends at a position, no entry will
ever be written at or before it. Writers pay nothing for this: no counter row, no lock.
While a writing transaction stays open, entries after its id wait for it.

What an entry says is decided when it is read, from the record's current state as the
reader may see it (`selectors`): visible now, an upsert carrying the document its detail
endpoint returns (`with_documents`, the same SQL); not visible, a delete (a merge when a
merge removed it, naming `into`). A record changed several times is shown at each of its
positions, each time as it is now: a copy that applies entries in order ends equal to
the database. Anonymous readers are not shown entries of records that were never
published during the transaction (`Change.public` false), so a draft created and deleted
never appears to them; entries whose status was not read (`public` null) are shown to
them only as upserts of records they can see.

Renames. A transaction that changed what documents show of a record (an actor's name)
wrote one `ShownChange` row per way of showing it, not one row per document: the
documents showing the record are found when the row is read (`shown_entries_sql`), and
each is an entry at the rename's position, as if the writer had logged it. The row is
read only once the rename has ended, in a snapshot taken after it, so a document linked
to the record while the rename ran is found too; one linked later is logged by its own
link. A page reads shown-record rows only as far as the log's own rows reach in it, so
its cost does not grow with the renames beyond it. The first page that reads a
shown-record row writes the entries it stands for into the log (`expand_shown`): finding
the documents again on every page would cost each page inside a rename shown by tens of
thousands of documents hundreds of milliseconds (docs/SCALING.md).

`python manage.py prune_changes` removes entries older than `CHANGES_RETENTION_DAYS`
and moves the horizon: a cursor from before it gets `CursorGone` (410) and must start
again from the dump.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connections, router, transaction
from django.db.models import BooleanField, F
from django.db.models.expressions import RawSQL
from django.utils import timezone

from events import selectors
from events.api.documents import with_documents
from events.changes.cursor import START, Cursor, CursorInvalid, Position
from events.changes.kinds import KINDS, dependencies, kind_named
from events.changes.models import Change, ChangeHorizon
from events.changes.triggers import (
    CHANGE_TABLE,
    CURRENT_XID,
    HORIZON_TABLE,
    SHOWN_TABLE,
    log_rows,
    public_sql,
    shown_public,
)
from events.read_model import sql

__all__ = ["CursorInvalid", "CursorGone", "Entry", "Page", "changes_page"]

UPSERT, DELETE, MERGE = "upsert", "delete", "merge"

VISIBLE = {
    "source": selectors.sources_visible,
    "actor": selectors.actors_visible,
    "conflict": selectors.conflicts_visible,
    "event": selectors.events_visible,
    "statement": selectors.statements_visible,
}

# The oldest transaction still running, as the query's own snapshot sees it (the
# reader's own, if it wrote anything, included): every transaction below it has
# committed or aborted.
WATERMARK = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
DATABASE = "(SELECT oid::bigint FROM pg_database WHERE datname = current_database())"


def shown_entries_sql(shown: str, ways: set[str] | None = None) -> str:
    """SQL of the entries `ShownChange` rows stand for: (xid, kind, slug, public, merged_into) of each document showing their record now.

    `shown` is a query of such rows (xid, shows, target_id); `ways`, the `shows` names
    they hold (all, if None). A document showing the record in several places (two
    citations of one source) comes once per place.
    """
    branches = []
    for item in dependencies()[0]:
        if ways is not None and item.name not in ways:
            continue
        owner = item.owner
        table = owner.model._meta.db_table
        if item.on_owner_row:
            found = f'JOIN {table} o ON o."{item.target_column}" = s.target_id'
        else:
            found = (
                f'JOIN {item.link._meta.db_table} l ON l."{item.target_column}" = s.target_id'
                f' JOIN {table} o ON o.id = l."{item.owner_column}"'
            )
        branches.append(
            f'SELECT s.xid, \'{owner.name}\'::text COLLATE "C" AS kind, o.slug::text COLLATE "C" AS slug,'
            f" {shown_public(owner)} AS public, ''::text AS merged_into"
            f" FROM ({shown}) s {found} WHERE s.shows = '{item.name}'"
        )
    return "\nUNION ALL ".join(branches)


# A page's first statement: the log's own rows after the cursor (at most a page of
# them), and the shown-record rows as far as those reach when they fill the page (up to
# the watermark when they do not), so a page's cost does not grow with the renames
# beyond it. When there are any, a second statement reads the documents they stand for.
_PAGE_SQL = f"""
WITH state AS MATERIALIZED (
    SELECT {WATERMARK} AS watermark, {DATABASE} AS database, h.xid AS hx, h.kind AS hk, h.slug AS hs
    FROM (SELECT) AS one LEFT JOIN {HORIZON_TABLE} h ON h.id = 1
), own AS MATERIALIZED (
    SELECT c.xid, c.kind, c.slug, c.public, c.merged_into
    FROM {CHANGE_TABLE} c, state
    WHERE (c.xid, c.kind, c.slug) > (%(xid)s, %(kind)s, %(slug)s)
      AND c.xid < state.watermark
      AND (c.xid >= %(xmax)s OR c.xid = ANY(%(pending)s))
      AND (c.public IS NOT false OR c.kind = ANY(%(drafts)s))
    ORDER BY c.xid, c.kind, c.slug
    LIMIT %(limit)s
)
SELECT state.watermark, state.database, state.hx, state.hk, state.hs, shown.xids, shown.ways, shown.targets,
       own.xid, own.kind, own.slug, own.public, own.merged_into
FROM state
CROSS JOIN LATERAL (
    SELECT array_agg(c.xid) AS xids, array_agg(c.shows::text) AS ways, array_agg(c.target_id) AS targets
    FROM {SHOWN_TABLE} c
    WHERE c.xid >= %(xid)s
      AND NOT c.expanded
      AND c.xid < state.watermark
      AND (c.xid >= %(xmax)s OR c.xid = ANY(%(pending)s))
      AND c.xid <= coalesce((SELECT max(own.xid) FROM own HAVING count(*) = %(limit)s), c.xid)
) shown
LEFT JOIN own ON true
ORDER BY own.xid, own.kind, own.slug
"""

_SHOWN_PAGE_SQL = """
SELECT DISTINCT ON (e.xid, e.kind, e.slug) e.xid, e.kind, e.slug, e.public, e.merged_into
FROM ({entries}) e
WHERE (e.xid, e.kind, e.slug) > (%(xid)s, %(kind)s, %(slug)s)
  AND (e.public IS NOT false OR e.kind = ANY(%(drafts)s))
ORDER BY e.xid, e.kind, e.slug
LIMIT %(limit)s
"""
_SHOWN_ROWS = (
    'SELECT s.xid, s.shows COLLATE "C" AS shows, s.target_id'
    " FROM unnest(%(xids)s::bigint[], %(ways)s::text[], %(targets)s::bigint[]) AS s (xid, shows, target_id)"
)


class CursorGone(Exception):
    """The cursor can no longer be followed (410): the reader must start again from the dump."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Entry:
    """One entry of a page: `op` on the record `kind`/`slug`, and the cursor just after it.

    An upsert carries the record's `document` (JSON text, as its detail endpoint answers);
    a merge names the record it was merged `into`.
    """

    cursor: str
    op: str
    kind: str
    slug: str
    document: str | None = None
    into: str | None = None


@dataclass(frozen=True)
class Page:
    """Entries after a cursor; `cursor` resumes after them, `more` says whether more are ready now."""

    entries: list[Entry]
    cursor: str
    more: bool


def reader_drafts(user: User | AnonymousUser | None) -> tuple[str, ...]:
    """The kinds whose drafts `user` sees (with the model's view permission, as the selectors decide)."""
    if not (user and user.is_authenticated):
        return ()
    return tuple(kind.name for kind in KINDS if kind.reviewed and user.has_perm(f"events.view_{kind.name}"))


def documents_of(wanted: list[tuple[str, str]], *, user, request) -> dict[tuple[str, str], str]:
    """{(kind, slug): document} of the records among `wanted` that `user` may see, built as their detail is.

    One query for every kind (a UNION of each kind's detail query), so a page costs two
    statements however many kinds it holds.
    """
    branches, params = [], []
    for kind in KINDS:
        slugs = [slug for name, slug in wanted if name == kind.name]
        if not slugs:
            continue
        # slug = ANY(array): one query text whatever the number of slugs, so drivers and
        # PostgreSQL reuse what they made of it.
        wanted_slugs = RawSQL(f'"{kind.model._meta.db_table}"."slug" = ANY(%s)', (slugs,), BooleanField())
        queryset = VISIBLE[kind.name](user=user).filter(wanted_slugs).order_by()
        text, values = with_documents(queryset, request, kind.shape, key=F("slug")).query.sql_with_params()
        branches.append(f"SELECT '{kind.name}'::text, d.key, d.document FROM ({text}) d")
        params += values
    if not branches:
        return {}
    with connections[router.db_for_read(Change)].cursor() as db:
        db.execute(" UNION ALL ".join(branches), params)
        return {(kind, slug): document for kind, slug, document in db.fetchall()}


def changes_page(*, user: User | AnonymousUser | None, after: str | None, page_size: int, request) -> Page:
    """The entries `user` may see after the cursor `after` (None: from the log's beginning).

    Raises CursorInvalid for a cursor this feed did not sign, CursorGone for one it can
    no longer follow.
    """
    drafts = reader_drafts(user)
    cursor = Cursor.decode(after) if after is not None else None
    position = cursor or Cursor(database=0, drafts=drafts)
    alias = router.db_for_read(Change)
    with connections[alias].cursor() as db:
        params = {
            "xid": position.after.xid,
            "kind": position.after.kind,
            "slug": position.after.slug,
            "xmax": position.xmax,
            "pending": list(position.pending),
            "drafts": list(drafts),
            "limit": page_size,
        }
        db.execute(_PAGE_SQL, params)
        rows = db.fetchall()
        watermark, database, hx, hk, hs, xids, ways, targets = rows[0][:8]
        if cursor is None:
            cursor = Cursor(database=database, drafts=drafts)
        _check_followable(
            cursor, database=database, drafts=drafts, horizon=Position(hx, hk, hs) if hx else None
        )
        places = {
            Position(xid, kind, slug): (public, into)
            for *_, xid, kind, slug, public, into in rows
            if xid is not None
        }
        if xids:
            expand_shown(xids, ways, targets)
            # The documents showing renamed records: entries of their own, unless the
            # record's own row is already there (it says more: its status, a merge).
            # Read here too: this page's first statement did not see them written.
            entries = shown_entries_sql(_SHOWN_ROWS, set(ways))
            db.execute(
                _SHOWN_PAGE_SQL.format(entries=entries),
                {**params, "xids": xids, "ways": ways, "targets": targets},
            )
            for xid, kind, slug, public, into in db.fetchall():
                places.setdefault(Position(xid, kind, slug), (public, into))
    found = [(place, public, into) for place, (public, into) in sorted(places.items())[:page_size]]

    documents = documents_of([(place.kind, place.slug) for place, *_ in found], user=user, request=request)
    entries = []
    for place, public, into in found:
        document = documents.get((place.kind, place.slug))
        next_cursor = cursor.advanced_to(place).encode()
        if document is not None:
            entries.append(Entry(next_cursor, UPSERT, place.kind, place.slug, document=document))
        elif public is None and place.kind not in drafts:
            continue  # a record this reader cannot see, whose own entries say when it left their view
        elif into:
            entries.append(Entry(next_cursor, MERGE, place.kind, place.slug, into=into))
        else:
            entries.append(Entry(next_cursor, DELETE, place.kind, place.slug))
    more = len(found) == page_size
    end = found[-1][0] if more else Position(watermark)
    return Page(entries=entries, cursor=cursor.advanced_to(end).encode(), more=more)


def expand_shown(xids: list[int], ways: list[str], targets: list[int]) -> int:
    """Write into the log, at their positions, the entries the given shown-record rows stand for; returns how many.

    Done once per row, by the first page that reads it: the pages after it read the
    entries by the log's index instead of finding the documents again, which for a
    record tens of thousands of documents show costs a page hundreds of milliseconds
    (docs/SCALING.md). Every reader of the row, before or after, is shown the same
    entries: those of the documents that show the record when they are read, at the
    rename's position; a record's own row there is kept (it says more). Rows another
    page is writing are skipped, not waited for: that page reads them as this one does.
    The transaction is short and writes only positions below the watermark, which no
    reader is waiting on.
    """
    rows = {"xids": xids, "ways": ways, "targets": targets}
    with transaction.atomic(using="default"), connections["default"].cursor() as db:
        db.execute(
            f"SELECT xid, shows::text, target_id FROM {SHOWN_TABLE}"
            f" WHERE (xid, shows, target_id) IN ({_SHOWN_ROWS}) AND NOT expanded FOR UPDATE SKIP LOCKED",
            rows,
        )
        locked = db.fetchall()
        if not locked:
            return 0
        mine = {
            "xids": [row[0] for row in locked],
            "ways": [row[1] for row in locked],
            "targets": [row[2] for row in locked],
        }
        entries = shown_entries_sql(_SHOWN_ROWS, set(mine["ways"]))
        db.execute(
            f"INSERT INTO {CHANGE_TABLE} (xid, kind, slug, public)"
            f" SELECT DISTINCT xid, kind, slug, public FROM ({entries}) e ON CONFLICT DO NOTHING",
            mine,
        )
        written = db.rowcount
        db.execute(
            f"UPDATE {SHOWN_TABLE} SET expanded = true WHERE (xid, shows, target_id) IN ({_SHOWN_ROWS})", mine
        )
    return written


def _check_followable(
    cursor: Cursor, *, database: int, drafts: tuple[str, ...], horizon: Position | None
) -> None:
    if cursor.database != database:
        raise CursorGone(
            "this cursor belongs to another database (a restored backup, or another server): "
            "start again from the dump"
        )
    if cursor.drafts != drafts:
        seen = ", ".join(cursor.drafts) or "no drafts"
        raise CursorGone(
            f"this cursor was handed to a reader who sees {seen}, and you see {', '.join(drafts) or 'no drafts'}: "
            "start again from a dump taken with your credentials"
        )
    if horizon is not None and not cursor.covers(horizon):
        if cursor.after == START and not cursor.xmax:
            raise CursorGone(
                "the change log no longer reaches back to the beginning: start from the dump, then follow its cursor"
            )
        raise CursorGone(
            f"this cursor is older than the change log keeps (entries are kept "
            f"{settings.CHANGES_RETENTION_DAYS} days) or the log was reset: start again from the dump"
        )


def head_cursor(*, user: User | AnonymousUser | None) -> Cursor:
    """A cursor at the feed's head now: following it shows only what commits from now on."""
    alias = router.db_for_read(Change)
    with connections[alias].cursor() as db:
        db.execute(f"SELECT {WATERMARK}, {DATABASE}")
        watermark, database = db.fetchone()
    return Cursor(database=database, drafts=reader_drafts(user), after=Position(watermark))


def cursor_back(*, entries: int, drafts: tuple[str, ...] = ()) -> Cursor:
    """A cursor `entries` entries (as a reader seeing `drafts` counts them) before the feed's head: following it replays them.

    For replaying recent changes, and for the benchmark's "a page from far back".
    """
    with connections["default"].cursor() as db:
        db.execute(
            f"SELECT xid, kind, slug FROM {CHANGE_TABLE}"
            f" WHERE xid < {WATERMARK} AND (public IS NOT false OR kind = ANY(%s))"
            " ORDER BY xid DESC, kind DESC, slug DESC OFFSET %s LIMIT 1",
            [list(drafts), entries],
        )
        row = db.fetchone()
        db.execute(f"SELECT {DATABASE}")
        (database,) = db.fetchone()
    return Cursor(database=database, drafts=drafts, after=Position(*row) if row else START)


def transaction_entries(xid: int) -> set[tuple[str, str, bool | None, str]]:
    """(kind, slug, public, merged_into) of every entry transaction `xid` logged, as the feed reads them now.

    Its own rows, and one for each document its shown-record rows stand for (where a
    record has both, its own row, as a page shows it).
    """
    with connections[router.db_for_read(Change)].cursor() as db:
        db.execute(
            "SELECT DISTINCT ON (kind, slug) kind, slug, public, merged_into FROM ("
            f" SELECT kind, slug, public, merged_into, false AS derived FROM {CHANGE_TABLE} WHERE xid = %(xid)s"
            " UNION ALL SELECT kind, slug, public, merged_into, true FROM"
            f" ({shown_entries_sql(f'SELECT * FROM {SHOWN_TABLE} WHERE xid = %(xid)s')}) shown"
            ") entry ORDER BY kind, slug, derived",
            {"xid": xid},
        )
        return set(db.fetchall())


# --- writes


def change_log_merge(*, kind: str, slug: str, into: str) -> None:
    """Record, in the current transaction, that the record `kind`/`slug` was removed by merging it `into` another.

    The delete itself is logged by the row's trigger; this names the survivor, so the
    feed says `merge` instead of `delete`.
    """
    kind_named(kind)  # refuses an unknown kind
    with connections["default"].cursor() as db:
        db.execute(
            f"INSERT INTO {CHANGE_TABLE} (xid, kind, slug, public, merged_into)"
            f" VALUES ({CURRENT_XID}, %s, %s, true, %s)"
            " ON CONFLICT (xid, kind, slug) DO UPDATE SET merged_into = EXCLUDED.merged_into, public = true",
            [kind, slug, into],
        )


@dataclass(frozen=True)
class PruneReport:
    removed: int
    horizon: Position | None


@transaction.atomic
def changes_prune(*, days: int | None = None, now: datetime.datetime | None = None) -> PruneReport:
    """Remove the entries recorded more than `days` (default CHANGES_RETENTION_DAYS) ago; move the horizon.

    Every entry at or before the newest position removed goes, so the log keeps one
    unbroken stretch, and cursors before the horizon are answered 410.
    """
    days = settings.CHANGES_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    with connections["default"].cursor() as db:
        db.execute(
            f"SELECT xid, kind, slug FROM {CHANGE_TABLE} WHERE recorded_at < %s"
            " ORDER BY xid DESC, kind DESC, slug DESC LIMIT 1",
            [cutoff],
        )
        row = db.fetchone()
        if row is None:
            return PruneReport(removed=0, horizon=None)
        db.execute(f"DELETE FROM {CHANGE_TABLE} WHERE (xid, kind, slug) <= (%s, %s, %s)", row)
        removed = db.rowcount
        # Those of the newest transaction removed may stand for entries after the horizon.
        db.execute(f"DELETE FROM {SHOWN_TABLE} WHERE xid < %s", [row[0]])
    horizon = Position(*row)
    existing = ChangeHorizon.objects.filter(pk=1).first()
    if existing is None or (existing.xid, existing.kind, existing.slug) < row:
        ChangeHorizon.objects.update_or_create(
            pk=1,
            defaults={
                "xid": horizon.xid,
                "kind": horizon.kind,
                "slug": horizon.slug,
                "reason": f"entries recorded before {cutoff:%Y-%m-%d %H:%M} UTC removed ({days} days kept)",
                "moved_at": timezone.now(),
            },
        )
    return PruneReport(removed=removed, horizon=horizon)


def log_everything(using: str = "default") -> int:
    """Log every record once, in the current transaction (after a bulk load done with the triggers off)."""
    total = 0
    with connections[using].cursor() as db:
        for kind in KINDS:
            public = public_sql(kind)
            db.execute(
                log_rows(kind.name, f"SELECT slug, {public} AS public FROM {kind.model._meta.db_table}")
            )
            total += db.rowcount
    return total


def documents_fingerprint() -> str:
    """A hash of the SQL every kind's document is built with: it changes when a shape does."""
    text = "\n".join(sql.document(kind.shape, "row") for kind in KINDS)
    return "documents " + hashlib.sha1(text.encode()).hexdigest()


def log_everything_if_documents_changed(using: str = "default") -> int:
    """After `migrate`: when the documents' SQL changed (a field added to a shape), log every record.

    Every document then reads differently although no row changed; a copy must fetch them
    all again. The table's comment records the fingerprint of the SQL last logged for.
    On the migration creating the log, this logs the records already there, so the log
    describes the whole database from its first entry.
    """
    fingerprint = documents_fingerprint()
    with transaction.atomic(using=using), connections[using].cursor() as db:
        db.execute(
            "SELECT obj_description(to_regclass(%s), 'pg_class'), to_regclass(%s) IS NULL", [CHANGE_TABLE] * 2
        )
        comment, missing = db.fetchone()
        if missing or comment == fingerprint:  # migrated back past the log, or nothing changed
            return 0
        logged = log_everything(using)
        db.execute(f"COMMENT ON TABLE {CHANGE_TABLE} IS %s", [fingerprint])
    return logged
