"""Lists the database keeps on a record's row (`Many.stored`), and the triggers that keep them current.

An event's document embeds its participants, conflicts and citations. Built on every read
they cost three correlated subqueries per event, more than the rest of a page
(docs/SCALING.md), so the database keeps each list on the event row as the JSON text the
API sends. Only the triggers declared here write those columns, and every one of them is
generated from the shape, so the lists cannot disagree with `sql.list_of`:

- `RefreshLists`, BEFORE INSERT OR UPDATE of the owning row: a stored list that is NULL
  is computed afresh. Everything else only sets lists to NULL.
- `LinkChanged`, after a statement that inserts, updates or deletes rows of a list's link
  table (or truncates it): the lists of the rows they belong to are set to NULL, so they
  are recomputed in the same statement. A save that changes nothing rewrites nothing.
- `RecordRenamed`, after an update of a record a list shows (an actor's slug or name, a
  source's title or date): the lists of every row showing it are set to NULL.

While these triggers rewrite rows, `timeline.rewriting_stored_lists` is on
(`rewriting_sql`): the change log's triggers pass over the rewrite, having logged what
caused it (`events.changes.triggers`).

Concurrency. The rows are locked in id order before they are set to NULL, and the BEFORE
trigger computes after it holds the lock, each query with a fresh snapshot (READ
COMMITTED): the last writer always computes from every committed change. A link trigger
also takes a share lock on the records its new links show, so a rename and a new link to
the same record run one after the other, and whichever is second sees the first. An
edit that locks an event and then links it to a record being renamed, while the rename
waits for that event, is a deadlock: PostgreSQL aborts one of the two and nothing is left
stale. Under REPEATABLE READ or SERIALIZABLE a rename would look for the rows to refresh
with its transaction's first snapshot and could miss a link committed since, so renames
refuse them.

The triggers are django-pgtrigger triggers registered on the models when the app loads,
so `makemigrations` freezes their SQL into a migration, and `makemigrations --check` (run
by the test suite) fails when a shape changed without one. After every `migrate`, rows
whose lists were stored by other SQL than the shapes' current SQL are recomputed
(`refresh_changed_lists`), so a changed shape needs no hand-written data migration. The link table of a
many-to-many field created by Django is not a model migrations can see: its triggers are
installed by a migration's RunSQL, frozen from `through_triggers_sql()`, and a test holds
the installed functions equal to what is generated now.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pgtrigger
from django.db import connection, connections, transaction
from django.db.models import ManyToManyField, ManyToOneRel, Model

from events.read_model import sql
from events.read_model.shapes import SHAPES
from events.read_model.spec import Brief, Column, Group, Link, Many, Shape
from events.statement_triggers import OPERATIONS, StatementTrigger


@dataclass(frozen=True)
class StoredList:
    """One list kept on its owner's row, and the tables its items are read from."""

    shape: Shape
    key: str
    many: Many

    @property
    def owner(self) -> type[Model]:
        return sql.model_of(self.shape.label)

    @property
    def column(self) -> str:
        return self.many.stored

    @property
    def relation(self) -> ManyToOneRel | ManyToManyField:
        return self.owner._meta.get_field(self.many.relation)

    @property
    def link(self) -> type[Model]:
        """The table whose rows are the list's links (EventParticipant, Event.conflicts.through, Citation)."""
        if isinstance(self.relation, ManyToManyField):
            return self.relation.remote_field.through
        return self.relation.related_model

    @property
    def owner_column(self) -> str:
        """The link table's column holding the owner's id."""
        if isinstance(self.relation, ManyToManyField):
            return self.relation.m2m_column_name()
        return self.relation.field.column

    def shown(self) -> list[tuple[type[Model], str, list[str]]]:
        """Each record the items show: (its model, the link's column pointing at it, its columns shown or sorted by)."""
        if isinstance(self.relation, ManyToManyField):
            target = self.relation.related_model
            columns = _columns(target, self.many.item, [path for path in self.many.order if "__" not in path])
            return [(target, self.relation.m2m_reverse_name(), columns)]
        shown = []
        for name in _briefs(self.many.item):
            foreign_key = self.link._meta.get_field(name)
            paths = [
                path.split("__", 1)[1] for path in self.many.order if path.lstrip("-").startswith(f"{name}__")
            ]
            brief = _brief_named(self.many.item, name)
            columns = _columns(foreign_key.related_model, Brief("", brief.target), paths)
            shown.append((foreign_key.related_model, foreign_key.column, columns))
        return shown


def _briefs(item) -> list[str]:
    if isinstance(item, Brief) and item.relation:
        return [item.relation]
    if isinstance(item, Group):
        return [name for value in item.fields.values() for name in _briefs(value)]
    return []


def _brief_named(item, name: str) -> Brief:
    return next(
        value for value in item.fields.values() if isinstance(value, Brief) and value.relation == name
    )


def _columns(model: type[Model], item, order_paths: list[str]) -> list[str]:
    """The columns of `model` an item of a list shows (a brief's slug and name) or is ordered by."""
    fields = item.target.fields if isinstance(item, Brief) else {}
    names = []
    for value in fields.values():
        if isinstance(value, Column):
            names.append(value.source)
        elif isinstance(value, Link):
            names.append("slug")
    names += [path.lstrip("-") for path in order_paths]
    columns = [sql.column(model, name) for name in names]
    return [name for name in dict.fromkeys(columns) if name != "id"]  # ids never change


def stored_lists() -> list[StoredList]:
    """Every list the database keeps on a row, in the order the shapes declare them."""
    found = {}
    for shape in SHAPES:
        for key, value in shape.fields.items():
            if isinstance(value, Many) and value.stored:
                found.setdefault((shape.label, value.stored), StoredList(shape, key, value))
    return list(found.values())


# Set ("on") while the triggers here rewrite stored lists, for the length of that UPDATE:
# a trigger that cares only for a row's own columns (the change log's, which logs what
# changed the lists instead) passes over the rewrite without reading its rows.
REWRITING = "timeline.rewriting_stored_lists"


def rewriting_sql() -> str:
    """SQL true while a trigger here is rewriting stored lists (in a trigger of that UPDATE)."""
    return f"current_setting('{REWRITING}', true) = 'on'"


def _lock_and_clear(owner: type[Model], columns: list[str], ids: str) -> str:
    """Lock the owner rows whose ids `ids` selects, in id order, then set `columns` to NULL."""
    table = owner._meta.db_table
    cleared = ", ".join(f'"{name}" = NULL' for name in columns)
    return (
        f"PERFORM 1 FROM {table} WHERE id IN ({ids}) ORDER BY id FOR NO KEY UPDATE;\n"
        # Local to the transaction, and undone with it (or its savepoint) if the UPDATE fails.
        f"PERFORM set_config('{REWRITING}', 'on', true);\n"
        f"UPDATE {table} SET {cleared} WHERE id IN ({ids});\n"
        f"PERFORM set_config('{REWRITING}', 'off', true);\n"
    )


class RefreshLists(pgtrigger.Trigger):
    """BEFORE INSERT OR UPDATE of the owner: every stored list that is NULL is computed afresh."""

    when = pgtrigger.Before
    operation = pgtrigger.Insert | pgtrigger.Update

    def __init__(self, *, lists: list[StoredList]):
        self.lists = lists
        super().__init__(name="stored_lists_refresh")

    def get_func(self, model):
        steps = "".join(
            f'IF NEW."{stored.column}" IS NULL THEN\n'
            f'    NEW."{stored.column}" := {sql.list_of(stored.shape, stored.key, "NEW.id")};\n'
            "END IF;\n"
            for stored in self.lists
        )
        return steps + "RETURN NEW;"


class LinkChanged(StatementTrigger):
    """After a statement changing a link table: the owners' lists are set to NULL (and so recomputed)."""

    def __init__(self, *, stored: StoredList, operation: str):
        self.stored = stored
        super().__init__(name=f"{stored.column.removesuffix('_json')}_link_{operation}", operation=operation)

    def get_func(self, model):
        stored = self.stored
        owner = stored.owner
        if self.op == "truncate":
            return (
                _lock_and_clear(owner, [stored.column], f"SELECT id FROM {owner._meta.db_table}")
                + "RETURN NULL;"
            )
        column = f'"{stored.owner_column}"'
        if self.op == "update":
            # The links a statement really changed, before and after: a save that changes
            # nothing rewrites nothing.
            changed_new = (
                "SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n IS DISTINCT FROM o"
            )
            changed_old = (
                "SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n IS DISTINCT FROM o"
            )
            owners = f"SELECT {column} FROM ({changed_new}) c UNION SELECT {column} FROM ({changed_old}) c"
            added = changed_new
        elif self.op == "insert":
            owners, added = f"SELECT {column} FROM new_rows", "SELECT * FROM new_rows"
        else:
            owners, added = f"SELECT {column} FROM old_rows", None
        body = ""
        if added:
            # A concurrent rename of a record the new links show waits for this transaction, or this for it.
            for related, link_column, _ in stored.shown():
                body += (
                    f"PERFORM 1 FROM {related._meta.db_table} WHERE id IN "
                    f'(SELECT "{link_column}" FROM ({added}) a WHERE {column} IS NOT NULL) ORDER BY id FOR SHARE;\n'
                )
        return body + _lock_and_clear(owner, [stored.column], owners) + "RETURN NULL;"


class RecordRenamed(pgtrigger.Trigger):
    """After an update of a shown column of a record (an actor's name): lists showing it are set to NULL."""

    when = pgtrigger.After
    operation = pgtrigger.Update

    def __init__(self, *, stored: StoredList, link_column: str, columns: list[str]):
        self.stored, self.link_column, self.columns = stored, link_column, columns
        super().__init__(
            name=f"{stored.owner._meta.model_name}_{stored.column.removesuffix('_json')}_show_it",
            condition=pgtrigger.Condition(
                " OR ".join(f'OLD."{name}" IS DISTINCT FROM NEW."{name}"' for name in columns)
            ),
        )

    def get_func(self, model):
        stored = self.stored
        link = stored.link._meta.db_table
        owners = (
            f'SELECT "{stored.owner_column}" FROM {link} WHERE "{self.link_column}" = NEW.id'
            f' AND "{stored.owner_column}" IS NOT NULL'
        )
        return (
            # The rows to refresh are found with a fresh snapshot only under READ COMMITTED;
            # under a transaction-long snapshot a link committed since would be missed.
            "IF current_setting('transaction_isolation') <> 'read committed' THEN\n"
            "    RAISE EXCEPTION 'renaming % % needs READ COMMITTED isolation', TG_TABLE_NAME, NEW.id\n"
            "        USING ERRCODE = 'invalid_transaction_state';\n"
            "END IF;\n" + _lock_and_clear(stored.owner, [stored.column], owners) + "RETURN NULL;"
        )


def _link_triggers(stored: StoredList) -> list[LinkChanged]:
    return [LinkChanged(stored=stored, operation=operation) for operation in OPERATIONS]


def triggers() -> list[tuple[type[Model], pgtrigger.Trigger]]:
    """Every trigger that keeps the stored lists, with the model (or auto-created link table) it is on."""
    found = []
    lists = stored_lists()
    for owner in dict.fromkeys(stored.owner for stored in lists):
        found.append((owner, RefreshLists(lists=[stored for stored in lists if stored.owner is owner])))
    for stored in lists:
        found += [(stored.link, trigger) for trigger in _link_triggers(stored)]
        for related, link_column, columns in stored.shown():
            found.append((related, RecordRenamed(stored=stored, link_column=link_column, columns=columns)))
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


def stale_rows() -> list[str]:
    """Slugs of the rows (events) whose stored lists differ, as text, from the lists computed afresh."""
    stale = set()
    with connection.cursor() as cursor:
        for stored in stored_lists():
            table = stored.owner._meta.db_table
            fresh = sql.list_of(stored.shape, stored.key, f"{table}.id")
            cursor.execute(f'SELECT slug FROM {table} WHERE "{stored.column}"::text <> ({fresh})::text')
            stale.update(slug for (slug,) in cursor.fetchall())
    return sorted(stale)


def _fingerprint(stored: StoredList) -> str:
    """What a stored list's column was last filled by: a hash of the list's SQL."""
    text = sql.list_of(stored.shape, stored.key, "owner.id")
    return "read model " + hashlib.sha1(text.encode()).hexdigest()


def refresh_changed_lists(using: str = "default") -> list[str]:
    """Recompute, on every row, each stored list whose SQL changed since its column was filled; names them.

    Run after every `migrate` (a post_migrate handler): a shape that changes a stored list
    (a new field in a participant, another order) changes its triggers, which the
    migration installs; this makes the rows already stored follow, in the same command.
    The column's comment records the fingerprint of the SQL that filled it.
    """
    changed = []
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for stored in stored_lists():
            table = stored.owner._meta.db_table
            cursor.execute(
                "SELECT col_description(%s::regclass, attnum) FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attname = %s AND NOT attisdropped",
                [table, table, stored.column],
            )
            row = cursor.fetchone()
            if row is None:  # migrated back past the migration adding the column
                continue
            fingerprint = _fingerprint(stored)
            if row[0] != fingerprint:
                cursor.execute(f'UPDATE {table} SET "{stored.column}" = NULL')
                cursor.execute(f'COMMENT ON COLUMN {table}."{stored.column}" IS %s', [fingerprint])
                changed.append(f"{table}.{stored.column}")
    return changed


def refresh_rows(slugs: list[str]) -> int:
    """Recompute every stored list of the rows (events) with these slugs; returns how many were refreshed."""
    refreshed = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for owner in dict.fromkeys(stored.owner for stored in stored_lists()):
            columns = ", ".join(
                f'"{stored.column}" = NULL' for stored in stored_lists() if stored.owner is owner
            )
            cursor.execute(f"UPDATE {owner._meta.db_table} SET {columns} WHERE slug = ANY(%s)", [slugs])
            refreshed += cursor.rowcount
    return refreshed
