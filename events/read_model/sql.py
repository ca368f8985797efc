"""A shape as SQL: the JSON document of a row, and each of its lists, written by PostgreSQL.

`document(shape, row)` is an expression of type json over the table alias `row`, in the
shape's key order (json_build_object keeps it; jsonb would sort the keys). Related records
come from correlated subqueries; a list the database stores on the row (`Many.stored`)
is read from its column. `list_of(shape, key, owner)` is one list computed afresh for
the row whose id is `owner` (what the stored-list triggers write), and
`lists_by_owner(shape, key)` the same list for every row at once, grouped (what a bulk
load writes).

URLs are written relative to the API's root ("events/x/"): `absolute(document, base)`
puts the root's absolute URL in front of each. The text `"url" : "` can only be one of
the documents' own "url" keys followed by its value: inside a JSON string every quote is
escaped, and only Links are called "url" (spec.Shape checks it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import ForeignKey, ManyToManyField, ManyToOneRel, Model
from django.urls import reverse

from events.read_model.spec import Brief, Column, Constant, Group, Link, Many, Shape, Timestamp

_PLACEHOLDER = "SLUG-PLACEHOLDER"
# How PostgreSQL's json_build_object writes a "url" key, up to its value's first character.
URL_KEY = '"url" : "'


def api_root() -> str:
    """The path of the API's root ("/api/v1/", after any script prefix), as reverse() writes it."""
    return reverse("api:api-root")


def route_path(route: str) -> tuple[str, str]:
    """The text before and after the slug in a route's URL, relative to the API root: ("events/", "/")."""
    path = reverse(route, kwargs={"slug": _PLACEHOLDER}).removeprefix(api_root())
    prefix, suffix = path.split(_PLACEHOLDER)
    return prefix, suffix


def literal(value: str) -> str:
    """A SQL text literal."""
    return "'" + value.replace("'", "''") + "'::text"


def model_of(label: str) -> type[Model]:
    return apps.get_model(label)


def column(model: type[Model], name: str) -> str:
    return model._meta.get_field(name).column


def _quoted(alias: str, name: str) -> str:
    return f'{alias}."{name}"'


def timestamp(expression: str) -> str:
    """A timestamp as DRF writes it: ISO 8601 in UTC with "Z", microseconds only when non-zero."""
    return (
        f"(CASE WHEN date_trunc('second', {expression}) = {expression}"
        f" THEN to_char({expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        f" ELSE to_char({expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') END)"
    )


@dataclass
class _Scope:
    """Where a value is read: a table alias of `model`, and the tables joined to it by foreign key."""

    model: type[Model]
    alias: str
    joins: dict[str, str] = field(default_factory=dict)  # relation -> alias of its joined table


class _Writer:
    """Writes the SQL of declarations; gives every table it adds an alias of its own."""

    def __init__(self, *, stored: bool = True):
        self.stored = stored  # read stored lists from their columns (documents) or compute them
        self.count = 0

    def alias(self) -> str:
        self.count += 1
        return f"rm{self.count}"

    def object(self, fields: dict, scope: _Scope) -> str:
        pairs = ", ".join(f"{literal(key)}, {self.value(value, scope)}" for key, value in fields.items())
        return f"json_build_object({pairs})"

    def value(self, declaration, scope: _Scope) -> str:
        match declaration:
            case Column(source):
                return _quoted(scope.alias, column(scope.model, source))
            case Constant(value):
                return literal(value)
            case Link(route):
                prefix, suffix = route_path(route)
                return f"({literal(prefix)} || {_quoted(scope.alias, column(scope.model, 'slug'))} || {literal(suffix)})"
            case Timestamp(source):
                return timestamp(_quoted(scope.alias, column(scope.model, source)))
            case Group(_, fields):
                return self.object(fields, scope)
            case Brief("", target):
                return self.object(target.fields, scope)
            case Brief(relation, target):
                if relation in scope.joins:
                    related = scope.model._meta.get_field(relation).related_model
                    return self.object(target.fields, _Scope(related, scope.joins[relation]))
                return self.brief_subquery(relation, target, scope)
            case Many() as many:
                if many.stored and self.stored:
                    return _quoted(scope.alias, many.stored)
                return f"coalesce(({self.list_query(many, scope)}), '[]'::json)"
        raise TypeError(f"not a read-model declaration: {declaration!r}")

    def brief_subquery(self, relation: str, target, scope: _Scope) -> str:
        foreign_key = scope.model._meta.get_field(relation)
        related = foreign_key.related_model
        alias = self.alias()
        document = self.object(target.fields, _Scope(related, alias))
        return (
            f"(SELECT {document} FROM {related._meta.db_table} {alias}"
            f" WHERE {alias}.id = {_quoted(scope.alias, foreign_key.column)})"
        )

    def rows_of(self, many: Many, model: type[Model]) -> tuple[str, _Scope, str]:
        """FROM ... of the related rows of a list, the scope of its items, and the owner column."""
        relation = model._meta.get_field(many.relation)
        if isinstance(relation, ManyToOneRel):  # a reverse foreign key: items are the linked rows
            linked = relation.related_model
            scope = _Scope(linked, self.alias())
            tables = f"{linked._meta.db_table} {scope.alias}"
            owner = _quoted(scope.alias, relation.field.column)
        elif isinstance(relation, ManyToManyField):  # items are the related rows, through the link table
            through = relation.remote_field.through._meta
            link, scope = self.alias(), _Scope(relation.related_model, self.alias())
            tables = (
                f"{through.db_table} {link} JOIN {relation.related_model._meta.db_table} {scope.alias}"
                f' ON {scope.alias}.id = {link}."{relation.m2m_reverse_name()}"'
            )
            owner = f'{link}."{relation.m2m_column_name()}"'
        else:  # pragma: no cover - shapes declare only these two kinds of list
            raise TypeError(f"{model.__name__}.{many.relation} is not a list relation")
        # Foreign keys of the items that the items show or sort by: joined, not one subquery each.
        for path in (*many.order, *_brief_relations(many.item)):
            name = path.lstrip("-").split("__")[0]
            candidate = scope.model._meta.get_field(name)
            if isinstance(candidate, ForeignKey) and not candidate.null and name not in scope.joins:
                scope.joins[name] = self.alias()
                tables += (
                    f" JOIN {candidate.related_model._meta.db_table} {scope.joins[name]}"
                    f" ON {scope.joins[name]}.id = {_quoted(scope.alias, candidate.column)}"
                )
        return tables, scope, owner

    def order(self, many: Many, scope: _Scope) -> str:
        terms = []
        for path in many.order:
            descending = path.startswith("-")
            parts = path.lstrip("-").split("__")
            if len(parts) == 2:
                related = scope.model._meta.get_field(parts[0]).related_model
                term = _quoted(scope.joins[parts[0]], column(related, parts[1]))
            else:
                term = _quoted(scope.alias, column(scope.model, parts[0]))
            terms.append(term + (" DESC" if descending else ""))
        return ", ".join(terms)

    def list_query(self, many: Many, owner_scope: _Scope, owner: str | None = None) -> str:
        """SELECT json_agg(items) of the rows of `many` belonging to the owner row (NULL when none)."""
        tables, scope, owner_column = self.rows_of(many, owner_scope.model)
        owner = owner or f"{owner_scope.alias}.id"
        return (
            f"SELECT json_agg({self.value(many.item, scope)} ORDER BY {self.order(many, scope)})"
            f" FROM {tables} WHERE {owner_column} = {owner}"
        )

    def grouped(self, many: Many, model: type[Model]) -> str:
        tables, scope, owner_column = self.rows_of(many, model)
        return (
            f"SELECT {owner_column} AS owner, json_agg({self.value(many.item, scope)}"
            f" ORDER BY {self.order(many, scope)}) AS list FROM {tables} GROUP BY {owner_column}"
        )


def _brief_relations(item) -> list[str]:
    """The foreign keys an item shows as briefs (a participant's actor, a citation's source)."""
    if isinstance(item, Brief) and item.relation:
        return [item.relation]
    if isinstance(item, Group):
        return [relation for value in item.fields.values() for relation in _brief_relations(value)]
    return []


def document(shape: Shape, row: str) -> str:
    """The shape's JSON document (type json) of the row aliased `row`, URLs relative to the API root."""
    return _Writer().object(shape.fields, _Scope(model_of(shape.label), row))


def list_of(shape: Shape, key: str, owner: str) -> str:
    """The list `key` of the row whose id is the SQL expression `owner`, computed afresh ('[]' when empty)."""
    many = shape.fields[key]
    writer = _Writer(stored=False)
    return f"coalesce(({writer.list_query(many, _Scope(model_of(shape.label), 'owner'), owner)}), '[]'::json)"


def lists_by_owner(shape: Shape, key: str) -> str:
    """A query of (owner, list) for every row with at least one item in the list `key`."""
    return _Writer(stored=False).grouped(shape.fields[key], model_of(shape.label))


def absolute(document_text: str, base: str) -> str:
    """`document_text` (a text expression) with `base`, the API root's absolute URL, before every URL."""
    escaped = json.dumps(base, ensure_ascii=False)[1:-1]  # as it must appear inside a JSON string
    return f"replace({document_text}, {literal(URL_KEY)}, {literal(URL_KEY + escaped)})"
