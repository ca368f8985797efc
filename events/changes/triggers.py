"""The triggers that write the change log, generated from what each document shows (`kinds`).

Every writer goes through PostgreSQL, so the log is written there, in the writing
transaction, by django-pgtrigger triggers that `makemigrations` freezes into migrations
(as `events.read_model.stored` does for the stored lists):

- `RowChanged`, after each statement inserting, updating or deleting rows of a kind's
  table: one log row per record touched, its `public` flag from the row's status before
  and after (a slug change logs the old slug and the new).
- `LinkChanged`, after each statement changing rows of a list's table (citations, the
  actors a statement is about): the owners of the rows are logged.
- `ShownRecordChanged`, after an update of the columns a document shows of another
  record (an actor's name, a source's title): every record whose document shows it is
  logged.
- A TRUNCATE of any of these tables, or of the log itself, cannot say which records it
  removed: it moves the log's horizon to its transaction, so every older cursor is 410.

Each log row's position is the writing transaction's id, `pg_current_xact_id()`: writers
take no lock and update no shared row for the log. What makes a position safe to hand
out is decided by the reader (`events.changes.feed`).

Concurrency. A statement that links a record to another it shows (a new speaker, a new
citation's source) takes a share lock on the shown record, as the stored lists' link
triggers do: a rename of that record waits for it, or it for the rename. Either the
rename commits first, and the linking transaction, committing later, is read later with
the new name; or the rename looks for the records showing it after the link committed,
and logs them. Renames refuse REPEATABLE READ and SERIALIZABLE for the reason
`events.read_model.stored` gives: their search needs a fresh snapshot.

The triggers of the many-to-many tables Django creates (`about`, `parties`) cannot be
frozen by `makemigrations`: the migration installs `through_triggers_sql()` by RunSQL,
and `tests/events/changes/test_triggers.py` holds the installed functions equal to it.
"""

from __future__ import annotations

import pgtrigger
from django.db.models import Model

from events.changes.kinds import KINDS, PUBLISHED, Kind, Links, Shows, dependencies
from events.changes.models import Change, ChangeHorizon
from events.statement_triggers import OPERATIONS, StatementTrigger

CHANGE_TABLE = Change._meta.db_table
HORIZON_TABLE = ChangeHorizon._meta.db_table
CURRENT_XID = "pg_current_xact_id()::text::bigint"

# Two log rows of one transaction for the same record become one; its `public` is true
# if either was, else false if either was, else null (see `Change`).
_ON_CONFLICT = (
    f"ON CONFLICT (xid, kind, slug) DO UPDATE SET public = CASE"
    f" WHEN {CHANGE_TABLE}.public OR EXCLUDED.public THEN true"
    f" WHEN {CHANGE_TABLE}.public IS NULL AND EXCLUDED.public IS NULL THEN NULL ELSE false END"
    f" WHERE {CHANGE_TABLE}.public IS NOT true AND EXCLUDED.public IS NOT NULL"
)


def log_rows(kind: str, rows: str) -> str:
    """SQL logging, for the current transaction, the records of `kind` in `rows`, a query of (slug, public)."""
    return (
        f"INSERT INTO {CHANGE_TABLE} (xid, kind, slug, public)\n"
        f"SELECT {CURRENT_XID}, '{kind}', slug, public FROM ({rows}) logged\n{_ON_CONFLICT};\n"
    )


def move_horizon(reason: str) -> str:
    """SQL moving the log's horizon to the start of the current transaction: every older cursor is gone."""
    return (
        f"INSERT INTO {HORIZON_TABLE} (id, xid, kind, slug, reason) VALUES (1, {CURRENT_XID}, '', '', '{reason}')\n"
        f"ON CONFLICT (id) DO UPDATE SET xid = EXCLUDED.xid, kind = '', slug = '', reason = EXCLUDED.reason,"
        f" moved_at = now()\n"
        f"WHERE ({HORIZON_TABLE}.xid, {HORIZON_TABLE}.kind, {HORIZON_TABLE}.slug) < (EXCLUDED.xid, '', '');\n"
    )


def public_sql(kind: Kind, alias: str = "") -> str:
    """Whether a row of `kind` is seen by everyone, as SQL over the row aliased `alias`."""
    prefix = f"{alias}." if alias else ""
    return f"{prefix}status = '{PUBLISHED}'" if kind.reviewed else "true"


def _lock_shown(shows: list[Shows], operation: str) -> str:
    """Share-lock, in id order, the records `shows` point at from rows an insert or update wrote.

    An update locks only for rows whose pointer (or owner) changed: a save that changes
    neither waits for no one.
    """
    sql = ""
    for item in shows:
        target, owner = f'"{item.target_column}"', f'"{item.owner_column}"'
        if operation == "insert":
            rows = "SELECT * FROM new_rows"
        else:
            moved = [target] if item.on_owner_row else [target, owner]  # a row's own id never changes
            rows = "SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE " + " OR ".join(
                f"n.{column} IS DISTINCT FROM o.{column}" for column in moved
            )
        sql += (
            f"PERFORM 1 FROM {item.target._meta.db_table} WHERE id IN"
            f" (SELECT {target} FROM ({rows}) added WHERE {owner} IS NOT NULL) ORDER BY id FOR SHARE;\n"
        )
    return sql


def _changed(image: str) -> str:
    """The `image` ("n": after, "o": before) of the rows a statement really changed."""
    return f"SELECT {image}.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n IS DISTINCT FROM o"


class _StatementTrigger(StatementTrigger):
    """A statement trigger named after what it does and its operation."""

    def __init__(self, *, name: str, operation: str):
        super().__init__(name=f"{name}_{operation}", operation=operation)


class RowChanged(_StatementTrigger):
    """After a statement writing rows of a kind's table: each record touched is logged."""

    def __init__(self, *, kind: Kind, shows: list[Shows], operation: str):
        self.kind, self.shows = kind, shows
        super().__init__(name="changes_row", operation=operation)

    def get_func(self, model):
        if self.op == "truncate":
            return move_horizon(f"TRUNCATE of {self.kind.model._meta.db_table}") + "RETURN NULL;"
        images = {"insert": ["new_rows"], "update": ["old_rows", "new_rows"], "delete": ["old_rows"]}[self.op]
        touched = " UNION ALL ".join(
            f"SELECT slug, {public_sql(self.kind)} AS public FROM {rows}" for rows in images
        )
        body = _lock_shown(self.shows, self.op) if self.op != "delete" else ""
        rows = f"SELECT slug, bool_or(public) AS public FROM ({touched}) touched GROUP BY slug"
        return body + log_rows(self.kind.name, rows) + "RETURN NULL;"


class LinkChanged(_StatementTrigger):
    """After a statement writing rows of a list's table: the owners of those rows are logged."""

    def __init__(self, *, links: list[Links], shows: list[Shows], operation: str):
        self.links, self.shows = links, shows
        super().__init__(name="changes_link", operation=operation)

    def get_func(self, model):
        if self.op == "truncate":
            return move_horizon(f"TRUNCATE of {model._meta.db_table}") + "RETURN NULL;"
        if self.op == "update":
            # The rows a statement really changed, before and after.
            images = [_changed("n"), _changed("o")]
        else:
            images = ["SELECT * FROM new_rows" if self.op == "insert" else "SELECT * FROM old_rows"]
        body = _lock_shown(self.shows, self.op) if self.op != "delete" else ""
        for link in self.links:
            owner = link.owner
            owners = " UNION ".join(
                f'SELECT "{link.owner_column}" FROM ({rows}) r WHERE "{link.owner_column}" IS NOT NULL'
                for rows in images
            )
            public = _shown_public(owner)
            body += log_rows(
                owner.name,
                f"SELECT slug, {public} AS public FROM {owner.model._meta.db_table} WHERE id IN ({owners})",
            )
        return body + "RETURN NULL;"


def _shown_public(owner: Kind) -> str:
    """`public` of a record logged because something it shows changed.

    Null for reviewed records: whether the record is published is not read here (reading
    it would race with a concurrent publication); the reader tells only those who can
    see the record when it reads it. A record that is unpublished or deleted is logged
    by its own row's change, which is what tells anonymous readers to drop it.
    """
    return "NULL::boolean" if owner.reviewed else "true"


class ShownRecordChanged(pgtrigger.Trigger):
    """After an update of columns a document shows of a record: every record showing it is logged."""

    when = pgtrigger.After
    operation = pgtrigger.Update

    def __init__(self, *, shows: Shows):
        self.shows = shows
        super().__init__(
            name=f"changes_{shows.owner.name}_{shows.key}_shows",
            condition=pgtrigger.Condition(
                " OR ".join(f'OLD."{name}" IS DISTINCT FROM NEW."{name}"' for name in shows.columns)
            ),
        )

    def get_func(self, model):
        shows = self.shows
        owner = shows.owner
        table = owner.model._meta.db_table
        if shows.on_owner_row:
            found = f'SELECT slug, {_shown_public(owner)} AS public FROM {table} WHERE "{shows.target_column}" = NEW.id'
        else:
            link = shows.link._meta.db_table
            found = (
                f"SELECT slug, {_shown_public(owner)} AS public FROM {table} WHERE id IN"
                f' (SELECT "{shows.owner_column}" FROM {link} WHERE "{shows.target_column}" = NEW.id)'
            )
        return (
            # Which records show this one is read with a fresh snapshot only under READ
            # COMMITTED; under a transaction-long one, a link committed since would be missed.
            "IF current_setting('transaction_isolation') <> 'read committed' THEN\n"
            "    RAISE EXCEPTION 'renaming % % needs READ COMMITTED isolation', TG_TABLE_NAME, NEW.id\n"
            "        USING ERRCODE = 'invalid_transaction_state';\n"
            "END IF;\n" + log_rows(owner.name, found) + "RETURN NULL;"
        )


class LogTruncated(_StatementTrigger):
    """After a TRUNCATE of the log itself: every cursor handed out is gone."""

    def __init__(self):
        super().__init__(name="changes_log", operation="truncate")

    def get_func(self, model):
        return move_horizon(f"TRUNCATE of {CHANGE_TABLE}") + "RETURN NULL;"


def triggers() -> list[tuple[type[Model], pgtrigger.Trigger]]:
    """Every trigger writing the change log, with the model (or auto-created link table) it is on."""
    shows, links = dependencies()
    found: list[tuple[type[Model], pgtrigger.Trigger]] = []
    for kind in KINDS:
        on_row = [item for item in shows if item.owner is kind and item.on_owner_row]
        found += [(kind.model, RowChanged(kind=kind, shows=on_row, operation=op)) for op in OPERATIONS]
    for table in dict.fromkeys(link.link for link in links):
        listed = [link for link in links if link.link is table]
        shown = [item for item in shows if item.link is table]
        found += [(table, LinkChanged(links=listed, shows=shown, operation=op)) for op in OPERATIONS]
    found += [(item.target, ShownRecordChanged(shows=item)) for item in shows]
    found.append((Change, LogTruncated()))
    return found


def register() -> None:
    """Register the triggers with django-pgtrigger (called once, when the app is ready)."""
    for model, trigger in triggers():
        pgtrigger.register(trigger)(model)


def through_triggers_sql() -> str:
    """The SQL installing the triggers of link tables Django creates itself (migrations cannot see them)."""
    return "\n".join(
        str(trigger.compile(model).install_sql) for model, trigger in triggers() if model._meta.auto_created
    )


def pgids(tables: set[str] | None = None) -> list[tuple[str, str]]:
    """(table, trigger name in PostgreSQL) of every trigger writing the log, on `tables` if given.

    For bulk loads that switch them off and log every record once at the end.
    """
    return [
        (model._meta.db_table, trigger.get_pgid(model))
        for model, trigger in triggers()
        if tables is None or model._meta.db_table in tables
    ]
