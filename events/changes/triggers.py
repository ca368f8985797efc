"""The triggers that write the change log, generated from what each document shows (`kinds`).

Every writer goes through PostgreSQL, so the log is written there, in the writing
transaction, by django-pgtrigger triggers that `makemigrations` freezes into migrations
(as `events.read_model.stored` does for the stored lists):

- `RowChanged`, after each statement inserting, updating or deleting rows of a kind's
  table: one log row per record touched, its `public` flag from the row's status before
  and after (a slug change logs the old slug and the new). The rewrite of the lists the
  database keeps on a row (an event's participants, rewritten when an actor is renamed;
  `events.read_model.stored`) is not logged here: what changed those lists is logged
  by the two triggers below.
- `LinkChanged`, after each statement changing rows of a list's table (citations, the
  actors a statement is about, an event's participants): the owners of the rows are logged.
- `ShownRecordChanged`, after an update of the columns documents show of a record (an
  actor's name, a source's title): one `ShownChange` row per way of showing it
  ("statement.speaker", "event.participants"). Which documents show the record is read
  by the feed when it reads the row, so a rename costs its writer a row or two however
  many documents show the record.
- A TRUNCATE of any of these tables, or of the log itself, cannot say which records it
  removed: it moves the log's horizon to its transaction, so every older cursor is 410.

Each log row's position is the writing transaction's id, `pg_current_xact_id()`: writers
take no lock and update no shared row for the log. What makes a position safe to hand
out is decided by the reader (`events.changes.feed`).

Concurrency. The feed reads a transaction's rows only once every transaction before it
has ended, and looks for the documents showing a renamed record then, in its own
snapshot: a link committed before that read is found, and one committed after it is a
change of its own, logged at its own position. Writers therefore take no lock for the log.

The triggers of the many-to-many tables Django creates (`about`, `parties`) cannot be
frozen by `makemigrations`: a migration installs `through_triggers_sql()` by RunSQL,
and `tests/events/changes/test_triggers.py` holds the installed functions equal to it.
"""

from __future__ import annotations

import pgtrigger
from django.db.models import Model

from events.changes.kinds import KINDS, PUBLISHED, Kind, Links, Shows, dependencies
from events.changes.models import Change, ChangeHorizon, ShownChange
from events.read_model import stored
from events.statement_triggers import OPERATIONS, StatementTrigger

CHANGE_TABLE = Change._meta.db_table
HORIZON_TABLE = ChangeHorizon._meta.db_table
SHOWN_TABLE = ShownChange._meta.db_table
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


def _changed(image: str) -> str:
    """The `image` ("n": after, "o": before) of the rows a statement really changed."""
    return f"SELECT {image}.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n IS DISTINCT FROM o"


class _StatementTrigger(StatementTrigger):
    """A statement trigger named after what it does and its operation."""

    def __init__(self, *, name: str, operation: str):
        super().__init__(name=f"{name}_{operation}", operation=operation)


class RowChanged(_StatementTrigger):
    """After a statement writing rows of a kind's table: each record touched is logged."""

    def __init__(self, *, kind: Kind, operation: str):
        self.kind = kind
        super().__init__(name="changes_row", operation=operation)

    def get_func(self, model):
        if self.op == "truncate":
            return move_horizon(f"TRUNCATE of {self.kind.model._meta.db_table}") + "RETURN NULL;"
        images = {"insert": ["new_rows"], "update": ["old_rows", "new_rows"], "delete": ["old_rows"]}[self.op]
        touched = " UNION ALL ".join(
            f"SELECT slug, {public_sql(self.kind)} AS public FROM {rows}" for rows in images
        )
        rows = f"SELECT slug, bool_or(public) AS public FROM ({touched}) touched GROUP BY slug"
        body = log_rows(self.kind.name, rows) + "RETURN NULL;"
        if self.op == "update":
            # The lists the database keeps on the row, rewritten after a change that
            # `LinkChanged` or `ShownRecordChanged` logs, are not a change of the row.
            body = f"IF {stored.rewriting_sql()} THEN\n    RETURN NULL;\nEND IF;\n" + body
        return body


class LinkChanged(_StatementTrigger):
    """After a statement writing rows of a list's table: the owners of those rows are logged."""

    def __init__(self, *, links: list[Links], operation: str):
        self.links = links
        super().__init__(name="changes_link", operation=operation)

    def get_func(self, model):
        if self.op == "truncate":
            return move_horizon(f"TRUNCATE of {model._meta.db_table}") + "RETURN NULL;"
        if self.op == "update":
            # The rows a statement really changed, before and after.
            images = [_changed("n"), _changed("o")]
        else:
            images = ["SELECT * FROM new_rows" if self.op == "insert" else "SELECT * FROM old_rows"]
        body = ""
        for link in self.links:
            owner = link.owner
            owners = " UNION ".join(
                f'SELECT "{link.owner_column}" FROM ({rows}) r WHERE "{link.owner_column}" IS NOT NULL'
                for rows in images
            )
            public = shown_public(owner)
            body += log_rows(
                owner.name,
                f"SELECT slug, {public} AS public FROM {owner.model._meta.db_table} WHERE id IN ({owners})",
            )
        return body + "RETURN NULL;"


def shown_public(owner: Kind) -> str:
    """`public` of a record logged because something it shows changed.

    Null for reviewed records: whether the record is published is not read here (reading
    it would race with a concurrent publication); the reader tells only those who can
    see the record when it reads it. A record that is unpublished or deleted is logged
    by its own row's change, which is what tells anonymous readers to drop it.
    """
    return "NULL::boolean" if owner.reviewed else "true"


class ShownRecordChanged(pgtrigger.Trigger):
    """After an update of columns documents show of a record: one `ShownChange` row per way of showing them.

    `shows` are every way documents show records of this table; a row is written for
    those whose columns changed.
    """

    when = pgtrigger.After
    operation = pgtrigger.Update

    def __init__(self, *, shows: list[Shows]):
        self.shows = shows
        columns = dict.fromkeys(column for item in shows for column in item.columns)
        super().__init__(
            name="changes_shown",
            condition=pgtrigger.Condition(" OR ".join(_distinct(column) for column in columns)),
        )

    def get_func(self, model):
        ways = ", ".join(
            f"('{item.name}', {' OR '.join(_distinct(column) for column in item.columns)})"
            for item in self.shows
        )
        return (
            f"INSERT INTO {SHOWN_TABLE} (xid, shows, target_id)\n"
            f"SELECT {CURRENT_XID}, way.shows, NEW.id FROM (VALUES {ways}) AS way (shows, changed)"
            " WHERE way.changed\nON CONFLICT DO NOTHING;\nRETURN NULL;"
        )


def _distinct(column: str) -> str:
    return f'OLD."{column}" IS DISTINCT FROM NEW."{column}"'


class LogTruncated(_StatementTrigger):
    """After a TRUNCATE of the log itself: every cursor handed out is gone."""

    def __init__(self):
        super().__init__(name="changes_log", operation="truncate")

    def get_func(self, model):
        return move_horizon(f"TRUNCATE of {model._meta.db_table}") + "RETURN NULL;"


def triggers() -> list[tuple[type[Model], pgtrigger.Trigger]]:
    """Every trigger writing the change log, with the model (or auto-created link table) it is on."""
    shows, links = dependencies()
    found: list[tuple[type[Model], pgtrigger.Trigger]] = []
    for kind in KINDS:
        found += [(kind.model, RowChanged(kind=kind, operation=op)) for op in OPERATIONS]
    for table in dict.fromkeys(link.link for link in links):
        listed = [link for link in links if link.link is table]
        found += [(table, LinkChanged(links=listed, operation=op)) for op in OPERATIONS]
    for target in dict.fromkeys(item.target for item in shows):
        found.append((target, ShownRecordChanged(shows=[item for item in shows if item.target is target])))
    found += [(Change, LogTruncated()), (ShownChange, LogTruncated())]
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
