"""Every record the API reads out, as the JSON text PostgreSQL builds in the query that finds it.

Turning thousands of model instances into dicts and then into JSON costs more than the
query itself, so the API never does: each item's document is one text column of the list
(or detail) query, built from its shape (`events.read_model`), and the view splices the
documents' text into the answer without parsing it. Every format reads them: JSON, the
browsable API, CSV, TimelineJS and the answer to a write.

Documents are built with URLs relative to the API's root; `api_base(request)` is what
goes in front of them, and the SQL puts it there.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import OuterRef, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from events.models import Citation
from events.read_model import sql
from events.read_model.shapes import CITATIONS_ORDER, Shape


def api_base(request) -> str:
    """The absolute URL of the API's root for this request ("https://host/api/v1/"); the path alone without one."""
    root = sql.api_root()
    return request.build_absolute_uri(root) if request is not None else root


# SQL of documents by (shape name, table, URL base): the same on every request with that base.
_COMPILED: dict[tuple[str, str, str], tuple[Shape, str]] = {}


def _compiled(shape: Shape, table: str, base: str) -> str:
    """The SQL text of a shape's document (text, URLs absolute) over rows of `table`, made once per URL base.

    The base is written into the SQL as a literal, not bound on every request; "%" is
    doubled because the query is still bound with its other parameters.
    """
    key = (shape.name, table, base)
    cached = _COMPILED.get(key)
    if cached is not None and cached[0] is shape:
        return cached[1]
    document = sql.document(shape, '"' + table + '"')
    text = sql.absolute(f"({document})::text", base).replace("%", "%%")
    if len(_COMPILED) > 256:  # many hosts or prefixes: keep the cache bounded
        _COMPILED.clear()
    _COMPILED[key] = (shape, text)
    return text


def document_sql(shape: Shape, request) -> RawSQL:
    """The JSON text of each row of the shape's model, as a column of a query on that model."""
    table = sql.model_of(shape.label)._meta.db_table
    return RawSQL(_compiled(shape, table, api_base(request)), (), output_field=TextField())


def with_documents(queryset: QuerySet, request, shape: Shape, **extra) -> QuerySet:
    """`queryset` as rows of {sort_key?, document (JSON text), **extra}.

    The document is text: the view passes it on as is, never parsing it. It brings its
    related records itself: prefetches on `queryset` would be wasted (Django skips them on
    these rows).
    """
    fields = ["document", *extra]
    if "sort_key" in queryset.query.annotations:
        fields.insert(0, "sort_key")
    return queryset.annotate(document=document_sql(shape, request), **extra).values(*fields)


def cited_source_urls(link: str) -> Coalesce:
    """The cited sources' own addresses (blank ones included), in citation order, as a text array."""
    urls = Citation.objects.filter(**{link: OuterRef("pk")}).order_by(*CITATIONS_ORDER).values("source__url")
    return Coalesce(ArraySubquery(urls), Value([], output_field=ArrayField(TextField())))
