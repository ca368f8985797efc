"""A shape as DRF serializers: the OpenAPI schema of every document, and a reader of model instances.

The API reads every record from the documents PostgreSQL builds (`events.read_model.sql`);
these serializers describe the same JSON to drf-spectacular, and can write it from model
instances for anything that wants a serializer (with `prefetches(shape)`, in the shape's
order). `tests/events/test_read_model.py` holds their output equal to the documents on
every seed record.

Every field is read-only and always present (a document always carries every key of its
shape); a field that may be null says so.
"""

from __future__ import annotations

import functools

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.read_model import sql
from events.read_model.spec import Brief, BriefOf, Column, Constant, Group, Link, Many, Shape, Timestamp

_COLUMN_FIELDS = (
    (models.DateTimeField, serializers.DateTimeField),
    (models.DateField, serializers.DateField),
    (models.IntegerField, serializers.IntegerField),
    (models.CharField, serializers.CharField),
    (models.TextField, serializers.CharField),
)


def _column(model_field: models.Field, source: str | None) -> serializers.Field:
    """A read-only DRF field for a model field (its help text, choices and nullability kept)."""
    kwargs = {"read_only": True, "allow_null": model_field.null}
    if source:
        kwargs["source"] = source
    if model_field.help_text:
        kwargs["help_text"] = str(model_field.help_text)
    if isinstance(model_field, ArrayField):
        return serializers.ListField(child=_column(model_field.base_field, None), **kwargs)
    if model_field.choices:
        return serializers.ChoiceField(choices=model_field.choices, **kwargs)
    field_class = next(drf for django, drf in _COLUMN_FIELDS if isinstance(model_field, django))
    return field_class(**kwargs)


class ConstantField(serializers.Field):
    """The same value on every item (the timeline's `kind`)."""

    value = ""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, instance) -> str:
        return self.value


@functools.cache
def _constant(value: str) -> type[ConstantField]:
    return extend_schema_field({"type": "string", "enum": [value]})(
        type(f"Constant{value.title()}Field", (ConstantField,), {"value": value})
    )


class _Builder:
    """Builds (and names) the serializer classes of declarations over one model at a time."""

    def field(self, key: str, declaration, model: type[models.Model]) -> serializers.Field:
        source = None if key == getattr(declaration, "source", key) else declaration.source
        match declaration:
            case Column(name) | Timestamp(name):
                return _column(model._meta.get_field(name), source)
            case Constant(value):
                return _constant(value)()
            case Link(route):
                return serializers.HyperlinkedIdentityField(view_name=route, lookup_field="slug")
            case Group():
                return group_serializer(declaration, model)(source="*", read_only=True)
            case Brief(relation, target):
                foreign_key = model._meta.get_field(relation)
                return brief_serializer(target)(
                    source=None if relation == key else relation, read_only=True, allow_null=foreign_key.null
                )
            case Many(relation, item):
                item_model = _item_model(model, relation)
                if isinstance(item, Brief) and not item.relation:
                    item_serializer = brief_serializer(item.target)
                else:
                    item_serializer = group_serializer(item, item_model)
                return item_serializer(
                    many=True, read_only=True, source=None if relation == key else relation
                )
        raise TypeError(f"not a read-model declaration: {declaration!r}")

    def fields(self, declared: dict, model: type[models.Model]) -> dict[str, serializers.Field]:
        return {key: self.field(key, value, model) for key, value in declared.items()}


def _item_model(model: type[models.Model], relation: str) -> type[models.Model]:
    return model._meta.get_field(relation).related_model


# Serializer classes by schema component name: one class per name, so the schema has one
# component per name, and two declarations may not claim the same name.
_CLASSES: dict[str, tuple[object, type[serializers.Serializer]]] = {}


def _serializer(name: str, declaration, build) -> type[serializers.Serializer]:
    if name in _CLASSES:
        declared, serializer_class = _CLASSES[name]
        if declared != declaration:
            raise ValueError(f"two read-model declarations are both called {name!r}")
        return serializer_class
    fields, doc = build()
    serializer_class = type(
        f"{name}Serializer", (serializers.Serializer,), {**fields, "__doc__": doc or None}
    )
    _CLASSES[name] = (declaration, serializer_class)
    return serializer_class


def brief_serializer(target: BriefOf) -> type[serializers.Serializer]:
    model = sql.model_of(target.label)
    return _serializer(
        target.name,
        target,
        lambda: (
            _Builder().fields(target.fields, model),
            f"How {model._meta.verbose_name_plural} are shown where other records refer to them.",
        ),
    )


def group_serializer(group: Group, model: type[models.Model]) -> type[serializers.Serializer]:
    """A group's serializer, built from the first model it is met on: a group reads the same fields everywhere."""
    return _serializer(group.name, group, lambda: (_Builder().fields(group.fields, model), group.doc))


def serializer_for(shape: Shape) -> type[serializers.Serializer]:
    """The read serializer of `shape` (class name `<Shape.name>Serializer`, schema component `<name>`)."""
    model = sql.model_of(shape.label)
    return _serializer(shape.name, shape, lambda: (_Builder().fields(shape.fields, model), shape.doc))


def prefetches(shape: Shape) -> tuple[list[str], list[Prefetch]]:
    """(select_related, prefetch_related) arguments giving a queryset what the serializer reads, in order."""
    model = sql.model_of(shape.label)
    related, prefetched = [], []
    for declaration in shape.fields.values():
        if isinstance(declaration, Brief) and declaration.relation:
            related.append(declaration.relation)
        elif isinstance(declaration, Many):
            item_model = _item_model(model, declaration.relation)
            joined = [
                value.relation
                for value in getattr(declaration.item, "fields", {}).values()
                if isinstance(value, Brief) and value.relation
            ]
            queryset = item_model._default_manager.select_related(*joined).order_by(*declaration.order)
            prefetched.append(Prefetch(declaration.relation, queryset=queryset))
    return related, prefetched
