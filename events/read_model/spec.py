"""The vocabulary a read shape is declared in: the kinds of value a JSON document can hold.

A shape (`events.read_model.shapes`) is an ordered mapping from JSON keys to these
declarations. Each declaration says where its value comes from, relative to one row (the
record being shown, or a related row inside a list), and nothing about how it is built:
`events.read_model.sql` turns a shape into SQL, `events.read_model.serializers` into DRF
serializers, and `events.read_model.stored` into the triggers that keep stored lists
current. One declaration, every reader.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A value of the row itself: `source` names its model field (text, number, date, list of texts)."""

    source: str


@dataclass(frozen=True)
class Constant:
    """The same text on every document, e.g. the timeline's `kind: "event"`."""

    value: str


@dataclass(frozen=True)
class Link:
    """The API URL of the row itself, from its slug: `route` is the URL name ("api:event-detail").

    Documents are written with these URLs relative to the API's root ("events/x/") and
    made absolute once per answer, so a stored list never holds a host or a path prefix.
    """

    route: str


@dataclass(frozen=True)
class Timestamp:
    """A date-time written as DRF writes it: ISO 8601 in UTC, "Z", microseconds only when not zero."""

    source: str


@dataclass(frozen=True)
class Group:
    """A JSON object of values from the same row (the fuzzy date). `name` is its schema component."""

    name: str
    fields: dict[str, Field]
    doc: str = ""


@dataclass(frozen=True)
class BriefOf:
    """How a record is shown when another one refers to it: `{slug, name, url}`.

    `name_field` is the model field shown as "name" (an event's or a source's title).
    `label` is the model ("events.Actor"), `name` the schema component ("ActorBrief").
    """

    name: str
    label: str
    route: str
    name_field: str = "name"

    @property
    def fields(self) -> dict[str, Field]:
        return {"slug": Column("slug"), "name": Column(self.name_field), "url": Link(self.route)}


@dataclass(frozen=True)
class Brief:
    """The brief of the record a foreign key of the row points to (`relation`), or null.

    With `relation` empty, the brief of the row itself (an item of a many-to-many list).
    """

    relation: str
    target: BriefOf


@dataclass(frozen=True)
class Many:
    """A list with one item per related row, in a fixed order.

    `relation` is the accessor on the row's model: a reverse foreign key (`participations`:
    each item is built from the EventParticipant row) or a many-to-many field (`conflicts`:
    each item is built from the Conflict row). `order` lists model paths relative to those
    rows ("role", "actor__name", "-source__published_on"), ending in a unique tie-breaker.
    `stored` names the column of the owning row where the database keeps the list, kept
    current by triggers (`events.read_model.stored`); None means it is built when read.
    """

    relation: str
    item: Field
    order: tuple[str, ...]
    stored: str | None = None


Field = Column | Constant | Link | Timestamp | Group | Brief | Many


@dataclass(frozen=True)
class Shape:
    """The JSON document of one kind of record: `fields`, in the order they are written.

    `label` is the model ("events.Event"); `name` is the schema component ("Event");
    `doc` becomes the component's description.
    """

    name: str
    label: str
    fields: dict[str, Field]
    doc: str = ""

    def __post_init__(self) -> None:
        # The API makes document URLs absolute by rewriting every `"url" : "` in the text
        # (events.read_model.sql): so a key named "url" must be a Link, and a Link "url".
        for key, value in _walk(self.fields):
            if (key == "url") != isinstance(value, Link):
                raise ValueError(f'{self.name}: only a Link may be called "url", and it must be ({key!r})')

    def with_fields(self, name: str, fields: dict[str, Field], doc: str = "") -> Shape:
        """A variant of this shape with other fields (the timeline's items), same model."""
        return Shape(name=name, label=self.label, fields=fields, doc=doc or self.doc)


def _walk(fields: dict[str, Field]):
    """Every (key, declaration) pair, nested ones included."""
    for key, value in fields.items():
        yield key, value
        if isinstance(value, Group):
            yield from _walk(value.fields)
        elif isinstance(value, Brief):
            yield from _walk(value.target.fields)
        elif isinstance(value, Many):
            yield from _walk({key: value.item})
