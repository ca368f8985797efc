"""The JSON of list items, built by PostgreSQL in the query that finds them.

Lists are the API's hot path. Prefetching related rows costs one query per relation, and
turning thousands of model instances into dicts and then into JSON costs more than the
query itself. Here each item's JSON document (exactly the shape of its DRF serializer,
which stays the contract and the OpenAPI source) is one column of the list query: related
records come from correlated subqueries aggregated with jsonb_agg, and the view splices the
documents' text into the page without parsing them. `tests/events/api/test_documents.py`
holds every document equal to its serializer's output.

Events, the most listed, do not even aggregate: the database keeps each event's
participants, conflicts and citations as JSON on the event's row, refreshed by triggers
(migration 0008), with relative URLs that the query turns absolute.
"""

from __future__ import annotations

import functools
import json
from urllib.parse import quote

from django.contrib.postgres.aggregates import JSONBAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, Func, JSONField, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS

from events.models import Actor, Citation, Event, Statement

_PLACEHOLDER = "SLUG-PLACEHOLDER"


class JSONObject(Func):
    """json_build_object(key, value, ...): JSON whose keys keep the serializer's order.

    Not Django's JSONObject, which builds jsonb, and jsonb sorts an object's keys.
    """

    function = "json_build_object"
    output_field = JSONField()

    def __init__(self, **fields):
        pairs = [(Cast(Value(key), TextField()), value) for key, value in fields.items()]
        super().__init__(*(part for pair in pairs for part in pair))


class JSONAgg(JSONBAgg):
    """json_agg(... ORDER BY ...): an array of json values, in order."""

    function = "JSON_AGG"


EMPTY_ARRAY = Func(template="'[]'::json", output_field=JSONField())


class Links:
    """Detail URLs as SQL: the base + the route's path below the script prefix + slug + "/".

    Slugs are URL-safe by construction (SlugField), so no escaping is needed, and with the
    base of `site_base(request)` the result equals what DRF's reverse() with
    request.build_absolute_uri() gives.
    """

    def __init__(self, base: str):
        self.base = base  # e.g. "https://example.org", or "" for paths ("/api/v1/...")

    def url(self, route: str, slug="slug") -> Concat:
        path = reverse(route, kwargs={"slug": _PLACEHOLDER}).removeprefix(_script_prefix())
        prefix, suffix = f"/{path}".split(_PLACEHOLDER)
        return Concat(Value(self.base + prefix), F(slug), Value(suffix), output_field=TextField())

    def brief(self, route: str, prefix: str = "", name: str = "name") -> JSONObject:
        """`{slug, name, url}` of a related record reached through `prefix` ("actor__", ...)."""
        return JSONObject(
            slug=F(f"{prefix}slug"), name=F(f"{prefix}{name}"), url=self.url(route, f"{prefix}slug")
        )


def _timestamp(field: str) -> Func:
    """A timestamp as DRF writes it: ISO 8601 in UTC with "Z", microseconds only when non-zero."""
    return Func(
        F(field),
        template=(
            "(CASE WHEN date_trunc('second', %(expressions)s) = %(expressions)s"
            " THEN to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            " ELSE to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') END)"
        ),
        output_field=TextField(),
    )


def _array(queryset: QuerySet, link: str, document: JSONObject, ordering: tuple[str, ...]) -> Coalesce:
    """The JSON array of `document` over the rows of `queryset` linked to the outer row by `link`."""
    rows = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(documents=JSONAgg(document, order_by=ordering))
        .values("documents")
    )
    return Coalesce(Subquery(rows, output_field=JSONField()), EMPTY_ARRAY)


def _date() -> JSONObject:
    return JSONObject(
        start=F("date_start"),
        end=F("date_end"),
        precision=F("date_precision"),
        text=F("date_text"),
        anchor=F("date_anchor"),
    )


# Citation.Meta.ordering, spelt out: by source (newest first), then place in the text.
CITATION_ORDER = ("-source__published_on", "source__slug", "start_offset", "id")


def _citations(links: Links, link: str) -> Coalesce:
    return _array(
        Citation.objects.all(),
        link,
        JSONObject(
            source=links.brief("api:source-detail", "source__", name="title"),
            excerpt=F("excerpt"),
            start=F("start_offset"),
            end=F("end_offset"),
        ),
        CITATION_ORDER,
    )


def _conflicts(links: Links, through, link: str) -> Coalesce:
    return _array(
        through.objects.all(),
        link,
        links.brief("api:conflict-detail", "conflict__"),
        ("conflict__name", "conflict__id"),
    )


def _stored(column: str) -> RawSQL:
    """A JSON column the database keeps on the event row (migration 0008), URLs relative."""
    return RawSQL(f'"{Event._meta.db_table}"."{column}"', (), output_field=JSONField())


def event_document(links: Links, *, kind: bool = False) -> JSONObject:
    """An event as EventSerializer writes it (with `kind` "event" first, for the timeline).

    Its lists are stored with relative URLs: pass `Links("")` and make the whole document's
    URLs absolute with `absolute_urls`.
    """
    fields = {"kind": Value("event")} if kind else {}
    return JSONObject(
        **fields,
        slug=F("slug"),
        url=links.url("api:event-detail"),
        title=F("title"),
        summary=F("summary"),
        type=F("type"),
        date=_date(),
        location=F("location"),
        participants=_stored("participants_json"),
        conflicts=_stored("conflicts_json"),
        citations=_stored("citations_json"),
        status=F("status"),
        updated_at=_timestamp("updated_at"),
    )


def statement_document(links: Links, *, kind: bool = False) -> JSONObject:
    """A statement as StatementSerializer writes it (for the timeline: `kind`, and `statement_kind`)."""
    kinds = {"kind": Value("statement"), "statement_kind": F("kind")} if kind else {"kind": F("kind")}
    occasion = Subquery(
        Event.objects.filter(pk=OuterRef("occasion_id")).values(
            document=links.brief("api:event-detail", name="title")
        ),
        output_field=JSONField(),
    )
    return JSONObject(
        slug=F("slug"),
        url=links.url("api:statement-detail"),
        speaker=Subquery(
            Actor.objects.filter(pk=OuterRef("speaker_id")).values(document=links.brief("api:actor-detail")),
            output_field=JSONField(),
        ),
        **kinds,
        text=F("text"),
        date=_date(),
        occasion=occasion,
        about=_array(
            Statement.about.through.objects.all(),
            "statement",
            links.brief("api:actor-detail", "actor__"),
            ("actor__name",),
        ),
        conflicts=_conflicts(links, Statement.conflicts.through, "statement"),
        citations=_citations(links, "statement"),
        status=F("status"),
        updated_at=_timestamp("updated_at"),
    )


def actor_document(links: Links, *, kind: bool = False) -> JSONObject:
    """An actor as ActorSerializer writes it (`kind` is the actor's own: person, state, ...)."""
    affiliation = Subquery(
        Actor.objects.filter(pk=OuterRef("affiliation_id")).values(document=links.brief("api:actor-detail")),
        output_field=JSONField(),
    )
    return JSONObject(
        slug=F("slug"),
        url=links.url("api:actor-detail"),
        name=F("name"),
        kind=F("kind"),
        description=F("description"),
        affiliation=affiliation,
        aliases=F("aliases"),
        wikidata_qid=F("wikidata_qid"),
        citations=_citations(links, "actor"),
        updated_at=_timestamp("updated_at"),
    )


def cited_source_urls(link: str) -> Coalesce:
    """The cited sources' own addresses (blank ones included), in citation order, as a text array."""
    urls = Citation.objects.filter(**{link: OuterRef("pk")}).order_by(*CITATION_ORDER).values("source__url")
    return Coalesce(ArraySubquery(urls), Value([], output_field=ArrayField(TextField())))


def absolute_urls(document, base: str) -> Func:
    """`document` (JSON text whose URLs are all paths) with `base` in front of every URL.

    The text `"url" : "/` can only be one of the documents' own "url" keys followed by its
    value: inside a JSON string every quote is escaped, and no other key is named "url".
    The base goes into that JSON string escaped as JSON (a validated host and a
    percent-encoded prefix need none, but nothing here relies on it).
    """
    return Func(
        document,
        Value('"url" : "/'),
        Value(f'"url" : "{json.dumps(base, ensure_ascii=False)[1:-1]}/'),
        function="replace",
        output_field=TextField(),
    )


BUILDERS = {Event: event_document, Statement: statement_document, Actor: actor_document}


def _script_prefix() -> str:
    """The script prefix as reverse() writes it in URLs: percent-encoded the same way."""
    return quote(get_script_prefix(), safe=RFC3986_SUBDELIMS + "/~:@")


def site_base(request) -> str:
    """What goes before a path below the script prefix to make a URL of this site (no trailing "/")."""
    prefix = _script_prefix().removesuffix("/")
    return request.build_absolute_uri("/").removesuffix("/") + prefix if request is not None else prefix


@functools.lru_cache(maxsize=128)
def _compiled(model: type, kind: bool, base: str) -> tuple[str, tuple]:
    """The SQL of a model's document, compiled once per URL base and reused.

    Building and compiling the expression tree (a dozen subqueries) costs the ORM more
    than running the query; the SQL is the same on every request with the same URL base.
    It refers to the outer row only through its own table's columns (allow_joins=False
    makes sure of it), so it fits any query on that table.
    """
    if model is Event:
        expression = Cast(event_document(Links(""), kind=kind), TextField())
        if base:
            expression = absolute_urls(expression, base)
    else:
        expression = Cast(BUILDERS[model](Links(base), kind=kind), TextField())
    query = model.objects.all().query
    resolved = expression.resolve_expression(query, allow_joins=False)
    sql, params = query.get_compiler(DEFAULT_DB_ALIAS).compile(resolved)
    # The parameters are constants (field names, URL prefixes): bind them into the SQL
    # once, quoted by the driver, instead of on every request. A query with dozens of
    # parameters costs milliseconds of client-side binding each time it is sent.
    # ("%" is doubled because the whole query is still bound with its other parameters.)
    return connections[DEFAULT_DB_ALIAS].ops.compose_sql(sql, params).replace("%", "%%"), ()


def document_sql(model: type, request, *, kind: bool = False) -> RawSQL:
    """The JSON text of each row of `model` (Event, Statement or Actor) as its serializer writes it.

    `kind`: the timeline's shape (a "kind" field first; statements' own kind as
    "statement_kind").
    """
    sql, params = _compiled(model, kind, site_base(request))
    return RawSQL(sql, params, output_field=TextField())


def with_documents(queryset: QuerySet, request, *, kind: bool = False, **extra) -> QuerySet:
    """`queryset` as rows of {sort_key?, document (JSON text), **extra}.

    The document is text: the view passes it on as is, never parsing it. It brings its
    related records itself, so pass a queryset without prefetches (the `*_visible`
    selectors); Django refuses prefetches on these rows.
    """
    fields = ["document", *extra]
    if "sort_key" in queryset.query.annotations:
        fields.insert(0, "sort_key")
    return queryset.annotate(document=document_sql(queryset.model, request, kind=kind), **extra).values(
        *fields
    )
