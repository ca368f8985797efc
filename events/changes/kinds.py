"""What the change feed carries: five kinds of record, and what each one's document shows of others.

A record's document (`events.read_model.shapes`) changes when its own row changes, and
also when a record it shows changes: a statement shows its speaker's slug and name, so
renaming the speaker changes the statement's document. The feed must then carry the
statement too. Which records show which is read off the shapes here, never listed by
hand, so a field added to a shape is followed by the feed without anyone remembering to:

- `Kind`: a kind of record in the feed, with the document its detail endpoint returns.
- `Shows`: documents of one kind show columns of another model's rows, through a table
  holding both ids: the owner's own row (a foreign key: a statement's `speaker`), a link
  model (a `Citation` row pointing at its source), or a many-to-many table (`about`).
- `Links`: a list in the owner's document is made of the rows of a table (the citations,
  the actors spoken about): adding, changing or removing such a row changes the owner.

Lists the database keeps on the owner's row (`Many(stored=...)`, an event's participants)
are followed the same way: their triggers rewrite the owner's row whenever a link or a
shown record changes, but that rewrite is derived, and the change log leaves it to the
`Shows` and `Links` here (see `events.changes.triggers`). A declaration this module
cannot follow is an error at start-up, not a silent gap.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db.models import ForeignKey, ManyToManyField, ManyToOneRel, Model

from events.read_model import shapes, sql
from events.read_model.spec import Brief, BriefOf, Column, Constant, Group, Link, Many, Shape, Timestamp

# The status at which a record is shown to everyone (events.choices.ReviewStatus.PUBLISHED).
PUBLISHED = "published"


@dataclass(frozen=True)
class Kind:
    """A kind of record in the feed: `name` as entries name it, `shape` the document its detail endpoint returns."""

    shape: Shape

    # Cached: asked for every entry of every page (a frozen dataclass keeps them in its __dict__).
    @functools.cached_property
    def model(self) -> type[Model]:
        return sql.model_of(self.shape.label)

    @functools.cached_property
    def name(self) -> str:
        return self.model._meta.model_name

    @functools.cached_property
    def reviewed(self) -> bool:
        """Whether its records go through review (draft → published), so anonymous readers see some only."""
        return any(field.name == "status" for field in self.model._meta.get_fields())


# In the order a mirror loads them: every record after those its document refers to.
KINDS = (
    Kind(shapes.SOURCE_DETAIL),
    Kind(shapes.ACTOR),
    Kind(shapes.CONFLICT),
    Kind(shapes.EVENT),
    Kind(shapes.STATEMENT),
)


# The feed's names of the kinds ("source", ...), for the OpenAPI schema's ChangeKindEnum.
KIND_NAMES = [kind.name for kind in KINDS]


def kind_named(name: str) -> Kind:
    return next(kind for kind in KINDS if kind.name == name)


@dataclass(frozen=True)
class Shows:
    """Documents of `owner` show `columns` of `target` rows, found through the table `link`.

    `link` holds the owner's id in `owner_column` ("id" when `link` is the owner's own
    table) and the target's id in `target_column`. `key` is the document's key.
    """

    owner: Kind
    key: str
    link: type[Model]
    owner_column: str
    target: type[Model]
    target_column: str
    columns: tuple[str, ...]

    @property
    def on_owner_row(self) -> bool:
        return self.link is self.owner.model

    @property
    def name(self) -> str:
        """How the change log names this way of showing a record: "statement.speaker"."""
        return f"{self.owner.name}.{self.key}"


@dataclass(frozen=True)
class Links:
    """The list `key` of `owner`'s documents is made of rows of `link`, whose `owner_column` holds the owner's id."""

    owner: Kind
    key: str
    link: type[Model]
    owner_column: str


def _brief_columns(model: type[Model], target: BriefOf, order: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The columns of `model` a brief shows (its slug and name), and those a list of briefs is sorted by."""
    names = []
    for value in target.fields.values():
        if isinstance(value, Column):
            names.append(value.source)
        elif isinstance(value, Link):
            names.append("slug")
        else:  # pragma: no cover - BriefOf declares only columns and links
            raise TypeError(f"changes: cannot follow {value!r} in the brief {target.name}")
    names += [path.lstrip("-") for path in order]
    columns = [sql.column(model, name) for name in names]
    return tuple(name for name in dict.fromkeys(columns) if name != "id")  # ids never change


def _briefs_in(
    owner: Kind,
    key: str,
    declaration,
    model: type[Model],
    link: type[Model],
    owner_column: str,
    order: tuple[str, ...],
) -> list[Shows]:
    """What a declaration read on rows of `model` (the owner's row, or a list's row) shows of other models."""
    match declaration:
        case Column() | Constant() | Link() | Timestamp():
            return []  # a value of the row itself
        case Group(_, fields):
            return [
                shows
                for value in fields.values()
                for shows in _briefs_in(owner, key, value, model, link, owner_column, order)
            ]
        case Brief(relation, target) if relation:
            foreign_key = model._meta.get_field(relation)
            if not isinstance(foreign_key, ForeignKey):
                raise TypeError(
                    f"changes: {model.__name__}.{relation} of {owner.name}.{key} is not a foreign key"
                )
            paths = tuple(
                path.split("__", 1)[1] for path in order if path.lstrip("-").startswith(f"{relation}__")
            )
            return [
                Shows(
                    owner=owner,
                    key=key,
                    link=link,
                    owner_column=owner_column,
                    target=foreign_key.related_model,
                    target_column=foreign_key.column,
                    columns=_brief_columns(foreign_key.related_model, target, paths),
                )
            ]
    raise TypeError(f"changes: cannot follow {declaration!r} in {owner.name}.{key}")


def _followed(kind: Kind) -> tuple[list[Shows], list[Links]]:
    shows: list[Shows] = []
    links: list[Links] = []
    model = kind.model
    for key, declaration in kind.shape.fields.items():
        if not isinstance(declaration, Many):
            shows += _briefs_in(kind, key, declaration, model, model, "id", ())
            continue
        relation = model._meta.get_field(declaration.relation)
        if isinstance(relation, ManyToManyField):
            item = declaration.item
            if not (isinstance(item, Brief) and not item.relation):
                raise TypeError(f"changes: cannot follow the items of {kind.name}.{key}: {item!r}")
            through = relation.remote_field.through
            owner_column = relation.m2m_column_name()
            links.append(Links(kind, key, through, owner_column))
            order = tuple(path for path in declaration.order if "__" not in path)
            shows.append(
                Shows(
                    owner=kind,
                    key=key,
                    link=through,
                    owner_column=owner_column,
                    target=relation.related_model,
                    target_column=relation.m2m_reverse_name(),
                    columns=_brief_columns(relation.related_model, item.target, order),
                )
            )
        elif isinstance(relation, ManyToOneRel):
            linked = relation.related_model
            owner_column = relation.field.column
            links.append(Links(kind, key, linked, owner_column))
            shows += _briefs_in(kind, key, declaration.item, linked, linked, owner_column, declaration.order)
        else:  # pragma: no cover - shapes declare only these two kinds of list
            raise TypeError(f"changes: cannot follow {kind.name}.{key}")
    return shows, links


@functools.cache
def dependencies() -> tuple[tuple[Shows, ...], tuple[Links, ...]]:
    """Every (Shows, Links) of the five kinds, in the order of KINDS and of their shapes' keys."""
    shows: list[Shows] = []
    links: list[Links] = []
    for kind in KINDS:
        found_shows, found_links = _followed(kind)
        shows += found_shows
        links += found_links
    names = [item.name for item in shows]
    if len(names) != len(set(names)):  # pragma: no cover - a shape declaring two briefs under one key
        raise TypeError(f"changes: two ways of showing records share a name: {sorted(names)}")
    return tuple(shows), tuple(links)
